"""Near-identical hits shown as one: "+4 vergelijkbare".

The same question put to five ministers, or a standard answer repeated, would fill a page with
one thing said five times. Each paragraph has a fingerprint (indexer/analysis/fingerprint.py);
reading the hits in their order, a hit whose fingerprint differs in at most SIMILAR_BITS bits
from one already shown is not shown itself: it is counted under that one. Results per letter
do the same with each letter's best paragraph. `SearchRequest.similar` shows them all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from indexer.analysis import differing_bits

# SimHashes of two paragraphs' distinct words differ in about 64 * angle / pi bits: one word of
# 40 changed moves about 5 of the 64 bits, two words about 7, while different paragraphs on the
# same subject differ in 20 to 30 (unrelated ones in 32, give or take 4). At most 8 bits is a
# cosine similarity of about 0.92 between the two paragraphs' words.
SIMILAR_BITS = 8


@dataclass
class Shown:
    docnum: int
    score: float
    hidden: list[int]  # the near-identical hits read after it and not shown


def distinct(ranked: list[tuple[int, float]], prints: np.ndarray, wanted: int,
             key: Callable[[int], int] = lambda docnum: docnum) -> tuple[list[Shown], bool]:
    """The first `wanted` hits of `ranked` that are not near-identical to an earlier one, each
    with the hits it stands for; and whether `ranked` ran out before `wanted` were found.
    `key` names what a hit is (its paragraph, or its letter when hits are letters)."""
    shown: list[Shown] = []
    kept_prints: list[int] = []
    for docnum, score in ranked:
        fp = int(prints[docnum])
        if fp and kept_prints:
            kept = np.array(kept_prints, np.int64)
            near = np.flatnonzero((kept != 0) & (differing_bits(kept, fp) <= SIMILAR_BITS))
            if len(near):
                shown[int(near[0])].hidden.append(key(docnum))
                continue
        if len(shown) == wanted:
            return shown, False
        shown.append(Shown(docnum, score, []))
        kept_prints.append(fp)  # 0: none, never near anything
    return shown, True


def ranked_distinct(order: Callable[[int], list[tuple[int, float]]], prints: np.ndarray, wanted: int,
                    total: int, key: Callable[[int], int] = lambda docnum: docnum) -> list[Shown]:
    """`distinct` over the first hits of an order (`order(k)`: the first k), reading more of
    it while too few distinct hits have appeared."""
    k = min(total, max(2 * wanted, 30))
    while True:
        shown, ran_out = distinct(order(k), prints, wanted, key)
        if not ran_out or k >= total:
            return shown
        k = min(total, k * 4)


def similar_count(prints: np.ndarray, hits: np.ndarray, docnum: int,
                  key: np.ndarray | None = None) -> int:
    """How many other hits (paragraph numbers) are near-identical to `docnum` (distinct keys:
    letters when `key` numbers each paragraph's letter)."""
    fp = int(prints[docnum])
    if not fp:
        return 0
    docs = hits[prints[hits] != 0]
    near = docs[differing_bits(prints[docs], fp) <= SIMILAR_BITS]
    if key is None:
        return int(len(near)) - 1
    return len(set(key[near].tolist()) - {int(key[docnum])})
