"""What a letter as a whole says speaks for each of its paragraphs: its title (subject line).

A letter's title names what the letter is about. A word of the query in the title is good
evidence for every paragraph of that letter that has a query word itself, but it must not make
a paragraph match that has none (a title word on every paragraph would: the README's ablation
of the title as a field of each paragraph). So the title is indexed once per letter (the
`subject` field, on its first paragraph), scored as any field, and its score is then spread
to every paragraph of the letter as a bonus: `LetterWide` in a query tree means "the child's
best score among the letter's paragraphs, given to each of them"; the compiler only ever puts
it where it adds to a paragraph that matches on its own (an AndMaybe).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from indexer.searching.sparse import Hits


class LetterWide(wq.WrappingQuery):
    """The child's score, evaluated per paragraph, spread to every paragraph of its letter (the
    highest of the letter's paragraphs), times `boost`. Matches where the letter does."""

    def __init__(self, child: wq.Query, boost: float = 1.0):
        super().__init__(child)
        self.boost = boost

    def _rewrap(self, child):
        return LetterWide(child, self.boost)

    def __eq__(self, other) -> bool:
        return type(other) is LetterWide and self.child == other.child and self.boost == other.boost

    def __hash__(self) -> int:
        return hash(("LetterWide", self.child, self.boost))

    def __repr__(self) -> str:
        return f"LetterWide({self.child!r}, boost={self.boost})"


@dataclass(frozen=True)
class LetterParagraphs:
    """Each paragraph's letter (numbers 0, 1, ...; IndexState.letters), and each letter's
    paragraphs, so that spreading a score to the letters of a few paragraphs reads only those
    letters' paragraphs, never all of the archive's."""

    of: np.ndarray  # int64, each paragraph's letter number
    order: np.ndarray | None  # the paragraphs by letter (None: numbered letter by letter already)
    starts: np.ndarray  # where each letter's paragraphs begin in that order, and where the last ends

    @classmethod
    def from_numbers(cls, of: np.ndarray) -> LetterParagraphs:
        in_order = not len(of) or bool(np.all(of[1:] >= of[:-1]))
        order = None if in_order else np.argsort(of, kind="stable")
        count = int(of.max()) + 1 if len(of) else 0
        starts = np.zeros(count + 1, np.int64)
        np.cumsum(np.bincount(of, minlength=count), out=starts[1:])
        return cls(of, order, starts)

    def paragraphs(self, letters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The paragraphs of these letters (distinct numbers, ascending), ascending, and for
        each the place of its letter in `letters`."""
        begin = self.starts[letters]
        lengths = self.starts[letters + 1] - begin
        total = int(lengths.sum())
        rows = np.repeat(begin - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
        which = np.repeat(np.arange(len(letters)), lengths)
        if self.order is None:
            return rows, which
        docs = self.order[rows]
        ascending = np.argsort(docs, kind="stable")
        return docs[ascending], which[ascending]


def spread(letters: LetterParagraphs, child: Hits) -> Hits:
    """Every paragraph of each letter with a paragraph in `child`, scored with the best score
    of `child` in that letter (at least 0)."""
    if not len(child):
        return child
    found, inverse = np.unique(letters.of[child.docs], return_inverse=True)
    best = np.zeros(len(found), np.float64)
    np.maximum.at(best, inverse, child.scores)
    docs, which = letters.paragraphs(found)
    return Hits(docs, best[which])
