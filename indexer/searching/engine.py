"""Scores a compiled query on postings held as arrays, at the paragraphs the postings name.

Whoosh's matchers score one paragraph at a time in Python: at 100,000 paragraphs three common
words (19,500 hits) took about half a second. Here a query (the Whoosh query tree the compiler
builds, used as plain data) becomes a few array operations on the paragraphs each part matches
(`sparse.Hits`: their numbers and scores, so that a search costs what the postings it reads
do, not the archive's size), with the scores Whoosh's BM25F would give
(tests/searching/test_engine.py compares the two). The steps have modules of their own: a
term's scores (`bm25`), the set arithmetic (`sparse`), phrases and proximity (`proximity`), the
top k (`ranking`); this one walks the tree and combines them.

Positions are decoded only where they decide something: a phrase, for every paragraph that has
all its words; the proximity bonus (an unordered `SpanNear2`), only for the paragraphs that
could still reach the page being asked for.
"""
from __future__ import annotations

import enum
import functools
from collections.abc import Callable

import numpy as np
from whoosh import query as wq
from whoosh.support.levenshtein import distance

from indexer.searching import sparse
from indexer.searching.bm25 import BM25
from indexer.searching.budget import Budget
from indexer.searching.letter_evidence import LetterParagraphs, LetterWide, spread
from indexer.searching.proximity import near_candidates
from indexer.searching.ranking import best_first, refine
from indexer.searching.snippets import Marks
from indexer.searching.sparse import Hits
from indexer.store import Snapshot


# fields whose terms count less where they are only a compound's modifier, and the field that
# counts those occurrences (indexer/store/schema.py)
MODIFIERS = {"text": "modifiers"}


class Proximity(enum.Enum):
    """How a pass treats proximity (`SpanNear2`) nodes."""

    NOWHERE = "nowhere"  # as matching nowhere: a lower bound of every score
    EVERYWHERE = "everywhere"  # as matching wherever all their words are: an upper bound
    EXACT = "exact"  # as they are (within a set of paragraphs, when one is given)


class Evaluation:
    """One search's evaluation over one snapshot. Parts are computed once: a term's scores, and
    every part without proximity, remembered by the query itself (Whoosh queries compare by
    structure), so the unranked and the ranked form of a query, and the passes of `top`, share
    them. Handles the queries indexer/searching/compiler.py builds: terms, phrases,
    And/Or/AndMaybe/AndNot, constant scores, prefixes and fuzzy terms as their expansions,
    proximity."""

    def __init__(self, snapshot: Snapshot, bm25: BM25 = BM25(), budget: Budget | None = None,
                 letters: Callable[[], LetterParagraphs] | None = None):
        self.snapshot = snapshot
        # each paragraph's letter and each letter's paragraphs (IndexState.letter_paragraphs),
        # for what a letter says as a whole (LetterWide); without it such a part scores its
        # own paragraph only
        self.letters = letters
        self.bm25 = bm25
        # its deadline is checked at every node and term, and in the loops over paragraphs
        self.budget = budget if budget is not None else Budget()
        self._terms: dict[tuple, Hits] = {}
        self._positional: set[tuple[str, str]] = set()  # (field, word) of phrases and proximity
        self._parts: dict = {}
        # (field, words, slop, ordered, mindist) -> where the words meet (unboosted): the same
        # phrase recurs with other boosts (a compound's expansions in the ranked and unranked query)
        self._near_found: dict[tuple, Hits] = {}
        self._expansions: dict = {}

    def expect(self, *queries) -> None:
        """These queries will be evaluated: the words of their phrases and proximity parts
        are read with their positions from the start (asked for later, their postings would
        be read a second time)."""
        for q in queries:
            if q is not None:
                self._positional |= positional_words(q)

    def matches(self, q) -> np.ndarray:
        """The live paragraphs the query matches: their numbers, ascending."""
        self.expect(q)
        return sparse.live(self._eval(q, Proximity.EXACT).docs, self.snapshot.live)

    def scores(self, q, proximity: Proximity = Proximity.EXACT,
               restrict: np.ndarray | None = None) -> Hits:
        """The paragraphs the query matches with their scores (live ones, but for a letter's
        deleted paragraphs that a letter-wide part spreads to); with
        `restrict` (paragraph numbers, ascending), only those of them, each part's scores
        summed as they would be for all (the exact pass of `top` then costs what its few
        paragraphs do, not another pass over every paragraph that matches)."""
        return self._eval(q, proximity, restrict)

    def top(self, q, within: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best (document number, score) among the paragraphs `within` (numbers,
        ascending), best first, ties in document order; proximity is decided only where it can
        change the top k."""
        docs = within
        if not len(docs) or k <= 0:
            return []
        self.expect(q)
        if type(q) is wq.Every and q.fieldname in (None, "", "*"):  # no need to list them all
            return best_first(docs, np.full(len(docs), float(q.boost)), k)
        if not has_proximity(q):
            return best_first(docs, self.scores(q).at(docs), k)
        low = self.scores(q, Proximity.NOWHERE).at(docs)
        high = self._upper(q, docs, low)
        exact = lambda restrict: self.scores(q, Proximity.EXACT, restrict).at(restrict)  # noqa: E731
        return best_first(docs, refine(docs, low, high, k, exact), k)

    def _upper(self, q, docs: np.ndarray, low: np.ndarray) -> np.ndarray:
        """The scores of `docs` with every proximity part matching wherever its words are. Where
        every part above a proximity part scores a paragraph by that paragraph alone (all but
        LetterWide), they differ from `low` only at the paragraphs with all the words of one of
        them: only those are evaluated again (a second pass over every paragraph matching
        three common words cost 30 ms at 1,000,000)."""
        if not _per_paragraph(q):
            return self.scores(q, Proximity.EVERYWHERE).at(docs)
        touched = np.zeros(len(docs), bool)
        for near in _near_parts(q):
            together = self._together(near.qs[0].fieldname, [_str(c.text) for c in near.qs], None)
            where, inside = sparse.locate(docs, together.docs)
            touched[where[inside]] = True
        high = low.copy()
        some = docs[touched]
        high[touched] = self.scores(q, Proximity.EVERYWHERE, some).at(some)
        return high

    def term(self, field: str, text: str) -> Hits:
        """A term's live paragraphs and their BM25F scores (before the query's boost), once per
        search. Deleted paragraphs (a letter's old version, until a merge) are left out here,
        not at the end: the ranked query's paragraphs are then the hits themselves, and
        looking the hits up among them is a comparison, not a binary search of each (1-8 ms
        a common word at 1,000,000 paragraphs)."""
        key = (field, _str(text))
        found = self._terms.get(key)
        if found is None:
            self.budget.check()
            modifiers = MODIFIERS.get(field)
            docs, scores = self.bm25.scores(self.snapshot, field, _str(text), modifiers, key in self._positional)
            if self._deletions:
                alive = self.snapshot.live[docs]
                docs, scores = docs[alive], scores[alive]
            found = self._terms[key] = sparse.hits(docs, scores)
        return found

    @functools.cached_property
    def _deletions(self) -> bool:
        return not self.snapshot.live.all()

    # -- the query tree ---------------------------------------------------------------------
    def _eval(self, q, proximity: Proximity, restrict: np.ndarray | None = None) -> Hits:
        self.budget.check()
        if type(q) is wq.Term:
            return sparse.within(self.term(q.fieldname, q.text), restrict).boosted(q.boost)
        if has_proximity(q):
            return self._node(q, proximity, restrict)
        found = self._parts.get(q)
        if found is None:
            found = self._parts[q] = self._node(q, proximity, None)
        return sparse.within(found, restrict)

    def _node(self, q, proximity: Proximity, restrict) -> Hits:
        kind = type(q)
        children = lambda *qs: [self._eval(c, proximity, restrict) for c in qs]  # noqa: E731
        if kind in (wq.Or, wq.And) and len(q.subqueries) == 1:
            return children(q.subqueries[0])[0]  # Whoosh drops the boost of a lone child
        if kind is wq.Or:
            return self._union(q.subqueries, proximity, restrict).boosted(q.boost)
        if kind is wq.And:
            return sparse.intersection(children(*q.subqueries)).boosted(q.boost)
        if kind is wq.AndMaybe:
            return sparse.and_maybe(*children(q.a, q.b)).boosted(q.boost)
        if kind is wq.AndNot:  # b only excludes: bounds on its score would turn around
            a, b = children(q.a)[0], self._eval(q.b, Proximity.EXACT)
            return sparse.and_not(a, b.docs).boosted(q.boost)
        if kind is wq.ConstantScoreQuery:
            child = children(q.child)[0]
            return Hits(child.docs, np.full(len(child), float(q.score)))
        if kind is wq.Phrase:
            return self._near(q.fieldname, q.words, q.slop, True, 1, q.boost, Proximity.EXACT, None)
        if kind is wq.SpanNear2 and _plain_terms(q.qs):
            return self._near(q.qs[0].fieldname, [c.text for c in q.qs], q.slop, q.ordered,
                              q.mindist, 1.0, proximity, restrict)
        if kind is wq.Every and q.fieldname in (None, "", "*"):
            docs = np.flatnonzero(self.snapshot.live)
            return Hits(docs, np.full(len(docs), float(q.boost)))
        if q is wq.NullQuery:
            return sparse.nothing()
        if kind is LetterWide:  # a letter's paragraphs share its score: all of them, then restricted
            child = self._eval(q.child, proximity)
            if self.letters is not None:
                child = spread(self.letters(), child)
            return sparse.within(child, restrict).boosted(q.boost)
        if isinstance(q, wq.MultiTerm):  # prefix, fuzzy: an Or of the words they expand to
            words = [wq.Term(q.field(), w) for w in self.expand(q)]
            return self._union(words, proximity, restrict).boosted(q.boost if len(words) > 1 else 1.0)
        raise TypeError(f"the engine cannot evaluate {q!r}")

    def _union(self, queries, proximity: Proximity, restrict) -> Hits:
        """Sum of scores where any matches. Plain terms (most of a query: prefix expansions,
        headings, synonyms) are added first, straight from their postings, then the other
        parts in order: the order in which the scores were always summed."""
        terms = [self._eval(c, proximity, restrict) for c in queries if type(c) is wq.Term]
        others = [self._eval(c, proximity, restrict) for c in queries if type(c) is not wq.Term]
        return sparse.union(terms + others)

    def _near(self, field: str, words, slop: int, ordered: bool, mindist: int, boost: float,
              proximity: Proximity, restrict) -> Hits:
        """Paragraphs with the words within `slop` positions (a phrase: in order, adjacent);
        scored as the sum of the words' scores, as Whoosh's span queries do."""
        if not words or proximity is Proximity.NOWHERE:
            return sparse.nothing()
        if not self.snapshot.has_positions(field):
            raise ValueError(f"{field!r} has no positions: no phrases or proximity in it")
        words = [_str(w) for w in words]
        key = (field, tuple(words), slop, ordered, mindist)
        found = self._near_found.get(key) if proximity is Proximity.EXACT else None
        if found is not None:
            return sparse.within(found, restrict).boosted(boost)
        together = self._together(field, words, restrict)
        if proximity is Proximity.EVERYWHERE or not len(together):
            return together.boosted(boost)
        near = near_candidates(self.snapshot, field, words, together.docs, slop, ordered, mindist,
                               self.budget.check)
        found = Hits(together.docs[near], together.scores[near])
        if restrict is None:
            self._near_found[key] = found
        return found.boosted(boost)

    def _together(self, field: str, words: list[str], restrict) -> Hits:
        """The paragraphs (among `restrict`) with all the words, scored as their sum."""
        return sparse.intersection([sparse.within(self.term(field, w), restrict) for w in words])

    # -- expansions and highlighting --------------------------------------------------------
    def expand(self, q) -> list[str]:
        """The indexed words a prefix or fuzzy term stands for (looked up once per search:
        a fuzzy term compares the query word with every word sharing its first letter)."""
        if q not in self._expansions:
            field, text = q.field(), _str(q.text)
            if type(q) is wq.FuzzyTerm:
                self._expansions[q] = sorted(
                    w for w in self.snapshot.terms_starting(field, text[:q.prefixlength])
                    if abs(len(w) - len(text)) <= q.maxdist
                    and distance(w, text, limit=q.maxdist) <= q.maxdist)
            else:
                self._expansions[q] = sorted(self.snapshot.terms_starting(field, text))
        return self._expansions[q]

    def words(self, queries, fields: tuple[str, ...]) -> Marks:
        """The words of the queries in these fields, prefixes and fuzzy terms expanded, and
        their phrases (marked only where their words stand together): what to mark in the
        paragraphs shown."""
        terms: set[str] = set()
        phrases: set[tuple[str, ...]] = set()

        def walk(qs) -> None:
            for q in qs:
                kind = type(q)
                if kind is wq.Term:
                    if q.fieldname in fields:
                        terms.add(_str(q.text))
                elif kind is wq.Phrase:
                    if q.fieldname in fields:
                        words = tuple(_str(w) for w in q.words)
                        (phrases.add(words) if len(words) > 1 else terms.update(words))
                elif isinstance(q, wq.MultiTerm):
                    if q.field() in fields:
                        terms.update(self.expand(q))
                elif kind is wq.SpanNear2:
                    walk(q.qs)
                elif hasattr(q, "children"):
                    walk(list(q.children()))

        walk(queries)
        return Marks(frozenset(terms), frozenset(phrases))


def has_proximity(q) -> bool:
    if type(q) is wq.SpanNear2:
        return True
    return any(has_proximity(c) for c in q.children()) if hasattr(q, "children") else False


def positional_words(q) -> set[tuple[str, str]]:
    """(field, word) of every word of the query's phrases and proximity parts."""
    kind = type(q)
    if kind is wq.Phrase:
        return {(q.fieldname, _str(w)) for w in q.words}
    if kind is wq.SpanNear2 and _plain_terms(q.qs):
        return {(c.fieldname, _str(c.text)) for c in q.qs}
    found: set[tuple[str, str]] = set()
    for c in (q.children() if hasattr(q, "children") else ()):
        found |= positional_words(c)
    return found


def _near_parts(q) -> list:
    """The proximity parts (SpanNear2) of the query."""
    if type(q) is wq.SpanNear2:
        return [q]
    return [n for c in (q.children() if hasattr(q, "children") else ()) for n in _near_parts(c)]


def _per_paragraph(q) -> bool:
    """Does every part above a proximity part score a paragraph by that paragraph alone (and
    are the proximity parts ones the engine evaluates, on plain words)?"""
    if type(q) is wq.SpanNear2:
        return _plain_terms(q.qs)
    if not has_proximity(q):
        return True
    return type(q) is not LetterWide and all(_per_paragraph(c) for c in q.children())


def _str(word) -> str:
    return word.decode("utf-8") if isinstance(word, bytes) else str(word)


def _plain_terms(qs) -> bool:
    return all(type(c) is wq.Term and c.boost == 1.0 for c in qs) and len({c.fieldname for c in qs}) == 1
