"""One request evaluated once over one snapshot: which paragraphs match, and in which order.

The search page takes the first page of that order, the export and the feed take all of it,
so every route evaluates a query once, however many hits it shows. Everything here works
within the request's Budget (indexer/searching/budget.py): DeadlinePassed stops it.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from indexer.searching import query as ql
from indexer.searching.bm25 import BM25
from indexer.searching.budget import Budget
from indexer.searching.compiler import Compiler
from indexer.searching.engine import Evaluation
from indexer.searching.feedback import with_feedback
from indexer.searching.index_state import IndexState, TermFilter
from indexer.searching.request import Sort
from indexer.searching.snippets import Marks
from indexer.searching.sparse import NO_DOCS
from indexer.store import Snapshot

HIGHLIGHT_FIELDS = ("text", "section")  # a match in either marks the word in the paragraph
NOTHING_SEARCHABLE = ("De zoekvraag bevat alleen woorden die niet gezocht worden (zoals ‘de’, "
                      "‘het’ en ‘van’); er is daarom niets gevonden.")


@dataclass
class Found:
    snapshot: Snapshot
    state: IndexState
    evaluation: Evaluation
    ranked: wq.Query | None  # the query with its ranking bonuses (None: no words)
    positives: list  # the parts of the query whose words are marked
    hits: np.ndarray  # the numbers of the matching paragraphs, ascending
    unfiltered: np.ndarray  # the same, before the filters: what the query matches
    filters: ql.Filters
    terms: list[TermFilter]  # the filters on terms (ministry, dossier)

    @property
    def total(self) -> int:
        return len(self.hits)

    @property
    def total_letters(self) -> int:
        """How many letters the matching paragraphs belong to."""
        return self.state.count_letters(self.snapshot, self.hits)

    def without_year(self) -> np.ndarray:
        """What the query and its other filters match, whatever the year (paragraph numbers,
        ascending): a year facet from which another year can be chosen."""
        if self.filters.year is None:
            return self.hits
        everything = self.unfiltered is self.state.live_docs
        allowed = self.state.filter(dataclasses.replace(self.filters, year=None), self.terms,
                                    None if everything else self.unfiltered)
        return self.unfiltered if allowed is None else allowed

    def order(self, sort: Sort, k: int) -> list[tuple[int, float]]:
        """The first k matching (document number, score) in the order asked for; scores are 0
        when sorted by date."""
        if sort is Sort.RELEVANCE:
            return self.evaluation.top(self.ranked or wq.Every(), self.hits, k)
        newest = sort is Sort.DATE_DESC
        return [(n, 0.0) for n in self.state.by_date(self.snapshot, self.hits, k, newest_first=newest)]

    def highlight_terms(self) -> Marks:
        return self.evaluation.words(self.positives, HIGHLIGHT_FIELDS)


def find(snapshot: Snapshot, state: IndexState, parsed: ql.ParsedQuery, filters: ql.Filters,
         budget: Budget, bm25: BM25, notices: list[str], terms: list[TermFilter] = ()) -> Found:
    """Evaluate a parsed query with its filters: the matching paragraphs, and what ranks them.
    `terms`: the filters on a ministry or dossier, as terms of the index."""
    memo: dict = {}  # expansions shared by the ranked and the unranked form
    ranked, positives = Compiler(state.expander, snapshot, memo=memo, budget=budget).compile(parsed.node)
    evaluation = Evaluation(snapshot, bm25, budget, letters=lambda: state.letter_paragraphs(snapshot))
    evaluation.expect(ranked)  # its proximity's words: read with positions at the first reading
    if parsed.nothing_to_search or _empty_period(filters):
        unfiltered = NO_DOCS
    elif parsed.node is None:
        unfiltered = state.live_docs
    else:
        unranked, _ = Compiler(state.expander, snapshot, ranking=False, memo=memo,
                               budget=budget).compile(parsed.node)
        if unranked is None and not budget.too_short and not budget.left_out:
            notices.append(NOTHING_SEARCHABLE)
        unfiltered = evaluation.matches(unranked) if unranked else NO_DOCS
    # without words, the filters' paragraphs are read by themselves, not checked one by one
    allowed = state.filter(filters, terms, None if unfiltered is state.live_docs else unfiltered)
    hits = unfiltered if allowed is None else allowed
    if ranked is not None and len(hits):
        ranked = with_feedback(evaluation, snapshot, ranked, hits,
                               set(evaluation.words(positives, HIGHLIGHT_FIELDS).terms))
    return Found(snapshot, state, evaluation, ranked, positives, hits, unfiltered, filters, list(terms))


def _empty_period(filters: ql.Filters) -> bool:
    return bool(filters.date_from and filters.date_to and filters.date_from > filters.date_to)
