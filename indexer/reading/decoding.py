"""A letter file's bytes as text: size limits, encodings, repaired mojibake, PDF text layers.

Each decoder returns the text with its notes: what a reviewer should know about how the file
was read (an encoding other than UTF-8, repaired mojibake, PDF pages without text).
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from indexer.reading.model import LetterError, open_regular

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a long letter with annexes is well under 1 MB of text
MAX_PDF_BYTES = 100 * 1024 * 1024  # PDFs carry fonts and images: more room

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# The non-ASCII characters of Dutch (and French, German, ...) text in Windows-1252: accented
# letters, typographic punctuation, a few signs. Not "ÿþðýÐÞÝ", "¤¦¨¯¸¿¡" and the like, which
# bytes that are not cp1252 text produce when read as cp1252.
_WESTERN = set(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜ"
    "‘’‚“”„–—…•€£§°±²³µ·«»½¼¾×©®™\u00a0Œœ"
)


def _cp1252_byte(c: str) -> int:
    """The byte Windows-1252 writes c as; bytes it leaves unassigned (0x81, 0x8d, 0x8f, 0x90, 0x9d)
    come back from many tools as U+0081 etc., so those stand for themselves."""
    return c.encode("cp1252")[0] if c.encode("cp1252", errors="ignore") else ord(c)


def _cp1252_chars(first: int, last: int) -> str:
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(first, last + 1))


# Mojibake: UTF-8 read as Windows-1252 and saved as UTF-8 again ("ë" -> "Ã«", "’" -> "â€™"): the
# cp1252 character of a UTF-8 lead byte, then those of the right number of continuation bytes.
_CONT = re.escape(_cp1252_chars(0x80, 0xBF))
_MOJIBAKE = re.compile(
    f"(?:[{re.escape(_cp1252_chars(0xC2, 0xDF))}][{_CONT}]"
    f"|[{re.escape(_cp1252_chars(0xE0, 0xEF))}][{_CONT}]{{2}}"
    f"|[{re.escape(_cp1252_chars(0xF0, 0xF4))}][{_CONT}]{{3}})+"
)


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes; LetterError (not OSError) when it cannot be read or is too large."""
    what = "PDF-brief" if limit == MAX_PDF_BYTES else "brief"
    try:
        with open_regular(path) as f:  # never through a symbolic link: nothing outside is read
            size = os.fstat(f.fileno()).st_size
            if size > limit:  # checked before reading: an oversized file is never loaded
                raise LetterError(f"{path} is {size / 2**20:.0f} MB; een {what} is hoogstens "
                                  f"{limit // 2**20} MB: is dit echt één brief? "
                                  "Splits hem of haal hem uit het corpus.")
            # The size it has and a byte more, to notice growth: read(limit + 1) would allocate
            # the whole limit (20 MB) for every letter of a few KB (25 µs of CPU instead of 6).
            data = f.read(size + 1)
            if len(data) > size:  # it grew since: read on, as far as the limit allows
                data += f.read(limit + 1 - len(data))
    except OSError as e:
        raise LetterError(f"{path} kan niet worden gelezen: {e.strerror or e}. "
                          "Kijk of het bestand bestaat en of deze gebruiker het mag lezen.") from e
    if len(data) > limit:
        raise LetterError(f"{path} groeide tijdens het lezen voorbij {limit // 2**20} MB: wordt het nog geschreven?")
    return data


def _plausible_cp1252(text: str) -> bool:
    """Does text decoded as Windows-1252 read like a letter, not like binary junk?"""
    odd = sum(1 for c in text if (ord(c) > 127 and c not in _WESTERN)
              or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\x1a"))
    wordish = sum(1 for c in text if c.isalpha() or c.isspace())
    return odd <= len(text) // 200 and wordish >= 0.6 * len(text)


def _repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Undo UTF-8 that was read as Windows-1252 and saved again; the repairs made."""
    repairs: list[str] = []
    if text.isascii():  # mojibake is made of non-ASCII characters
        return text, repairs

    def repair(m: re.Match[str]) -> str:
        try:
            fixed = bytes(_cp1252_byte(c) for c in m.group()).decode("utf-8")
        except UnicodeDecodeError:
            return m.group()
        # only to letters and punctuation of Western text, not "É’" to "ɒ" or "é“…" to CJK
        if not all(0xA0 <= ord(c) < 0x180 or 0x2010 <= ord(c) < 0x203B or c in "€™" for c in fixed):
            return m.group()
        repairs.append(f"{m.group()!r} -> {fixed!r}")
        return fixed

    return _MOJIBAKE.sub(repair, text), repairs


@dataclass
class Decoded:
    """A letter file as text, with the notes on how it was read."""

    text: str
    sha256: str  # of the file's bytes: tells a changed letter from an unchanged one
    notes: list[str] = field(default_factory=list)


def decode_file(path: Path) -> Decoded:
    """The text of a letter file: a PDF's text layer, or a text file in UTF-8, UTF-16/32 with a
    byte-order mark, or Windows-1252 (Latin-1). LetterError says why a file is not a letter."""
    is_pdf = path.suffix.lower() == ".pdf"
    data = _read_bytes(path, MAX_PDF_BYTES if is_pdf else MAX_TEXT_BYTES)
    text, notes = pdf_text(path, data) if is_pdf else decode_text(path, data)
    if not text.strip():
        raise LetterError(f"{path} is leeg of bevat alleen witruimte: "
                          "zet de tekst van de brief erin, of haal het bestand uit het corpus.")
    return Decoded(text, hashlib.sha256(data).hexdigest(), notes)


def decode_text(path: Path, data: bytes) -> tuple[str, list[str]]:
    """A text letter's bytes as text, and the notes on how they were read: UTF-8 (BOM or not),
    UTF-16/32 with a BOM, or Windows-1252."""
    notes: list[str] = []
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError as e:
                raise LetterError(f"{path} begint met een {name}-byte-order-mark maar is geen geldige {name} "
                                  f"(byte {e.start}: {e.reason}). Zet het om naar UTF-8.") from e
            if name != "UTF-8":
                notes.append(f"gelezen als {name} (het heeft een byte-order-mark); UTF-8 heeft de voorkeur")
            break
    else:
        if b"\x00" in data:
            raise LetterError(f"{path} bevat NUL-bytes: het is een binair bestand, geen uitgelezen tekst. "
                              "Haal de tekst eruit (bijv. met pdftotext) en bewaar die als UTF-8 .txt, "
                              "of zet de PDF zelf in het corpus.")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90 and 0x9d are no cp1252 text
                text = None
            if text is None or not _plausible_cp1252(text):
                raise LetterError(
                    f"{path} is geen geldige UTF-8 (byte {e.start}: {e.reason}) en leest ook niet als "
                    "Windows-1252-tekst. Is het tekst, zet het dan om naar UTF-8, bijv. met "
                    "iconv -f <codering> -t utf-8; is het geen tekst, haal het dan uit het corpus.") from e
            notes.append("gelezen als Windows-1252 (Latin-1), niet als UTF-8: controleer de accenten en aanhalingstekens, "
                         "of zet het om, bijv. met iconv -f cp1252 -t utf-8")
    text, repairs = _repair_mojibake(text)
    if repairs:
        repaired = f"{len(repairs)} verminkte tekens" if len(repairs) > 1 else "1 verminkt teken"
        notes.append(f"{repaired} hersteld (UTF-8 ooit gelezen als Windows-1252), bijv. {repairs[0]}")
    return text, notes


def pdf_text(path: Path, data: bytes) -> tuple[str, list[str]]:
    """A PDF letter's text layer, and the notes on how it was read."""
    from indexer.reading import pdf  # pypdf loads only when a PDF is read, not for text letters or search

    try:
        extracted = pdf.pdf_text(data)
    except pdf.PdfProblem as e:
        raise LetterError(f"{path} {e}") from e
    return extracted.text, list(extracted.notes)
