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

import numpy as np
from whoosh import query as wq


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


def spread(letters: np.ndarray, mask: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per paragraph: does its letter have a paragraph in `mask`, and the best such score.
    `letters` numbers each paragraph's letter (IndexState.letters)."""
    docs = np.flatnonzero(mask)
    if not len(docs):
        return np.zeros(len(mask), bool), np.zeros(len(mask), np.float64)
    count = int(letters.max()) + 1 if len(letters) else 0
    best = np.zeros(count, np.float64)
    np.maximum.at(best, letters[docs], score[docs])
    has = np.zeros(count, bool)
    has[letters[docs]] = True
    return has[letters], best[letters]
