"""Phrases and proximity: do a paragraph's words stand within so many positions of each other?

Positions are decoded only for the candidate paragraphs a caller names (those with all the
words), since decoding is the costly part.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

import numpy as np

from indexer.searching.budget import CHECK_EVERY
from indexer.store import Snapshot


def near_candidates(snapshot: Snapshot, field: str, words: list[str], candidates: np.ndarray,
                    slop: int, ordered: bool, mindist: int,
                    check: Callable[[], None] = lambda: None) -> np.ndarray:
    """For each candidate (document numbers, ascending, that have every word): do the words
    stand within `slop` positions (a phrase: slop 1, ordered)? Candidates are decoded a chunk at
    a time, with `check` (the search's deadline) between."""
    mask = np.zeros(len(candidates), bool)
    for start in range(0, len(candidates), CHECK_EVERY):
        check()
        chunk = candidates[start:start + CHECK_EVERY]
        columns = [snapshot.positions(field, w, chunk) for w in words]
        for n in range(len(chunk)):
            if spans_meet([col[n] for col in columns], slop, ordered, mindist):
                mask[start + n] = True
    return mask


def spans_meet(positions: list[list[int]], slop: int, ordered: bool, mindist: int) -> bool:
    """Whoosh's SpanNear2 test: grow spans word by word; each next word must lie within
    mindist..slop positions of the span so far (after it, when ordered)."""
    spans = [(p, p) for p in positions[0]]
    for following in positions[1:]:
        if not spans:
            return False
        grown = set()
        for start, end in spans:
            j = bisect_left(following, start if ordered else max(0, start - slop))
            while j < len(following):
                p = following[j]
                j += 1
                if p < start - slop or (ordered and start > p):
                    continue
                if p > end + slop:
                    break
                distance = 0 if start <= p <= end else (p - end if p > end else start - p)
                if mindist <= distance <= slop:
                    grown.add((min(start, p), max(end, p)))
        spans = sorted(grown)
    return bool(spans)
