"""Searching: a query in brieven's language becomes ranked, highlighted paragraphs and facets.

The query language (`query`) is parsed into plain data, compiled with the Dutch expansions
(`compiler`, `expansion`: synonyms, harvested abbreviations, compound parts, topics) and
evaluated over arrays of postings (`engine`, with `bm25`, `proximity` and `ranking`); filters,
facets and date order come from the index state (`index_state`), snippets and suggestions from
their own modules. `matching` evaluates one request once, within the `budget` every search has
(a deadline, caps on expansions). `service` is the one entry point: the CLI and the web app call
it and get `results` back. It reads the index through the store's interface, never Whoosh's
readers.

Exports: SearchService, SearchRequest, Sort, BadParameter, Rule, LetterNotFound, SearchResult, Hit,
HitStream, FacetValue, Paragraph, LetterView, LetterParagraph, EXPORT_FIELDS, csv_lines, clean_query,
MAX_QUERY_LENGTH, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, FIRST_YEAR, LAST_YEAR, SEARCH_SECONDS, Limits.
"""
from indexer.searching.budget import SEARCH_SECONDS, Limits
from indexer.searching.export import csv_lines
from indexer.searching.query import MAX_QUERY_LENGTH, clean_query
from indexer.searching.request import (
    DEFAULT_PAGE_SIZE,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_PAGE_SIZE,
    BadParameter,
    Rule,
    SearchRequest,
    Sort,
)
from indexer.searching.results import (
    EXPORT_FIELDS,
    FacetValue,
    Hit,
    HitStream,
    LetterParagraph,
    LetterView,
    Paragraph,
    SearchResult,
)
from indexer.searching.service import LetterNotFound, SearchService

__all__ = [
    "csv_lines", "clean_query", "MAX_QUERY_LENGTH", "DEFAULT_PAGE_SIZE", "FIRST_YEAR", "LAST_YEAR",
    "MAX_PAGE_SIZE", "BadParameter", "Rule", "SearchRequest", "Sort", "EXPORT_FIELDS", "FacetValue",
    "Hit", "HitStream", "LetterParagraph", "LetterView", "Paragraph", "SearchResult", "LetterNotFound",
    "SearchService", "SEARCH_SECONDS", "Limits",
]
