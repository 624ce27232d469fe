"""The Whoosh schema: one document per paragraph.

Choices measured in notes/whoosh.md: topics are a KEYWORD field (once with term vectors, for
Whoosh's overlapping facets; the search counts facets from postings, so no vectors), the year is a separate sortable ID (not a date-range facet), and the text
keeps positions for phrases (highlighting re-analyses the stored text, so no character
offsets). Fields that are only shown, sorted or filtered through a column have no postings:
every posting costs indexing time. The searchable text fields are indexed through
indexer/store/fields.py (one analysis per paragraph, shared with the topics).
"""
from __future__ import annotations

from whoosh import fields

from indexer.store.fields import (
    DutchText,
    Identifier,
    Keywords,
    StoredNumber,
    SurfaceWords,
    dutch_analyzer,
    words_analyzer,
)

# Bump when the schema or the analysis changes in a way that needs `brieven index --rebuild`.
SCHEMA_VERSION = 10


def build_schema() -> fields.Schema:
    dutch = dutch_analyzer()
    return fields.Schema(
        doc_id=Identifier(unique=True, stored=True),  # "<letter_id>#<paragraph>"
        letter_id=Identifier(stored=True, sortable=True),
        paragraph=StoredNumber(),  # stored, and a column for sorting
        kind=fields.STORED(),
        # The heading a body paragraph stands under is searchable (it speaks for the paragraph);
        # a footnote only shows the heading of the paragraph that cites it.
        section=DutchText(analyzer=dutch, phrase=False),
        section_label=fields.STORED(),
        text=DutchText(analyzer=dutch, stored=True, phrase=True),
        # Shown, not searched: a title word would make every paragraph of its letter match.
        title=fields.STORED(),
        topics=Keywords(stored=True),
        # The letter's topics (from all its paragraphs, its title and its sender), on its first
        # paragraph: the letter facet counts letters by them (shown from letter_meta's "topics").
        letter_topics=Keywords(),
        date=fields.STORED(),  # a datetime, for display; filters and sorting use `day`
        # The letter's date as a day number (0: undated), read raw as a column for date filters
        # and sorting: cheaper than Whoosh's date ranges, which expand into many terms.
        day=StoredNumber("i", stored=False),
        year=Identifier(stored=True, sortable=True),
        # Surface words, unstemmed, for "Bedoelde u ...?" suggestions: all of a letter's words on
        # its first paragraph (the counts are the letter's).
        words=SurfaceWords(analyzer=words_analyzer()),
        # What the letter is and who sends it, for filters and facets (shown from letter_meta):
        # the normalised dossier ("21461", "17600-XII") and the ministries' slugs
        # ("buitenlandse-zaken,defensie"), on every paragraph of the letter.
        dossier=Identifier(),
        ministries=Keywords(),
        # The letter's words that folding changes, as written ("Oekraïne", "defensie-uitgaven"),
        # on its first paragraph: suggestions and completions show a word the way letters write it.
        written=Keywords(),
        # Letter metadata for display, the same on every paragraph of a letter.
        date_inferred=fields.STORED(),
        letter_meta=fields.STORED(),  # JSON: source, signatories, refers_to, dossier, sender, ...
        # The abbreviations a letter defines ("EDT\temerging and disruptive technologies"), on its
        # first paragraph: the search reads them all from this field's list of terms.
        abbreviations=Keywords(),
        # "<letter id>\t<sha256>\t<size:mtime>" on a letter's first paragraph: an update reads
        # every letter's file state from this field's list of terms, in one pass.
        letter_file=Identifier(),
    )
