"""A Dutch word list: evidence for repairing words that PDF extraction split at a line end.

We wrap wordfreq's 'large' Dutch list (~311k word forms with their frequencies) instead of a
spelling dictionary because it also knows names, loan words and the compounds that government
letters use. wordfreq's own ``zipf_frequency`` tokenizes its input (it splits "defensie-uitgaven"
into two words and averages them), so for the question "is this whole string a word?" we look the
string up in the frequency dict directly.
"""
from __future__ import annotations

import importlib.util
import itertools
import marshal
import math
import os
from functools import lru_cache
from pathlib import Path

# Zipf scale: log10 of occurrences per billion words. 3 is about once per million words: common
# enough that a string is a real word and not a hyphenation fragment like "schap" (3.4!) or
# "lijke" (2.4); see is_common_word.
COMMON_ZIPF = 3.0


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """The word list, loaded once per process on first use. Importing wordfreq and unpacking
    its list takes about half a second, which every `brieven search` and `brieven add` paid;
    a copy in the user's cache directory (marshal: 5 MB) loads in 0.08 s. The copy is keyed
    on wordfreq's version and rewritten when missing or unreadable."""
    cached = _cache_file()
    if cached is not None:
        try:
            words = marshal.loads(cached.read_bytes())
            if isinstance(words, dict) and words:
                return words
        except (OSError, EOFError, ValueError, TypeError):
            pass
    import wordfreq  # imported here so that importing this module stays cheap

    words = wordfreq.get_frequency_dict("nl", "large")
    if cached is not None:
        try:  # written aside and renamed: a reader never sees half a file
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps(words))
            os.replace(partial, cached)
        except OSError:
            pass  # a read-only home: load from wordfreq each time, as before
    return words


def _cache_file() -> Path | None:
    """Where the copy of the installed wordfreq's Dutch list lives, named after that list's size
    and time: another wordfreq gets a copy of its own. Found without importing wordfreq or
    reading package metadata (which cost every search 20 ms)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    try:
        source = (Path(spec.origin).parent / "data" / "large_nl.msgpack.gz").stat()
    except OSError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "brieven" / f"wordfreq-nl-large-{source.st_size}-{source.st_mtime_ns}.marshal"


def frequency(word: str) -> float:
    """The word's frequency as a fraction of all words (0.0 when unknown); case-insensitive."""
    return _frequencies().get(word.lower(), 0.0)


@lru_cache(maxsize=100_000)
def zipf(word: str) -> float:
    """The word's Zipf frequency (log10 per billion words; 0.0 when unknown). Cached: compound
    splitting asks for the same prefixes and heads over and over."""
    f = frequency(word)
    return round(math.log10(f) + 9, 2) if f > 0 else 0.0


def is_word(word: str) -> bool:
    """True when the whole string (hyphens included) occurs in the Dutch word list."""
    return frequency(word) > 0


def is_common_word(word: str, min_zipf: float = COMMON_ZIPF) -> bool:
    """True for a word frequent enough to be a word in its own right, not a split-off fragment."""
    return zipf(word) >= min_zipf


def common_words(count: int) -> list[str]:
    """The `count` most common words of the list, most common first (wordfreq lists them in
    that order)."""
    return list(itertools.islice(_frequencies(), count))
