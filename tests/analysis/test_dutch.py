"""Dutch analysis: a string goes in, the exact terms come out (index and query mode)."""

from indexer.analysis import analyze, analyze_positions, fold, stem


def test_inflections_share_a_stem():
    assert analyze("bondgenoot") == analyze("bondgenoten")
    assert analyze("dreiging") == analyze("dreigingen")
    assert analyze("nucleair") == analyze("nucleaire")


def test_diacritics_are_folded():
    assert analyze("Oekraine") == analyze("Oekraïne")
    assert analyze("cooperatieve") == analyze("coöperatieve")
    assert fold("Geïntegreerde Ministeriële") == "geintegreerde ministeriele"


def test_possessives_keep_the_word():
    assert analyze("China's") == analyze("China") == ["china"]
    assert analyze("EDT’s") == ["edt"]


def test_hyphenated_compound_is_indexed_whole_and_by_parts_at_one_position():
    assert analyze_positions("defensie-uitgaven stijgen") == [
        ("defensieuitgav", 0, 0, 17),
        ("defensie", 0, 0, 17),
        ("uitgav", 0, 0, 17),
        ("stijg", 1, 18, 25),
    ]


def test_query_keeps_the_whole_compound_only():
    assert analyze("defensie-uitgaven", mode="query") == ["defensieuitgav"]
    # ... which is also what the closed spelling is indexed under (with its parts)
    assert analyze("defensieuitgaven") == ["defensieuitgav", "defensie", "uitgav"]


def test_stopwords_leave_no_gap_and_compound_parts_that_are_stopwords_are_dropped():
    assert analyze_positions("dialoog met Rusland", mode="query") == [
        ("dialog", 0, 0, 7), ("rusland", 1, 12, 19)]
    assert analyze("niet-statelijke") == ["nietstat", "statelijk"]


def test_stem_overrides_and_trema_plurals():
    assert stem("fiets") == stem("fietsen") == "fiets"
    assert stem("kinderen") == stem("kind") == "kind"
    assert analyze("technologieën") == analyze("technologie")
    assert analyze("ideeën") == analyze("idee")


def test_numbers_and_codes_are_kept():
    assert analyze("artikel 5 van NAVO2030") == ["artikel", "5", "navo2030"]


def test_nfkc_normalisation():
    assert analyze("ﬁnanciering") == analyze("financiering")


def test_closed_compounds_are_indexed_whole_and_by_parts():
    assert analyze("cyberdreigingen")[1:] == analyze("cyber") + analyze("dreigingen")
    assert analyze_positions("klimaatverandering raakt") == [
        ("klimaatverander", 0, 0, 18), ("klimat", 0, 0, 18), ("verander", 0, 0, 18),
        ("raakt", 1, 19, 24)]
    # a query keeps the whole word
    assert analyze("cyberdreigingen", mode="query") == analyze("cyberdreigingen")[:1]


def test_words_that_only_look_like_compounds_stay_whole():
    for word in ("bondgenoot", "bondgenootschap", "weerbaarheid", "omstandigheden",
                 "samenwerking", "onderhandelingen", "uitgaven"):
        assert len(analyze(word)) == 1, word


def test_a_compounds_modifier_is_told_from_its_head():
    from indexer.analysis import modifier_terms, modifiers

    assert modifier_terms("klimaatverandering") == ("klimat",)  # a verandering, of klimaat
    assert modifier_terms("defensie-uitgaven") == ("defensie",)
    assert modifier_terms("Rusland") == ()  # no compound
    # a compound said again: its modifier is counted from the second time on
    assert modifiers("Het Klimaatfonds en het klimaat; het Klimaatfonds betaalt.") == ["klimat"]


def test_an_elided_compound_is_completed():
    from indexer.analysis import elisions

    # "land- en tuinbouw" is landbouw and tuinbouw; "in- en uitvoer" is invoer and uitvoer
    assert list(elisions("de land- en tuinbouw").values()) == ["landbouw"]
    assert list(elisions("de in- en uitvoer van goederen").values()) == ["invoer"]
    # the head elided: "havenbedrijven en -terreinen" has haventerreinen
    assert list(elisions("havenbedrijven en -terreinen").values()) == ["haventerreinen"]
    # a dash between sentences, or a hyphenated name, is no elision
    assert elisions("Brussel-Luxemburg. - Technisch incident") == {}
    assert elisions("Noord- en Zuid-Holland") == {}


def test_names_with_initials_and_the_acronyms_written():
    from indexer.analysis import acronyms, initialled_names

    text = ("Op maandag sprak de NAVO-Rusland Raad met het Hof van Justitie van de Europese Unie "
            "en de NMBS. De Minister antwoordt.")
    assert initialled_names(text) == [("NRR", "NAVO-Rusland Raad"), ("HJEU", "Hof van Justitie van de Europese Unie")]
    assert acronyms(text) == ["NAVO", "NMBS"]  # NAVO of NAVO-Rusland too


def test_a_title_and_a_name_stand_for_each_other_within_a_letter():
    from indexer.analysis import aliases

    paragraphs = ["Op de top sprak de Hoge Raad-voorzitter Anna Jansen met de ministers.",
                  "De Hoge Raad-voorzitter stelde voor de termijn te verlengen.",
                  "Nederland steunt dit."]
    assert aliases(paragraphs) == [[], ["Anna Jansen"], []]


def test_the_common_words_a_server_analyses_first_are_most_of_a_letters_words():
    """`analyse_common_words` (a server's warm-up) leaves most words of a real letter analysed
    already: the first searches' highlights do not work them out one by one."""
    from pathlib import Path

    from indexer.analysis import analyse_common_words, word_terms
    from indexer.analysis.dutch import lowercase_words

    text = " ".join(Path(path).read_text(encoding="utf-8")
                    for path in sorted((Path(__file__).parents[2] / "corpus").glob("*.txt"))[:2])
    words = set(lowercase_words(text))
    word_terms.cache_clear()
    analyse_common_words()
    before = word_terms.cache_info()
    for word in words:
        word_terms(word)
    after = word_terms.cache_info()
    assert after.hits - before.hits >= 0.6 * len(words), (after.hits - before.hits, len(words))  # 72%
