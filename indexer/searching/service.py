"""The search service: one entry point for the CLI and the web app, returning plain results.

A search finds every matching paragraph (for the total and the facet counts) and ranks them
for the page shown, both over arrays of postings (indexer/searching/engine.py), not Whoosh's
per-document matchers. Filters and facets are array operations too. Only the paragraphs on the
page are read back and highlighted. Answers are cached per index state. Every search works
within a budget (indexer/searching/budget.py): a deadline and caps on expansions, so that no
request can hold the service for long; one that runs out of time says so.

`hits` evaluates a request once and streams all its hits in order (the CSV export, the feed);
`paragraphs` streams every live paragraph (`brieven export`).

The service reads its index through a Store (indexer/store/interface.py): the embedded Whoosh
index by default; another backend plugs in there, and nothing here or above changes.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import numpy as np

from indexer.analysis import Taxonomy, load_taxonomy
from indexer.errors import BrievenError
from indexer.reading import Kind, Signatory, parse_dossier
from indexer.searching import query as ql
from indexer.searching.answers import Answers, ProcessAnswers
from indexer.searching.bm25 import BM25
from indexer.searching.budget import SEARCH_SECONDS, Budget, DeadlinePassed, deadline_notice
from indexer.searching.compiler import Compiler
from indexer.searching.completion import COMPLETIONS, Completion, Completions, LatestCompletions
from indexer.searching.engine import Evaluation
from indexer.searching.expansion import synonym_groups
from indexer.searching.filters import merge_filters, term_filters
from indexer.searching.index_state import IndexState
from indexer.searching.matching import HIGHLIGHT_FIELDS, Found, find
from indexer.searching.grouping import letter_page
from indexer.searching.request import Group, SearchRequest
from indexer.searching.results import (
    Hit,
    HitStream,
    LetterHits,
    LetterParagraph,
    LetterView,
    Paragraph,
    SearchResult,
    TopicCount,
)
from indexer.searching.similar import ranked_distinct, similar_count
from indexer.searching.snippets import Marks, highlight, snippet
from indexer.searching.suggestions import SUGGEST_BELOW, suggest
from indexer.store import Snapshot, Store, WhooshStore

NO_FACETS = {"topic": [], "letter_topic": [], "year": [], "ministry": [], "dossier": []}


class LetterNotFound(BrievenError):
    status = 404


class SearchService:
    """Answers queries over one index. Share one service: it is safe across threads and sees a
    re-indexed corpus on the next call."""

    def __init__(self, index: Path | Store, taxonomy: Taxonomy | None = None,
                 synonyms: list[list[str]] | None = None, bm25: BM25 = BM25(),
                 deadline: float = SEARCH_SECONDS, answers: Answers | None = None):
        self.store: Store = WhooshStore(index) if isinstance(index, (str, Path)) else index
        self.taxonomy = taxonomy or load_taxonomy()
        self.synonyms = synonyms if synonyms is not None else synonym_groups()
        self.bm25 = bm25
        self.deadline = deadline  # seconds a search may take before it stops and says so
        # answers to repeated requests; a server with several workers gives them one to share
        self.answers: Answers = answers if answers is not None else ProcessAnswers()
        self._state: IndexState | None = None
        self._completions = LatestCompletions(self._completion_source)

    def close(self) -> None:
        self.store.close()

    def prepare(self) -> None:
        """Open the index and read what every search needs now (a server process does this
        before its first request, so that no user waits for it); without an index, nothing."""
        try:
            with self.store.snapshot() as snapshot:
                self._index_state(snapshot).prepare(snapshot)
                snapshot.open_stored()
                snapshot.open_lengths()
                snapshot.open_columns()
        except BrievenError:
            pass  # no index yet: the first request says so

    def keep_resident(self, notice: Callable[[str], None] | None = None) -> Callable[[], None]:
        """Keep the index in memory while serving (Store.keep_resident); returns what stops it."""
        return self.store.keep_resident(notice)

    # -- search ----------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        """Answer a request; an identical request against an unchanged index is answered from
        a small cache (paging, sorting and facet clicks repeat searches all the time). A search
        that ran out of time is answered as incomplete, and not cached."""
        started = time.perf_counter()
        with self.store.snapshot() as snapshot:
            # one snapshot for the key and the answer, so an answer is cached under its own state
            key = (snapshot.key, request)
            cached = self.answers.get(key)
            if cached is not None:
                return dataclasses.replace(cached, took_ms=(time.perf_counter() - started) * 1000)
            result = self._search(snapshot, request, started)
        if not result.incomplete:
            self.answers.put(key, result)
        return result

    def _search(self, snapshot: Snapshot, request: SearchRequest, started: float) -> SearchResult:
        """The answer to a request; when its query finds nothing and its spelling suggestion
        does (and the request is not `exact`), the suggestion's answer, which says so. Both
        searches share the request's deadline."""
        budget = Budget(self.deadline)
        result = self._answer(snapshot, request, request.query, budget, started)
        if request.exact or result.total or result.incomplete or not result.suggestion:
            return result
        instead = self._answer(snapshot, request, result.suggestion, Budget(budget.remaining()), started)
        if not instead.total:
            return result
        return dataclasses.replace(instead, query=request.query, suggestion=result.suggestion,
                                   searched_instead=result.suggestion)

    def _answer(self, snapshot: Snapshot, request: SearchRequest, query: str, budget: Budget,
                started: float) -> SearchResult:
        parsed = ql.parse(query)
        notices = [parsed.notice] if parsed.notice else []
        filters = merge_filters(request, parsed.filters, self.taxonomy, notices)
        total, letters_total, hits, letters, facets, years = 0, 0, [], [], NO_FACETS, []
        suggestion, stopped = None, False
        state = self._index_state(snapshot)
        terms = term_filters(state, filters, notices)
        try:
            found = find(snapshot, state, parsed, filters, budget, self.bm25, notices, terms)
            total, letters_total = found.total, found.total_letters
            units = letters_total if request.group is Group.LETTER else total
            last_page = max(1, -(-units // request.page_size))
            if request.page <= last_page and total:
                hits, letters = self._page(found, request)
            elif total:
                notices.append(f"Pagina {request.page} bestaat niet; er zijn {last_page} pagina's met resultaten.")
            facets = found.state.facets(found.hits, self.taxonomy, snapshot, tuple(filters.topics))
            years = found.state.year_counts(found.without_year()) if filters.year is not None else facets["year"]
        except DeadlinePassed:
            total, letters_total, hits, letters, facets, years, stopped = 0, 0, [], [], NO_FACETS, [], True
        if not stopped and parsed.node is not None and total < SUGGEST_BELOW:
            state = self._index_state(snapshot)
            suggestion = suggest(snapshot, query, parsed.node, budget,
                                 lambda word: state.written_form(snapshot, word))
        notices += budget.notices()
        if stopped:
            notices.append(deadline_notice(self.deadline))
        return SearchResult(
            query=query,
            total=total,
            page=request.page,
            page_size=request.page_size,
            took_ms=(time.perf_counter() - started) * 1000,
            sort=request.sort,
            filters={
                "topics": [self._topic_name(t) for t in filters.topics],
                "from": filters.date_from.isoformat() if filters.date_from else None,
                "to": filters.date_to.isoformat() if filters.date_to else None,
                "year": filters.year,
                "ministries": [state.ministry_names.get(s, s) for t in terms if t.field == "ministries"
                               for s in t.terms],
                "dossiers": [parse_dossier(d) or d for d in filters.dossiers],
            },
            hits=hits,
            facets=facets,
            notice=" ".join(dict.fromkeys(notices)) or None,
            suggestion=suggestion,
            incomplete=stopped,
            group=request.group,
            total_letters=letters_total,
            letters=letters,
            year_histogram=years,
        )

    def _page(self, found: Found, request: SearchRequest) -> tuple[list[Hit], list[LetterHits]]:
        """The hits of the page asked for, highlighted; grouped by letter, the page's letters
        too (their hits, in order, are the page's hits)."""
        terms = found.highlight_terms()

        def hit(docnum: int, score: float, similar: int = 0) -> Hit:
            record = self._paragraph(found.snapshot.stored(docnum))
            return Hit(**vars(record), score=score, snippet=snippet(record.text, terms), similar=similar)

        start, wanted = (request.page - 1) * request.page_size, request.page * request.page_size
        if request.group is Group.PARAGRAPH and not request.collapse:
            return [hit(d, s) for d, s in found.order(request.sort, wanted)[start:]], []
        if request.group is Group.PARAGRAPH:  # near-identical paragraphs as one
            prints = found.snapshot.numeric_column("fingerprint")
            shown = ranked_distinct(lambda k: found.order(request.sort, k), prints, wanted, found.total)
            return [hit(s.docnum, s.score, similar_count(prints, found.hits, s.docnum))
                    for s in shown[start:]], []
        letters = []
        for ranking in letter_page(found, request.sort, request.page, request.page_size, request.collapse):
            hits = [hit(d, s) for d, s in ranking.best]
            first = hits[0]
            letters.append(LetterHits(letter_id=first.letter_id, title=first.title, date=first.date,
                                      date_inferred=first.date_inferred, score=first.score,
                                      matching=ranking.matching, hits=hits, similar=ranking.similar))
        return [h for letter in letters for h in letter.hits], letters

    def hits(self, request: SearchRequest, one_per_letter: bool = False, snippets: bool = False,
             at_most: int | None = None) -> HitStream:
        """Every hit of a request (its page and page size aside), in its order, from one
        evaluation of the query. The evaluation happens now, within the deadline (a bad
        request fails here, before anything streams); the hits are read from the index as they
        are taken, from the same snapshot. `one_per_letter`: only each letter's first hit.
        `at_most`: with more hits than that, none are ordered or read (the stream has only
        its total). Close the stream (or read it to the end) to release the snapshot."""
        stack = contextlib.ExitStack()
        try:
            snapshot = stack.enter_context(self.store.snapshot())
            parsed = ql.parse(request.query)
            notices = [parsed.notice] if parsed.notice else []
            filters = merge_filters(request, parsed.filters, self.taxonomy, notices)
            budget = Budget(self.deadline)
            try:
                state = self._index_state(snapshot)
                terms = term_filters(state, filters, notices)
                found = find(snapshot, state, parsed, filters, budget, self.bm25, notices, terms)
                if at_most is not None and found.total > at_most:
                    stack.close()
                    return HitStream(found.total, None, False, iter(()), stack.close)
                ordered = found.order(request.sort, found.total)
                terms = found.highlight_terms() if snippets else Marks()
            except DeadlinePassed:
                stack.close()
                notices += [*budget.notices(), deadline_notice(self.deadline)]
                return HitStream(0, " ".join(dict.fromkeys(notices)), True, iter(()), stack.close)
        except BaseException:
            stack.close()
            raise
        notices += budget.notices()

        def stream() -> Iterator[Hit]:
            with stack:
                letters = snapshot.column("letter_id") if one_per_letter else None
                seen: set[str] = set()
                for docnum, score in ordered:
                    if letters is not None:
                        if letters[docnum] in seen:
                            continue
                        seen.add(letters[docnum])
                    record = self._paragraph(snapshot.stored(docnum))
                    yield Hit(**vars(record), score=score,
                              snippet=snippet(record.text, terms) if snippets else "")

        return HitStream(found.total, " ".join(dict.fromkeys(notices)) or None, False, stream(), stack.close)

    def complete(self, typed: str, limit: int = COMPLETIONS) -> list[Completion]:
        """Completions of a query being typed, from the index's own vocabulary (search as you
        type). What they are drawn from is built once per index state (seconds at 100,000
        paragraphs): on first use; after a change of the index, in the background, while the
        completions of the state before answer (a new letter's words come a little later)."""
        return self._completions.complete(typed, limit)

    @contextlib.contextmanager
    def _completion_source(self):
        with self.store.snapshot() as snapshot:
            yield snapshot.key, lambda: Completions.build(snapshot, self._index_state(snapshot),
                                                          self.taxonomy, self.synonyms)

    def _topic_name(self, slug: str) -> str:
        topic = self.taxonomy.by_slug(slug)
        return topic.name if topic else slug

    def _index_state(self, snapshot: Snapshot) -> IndexState:
        """What every search needs from the index, read once per index state."""
        current = self._state  # read once: another thread may replace it meanwhile
        if current is None or current.key != snapshot.key:
            current = self._state = IndexState(snapshot, self.synonyms, self.taxonomy)
        return current

    def _paragraph(self, stored: dict) -> Paragraph:
        """A paragraph's stored fields as its record: the one place they are read."""
        meta = _letter_meta(stored.get("letter_meta") or "{}")
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
            dossier=meta.get("dossier"),
            kamerstuk=meta.get("kamerstuk"),
            sender=meta.get("sender"),
            ministries=meta.get("ministries", []),
            letter_topics=[self._topic_name(s) for s in meta.get("topics", [])],
        )

    # -- letters and export ----------------------------------------------------------------
    def letter(self, letter_id: str, query: str = "") -> LetterView:
        """A whole letter as indexed; with `query`, its matching words are marked (within the
        search's budget: when it runs out, the letter is shown unmarked, with a notice)."""
        notices: list[str] = []
        with self.store.snapshot() as snapshot:
            docs = [snapshot.stored(n) for n in snapshot.documents("letter_id", letter_id)]
            terms = Marks()
            if query and docs:
                state = self._index_state(snapshot)
                budget = Budget(self.deadline)
                try:
                    _, positives = Compiler(state.expander, snapshot, budget=budget).compile(ql.parse(query).node)
                    terms = Evaluation(snapshot, self.bm25, budget).words(positives, HIGHLIGHT_FIELDS)
                except DeadlinePassed:
                    notices.append(deadline_notice(self.deadline, "zijn de woorden niet gemarkeerd"))
                notices[:0] = budget.notices()
        if not docs:
            raise LetterNotFound(f"De index bevat geen brief {letter_id!r}.")
        docs.sort(key=lambda d: d["paragraph"])
        meta = _letter_meta(docs[0].get("letter_meta") or "{}")
        paragraphs = [self._paragraph(d) for d in docs]
        first = paragraphs[0]
        return LetterView(
            id=letter_id,
            title=first.title,
            date=first.date,
            date_inferred=first.date_inferred,
            source=meta.get("source", ""),
            signatories=[Signatory(**s) for s in meta.get("signatories", [])],
            refers_to=meta.get("refers_to", []),
            paragraphs=[LetterParagraph(**vars(p), html=highlight(p.text, terms)) for p in paragraphs],
            dossier=meta.get("dossier"),
            document_number=meta.get("document_number"),
            kamerstuk=meta.get("kamerstuk"),
            dossier_title=meta.get("dossier_title"),
            sender=meta.get("sender"),
            ministries=meta.get("ministries", []),
            topics=first.letter_topics,
            notes=meta.get("notes", []),
            notice=" ".join(notices) or None,
        )

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every live paragraph (the export), by letter id and paragraph number, read from one
        snapshot: a letter removed or changed meanwhile changes nothing half-way."""
        with self.store.snapshot() as snapshot:
            order = self._index_state(snapshot).letter_order(snapshot)
            docs = np.flatnonzero(snapshot.live)
            for docnum in docs[np.argsort(order[docs], kind="stable")]:
                yield self._paragraph(snapshot.stored(int(docnum)))

    def letter_ids(self) -> list[str]:
        with self.store.snapshot() as snapshot:
            return sorted(_letter_ids(snapshot))

    def last_change(self) -> datetime | None:
        """When the index last changed (UTC): the `updated` of a feed without entries."""
        return self.store.last_change()

    def stats(self) -> dict:
        with self.store.snapshot() as snapshot:
            state = self._index_state(snapshot)
            years = sorted(y for y, docs in state.by_year.items() if len(docs))
            return {
                "letters": len(_letter_ids(snapshot)),
                "paragraphs": snapshot.doc_count,
                "terms": snapshot.term_count("text"),
                "years": f"{years[0]}–{years[-1]}" if years else None,
                "index": self.store.location,
                "size_bytes": self.store.size_bytes(),
            }

    def topic_counts(self) -> list[TopicCount]:
        """Every topic of the taxonomy (also those with none) with its paragraphs and letters:
        the themes largest first, each followed by its subtopics, largest first."""
        with self.store.snapshot() as snapshot:
            state = self._index_state(snapshot)
            letter_of = state.letters(snapshot)
            counts = {t.slug: TopicCount(slug=t.slug, name=t.name, parent=t.parent,
                                         paragraphs=len(state.topic_docs(t.slug)),
                                         letters=len(np.unique(letter_of[state.by_letter_topic.get(t.slug, _NO_DOCS)])))
                      for t in self.taxonomy.topics}
        return TopicCount.tree(self.taxonomy, counts)


_NO_DOCS = np.zeros(0, np.int64)


@functools.lru_cache(maxsize=4096)
def _letter_meta(stored: str) -> dict:
    """A letter's stored metadata (JSON), parsed once: every paragraph of a letter stores the
    same. Shared between callers, so read, never changed."""
    return json.loads(stored)


def _letter_ids(snapshot: Snapshot) -> set[str]:
    """The ids of the letters with live paragraphs, read from the paragraphs themselves: a
    removed letter's terms linger in the index until its segment is merged."""
    column = snapshot.column("letter_id")
    return {column[int(d)] for d in np.flatnonzero(snapshot.live)}
