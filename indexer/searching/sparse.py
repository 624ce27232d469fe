"""Sets of paragraphs with scores, as the paragraphs that are in them: the engine's arithmetic.

A part of a query matches a few paragraphs of the archive. Kept as a mask and a score per
paragraph of the archive, every part of every search cost arrays of the archive's size (at
300,000 paragraphs 13-16 ms of CPU and up to 37 MB a search, growing with the archive). Kept
as its paragraphs' numbers (ascending) with their scores, a part costs what its postings do.

Scores are added in the order the dense arrays added them (the first part's score, then the
next one's, ...), so that sums come out the same to the last bit and ties stay ties.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
# numpy 2's np.unique looks at np.ma, a module numpy imports on first use: 13-26 ms, which the
# first search using np.unique in each server worker paid. Imported with the search modules, it
# is loaded once, before the workers are forked.
import numpy.ma  # noqa: F401,E402

NO_DOCS = np.zeros(0, np.int64)


@dataclass
class Hits:
    """Paragraphs (document numbers, ascending, distinct) and their scores, aligned."""

    docs: np.ndarray  # int64
    scores: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.docs)

    def boosted(self, boost: float) -> Hits:
        return self if boost == 1.0 else Hits(self.docs, self.scores * boost)

    def at(self, docs: np.ndarray) -> np.ndarray:
        """The scores of these paragraphs (ascending numbers), 0 where they are not in the set.
        Each of the shorter is looked up in the longer (when the paragraphs asked for are
        distinct); the set's own paragraphs (a query's scores at its hits) are only compared."""
        if len(docs) == len(self.docs) and np.array_equal(docs, self.docs):
            return self.scores.copy()
        out = np.zeros(len(docs), np.float64)
        if len(self.docs) < len(docs) and (docs[1:] > docs[:-1]).all():
            where, found = locate(docs, self.docs)
            out[where[found]] = self.scores[found]
        else:
            where, found = locate(self.docs, docs)
            out[found] = self.scores[where[found]]
        return out


def nothing() -> Hits:
    return Hits(NO_DOCS, np.zeros(0, np.float64))


def hits(docs: np.ndarray, scores: np.ndarray) -> Hits:
    """A term's postings (ascending document numbers) as a set."""
    return Hits(docs.astype(np.int64, copy=False), scores.astype(np.float64, copy=False))


def union(parts: list[Hits]) -> Hits:
    """Every paragraph in any part, its scores summed in the order of the parts."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return nothing()
    if len(parts) == 1:
        return parts[0]
    docs, inverse = _distinct(np.concatenate([p.docs for p in parts]))
    scores = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]), minlength=len(docs))
    return Hits(docs, scores)


def _distinct(joined: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct numbers of `joined` (ascending), and where each of `joined` is among them:
    np.unique(return_inverse=True), but with a stable sort, which finds the ascending runs the
    parts are made of (np.unique's quicksort sorts from scratch: at 1,000,000 paragraphs five
    common words' 1,000,000 numbers took 75 instead of 39 ms). The sums do not depend on it:
    bincount adds in the order of `joined`."""
    order = np.argsort(joined, kind="stable")
    ordered = joined[order]
    first = np.empty(len(ordered), bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(len(ordered), np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def intersection(parts: list[Hits]) -> Hits:
    """The paragraphs in every part, their scores summed in the order of the parts. The
    smallest part is narrowed by the others, so the cost follows it."""
    if not parts or any(not len(p) for p in parts):
        return nothing()
    docs = parts[0].docs
    for p in sorted(parts[1:], key=len):
        docs = common(docs, p.docs)
    scores = np.zeros(len(docs), np.float64)
    for p in parts:
        scores += p.scores[np.searchsorted(p.docs, docs)]
    return Hits(docs, scores)


def and_not(a: Hits, excluded: np.ndarray) -> Hits:
    """The paragraphs of `a` not among `excluded` (ascending numbers), scores kept."""
    _, found = locate(excluded, a.docs)
    keep = ~found
    return Hits(a.docs[keep], a.scores[keep])


def and_maybe(a: Hits, b: Hits) -> Hits:
    """The paragraphs of `a`, with `b`'s score added where `b` has them too."""
    if not len(b) or not len(a):
        return a
    return Hits(a.docs, a.scores + b.at(a.docs))


def within(a: Hits, docs: np.ndarray | None) -> Hits:
    """The paragraphs of `a` that are among `docs` (ascending numbers; None: all of them), each
    of `docs` looked up in `a`: `docs` is the short one (a few paragraphs still to be scored)."""
    if docs is None or not len(a):
        return a
    where, found = locate(a.docs, docs)
    return Hits(docs[found], a.scores[where[found]])


def common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The numbers in both ascending arrays: each of the shorter looked up in the longer."""
    if len(a) > len(b):
        a, b = b, a
    _, found = locate(b, a)
    return a[found]


def live(docs: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """The paragraphs not deleted (`alive`: a flag per paragraph, read only at these)."""
    return docs[alive[docs]]


def locate(sorted_docs: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `docs` stands in `sorted_docs`, and whether it is there."""
    if not len(sorted_docs):
        return np.zeros(len(docs), np.intp), np.zeros(len(docs), bool)
    where = np.searchsorted(sorted_docs, docs)
    where[where == len(sorted_docs)] = 0
    return where, sorted_docs[where] == docs
