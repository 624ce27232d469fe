"""Senders, ministries and signatures, as the letters of every era write them."""
from __future__ import annotations

import pytest

from indexer.reading import Signatory, ministry_slug
from indexer.reading.senders import ministry_name, read_sender, sender_of_roles
from indexer.reading.signatures import read_signature


@pytest.mark.parametrize("line, sender, ministries", [
    ("DE MINISTER VAN JUSTITIE", "de minister van Justitie", ["Justitie"]),
    ("DE MINISTERS VAN BUITENLANDSE ZAKEN EN VAN DEFENSIE", "de ministers van Buitenlandse Zaken en van Defensie",
     ["Buitenlandse Zaken", "Defensie"]),
    # OCR: hyphens of line breaks, a period for a comma, misread letters, lost diacritics
    ("DE MINISTERS VAN VOLKSHUISVESTING. RUIMTE-LIJKE ORDENING EN MILIEUBEHEER EN VAN VERKEER EN WATERSTAAT",
     "de ministers van Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer en van Verkeer en Waterstaat",
     ["Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer", "Verkeer en Waterstaat"]),
    ("DE STAATSSECRETARIS VAN OIMDERWIJS EN WETENSCHAPPEN", "de staatssecretaris van Onderwijs en Wetenschappen",
     ["Onderwijs en Wetenschappen"]),
    ("DE MINISTER VAIM WELZIJN, VOLKSGEZONDHEID EN CULTUUR", "de minister van Welzijn, Volksgezondheid en Cultuur",
     ["Welzijn, Volksgezondheid en Cultuur"]),
    ("DE MINISTER EN DE STAATSSECRETARIS VAN FINANCIEN", "de minister en de staatssecretaris van Financiën",
     ["Financiën"]),
    ("DE MINISTER VAN SOCIALE ZAKEN EN WERKGELE-GENHEID EN VAN DE STAATSSECRE-TARIS VAN JUSTITIE",
     "de minister van Sociale Zaken en Werkgelegenheid en de staatssecretaris van Justitie",
     ["Sociale Zaken en Werkgelegenheid", "Justitie"]),
    # names of their time stay as they were; a name not in the list as the letter writes it
    ("DEN MINISTER VAN BUITENLANDSCHE ZAKEN, BETREFFENDE VERLENGING VAN HET PROTOCOL",
     "de minister van Buitenlandsche Zaken", ["Buitenlandsche Zaken"]),
    ("DE MINISTER VAN WEDEROPBOUW EN VOLKSHUISVESTING", "de minister van Wederopbouw en Volkshuisvesting",
     ["Wederopbouw en Volkshuisvesting"]),
    ("DE MINISTER VAN HANDEL EN SCHEEPVAART", "de minister van Handel en Scheepvaart", ["Handel en Scheepvaart"]),
    ("DE MINISTER VOOR ONTWIKKELINGSSAMEN-WERKING", "de minister voor Ontwikkelingssamenwerking",
     ["Ontwikkelingssamenwerking"]),
    ("DE MINISTER-PRESIDENT, MINISTER VAN ALGEMENE ZAKEN", "de minister-president", ["Algemene Zaken"]),
    ("DEN MINISTER", "de minister", []),
])
def test_sender_lines(line, sender, ministries):
    read = read_sender(line)
    assert (read.text, read.ministries) == (sender, ministries)


def test_ocr_debris_is_no_ministry():
    assert read_sender("DE MINISTER VAN LAI^UDUUW E IN VI33CMJ") is None
    assert ministry_name("XQZW VBNM") is None


def test_a_sender_from_the_signatures():
    both = sender_of_roles(["De Minister van Buitenlandse Zaken", "De minister van Defensie"])
    assert (both.text, both.ministries) == ("de ministers van Buitenlandse Zaken en van Defensie",
                                            ["Buitenlandse Zaken", "Defensie"])
    honorary = sender_of_roles(["De Minister van Staat, Minister van Koloniën"])  # "van Staat" is a title
    assert (honorary.text, honorary.ministries) == ("de minister van Koloniën", ["Koloniën"])


def test_ministry_slugs():
    assert ministry_slug("Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer") == \
        "volkshuisvesting-ruimtelijke-ordening-en-milieubeheer"
    assert ministry_slug("Financiën") == "financien"


@pytest.mark.parametrize("lines, role, name, used", [
    (["De Minister van Buitenlandse Zaken,", "W.B. Hoekstra"], "De Minister van Buitenlandse Zaken", "W.B. Hoekstra", 2),
    (["De minister van Defensie", "Ank Bijleveld-Schouten"], "De minister van Defensie", "Ank Bijleveld-Schouten", 2),
    (["De Minister van Financiën, P. LIEFTINCK."], "De Minister van Financiën", "P. LIEFTINCK", 1),
    (["De Minister van Landbouw, Visserij en Voedselvoorziening, MANSHOLT."],
     "De Minister van Landbouw, Visserij en Voedselvoorziening", "MANSHOLT", 1),
    (["De Minister van Staat, Minister van", "Koloniën,", "H. COLIJN."],
     "De Minister van Staat, Minister van Koloniën", "H. COLIJN", 3),
    (["De Ministervan Financiën, H. 0. C. R. Ruding"], "De Minister van Financiën", "H. O. C. R. Ruding", 1),
    (["De Minister van Justitie a.i., E. van Thijn"], "De Minister van Justitie a.i.", "E. van Thijn", 1),
    (["J. G. SUURHOFF. (Minister van Verkeer en Waterstaat)"], "Minister van Verkeer en Waterstaat", "J. G. SUURHOFF", 1),
    (["De staatssecretaris van onderwijs en wetenschappen,", "G. KLEIN"],
     "De staatssecretaris van onderwijs en wetenschappen", "G. KLEIN", 2),
    (["De Minister van Justitie, ' Ter inzage gelegd op de bibliotheek.", "F. Korthals Altes"],
     "De Minister van Justitie", "F. Korthals Altes", 2),  # a footnote run into the office's line
    (["R. F. M. LUBBERS."], "", "R. F. M. LUBBERS", 1),
])
def test_signatures_in_all_their_forms(lines, role, name, used):
    assert read_signature(lines, 0) == (Signatory(role, name), used)


@pytest.mark.parametrize("lines", [
    ["De minister van Defensie bracht op 16 mei een bezoek aan de heer J. de Vries."],
    ["De minister van Defensie bracht een bezoek aan", "Oekraïne"],
    ["NOTA VAN SCHRIJF-EN DRUKFOUTEN."],
])
def test_sentences_are_no_signatures(lines):
    assert read_signature(lines, 0) is None
