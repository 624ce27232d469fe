"""The search service: one entry point for the CLI and the web app, returning plain results.

A search finds every matching paragraph (for the total and the facet counts) and ranks them
for the page shown, both over arrays of postings (indexer/searching/engine.py), not Whoosh's
per-document matchers. Filters and facets are array operations too. Only the paragraphs on the
page are read back and highlighted. Answers are cached per index state.

The service reads its index through a Store (indexer/store/interface.py): the embedded Whoosh
index by default; another backend plugs in there, and nothing here or above changes.
"""
from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from whoosh import query as wq

from indexer.analysis import Taxonomy, load_taxonomy
from indexer.errors import BrievenError
from indexer.reading import Kind, Signatory
from indexer.searching import query as ql
from indexer.searching.bm25 import BM25
from indexer.searching.compiler import Compiler
from indexer.searching.engine import Evaluation
from indexer.searching.expansion import synonym_groups
from indexer.searching.index_state import IndexState
from indexer.searching.request import BadParameter, Rule, SearchRequest, Sort
from indexer.searching.results import Hit, LetterParagraph, LetterView, Paragraph, SearchResult
from indexer.searching.snippets import highlight, snippet
from indexer.searching.suggestions import SUGGEST_BELOW, suggest
from indexer.store import Snapshot, Store, WhooshStore

RESULT_CACHE_SIZE = 256  # answered requests kept per service (keyed on the index state too)
HIGHLIGHT_FIELDS = ("text", "section")  # a match in either marks the word in the paragraph


class LetterNotFound(BrievenError):
    status = 404


class SearchService:
    """Answers queries over one index. Share one service: it is safe across threads and sees a
    re-indexed corpus on the next call."""

    def __init__(self, index: Path | Store, taxonomy: Taxonomy | None = None,
                 synonyms: list[list[str]] | None = None, bm25: BM25 = BM25()):
        self.store: Store = WhooshStore(index) if isinstance(index, (str, Path)) else index
        self.taxonomy = taxonomy or load_taxonomy()
        self.synonyms = synonyms if synonyms is not None else synonym_groups()
        self.bm25 = bm25
        self._lock = threading.Lock()
        self._results: OrderedDict[tuple, SearchResult] = OrderedDict()  # least recent first
        self._state: IndexState | None = None

    def close(self) -> None:
        self.store.close()

    # -- search ----------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        """Answer a request; an identical request against an unchanged index is answered from
        a small cache (paging, sorting and facet clicks repeat searches all the time)."""
        started = time.perf_counter()
        with self.store.snapshot() as snapshot:
            # one snapshot for the key and the answer, so an answer is cached under its own state
            key = (snapshot.key, request)
            with self._lock:
                cached = self._results.get(key)
                if cached is not None:
                    self._results.move_to_end(key)
            if cached is not None:
                return dataclasses.replace(cached, took_ms=(time.perf_counter() - started) * 1000)
            result = self._search(snapshot, request, started)
        with self._lock:
            self._results[key] = result
            while len(self._results) > RESULT_CACHE_SIZE:
                self._results.popitem(last=False)
        return result

    def _search(self, snapshot: Snapshot, request: SearchRequest, started: float) -> SearchResult:
        parsed = ql.parse(request.query)
        notices = [parsed.notice] if parsed.notice else []
        filters = self._merge_filters(request, parsed.filters, notices)
        state = self._index_state(snapshot)
        memo: dict = {}
        ranked, positives = Compiler(state.expander, snapshot, memo=memo).compile(parsed.node)
        allowed = state.filter(filters)  # None: no filter
        evaluation = Evaluation(snapshot, self.bm25)
        if parsed.node is None:
            matching = allowed if allowed is not None else snapshot.live
        else:
            unranked, _ = Compiler(state.expander, snapshot, ranking=False, memo=memo).compile(parsed.node)
            matching = evaluation.matches(unranked) if unranked else np.zeros(snapshot.size, bool)
            if allowed is not None:
                matching = matching & allowed
        total = int(np.count_nonzero(matching))
        page = request.page
        last_page = max(1, -(-total // request.page_size))
        hits: list[Hit] = []
        if page <= last_page and total:
            hits = self._page(snapshot, state, evaluation, ranked or wq.Every(), matching,
                              positives, request)
        suggestion = None
        if parsed.node is not None and total < SUGGEST_BELOW:
            suggestion = suggest(snapshot, request.query, parsed.node)
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
            facets=state.facets(matching, self.taxonomy),
            notice=" ".join(notices) or None,
            suggestion=suggestion,
        )

    def _merge_filters(self, request: SearchRequest, from_query: ql.Filters, notices: list[str]) -> ql.Filters:
        """Filters from the request and from the query string (onderwerp:, jaar:, datum:)."""
        slugs = []
        for name in request.topics:
            topic = self.taxonomy.find(name)
            if topic is None:
                known = ", ".join(t.slug for t in self.taxonomy.topics)
                raise BadParameter(f"Unknown topic {name!r}; known topics: {known}.", Rule.TOPIC, name)
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

    def _index_state(self, snapshot: Snapshot) -> IndexState:
        """What every search needs from the index, read once per index state."""
        current = self._state  # read once: another thread may replace it meanwhile
        if current is None or current.key != snapshot.key:
            current = self._state = IndexState(snapshot, self.synonyms, self.taxonomy)
        return current

    def _page(self, snapshot: Snapshot, state: IndexState, evaluation: Evaluation, query,
              matching: np.ndarray, positives, request: SearchRequest) -> list[Hit]:
        """The hits of the page asked for, highlighted."""
        wanted = request.page * request.page_size
        if request.sort is Sort.RELEVANCE:
            ranked = evaluation.top(query, matching, wanted)
        else:  # no scores: relevance is not what orders them
            ranked = [(n, 0.0) for n in state.by_date(snapshot, matching, wanted,
                                                      newest_first=request.sort is Sort.DATE_DESC)]
        terms = evaluation.words(positives, HIGHLIGHT_FIELDS)
        hits = []
        for docnum, score in ranked[(request.page - 1) * request.page_size:]:
            record = self._paragraph(snapshot.stored(docnum))
            hits.append(Hit(**vars(record), score=score, snippet=snippet(record.text, terms)))
        return hits

    def _paragraph(self, stored: dict) -> Paragraph:
        """A paragraph's stored fields as its record: the one place they are read."""
        return Paragraph(
            letter_id=stored["letter_id"],
            number=stored["paragraph"],
            title=stored.get("title", ""),
            date=stored["date"].date() if stored.get("date") else None,
            date_inferred=bool(stored.get("date_inferred")),
            section=stored.get("section_label"),
            topics=[self._topic_name(s) for s in (stored.get("topics") or "").split(",") if s],
            kind=Kind(stored.get("kind", "body")),
            text=stored["text"],
        )

    # -- letters and export ----------------------------------------------------------------
    def letter(self, letter_id: str, query: str = "") -> LetterView:
        """A whole letter as indexed; with `query`, its matching words are marked."""
        with self.store.snapshot() as snapshot:
            docs = [snapshot.stored(n) for n in snapshot.documents("letter_id", letter_id)]
            terms: set[str] = set()
            if query:
                state = self._index_state(snapshot)
                _, positives = Compiler(state.expander, snapshot).compile(ql.parse(query).node)
                terms = Evaluation(snapshot, self.bm25).words(positives, HIGHLIGHT_FIELDS)
        if not docs:
            raise LetterNotFound(f"There is no letter {letter_id!r} in the index.")
        docs.sort(key=lambda d: d["paragraph"])
        meta = json.loads(docs[0].get("letter_meta") or "{}")
        paragraphs = [self._paragraph(d) for d in docs]
        first = paragraphs[0]
        return LetterView(
            id=letter_id,
            title=first.title,
            date=first.date,
            date_inferred=first.date_inferred,
            source=meta.get("source", ""),
            signatories=[Signatory(**s) for s in meta.get("signatories", [])],
            kamerstukken=meta.get("kamerstukken", []),
            paragraphs=[LetterParagraph(**vars(p), html=highlight(p.text, terms)) for p in paragraphs],
        )

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every indexed paragraph (the export), letter by letter."""
        for letter_id in self.letter_ids():
            yield from self.letter(letter_id).paragraphs

    def letter_ids(self) -> list[str]:
        with self.store.snapshot() as snapshot:
            return sorted(snapshot.terms("letter_id"))

    def stats(self) -> dict:
        with self.store.snapshot() as snapshot:
            years = sorted(snapshot.terms("year"))
            return {
                "letters": sum(1 for _ in snapshot.terms("letter_id")),
                "paragraphs": snapshot.doc_count,
                "terms": sum(1 for _ in snapshot.terms("text")),
                "years": f"{years[0]}–{years[-1]}" if years else None,
                "index": self.store.location,
                "size_bytes": self.store.size_bytes(),
            }

    def topic_counts(self) -> list[tuple[str, str, int]]:
        """(name, slug, paragraphs) for every topic in the taxonomy, also those with none."""
        with self.store.snapshot() as snapshot:
            by_topic = self._index_state(snapshot).by_topic
        return [(t.name, t.slug, len(by_topic.get(t.slug, ()))) for t in self.taxonomy.topics]
