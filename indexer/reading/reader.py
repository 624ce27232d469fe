"""Read a letter file into a Letter: metadata plus paragraphs, as a careful human would.

The letters are text extracted from PDFs: hyphenated line ends, page breaks (a line that starts
with a space, or a form feed), footnotes at the bottom of a page, an address block, signatures.
The steps live in their own modules (decoding, layout, front matter, hyphenation, titles, dates,
references, abbreviations); this one puts them in order. Nothing here knows of the index.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Collection
from pathlib import Path

from indexer.reading import dates, layout
from indexer.reading.abbreviations import find_abbreviations
from indexer.reading.decoding import decode_file
from indexer.reading.front_matter import take_front_matter
from indexer.reading.hyphenation import Dehyphenator, letter_vocabulary
from indexer.reading.model import Kind, Letter, Paragraph, Signatory, letter_id
from indexer.reading.references import find_kamerstukken
from indexer.reading.sidecar import load_sidecar
from indexer.reading.titles import derive_title


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


def parse_letter(
    text: str,
    letter_id: str,
    sidecar: dict | None = None,
    vocabulary: Collection[str] | None = None,
) -> Letter:
    """Turn a letter's extracted text into a Letter (the work of read_letter, minus the file).

    `vocabulary`: lowercase words known from other letters, evidence for line-end hyphens.
    `sidecar`: metadata that wins over what we find in the text (already validated).
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\t", " ").replace("\u00a0", " ")
    pages, notes = layout.take_footnotes(layout.split_pages(text))
    lines, meta = take_front_matter(layout.page_lines(pages))
    width = layout.page_width([line.text for line in lines])
    dehyphenator = Dehyphenator(letter_vocabulary(text.split("\n")), vocabulary)

    paragraphs: list[Paragraph] = []
    marker_section: dict[int, str | None] = {}
    section: str | None = None
    for block in layout.blocks(lines, width):
        joined = _join_lines([line.text for line in block.lines], dehyphenator)
        if block.heading:
            section = _clean(joined)
            continue
        for number in layout.MARK.findall(joined):
            marker_section[int(number)] = section
        paragraphs.append(Paragraph(len(paragraphs) + 1, _clean(joined), Kind.BODY, section,
                                    block.lines[0].page))
    for note in notes:
        paragraphs.append(Paragraph(
            len(paragraphs) + 1, _clean(_join_lines(note.lines, dehyphenator)), Kind.FOOTNOTE,
            marker_section.get(note.number), note.page, note.number,
        ))

    sidecar = sidecar or {}
    all_text = "\n".join(p.text for p in paragraphs)
    letter_date, inferred = meta.date, False
    if sidecar.get("date"):
        letter_date = dates.parse_iso_date(sidecar["date"])
    elif letter_date is None:
        letter_date = dates.infer_date(all_text)
        inferred = letter_date is not None
    signatories = [Signatory(s["role"], s["name"]) for s in sidecar.get("signatories", [])]
    return Letter(
        id=letter_id,
        title=sidecar.get("title") or meta.subject or derive_title(paragraphs),
        date=letter_date,
        date_inferred=inferred,
        paragraphs=paragraphs,
        signatories=signatories or meta.signatories,
        kamerstukken=list(dict.fromkeys([*sidecar.get("kamerstukken", []),
                                         *find_kamerstukken(all_text)])),
        hyphenations=dehyphenator.decisions,
        abbreviations=find_abbreviations(all_text),
    )


def read_letter(path: Path, vocabulary: Collection[str] | None = None) -> Letter:
    """Read a letter file (a PDF, or text extracted from one) and its optional sidecar.

    Text is UTF-8, or UTF-16/32 with a byte-order mark, or Windows-1252 (Latin-1); PDFs need a
    text layer. The letter's `notes` say what a reviewer should know about how the file was
    read: an encoding other than UTF-8, repaired mojibake, PDF pages without text.
    """
    decoded = decode_file(path)
    letter = parse_letter(decoded.text, letter_id(path), load_sidecar(path), vocabulary)
    letter.source = path.name
    letter.sha256 = decoded.sha256
    letter.notes = decoded.notes
    return letter
