"""What OCR of old prints leaves in the text, repaired before the layout is read.

Staten-Generaal Digitaal's scans of the Kamerstukken come as text with soft hyphens where the
print broke a word ("toen\u00admalige"), and with a space after a narrow "1" that splits numbers:
"1 977", "vergaderjaar 1 990-1 991", "17 496 en 1 7 541", "Zitting 1970-1971 -1 1 024". Only
numbers whose context says they are one number are rejoined: a year after a month name or in a
range of years, and a lone "1" before a digit and a group of three ("1 8 979" is the dossier
"18 979"; "f 1 355 miljoen" stays, since there the 1 stands before a group of three).
"""
from __future__ import annotations

import re

from indexer.reading.dates import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# Each pattern starts with the literal "1", so that a text is scanned for it quickly; what must
# come before the match is checked by the callers.
# "2 april 1 977" -> "2 april 1977": a year after a month name.
SPLIT_YEAR = re.compile(r"1 ([89]\d\d)(?!\d)")
MONTH_BEFORE = re.compile(rf"(?i)\b(?:{_MONTH})\.?\s+$")
# "1 990-1 991", "1985-1 986": years in a range of years (the session of a Kamerstuk).
YEAR_IN_RANGE = re.compile(r"1 ?([89]\d\d)(\s*[-–—/]+\s*)1 ?([89]\d\d)(?!\d)")
# "1 7 541", "1 8 979", "1 1 024": a "1" split from the digit after it, before a group of three.
SPLIT_ONE = re.compile(r"1 (\d) (\d{3})(?!\d)")
# A soft hyphen where the print broke a word: gone before a lowercase letter ("toen-malige"),
# a real hyphen before a capital ("Staten-Generaal").
SOFT_HYPHEN = re.compile("\u00ad\\s*(?=(\\S?))")


def _starts_number(text: str, start: int) -> bool:
    """Does a number start at `start` (no digit, letter or decimal sign right before it)?"""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in ",.")


def repair(text: str) -> str:
    """The text with soft hyphens resolved and numbers that OCR split rejoined."""
    if "\u00ad" in text:
        text = SOFT_HYPHEN.sub(lambda m: "-" if m[1][:1].isupper() else "", text)
    if "1 " in text:
        text = SPLIT_YEAR.sub(lambda m: f"1{m[1]}" if _starts_number(text, m.start()) and MONTH_BEFORE.search(
            text, max(0, m.start() - 14), m.start()) else m[0], text)
        text = YEAR_IN_RANGE.sub(lambda m: f"1{m[1]}{m[2]}1{m[3]}" if _starts_number(text, m.start()) else m[0], text)
        text = SPLIT_ONE.sub(lambda m: f"1{m[1]} {m[2]}" if _starts_number(text, m.start()) and not (
            m.start() > 1 and text[m.start() - 2].isdigit()) else m[0], text)
    return text
