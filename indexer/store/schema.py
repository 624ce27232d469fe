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
SCHEMA_VERSION = 12


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
        # The title searched, once per letter (on its first paragraph): the search spreads its
        # score to the letter's paragraphs that match on their own (searching/letter_evidence.py).
        subject=DutchText(analyzer=dutch, phrase=False),
        # Each occurrence of a text term that is only a compound's modifier ("klimaat" in
        # klimaatverandering), counted: such an occurrence scores less (searching/bm25.py).
        modifiers=Keywords(),
        # The paragraph's SimHash (analysis/fingerprint.py) as a column: near-identical hits are
        # shown as one (searching/similar.py).
        fingerprint=StoredNumber("q", stored=False),
        # The whole words of elided compounds ("landbouw" of "land- en tuinbouw"), which a query
        # word matches more weakly than the text (analysis.elisions, searching/compiler.py).
        elided=DutchText(analyzer=dutch, phrase=False),
        # What a paragraph names in other words, from its letter: the person a title alone stands
        # for, or the title of a name alone (analysis/names.py: aliases).
        aliases=DutchText(analyzer=dutch, phrase=False),
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
        # The names of the letter with three to six initials ("NRR\tNAVO-Rusland Raad") and the
        # acronyms it writes ("NRR"), on its first paragraph: what an acronym no letter defines
        # may stand for (analysis/names.py).
        names=Keywords(),
        # "<letter id>\t<sha256>\t<size:mtime>" on a letter's first paragraph: an update reads
        # every letter's file state from this field's list of terms, in one pass.
        letter_file=Identifier(),
        # the letter file's sha256, on its first paragraph: `brieven add` finds a letter already
        # indexed under another name by one lookup, instead of reading the size of every file
        letter_sha256=Identifier(),
    )
