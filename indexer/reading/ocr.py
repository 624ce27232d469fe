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
# "2 april 1 977" -> "2 april 1977": a year after a month name.
YEAR_AFTER_MONTH = re.compile(rf"(?i)\b((?:{_MONTH})\.?\s+)1 ([89]\d\d)\b")
# "1 990-1 991", "1985-1 986": years in a range of years (the session of a Kamerstuk).
YEAR_IN_RANGE = re.compile(r"\b1 ?([89]\d\d)(\s*[-–—/]+\s*)1 ?([89]\d\d)\b")
# "1 7 541", "1 8 979", "1 1 024": a "1" split from the digit after it, before a group of three.
SPLIT_ONE = re.compile(r"(?<![\d,.])\b1 (\d) (\d{3})\b")
# A soft hyphen where the print broke a word: gone before a lowercase letter ("toen-malige"),
# a real hyphen before a capital ("Staten-Generaal").
SOFT_HYPHEN = re.compile("\u00ad\\s*(?=(\\S?))")


def repair(text: str) -> str:
    """The text with soft hyphens resolved and numbers that OCR split rejoined."""
    if "\u00ad" in text:
        text = SOFT_HYPHEN.sub(lambda m: "-" if m[1][:1].isupper() else "", text)
    if "1 " in text:
        text = YEAR_AFTER_MONTH.sub(r"\g<1>1\2", text)
        text = YEAR_IN_RANGE.sub(r"1\1\g<2>1\3", text)
        text = SPLIT_ONE.sub(r"1\1 \2", text)
    return text
