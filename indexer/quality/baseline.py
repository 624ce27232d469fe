"""The reference ranking for `brieven eval`: what a Solr or Elasticsearch user gets out of the box.

The same paragraphs, analysed the way Lucene's DutchAnalyzer does (lowercase, Snowball Dutch
stopwords and stemmer; no diacritic folding, no compounds, no synonyms), any word matching,
ranked by plain BM25. Built in a temporary directory from the paragraphs of our own index, so the
two rankings differ only in analysis and ranking, never in what counts as a paragraph.
"""
from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterable

from whoosh import fields, index, qparser, scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

from indexer.analysis import stopwords
from indexer.searching import Paragraph


@functools.cache
def _plain_stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("dutch_porter")


@functools.lru_cache(maxsize=50_000)
def plain_stem(word: str) -> str:
    return _plain_stemmer().stemWord(word)


def plain_analyzer():
    return (
        RegexTokenizer(r"\w+")
        | LowercaseFilter()
        | StopFilter(stoplist=stopwords(), minsize=1)
        | StemFilter(stemfn=plain_stem)
    )


class BaselineRanker:
    """Ranks paragraphs for a query string; `rank` returns (letter id, paragraph text)."""

    def __init__(self, paragraphs: Iterable[Paragraph]):
        self._dir = tempfile.TemporaryDirectory(prefix="brieven-baseline-")
        schema = fields.Schema(
            letter_id=fields.ID(stored=True),
            text=fields.TEXT(analyzer=plain_analyzer(), stored=True, phrase=True),
        )
        self._ix = index.create_in(self._dir.name, schema)
        with self._ix.writer() as writer:
            for p in paragraphs:
                writer.add_document(letter_id=p.letter_id, text=p.text)
        self._parser = qparser.QueryParser("text", schema, group=qparser.OrGroup)

    def rank(self, query: str, limit: int) -> list[tuple[str, str]]:
        with self._ix.searcher(weighting=scoring.BM25F()) as searcher:
            hits = searcher.search(self._parser.parse(query), limit=limit)
            return [(h["letter_id"], h["text"]) for h in hits]

    def close(self) -> None:
        self._dir.cleanup()
