"""Letters in the Kamerstuk print format: what a letter says it is, who sends it, its furniture.

Crafted letters in tests/data/kamerstukken/ (always run) show each rule; real letters of
../shared/letters/sgd/ (skipped when that folder is absent) show it holds on OCR of every era,
with expectations checked by hand against the letters' text.
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from indexer.reading import Kind, Letter, Signatory, parse_dossier, parse_letter, read_letter

DATA = Path(__file__).resolve().parents[1] / "data"
CRAFTED = DATA / "kamerstukken"
SGD = Path(__file__).resolve().parents[3] / "shared" / "letters" / "sgd"
REFERENCE = DATA / "sgd_reference.json"
needs_sgd = pytest.mark.skipif(not SGD.is_dir(), reason="../shared/letters/sgd is not beside the repository")

# Furniture as a reader would see it, whichever rule removes it.
FURNITURE = re.compile(r"ISSN|Uitgeverij|Plantijnstraat|vergaderjaar \d{4}|^Nr\. \d+$|Handelingen der|^\d{1,3}$",
                       re.IGNORECASE)


@cache
def crafted(name: str) -> Letter:
    return read_letter(CRAFTED / f"{name}.txt")


@cache
def sgd(name: str) -> Letter:
    return read_letter(SGD / f"sgd_{name}.txt")


def texts(letter: Letter) -> list[str]:
    return [p.text for p in letter.paragraphs]


# --- The header: what the letter is ------------------------------------------------------------

@pytest.mark.parametrize("name, dossier, number, kamerstuk, dossier_title", [
    ("kst-21461-46", "21461", "46", "kst-21461-46", "Een nieuw politiebestel"),
    ("kst-35925-V-84", "35925-V", "84", "kst-35925-V-84",
     "Vaststelling van de begrotingsstaten van het Ministerie van Buitenlandse Zaken (V) voor het jaar 2021"),
    # a budget chapter under the dossier's number: "17600" and "Hoofdstuk XII" make 17600-XII
    ("kst-17600-XII-51", "17600-XII", "51", "kst-17600-XII-51",
     "Rijksbegroting voor het jaar 1983 Hoofdstuk XII Departement van Verkeer en Waterstaat"),
    # the fifties: the dossier on the session line, the number after the sender, a title in capitals
    ("zitting-4100-IXA-21", "4100-IXA", "21", "kst-4100-IXA-21",
     "Rijksbegroting voor het dienstjaar 1956 Hoofdstuk IXA Wederopbouw en Volkshuisvesting"),
])
def test_the_header_says_what_the_letter_is(name, dossier, number, kamerstuk, dossier_title):
    letter = crafted(name)
    assert (letter.dossier, letter.document_number, letter.kamerstuk) == (dossier, number, kamerstuk)
    assert letter.dossier_title == dossier_title
    assert letter.title == f"{dossier_title} — brief van {letter.sender}"


@pytest.mark.parametrize("name, sender, ministries, signatories", [
    ("kst-21461-46", "de minister van Justitie", ["Justitie"],
     [("De Minister van Justitie", "E. M. H. HIRSCH BALLIN")]),
    ("kst-35925-V-84", "de ministers van Buitenlandse Zaken en van Defensie", ["Buitenlandse Zaken", "Defensie"],
     [("De Minister van Buitenlandse Zaken", "W.B. Hoekstra"), ("De Minister van Defensie", "K.H. Ollongren")]),
    ("kst-17600-XII-51", "de minister van Verkeer en Waterstaat", ["Verkeer en Waterstaat"],
     [("De Minister van Verkeer en Waterstaat", "N. Smit-Kroes")]),  # office and name on one line
    ("zitting-4100-IXA-21", "de minister van Wederopbouw en Volkshuisvesting", ["Wederopbouw en Volkshuisvesting"],
     [("De Minister van Wederopbouw en Volkshuisvesting", "H. WITTE")]),  # the name of its time
])
def test_the_sender_line_names_sender_and_ministries(name, sender, ministries, signatories):
    letter = crafted(name)
    assert (letter.sender, letter.ministries) == (sender, ministries)
    assert letter.signatories == [Signatory(role, who) for role, who in signatories]


@pytest.mark.parametrize("name, day", [
    ("kst-21461-46", date(1992, 4, 28)),  # "'" and "s-Gravenhage, 28 april 1992" on two lines
    ("kst-35925-V-84", date(2022, 6, 8)),  # "Den Haag, 8 juni 2022"
    ("zitting-4100-IXA-21", date(1956, 2, 27)),  # a bare "27 februari 1956." under the sender
])
def test_the_date_comes_from_the_letters_own_line(name, day):
    assert (crafted(name).date, crafted(name).date_inferred, crafted(name).notes) == (day, False, [])


def test_a_second_date_line_is_kept_out_and_noted():
    letter = crafted("kst-17600-XII-51")  # its annex, "Toelichtende nota", has a date line too
    assert letter.date == date(1983, 3, 4)
    assert letter.notes == ["twee datumregels: 1983-03-04 (aangehouden) en 1983-03-02"]


# --- Furniture, OCR, headings -------------------------------------------------------------------

def test_page_furniture_is_no_text_and_no_heading():
    for path in sorted(CRAFTED.glob("*.txt")):
        letter = read_letter(path)
        for p in letter.paragraphs:
            assert not FURNITURE.search(p.text), (path.name, p.text)
            assert not (p.section and FURNITURE.search(p.section)), (path.name, p.section)
        assert not any("BRIEF VAN" in t or "Aan de" in t for t in texts(letter)), path.name


def test_ocr_breaks_inside_lines_are_repaired_and_real_hyphens_stay():
    body = " ".join(texts(crafted("kst-21461-46")))
    assert "het huisvestingsbeleid van" in body and "over de onderzoeken die" in body
    assert "NAVO-Rusland" in body and "niet-statelijke actoren" in body and "de zee-egel" in body
    assert "het werk- en leefklimaat" in body  # a weglatingsstreepje whose space OCR lost
    assert "samen 18 979 medewerkers" in body  # "1 8 979": a number OCR split


def test_a_heading_run_into_its_paragraph_becomes_its_section():
    first = crafted("kst-21461-46").paragraphs[0]
    assert first.section == "Inleiding" and first.text.startswith("Het overleg met uw Kamer")


def test_the_deposit_note_of_the_print_is_a_footnote():
    notes = [p for p in crafted("kst-17600-XII-51").paragraphs if p.kind is Kind.FOOTNOTE]
    assert [p.text for p in notes] == ["Ter inzage gelegd op de bibliotheek"]


def test_what_the_letter_cites_apart_from_itself():
    assert crafted("kst-21461-46").refers_to == ["Kamerstuk 21 461, nr. 45"]  # not the case 2021Z07953
    assert crafted("kst-35925-V-84").refers_to == ["Kamerstuk 21 461, nr. 46"]


def test_a_letter_without_the_format_is_read_as_any_letter():
    text = "Den Haag, 3 maart 2023\n\nGeachte voorzitter,\n\nHierbij zend ik u de nota over Brussel-Zuid.\n"
    letter = parse_letter(text, "plain")
    assert (letter.dossier, letter.document_number, letter.kamerstuk, letter.sender) == (None, None, None, None)
    assert letter.title == "Nota over Brussel-Zuid" and letter.date == date(2023, 3, 3)
    assert texts(letter) == ["Hierbij zend ik u de nota over Brussel-Zuid."]


def test_dossiers_as_users_type_them():
    assert [parse_dossier(t) for t in ("21 461", "35 925 V", "35925-v", "kst-21461-46", "21 501-17",
                                       "17600 hoofdstuk XII", "2021Z07953", "abc")] == [
        "21461", "35925-V", "35925-V", "21461", "21501-17", "17600-XII", None, None]


# --- Real letters of every era (hand-checked against their text) --------------------------------

@needs_sgd
@pytest.mark.parametrize("name, kamerstuk, sender, day", [
    # 1992: a series dossier, the day glued to its month ("10april 1992")
    ("0000021442", "kst-21501-17-17", "de minister van Landbouw, Natuurbeheer en Visserij", date(1992, 4, 10)),
    # 1991: a joint sender over one line with OCR's hyphens, the place split over two lines
    ("0000033223", "kst-21991-2",
     "de ministers van Defensie en van Buitenlandse Zaken en de staatssecretaris van Defensie", date(1991, 3, 7)),
    # 1972: "Zitting 1971-1972 -8811", the number after the sender ("Nr.7")
    ("0000219123", "kst-8811-7", "de minister van Verkeer en Waterstaat", date(1972, 4, 14)),
    # 1933: "185. 1." above the sender, the old spelling of the month
    ("0000052743", "kst-185-1", "de minister van Koloniën", date(1933, 6, 3)),
    # 1990: "VAIM" for VAN in the sender line
    ("0000039503", "kst-21300-XVI-93", "de minister van Welzijn, Volksgezondheid en Cultuur", date(1990, 4, 25)),
    # 1991: no sender line (a letter to the Eerste Kamer): the sender from the signature
    ("0000026432", "kst-19343-336", "de minister van Buitenlandse Zaken", date(1991, 7, 19)),
])
def test_real_letters_of_every_era(name, kamerstuk, sender, day):
    letter = sgd(name)
    assert (letter.kamerstuk, letter.sender, letter.date, letter.date_inferred) == (kamerstuk, sender, day, False)


@needs_sgd
def test_a_signature_over_three_lines_of_an_old_print():
    assert sgd("0000052743").signatories == [Signatory("De Minister van Staat, Minister van Koloniën", "H. COLIJN")]


@needs_sgd
def test_a_letter_without_date_line_is_dated_within_its_session_and_flagged():
    letter = sgd("0000040763")  # the footer gives the dossier: "21 501-07, nr. 8", vergaderjaar 1989-1990
    assert letter.kamerstuk == "kst-21501-07-8" and letter.date_inferred
    assert date(1989, 1, 1) <= letter.date <= date(1990, 12, 31)


@needs_sgd
def test_run_in_headings_of_a_real_letter():
    sections = [p.section for p in sgd("0000022801").paragraphs if p.kind is Kind.BODY]
    assert sections[0] == "Inleiding" and "Beleidsontwikkeling 1990" in sections


@needs_sgd
def test_no_furniture_left_in_the_development_letters():
    for path in sorted(SGD.glob("sgd_*.txt")):
        for p in read_letter(path).paragraphs:
            assert not re.search(r"ISSN|Plantijnstraat|^(?:Tweede|Eerste) Kamer, vergaderjaar", p.text), (path.name, p.text)


@needs_sgd
def test_the_held_out_letters_agree_with_the_hand_checked_reference():
    """The bar the customer checks on letters of this kind: >= 90% right sender; dossier, number
    and date right for >= 90% (measured: benchmarks/reading.py)."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["letters"]
    right = {"sender": 0, "dossier": 0, "number": 0, "date": 0}
    for name, want in reference.items():
        letter = read_letter(SGD / name)
        right["sender"] += (letter.sender or "").lower() == (want["sender"] or "").lower()
        right["dossier"] += letter.dossier == want["dossier"]
        right["number"] += letter.document_number == want["number"]
        own = letter.date.isoformat() if letter.date and not letter.date_inferred else None
        right["date"] += own == want["date"]
    assert all(n >= 0.9 * len(reference) for n in right.values()), right


@pytest.mark.parametrize("line, session, dossier, number", [
    ("Tweede Kamer, vergaderjaar 1991–1992, 21 461, nr. 46", "1991-1992", "21461", "46"),
    ("Tweede Kamer, vergaderjaar 1989-1990, 19379, nr. 8", "1989-1990", "19379", "8"),
    ("Tweede Kamer, zitting 1982-1983, 17600 hoofdstuk XII, nr. 51", "1982-1983", "17600-XII", "51"),
    ("Tweede Kamer, vergaderjaar 1987-1988, 20 200 hfdst. V-VII, nr. 119 1", "1987-1988", "20200-V", "119"),
    ("Tweede Kamer, vergaderjaar 1990-1991, 21 501-02, nr. 25", "1990-1991", "21501-02", "25"),
    ("Staten-Generaai, vergaderjaar 1993-1994, 23 856 , nrs. 430 en 1", "1993-1994", "23856", "430"),
    ("Tweede Kamer, zitting 1981, 16 400 hoofdstuk XII, nr.71", "1981", "16400-XII", "71"),
])
def test_the_running_footer_is_read(line, session, dossier, number):
    from indexer.reading.kamerstuk import Footer, read_footer

    assert read_footer(line) == Footer(session, dossier, number)
