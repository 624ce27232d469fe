"""Phrases and proximity: do a paragraph's words stand within so many positions of each other?

Positions are decoded only for the candidate paragraphs a caller names (those with all the
words), since decoding is the costly part, and all of a chunk's at once (indexer/store/
positions.py). Where the words must stand in order (phrases) or are two, the test is a few array
operations over all candidates of a chunk; so is the proximity bonus of three or more words in
any order (spans grown word by word). Posting by posting and paragraph by paragraph, the
phrases of '"federale overheid"' (18,000 candidates and more, at 1,000,000 paragraphs) took 335
of the search's 753 ms (profiled), now 43. What is left (three or more words in order with no
distance asked, or an absurd slop) goes through `spans_meet`, which is the definition.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

import numpy as np

from indexer.searching.budget import CHECK_EVERY
from indexer.store import Snapshot, TermPositions

# Positions of the n-th candidate of a chunk become n * _STRIDE + position: one sorted array of
# keys per word, in which a search for "position p +- d" cannot reach another paragraph.
_STRIDE = 1 << 40
_MAX_SLOP = 1 << 30  # wider slops (never asked for in practice) are tested by spans_meet
# candidates decoded and tested together: a few ms of work between two looks at the deadline
# (decoding costs some 50 microseconds a word and chunk, and 0.15 more a posting; spans_meet,
# where it is still used, a few microseconds a candidate)
CHUNK = 8 * CHECK_EVERY


def near_candidates(snapshot: Snapshot, field: str, words: list[str], candidates: np.ndarray,
                    slop: int, ordered: bool, mindist: int,
                    check: Callable[[], None] = lambda: None) -> np.ndarray:
    """For each candidate (document numbers, ascending, that have every word): do the words
    stand within `slop` positions (a phrase: slop 1, ordered)? Candidates are decoded a chunk at
    a time, with `check` (the search's deadline) between."""
    mask = np.zeros(len(candidates), bool)
    for start in range(0, len(candidates), CHUNK):
        check()
        chunk = candidates[start:start + CHUNK]
        decoded = {w: snapshot.positions(field, w, chunk) for w in dict.fromkeys(words)}
        mask[start:start + len(chunk)] = words_meet([decoded[w] for w in words], len(chunk),
                                                    slop, ordered, mindist)
    return mask


def words_meet(found: list[TermPositions], n: int, slop: int, ordered: bool, mindist: int) -> np.ndarray:
    """For each of n paragraphs (the words' positions in them, in the words' order): does
    `spans_meet` hold? In arrays where the spans reduce to positions: words in order, at least
    `mindist` apart (the span so far then only ends where its last word stands), or two words."""
    if len(found) == 1:
        return found[0].counts > 0
    if slop <= _MAX_SLOP and not ordered and len(found) > 2:
        return _spans_grow(found, n, slop, mindist)
    if slop > _MAX_SLOP or not (ordered and mindist >= 1 or len(found) == 2):
        return np.array([spans_meet(list(ps), slop, ordered, mindist)
                         for ps in zip(*(f.lists() for f in found))], bool)
    ends = _keys(found[0])
    for following in found[1:]:
        keys = _keys(following)
        # a position p of the next word grows a span that ends at q when q lies in
        # p - slop .. p - mindist (and, in any order, p + mindist .. p + slop)
        grows = _any_within(ends, keys - slop, keys - mindist)
        if not ordered:
            grows |= _any_within(ends, keys + mindist, keys + slop)
        ends = keys[grows]
    mask = np.zeros(n, bool)
    mask[ends // _STRIDE] = True
    return mask


def _spans_grow(found: list[TermPositions], n: int, slop: int, mindist: int) -> np.ndarray:
    """`spans_meet` in any order, for all paragraphs at once: the spans so far as arrays of
    their first and last keys, grown by each next word's positions that lie mindist..slop from
    them (inside a span is 0 from it), and made distinct after each word, as `spans_meet`'s set.
    The proximity bonus of three or more words (`tijdelijke werkloosheid corona`) took 11-13 ms
    at 1,000,000 paragraphs paragraph by paragraph."""
    first = last = _keys(found[0])
    for following in found[1:]:
        keys = _keys(following)
        if mindist <= 0:
            ranges = [(first - slop, last + slop)]
        else:  # before the span or after it
            ranges = [(first - slop, first - mindist), (last + mindist, last + slop)]
        firsts, lasts = [], []
        for low, high in ranges:
            begin = np.searchsorted(keys, low, "left")
            counts = np.maximum(np.searchsorted(keys, high, "right") - begin, 0)
            span = np.repeat(np.arange(len(first)), counts)
            offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            where = keys[np.repeat(begin, counts) + offsets]
            firsts.append(np.minimum(first[span], where))
            lasts.append(np.maximum(last[span], where))
        spans = np.unique(np.stack([np.concatenate(firsts), np.concatenate(lasts)], axis=1), axis=0)
        first, last = spans[:, 0], spans[:, 1]
        if not len(first):
            break
    mask = np.zeros(n, bool)
    mask[first // _STRIDE] = True
    return mask


def _keys(positions: TermPositions) -> np.ndarray:
    return positions.rows() * _STRIDE + positions.values


def _any_within(sorted_keys: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """For each low[i]..high[i] (inclusive): does a key lie within?"""
    return np.searchsorted(sorted_keys, high, "right") > np.searchsorted(sorted_keys, low, "left")


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
