"""Kamerstuk references: "Kamerstuk 35 925 V, nr. 84", "Kamerstukken II 2017/18, 34 919, nr. 1"."""
from __future__ import annotations

import re

# "Kamerstuk 35 925 V, nr. 84", "Kamerstukken II 2017/18, 34 919, nr. 1", "Kamerstuknummer ...".
KAMERSTUK_KEY = re.compile(r"\bKamerstuk(?:ken|nummer)?\b(?:\s+II)?(?:\s+\d{4}[/-]\d{2,4},?)?")
# Dossier and number: "35 925 V, nr. 84", "27925 nr. 771".
DOSSIER_NUMBER = re.compile(r"\b(\d{2}) ?(\d{3})(?: ([IVXLC]+|[A-Z]))?,? nr\.? ?(\d+)\b")
# The short form: "34919-71", "35570-X-39" (the latter is distinctive enough to find anywhere).
DOSSIER_DASH = re.compile(r"\b(\d{2})(\d{3})-(?:([IVXLC]+|[A-Z])-)?(\d+)\b")
ROMAN_DASH = re.compile(r"\b(\d{2})(\d{3})-([IVXLC]+)-(\d+)\b")
# A document number of the Tweede Kamer: "2021D12041", "2021Z07953".
DOCUMENT_NUMBER = re.compile(r"\b(?:19|20)\d\d[A-Z]\d{5}\b")
# A reference list after "Kamerstuk" ends at a closing bracket or at the end of the sentence.
REFERENCE_END = re.compile(r"[)\]]|;|\.\s+[A-Z]|$")


def _normal_reference(m: re.Match[str]) -> str:
    if m.re is DOCUMENT_NUMBER:
        return f"Kamerstuk {m.group()}"
    part = f" {m[3]}" if m[3] else ""
    return f"Kamerstuk {m[1]} {m[2]}{part}, nr. {m[4]}"


def find_kamerstukken(text: str) -> list[str]:
    """Kamerstuk references, normalised to "Kamerstuk 35 925 V, nr. 84", in order, no repeats."""
    found: list[tuple[int, str]] = []
    for key in KAMERSTUK_KEY.finditer(text):
        window = text[key.end():REFERENCE_END.search(text, key.end()).start()]
        for pattern in (DOSSIER_NUMBER, DOSSIER_DASH, DOCUMENT_NUMBER):
            for m in pattern.finditer(window):
                found.append((key.end() + m.start(), _normal_reference(m)))
    for m in ROMAN_DASH.finditer(text):
        found.append((m.start(), _normal_reference(m)))
    return list(dict.fromkeys(ref for _, ref in sorted(found)))

