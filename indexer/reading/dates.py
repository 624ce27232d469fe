"""Dutch dates: "8 juni 2022", "26 april 2018", "1 sept. 2021", "8-6-2022", "2022-06-08".

Used for a letter's date line ("Den Haag, 8 juni 2022", "'s-Gravenhage, 28 april 1992",
"Brussel, 8 maart 2017"), for inferring a date from the dates a letter mentions, and by query
filters (parse_date). Nothing here raises on a bad date: an impossible date such as 2022-13-45
is simply not a date (None). A letter's date is never before 1814 (the Staten-Generaal of the
Kingdom) nor after the end of next year: a date outside that range is an OCR misreading.
"""
from __future__ import annotations

import re
from datetime import date

FIRST_LETTER_YEAR = 1814  # the first Staten-Generaal of the Kingdom: no letter is older

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
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,  # "October": the spelling until 1947
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))  # longest first: "juni" before "jun"

# Day month year, words: "8 juni 2022", "1 sept. 2021", "12 mei\n2021" (any whitespace); as
# old letters and OCR write them too: "17den April 1906", "1ste", "15juli 1994" (space lost).
WRITTEN_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:ste|sten|de|den|e)?\s*({_MONTH})\.?\s+(\d{{4}})\b", re.IGNORECASE)
# Day month year, digits, Dutch order: "8-6-2022", "08/06/2022", "8.6.2022".
NUMERIC_DATE = re.compile(r"\b(\d{1,2})([-/.])(\d{1,2})\2(\d{4})\b")
# ISO 8601 calendar date: "2022-06-08".
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

# The letter's own date line: a place (or the label "Datum") and a date. "Den Haag, 8 juni 2022",
# "Den Haag 26 april 2018", "'s-Gravenhage, 8 juni 2022", "Brussel, 8 maart 2017", "Datum: 8-6-2022",
# and as OCR leaves the place of old prints: "' s-Gravenhage", "'s GRAVENHAGE, den 27 December
# 1911", "VGravenhage". A place is one to three words without digits ("Alphen aan den Rijn").
_PLACE = (r"(?-i:(?:[sS][-\s]?\s?)?[A-ZÀ-Þ][^\W\d_'’]*(?:-[A-ZÀ-Þ][^\W\d_]*)?"
          r"(?:\s(?:aan|den|a/d|[A-ZÀ-Þ][^\W\d_'’-]*)){0,3})")  # capitals: "Defensie van 1 juni" is no place
_PLACE_OR_LABEL = rf"(?:['’‘`•*.]{{0,2}}\s?{_PLACE}|Datum)\s*[,:]?\s*(?:den\s+)?"
_WEEKDAY = r"(?:(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\s+)?"
# "Alphen aan den Rijn, maandag 28 september 2022" fits in these; a line of running text does not
DATE_LINE_MAX, DATE_LINE_WORDS = 70, 8
DATE_LINE = re.compile(rf"^{_PLACE_OR_LABEL}{_WEEKDAY}(?P<date>\d.+?)[.,]?\s*$", re.IGNORECASE)


def make_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the numbers do not make one (month 13, 30 februari)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def plausible(day: date | None, today: date | None = None) -> bool:
    """Could a letter bear this date: from 1814 to the end of next year?"""
    last_year = (today or date.today()).year + 1
    return day is not None and FIRST_LETTER_YEAR <= day.year <= last_year


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

    A line that is only a date also counts: some letters put the place on its own line, and old
    Kamerstukken print a bare "27 februari 1956." under the sender. A date no letter can bear
    (before 1814, after next year) is a misreading, not a date line.
    """
    line = line.strip()
    if len(line) > DATE_LINE_MAX or line.count(" ") > DATE_LINE_WORDS:
        return None
    m = DATE_LINE.match(line)
    day = parse_date(m["date"]) if m else parse_date(line.rstrip(".,"))
    return day if plausible(day) else None


def infer_date(text: str, own: str = "", within: tuple[date, date] | None = None) -> date | None:
    """A best guess for an undated letter, from the plausible dates it mentions.

    `own` is what the letter says it is (its title): "Geannoteerde agenda ... van 1 juni 2021"
    names the day the letter is about, which is closer to when it was written than a summit it
    announces further on. Else the latest date the text mentions: a letter reports on past
    events, so that is usually close to when it was written (often a little after). `within`:
    the days the letter must be from, when known (the session of a Kamerstuk).
    """
    def fits(day: date) -> bool:
        return plausible(day) and (within is None or within[0] <= day <= within[1])

    for day in find_dates(own):
        if fits(day):
            return day
    dates = [d for d in find_dates(text) if fits(d)]
    return max(dates) if dates else None
