"""The search service over OpenSearch: the same requests, the same result objects.

`OpenSearchService` answers what `SearchService` answers (search, hits, letter, paragraphs,
stats, topics, ...) for an index in an OpenSearch cluster (indexer/store/opensearch_*.py), so
the CLI, the site and `brieven eval` run unchanged on either backend. The query is parsed and
compiled by the same code (indexer/searching/remote_query.py translates the compiled tree);
facets are aggregations over all hits, the year histogram an aggregation outside the year
filter (`post_filter`), results per letter a `collapse` on the letter. Searches use
`dfs_query_then_fetch`, so that term statistics are the whole index's, not one shard's: a
paragraph's score does not depend on the shard it landed on. Snippets and letter pages are
marked by our own highlighter from the same terms, so the marks are those of the embedded index.

Spelling suggestions come from a term suggester over the letters' surface words, completions
from aggregations (remote_completion.py); the search deadline is the cluster's `timeout`
(a timed-out search is answered as incomplete).
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from collections.abc import Iterator
from datetime import date, datetime

from indexer.analysis import Taxonomy, load_taxonomy, spelling_key
from indexer.errors import BrievenError
from indexer.reading import Kind, Signatory, parse_dossier
from indexer.searching import query as ql
from indexer.searching.budget import SEARCH_SECONDS, Budget, deadline_notice
from indexer.searching.completion import COMPLETIONS, Completion, Completions, LatestCompletions
from indexer.searching.expansion import Expander, attested, synonym_groups
from indexer.searching.filters import merge_filters, term_filters
from indexer.searching.grouping import HITS_PER_LETTER
from indexer.searching.index_state import DOSSIER_FACET_SIZE, IndexState
from indexer.searching.matching import NOTHING_SEARCHABLE
from indexer.searching.remote_completion import build_completions
from indexer.searching.remote_query import (MATCH_ALL, MATCH_NONE, RemoteCompiler, RemoteState,
                                            RemoteVocabulary, all_terms, filter_clauses, marks_of, to_dsl)
from indexer.searching.request import Group, SearchRequest, Sort
from indexer.searching.results import (FacetValue, Hit, HitStream, LetterHits, LetterParagraph, TopicCount,
                                       LetterView, Paragraph, SearchResult)
from indexer.searching.service import NO_FACETS, LetterNotFound
from indexer.searching.snippets import Marks, highlight, snippet
from indexer.searching.suggestions import SUGGEST_BELOW, suggest
from indexer.store import OpenSearchConfig, documents_of, guarded

STATE_SECONDS = 1.0  # how long the index's state is taken as unchanged without asking again
FIELDS = ["letter_id", "paragraph", "title", "date", "date_inferred", "section_label", "topics", "kind",
          "plain", "letter_meta"]
TIEBREAK = [{"letter_id": "asc"}, {"paragraph": "asc"}]


class OpenSearchService:
    """Answers queries over one alias in an OpenSearch cluster; share one across threads."""

    def __init__(self, config: OpenSearchConfig, taxonomy: Taxonomy | None = None,
                 synonyms=None, deadline: float = SEARCH_SECONDS):
        self.config = config
        self.client = config.client()
        self.taxonomy = taxonomy or load_taxonomy()
        self.synonyms = synonyms if synonyms is not None else synonym_groups()
        self.deadline = deadline
        self._state: RemoteState | None = None
        self._state_checked = 0.0
        self._completions = LatestCompletions(self._completion_source)

    def prepare(self) -> None:
        """Ask the cluster for the index's state before the first request (a server process
        does this for itself); an unreachable cluster is said by the first request instead."""
        try:
            self.state()
        except BrievenError:
            pass

    def close(self) -> None:
        self.client.close()

    # -- the index's state -------------------------------------------------------------------
    def _search(self, body: dict, **options) -> dict:
        with guarded(self.config):
            return self.client.search(index=self.config.alias, body=body, **options)

    def state(self) -> RemoteState:
        now = time.monotonic()
        current = self._state
        if current is not None and now - self._state_checked < STATE_SECONDS:
            return current
        with guarded(self.config):
            stats = self.client.indices.stats(index=self.config.alias, metric="docs,indexing")
        key = tuple(sorted((name, s["primaries"]["docs"]["count"], s["primaries"]["indexing"]["index_total"],
                            s["primaries"]["indexing"]["delete_total"]) for name, s in stats["indices"].items()))
        if current is None or current.key != key:
            fields = ["topics", "year", "ministries", "ministry_names", "dossier", "abbreviations"]
            aggs = {f: {"terms": {"field": f, "size": 50000}} for f in fields}  # within max_buckets
            response = self._search({"size": 0, "track_total_hits": True, "aggs": aggs})
            buckets = {f: {b["key"]: b["doc_count"] for b in response["aggregations"][f]["buckets"]} for f in fields}
            # in the order of the terms, as the embedded index lists them
            # without long forms defined in passing (expansion.attested): the buckets count letters
            abbreviations = attested((*term.split("\t", 1), letters)
                                     for term, letters in sorted(buckets["abbreviations"].items()) if "\t" in term)
            expander = Expander(self.synonyms, abbreviations, self.taxonomy)
            current = RemoteState(key, buckets, expander, response["hits"]["total"]["value"])
            current.abbreviations = abbreviations
            current.vocabulary = RemoteVocabulary(self._count, current.doc_count, self._spelling)
            self._state = current
        self._state_checked = now
        return current

    def _spelling(self, field: str, word: str, maxdist: int, prefix: int) -> str | None:
        """The indexed word closest to `word` (fewest edits, then most letters), or None."""
        body = {"size": 0, "suggest": {"s": {"text": word, "term": {
            "field": field, "max_edits": maxdist, "prefix_length": prefix, "min_word_length": 2,
            "suggest_mode": "always", "sort": "score", "size": 1, "string_distance": "damerau_levenshtein"}}}}
        options = self._search(body)["suggest"]["s"][0]["options"]
        return options[0]["text"] if options else None

    def _count(self, field: str, term: str) -> int:
        with guarded(self.config):
            return self.client.count(index=self.config.alias, body={"query": {"term": {field: term}}})["count"]

    # -- search --------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        """As SearchService.search: when the query finds nothing and its spelling suggestion
        does (and the request is not `exact`), the suggestion's answer, which says so."""
        started = time.perf_counter()
        budget = Budget(self.deadline)
        result = self._answer(request, request.query, budget, started)
        if request.exact or result.total or result.incomplete or not result.suggestion:
            return result
        instead = self._answer(request, result.suggestion, Budget(budget.remaining()), started)
        if not instead.total:
            return result
        return dataclasses.replace(instead, query=request.query, suggestion=result.suggestion,
                                   searched_instead=result.suggestion)

    def _answer(self, request: SearchRequest, text: str, budget: Budget, started: float) -> SearchResult:
        parsed = ql.parse(text)
        notices = [parsed.notice] if parsed.notice else []
        filters = merge_filters(request, parsed.filters, self.taxonomy, notices)
        state = self.state()
        terms = term_filters(state, filters, notices)
        query, marks = self._query(parsed, filters, state, budget, notices)
        body = {"query": {"bool": {"must": [query], "filter": filter_clauses(filters, terms, year=False)}},
                "track_total_hits": True, "_source": FIELDS,
                # the cluster stops a search at the deadline, and says so: answered as incomplete
                "timeout": f"{max(1, int(budget.remaining() * 1000))}ms"}
        year_filter = filter_clauses(ql.Filters(year=filters.year), [])
        facet_aggs = {
            "topic": {"terms": {"field": "topics", "size": max(1, len(self.taxonomy.topics))}},
            "letter_topic": self._letter_topic_agg(),
            "year": {"terms": {"field": "year", "size": 1000}},
            "ministry": {"terms": {"field": "ministry_names", "size": 1000}},
            "dossier": {"terms": {"field": "dossier", "size": DOSSIER_FACET_SIZE},
                        "aggs": {"title": {"terms": {"field": "dossier_title", "size": 1}}}},
            "letters": {"cardinality": {"field": "letter_id", "precision_threshold": 40000}},
        }
        if year_filter:
            body["post_filter"] = year_filter[0]
            body["aggs"] = {"scope": {"filter": year_filter[0], "aggs": facet_aggs},
                            "all_years": {"terms": {"field": "year", "size": 1000}}}
        else:
            body["aggs"] = facet_aggs
        size = request.page_size
        body["from"], body["size"] = (request.page - 1) * size, size
        body["sort"] = _sort(request.sort)
        if request.sort is not Sort.RELEVANCE:
            body["track_scores"] = False
        if request.group is Group.LETTER:
            inner = {"name": "best", "size": HITS_PER_LETTER, "_source": FIELDS,
                     "sort": [{"_score": "desc"}, {"paragraph": "asc"}]}
            body["collapse"] = {"field": "letter_id", "inner_hits": inner}
        response = self._search(body, search_type="dfs_query_then_fetch")
        if response.get("timed_out"):
            notices += [*budget.notices(), deadline_notice(self.deadline)]
            return SearchResult(
                query=text, total=0, page=request.page, page_size=request.page_size,
                took_ms=(time.perf_counter() - started) * 1000, sort=request.sort, filters=self._filters(filters, terms, state),
                hits=[], facets=NO_FACETS,
                notice=" ".join(dict.fromkeys(notices)), incomplete=True, group=request.group)
        aggs = response["aggregations"]
        scope = aggs["scope"] if year_filter else aggs
        total = response["hits"]["total"]["value"]
        letters_total = int(scope["letters"]["value"])
        facets = self._facets(scope, state, tuple(filters.topics))
        years = _years(aggs["all_years"]) if year_filter else facets["year"]
        units = letters_total if request.group is Group.LETTER else total
        last_page = max(1, -(-units // size))
        if request.page > last_page and total:
            notices.append(f"Pagina {request.page} bestaat niet; er zijn {last_page} pagina's met resultaten.")
        raw = response["hits"]["hits"]
        sources = [h["_source"] for h in raw]
        if request.group is Group.LETTER:
            sources += [i["_source"] for h in raw for i in h["inner_hits"]["best"]["hits"]["hits"]]
        marks = marks_of(marks, [s["plain"] for s in sources])
        relevance = request.sort is Sort.RELEVANCE

        def hit(h: dict) -> Hit:
            record = self._paragraph(h["_source"])
            score = float(h.get("_score") or 0.0) if relevance else 0.0
            return Hit(**vars(record), score=score, snippet=snippet(record.text, marks))

        hits, letters = [], []
        if request.group is Group.PARAGRAPH:
            hits = [hit(h) for h in raw]
        else:
            for h in raw:
                inner = h["inner_hits"]["best"]["hits"]
                best = [hit(i) for i in inner["hits"]]
                first = best[0]
                letters.append(LetterHits(letter_id=first.letter_id, title=first.title, date=first.date,
                                          date_inferred=first.date_inferred, score=first.score,
                                          matching=int(inner["total"]["value"]), hits=best))
            hits = [h for letter in letters for h in letter.hits]
        suggestion = None
        if parsed.node is not None and total < SUGGEST_BELOW:
            suggestion = suggest(state.vocabulary, text, parsed.node, budget,
                                 lambda word: self._written_form(state, word))
        notices += budget.notices()
        return SearchResult(
            query=text, total=total, page=request.page, page_size=size,
            took_ms=(time.perf_counter() - started) * 1000, sort=request.sort,
            filters=self._filters(filters, terms, state),
            hits=hits, facets=facets, notice=" ".join(dict.fromkeys(notices)) or None,
            suggestion=suggestion, incomplete=False, group=request.group, total_letters=letters_total,
            letters=letters, year_histogram=years)

    def _filters(self, filters: ql.Filters, terms, state: RemoteState) -> dict:
        return {
            "topics": [self._topic_name(t) for t in filters.topics],
            "from": filters.date_from.isoformat() if filters.date_from else None,
            "to": filters.date_to.isoformat() if filters.date_to else None,
            "year": filters.year,
            "ministries": [state.ministry_names.get(s, s) for t in terms if t.field == "ministries" for s in t.terms],
            "dossiers": [parse_dossier(d) or d for d in filters.dossiers],
        }

    def _written_form(self, state: RemoteState, word: str) -> str:
        """A folded word as the letters write it (as IndexState.written_form)."""
        if state.written is None:
            best: dict[str, tuple[str, int]] = {}
            with guarded(self.config):
                for form, letters in all_terms(self.client, self.config.alias, "written"):
                    key = spelling_key(form)
                    if letters > best.get(key, ("", 0))[1]:
                        best[key] = (form, letters)
            state.written = best
        form, count = state.written.get(word, (word, 0))
        if not count:
            return word
        return form if 2 * count >= state.vocabulary.doc_frequency("words", word) else word

    def _query(self, parsed: ql.ParsedQuery, filters: ql.Filters, state: RemoteState, budget: Budget,
               notices: list[str]) -> tuple[dict, list]:
        """The query in the DSL, and the parts of it whose words are marked."""
        if parsed.nothing_to_search or (filters.date_from and filters.date_to and filters.date_from > filters.date_to):
            return MATCH_NONE, []
        if parsed.node is None:
            return MATCH_ALL, []
        compiled, positives = RemoteCompiler(state.expander, state.vocabulary, budget=budget).compile(parsed.node)
        if compiled is None:
            if not budget.too_short and not budget.left_out:
                notices.append(NOTHING_SEARCHABLE)
            return MATCH_NONE, []
        return to_dsl(compiled), positives

    def _facets(self, aggs: dict, state: RemoteState, chosen: tuple[str, ...]) -> dict[str, list[FacetValue]]:
        """The facets from the aggregations; the topics as a tree, as the embedded index gives them."""
        paragraphs = {b["key"]: b["doc_count"] for b in aggs["topic"]["buckets"]}
        topics = IndexState.topic_facet(self.taxonomy, chosen, paragraphs)
        letter_topics = IndexState.topic_facet(self.taxonomy, chosen, _letter_counts(aggs["letter_topic"]))
        ministries = []
        for b in aggs["ministry"]["buckets"]:
            slug, _, name = b["key"].partition("\t")
            ministries.append(FacetValue(value=state.ministry_names.get(slug, name), slug=slug, count=b["doc_count"]))
        ministries.sort(key=lambda v: (-v.count, v.value))
        dossiers = [FacetValue(value=b["key"], count=b["doc_count"],
                               label=(b["title"]["buckets"][0]["key"] if b["title"]["buckets"] else None))
                    for b in aggs["dossier"]["buckets"]]
        return {"topic": topics, "letter_topic": letter_topics, "year": _years(aggs["year"]),
                "ministry": ministries, "dossier": dossiers}

    def hits(self, request: SearchRequest, one_per_letter: bool = False, snippets: bool = False,
             at_most: int | None = None) -> HitStream:
        """Every hit of a request in its order, read page by page from the cluster."""
        parsed = ql.parse(request.query)
        notices = [parsed.notice] if parsed.notice else []
        filters = merge_filters(request, parsed.filters, self.taxonomy, notices)
        state = self.state()
        terms = term_filters(state, filters, notices)
        budget = Budget(self.deadline)
        query, positives = self._query(parsed, filters, state, budget, notices)
        full = {"bool": {"must": [query], "filter": filter_clauses(filters, terms)}}
        with guarded(self.config):
            total = self.client.count(index=self.config.alias, body={"query": full})["count"]
        notices += budget.notices()
        notice = " ".join(dict.fromkeys(notices)) or None
        if at_most is not None and total > at_most:
            return HitStream(total, notice, False, iter(()), lambda: None)
        relevance = request.sort is Sort.RELEVANCE

        def stream() -> Iterator[Hit]:
            seen: set[str] = set()
            with guarded(self.config):
                for h in documents_of(self.client, self.config.alias, full, _sort(request.sort), source=FIELDS,
                                      search_type="dfs_query_then_fetch"):
                    source = h["_source"]
                    if one_per_letter:
                        if source["letter_id"] in seen:
                            continue
                        seen.add(source["letter_id"])
                    record = self._paragraph(source)
                    marks = marks_of(positives, [record.text]) if snippets else Marks()
                    yield Hit(**vars(record), score=float(h.get("_score") or 0.0) if relevance else 0.0,
                              snippet=snippet(record.text, marks) if snippets else "")

        return HitStream(total, notice, False, stream(), lambda: None)

    def complete(self, typed: str, limit: int = COMPLETIONS) -> list[Completion]:
        """Completions of a query being typed (indexer/searching/remote_completion.py): built on
        first use; after a change of the index, in the background while the last ones answer."""
        return self._completions.complete(typed, limit)

    @contextlib.contextmanager
    def _completion_source(self):
        state = self.state()

        def build() -> Completions:
            with guarded(self.config):
                return build_completions(self.client, self.config.alias, state, self.taxonomy,
                                         self.synonyms, self._written_form)
        yield state.key, build

    # -- letters and export ------------------------------------------------------------------
    def letter(self, letter_id: str, query: str = "") -> LetterView:
        with guarded(self.config):
            docs = [h["_source"] for h in documents_of(self.client, self.config.alias,
                                                        {"term": {"letter_id": letter_id}},
                                                        [{"paragraph": "asc"}], source=FIELDS)]
        if not docs:
            raise LetterNotFound(f"De index bevat geen brief {letter_id!r}.")
        paragraphs = [self._paragraph(d) for d in docs]
        marks = Marks()
        if query:
            parsed = ql.parse(query)
            _, positives = self._query(parsed, ql.Filters(), self.state(), Budget(self.deadline), [])
            marks = marks_of(positives, [p.text for p in paragraphs])
        meta = json.loads(docs[0].get("letter_meta") or "{}")
        first = paragraphs[0]
        return LetterView(
            id=letter_id, title=first.title, date=first.date, date_inferred=first.date_inferred,
            source=meta.get("source", ""), signatories=[Signatory(**s) for s in meta.get("signatories", [])],
            refers_to=meta.get("refers_to", []),
            paragraphs=[LetterParagraph(**vars(p), html=highlight(p.text, marks)) for p in paragraphs],
            dossier=meta.get("dossier"), document_number=meta.get("document_number"),
            kamerstuk=meta.get("kamerstuk"), dossier_title=meta.get("dossier_title"),
            sender=meta.get("sender"), ministries=meta.get("ministries", []), topics=first.letter_topics,
            notes=meta.get("notes", []),
            notice=None)

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph, by letter id and paragraph number."""
        with guarded(self.config):
            for h in documents_of(self.client, self.config.alias, MATCH_ALL, TIEBREAK, source=FIELDS):
                yield self._paragraph(h["_source"])

    def letter_ids(self) -> list[str]:
        with guarded(self.config):
            return sorted(letter_id for letter_id, _ in all_terms(self.client, self.config.alias, "letter_id"))

    def last_change(self) -> datetime | None:
        response = self._search({"size": 0, "aggs": {"last": {"max": {"field": "indexed_at"}}}})
        value = response["aggregations"]["last"].get("value_as_string")
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

    def stats(self) -> dict:
        state = self.state()
        body = {"size": 0, "aggs": {"letters": {"cardinality": {"field": "letter_id", "precision_threshold": 40000}}}}
        letters = int(self._search(body)["aggregations"]["letters"]["value"])
        years = sorted(y for y, n in state.by_year.items() if n)
        with guarded(self.config):
            size = self.client.indices.stats(index=self.config.alias, metric="store")["_all"]["total"]["store"]["size_in_bytes"]
        return {"letters": letters, "paragraphs": state.doc_count,
                "years": f"{years[0]}–{years[-1]}" if years else None,
                "index": f"{self.config.shown_url}/{self.config.alias}", "size_bytes": size}

    def topic_counts(self) -> list[TopicCount]:
        """As SearchService.topic_counts: paragraphs per topic, and letters by their own topics."""
        by_topic = self.state().by_topic
        body = {"size": 0, "aggs": {"letter_topic": self._letter_topic_agg()}}
        letters = _letter_counts(self._search(body)["aggregations"]["letter_topic"])
        counts = {t.slug: TopicCount(slug=t.slug, name=t.name, parent=t.parent,
                                     paragraphs=by_topic.get(t.slug, 0), letters=letters.get(t.slug, 0))
                  for t in self.taxonomy.topics}
        return TopicCount.tree(self.taxonomy, counts)

    def _letter_topic_agg(self) -> dict:
        """Letters per letter topic (on each paragraph of a letter here): a cardinality, exact
        up to about 3,000 letters a topic; exact for all would cost 320 KB a topic and shard."""
        return {"terms": {"field": "letter_topics", "size": max(1, len(self.taxonomy.topics))},
                "aggs": {"letters": {"cardinality": {"field": "letter_id", "precision_threshold": 3000}}}}

    # -- records -------------------------------------------------------------------------------
    def _topic_name(self, slug: str) -> str:
        topic = self.taxonomy.by_slug(slug)
        return topic.name if topic else slug

    def _paragraph(self, source: dict) -> Paragraph:
        meta = json.loads(source.get("letter_meta") or "{}")
        return Paragraph(
            letter_id=source["letter_id"], number=source["paragraph"], title=source.get("title", ""),
            date=date.fromisoformat(source["date"]) if source.get("date") else None,
            date_inferred=bool(source.get("date_inferred")), section=source.get("section_label"),
            topics=[self._topic_name(s) for s in source.get("topics") or []],
            kind=Kind(source.get("kind", "body")), text=source["plain"],
            dossier=meta.get("dossier"), kamerstuk=meta.get("kamerstuk"), sender=meta.get("sender"),
            ministries=meta.get("ministries", []),
            letter_topics=[self._topic_name(s) for s in meta.get("topics", [])])


def _sort(sort: Sort) -> list:
    if sort is Sort.RELEVANCE:
        return [{"_score": "desc"}, *TIEBREAK]
    order = "desc" if sort is Sort.DATE_DESC else "asc"
    return [{"day": {"order": order, "missing": "_last"}}, *TIEBREAK]


def _letter_counts(agg: dict) -> dict[str, int]:
    return {b["key"]: int(b["letters"]["value"]) for b in agg["buckets"]}


def _years(agg: dict) -> list[FacetValue]:
    return sorted((FacetValue(value=b["key"], count=b["doc_count"]) for b in agg["buckets"] if b["doc_count"]),
                  key=lambda v: v.value)
