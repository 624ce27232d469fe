"""The Whoosh schema: one document per paragraph.

Choices measured in notes/whoosh.md: topics are a KEYWORD field with term vectors (fast
overlapping facets), the year is a separate sortable ID (not a date-range facet), and the text
keeps positions and characters for phrases and highlighting.
"""
from __future__ import annotations

from whoosh import fields

from indexer.dutch import dutch_analyzer, words_analyzer

# Bump when the schema or the analysis changes in a way that needs `brieven index --rebuild`.
SCHEMA_VERSION = 2


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
        date=fields.DATETIME(stored=True, sortable=True),
        has_date=fields.NUMERIC(int, sortable=True),  # undated paragraphs sort last either way
        year=fields.ID(stored=True, sortable=True),
        # Surface words, unstemmed, for "Bedoelde u ...?" suggestions.
        words=fields.TEXT(analyzer=words_analyzer(), phrase=False, spelling=True),
        # Letter metadata for display, the same on every paragraph of a letter.
        date_inferred=fields.BOOLEAN(stored=True),
        letter_meta=fields.STORED(),  # JSON: signatories, kamerstukken, source
        sha256=fields.ID(stored=True),  # of the letter file: unchanged letters are skipped
    )
