"""Scores a compiled query over every paragraph at once, on postings held as arrays.

Whoosh's matchers score one paragraph at a time in Python: at 100,000 paragraphs three common
words (19,500 hits) took about half a second. Here each term's postings are read once per
segment into numpy arrays, and a query becomes a few array operations over all paragraphs,
with the scores Whoosh's BM25F would give (tests/test_engine.py compares the two). Whoosh stays
the index format and the reader; only the evaluation moves.

Positions are decoded only where they decide something: a phrase, for every paragraph that has
all its words; the proximity bonus (an unordered `SpanNear2`), only for the paragraphs that
could still reach the page being asked for.
"""
from __future__ import annotations

import math
import threading
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.support.levenshtein import distance
from whoosh.util.numeric import byte_to_length

POSTINGS_CACHE_BYTES = 96 * 2**20  # term postings kept across searches, all segments together
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)

# How a pass treats proximity (`SpanNear2`) nodes: as matching nowhere (a lower bound of every
# score), as matching wherever all their words are (an upper bound), or exactly.
NOWHERE, EVERYWHERE, EXACT = "nowhere", "everywhere", "exact"
ROUNDING = 9  # decimals to which scores are compared


@dataclass
class _Postings:
    """One term in one segment: its paragraphs, frequencies and, in a field with positions,
    each posting's encoded positions."""

    docs: np.ndarray  # int32, ascending, segment-local
    freqs: np.ndarray  # float32
    values: list | None = None  # encoded positions, one per posting (fields with positions)

    @property
    def cost(self) -> int:
        """Bytes, roughly (measured: within 1.4x); an entry costs ~600 bytes even when empty
        (a word one segment lacks is remembered too)."""
        return 600 + 8 * len(self.docs) + (64 * len(self.values) if self.values is not None else 0)


class PostingsCache:
    """Term postings per segment, shared by every index state of a service: a segment never
    changes once written (deletions are applied at search time), so adding a letter leaves
    the cached postings of the other segments valid. Least recently used terms go first."""

    def __init__(self, budget_bytes: int = POSTINGS_CACHE_BYTES):
        self.budget = budget_bytes
        self._items: OrderedDict[tuple, _Postings] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    def get(self, leaf, field: str, btext: bytes) -> _Postings:
        segment = leaf.segment()
        if segment is None:  # an empty index's reader: nothing to read or remember
            return _read_postings(leaf, field, btext)
        key = (segment.segment_id(), field, btext)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        postings = _read_postings(leaf, field, btext)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._used -= old.cost
            self._items[key] = postings
            self._used += postings.cost
            while self._used > self.budget and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._used -= dropped.cost
        return postings


def _read_postings(leaf, field: str, btext: bytes) -> _Postings:
    # Positions come in the same unpickled block as the ids: keeping them costs memory, not
    # time, and reading a common word again for a phrase would cost tens of milliseconds.
    values = leaf.schema[field].format.supports("positions")
    try:  # one lookup, not a membership test and then another
        m = _all_postings(leaf, field, btext)
    except TermNotFound:
        return _Postings(np.zeros(0, np.int32), np.zeros(0, np.float32), [] if values else None)
    ids: list = []
    freqs: list = []
    vals: list | None = [] if values else None
    if hasattr(m, "_read_data") and hasattr(m, "_next_block"):
        # Whoosh's own block format: one unpickled block of up to 128 postings at a time,
        # instead of a Python call per posting (what the matcher's id()/next() would cost).
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            freqs.extend(m._weights)
            if vals is not None:
                m._read_values()
                vals.extend(m._values)
            m._next_block()
    else:  # any other matcher (e.g. a term whose postings are inlined in the term info)
        while m.is_active():
            ids.append(m.id())
            freqs.append(m.weight())
            if vals is not None:
                vals.append(m.value())
            m.next()
    return _Postings(np.array(ids, np.int32), np.array(freqs, np.float32), vals)


def _all_postings(leaf, field: str, btext: bytes):
    """A matcher over every posting of the term, deleted paragraphs too: they are masked at
    search time, and Whoosh's statistics (idf) count them. `leaf.postings` would wrap it in a
    filter that has already skipped the leading deleted ones."""
    terms = getattr(leaf, "_terms", None)
    if terms is not None and hasattr(terms, "matcher"):
        return terms.matcher(field, btext, leaf.schema[field].format)
    m = leaf.postings(field, btext)
    if isinstance(m, FilterMatcher):
        raise NotImplementedError(f"cannot read the deleted postings of {type(leaf).__name__}")
    return m


@dataclass
class Matches:
    mask: np.ndarray  # bool, one per paragraph (document number)
    score: np.ndarray  # float64, 0 where mask is False


class Engine:
    """What evaluating queries needs from one index state (readers of the same segments and
    deletions): the live paragraphs and the field lengths, read once. Each search then gets an
    `evaluation` over the searcher it holds. Handles the queries indexer.compiler builds (terms,
    phrases, And/Or/AndMaybe/AndNot, constant scores, prefixes and fuzzy terms as their
    expansions, proximity); anything else falls back to Whoosh's own matchers."""

    def __init__(self, reader, cache: PostingsCache, B: float, K1: float):
        self.cache = cache
        self.B, self.K1 = B, K1
        self.size = reader.doc_count_all()
        self.live = np.ones(self.size, bool)
        for leaf, base in reader.leaf_readers():
            if leaf.has_deletions():
                self.live[np.fromiter(leaf.deleted_docs_set, np.int64) + base] = False
        self._lengths: dict[str, np.ndarray] = {}
        self._averages: dict[str, float] = {}
        self._lock = threading.Lock()

    def evaluation(self, searcher) -> Evaluation:
        """A fresh evaluation for one search (it remembers the parts it has computed)."""
        return Evaluation(self, searcher)

    # -- per field ------------------------------------------------------------------------
    def docs(self, reader, field: str, text) -> np.ndarray:
        """The live paragraphs with a term (for filters and facets: topics, years)."""
        btext = reader.schema[field].to_bytes(text)
        parts = [self.cache.get(leaf, field, btext).docs.astype(np.int64) + base
                 for leaf, base in reader.leaf_readers()]
        docs = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        return docs[self.live[docs]]

    def average_length(self, field: str, reader) -> float:
        with self._lock:
            found = self._averages.get(field)
        if found is None:
            found = (reader.field_length(field) / self.size if self.size else 0) or 1
            with self._lock:
                self._averages[field] = found
        return found

    def lengths(self, field: str, reader) -> np.ndarray:
        """Each paragraph's length in the field, as Whoosh stores it (one byte, lossy)."""
        with self._lock:
            found = self._lengths.get(field)
        if found is None:
            parts = [_leaf_lengths(leaf, field) for leaf, _ in reader.leaf_readers()]
            found = np.concatenate(parts) if parts else np.zeros(0)
            with self._lock:
                self._lengths[field] = found
        return found


def numeric_column(reader, field: str) -> np.ndarray:
    """A numeric column (e.g. each paragraph's day number) for all paragraphs, read raw from
    each segment's column file (Whoosh's reader would unpack and translate it one value at a
    time); the translation is applied to each distinct value once."""
    parts = []
    for leaf, _ in reader.leaf_readers():
        n = leaf.doc_count_all()
        values = np.zeros(n, np.int64)
        if leaf.has_column(field):
            column = leaf.column_reader(field)
            translate = getattr(column, "_translate", None)
            raw = _raw_column(column.raw_column() if translate else column, n)
            if raw is None:  # another kind of column: value by value
                values = np.fromiter(column, np.int64, count=n)
            else:
                values[:] = raw
                if translate:
                    distinct, where = np.unique(values, return_inverse=True)
                    values = np.array([translate(int(v)) for v in distinct], np.int64)[where]
        parts.append(values)
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def _leaf_lengths(leaf, field: str) -> np.ndarray:
    n = leaf.doc_count_all()
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    except (AttributeError, ImportError):
        column = False
    if column is None:  # no paragraph of this segment has the field
        return np.zeros(n, np.float64)
    raw = _raw_column(column, n) if column is not False else None
    if raw is None:
        return np.array([leaf.doc_field_length(d, field, 1) for d in range(n)], np.float64)
    return _LENGTH_OF_BYTE[raw]


def _raw_column(column, n: int) -> np.ndarray | None:
    """A fixed-width Whoosh column (NumericColumn.Reader) for n documents, read in one piece
    (documents past its end get its default); None for any other kind of column."""
    try:
        dtype = np.dtype(">" + column._typecode)
        count = min(column._count, n)
        data = np.frombuffer(column._dbfile.get(column._basepos, count * dtype.itemsize), dtype)
        default = column._default
    except AttributeError:
        return None
    values = np.full(n, default, dtype.newbyteorder("="))
    values[:count] = data
    return values


class Evaluation:
    """One search's evaluation. Parts are computed once: a term's scores, and every part
    without proximity, remembered by the query itself (Whoosh queries compare by structure),
    so the unranked and the ranked form of a query, and the passes of `top`, share them."""

    def __init__(self, engine: Engine, searcher):
        self.e = engine
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self._terms: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._parts: dict = {}
        self._expansions: dict = {}

    def matches(self, q) -> np.ndarray:
        """The live paragraphs the query matches (a boolean mask)."""
        return self._eval(q, EXACT).mask & self.e.live

    def top(self, q, within: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best (document number, score) among the paragraphs in `within`, best first,
        ties in document order. Proximity is decided only where it can change the top k: the
        other paragraphs keep their score without it, which is exact for all but those that
        cannot reach the top anyway."""
        docs = np.flatnonzero(within)
        if not len(docs) or k <= 0:
            return []
        if not _has_proximity(q):
            scores = self._eval(q, EXACT).score[docs]
        else:
            low = self._eval(q, NOWHERE).score[docs]
            high = self._eval(q, EVERYWHERE).score[docs]
            threshold = _kth_largest(np.round(low, ROUNDING), k)
            undecided = (high > low) & (np.round(high, ROUNDING) >= threshold)
            scores = low
            if undecided.any():
                restrict = np.zeros(self.e.size, bool)
                restrict[docs[undecided]] = True
                exact = self._eval(q, restrict).score[docs]
                scores = np.where(undecided, exact, low)
        return best_first(docs, scores, k)

    # -- the query tree ---------------------------------------------------------------------
    def _eval(self, q, spans) -> Matches:
        if type(q) is wq.Term:
            return _boosted(self._dense(*self.term(q.fieldname, q.text)), q.boost)
        if _has_proximity(q):
            return self._node(q, spans)
        found = self._parts.get(q)
        if found is None:
            found = self._parts[q] = self._node(q, spans)
        return found

    def _node(self, q, spans) -> Matches:
        kind, size = type(q), self.e.size
        if kind in (wq.Or, wq.And) and len(q.subqueries) == 1:
            return self._eval(q.subqueries[0], spans)  # Whoosh drops the boost of a lone child
        if kind is wq.Or:
            return _boosted(self._union(q.subqueries, spans), q.boost)
        if kind is wq.And:
            return _boosted(_intersection([self._eval(c, spans) for c in q.subqueries], size), q.boost)
        if kind is wq.AndMaybe:
            a, b = self._eval(q.a, spans), self._eval(q.b, spans)
            return _boosted(Matches(a.mask, a.score + b.score * a.mask), q.boost)
        if kind is wq.AndNot:  # b only excludes: bounds on its score would turn around
            a, b = self._eval(q.a, spans), self._eval(q.b, EXACT)
            mask = a.mask & ~b.mask
            return _boosted(Matches(mask, a.score * mask), q.boost)
        if kind is wq.ConstantScoreQuery:
            child = self._eval(q.child, spans)
            return Matches(child.mask, child.mask * float(q.score))
        if kind is wq.Phrase:
            return self._near(q.fieldname, q.words, q.slop, True, 1, q.boost, EXACT)
        if kind is wq.SpanNear2 and _plain_terms(q.qs):
            return self._near(q.qs[0].fieldname, [c.text for c in q.qs], q.slop, q.ordered,
                              q.mindist, 1.0, spans)
        if kind is wq.Every and q.fieldname in (None, "", "*"):
            return Matches(self.e.live.copy(), self.e.live * float(q.boost))
        if q is wq.NullQuery:
            return _nothing(size)
        if isinstance(q, wq.MultiTerm):  # prefix, fuzzy: an Or of the words they expand to
            words = [wq.Term(q.field(), w) for w in self.expand(q)]
            return _boosted(self._union(words, spans), q.boost if len(words) > 1 else 1.0)
        return self._whoosh(q)

    def expand(self, q) -> list:
        """The indexed words a prefix or fuzzy term stands for (looked up once per search:
        a fuzzy term compares the query word with every word sharing its first letter)."""
        if q not in self._expansions:
            if type(q) is wq.FuzzyTerm:
                self._expansions[q] = self._within(q.fieldname, q.text, q.maxdist, q.prefixlength)
            else:
                self._expansions[q] = [w for w in q._btexts(self.reader) if w]
        return self._expansions[q]

    def _within(self, field: str, text: str, maxdist: int, prefix: int) -> list[bytes]:
        """Whoosh's terms_within, segment by segment (its merged word list costs more than
        the comparisons), skipping words whose length alone puts them out of reach."""
        found: set[bytes] = set()
        for leaf, _ in self.leaves:
            for btext in leaf.expand_prefix(field, text[:prefix]):
                if btext in found:
                    continue
                word = btext.decode("utf-8")
                if abs(len(word) - len(text)) <= maxdist and distance(word, text, limit=maxdist) <= maxdist:
                    found.add(btext)
        return sorted(found)

    def words(self, queries, fields: tuple[str, ...]) -> set[str]:
        """The words of the queries in these fields, prefixes and fuzzy terms expanded: what
        to mark in the paragraphs shown."""
        found: set[str] = set()
        for q in queries:
            kind = type(q)
            if kind is wq.Term or kind is wq.Phrase:
                if q.fieldname in fields:
                    found.update(_str(w) for w in ([q.text] if kind is wq.Term else q.words))
            elif isinstance(q, wq.MultiTerm):
                if q.field() in fields:
                    found.update(_str(w) for w in self.expand(q))
            elif kind is wq.SpanNear2:
                found |= self.words(q.qs, fields)
            elif hasattr(q, "children"):
                found |= self.words(list(q.children()), fields)
        return found

    def _union(self, queries, spans) -> Matches:
        """Sum of scores where any matches. Plain terms (most of a query: prefix expansions,
        headings, synonyms) are added in one pass from their postings, never spread out alone."""
        size = self.e.size
        docs, scores, dense = [], [], []
        for c in queries:
            if type(c) is wq.Term:
                d, s = self.term(c.fieldname, c.text)
                docs.append(d)
                scores.append(s * c.boost if c.boost != 1.0 else s)
            else:
                dense.append(self._eval(c, spans))
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
        mask = np.zeros(self.e.size, bool)
        score = np.zeros(self.e.size, np.float64)
        mask[docs] = True
        score[docs] = scores
        return Matches(mask, score)

    def term(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        """A term's paragraphs and their BM25F scores (before the query's boost)."""
        e = self.e
        schema = self.reader.schema
        if field not in schema:
            return _NO_DOCS, _NO_SCORES
        fieldobj = schema[field]
        try:
            btext = fieldobj.to_bytes(text)
        except ValueError:
            return _NO_DOCS, _NO_SCORES
        key = (field, btext)
        found = self._terms.get(key)
        if found is None:
            docs, freqs, _ = self.postings(field, btext)
            tf = freqs.astype(np.float64)
            if len(docs) and fieldobj.scorable:
                # Whoosh's idf and average length: postings and lengths count deleted paragraphs
                idf = math.log(e.size / (len(docs) + 1)) + 1
                avg = e.average_length(field, self.reader)
                norm = (1 - e.B) + e.B * e.lengths(field, self.reader)[docs] / avg
                tf = idf * (tf * (e.K1 + 1)) / (tf + e.K1 * norm)
            found = self._terms[key] = (docs, tf)
        return found

    def postings(self, field: str, btext: bytes, positions: bool = False):
        """(document numbers, frequencies, encoded positions) over all segments; the positions
        are None unless asked for (and the field has them)."""
        docs, freqs, vals = [], [], [] if positions else None
        for leaf, base in self.leaves:
            p = self.e.cache.get(leaf, field, btext)
            docs.append(p.docs.astype(np.int64) + base)
            freqs.append(p.freqs)
            if p.values is None:
                vals = None
            elif vals is not None:
                vals.extend(p.values)
        if not docs:
            return _NO_DOCS, np.zeros(0, np.float32), vals
        return np.concatenate(docs), np.concatenate(freqs), vals

    def _near(self, field: str, words, slop: int, ordered: bool, mindist: int, boost: float,
              spans) -> Matches:
        """Paragraphs with the words within `slop` positions (a phrase: in order, adjacent);
        scored as the sum of the words' scores, as Whoosh's span queries do."""
        size = self.e.size
        schema = self.reader.schema
        if field not in schema or not words or (isinstance(spans, str) and spans == NOWHERE):
            return _nothing(size)
        fieldobj = schema[field]
        if not fieldobj.format.supports("positions"):
            raise ValueError(f"{field!r} has no positions: no phrases or proximity in it")
        parts = [self.term(field, w) for w in words]
        if any(not len(docs) for docs, _ in parts):
            return _nothing(size)
        together = _intersection([self._dense(*p) for p in parts], size)
        if isinstance(spans, str):  # EVERYWHERE or EXACT
            if spans == EVERYWHERE:
                return _boosted(together, boost)
            candidates = np.flatnonzero(together.mask)
        else:  # exact, but only where the caller still needs to know
            candidates = np.flatnonzero(together.mask & spans)
        mask = np.zeros(size, bool)
        if len(candidates):
            decode = fieldobj.format.decode_positions
            columns = []
            for w in words:
                docs, _, vals = self.postings(field, fieldobj.to_bytes(w), positions=True)
                columns.append([vals[i] for i in np.searchsorted(docs, candidates)])
            for n, doc in enumerate(candidates):
                if _spans_meet([decode(col[n]) for col in columns], slop, ordered, mindist):
                    mask[doc] = True
        return _boosted(Matches(mask, together.score * mask), boost)

    def _whoosh(self, q) -> Matches:
        """Any other query: Whoosh's own matcher, one paragraph at a time (slow, but exact)."""
        mask = np.zeros(self.e.size, bool)
        score = np.zeros(self.e.size, np.float64)
        m = q.matcher(self.searcher)
        while m.is_active():
            mask[m.id()] = True
            score[m.id()] = m.score()
            m.next()
        return Matches(mask, score)


_NO_DOCS = np.zeros(0, np.int64)
_NO_SCORES = np.zeros(0, np.float64)


def _str(word) -> str:
    return word.decode("utf-8") if isinstance(word, bytes) else str(word)


def _boosted(m: Matches, boost: float) -> Matches:
    return m if boost == 1.0 else Matches(m.mask, m.score * boost)


def _plain_terms(qs) -> bool:
    return all(type(c) is wq.Term and c.boost == 1.0 for c in qs) and len({c.fieldname for c in qs}) == 1


def _spans_meet(positions: list[list[int]], slop: int, ordered: bool, mindist: int) -> bool:
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


def _has_proximity(q) -> bool:
    if type(q) is wq.SpanNear2:
        return True
    return any(_has_proximity(c) for c in q.children()) if hasattr(q, "children") else False


def _kth_largest(values: np.ndarray, k: int) -> float:
    if len(values) <= k:
        return float(values.min())
    return float(np.partition(values, len(values) - k)[len(values) - k])


def best_first(docs: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k highest scores, ties in document order (as Whoosh breaks them). Equal scores
    summed in another order differ in the last bits, so scores are compared rounded, for the
    cut and for the order alike: page 2 then starts exactly where page 1 ended."""
    rounded = np.round(scores, ROUNDING)
    if len(docs) > k:
        keep = rounded >= _kth_largest(rounded, k)
        docs, scores, rounded = docs[keep], scores[keep], rounded[keep]
    order = np.lexsort((docs, -rounded))[:k]
    return [(int(docs[i]), float(scores[i])) for i in order]
