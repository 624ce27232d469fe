"""The text of a PDF letter, laid out as the letter reader expects its extracted text.

pypdf gives each page's text line by line, in the order of the page's content stream, but it
drops the vertical white space between lines: the blank lines that separate paragraphs and set
the footnotes off from the body. We put them back from the lines' positions (a step down the page
clearly larger than the usual line pitch, or a jump back up, is a blank line). Pages are joined
with a form feed, so the reader's page logic applies (footnotes at page bottoms, a sentence that
runs on over a page break). No line starts with a space: without a form feed that would open a
page.

A PDF that cannot be a letter raises PdfProblem, whose message (without the file name) says what
is wrong and what to do: no text layer (a scan), encrypted, damaged or truncated, not a PDF.
pypdf reports what it repairs in a damaged file through `logging` and `warnings`; those are caught
while we read, never passed on, and become the reason of a PdfProblem or a note on the letter.
"""
from __future__ import annotations

import contextlib
import io
import logging
import statistics
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError

# A page with fewer visible characters than this has no text layer worth the name: a scan, maybe
# with a page number or a stamp on it.
MIN_PAGE_CHARS = 20
# A step down the page of more than this many usual line pitches leaves a blank line.
GAP_PITCHES = 1.5
# Share of the extracted characters that must be letters or white space for it to be text, not
# glyph codes of a font without a Unicode map.
MIN_WORDISH = 0.5
OCR_ADVICE = "Laat er eerst OCR op los, bijv. `ocrmypdf in.pdf uit.pdf`, en zet het resultaat in het corpus."


class PdfProblem(Exception):
    """A PDF that cannot be read as a letter; the message says why and what to do."""


@dataclass
class PdfText:
    text: str  # the pages' text, joined by "\f"
    notes: list[str] = field(default_factory=list)  # what a reviewer should know, e.g. repairs


@dataclass
class _Line:
    text: str
    y: float | None  # the baseline of the line's first visible text, in page units (up is +)


def pdf_text(data: bytes) -> PdfText:
    """The text of a PDF letter's pages, joined by form feeds; PdfProblem when there is none."""
    if data.find(b"%PDF-", 0, 1024) < 0:  # the header may follow some junk, within 1 KB
        kind = "tekst" if _looks_like_text(data[:4096]) else f"het begint met {data[:12]!r}"
        raise PdfProblem(f"heet .pdf maar is geen PDF ({kind}, geen %PDF-kop). "
                         "Is het een tekstbrief, geef het dan de naam .txt; vervang het anders door de echte PDF.")
    if b"%%EOF" not in data[-1024:]:
        raise PdfProblem("is afgebroken of beschadigd: er staat geen %%EOF aan het eind "
                         "(een onderbroken download of kopie?). Haal een volledige kopie van de PDF.")
    with _captured_reports() as reports:
        try:
            pages = _read_pages(data)
        except (PdfProblem, MemoryError):
            raise
        except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on malformed input
            detail = f"{type(error).__name__}: {error}".rstrip(": ")
            if reports():
                detail += f"; pypdf: {reports()[0].rstrip('.')}"
            raise PdfProblem(f"is beschadigd of afgebroken en kan niet worden gelezen ({detail}). "
                             "Haal een nieuwe kopie, of herstel het, bijv. met `qpdf in.pdf uit.pdf`.") from error
    return _assemble(pages, reports())


def _read_pages(data: bytes) -> list[list[_Line]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # "protected" PDFs often open without a password
        except DependencyError as error:
            raise PdfProblem(
                f"is versleuteld met een methode die pypdf hier niet kan ontsleutelen ({error}). Installeer het "
                "pakket `cryptography`, of bewaar een onbeveiligde kopie, bijv. `qpdf --decrypt in.pdf uit.pdf`."
            ) from error
        if opened == pypdf.PasswordType.NOT_DECRYPTED:
            raise PdfProblem(
                "is versleuteld: het opent niet zonder wachtwoord. Haal een onbeveiligde kopie, of "
                "verwijder het wachtwoord, bijv. `qpdf --password=... --decrypt in.pdf uit.pdf`."
            )
    try:
        return [_page_lines(page) for page in reader.pages]
    except FileNotDecryptedError as error:
        raise PdfProblem(f"is versleuteld en kon niet worden ontsleuteld ({error}). Haal een onbeveiligde kopie.") from error


def _page_lines(page: pypdf.PageObject) -> list[_Line]:
    """The page's lines, each with the height it stands at."""
    pieces: list[tuple[str, float]] = []

    def visit(text: str, cm, tm, font_dict, font_size) -> None:
        # the text run's origin in page space: the text matrix times the transformation matrix
        pieces.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    plain = page.extract_text(extraction_mode="plain", visitor_text=visit)
    if "".join(text for text, _ in pieces) != plain:
        # the visitor did not see all the text: keep pypdf's text, without positions
        return [_Line(line, None) for line in plain.split("\n")]
    lines = [_Line("", None)]
    for text, y in pieces:
        for number, part in enumerate(text.split("\n")):
            if number:
                lines.append(_Line("", None))
            if part.strip() and lines[-1].y is None:
                lines[-1].y = y
            lines[-1].text += part
    return lines


def _assemble(pages: list[list[_Line]], reports: list[str]) -> PdfText:
    if not pages:
        raise PdfProblem("heeft geen pagina's. Vervang het door de volledige PDF.")
    empty = [n for n, lines in enumerate(pages, start=1)
             if len("".join("".join(line.text for line in lines).split())) < MIN_PAGE_CHARS]
    if len(empty) * 2 > len(pages):
        raise PdfProblem(f"heeft geen tekstlaag ({len(empty)} van {len(pages)} pagina's bevatten geen leesbare "
                         f"tekst): het is waarschijnlijk een scan. {OCR_ADVICE}")
    pitch = _line_pitch(pages)
    text = "\f".join("\n".join(_with_gaps(lines, pitch)) for lines in pages)
    if _wordish_share(text) < MIN_WORDISH:
        raise PdfProblem("heeft een tekstlaag die niet als tekst leest (lettertypen zonder Unicode-tabel?). "
                         "Laat er OCR op los, bijv. `ocrmypdf --force-ocr in.pdf uit.pdf`.")
    notes = []
    if empty:
        which = f"pagina's {', '.join(map(str, empty))} bevatten" if len(empty) > 1 else f"pagina {empty[0]} bevat"
        notes.append(f"{which} geen tekst (gescand?), dus hun inhoud is niet geïndexeerd; "
                     "laat OCR los op de PDF (`ocrmypdf in.pdf uit.pdf`) om die mee te nemen")
    if reports:
        more = f" (en nog {len(reports) - 1})" if len(reports) > 1 else ""
        notes.append(f"pypdf meldde problemen met de PDF maar las hem wel: {reports[0]}{more}")
    return PdfText(text, notes)


def _line_pitch(pages: list[list[_Line]]) -> float | None:
    """The usual distance between two consecutive lines of the letter."""
    steps = []
    for lines in pages:
        ys = [line.y for line in lines if line.y is not None and line.text.strip()]
        steps += [above - below for above, below in zip(ys, ys[1:]) if above - below > 0]
    return statistics.median(steps) if steps else None


def _with_gaps(lines: list[_Line], pitch: float | None) -> Iterator[str]:
    """The page's lines, stripped, with a blank line where the page leaves white space."""
    previous: float | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if previous is not None and line.y is not None and pitch:
            step = previous - line.y
            if step > GAP_PITCHES * pitch or step < -0.5 * pitch:
                yield ""
        previous = line.y if line.y is not None else previous
        yield text


def _wordish_share(text: str) -> float:
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 1.0
    return sum(c.isalpha() or c.isdigit() or unicodedata.category(c)[0] == "P" for c in visible) / len(visible)


def _looks_like_text(head: bytes) -> bool:
    try:
        sample = head.decode("utf-8")
    except UnicodeDecodeError:
        sample = head.decode("cp1252", errors="replace")
    return bool(sample.strip()) and sum(c.isprintable() or c.isspace() for c in sample) >= 0.95 * len(sample)


@contextlib.contextmanager
def _captured_reports() -> Iterator[Callable[[], list[str]]]:
    """Catch what pypdf reports while it reads (logging and warnings); gives their messages.

    The letter reader is the place where these reports belong: they name a damaged file, so they
    become the reason of a PdfProblem or a note, not log noise or a Python warning. (Changes the
    pypdf logger and the warnings filters for the duration: not for concurrent use in threads.)
    """
    logged: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler = Collect(logging.WARNING)
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield lambda: logged + [str(w.message) for w in caught]
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)
