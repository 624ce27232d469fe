"""Reading letters as a careful human would: the five seed letters and small crafted texts."""
from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from indexer.analysis import lexicon
from indexer.reading import Kind, Letter, LetterError, Signatory, parse_letter, read_letter

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
NAMES = {p.name[:3]: p for p in sorted(CORPUS.glob("*.txt"))}


@cache
def letter(number: str) -> Letter:
    return read_letter(NAMES[number])


def body(lt: Letter) -> list[str]:
    return [p.text for p in lt.paragraphs if p.kind is Kind.BODY]


def paragraph(lt: Letter, start: str):
    found = [p for p in lt.paragraphs if p.text.startswith(start)]
    assert len(found) == 1, f"{len(found)} paragraphs start with {start!r}"
    return found[0]


def all_text(lt: Letter) -> str:
    return "\n".join(p.text for p in lt.paragraphs)


def test_the_seed_corpus_is_there():
    assert sorted(NAMES) == ["000", "001", "002", "003", "004"]


# --- Dehyphenation ------------------------------------------------------------------------------

@pytest.mark.parametrize("number, word", [
    ("000", "omstandigheden"), ("003", "omstandigheden"), ("002", "verdedigingsfunctie"),
    ("003", "waardengemeenschap"), ("000", "vertrouwelijke document"), ("000", "bondgenootschap en"),
    ("002", "lastenverdeling, gezamenlijke"), ("002", "tekstvoorstellen"), ("003", "Defensienota (Kamerstuk"),
    ("000", "crisismanagement – coöperatieve veiligheid"),
])
def test_typesetting_hyphens_are_joined(number, word):
    assert word in all_text(letter(number)) or any(
        p.section and word in p.section for p in letter(number).paragraphs)


@pytest.mark.parametrize("number, word", [
    ("002", "NAVO-verdragsgebied"), ("004", "NAVO-verdragsgebied. Om"), ("001", "niet-statelijke -"),
    ("001", "Non-Proliferatieverdrag"), ("003", "defensie-uitgaven, collectieve"), ("002", "trans-Atlantische veiligheid"),
    ("002", "NAVO2030-agenda. Verhoging"), ("004", "Secretaris-Generaal van de NAVO (hierna"),
    ("002", "politiek-militair advies over een nieuw"), ("001", "NAVO-Rusland Raad moet"),
    ("001", "EU/NAVO-samenwerking. Er"), ("001", "Zuid-Korea"), ("003", "kandidaat-Bondgenoten worden"),
    ("004", "Conflict-Related"), ("002", "Noord-Amerika"),
])
def test_real_hyphens_stay(number, word):
    assert word in all_text(letter(number))


def test_weglatingsstreepje_keeps_hyphen_and_space():
    assert "De staatshoofden van de NAVO- en EU-lidstaten" in all_text(letter("001"))


def test_crafted_join_and_keep_rules():
    text = ("Geachte voorzitter,\n\nDe huidige omstandig-\nheden vragen om de-\nescalatie en meer\n"
            "defensie-\nuitgaven door NAVO-\nbondgenoten en de zee-\negel, de EU-\nlidstaten, de\n"
            "niet-\nstatelijke actoren en de 2%-\nnorm voor politiek-\nmilitaire samen-\nwerking.\n")
    text_out = parse_letter(text, "t").paragraphs[0].text
    assert text_out == ("De huidige omstandigheden vragen om de-escalatie en meer defensie-uitgaven door "
                        "NAVO-bondgenoten en de zee-egel, de EU-lidstaten, de niet-statelijke actoren en "
                        "de 2%-norm voor politiek-militaire samenwerking.")


def test_letter_vocabulary_and_given_vocabulary_decide():
    own = "Een concept-\nteksten lijst. Over concept-teksten gesproken, alle conceptvoor-\nstellen.\n"
    assert "concept-teksten lijst" in parse_letter(own, "t").paragraphs[0].text
    joined = parse_letter("Het reflectie-\nrapport is uit.\n", "t", vocabulary={"reflectierapport"})
    assert joined.paragraphs[0].text == "Het reflectierapport is uit."


def test_a_spaced_dash_is_punctuation_not_a_break():
    text = "Over NAVO2030 - een advies - en de rest –\nvan de tekst.\n"
    assert parse_letter(text, "t").paragraphs[0].text == "Over NAVO2030 - een advies - en de rest – van de tekst."


def test_no_split_word_left_anywhere_in_the_corpus():
    """Corpus-wide: no hyphen the lexicon says should go, and no "frag- ment" left over."""
    spelling = ("capital", "acronym", "prefix", "klinkerbotsing", "weglatingsstreepje")
    for number in NAMES:
        lt = letter(number)
        for d in lt.hyphenations:
            if not d.joined and d.right[:1].islower() and not any(k in d.reason for k in spelling):
                head = re.split(r"[-/]", d.left)[-1]
                assert not lexicon.is_word(head + d.right), (number, d)
        for m in re.finditer(r"(\w+)- ([a-zà-ÿ]\w*)", all_text(lt)):
            assert m[2] in {"en", "of"}, (number, m.group())
        for m in re.finditer(r"\b(\w+)-([a-zà-ÿ]+)\b", all_text(lt)):
            if not m[1].isupper() and not any(c.isdigit() for c in m[1]):
                source = NAMES[number].read_text(encoding="utf-8")
                written = m.group() in source
                assert written or not lexicon.is_word(m[1] + m[2]), (number, m.group())


def test_every_line_end_hyphen_is_decided_and_explained():
    decisions = [d for n in NAMES for d in letter(n).hyphenations]
    assert len(decisions) >= 50
    assert all(d.reason for d in decisions)
    kept = {d.result for d in decisions if not d.joined}
    assert "concept-teksten" in kept  # two common words, and "conceptteksten" is unknown


# --- Pages, paragraphs, headings ---------------------------------------------------------------

def test_a_sentence_runs_on_across_a_page_break_and_footnote():
    p = paragraph(letter("003"), "De NAVO wijst erop dat we")
    assert "in de richting van de NAVO-norm van twee procent van het BBP te bewegen." in p.text
    assert p.text.endswith("Deze staat gepland in 2020.")
    p = paragraph(letter("003"), "Het kabinet onderschrijft de stelling")
    assert "Aangezien de Adviesraad in een separaat advies nader zal ingaan" in p.text
    assert "van het bondgenootschap en van de individuele" in paragraph(letter("000"), "Het optreden van China").text


def test_a_form_feed_starts_a_page():
    lt = parse_letter("Eerste pagina tekst die doorloopt op de\fvolgende pagina.\n\nNieuwe alinea.\n", "t")
    assert [(p.text, p.page) for p in lt.paragraphs] == [
        ("Eerste pagina tekst die doorloopt op de volgende pagina.", 1), ("Nieuwe alinea.", 2)]


def test_paragraphs_of_002_split_on_line_cues():
    lt = letter("002")
    first = paragraph(lt, "Hierbij ontvangt u, mede namens")
    assert first.text.endswith("(Handelingen II 2021/22, nr. 53, Regeling van Werkzaamheden).")
    assert "17 februari 2022 in Brussel. De ontwikkelingen" in first.text
    assert paragraph(lt, "De bijeenkomst van de NAVO ministers").text.endswith("beleid van de NAVO.")
    assert paragraph(lt, "Ministers bespraken de veiligheidssituatie").text.endswith(
        "van de Nederlandse krijgsmacht verhoogd.")
    assert paragraph(lt, "Gelet op de gespannen situatie").text.endswith("ook voor Nederlandse eenheden.")
    assert paragraph(lt, "Namens Nederland heb ik benadrukt").text.endswith("een besluit over de verhoging.")
    assert paragraph(lt, "De ministers stelden dat").section == "Strategisch concept"
    assert len(body(lt)) == 14


def test_paragraphs_of_004_split_on_line_cues():
    lt = letter("004")
    assert paragraph(lt, "Hierbij ontvangt u de geannoteerde agenda").text.endswith(
        "via een beveiligde video-verbinding zullen plaatsvinden.")
    assert paragraph(lt, "De bijeenkomst van NAVO-ministers van Buitenlandse Zaken").text.endswith(
        "mogelijk ook spreken over Afghanistan.")
    visit = paragraph(lt, "De minister van Defensie bracht op 16 mei")
    assert "Generaal Miller. Zij sprak uiteraard" in visit.text
    assert visit.text.endswith("gereed voor inzet.")
    assert paragraph(lt, "In aanloop naar de NAVO-top").text.endswith("voor het zomerreces.")
    assert paragraph(lt, "Gelet op de steeds complexer").section == "NAVO-EU samenwerking"
    assert "afschrikking van en respons op kwaadaardige handelingen. Daarnaast" in all_text(lt)


def test_a_list_keeps_its_items_apart_and_whole():
    lt = letter("001")
    assert paragraph(lt, "2. Het vergroten").text == "2. Het vergroten van de onderlinge politieke consultatie en coördinatie;"
    assert paragraph(lt, "3. Het versterken").text.endswith("uit alle strategische richtingen.")


@pytest.mark.parametrize("number, heading, first_words", [
    ("000", "Rusland", "Het is evident dat de inval"),
    ("000", "Cyber", "Kwaadwillende cyberactiviteiten"),
    ("000", "NAVO-EU samenwerking en Partnerschappen", "De oorsprong van de uitdagingen"),
    ("000", "De drie kerntaken: collectieve verdediging – crisismanagement – coöperatieve veiligheid",
     "Vanwege de verslechterde"),
    ("001", "Aanbevelingen: nieuwe en hernieuwde dreigingen", "Volgens de reflectiegroep is Rusland"),
    ("002", "NAVO-EU samenwerking", "Tijdens de laatste werksessie"),
    ("002", "Strategisch concept", "Bondgenoten wisselden van gedachten"),
    ("003", "Cyber", "Het kabinet steunt de aanbeveling"),
    ("004", "Behoud van technologische voorsprong", "Opkomende en ontwrichtende"),
    ("004", "Strategisch Concept", "Het huidige Strategische Concept"),
    ("004", "NAVO2030", "Tijdens hun bijeenkomst in Londen"),
])
def test_headings_become_sections(number, heading, first_words):
    assert paragraph(letter(number), first_words).section == heading
    assert heading not in body(letter(number))


def test_a_heading_in_capitals_that_opens_the_text_is_its_title_not_a_section():
    lt = letter("004")
    assert lt.title == ("Geannoteerde agenda ministeriële bijeenkomsten van de NAVO-ministers van "
                        "Buitenlandse Zaken en van Defensie van 1 juni 2021")
    assert paragraph(lt, "Hierbij ontvangt u de geannoteerde").section is None
    assert not any(p.section and p.section.startswith("GEANNOTEERDE") for p in lt.paragraphs)


def test_false_headings_stay_in_their_paragraph():
    assert "over Afghanistan." not in [p.section for p in letter("004").paragraphs]
    assert "twee procent van het BBP" in paragraph(letter("003"), "De NAVO wijst erop").text
    assert paragraph(letter("000"), "In de bijlage treft u").section is None


def test_body_paragraphs_are_clean():
    for number in NAMES:
        lt = letter(number)
        names = [s.name for s in lt.signatories]
        assert [p.number for p in lt.paragraphs] == list(range(1, len(lt.paragraphs) + 1))
        for text in body(lt):
            assert text.strip() and text == text.strip() and "  " not in text
            assert "Geachte voorzitter" not in text and "Aan de Voorzitter" not in text
            assert "Hoogachtend" not in text and "Bijlage(n)" not in text and text != "DEFENSIE"
            assert not any(name in text for name in names), (number, text)


# --- Footnotes ----------------------------------------------------------------------------------

def test_footnote_markers_are_removed_from_words():
    assert paragraph(letter("000"), "Het concept zelf").text == "Het concept zelf gaat u vertrouwelijk toe."
    assert "de Kamerbrief van 14 maart 2018)." in all_text(letter("003"))
    assert "Initiative (ERI) en de bijdrage" in all_text(letter("003"))
    assert "verklaring van 14 april stelde" in all_text(letter("004"))
    assert "gemiddelde van de Europese bondgenoten. In de nieuwe" in all_text(letter("002"))


@pytest.mark.parametrize("number, notes", [
    ("000", [(1, "Ter vertrouwelijke inzage gelegd, alleen voor de leden, bij het Centraal "
                 "Informatiepunt Tweede Kamer.", None, 1)]),
    ("002", [(1, "NAVO rekent met OESO en EU-cijfers wat betreft de toekomstige groei van het bbp. "
                 "Daarmee is de NAVO-projectie wat Nederland betreft 1,76% bbp",
              "Lastenverdeling en gemeenschappelijke financiering", 3)]),
    ("003", [(1, "Door VS administratie thans European Deterrence Initiative genoemd",
              "Trans-Atlantische betrekkingen", 2),
             (2, "Kamerstuk 32 623, nr. 200", "Positie van Turkije", 5)]),
    ("004", [(1, "https://www.nato.int/cps/en/natohq/official_texts_183146.htm", "Afghanistan", 4)]),
    ("001", []),
])
def test_footnotes_are_paragraphs_after_the_body(number, notes):
    lt = letter(number)
    found = [(p.footnote, p.text, p.section, p.page) for p in lt.paragraphs if p.kind is Kind.FOOTNOTE]
    assert found == notes
    kinds = [p.kind for p in lt.paragraphs]
    assert kinds == sorted(kinds, key=lambda k: k is Kind.FOOTNOTE)


def test_a_numbered_line_is_no_footnote_without_its_marker():
    assert "17 februari 2022 in Brussel" in paragraph(letter("002"), "Hierbij ontvangt u").text
    lt = parse_letter("Er waren 3 landen aanwezig.\n\n1 Dit lijkt een voetnoot\n", "t")
    assert [p.kind for p in lt.paragraphs] == [Kind.BODY, Kind.BODY]


# --- Metadata -----------------------------------------------------------------------------------

@pytest.mark.parametrize("number, signatories", [
    ("000", [("De Minister van Buitenlandse Zaken", "W.B. Hoekstra"), ("De Minister van Defensie", "K.H. Ollongren")]),
    ("001", [("De Minister van Buitenlandse Zaken", "Stef Blok"), ("De Minister van Defensie", "Ank Bijleveld-Schouten")]),
    ("002", [("De Minister van Defensie", "K.H. Ollongren")]),
    ("003", [("De Minister van Buitenlandse Zaken", "S.A. Blok"),
             ("De Minister van Defensie", "A.Th.B. Bijleveld-Schouten")]),
    ("004", [("De minister van Buitenlandse Zaken", "Stef Blok"), ("De minister van Defensie", "Ank Bijleveld-Schouten")]),
])
def test_signatories(number, signatories):
    assert letter(number).signatories == [Signatory(r, n) for r, n in signatories]


def test_signatories_are_deduplicated_in_order():
    sig = "De Minister van Defensie,\nK.H. Ollongren\n\n"
    lt = parse_letter(f"Eerste alinea.\n\n{sig}Bijlage tekst.\n\n{sig}", "t")
    assert lt.signatories == [Signatory("De Minister van Defensie", "K.H. Ollongren")]
    assert [p.text for p in lt.paragraphs] == ["Eerste alinea.", "Bijlage tekst."]


@pytest.mark.parametrize("number, expected, inferred", [
    ("000", date(2022, 6, 8), False), ("002", date(2022, 2, 26), False), ("003", date(2018, 4, 26), False),
    ("001", date(2020, 12, 1), True),  # latest date mentioned: "op 1 december 2020"
    ("004", date(2021, 6, 1), True),  # the meeting it is the agenda of, not the Top it announces
])
def test_dates(number, expected, inferred):
    assert (letter(number).date, letter(number).date_inferred) == (expected, inferred)


def test_a_letter_without_any_date_has_none():
    lt = parse_letter("Een brief zonder datum.\n", "t")
    assert lt.date is None and lt.date_inferred is False


@pytest.mark.parametrize("number, title", [
    ("000", "Kabinetsappreciatie van het concept Strategisch concept van de NAVO"),
    ("001", "Overzicht van de belangrijkste bevinden van de reflectiegroep en een appreciatie van de "
            "meest relevante aanbevelingen"),
    ("002", "Verslag van de bijeenkomst van de NAVO-ministers van Defensie op 16 en 17 februari 2022 in Brussel"),
    ("003", "Reactie op advies nr. 106 «De toekomst van de NAVO en de veiligheid van Europa» en op "
            "briefadvies nr. 31 «Rusland en de Nederlandse defensie-inspanningen» van de Adviesraad "
            "Internationale Vraagstukken"),
    ("004", "Geannoteerde agenda ministeriële bijeenkomsten van de NAVO-ministers van Buitenlandse "
            "Zaken en van Defensie van 1 juni 2021"),
])
def test_titles_are_whole(number, title):
    assert letter(number).title == title


def test_title_from_betreft_line_and_fallback_first_sentence():
    lt = parse_letter("Betreft Reactie op motie Jansen\n\nDe motie o.a. vraagt om nr. 5. Dat doen we.\n", "t")
    assert lt.title == "Reactie op motie Jansen"
    assert "Betreft" not in all_text(lt)
    lt = parse_letter("De motie vraagt o.a. om een brief van dhr. W.B. Jansen. Dat doen we.\n", "t")
    assert lt.title == "De motie vraagt o.a. om een brief van dhr. W.B. Jansen"


@pytest.mark.parametrize("number, refs", [
    ("000", ["Kamerstuk 35 925 V, nr. 84"]),
    ("001", ["Kamerstuk 35 373, nr. 1"]),
    ("002", ["Kamerstuk 36 045, nr. 2"]),
    ("003", ["Kamerstuk 34 919, nr. 1", "Kamerstuk 33 694, nr. 12", "Kamerstuk 28 676, nr. 282",
             "Kamerstuk 28 676, nr. 252", "Kamerstuk 32 623, nr. 200"]),
    # the Tweede Kamer's document and case numbers (2021D12041, 2021Z07953) are no Kamerstukken
    ("004", ["Kamerstuk 27 925, nr. 771", "Kamerstuk 34 919, nr. 71", "Kamerstuk 35 570 X, nr. 39",
             "Kamerstuk 35 570 X, nr. 54"]),
])
def test_what_a_modern_letter_cites_is_not_what_it_is(number, refs):
    lt = letter(number)
    assert lt.refers_to == refs and lt.kamerstukken == refs  # the old name still answers
    assert (lt.dossier, lt.document_number, lt.kamerstuk) == (None, None, None)


def test_kamerstukken_stay_in_the_text_and_other_forms_are_found():
    assert "(Kamerstuk 36 045, nr. 2)" in all_text(letter("002"))
    lt = parse_letter("Zie Kamerstukken II 2021/22, 35 925 V, nr. 84 en Kamerstuk 35925-V-84.\n", "t")
    assert lt.refers_to == ["Kamerstuk 35 925 V, nr. 84"]
    lt = parse_letter("In mijn brief van 19 oktober jl. (17649, nr. 32) en in stuk 19 283, nr. 3.\n", "t")
    assert lt.refers_to == ["Kamerstuk 17 649, nr. 32", "Kamerstuk 19 283, nr. 3"]


def test_file_fields():
    lt = letter("000")
    assert lt.id == "000_57bdeaef467bd125" and lt.source == "000_57bdeaef467bd125.txt"
    assert len(lt.sha256) == 64


# --- Sidecars and bad input ---------------------------------------------------------------------

def test_the_sidecar_gives_what_the_text_lacks(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text(NAMES["000"].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "brief.meta.json").write_text(json.dumps({
        "title": "Eigen titel", "date": "2022-06-09", "kamerstukken": ["Kamerstuk 1 234, nr. 5"],
        "signatories": [{"role": "De Minister van Defensie", "name": "K.H. Ollongren"}],
    }), encoding="utf-8")
    lt = read_letter(path)
    assert lt.title == "Eigen titel"
    assert lt.refers_to == ["Kamerstuk 1 234, nr. 5", "Kamerstuk 35 925 V, nr. 84"]
    assert lt.signatories == [Signatory("De Minister van Defensie", "K.H. Ollongren")]
    # the letter's own date line wins over the sidecar's date, and the letter says so
    assert (lt.date, lt.date_inferred) == (date(2022, 6, 8), False)
    assert lt.notes == ["de datum 2022-06-09 in het metadatabestand wijkt af van de datumregel 2022-06-08 in de brief; die wordt aangehouden"]


def test_sidecar_date_for_an_undated_letter(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text(NAMES["004"].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "brief.meta.json").write_text('{"date": "2021-05-25"}', encoding="utf-8")
    assert (read_letter(path).date, read_letter(path).date_inferred) == (date(2021, 5, 25), False)


@pytest.mark.parametrize("content, message", [
    (b"", "leeg"), (b"  \n\t\n", "leeg"), (b"%PDF-1.4\x00\x01\x02binary", "NUL-bytes"),
    (b"Geachte voorzitter,\n\xff\xfe caf\xe9\n", "geen geldige UTF-8"),
])
def test_bad_files_raise_helpful_errors(tmp_path, content, message):
    path = tmp_path / "brief.txt"
    path.write_bytes(content)
    with pytest.raises(LetterError, match=message) as e:
        read_letter(path)
    assert str(path) in str(e.value)


@pytest.mark.parametrize("sidecar, message", [
    ("{not json", "geen geldige UTF-8-JSON"), ('["a list"]', "JSON-object"),
    ('{"date": "2022-13-45"}', "JJJJ-MM-DD"), ('{"signatories": [{"role": "x"}]}', "signatories"),
    ('{"title": 5}', "title"),
])
def test_broken_sidecar_is_named(tmp_path, sidecar, message):
    path = tmp_path / "brief.txt"
    path.write_text("Een brief.\n", encoding="utf-8")
    (tmp_path / "brief.meta.json").write_text(sidecar, encoding="utf-8")
    with pytest.raises(LetterError, match=message) as e:
        read_letter(path)
    assert "brief.meta.json" in str(e.value)


def test_text_hygiene():
    lt = parse_letter("Cafe\u0301  met   «quotes» en – streepjes.\n", "t")
    assert lt.paragraphs[0].text == "Café met «quotes» en – streepjes."


def test_the_reader_does_not_pull_in_the_index_or_the_web():
    import subprocess
    import sys

    code = "import sys, indexer.reading; print(sorted({'whoosh', 'click', 'flask'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_in_line_hyphens_of_a_letter_whose_lines_were_never_flattened_stay():
    text = "De burn-out, het proces-verbaal, de oost-flank en de oostflank blijven zo.\n"
    assert parse_letter(text, "t").paragraphs[0].text == text.strip()


def test_a_word_split_into_two_fragments_shows_the_lines_were_flattened():
    text = ("Het huisves-tingsbeleid, het mededin-gingsbeleid, de onder-zoeken en de NAVO-Rusland Raad en "
            "niet-statelijke actoren.\n")
    assert parse_letter(text, "t").paragraphs[0].text == (
        "Het huisvestingsbeleid, het mededingingsbeleid, de onderzoeken en de NAVO-Rusland Raad en "
        "niet-statelijke actoren.")


def test_soft_hyphens_of_a_scan():
    text = "De toen\u00admalige Voorzitter van de Staten\u00adGeneraal schreef het.\n"
    assert parse_letter(text, "t").paragraphs[0].text == "De toenmalige Voorzitter van de Staten-Generaal schreef het."
