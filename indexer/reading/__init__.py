"""Reading letters: a file (.txt, .pdf) becomes a Letter, its metadata and its paragraphs.

Decoding (encodings, PDF text layers), OCR repairs, the Kamerstuk print format (its header and
running footer), the page layout (pages, footnotes, paragraphs, headings), front matter (date
line, subject, signatures, furniture), dehyphenation, run-in headings, and what a letter says
about itself (senders and ministries, titles, dates, references) each have a module; `reader`
puts them in order, `corpus` says which files of a directory are letters. Nothing here knows of
the index or the web. A new letter format goes here, and nowhere else.

Exports: read_letter, parse_letter, Letter, Paragraph, Kind, Signatory, LetterError; the corpus
(letter_names, list_corpus, CorpusListing, find_letters, is_letter_name, is_letter_file,
add_to_corpus, AddReport, CorpusMissing, LetterIds (an id's file, found without listing), letter_id, letter_id_of_name, id_problem, file_sha256,
SIDECAR_SUFFIX); dates (parse_date, parse_iso_date); how filters name a ministry and a dossier
(ministry_slug, parse_dossier); a title shortened for display (shorten).
"""
from indexer.reading.corpus import (
    AddReport,
    CorpusListing,
    CorpusMissing,
    LetterIds,
    add_to_corpus,
    find_letters,
    is_letter_file,
    is_letter_name,
    letter_names,
    list_corpus,
)
from indexer.reading.dates import parse_date, parse_iso_date
from indexer.reading.kamerstuk import parse_dossier
from indexer.reading.model import (
    LETTER_SUFFIXES,
    SIDECAR_SUFFIX,
    Kind,
    Letter,
    LetterError,
    Paragraph,
    Signatory,
    file_sha256,
    id_problem,
    letter_id,
    letter_id_of_name,
)
from indexer.reading.reader import parse_letter, read_letter
from indexer.reading.senders import ministry_slug
from indexer.reading.titles import shorten

__all__ = [
    "AddReport", "CorpusListing", "CorpusMissing", "LetterIds", "list_corpus", "id_problem", "add_to_corpus", "find_letters", "is_letter_file",
    "is_letter_name", "letter_names", "parse_date", "parse_iso_date", "LETTER_SUFFIXES",
    "SIDECAR_SUFFIX", "Kind", "Letter", "LetterError", "Paragraph", "Signatory", "file_sha256",
    "letter_id", "letter_id_of_name", "parse_letter", "read_letter", "parse_dossier", "ministry_slug", "shorten",
]
