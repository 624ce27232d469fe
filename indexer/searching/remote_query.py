"""A compiled query (the Whoosh query tree indexer/searching/compiler.py builds, used as plain
data) in OpenSearch's query DSL, and what a search against OpenSearch needs of the index.

The compiler runs unchanged, with its Dutch expansions (synonyms, harvested abbreviations,
compound parts, topics, the coordination and proximity bonuses), so both backends search the
same terms with the same boosts: Or is a `bool` should (scores add up), And a `bool` must,
AndMaybe a must with an optional should, AndNot a must_not, a phrase a `match_phrase` over our
own terms, the proximity bonus a `span_near` (unordered, the same slop). Prefix and fuzzy words
are expanded by the cluster (`top_terms_64` scores each word it stands for, as our budget caps
a pattern at 64 words). Where Lucene scores differently (its idf, and phrases scored on phrase
frequency rather than as the sum of their words) the README says so, with the nDCG it costs.
"""
from __future__ import annotations

from datetime import date

from whoosh import query as wq
from whoosh.support.levenshtein import distance

from indexer.analysis import analyze_positions
from indexer.searching import query as ql
from indexer.searching.compiler import Compiler, _typed
from indexer.searching.budget import MAX_PATTERN_TERMS, MIN_FUZZY_CHARS, MIN_PREFIX_CHARS
from indexer.searching.index_state import IndexState, TermFilter
from indexer.searching.letter_evidence import LetterWide
from indexer.searching.matching import HIGHLIGHT_FIELDS
from indexer.searching.snippets import Marks

MATCH_ALL = {"match_all": {}}
MATCH_NONE = {"match_none": {}}


def to_dsl(q) -> dict:
    """One compiled query as a query of OpenSearch's DSL."""
    kind = type(q)
    boost = float(getattr(q, "boost", 1.0))
    if kind is wq.Term:
        return {"term": {q.fieldname: {"value": _str(q.text), "boost": boost}}}
    if kind in (wq.Or, wq.And) and len(q.subqueries) == 1:
        return to_dsl(q.subqueries[0])  # Whoosh drops the boost of a lone child
    if kind is wq.Or:
        return {"bool": {"should": [to_dsl(c) for c in q.subqueries], "minimum_should_match": 1, "boost": boost}}
    if kind is wq.And:
        return {"bool": {"must": [to_dsl(c) for c in q.subqueries], "boost": boost}}
    if kind is wq.AndMaybe:
        return {"bool": {"must": [to_dsl(q.a)], "should": [to_dsl(q.b)], "boost": boost}}
    if kind is wq.AndNot:
        return {"bool": {"must": [to_dsl(q.a)], "must_not": [to_dsl(q.b)], "boost": boost}}
    if kind is wq.ConstantScoreQuery:
        return {"constant_score": {"filter": to_dsl(q.child), "boost": float(q.score)}}
    if kind is wq.Phrase:
        return {"match_phrase": {q.fieldname: {"query": " ".join(_str(w) for w in q.words),
                                               "analyzer": "whitespace", "boost": boost}}}
    if kind is wq.SpanNear2:
        return {"span_near": {"clauses": [{"span_term": {c.fieldname: _str(c.text)}} for c in q.qs],
                              "slop": q.slop, "in_order": bool(q.ordered), "boost": boost}}
    if kind is LetterWide:
        # The letter's title is on each of its paragraphs here (the `subject` field), so its
        # score is added to a paragraph that matches on its own, as the embedded engine spreads it.
        return {"bool": {"should": [to_dsl(q.child)], "boost": boost}}
    if kind is wq.Every:
        return {"match_all": {"boost": boost}}
    if q is wq.NullQuery or kind is type(wq.NullQuery):
        return MATCH_NONE
    if kind is wq.Prefix:
        return {"prefix": {q.fieldname: {"value": _str(q.text), "rewrite": f"top_terms_{MAX_PATTERN_TERMS}",
                                         "boost": boost}}}
    if kind is wq.FuzzyTerm:
        return {"fuzzy": {q.fieldname: {"value": _str(q.text), "fuzziness": int(q.maxdist),
                                        "prefix_length": int(q.prefixlength), "transpositions": False,
                                        "max_expansions": MAX_PATTERN_TERMS,
                                        "rewrite": f"top_terms_{MAX_PATTERN_TERMS}", "boost": boost}}}
    raise TypeError(f"no OpenSearch form for {q!r}")


class RemoteCompiler(Compiler):
    """The compiler, with prefix and fuzzy words left to the cluster to expand (their budget
    rules, at least 2 and 3 letters, still apply); `snapshot` is a RemoteVocabulary, asked
    only whether a word occurs and how common it is."""

    def _prefix(self, text: str):
        return self._pattern(super()._prefix, text, ql.Prefix(text), MIN_PREFIX_CHARS, len(text))

    def _fuzzy(self, node: ql.Fuzzy):
        return self._pattern(super()._fuzzy, node, node, MIN_FUZZY_CHARS, len(node.text))

    def _pattern(self, compile_, arg, node, least: int, chars: int):
        key = ("pattern", _typed(node))
        if key not in self.memo:
            self.memo[key] = self.budget.take_pattern(_typed(node), chars, least)
        if not self.memo[key]:
            return wq.NullQuery
        vocabulary, self.snapshot = self.snapshot, None
        try:
            return compile_(arg)
        finally:
            self.snapshot = vocabulary


class RemoteVocabulary:
    """What the compiler asks of an index, answered by the cluster: how many paragraphs have a
    word (a weak expansion applies only to a word the letters use), remembered per index state."""

    def __init__(self, count, doc_count: int, spelling=None):
        self._count = count  # (field, term) -> paragraphs with it
        self._spelling = spelling  # (field, word, maxdist, prefix) -> the closest indexed word
        self.doc_count = doc_count
        self._known: dict[tuple[str, str], int] = {}

    def spelling(self, field: str, word: str, maxdist: int, prefix: int) -> str | None:
        return self._spelling(field, word, maxdist, prefix) if self._spelling else None

    def doc_frequency(self, field: str, term: str) -> int:
        key = (field, term)
        if key not in self._known:
            self._known[key] = self._count(field, term)
        return self._known[key]


class RemoteState:
    """The facets' vocabularies of one state of the OpenSearch index (topics, years, ministries
    and their names, dossiers, harvested abbreviations): what resolves a typed ministry or
    dossier to the index's terms and expands a query, as IndexState does for the embedded one."""

    ministries = IndexState.ministries
    dossiers = IndexState.dossiers

    def __init__(self, key, buckets: dict[str, dict[str, int]], expander, doc_count: int):
        self.key = key
        self.doc_count = doc_count
        self.by_term = {"ministries": buckets.get("ministries", {}), "dossier": buckets.get("dossier", {})}
        self.dossier_list = sorted(self.by_term["dossier"])
        self.ministry_names = {}
        for pair in buckets.get("ministry_names", {}):
            slug, _, name = pair.partition("\t")
            self.ministry_names.setdefault(slug, name)
        for slug in self.by_term["ministries"]:
            self.ministry_names.setdefault(slug, slug)
        self.by_topic = buckets.get("topics", {})
        self.by_year = buckets.get("year", {})
        self.expander = expander
        self.vocabulary: RemoteVocabulary | None = None  # set by the service
        self.abbreviations: list[tuple[str, str]] = []  # (abbreviation, long form), set by the service
        self.written: dict[str, tuple[str, int]] | None = None  # see OpenSearchService._written_form


def all_terms(client, index: str, field: str):
    """(term, documents) for every term of a keyword field, page by page."""
    after = None
    while True:
        composite = {"size": 5000, "sources": [{"t": {"terms": {"field": field}}}]}
        if after:
            composite["after"] = after
        agg = client.search(index=index, body={"size": 0, "aggs": {"c": {"composite": composite}}})["aggregations"]["c"]
        for bucket in agg["buckets"]:
            yield bucket["key"]["t"], bucket["doc_count"]
        after = agg.get("after_key")
        if not agg["buckets"] or not after:
            return


def filter_clauses(filters: ql.Filters, terms: list[TermFilter], year: bool = True) -> list[dict]:
    """The request's filters as filter clauses (no scores); `year=False` leaves the year out
    (the histogram of every year)."""
    out = []
    for term_filter in terms:
        out.append({"terms": {term_filter.field: list(term_filter.terms)}})
    for slug in filters.topics:
        out.append({"term": {"topics": slug}})
    if year and filters.year is not None:
        out.append({"term": {"year": str(filters.year)}})
    if filters.date_from or filters.date_to:
        low = filters.date_from.toordinal() if filters.date_from else 1
        high = filters.date_to.toordinal() if filters.date_to else date.max.toordinal()
        out.append({"range": {"day": {"gte": low, "lte": high}}})
    return out


def marks_of(positives: list, texts: list[str]) -> Marks:
    """What to mark, from the compiled query's positive parts; a prefix or fuzzy word marks
    the words of the texts shown that it stands for."""
    terms: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    patterns: list = []

    def walk(qs) -> None:
        for q in qs:
            kind = type(q)
            if kind is wq.Term and q.fieldname in HIGHLIGHT_FIELDS:
                terms.add(str(q.text))
            elif kind is wq.Phrase and q.fieldname in HIGHLIGHT_FIELDS:
                words = tuple(str(w) for w in q.words)
                (phrases.add(words) if len(words) > 1 else terms.update(words))
            elif kind in (wq.Prefix, wq.FuzzyTerm):
                patterns.append(q)
            elif kind is wq.SpanNear2:
                walk(q.qs)
            elif hasattr(q, "children"):
                walk(list(q.children()))

    walk(positives)
    if patterns:
        seen = {t for text in texts for t, _, _, _ in analyze_positions(text)}
        for q in patterns:
            word = str(q.text)
            if type(q) is wq.Prefix:
                terms.update(t for t in seen if t.startswith(word))
            else:
                terms.update(t for t in seen if t[:q.prefixlength] == word[:q.prefixlength]
                             and abs(len(t) - len(word)) <= q.maxdist
                             and distance(t, word, limit=q.maxdist) <= q.maxdist)
    return Marks(frozenset(terms), frozenset(phrases))


def _str(word) -> str:
    return word.decode("utf-8") if isinstance(word, bytes) else str(word)
