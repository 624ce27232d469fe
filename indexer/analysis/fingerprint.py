"""A paragraph's fingerprint, for telling near-identical paragraphs apart from merely similar ones.

The same question put to five ministers, a standard answer repeated, a paragraph copied from an
earlier letter: such paragraphs differ in a date, a name or a number, and they fill a page of
results with one thing said five times. A SimHash (Charikar 2002, as Manku et al. used it for
near-duplicate web pages) over a paragraph's distinct terms gives 64 bits that differ in only a
few places when two texts share nearly all their words: near-duplicates are found by counting
differing bits, without comparing texts. Short paragraphs (a subject line, "Ja.") get none:
two of them may agree by chance and still be about different things.

How it is counted (the definition is plain: bit b is set when more than half of the distinct
words' 64-bit hashes have bit b set). Each word's hash is cached "spread out": bit b moved to
bit 16·b of one Python integer, so that adding up a paragraph's words (one `sum`, in C) counts
all 64 bits at once, each in a 16-bit lane. Adding 2^15 − (n // 2 + 1) to every lane sets a
lane's top bit exactly when its count exceeds n / 2; those 64 top bits are the fingerprint.
The paragraph's words come from the tokens its analysis already found (dutch.lowercase_words).
A serial build of 3,000 letters of the benchmark corpus spends 43 µs per paragraph here, against
72 µs with the numpy version this replaced (an array pipeline per letter, its own tokenizing).
"""
from __future__ import annotations

import functools
import hashlib
from typing import TYPE_CHECKING

from indexer.analysis.dutch import lowercase_words, stopwords

if TYPE_CHECKING:
    import numpy as np

MIN_TERMS = 12  # distinct terms a paragraph needs to have a fingerprint (0: none)
BITS = 64
_LANE = 16  # bits per counter: a paragraph of up to 2^15 - 1 distinct words is counted in lanes
_ONES = sum(1 << (_LANE * b) for b in range(BITS))  # 1 in every lane
_TOPS = _ONES << (_LANE - 1)  # the top bit of every lane
# byte -> its 8 bits spread into 8 lanes
_SPREAD_BYTE = [sum(((byte >> i) & 1) << (_LANE * i) for i in range(8)) for byte in range(256)]
_AS_DIGITS = bytes.maketrans(b"\0\1", b"01")


def term_hash(term: str) -> int:
    """A stable 64-bit hash of a term (Python's own `hash` differs between processes)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


@functools.lru_cache(maxsize=300_000)
def _spread_hash(term: str) -> int:
    """`term_hash(term)` with bit b moved to bit 16·b."""
    digest = hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest()  # little-endian, as term_hash
    return sum(_SPREAD_BYTE[byte] << (_LANE * 8 * k) for k, byte in enumerate(digest))


def fingerprint(text: str) -> int:
    """The SimHash of the text's distinct words (lowercase, stopwords left out), as a signed
    64-bit integer (the index keeps it in a column of those); 0 for a text with too few words."""
    words = set(lowercase_words(text)) - stopwords()
    n = len(words)
    if n < MIN_TERMS:
        return 0
    if n < 1 << (_LANE - 1):
        lanes = sum(map(_spread_hash, words)) + ((1 << (_LANE - 1)) - (n // 2 + 1)) * _ONES
        tops = ((lanes & _TOPS) >> (_LANE - 1)).to_bytes(BITS * _LANE // 8, "little")[::_LANE // 8]
        value = int(tops.translate(_AS_DIGITS)[::-1], 2)  # one byte (0 or 1) per bit, lowest first
    else:  # more words than a lane counts: bit by bit
        hashes = [term_hash(word) for word in words]
        value = sum(1 << b for b in range(BITS) if 2 * sum((h >> b) & 1 for h in hashes) > n)
    value = value or 1  # 0 means "none"
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def fingerprints(texts: list[str]) -> list[int]:
    """`fingerprint` of each text (a letter's paragraphs)."""
    return [fingerprint(text) for text in texts]


def differing_bits(a: "np.ndarray | int", b: "np.ndarray | int") -> "np.ndarray":
    """How many bits two fingerprints (or arrays of them) differ in."""
    import numpy as np

    return np.bitwise_count(np.asarray(a, np.int64).view(np.uint64) ^ np.asarray(b, np.int64).view(np.uint64))
