"""A Dutch word list: evidence for repairing words that PDF extraction split at a line end.

We wrap wordfreq's 'large' Dutch list (~311k word forms with their frequencies) instead of a
spelling dictionary because it also knows names, loan words and the compounds that government
letters use. wordfreq's own ``zipf_frequency`` tokenizes its input (it splits "defensie-uitgaven"
into two words and averages them), so for the question "is this whole string a word?" we look the
string up in the frequency dict directly.
"""
from __future__ import annotations

import math
from functools import lru_cache

# Zipf scale: log10 of occurrences per billion words. 3 is about once per million words: common
# enough that a string is a real word and not a hyphenation fragment like "schap" (3.4!) or
# "lijke" (2.4); see is_common_word.
COMMON_ZIPF = 3.0


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """Load the word list once, on first use: it takes about a second and 40 MB."""
    import wordfreq  # imported here so that importing this module stays cheap

    return wordfreq.get_frequency_dict("nl", "large")


def frequency(word: str) -> float:
    """The word's frequency as a fraction of all words (0.0 when unknown); case-insensitive."""
    return _frequencies().get(word.lower(), 0.0)


def zipf(word: str) -> float:
    """The word's Zipf frequency (log10 per billion words; 0.0 when unknown)."""
    f = frequency(word)
    return round(math.log10(f) + 9, 2) if f > 0 else 0.0


def is_word(word: str) -> bool:
    """True when the whole string (hyphens included) occurs in the Dutch word list."""
    return frequency(word) > 0


def is_common_word(word: str, min_zipf: float = COMMON_ZIPF) -> bool:
    """True for a word frequent enough to be a word in its own right, not a split-off fragment."""
    return zipf(word) >= min_zipf
