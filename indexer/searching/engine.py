"""Scores a compiled query over every paragraph at once, on postings held as arrays.

Whoosh's matchers score one paragraph at a time in Python: at 100,000 paragraphs three common
words (19,500 hits) took about half a second. Here a query (the Whoosh query tree the compiler
builds, used as plain data) becomes a few array operations over all paragraphs of a snapshot
of the index, with the scores Whoosh's BM25F would give (tests/searching/test_engine.py compares
the two). The steps have modules of their own: a term's scores (`bm25`), phrases and proximity
(`proximity`), the top k (`ranking`); this one walks the tree and combines them.

Positions are decoded only where they decide something: a phrase, for every paragraph that has
all its words; the proximity bonus (an unordered `SpanNear2`), only for the paragraphs that
could still reach the page being asked for.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.support.levenshtein import distance

from indexer.searching.bm25 import BM25
from indexer.searching.budget import Budget
from indexer.searching.letter_evidence import LetterWide, spread
from indexer.searching.proximity import near_mask
from indexer.searching.ranking import best_first, refine
from indexer.searching.snippets import Marks
from indexer.store import Snapshot


# fields whose terms count less where they are only a compound's modifier, and the field that
# counts those occurrences (indexer/store/schema.py)
MODIFIERS = {"text": "modifiers"}


class Proximity(enum.Enum):
    """How a pass treats proximity (`SpanNear2`) nodes."""

    NOWHERE = "nowhere"  # as matching nowhere: a lower bound of every score
    EVERYWHERE = "everywhere"  # as matching wherever all their words are: an upper bound
    EXACT = "exact"  # as they are (within a mask of paragraphs, when one is given)


@dataclass
class Matches:
    mask: np.ndarray  # bool, one per paragraph (document number)
    score: np.ndarray  # float64, 0 where mask is False


class Evaluation:
    """One search's evaluation over one snapshot. Parts are computed once: a term's scores, and
    every part without proximity, remembered by the query itself (Whoosh queries compare by
    structure), so the unranked and the ranked form of a query, and the passes of `top`, share
    them. Handles the queries indexer/searching/compiler.py builds: terms, phrases,
    And/Or/AndMaybe/AndNot, constant scores, prefixes and fuzzy terms as their expansions,
    proximity."""

    def __init__(self, snapshot: Snapshot, bm25: BM25 = BM25(), budget: Budget | None = None,
                 letters: Callable[[], np.ndarray] | None = None):
        self.snapshot = snapshot
        # each paragraph's letter number (IndexState.letters), for what a letter says as a
        # whole (LetterWide); without it such a part scores its own paragraph only
        self.letters = letters
        self.bm25 = bm25
        # its deadline is checked at every node and term, and in the loops over paragraphs
        self.budget = budget if budget is not None else Budget()
        self.size = snapshot.size
        self._terms: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._parts: dict = {}
        self._expansions: dict = {}

    def matches(self, q) -> np.ndarray:
        """The live paragraphs the query matches (a boolean mask)."""
        return self._eval(q, Proximity.EXACT).mask & self.snapshot.live

    def scores(self, q, proximity: Proximity = Proximity.EXACT,
               restrict: np.ndarray | None = None) -> np.ndarray:
        """Every paragraph's score (0 where it does not match); with `restrict`, proximity is
        worked out only for the paragraphs in that mask."""
        return self._eval(q, proximity, restrict).score

    def top(self, q, within: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best (document number, score) among the paragraphs in `within`, best first,
        ties in document order; proximity is decided only where it can change the top k."""
        docs = np.flatnonzero(within)
        if not len(docs) or k <= 0:
            return []
        if not has_proximity(q):
            return best_first(docs, self.scores(q)[docs], k)
        low = self.scores(q, Proximity.NOWHERE)[docs]
        high = self.scores(q, Proximity.EVERYWHERE)[docs]
        exact = lambda restrict: self.scores(q, Proximity.EXACT, restrict)  # noqa: E731
        return best_first(docs, refine(docs, low, high, k, exact, self.size), k)

    def term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's paragraphs and their BM25F scores (before the query's boost), once per search."""
        key = (field, text)
        found = self._terms.get(key)
        if found is None:
            self.budget.check()
            modifiers = MODIFIERS.get(field)
            found = self._terms[key] = self.bm25.scores(self.snapshot, field, _str(text), modifiers)
        return found

    # -- the query tree ---------------------------------------------------------------------
    def _eval(self, q, proximity: Proximity, restrict: np.ndarray | None = None) -> Matches:
        self.budget.check()
        if type(q) is wq.Term:
            return _boosted(self._dense(*self.term(q.fieldname, q.text)), q.boost)
        if has_proximity(q):
            return self._node(q, proximity, restrict)
        found = self._parts.get(q)
        if found is None:
            found = self._parts[q] = self._node(q, proximity, restrict)
        return found

    def _node(self, q, proximity: Proximity, restrict) -> Matches:
        kind = type(q)
        children = lambda *qs: [self._eval(c, proximity, restrict) for c in qs]  # noqa: E731
        if kind in (wq.Or, wq.And) and len(q.subqueries) == 1:
            return children(q.subqueries[0])[0]  # Whoosh drops the boost of a lone child
        if kind is wq.Or:
            return _boosted(self._union(q.subqueries, proximity, restrict), q.boost)
        if kind is wq.And:
            return _boosted(_intersection(children(*q.subqueries), self.size), q.boost)
        if kind is wq.AndMaybe:
            a, b = children(q.a, q.b)
            return _boosted(Matches(a.mask, a.score + b.score * a.mask), q.boost)
        if kind is wq.AndNot:  # b only excludes: bounds on its score would turn around
            a, b = children(q.a)[0], self._eval(q.b, Proximity.EXACT)
            mask = a.mask & ~b.mask
            return _boosted(Matches(mask, a.score * mask), q.boost)
        if kind is wq.ConstantScoreQuery:
            child = children(q.child)[0]
            return Matches(child.mask, child.mask * float(q.score))
        if kind is wq.Phrase:
            return self._near(q.fieldname, q.words, q.slop, True, 1, q.boost, Proximity.EXACT, None)
        if kind is wq.SpanNear2 and _plain_terms(q.qs):
            return self._near(q.qs[0].fieldname, [c.text for c in q.qs], q.slop, q.ordered,
                              q.mindist, 1.0, proximity, restrict)
        if kind is wq.Every and q.fieldname in (None, "", "*"):
            live = self.snapshot.live
            return Matches(live.copy(), live * float(q.boost))
        if q is wq.NullQuery:
            return _nothing(self.size)
        if kind is LetterWide:
            child = children(q.child)[0]
            if self.letters is not None:
                child = Matches(*spread(self.letters(), child.mask, child.score))
            return _boosted(child, q.boost)
        if isinstance(q, wq.MultiTerm):  # prefix, fuzzy: an Or of the words they expand to
            words = [wq.Term(q.field(), w) for w in self.expand(q)]
            return _boosted(self._union(words, proximity, restrict), q.boost if len(words) > 1 else 1.0)
        raise TypeError(f"the engine cannot evaluate {q!r}")

    def _union(self, queries, proximity: Proximity, restrict) -> Matches:
        """Sum of scores where any matches. Plain terms (most of a query: prefix expansions,
        headings, synonyms) are added in one pass from their postings, never spread out alone."""
        size = self.size
        docs, scores, dense = [], [], []
        for c in queries:
            if type(c) is wq.Term:
                d, s = self.term(c.fieldname, c.text)
                docs.append(d)
                scores.append(s * c.boost if c.boost != 1.0 else s)
            else:
                dense.append(self._eval(c, proximity, restrict))
        mask = np.zeros(size, bool)
        score = np.zeros(size, np.float64)
        if docs:
            all_docs = np.concatenate(docs)
            mask[all_docs] = True
            score += np.bincount(all_docs, weights=np.concatenate(scores), minlength=size)
        for m in dense:
            mask |= m.mask
            score += m.score
        return Matches(mask, score)

    def _dense(self, docs: np.ndarray, scores: np.ndarray) -> Matches:
        mask = np.zeros(self.size, bool)
        score = np.zeros(self.size, np.float64)
        mask[docs] = True
        score[docs] = scores
        return Matches(mask, score)

    def _near(self, field: str, words, slop: int, ordered: bool, mindist: int, boost: float,
              proximity: Proximity, restrict) -> Matches:
        """Paragraphs with the words within `slop` positions (a phrase: in order, adjacent);
        scored as the sum of the words' scores, as Whoosh's span queries do."""
        if not words or proximity is Proximity.NOWHERE:
            return _nothing(self.size)
        if not self.snapshot.has_positions(field):
            raise ValueError(f"{field!r} has no positions: no phrases or proximity in it")
        words = [_str(w) for w in words]
        parts = [self.term(field, w) for w in words]
        if any(not len(docs) for docs, _ in parts):
            return _nothing(self.size)
        together = _intersection([self._dense(*p) for p in parts], self.size)
        if proximity is Proximity.EVERYWHERE:
            return _boosted(together, boost)
        within = together.mask if restrict is None else together.mask & restrict
        mask = near_mask(self.snapshot, field, words, np.flatnonzero(within), slop, ordered, mindist,
                         self.budget.check)
        return _boosted(Matches(mask, together.score * mask), boost)

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


def _str(word) -> str:
    return word.decode("utf-8") if isinstance(word, bytes) else str(word)


def _boosted(m: Matches, boost: float) -> Matches:
    return m if boost == 1.0 else Matches(m.mask, m.score * boost)


def _plain_terms(qs) -> bool:
    return all(type(c) is wq.Term and c.boost == 1.0 for c in qs) and len({c.fieldname for c in qs}) == 1


def _nothing(size: int) -> Matches:
    return Matches(np.zeros(size, bool), np.zeros(size, np.float64))


def _intersection(parts: list[Matches], size: int) -> Matches:
    if not parts:
        return _nothing(size)
    mask = parts[0].mask.copy()
    score = parts[0].score.copy()
    for p in parts[1:]:
        mask &= p.mask
        score += p.score
    return Matches(mask, score * mask)
