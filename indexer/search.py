"""The search service: one entry point for the CLI and the web app, returning plain results.

A search runs in two passes over the index (see notes/whoosh.md): an unscored pass that finds
every matching paragraph, for the total and the facet counts, and a ranked pass for the page
shown. Only the paragraphs on the page are highlighted.
"""
from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from whoosh import query as wq
from whoosh import scoring, sorting

from indexer import query as ql
from indexer.compiler import Compiler, and_all
from indexer.dutch import fold
from indexer.expansion import Expander, synonym_groups
from indexer.index import open_index
from indexer.letters import Signatory
from indexer.results import (
    BadParameter,
    FacetValue,
    Hit,
    SearchRequest,
    SearchResult,
    Sort,
)
from indexer.settings import MAX_PAGE_SIZE
from indexer.snippets import highlight, snippet
from indexer.topics import Taxonomy, load_taxonomy

BM25_B, BM25_K1 = 0.4, 1.2  # B below Lucene's 0.75: see README (Search quality)
SUGGEST_BELOW = 5  # offer "Bedoelde u" only when the query finds fewer paragraphs than this


class LetterNotFound(LookupError):
    status = 404


@dataclass
class LetterParagraph:
    number: int
    text: str
    kind: str
    section: str | None
    topics: list[str]
    html: str  # the text escaped, with query words marked when a query was given


@dataclass
class LetterView:
    """A whole letter as indexed, for `brieven show` and the letter page."""

    id: str
    title: str
    date: date | None
    date_inferred: bool
    source: str
    signatories: list[Signatory]
    kamerstukken: list[str]
    paragraphs: list[LetterParagraph]

    def to_dict(self) -> dict:
        return {
            "letter_id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_inferred": self.date_inferred,
            "source": self.source,
            "signatories": [{"role": s.role, "name": s.name} for s in self.signatories],
            "kamerstukken": self.kamerstukken,
            "paragraphs": [
                {"paragraph": p.number, "kind": p.kind, "section": p.section,
                 "topics": p.topics, "text": p.text}
                for p in self.paragraphs
            ],
        }


class SearchService:
    """Answers queries over one index. Share one service; it opens a searcher per call, so it
    is safe across threads and sees a re-indexed corpus on the next call."""

    def __init__(self, index_dir: Path, taxonomy: Taxonomy | None = None,
                 synonyms: list[list[str]] | None = None):
        self.index_dir = Path(index_dir)
        self.taxonomy = taxonomy or load_taxonomy()
        self.synonyms = synonyms if synonyms is not None else synonym_groups()
        self._ix = None
        self._local = threading.local()  # one searcher per thread, reused across calls
        self._facet_cache: tuple[object, dict, dict] | None = None
        self._expander_cache: tuple[object, Expander] | None = None

    # -- opening ---------------------------------------------------------------------------
    def _index(self):
        if self._ix is None:
            self._ix = open_index(self.index_dir)
        return self._ix

    @contextlib.contextmanager
    def _searcher(self):
        """This thread's searcher, reopened only when the index has changed: opening one costs
        tens of milliseconds at 100k paragraphs, checking the index generation almost nothing.
        (Whoosh's own `refresh()` reuses segment readers with stale deletions, and a rebuild
        replaces the whole directory, so a change means a new index object and searcher.)"""
        local = self._local
        state = (_inode(self.index_dir), _generation(self._ix))
        searcher = getattr(local, "searcher", None)
        if searcher is not None and getattr(local, "state", None) != state:
            searcher.close()
            searcher = None
        if searcher is None:
            self._ix = None  # open the index anew: the directory may have been swapped
            searcher = self._index().searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
            state = (_inode(self.index_dir), _generation(self._ix))
        local.searcher, local.state = searcher, state
        yield searcher

    # -- search ----------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        self._check(request)
        parsed = ql.parse(request.query)
        notices = [parsed.notice] if parsed.notice else []
        filters = self._merge_filters(request, parsed.filters, notices)
        with self._searcher() as searcher:
            expander, reader = self._expander(searcher), searcher.reader()
            ranked, positives = Compiler(expander, reader).compile(parsed.node)
            unranked, _ = Compiler(expander, reader, ranking=False).compile(parsed.node)
            filter_query = self._filter_query(filters)
            matching = and_all([ranked or wq.Every(), filter_query])
            docnums = set(searcher.docs_for_query(and_all([unranked or wq.Every(), filter_query])))
            total = len(docnums)
            page = request.page
            last_page = max(1, -(-total // request.page_size))
            hits: list[Hit] = []
            if page <= last_page and total:
                hits = self._page(searcher, matching, positives, request, page)
            facets = self._facets(searcher, docnums)
            suggestion = None
            if parsed.node is not None and total < SUGGEST_BELOW:
                suggestion = self._suggest(searcher, request.query, parsed.node)
        if page > last_page and total:
            notices.append(f"Pagina {page} bestaat niet; er zijn {last_page} pagina's met resultaten.")
        return SearchResult(
            query=request.query,
            total=total,
            page=page,
            page_size=request.page_size,
            took_ms=(time.perf_counter() - started) * 1000,
            sort=request.sort,
            filters={
                "topics": [self._topic_name(t) for t in filters.topics],
                "from": filters.date_from.isoformat() if filters.date_from else None,
                "to": filters.date_to.isoformat() if filters.date_to else None,
                "year": filters.year,
            },
            hits=hits,
            facets=facets,
            notice=" ".join(notices) or None,
            suggestion=suggestion,
        )

    @staticmethod
    def _check(request: SearchRequest) -> None:
        if not isinstance(request.page, int) or request.page < 1:
            raise BadParameter(f"Page must be a whole number from 1 up, not {request.page!r}.")
        if not isinstance(request.page_size, int) or not 1 <= request.page_size <= MAX_PAGE_SIZE:
            raise BadParameter(f"Page size must be from 1 to {MAX_PAGE_SIZE}, not {request.page_size!r}.")
        if request.date_from and request.date_to and request.date_from > request.date_to:
            raise BadParameter(
                f"The start date {request.date_from} is after the end date {request.date_to}."
            )
        request.sort = Sort.parse(request.sort)

    def _merge_filters(self, request: SearchRequest, from_query: ql.Filters, notices: list[str]) -> ql.Filters:
        """Filters from the request and from the query string (onderwerp:, jaar:, datum:)."""
        slugs = []
        for name in request.topics:
            topic = self.taxonomy.find(name)
            if topic is None:
                known = ", ".join(t.slug for t in self.taxonomy.topics)
                raise BadParameter(f"Unknown topic {name!r}; known topics: {known}.")
            slugs.append(topic.slug)
        unknown = []
        for name in from_query.topics:
            topic = self.taxonomy.find(name)
            if topic is None:
                unknown.append(name)
            else:
                slugs.append(topic.slug)
        if unknown:
            notices.append(
                "Onbekend onderwerp: " + ", ".join(unknown) + "; er is daarom niets gevonden. "
                "Bekende onderwerpen: " + ", ".join(t.slug for t in self.taxonomy.topics) + "."
            )
            slugs.append("\x00unknown")  # a filter nothing matches: an honest zero
        return ql.Filters(
            topics=list(dict.fromkeys(slugs)),
            year=request.year if request.year is not None else from_query.year,
            date_from=request.date_from or from_query.date_from,
            date_to=request.date_to or from_query.date_to,
        )

    def _topic_name(self, slug: str) -> str:
        topic = self.taxonomy.by_slug(slug)
        return topic.name if topic else slug

    # -- query expansion ---------------------------------------------------------------------
    def _expander(self, searcher) -> Expander:
        """Synonyms, the abbreviations the indexed letters define, and topics; per index state."""
        key = _reader_key(searcher.reader())
        if self._expander_cache and self._expander_cache[0] == key:
            return self._expander_cache[1]
        abbreviations = []
        for lid in searcher.lexicon("letter_id"):
            docnum = searcher.document_number(letter_id=_text(lid))
            if docnum is not None:
                meta = json.loads(searcher.stored_fields(docnum).get("letter_meta") or "{}")
                abbreviations.extend(tuple(pair) for pair in meta.get("abbreviations", []))
        expander = Expander(self.synonyms, abbreviations, self.taxonomy)
        self._expander_cache = (key, expander)
        return expander

    @staticmethod
    def _filter_query(filters: ql.Filters) -> wq.Query | None:
        parts: list[wq.Query] = [wq.Term("topics", slug) for slug in filters.topics]
        if filters.year is not None:
            parts.append(wq.Term("year", str(filters.year)))
        if filters.date_from or filters.date_to:
            start = datetime.combine(filters.date_from, datetime.min.time()) if filters.date_from else None
            end = datetime.combine(filters.date_to, datetime.max.time()) if filters.date_to else None
            parts.append(wq.DateRange("date", start, end))
        return and_all(parts) if parts else None

    # -- ranked page, facets, suggestions --------------------------------------------------
    def _page(self, searcher, matching, positives, request: SearchRequest, page: int) -> list[Hit]:
        tiebreak = [sorting.FieldFacet("letter_id"), sorting.FieldFacet("paragraph")]
        if request.sort is Sort.RELEVANCE:
            sortedby = None
        else:
            newest_first = request.sort is Sort.DATE_DESC
            sortedby = sorting.MultiFacet(
                [sorting.FieldFacet("has_date", reverse=True),
                 sorting.FieldFacet("date", reverse=newest_first)] + tiebreak
            )
        results = searcher.search(
            matching, limit=page * request.page_size, sortedby=sortedby, terms=False
        )
        terms = _highlight_terms(searcher, positives)
        start = (page - 1) * request.page_size
        hits = []
        # slicing reads only the top hits (list(results) would count every match first)
        for hit in results[start : start + request.page_size]:
            stored = hit.fields()
            hits.append(
                Hit(
                    letter_id=stored["letter_id"],
                    paragraph=stored["paragraph"],
                    title=stored.get("title", ""),
                    date=stored["date"].date() if stored.get("date") else None,
                    date_inferred=bool(stored.get("date_inferred")),
                    section=stored.get("section_label"),
                    topics=[self._topic_name(s) for s in _split_topics(stored.get("topics"))],
                    kind=stored.get("kind", "body"),
                    # sorted by date, Whoosh's score slot holds the sort key: no relevance then
                    score=float(hit.score or 0.0) if sortedby is None else 0.0,
                    text=stored["text"],
                    snippet=snippet(stored["text"], terms),
                )
            )
        return hits

    def _facets(self, searcher, docnums: set[int]) -> dict[str, list[FacetValue]]:
        by_topic, by_year = self._facet_postings(searcher)
        topics = []
        for topic in self.taxonomy.topics:
            count = len(docnums & by_topic.get(topic.slug, frozenset()))
            if count:
                topics.append(FacetValue(value=topic.name, slug=topic.slug, count=count))
        topics.sort(key=lambda v: (-v.count, v.value))
        years = [FacetValue(value=y, count=len(docnums & docs)) for y, docs in sorted(by_year.items())]
        return {"topic": topics, "year": [y for y in years if y.count]}

    def _facet_postings(self, searcher) -> tuple[dict[str, frozenset], dict[str, frozenset]]:
        """Which paragraphs carry each topic and each year, read once per index generation."""
        key = _reader_key(searcher.reader())
        if self._facet_cache and self._facet_cache[0] == key:
            return self._facet_cache[1], self._facet_cache[2]
        reader = searcher.reader()
        postings = {}
        for field in ("topics", "year"):
            postings[field] = {
                _text(term): frozenset(reader.postings(field, term).all_ids())
                for term in reader.lexicon(field)
            }
        self._facet_cache = (key, postings["topics"], postings["year"])
        return postings["topics"], postings["year"]

    @staticmethod
    def _suggest(searcher, text: str, node: ql.Node) -> str | None:
        """Replace each word the index has never seen by the most frequent close word it has."""
        reader = searcher.reader()
        corrector = searcher.corrector("words")
        suggestion, changed = text, False
        for word in _plain_words(node):
            folded = fold(word)
            if not folded.isalpha() or reader.doc_frequency("words", folded):
                continue
            options = corrector.suggest(folded, limit=1, maxdist=2, prefix=1)
            if options:
                suggestion = suggestion.replace(word, _same_case(word, options[0]), 1)
                changed = True
        return suggestion if changed else None

    # -- letters and export ----------------------------------------------------------------
    def letter(self, letter_id: str, query: str = "") -> LetterView:
        """A whole letter as indexed; with `query`, its matching words are marked."""
        with self._searcher() as searcher:
            docs = [
                searcher.stored_fields(n)
                for n in searcher.docs_for_query(wq.Term("letter_id", letter_id))
            ]
            terms: set[str] = set()
            if query:
                _, positives = Compiler(self._expander(searcher), searcher.reader()).compile(ql.parse(query).node)
                terms = _highlight_terms(searcher, positives)
        if not docs:
            raise LetterNotFound(f"There is no letter {letter_id!r} in the index.")
        docs.sort(key=lambda d: d["paragraph"])
        first = docs[0]
        meta = json.loads(first.get("letter_meta") or "{}")
        return LetterView(
            id=letter_id,
            title=first.get("title", ""),
            date=first["date"].date() if first.get("date") else None,
            date_inferred=bool(first.get("date_inferred")),
            source=meta.get("source", ""),
            signatories=[Signatory(**s) for s in meta.get("signatories", [])],
            kamerstukken=meta.get("kamerstukken", []),
            paragraphs=[
                LetterParagraph(
                    number=d["paragraph"],
                    text=d["text"],
                    kind=d.get("kind", "body"),
                    section=d.get("section_label"),
                    topics=[self._topic_name(s) for s in _split_topics(d.get("topics"))],
                    html=highlight(d["text"], terms),
                )
                for d in docs
            ],
        )

    def paragraphs(self) -> Iterator[dict]:
        """Every indexed paragraph with its fields (the export format), letter by letter."""
        for letter_id in self.letter_ids():
            view = self.letter(letter_id)
            for p in view.paragraphs:
                yield {
                    "letter_id": letter_id,
                    "paragraph": p.number,
                    "title": view.title,
                    "date": view.date.isoformat() if view.date else None,
                    "date_inferred": view.date_inferred,
                    "section": p.section,
                    "topics": p.topics,
                    "kind": p.kind,
                    "text": p.text,
                }

    def letter_ids(self) -> list[str]:
        with self._searcher() as searcher:
            return sorted(_text(t) for t in searcher.lexicon("letter_id"))

    def stats(self) -> dict:
        with self._searcher() as searcher:
            reader = searcher.reader()
            years = sorted(_text(t) for t in reader.lexicon("year"))
            return {
                "letters": len(list(reader.lexicon("letter_id"))),
                "paragraphs": searcher.doc_count(),
                "terms": len(list(reader.lexicon("text"))),
                "years": f"{years[0]}–{years[-1]}" if years else None,
                "index": str(self.index_dir),
                "size_bytes": sum(p.stat().st_size for p in self.index_dir.iterdir() if p.is_file()),
            }

    def topic_counts(self) -> list[tuple[str, str, int]]:
        """(name, slug, paragraphs) for every topic in the taxonomy, also those with none."""
        with self._searcher() as searcher:
            by_topic, _ = self._facet_postings(searcher)
        return [(t.name, t.slug, len(by_topic.get(t.slug, ()))) for t in self.taxonomy.topics]


def _generation(ix) -> int | None:
    try:
        return ix.latest_generation() if ix is not None else None
    except OSError:
        return None


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _reader_key(reader) -> tuple:
    """Identifies what a reader sees: its segments (random ids, new after any rebuild) and
    their deletions. Equal keys mean equal postings."""
    return tuple(
        (leaf.segment().segment_id(), leaf.segment().deleted_count())
        for leaf, _ in reader.leaf_readers()
    )


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def _split_topics(value: str | None) -> list[str]:
    return [t for t in (value or "").split(",") if t]


def _highlight_terms(searcher, positives: list[wq.Query]) -> set[str]:
    """The indexed terms the positive parts of a query match, prefixes and fuzzy expanded."""
    terms: set[str] = set()
    for q in positives:
        for field, term in q.existing_terms(searcher.reader(), phrases=True, expand=True):
            if field in ("text", "section"):
                terms.add(_text(term))
    return terms


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    return word.capitalize() if typed[:1].isupper() else word


def _plain_words(node: ql.Node) -> Iterator[str]:
    if isinstance(node, ql.Word):
        yield node.text
    elif isinstance(node, ql.Group):
        for occur, child in node.clauses:
            if occur is not ql.Occur.MUST_NOT:
                yield from _plain_words(child)
    elif isinstance(node, ql.AnyOf):
        for child in node.nodes:
            yield from _plain_words(child)
