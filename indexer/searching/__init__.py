"""Searching: a query in brieven's language becomes ranked, highlighted paragraphs and facets.

The query language (`query`) is parsed into plain data, compiled with the Dutch expansions
(`compiler`, `expansion`: synonyms, harvested abbreviations, compound parts, topics) and
evaluated over arrays of postings (`engine`, with `bm25`, `proximity` and `ranking`); filters,
facets and date order come from the index state (`index_state`), snippets and suggestions from
their own modules; `answers` keeps the answers to repeated requests. `matching` evaluates one request once, within the `budget` every search has
(a deadline, caps on expansions). `service` is the one entry point: the CLI and the web app call
it and get `results` back. It reads the index through the store's interface, never Whoosh's
readers.

`remote_service` answers the same requests from an OpenSearch cluster (`remote_query`: the
compiled query in OpenSearch's DSL).

Exports: SearchService, OpenSearchService, SearchRequest, Sort, Group, BadParameter, Rule, LetterNotFound, SearchResult, Hit,
HitStream, LetterHits, FacetValue, Paragraph, LetterView, LetterParagraph, EXPORT_FIELDS, csv_lines,
xlsx_bytes, export_file_name, Completion, CompletionKind, SharedAnswers, clean_query,
MAX_QUERY_LENGTH, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, FIRST_YEAR, LAST_YEAR, SEARCH_SECONDS, Limits.
"""
import importlib

from indexer.searching.budget import SEARCH_SECONDS, Limits
from indexer.searching.query import MAX_QUERY_LENGTH, clean_query
from indexer.searching.request import (
    DEFAULT_PAGE_SIZE,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_PAGE_SIZE,
    BadParameter,
    Group,
    Rule,
    SearchRequest,
    Sort,
)

# The service, its results and the CSV writer bring numpy, Whoosh and the readers with them
# (0.2 s): they are imported when first used (PEP 562), so that what needs only the request
# rules above (`brieven --help`, the settings) starts without them.
_LATER = {
    "csv_lines": "export", "xlsx_bytes": "export", "export_file_name": "export",
    "EXPORT_FIELDS": "results", "FacetValue": "results", "Hit": "results", "HitStream": "results",
    "LetterHits": "results", "LetterParagraph": "results", "LetterView": "results", "Paragraph": "results",
    "SearchResult": "results",
    "LetterNotFound": "service", "SearchService": "service", "OpenSearchService": "remote_service",
    "SharedAnswers": "answers",
    "Completion": "completion", "CompletionKind": "completion",
}


def __getattr__(name: str):
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "csv_lines", "xlsx_bytes", "export_file_name", "clean_query", "MAX_QUERY_LENGTH", "DEFAULT_PAGE_SIZE", "FIRST_YEAR", "LAST_YEAR",
    "MAX_PAGE_SIZE", "BadParameter", "Group", "Rule", "SearchRequest", "Sort", "EXPORT_FIELDS", "FacetValue",
    "Hit", "HitStream", "LetterHits", "LetterParagraph", "LetterView", "Paragraph", "SearchResult", "LetterNotFound",
    "SearchService", "OpenSearchService", "SEARCH_SECONDS", "Limits", "Completion", "CompletionKind", "SharedAnswers",
]
