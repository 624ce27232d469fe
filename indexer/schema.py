"""The Whoosh schema: one document per paragraph.

Choices measured in notes/whoosh.md: topics are a KEYWORD field with term vectors (fast
overlapping facets), the year is a separate sortable ID (not a date-range facet), and the text
keeps positions and characters for phrases and highlighting.
"""
from __future__ import annotations

from whoosh import fields

from indexer.dutch import dutch_analyzer, words_analyzer

# Bump when the schema or the analysis changes in a way that needs `brieven index --rebuild`.
SCHEMA_VERSION = 4


def build_schema() -> fields.Schema:
    dutch = dutch_analyzer()
    return fields.Schema(
        doc_id=fields.ID(unique=True, stored=True),  # "<letter_id>#<paragraph>"
        letter_id=fields.ID(stored=True, sortable=True),
        paragraph=fields.NUMERIC(int, stored=True, sortable=True),
        kind=fields.ID(stored=True),
        # The heading a body paragraph stands under is searchable (it speaks for the paragraph);
        # a footnote only shows the heading of the paragraph that cites it.
        section=fields.TEXT(analyzer=dutch, phrase=False),
        section_label=fields.STORED(),
        text=fields.TEXT(analyzer=dutch, stored=True, phrase=True, chars=True),
        # Shown, not searched: a title word would make every paragraph of its letter match.
        title=fields.STORED(),
        topics=fields.KEYWORD(commas=True, stored=True, vector=True, scorable=False),
        date=fields.DATETIME(stored=True),
        # The letter's date as a day number (0: undated), read as a column for date filters and
        # sorting: cheaper than Whoosh's date ranges, which expand into many terms.
        day=fields.NUMERIC(int, bits=32, sortable=True),
        year=fields.ID(stored=True, sortable=True),
        # Surface words, unstemmed, for "Bedoelde u ...?" suggestions.
        words=fields.TEXT(analyzer=words_analyzer(), phrase=False, spelling=True),
        # Letter metadata for display, the same on every paragraph of a letter.
        date_inferred=fields.BOOLEAN(stored=True),
        letter_meta=fields.STORED(),  # JSON: signatories, kamerstukken, source
        # The abbreviations a letter defines ("EDT\temerging and disruptive technologies"), on its
        # first paragraph: the search reads them all from this field's list of terms.
        abbreviations=fields.KEYWORD(commas=True, scorable=False),
        # Of the letter file, to skip unchanged letters: its content hash, and its size and
        # modification time, which spare hashing a file that was not touched. Columns, so that an
        # update reads them for 100k paragraphs in one pass.
        sha256=fields.ID(stored=True),
        # "<letter id>\t<sha256>\t<size:mtime>" on a letter's first paragraph: an update reads
        # every letter's file state from this field's list of terms, in one pass.
        letter_file=fields.ID(),
    )
