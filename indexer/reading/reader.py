"""Read a letter file into a Letter: metadata plus paragraphs, as a careful human would.

The letters are text extracted from PDFs, or OCR of printed Kamerstukken: hyphenated line ends
(or, in OCR, hyphens left inside flattened lines), page breaks (a line that starts with a space,
or a form feed), footnotes at the bottom of a page, an address block, signatures, and in a
Kamerstuk a header that says what the letter is and page furniture. The steps live in their own
modules (ocr, kamerstuk, decoding, layout, front matter, hyphenation, headings, titles, dates,
references, senders, abbreviations); this one puts them in order, and `describe` turns what
they found into the letter's metadata. Nothing here knows of the index.
"""
from __future__ import annotations

import functools
import unicodedata
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from indexer.reading import layout, ocr
from indexer.reading.abbreviations import find_abbreviations
from indexer.reading.decoding import decode_file
from indexer.reading.description import describe
from indexer.reading.front_matter import take_front_matter
from indexer.reading.headings import split_run_in
from indexer.reading.hyphenation import Dehyphenator, letter_vocabulary
from indexer.reading.kamerstuk import FOOTNOTE, FOOTNOTE_MAX_WORDS, read_header
from indexer.reading.model import Kind, Letter, Paragraph, letter_id
from indexer.reading.sidecar import load_sidecar

TITLE_HEADING_WORDS = 4  # a heading in capitals that opens a letter's text and is its title


def _join_lines(lines: list[str], dehyphenator: Dehyphenator) -> str:
    """One paragraph's lines as one string, line-end hyphens repaired."""
    text = lines[0]
    for line in lines[1:]:
        if layout.ends_with_break_hyphen(text):
            text = dehyphenator.join(text[:-1], line)
        else:
            text = f"{text} {line}"
    return text


def _clean(text: str) -> str:
    """Footnote sentinels out, spaces collapsed, NFC."""
    text = layout.MARK.sub("", text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _footnote_text(line: str) -> str:
    """A footnote without its OCR'd marker: "1 Ter inzage ...", "') Nedergelegd ..." -> "Ter ..."."""
    return line.lstrip("0123456789*'’!ixl) ")


def parse_letter(
    text: str,
    letter_id: str,
    sidecar: dict | None = None,
    vocabulary: Collection[str] | None = None,
) -> Letter:
    """Turn a letter's extracted text into a Letter (the work of read_letter, minus the file).

    `vocabulary`: lowercase words known from other letters, evidence for line-end hyphens.
    `sidecar`: metadata for what the text does not say (already validated).
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = ocr.repair(text.replace("\t", " ").replace("\u00a0", " "))
    raw_lines = text.split("\n")
    header = read_header(raw_lines)
    if header is not None:  # the header's lines are metadata (what remains of a run-in date line is not)
        consumed = set(header.consumed)
        raw_lines = [header.rest.get(i, "") if i in consumed else line for i, line in enumerate(raw_lines)
                     if i not in consumed or header.rest.get(i)]
    pages, notes = layout.take_footnotes(layout.split_pages("\n".join(raw_lines)))
    lines, meta = take_front_matter(layout.page_lines(pages), header.dossier if header else None,
                                    dated=header is not None and header.date is not None)
    dehyphenator = Dehyphenator(functools.partial(letter_vocabulary, text.split("\n")), vocabulary)
    header_notes = header.notes if header else []
    flattened = header is not None and layout.flattened(raw_lines)
    repaired = dehyphenator.repair_inline([line.text for line in lines] + header_notes, flattened)
    # a print whose lines are paragraphs: every line starts a paragraph, unless it continues one
    lines = [line if t == line.text and (line.gap or not flattened)
             else replace(line, text=t, gap=line.gap or flattened) for line, t in zip(lines, repaired)]
    header_notes = repaired[len(lines):]
    width = layout.page_width([line.text for line in lines])

    paragraphs: list[Paragraph] = []
    marker_section: dict[int, str | None] = {}
    section: str | None = None
    title_heading: str | None = None
    for block in layout.blocks(lines, width):
        joined = _join_lines([line.text for line in block.lines], dehyphenator)
        clean = _clean(joined)
        if header is not None and FOOTNOTE.match(clean) and len(clean.split()) <= FOOTNOTE_MAX_WORDS:
            header_notes.append(clean)  # a footnote of the print: after the body, as footnotes
            continue
        if block.heading:
            heading = clean
            if section is None and title_heading is None and header is None and meta.subject is None \
                    and layout.is_caps(heading) and len(heading.split()) >= TITLE_HEADING_WORDS:
                title_heading = heading  # the title of the letter's text, not a section of it
                continue
            section = heading
            continue
        if run_in := split_run_in(clean):
            section, clean = run_in
        for number in layout.MARK.findall(joined):
            marker_section[int(number)] = section
        paragraphs.append(Paragraph(len(paragraphs) + 1, clean, Kind.BODY, section, block.lines[0].page))
    for note in notes:
        paragraphs.append(Paragraph(
            len(paragraphs) + 1, _clean(_join_lines(note.lines, dehyphenator)), Kind.FOOTNOTE,
            marker_section.get(note.number), note.page, note.number,
        ))
    for text in header_notes:  # "1 Ter inzage gelegd op de bibliotheek."
        paragraphs.append(Paragraph(len(paragraphs) + 1, _clean(_footnote_text(text)), Kind.FOOTNOTE, None, 1))
    letter = Letter(id=letter_id, title="", date=None, date_inferred=False, paragraphs=paragraphs,
                    hyphenations=dehyphenator.decisions)
    describe(letter, header, meta, sidecar or {}, title_heading, raw_text=text)
    letter.abbreviations = find_abbreviations("\n".join(p.text for p in paragraphs))
    return letter


def read_letter(path: Path, vocabulary: Collection[str] | None = None) -> Letter:
    """Read a letter file (a PDF, or text extracted from one) and its optional sidecar.

    Text is UTF-8, or UTF-16/32 with a byte-order mark, or Windows-1252 (Latin-1); PDFs need a
    text layer. The letter's `notes` say what a reviewer should know about how the file was
    read: an encoding other than UTF-8, repaired mojibake, PDF pages without text, metadata
    that contradicts itself.
    """
    decoded = decode_file(path)
    letter = parse_letter(decoded.text, letter_id(path), load_sidecar(path), vocabulary)
    letter.source = path.name
    letter.sha256 = decoded.sha256
    letter.notes = decoded.notes + letter.notes
    return letter
