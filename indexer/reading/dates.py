"""Dutch dates: "8 juni 2022", "26 april 2018", "1 sept. 2021", "8-6-2022", "2022-06-08".

Used for a letter's date line ("Den Haag, 8 juni 2022"), for inferring a date from the dates a
letter mentions, and by query filters (parse_date). Nothing here raises on a bad date: an
impossible date such as 2022-13-45 is simply not a date (None).
"""
from __future__ import annotations

import re
from datetime import date

# Month names and the abbreviations Dutch texts use ("jan.", "febr.", "mrt.", "sept.").
MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2, "febr": 2,
    "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))  # longest first: "juni" before "jun"

# Day month year, words: "8 juni 2022", "1 sept. 2021", "12 mei\n2021" (any whitespace).
WRITTEN_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?\s+(\d{{4}})\b", re.IGNORECASE)
# Day month year, digits, Dutch order: "8-6-2022", "08/06/2022", "8.6.2022".
NUMERIC_DATE = re.compile(r"\b(\d{1,2})([-/.])(\d{1,2})\2(\d{4})\b")
# ISO 8601 calendar date: "2022-06-08".
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

# The letter's own date line: "Den Haag, 8 juni 2022", "Den Haag 26 april 2018",
# "'s-Gravenhage, 8 juni 2022", "Datum 8 juni 2022", "Datum: 8-6-2022".
_PLACE_OR_LABEL = r"(?:Den Haag|['’]s-Gravenhage|Datum)\s*[,:]?\s*"
_WEEKDAY = r"(?:(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\s+)?"
DATE_LINE = re.compile(rf"^{_PLACE_OR_LABEL}{_WEEKDAY}(?P<date>.+?)\s*$", re.IGNORECASE)


def make_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the numbers do not make one (month 13, 30 februari)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_iso_date(text: str) -> date | None:
    """'2022-06-08' -> date(2022, 6, 8); anything else, or an impossible date, -> None."""
    m = ISO_DATE.fullmatch(text.strip())
    return make_date(int(m[1]), int(m[2]), int(m[3])) if m else None


def parse_date(text: str) -> date | None:
    """The date that the whole text spells, in ISO or a Dutch form; None if it is not a date.

    Accepts "2022-06-08", "8 juni 2022", "8 jun. 2022", "8-6-2022", "08/06/2022".
    """
    text = " ".join(text.split())
    if m := ISO_DATE.fullmatch(text):
        return make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := WRITTEN_DATE.fullmatch(text):
        return make_date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if m := NUMERIC_DATE.fullmatch(text):
        return make_date(int(m[4]), int(m[3]), int(m[1]))
    return None


def find_dates(text: str) -> list[date]:
    """Every full (day, month, year) date written in the text, in order of appearance."""
    found: list[tuple[int, date]] = []
    for m in WRITTEN_DATE.finditer(text):
        if d := make_date(int(m[3]), MONTHS[m[2].lower()], int(m[1])):
            found.append((m.start(), d))
    for m in NUMERIC_DATE.finditer(text):
        if d := make_date(int(m[4]), int(m[3]), int(m[1])):
            found.append((m.start(), d))
    for m in ISO_DATE.finditer(text):
        if d := make_date(int(m[1]), int(m[2]), int(m[3])):
            found.append((m.start(), d))
    return [d for _, d in sorted(found, key=lambda pair: pair[0])]


def parse_date_line(line: str) -> date | None:
    """The date of a letter's date line ("Den Haag, 8 juni 2022"), else None.

    A line that is only a date also counts: some letters put the place on its own line.
    """
    line = line.strip()
    m = DATE_LINE.match(line)
    return parse_date(m["date"]) if m else parse_date(line)


def infer_date(text: str) -> date | None:
    """A best guess for an undated letter: the latest full date its text mentions.

    A letter reports on past events and announces coming ones, so the latest date it mentions
    is usually close to when it was written (often a little after: an announced meeting).
    """
    dates = find_dates(text)
    return max(dates) if dates else None
