"""Results per letter: each letter once, ranked by its best paragraph, with its best paragraphs.

Everything comes from the one evaluation of the request (matching.Found): the paragraph ranking
read in order until enough distinct letters have appeared (a letter's place is that of its best
paragraph), then one ranking of the paragraphs of the page's letters, cut per letter.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from indexer.searching.matching import Found
from indexer.searching.request import Sort
from indexer.searching.similar import distinct, similar_count
from indexer.searching.sparse import common

HITS_PER_LETTER = 3  # the best paragraphs shown under a letter
FIRST_LOOK = 3  # paragraphs ranked per letter wanted, at first: most letters have few hits


@dataclass
class LetterRanking:
    letter: int  # the letter's number in IndexState.letters
    matching: int  # its matching paragraphs
    best: list[tuple[int, float]]  # (document number, score) of its best paragraphs, best first
    similar: int = 0  # other letters whose best paragraph is near-identical (searching/similar.py)


def letter_page(found: Found, sort: Sort, page: int, page_size: int,
                collapse: bool = False) -> list[LetterRanking]:
    """The letters of page `page` (`page_size` letters a page), each with its best paragraphs.
    `collapse`: a letter whose first paragraph in the order is near-identical to that of
    a letter before it is not listed, but counted under that letter."""
    letters = found.state.letters(found.snapshot)
    prints = found.snapshot.numeric_column("fingerprint") if collapse else None
    order = _letters_in_order(found, letters, sort, page * page_size, prints)
    shown = [letter for letter, _ in order[(page - 1) * page_size:]]
    firsts = dict(order[(page - 1) * page_size:])
    if not shown:
        return []
    # the page's letters' paragraphs, each looked up among the hits (not every hit's letter
    # checked against the page: at 1,000,000 paragraphs a common word has 250,000 hits)
    paragraphs, _ = found.state.letter_paragraphs(found.snapshot).paragraphs(np.array(sorted(shown), np.int64))
    within = common(paragraphs, found.hits)
    count = len(within)
    # the page's paragraphs by relevance whatever the sort: a letter's best come first
    ranked = found.evaluation.top(found.ranked or wq.Every(), within, count)
    best: dict[int, list[tuple[int, float]]] = {letter: [] for letter in shown}
    for docnum, score in ranked:
        kept = best[int(letters[docnum])]
        if len(kept) < HITS_PER_LETTER:
            kept.append((docnum, 0.0 if sort is not Sort.RELEVANCE else score))
    counts = np.bincount(letters[within], minlength=max(shown) + 1)
    return [LetterRanking(letter, int(counts[letter]), best[letter],
                          0 if prints is None else similar_count(prints, found.hits, firsts[letter], letters))
            for letter in shown]


def _letters_in_order(found: Found, letters: np.ndarray, sort: Sort, wanted: int,
                      prints: np.ndarray | None = None) -> list[tuple[int, int]]:
    """The first `wanted` letters in the order asked, each with its first paragraph: the order
    of their first paragraph in the paragraph order (with `prints`, letters near-identical to
    one before them left out). Ranks more paragraphs only while too few letters have appeared."""
    total = found.total
    k = min(total, max(wanted * FIRST_LOOK, 30))
    while True:
        ranked = found.order(sort, k)
        first: dict[int, tuple[int, float]] = {}
        for docnum, score in ranked:
            first.setdefault(int(letters[docnum]), (docnum, score))
        if prints is None:
            seen = [(letter, docnum) for letter, (docnum, _) in first.items()]
            enough = len(seen) >= wanted
        else:
            kept, ran_out = distinct(list(first.values()), prints, wanted, lambda d: int(letters[d]))
            seen, enough = [(int(letters[s.docnum]), s.docnum) for s in kept], not ran_out
        if enough or k >= total:
            return seen[:wanted]
        k = min(total, k * 4)
