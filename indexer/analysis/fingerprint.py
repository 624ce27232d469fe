"""A paragraph's fingerprint, for telling near-identical paragraphs apart from merely similar ones.

The same question put to five ministers, a standard answer repeated, a paragraph copied from an
earlier letter: such paragraphs differ in a date, a name or a number, and they fill a page of
results with one thing said five times. A SimHash (Charikar 2002, as Manku et al. used it for
near-duplicate web pages) over a paragraph's distinct terms gives 64 bits that differ in only a
few places when two texts share nearly all their words: near-duplicates are found by counting
differing bits, without comparing texts. Short paragraphs (a subject line, "Ja.") get none:
two of them may agree by chance and still be about different things.
"""
from __future__ import annotations

import functools
import hashlib
import re
from typing import TYPE_CHECKING

from indexer.analysis.dutch import WORD_PATTERN, stopwords

if TYPE_CHECKING:
    import numpy as np

MIN_TERMS = 12  # distinct terms a paragraph needs to have a fingerprint (0: none)
BITS = 64


@functools.lru_cache(maxsize=300_000)
def _term_hash(term: str) -> int:
    """A stable 64-bit hash of a term (Python's own `hash` differs between processes)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


_WORDS = re.compile(WORD_PATTERN)


def fingerprint(text: str) -> int:
    """The SimHash of the text's distinct words (lowercase, stopwords left out), as a signed
    64-bit integer (the index keeps it in a column of those); 0 for a text with too few words."""
    return fingerprints([text])[0]


def fingerprints(texts: list[str]) -> list[int]:
    """`fingerprint` of each text, worked out together (a letter's paragraphs: one pass of
    array operations instead of one per paragraph)."""
    common = stopwords()
    owners: list[int] = []
    hashes: list[int] = []
    for n, text in enumerate(texts):
        words = set(_WORDS.findall(text.lower())) - common
        if len(words) >= MIN_TERMS:
            hashes.extend(map(_term_hash, words))
            owners.extend([n] * len(words))
    out = [0] * len(texts)
    if not hashes:
        return out
    import numpy as np  # here: `brieven --help` loads no numpy (the CLI's start-up)

    bits = np.unpackbits(np.array(hashes, np.uint64).view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    owner = np.array(owners)
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    sums = np.add.reduceat(bits.astype(np.int32), starts, axis=0)
    sizes = np.diff(np.r_[starts, len(owner)])
    values = np.packbits(sums * 2 > sizes[:, None], axis=1, bitorder="little").view(np.uint64).ravel()
    for n, value in zip(owner[starts].tolist(), values.tolist()):
        value = value or 1  # 0 means "none"
        out[n] = value - (1 << BITS) if value >= 1 << (BITS - 1) else value
    return out


def differing_bits(a: "np.ndarray | int", b: "np.ndarray | int") -> "np.ndarray":
    """How many bits two fingerprints (or arrays of them) differ in."""
    import numpy as np

    return np.bitwise_count(np.asarray(a, np.int64).view(np.uint64) ^ np.asarray(b, np.int64).view(np.uint64))
