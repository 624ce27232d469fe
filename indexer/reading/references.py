"""Kamerstuk references: "Kamerstuk 35 925 V, nr. 84", "Kamerstukken II 2017/18, 34 919, nr. 1".

Only references to Kamerstukken (a dossier and a document number) count: the Tweede Kamer's
document and case numbers ("2021D12041", "2021Z07953") are not Kamerstukken. Older letters
write "(stuk 19 283, nr. 3)", "gedrukte stukken ... 10 300, hoofdstuk XV, nr. 12" or just
"(17649, nr. 32)"; those count too.
"""
from __future__ import annotations

import re

# "Kamerstuk 35 925 V, nr. 84", "Kamerstukken II 2017/18, 34 919, nr. 1", "Kamerstuknummer ...",
# "stuk 19 283, nr. 3", "gedrukte stukken 1969-1970".
KAMERSTUK_KEY = re.compile(  # (no \b before it: a text is scanned faster for its first letters)
    r"(?:Kamerstuk(?:ken|nummer)?|(?:[Gg]edrukte stukken|[Ss]tuk(?:ken)?)(?=\s+\d))\b(?:\s+II)?"
    r"(?:\s+\d{4}[/-]\d{2,4},?)?")
# Dossier and number: "35 925 V, nr. 84", "27925 nr. 771", "10 300, hoofdstuk XV, nr. 12".
DOSSIER_NUMBER = re.compile(
    r"\b(\d{2}) ?(\d{3})(?:,? (?:hoofdstuk |hfdst\. ?)?([IVXLC]+|[A-Z]))?,? nr\.? ?(\d+)\b")
# The short form: "34919-71", "35570-X-39" (the latter is distinctive enough to find anywhere).
DOSSIER_DASH = re.compile(r"\b(\d{2})(\d{3})-(?:([IVXLC]+|[A-Z])-)?(\d+)\b")
ROMAN_DASH = re.compile(r"\b(\d{2})(\d{3})-([IVXLC]+)-(\d+)\b")
ROMAN_DASH_GATE = re.compile(r"-[IVXLC]+-\d")  # starts with a literal: a text is scanned for it fast
# A bare reference in brackets: "(17649, nr. 32)", "(18100 XVI, nr. 56)".
BRACKETED = re.compile(r"\((\d{2}) ?(\d{3})(?: ([IVXLC]+|[A-Z]))?,? nr\.? ?(\d+)\b")
# A reference list after "Kamerstuk" ends at a closing bracket or at the end of the sentence.
REFERENCE_END = re.compile(r"[)\]]|;|\.\s+[A-Z]|$")
WINDOW = 200  # characters after "Kamerstuk" where its references may stand


def _label(m: re.Match[str]) -> tuple[tuple[str, str], str]:
    """((normalised dossier, number), "Kamerstuk 35 925 V, nr. 84")."""
    part = f" {m[3]}" if m[3] else ""
    dossier = m[1] + m[2] + (f"-{m[3]}" if m[3] else "")
    return (dossier, m[4]), f"Kamerstuk {m[1]} {m[2]}{part}, nr. {m[4]}"


def find_kamerstukken(text: str, own: tuple[str | None, str | None] = (None, None)) -> list[str]:
    """The Kamerstukken `text` cites, as "Kamerstuk 35 925 V, nr. 84", in order, no repeats,
    leaving out the letter's `own` (dossier, number)."""
    found: list[tuple[int, tuple[str, str], str]] = []
    for key in KAMERSTUK_KEY.finditer(text) if "tuk" in text else ():  # (a substring test is cheap)
        if key.start() and text[key.start() - 1].isalpha():
            continue  # "onderstuk", not "stuk"
        end = REFERENCE_END.search(text, key.end(), key.end() + WINDOW)
        window = text[key.end(): end.start() if end else key.end() + WINDOW]
        for pattern in (DOSSIER_NUMBER, DOSSIER_DASH):
            for m in pattern.finditer(window):
                found.append((key.end() + m.start(), *_label(m)))
    for pattern, gate in ((ROMAN_DASH, ROMAN_DASH_GATE), (BRACKETED, None)):
        if gate is None or gate.search(text):
            for m in pattern.finditer(text):
                found.append((m.start(), *_label(m)))
    refs = [label for _, key, label in sorted(found) if key != own]
    return list(dict.fromkeys(refs))
