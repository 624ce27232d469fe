"""The OpenSearch index: its settings and mapping, and the documents sent to it.

**Our own analysis, sent as tokens.** brieven's Dutch analysis (folding, possessives, stemming
with our overrides, hyphenated and closed compounds split with the word list's evidence) is
Python; rebuilding it as an OpenSearch analysis chain would mean a second implementation of the
compound splitter and the overrides, which would drift from the first. So each paragraph is
analysed here, by the same code as the embedded index, and sent as its terms: one
whitespace-separated token per position, the terms that share a position (a compound and its
parts) joined by `|`. The index's analyzer only splits on spaces and `|` (a `pattern_capture`
filter stacks the parts at the word's position), so positions, phrases and proximity are those
of the embedded index. Field lengths count every term, as Whoosh's do (`discount_overlaps`
off), and BM25's b and k1 are ours.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from indexer.analysis import analyze_positions, surface_words
from indexer.reading import ministry_slug
# The same BM25 as the embedded engine (indexer/searching/bm25.py; a test keeps them equal)
BM25_B, BM25_K1 = 0.4, 1.2

MAPPING_VERSION = 3  # bump when the mapping or the tokens change: `index --rebuild`
STACK = "|"


def index_body(shards: int = 1, replicas: int = 0) -> dict:
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "refresh_interval": "1s",
            "similarity": {"brieven_bm25": {"type": "BM25", "b": BM25_B, "k1": BM25_K1,
                                            "discount_overlaps": False}},
            "analysis": {
                "filter": {"stacked": {"type": "pattern_capture", "preserve_original": False,
                                       "patterns": [r"([^|]+)"]}},
                "analyzer": {"brieven_terms": {"type": "custom", "tokenizer": "whitespace",
                                               "filter": ["stacked"]}},
            },
        },
        "mappings": {
            "_meta": {"brieven_mapping": MAPPING_VERSION},
            "_source": {"excludes": ["text", "section"]},
            "dynamic": "strict",
            "properties": {
                "text": {"type": "text", "analyzer": "brieven_terms", "search_analyzer": "whitespace",
                         "similarity": "brieven_bm25"},
                "section": {"type": "text", "analyzer": "brieven_terms", "search_analyzer": "whitespace",
                            "similarity": "brieven_bm25", "index_options": "freqs"},
                # the letter's title on every paragraph: its score is added to a paragraph that
                # matches on its own (searching/letter_evidence.py); the words of elided
                # compounds and the names a paragraph says in other words, as in the embedded index
                "subject": {"type": "text", "analyzer": "brieven_terms", "search_analyzer": "whitespace",
                            "similarity": "brieven_bm25", "index_options": "freqs"},
                "elided": {"type": "text", "analyzer": "brieven_terms", "search_analyzer": "whitespace",
                           "similarity": "brieven_bm25", "index_options": "freqs"},
                "aliases": {"type": "text", "analyzer": "brieven_terms", "search_analyzer": "whitespace",
                            "similarity": "brieven_bm25", "index_options": "freqs"},
                "letter_topics": {"type": "keyword"},  # the letter's own topics, on every paragraph
                "plain": {"type": "text", "index": False},
                "letter_id": {"type": "keyword"},
                "paragraph": {"type": "integer"},
                "kind": {"type": "keyword", "index": False},
                "title": {"type": "text", "index": False},
                "section_label": {"type": "text", "index": False},
                "topics": {"type": "keyword"},
                "year": {"type": "keyword"},
                "day": {"type": "integer"},
                "date": {"type": "keyword", "index": False},
                "date_inferred": {"type": "boolean", "index": False},
                "dossier": {"type": "keyword"},
                "dossier_title": {"type": "keyword", "index": False},
                "ministries": {"type": "keyword"},
                "ministry_names": {"type": "keyword"},  # "slug\tname", for the facet's names
                "abbreviations": {"type": "keyword"},
                # the letter's surface words (folded, unstemmed) and the words folding changes as
                # written, on its first paragraph: spelling suggestions and completions, counted
                # in letters
                "words": {"type": "keyword"},
                "written": {"type": "keyword"},
                "letter_meta": {"type": "text", "index": False},
                "sha256": {"type": "keyword"},
                "letter_paragraphs": {"type": "integer"},
                "indexed_at": {"type": "date"},
            },
        },
    }


def terms_text(text: str) -> str:
    """A text's analysed terms as the index reads them: positions apart by spaces, terms at
    one position joined by `|`."""
    at: dict[int, list[str]] = {}
    for term, position, _, _ in analyze_positions(text):
        if term and STACK not in term and not term.isspace():
            at.setdefault(position, []).append(term)
    return " ".join(STACK.join(dict.fromkeys(at[p])) for p in sorted(at))


def os_document(doc: dict, sha256: str, paragraphs: int, letter_ministries: list[str]) -> dict:
    """One paragraph as OpenSearch stores it, from the embedded index's document of it
    (indexer/store/documents.py), so both backends index the same fields."""
    meta = json.loads(doc.get("letter_meta") or "{}")

    out = {
        "text": terms_text(doc["text"]),
        "plain": doc["text"],
        "letter_id": doc["letter_id"],
        "paragraph": doc["paragraph"],
        "kind": doc["kind"],
        "title": doc.get("title", ""),
        "topics": [t for t in (doc.get("topics") or "").split(",") if t],
        "date_inferred": bool(doc.get("date_inferred")),
        "letter_meta": doc.get("letter_meta") or "{}",
        "sha256": sha256,
        "letter_paragraphs": paragraphs,
        "indexed_at": datetime.now(timezone.utc).isoformat(),
    }
    if doc.get("day"):  # undated letters have none: they sort last either way
        out["day"] = doc["day"]
    if doc.get("section"):
        out["section"] = terms_text(doc["section"])
    if doc.get("title"):
        out["subject"] = terms_text(doc["title"])
    for field in ("elided", "aliases"):
        if doc.get(field):
            out[field] = terms_text(doc[field])
    if meta.get("topics"):
        out["letter_topics"] = meta["topics"]
    if doc.get("section_label"):
        out["section_label"] = doc["section_label"]
    if doc.get("date"):
        out["date"] = doc["date"].date().isoformat()
        out["year"] = doc["year"]
    if doc.get("dossier"):
        out["dossier"] = doc["dossier"]
        if meta.get("dossier_title"):
            out["dossier_title"] = meta["dossier_title"]
    if letter_ministries:
        out["ministries"] = [ministry_slug(m) for m in letter_ministries]
        out["ministry_names"] = [f"{ministry_slug(m)}\t{m}" for m in letter_ministries]
    if doc.get("words"):
        out["words"] = surface_words(doc["words"])
    if doc.get("written"):
        out["written"] = doc["written"].split(",")
    if doc.get("abbreviations"):
        out["abbreviations"] = doc["abbreviations"].split(",")
    return out
