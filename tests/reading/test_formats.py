"""Letters in other formats: PDFs, and text in encodings other than UTF-8; and files that are no letter.

Every file here is made by the test itself. The PDFs are written with fpdf2 in its core font
Helvetica with the Windows-1252 encoding (`core_fonts_encoding`): that covers all the characters
of the seed letters (ë ï é ’ « » –), so no TTF font has to be shipped or installed.
"""
from __future__ import annotations

import codecs
import os
import random
from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF

from indexer.reading import find_letters
from indexer.reading import Kind, Letter, LetterError, Signatory, read_letter

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt"))
LINE_HEIGHT = 5  # mm, for 10 pt text: one blank line in the text file is one empty line on paper


def text_pages(text: str) -> list[list[str]]:
    """A seed letter's lines per page: a non-blank line that starts with a space opens a page."""
    pages: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.startswith(" ") and line.strip() and any(pages[-1]):
            pages.append([])
        pages[-1].append(line.strip())
    return pages


def write_pdf(path: Path, pages: list[list[str]], user_password: str | None = None,
              draw=None) -> Path:
    """A PDF with one line of text per given line ("" leaves a blank line), page by page.

    `draw(pdf)` adds non-text content to each page; `user_password` encrypts the file (RC4, which
    needs no extra package to write or read).
    """
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_font("Helvetica", size=10)
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        for number, line in enumerate(lines):
            if line:
                pdf.text(20, 20 + LINE_HEIGHT * number, line)
        if draw:
            draw(pdf)
    if user_password is not None:
        pdf.set_encryption(owner_password="eigenaar", user_password=user_password)
    pdf.output(str(path))
    return path


def seed_as_pdf(seed: Path, directory: Path) -> Path:
    return write_pdf(directory / f"{seed.stem}.pdf", text_pages(seed.read_text(encoding="utf-8")))


def paragraphs(lt: Letter) -> list[tuple]:
    return [(p.kind, p.section, p.page, p.footnote, p.text) for p in lt.paragraphs]


def all_text(lt: Letter) -> str:
    return "\n".join(p.text for p in lt.paragraphs)


def fails(path: Path, *messages: str) -> str:
    """Reading the file raises a LetterError that names it and says each of `messages`."""
    with pytest.raises(LetterError) as e:
        read_letter(path)
    message = str(e.value)
    assert str(path) in message
    for expected in messages:
        assert expected.lower() in message.lower(), message
    return message


# --- PDF letters go through the same reader as text letters ------------------------------------

def test_a_pdf_letter_reads_like_its_text_version(tmp_path):
    seed = CORPUS / "002_95be2f4c36980282.txt"
    from_pdf = read_letter(seed_as_pdf(seed, tmp_path))
    from_text = read_letter(seed)

    assert from_pdf.id == "002_95be2f4c36980282" and from_pdf.source == "002_95be2f4c36980282.pdf"
    assert from_pdf.date == date(2022, 2, 26) and not from_pdf.date_inferred
    assert from_pdf.title.startswith("Verslag van de bijeenkomst van de NAVO-ministers van Defensie")
    assert from_pdf.signatories == [Signatory("De Minister van Defensie", "K.H. Ollongren")]
    text = all_text(from_pdf)
    assert "collectieve afschrikking en verdedigingsfunctie van de NAVO" in text  # "verdedi-" / "gingsfunctie"
    assert "defensie-uitgaven" in text and "Oekraïne" in text and "scenario’s" in text
    assert "Afschrikking en verdediging" in {p.section for p in from_pdf.paragraphs}
    # Not roughly but exactly the same paragraphs: the reader gets the same lines, the same page
    # breaks (a form feed) and the same blank lines (put back from the lines' positions).
    assert paragraphs(from_pdf) == paragraphs(from_text)
    assert from_pdf.notes == []


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_letter_reads_the_same_from_a_pdf(tmp_path, seed):
    """Footnotes at page bottoms, headings, signed cover letters: all survive the PDF route."""
    from_pdf, from_text = read_letter(seed_as_pdf(seed, tmp_path)), read_letter(seed)
    assert paragraphs(from_pdf) == paragraphs(from_text)
    assert (from_pdf.title, from_pdf.date, from_pdf.signatories, from_pdf.kamerstukken) == (
        from_text.title, from_text.date, from_text.signatories, from_text.kamerstukken)


def test_a_sentence_runs_on_over_a_page_break(tmp_path):
    path = write_pdf(tmp_path / "brief.pdf", [
        ["Geachte voorzitter,", "", "Het kabinet heeft besloten de bijdrage aan de vooruitgeschoven",
         "aanwezigheid van de NAVO in Litouwen te verlengen tot en met het einde"],
        ["van 2023, zoals eerder aan uw Kamer gemeld.", "", "Een tweede alinea volgt hier."],
    ])
    lt = read_letter(path)
    assert [(p.text, p.page) for p in lt.paragraphs] == [
        ("Het kabinet heeft besloten de bijdrage aan de vooruitgeschoven aanwezigheid van de NAVO in "
         "Litouwen te verlengen tot en met het einde van 2023, zoals eerder aan uw Kamer gemeld.", 1),
        ("Een tweede alinea volgt hier.", 2),
    ]


def test_a_hyphen_at_the_foot_of_a_page_is_repaired(tmp_path):
    path = write_pdf(tmp_path / "brief.pdf", [
        ["De bondgenoten spraken over de collectieve verdedi-"], ["gingsfunctie van de NAVO."]])
    assert read_letter(path).paragraphs[0].text == "De bondgenoten spraken over de collectieve verdedigingsfunctie van de NAVO."


def test_the_corpus_lists_pdf_letters(tmp_path):
    (tmp_path / "a.txt").write_text("Een brief.\n", encoding="utf-8")
    (tmp_path / "b.PDF").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "c.docx").write_bytes(b"PK")
    assert [p.name for p in find_letters(tmp_path)] == ["a.txt", "b.PDF"]


# --- PDFs that are no letter (yet) --------------------------------------------------------------

def _scan(pdf: FPDF) -> None:
    """What a scanner makes: a page-sized picture, here with drawn 'text lines' beside it."""
    from PIL import Image  # fpdf2 depends on Pillow

    pdf.image(Image.new("L", (210, 297), 230), x=0, y=0, w=210, h=297)
    for n in range(30):
        pdf.line(20, 30 + 8 * n, 190, 30 + 8 * n)


def test_a_scan_without_text_layer_needs_ocr(tmp_path):
    path = write_pdf(tmp_path / "scan.pdf", [[], [], []], draw=_scan)
    fails(path, "geen tekstlaag", "3 van 3 pagina's", "OCR", "ocrmypdf in.pdf uit.pdf")


def test_a_scan_with_only_a_page_number_stamped_on_it_needs_ocr(tmp_path):
    path = write_pdf(tmp_path / "scan.pdf", [["Pagina 1 van 2"], ["Pagina 2 van 2"]], draw=_scan)
    fails(path, "geen tekstlaag", "OCR")


def test_a_letter_with_one_scanned_page_is_read_with_a_note(tmp_path):
    body = ["Geachte voorzitter,", "", "Hierbij ontvangt u de geannoteerde agenda van de NAVO-top.", ""]
    path = write_pdf(tmp_path / "brief.pdf", [body, [], body])
    lt = read_letter(path)
    notes = lt.notes
    assert lt.title == "Geannoteerde agenda van de NAVO-top"
    assert len(notes) == 1 and "pagina 2 bevat geen tekst" in notes[0] and "ocrmypdf" in notes[0]


def test_an_encrypted_pdf_names_the_password(tmp_path):
    path = write_pdf(tmp_path / "geheim.pdf", [["Een geheime brief aan de Kamer, met tekst."]],
                     user_password="geheim")
    fails(path, "versleuteld", "wachtwoord")


def test_a_pdf_protected_only_by_an_owner_password_is_read(tmp_path):
    """An empty user password opens the file: such 'protected' PDFs are read as usual."""
    path = write_pdf(tmp_path / "beschermd.pdf", [["Geachte voorzitter,", "", "Een beschermde brief aan de Kamer."]],
                     user_password="")
    assert read_letter(path).paragraphs[0].text == "Een beschermde brief aan de Kamer."


def test_a_truncated_pdf_is_named(tmp_path):
    whole = seed_as_pdf(SEEDS[2], tmp_path).read_bytes()
    half = tmp_path / "half.pdf"
    half.write_bytes(whole[: len(whole) // 2])
    fails(half, "afgebroken")
    # Even with an end marker glued on, the cut-off file cannot be read.
    half.write_bytes(whole[: len(whole) // 2] + b"\n%%EOF\n")
    fails(half, "beschadigd of afgebroken", "startxref")


def test_a_damaged_pdf_that_pypdf_repairs_is_read_with_a_note_and_no_warning(tmp_path, caplog):
    """pypdf logs what it repairs; that becomes a note, not a Python warning or a log line."""
    whole = seed_as_pdf(SEEDS[2], tmp_path).read_bytes()
    header_end = whole.index(b"\n") + 1
    shifted = tmp_path / "verschoven.pdf"  # every byte offset in the cross-reference table is now wrong
    shifted.write_bytes(whole[:header_end] + b"%" + b"x" * 300 + b"\n" + whole[header_end:])
    lt = read_letter(shifted)
    notes = lt.notes
    assert lt.date == date(2022, 2, 26) and len(lt.paragraphs) == len(read_letter(SEEDS[2]).paragraphs)
    assert len(notes) == 1 and "pypdf meldde problemen" in notes[0]
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_garbage_in_the_middle_of_a_pdf_is_named(tmp_path):
    whole = seed_as_pdf(SEEDS[2], tmp_path).read_bytes()
    middle = len(whole) // 2
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(whole[:middle] + b"\xff" * 2000 + whole[middle + 2000:])
    fails(broken, "beschadigd", "kan niet worden gelezen")


@pytest.mark.parametrize("content, message", [
    ("Geachte voorzitter,\n\nDit is een tekstbestand.\n".encode(), "(tekst, geen %PDF-kop)"),
    (b"PK\x03\x04\x14\x00\x06\x00 word document", "geen PDF"),
])
def test_a_file_named_pdf_that_is_not_one(tmp_path, content, message):
    path = tmp_path / "brief.pdf"
    path.write_bytes(content)
    fails(path, "heet .pdf maar is geen PDF", message)


# --- Text in other encodings ------------------------------------------------------------------

LETTER = ("Geachte voorzitter,\n\nDe ontwikkelingen rond Oekraïne volgen elkaar snel op. Het kabinet "
          "zegt de coöperatie met de bondgenoten toe in ’s-Gravenhage, met één “gezamenlijke” "
          "verklaring – zoals gemeld.\n")
READ = ("De ontwikkelingen rond Oekraïne volgen elkaar snel op. Het kabinet zegt de coöperatie met de "
        "bondgenoten toe in ’s-Gravenhage, met één “gezamenlijke” verklaring – zoals gemeld.")


def read_bytes_as_letter(tmp_path: Path, data: bytes) -> tuple[Letter, list[str]]:
    path = tmp_path / "brief.txt"
    path.write_bytes(data)
    letter = read_letter(path)
    return letter, letter.notes


@pytest.mark.parametrize("data", [LETTER.encode("utf-8"), codecs.BOM_UTF8 + LETTER.encode("utf-8")],
                         ids=["utf-8", "utf-8 with BOM"])
def test_utf8_is_read_without_a_note(tmp_path, data):
    lt, notes = read_bytes_as_letter(tmp_path, data)
    assert (lt.paragraphs[0].text, notes) == (READ, [])


def test_windows_1252_is_read_with_a_note(tmp_path):
    lt, notes = read_bytes_as_letter(tmp_path, LETTER.encode("cp1252"))
    assert lt.paragraphs[0].text == READ
    assert notes == ["gelezen als Windows-1252 (Latin-1), niet als UTF-8: controleer de accenten en "
                     "aanhalingstekens, of zet het om, bijv. met iconv -f cp1252 -t utf-8"]


def test_latin_1_is_read_with_a_note(tmp_path):
    text = "Geachte voorzitter,\n\nDe coöperatie met één partner in Oekraïne kost € 5 mln (§ 3, 20 °C).\n"
    lt, notes = read_bytes_as_letter(tmp_path, text.replace("€", "EUR").encode("latin-1"))
    assert lt.paragraphs[0].text == "De coöperatie met één partner in Oekraïne kost EUR 5 mln (§ 3, 20 °C)."
    assert len(notes) == 1 and "Windows-1252" in notes[0]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_a_byte_order_mark(tmp_path, codec):
    lt, notes = read_bytes_as_letter(tmp_path, ("\ufeff" + LETTER).encode(codec))
    assert lt.paragraphs[0].text == READ
    assert len(notes) == 1 and notes[0].startswith(f"gelezen als {codec[:6].upper()} (het heeft een byte-order-mark)")


def as_windows_reads_it(data: bytes) -> str:
    """Bytes read as Windows-1252 the way Windows does: 0x81, 0x8d, 0x8f, 0x90, 0x9d (which cp1252
    leaves unassigned, and which "”" needs: E2 80 9D) become U+0081 etc. instead of an error."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def test_double_encoded_mojibake_is_repaired_with_a_note(tmp_path):
    mojibake = as_windows_reads_it(LETTER.encode("utf-8")).encode("utf-8")
    assert "OekraÃ¯ne" in mojibake.decode() and "â€™s-Gravenhage" in mojibake.decode()
    lt, notes = read_bytes_as_letter(tmp_path, mojibake)
    assert lt.paragraphs[0].text == READ
    assert len(notes) == 1 and notes[0].startswith("7 verminkte tekens hersteld") and "'Ã¯' -> 'ï'" in notes[0]


def test_text_that_only_looks_a_little_like_mojibake_is_left_alone(tmp_path):
    """"É’" would be the UTF-8 of "ɒ", "ë”…" that of a Hangul syllable: not Dutch, so no mojibake."""
    text = "Geachte voorzitter,\n\nHet CAFÉ’S-project in “België”… blijft.\n"
    lt, notes = read_bytes_as_letter(tmp_path, text.encode("utf-8"))
    assert (lt.paragraphs[0].text, notes) == ("Het CAFÉ’S-project in “België”… blijft.", [])


def test_random_bytes_are_not_read_as_windows_1252(tmp_path):
    junk = bytes(b for b in random.Random(5).randbytes(20_000) if b)  # no NUL bytes to give it away
    path = tmp_path / "brief.txt"
    path.write_bytes(junk)
    fails(path, "geen geldige UTF-8", "leest ook niet als Windows-1252-tekst")


def test_bytes_that_are_valid_windows_1252_but_not_text_are_refused(tmp_path):
    """Every byte has a cp1252 character here, but the characters make no Dutch text."""
    undefined = {0x00, 0x81, 0x8D, 0x8F, 0x90, 0x9D}
    junk = bytes(b for b in random.Random(7).randbytes(20_000) if b not in undefined)
    path = tmp_path / "brief.txt"
    path.write_bytes(junk)
    fails(path, "leest ook niet als Windows-1252-tekst")


# --- Files that cannot be read at all -----------------------------------------------------------

@pytest.mark.parametrize("name, size, message", [
    ("groot.txt", 21 * 2**20, "een brief is hoogstens 20 MB"),
    ("groot.pdf", 101 * 2**20, "een PDF-brief is hoogstens 100 MB"),
])
def test_an_oversized_file_is_refused_without_reading_it(tmp_path, monkeypatch, name, size, message):
    path = tmp_path / name
    with path.open("wb") as f:
        f.truncate(size)  # sparse: takes no disk space

    def no_reading(*args, **kwargs):
        raise AssertionError("the oversized file was opened for reading")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    fails(path, message, "is dit echt één brief?")


def _size_taken_early(monkeypatch, reported: int) -> None:
    """os.fstat reports `reported` bytes: the file grows after its size was taken."""
    real = os.fstat

    def fstat(fd):
        fields = list(real(fd))
        fields[6] = min(fields[6], reported)  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat)


def test_a_file_that_grows_while_it_is_read_is_read_to_its_end(tmp_path, monkeypatch):
    path = tmp_path / "brief.txt"
    path.write_text("Den Haag, 3 maart 2021\n\nBetreft: Groei\n\n" + "Een zin over de groei. " * 60, encoding="utf-8")
    whole = read_letter(path)
    _size_taken_early(monkeypatch, 100)
    assert read_letter(path).paragraphs == whole.paragraphs


def test_a_file_that_grows_past_the_limit_while_it_is_read_is_refused(tmp_path, monkeypatch):
    from indexer.reading import decoding

    path = tmp_path / "brief.txt"
    path.write_text("Den Haag, 3 maart 2021\n\n" + "Een zin over de groei. " * 60, encoding="utf-8")
    monkeypatch.setattr(decoding, "MAX_TEXT_BYTES", 1000)
    _size_taken_early(monkeypatch, 500)
    fails(path, "groeide tijdens het lezen voorbij")


def test_a_directory_is_not_a_letter(tmp_path):
    (tmp_path / "brief.txt").mkdir()
    fails(tmp_path / "brief.txt", "geen gewoon bestand")


@pytest.mark.parametrize("target", ["/etc/passwd", "verdwenen.txt"])
def test_a_symlink_is_never_followed(tmp_path, target):
    """Whether it points outside the corpus or nowhere: nothing is read through a link."""
    link = tmp_path / "brief.txt"
    link.symlink_to(target)
    fails(link, "symbolische koppeling", "Kopieer de brief zelf")


def test_a_missing_file_names_the_reason(tmp_path):
    fails(tmp_path / "brief.txt", "kan niet worden gelezen", "No such file or directory")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads files whatever their permissions (CI runs as root); "
                           "the directory and dangling-symlink tests cover unreadable files there")
def test_a_file_without_read_permission_names_the_reason(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text("Een brief.\n", encoding="utf-8")
    path.chmod(0)
    try:
        fails(path, "kan niet worden gelezen", "Permission denied")
    finally:
        path.chmod(0o644)


def test_the_bodies_keep_their_kinds(tmp_path):
    """Footnotes stay footnotes on the PDF route (000 has them at its page bottoms)."""
    seed = next(s for s in SEEDS if s.name.startswith("000"))
    kinds = {p.kind for p in read_letter(seed_as_pdf(seed, tmp_path)).paragraphs}
    assert kinds == {Kind.BODY, Kind.FOOTNOTE}
