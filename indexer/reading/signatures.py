"""Signatures, in all the forms the letters use.

    De Minister van Buitenlandse Zaken,         the office, then the name on the next line
    W.B. Hoekstra
    De Minister van Financiën, P. LIEFTINCK.    both on one line (old prints: the name in capitals)
    De Minister van Staat, Minister van         the office over two lines
    Koloniën,
    H. COLIJN.
    J. G. SUURHOFF. (Minister van Verkeer en Waterstaat)
    R. F. M. LUBBERS.                           a name alone, under a Kamerstuk

OCR glues words ("De Ministervan Financiën") and reads an O as a zero ("H. 0. C. R. Ruding").
`read_signature` reads one signature from the lines starting at a given one.
"""
from __future__ import annotations

import re

from indexer.reading.model import Signatory

MAX_LINES = 6  # a signature's office, name and a "Namens den Minister" take at most this many
MAX_LINE_WORDS = 12  # a line of a signature is short; a sentence is not part of one
MAX_SIGNATURE_CHARS = 200  # an office and a name on one line fit in this

# The office that opens a signature: "De Minister van ...", "De staatssecretaris ...", as OCR
# leaves it too: "De 'Minister", "De Ministervan".
OFFICE = r"(?:[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris)"
START = re.compile(rf"^De\s*['‘’]?\s*{OFFICE}")
_INITIAL = r"(?:(?:IJ|Th|Ch|[A-Z0])\.-?\s?|[A-Z]\s(?=[a-z])|(?:[Mm]r|[Dd]rs|[Dd]r|[Ii]r|[Pp]rof|[Jj]hr)\.\s?)"
_PARTICLE = r"(?:van|de|der|den|ter|ten|tot|te|op|in 't|van 't|'t|d'|baron|jonkheer|VAN|DE|DER|DEN|TER|TEN|TOT)"
_SURNAME = r"[A-ZÀ-Þ][A-Za-zÀ-ÿ'’]+(?:-(?:van |de )?[A-Za-zÀ-ÿ'’]+)*"
NAME = (rf"(?P<initials>(?:{_INITIAL})*)"
        rf"(?P<surname>(?:{_PARTICLE}\s+)*{_SURNAME}(?:\s+(?:{_PARTICLE}\s+)*{_SURNAME}){{0,3}})")
# The office, then (after a comma or a period, or straight before initials or a name in
# capitals) the name: the shortest office that leaves a whole name.
OFFICE_THEN_NAME = re.compile(rf"^(?P<role>De\s.+?)(?P<sep>[,.]?)\s+{NAME}\.?$")
NAME_LINE = re.compile(rf"^{NAME}\.?$")
NAME_THEN_OFFICE = re.compile(rf"^{NAME}\.?\s*\((?P<role>{OFFICE}[^)]*)\)$")
NAME_ALONE = re.compile(rf"^(?P<initials>(?:{_INITIAL})+)(?P<surname>(?:[A-Z]{{2,}}[-\s]?)+)\.$")
# A footnote that OCR ran into the office's line: "De Minister van Justitie, ' Ter inzage gelegd".
RUN_IN_NOTE = re.compile(r",\s*['’]?\s*\d?\s*(?:Ter (?:vertrouwelijke )?inzage|Nedergelegd)\b.*$")
NOT_NAMES = {"De", "Den", "Het", "Een", "Minister", "Staatssecretaris"}  # a line that ends an office
# What an office may hold: its words start with a capital, or are these ("van", "a.i.", ...).
_OFFICE_WORD = re.compile(
    r"^(?:[A-ZÀ-Þ][\w'’-]*[,.]?|van|voor|en|der|den|de|zonder|namens|a\.\s?[iIlL][.,]*|i\.?[,.]?)$")


def _clean_role(role: str) -> str:
    role = re.sub(r"(?i)\b(minister|staatssecretaris)(van|voor)\b", r"\1 \2", role)
    role = re.sub(r"^De\s*['‘’]\s*", "De ", role)
    role = " ".join(role.split()).rstrip(" ,")
    return role if re.search(r"\ba\.\s?i\.$", role) else role.rstrip(".")


def _name(m: re.Match[str]) -> str:
    return " ".join((m["initials"] + m["surname"]).split()).replace(" 0. ", " O. ")


def _is_office(role: str, whole_line: bool) -> bool:
    """"De Minister van Buitenlandse Zaken a.i." is an office; "De minister van Defensie sprak
    met de heer" is a sentence. An office on a line of its own may be in lowercase."""
    words = role.split()[2:]
    return len(words) <= 16 and (whole_line or all(_OFFICE_WORD.match(w) for w in words))


def read_signature(lines: list[str], i: int) -> tuple[Signatory, int] | None:
    """The signature starting at lines[i], and how many lines it takes; None if none starts there."""
    line = lines[i]
    if len(line) > MAX_SIGNATURE_CHARS:
        return None
    if line[:2] != "De":  # (most lines: none of the forms starts so, and few end so)
        if line[-1:] == ")" and (m := NAME_THEN_OFFICE.match(line)):
            return Signatory(_clean_role(m["role"]), _name(m)), 1
        if line[-1:] == "." and line.count(" ") < 6 and (m := NAME_ALONE.match(line)):
            return Signatory("", " ".join((m["initials"] + m["surname"]).split())), 1
        return None
    if not START.match(line):
        return None
    line = RUN_IN_NOTE.sub("", line)
    lines = [*lines[:i], line, *lines[i + 1:]] if line != lines[i] else lines
    m = OFFICE_THEN_NAME.match(line)  # the office and the name on one line
    if m and m["surname"] not in NOT_NAMES and (m["sep"] or m["initials"] or m["surname"].isupper()) \
            and _is_office(m["role"], whole_line=False):
        return Signatory(_clean_role(m["role"]), _name(m)), 1
    for j in range(i + 1, min(i + MAX_LINES, len(lines))):  # the name on a line of its own
        if len(lines[j].split()) > MAX_LINE_WORDS:
            return None
        m = NAME_LINE.match(lines[j])
        if not m or m["surname"] in NOT_NAMES or not (
                m["initials"] or m["surname"].isupper() or len(m["surname"].split()) > 1):
            continue
        role = " ".join(lines[i:j])
        whole_line = role.rstrip().endswith(",") and len(role.split()) <= 10
        if _is_office(role, whole_line):
            return Signatory(_clean_role(role), _name(m)), j - i + 1
        return None
    return None
