"""The search service over a real index of the five seed letters."""
from datetime import date

import pytest

from indexer.searching import BadParameter, SearchRequest, Sort
from indexer.searching import LetterNotFound


def search(service, query="", **kwargs):
    return service.search(SearchRequest(query=query, **kwargs))


def test_plain_words_rank_paragraphs_with_more_of_them_first(service):
    result = search(service, "dialoog Rusland")
    assert result.total > 5
    top = result.hits[0].text.lower()
    assert "dialoog" in top and "rusland" in top
    # a paragraph with only one of the words is still found: no word is required
    assert any("dialoog" not in h.text.lower() for h in search(service, "dialoog Rusland", page_size=100).hits)


def test_an_absent_word_does_not_empty_the_result(service):
    assert search(service, "Rusland xyzzyqq").total == search(service, "Rusland").total


def test_inflection_diacritics_and_compounds_are_found(service):
    assert any("bondgenoten" in h.text for h in search(service, "bondgenoot").hits)
    assert any("Oekraïne" in h.text for h in search(service, "Oekraine").hits)
    assert any("defensie-uitgaven" in h.text for h in search(service, "uitgaven").hits)


def test_snippets_mark_matches_and_escape_everything_else(service):
    hit = search(service, "Oekraine").hits[0]
    assert "<mark>Oekraïne</mark>" in hit.snippet or "<mark>Oekraïense</mark>" in hit.snippet
    assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")


def test_phrase_is_stricter_than_words(service):
    phrase = search(service, '"artikel 5"')
    words = search(service, "artikel 5")
    assert 0 < phrase.total < words.total
    assert all("artikel 5" in h.text.lower() or "art. 5" in h.text.lower() for h in phrase.hits)


def test_not_excludes(service):
    with_china = search(service, "Rusland", page_size=100)
    without = search(service, "Rusland NIET China", page_size=100)
    assert without.total < with_china.total
    assert not any("china" in h.text.lower() for h in without.hits)


def test_and_requires_both(service):
    result = search(service, "Rusland EN dialoog", page_size=100)
    assert result.total > 0
    for h in result.hits:
        assert "rusland" in h.text.lower() or "rusland" in (h.section or "").lower()


def test_prefix_and_fuzzy(service):
    assert service.search(SearchRequest("cyberw", exact=True)).total == 0
    assert any("cyberweerbaarheid" in h.text for h in search(service, "cyberw*").hits)
    assert search(service, "Borell~").total >= 1


def test_prefix_and_fuzzy_matches_are_marked_as_written(service):
    assert "<mark>cyberweerbaarheid</mark>" in search(service, "cyberw*").hits[0].snippet
    assert "<mark>Borrell</mark>" in search(service, "Borell~").hits[0].snippet


def test_facets_count_all_hits_not_only_the_page(service):
    result = search(service, "NAVO", page_size=5)
    assert len(result.hits) == 5
    assert sum(v.count for v in result.facets["year"]) == result.total
    assert result.total > 50
    assert result.facets["topic"], "paragraphs about NATO carry topics"


def test_year_and_topic_filters_agree_with_their_facet_counts(service):
    everything = search(service, "NAVO")
    year = everything.facets["year"][0]
    assert search(service, "NAVO", year=int(year.value)).total == year.count
    topic = everything.facets["topic"][0]
    filtered = search(service, "NAVO", topics=[topic.slug])
    assert filtered.total == topic.count
    assert all(topic.value in h.topics for h in filtered.hits)


def test_filters_in_the_query_string(service):
    assert search(service, "NAVO jaar:2022").total == search(service, "NAVO", year=2022).total
    dated = search(service, "NAVO datum:2022-01-01..2022-03-31", page_size=100)
    assert dated.total > 0
    assert all(date(2022, 1, 1) <= h.date <= date(2022, 3, 31) for h in dated.hits)
    assert search(service, "onderwerp:rusland").total == search(service, topics=["Rusland"]).total


def test_unknown_topic_in_query_finds_nothing_and_says_so(service):
    result = search(service, "onderwerp:atlantis")
    assert result.total == 0 and "atlantis" in result.notice


def test_unknown_topic_as_parameter_is_a_bad_parameter(service):
    with pytest.raises(BadParameter, match="bekende onderwerpen"):
        search(service, topics=["atlantis"])


def test_sort_by_date_both_ways(service):
    newest = search(service, "NAVO", sort=Sort.DATE_DESC, page_size=100)
    oldest = search(service, "NAVO", sort=Sort.DATE_ASC, page_size=100)
    assert newest.total > 100, "more hits than one page: the order must hold across pages"
    dates = [h.date for h in newest.hits]
    assert dates == sorted(dates, reverse=True)
    assert [h.date for h in oldest.hits] == sorted(h.date for h in oldest.hits)
    years = [int(v.value) for v in newest.facets["year"]]
    assert dates[0].year == max(years) and oldest.hits[0].date.year == min(years)
    last_page = search(service, "NAVO", sort=Sort.DATE_DESC, page_size=10, page=-(-newest.total // 10))
    assert last_page.hits[-1].date.year == min(years)


def test_same_date_hits_follow_the_letter_and_paragraph_order_across_pages(service):
    for sort, sign in ((Sort.DATE_ASC, 1), (Sort.DATE_DESC, -1)):
        whole = search(service, "NAVO", sort=sort, page_size=100).hits
        keys = [(sign * h.date.toordinal(), h.letter_id, h.number) for h in whole]
        assert keys == sorted(keys)
        pages = [h for page in (1, 2, 3) for h in search(service, "NAVO", sort=sort, page_size=7, page=page).hits]
        assert [(h.letter_id, h.number) for h in pages] == [(h.letter_id, h.number) for h in whole[:21]]


def test_paging_past_page_one_covers_every_hit_once(service):
    first = search(service, "Rusland", page_size=7)
    seen = []
    for page in range(1, first.pages + 1):
        seen += [(h.letter_id, h.number) for h in search(service, "Rusland", page_size=7, page=page).hits]
    assert len(seen) == len(set(seen)) == first.total


def test_a_page_past_the_end_is_empty_with_a_notice(service):
    result = search(service, "Rusland", page=999)
    assert result.hits == [] and result.total > 0 and "999" in result.notice


@pytest.mark.parametrize("kwargs", [{"page": 0}, {"page": -1}, {"page_size": 0}, {"page_size": 1000},
                                    {"date_from": date(2022, 1, 1), "date_to": date(2021, 1, 1)}])
def test_bad_parameters_are_refused_with_a_message(service, kwargs):
    with pytest.raises(BadParameter):
        search(service, "Rusland", **kwargs)


def test_malformed_query_is_searched_as_words_with_a_notice(service):
    result = search(service, 'Rusland "dialoog')
    assert result.total == search(service, "Rusland dialoog").total
    assert "aanhalingsteken" in result.notice


def test_misspelt_query_gets_a_suggestion(service):
    result = search(service, "Borrel")
    assert result.suggestion == "Borrell"


def test_json_contract(service):
    data = search(service, "dialoog met Rusland", page_size=3).to_dict()
    assert set(data) == {"query", "notice", "suggestion", "incomplete", "total", "page", "page_size",
                         "took_ms", "sort", "filters", "hits", "facets",
                         # extended (issue 17): the contract only grows
                         "group", "total_letters", "letters", "searched_instead", "year_histogram"}
    assert data["incomplete"] is False
    assert set(data["filters"]) == {"topics", "from", "to", "year", "ministries", "dossiers"}
    hit = data["hits"][0]
    assert set(hit) == {"letter_id", "paragraph", "title", "date", "date_inferred", "section",
                        "topics", "kind", "score", "text", "snippet", "dossier", "kamerstuk", "sender",
                        "ministries",
                        # extended (issue 15): near-identical hits shown as this one (0 unless collapsed)
                        "similar", "letter_topics"}  # letter_topics: issue 16
    assert isinstance(hit["paragraph"], int) and isinstance(hit["topics"], list)
    assert isinstance(hit["ministries"], list) and hit["sender"].startswith("de minister")
    assert set(data["facets"]) == {"topic", "letter_topic", "year", "ministry", "dossier"}
    assert {"value", "count"} <= set(data["facets"]["year"][0])
    assert {"value", "count", "slug"} <= set(data["facets"]["ministry"][0])


def test_letter_view_has_every_paragraph_in_order(service):
    view = service.letter("002_95be2f4c36980282", query="Oekraine")
    numbers = [p.number for p in view.paragraphs]
    assert numbers == list(range(1, len(numbers) + 1))
    assert any("<mark>" in p.html for p in view.paragraphs)
    with pytest.raises(LetterNotFound):
        service.letter("../../etc/passwd")


def test_date_order_is_the_same_when_worked_out_for_the_whole_index(service, monkeypatch):
    import indexer.searching.index_state as search_module

    for sort in (Sort.DATE_ASC, Sort.DATE_DESC):
        one_by_one = [(h.letter_id, h.number) for h in search(service, "NAVO", sort=sort, page_size=30).hits]
        service.answers.clear()
        monkeypatch.setattr(search_module, "LOOKUP_AT_MOST", 0)
        whole = [(h.letter_id, h.number) for h in search(service, "NAVO", sort=sort, page_size=30).hits]
        monkeypatch.undo()
        service.answers.clear()
        assert whole == one_by_one


@pytest.mark.parametrize("which", ["index_dir", "kamerstuk_index"])
def test_date_order_is_by_date_then_letter_id_then_paragraph(which, request):
    from indexer.searching import SearchService

    service = SearchService(request.getfixturevalue(which))
    try:
        for sort in (Sort.DATE_ASC, Sort.DATE_DESC):
            for query in ("", "NAVO", "minister"):
                hits = list(service.hits(SearchRequest(query, sort=sort)))
                day = lambda h: -h.date.toordinal() if sort is Sort.DATE_DESC else h.date.toordinal()  # noqa: E731
                expected = sorted(hits, key=lambda h: (h.date is None, day(h) if h.date else 0, h.letter_id, h.number))
                assert [(h.letter_id, h.number) for h in hits] == [(h.letter_id, h.number) for h in expected]
                first = search(service, query, sort=sort, page_size=7).hits
                assert [(h.letter_id, h.number) for h in first] == [(h.letter_id, h.number) for h in expected[:7]]
    finally:
        service.close()


def test_letters_of_one_date_are_ordered_by_id_whatever_order_they_were_indexed_in(tmp_path, corpus_dir):
    import shutil

    from indexer.searching import SearchService
    from indexer.store import update_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    letter = sorted(corpus_dir.glob("*.txt"))[0]
    for name in ("zz-eerst.txt", "aa-later.txt"):  # the same date; indexed in this order
        shutil.copy(letter, corpus / name)
        update_index(tmp_path / "index", corpus)
    service = SearchService(tmp_path / "index")
    try:
        for sort in (Sort.DATE_ASC, Sort.DATE_DESC):
            hits = search(service, "", sort=sort, page_size=100).hits
            assert [(h.letter_id, h.number) for h in hits] == sorted((h.letter_id, h.number) for h in hits)
            assert hits[0].letter_id == "aa-later"
    finally:
        service.close()


def test_an_empty_index_answers_with_nothing(tmp_path):
    from indexer.store import update_index
    from indexer.searching import SearchService

    (tmp_path / "corpus").mkdir()
    update_index(tmp_path / "index", tmp_path / "corpus")
    empty = SearchService(tmp_path / "index")
    for query, sort in (("Rusland", Sort.RELEVANCE), ("", Sort.DATE_DESC), ('"artikel 5" NIET xyz*', Sort.DATE_ASC)):
        result = empty.search(SearchRequest(query=query, sort=sort))
        assert result.total == 0 and result.hits == []
        assert result.facets == {"topic": [], "letter_topic": [], "year": [], "ministry": [], "dossier": []}
    empty.close()


def test_a_multi_word_synonym_is_marked_only_where_it_stands_as_a_phrase(service):
    import re

    marked = {m.lower() for h in search(service, "NAVO", page_size=100).hits
              for m in re.findall(r"<mark>(.*?)</mark>", h.snippet)}
    assert "navo" in marked and "nato" in marked
    assert not {"bondgenootschap", "euro-atlantisch", "atlantisch"} & marked  # not word by word


def test_phrases_are_marked_side_by_side_and_words_anywhere():
    from indexer.analysis import analyze
    from indexer.searching.snippets import Marks, highlight

    text = "Het Atlantisch Bondgenootschap en het Euro-Atlantisch gebied; het bondgenootschap zelf."
    marks = Marks(frozenset(analyze("gebied")), frozenset({tuple(analyze("Atlantisch Bondgenootschap"))}))
    assert highlight(text, marks) == ("Het <mark>Atlantisch</mark> <mark>Bondgenootschap</mark> en het "
                                      "Euro-Atlantisch <mark>gebied</mark>; het bondgenootschap zelf.")


def test_completions_follow_a_new_letter_while_the_old_ones_answer(tmp_path):
    """After a change of the index a keystroke is answered at once from the completions of the
    state before, while the new ones are built in the background; then the new words come."""
    import shutil
    import time
    from pathlib import Path

    from indexer.searching import SearchService
    from indexer.store import update_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(Path(__file__).parents[2] / "corpus" / "000_57bdeaef467bd125.txt", corpus)
    update_index(tmp_path / "index", corpus)
    service = SearchService(tmp_path / "index")
    assert [c.text for c in service.complete("oekr")][:1] == ["Oekraïne"]
    assert service.complete("zeespiegelst") == []
    (corpus / "nieuw.txt").write_text("Geachte voorzitter,\n\nDe zeespiegelstijging langs de kust "
                                      "vraagt om hogere dijken.\n", encoding="utf-8")
    update_index(tmp_path / "index", corpus)
    assert service.complete("zeespiegelst") == []  # the old state's completions answered at once
    deadline = time.monotonic() + 30
    while not service.complete("zeespiegelst") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [c.text for c in service.complete("zeespiegelst")] == ["zeespiegelstijging"]
    service.close()


def test_a_prepared_service_has_its_stored_fields_open_before_the_first_search(corpus_dir, tmp_path, monkeypatch):
    """What a server reads before its first request (SearchService.prepare): each segment's
    stored fields, every scored field's lengths, the columns a search sorted by date reads and
    the written forms of words, which the first searches (one with a spelling suggestion, one
    sorted by date) then do not read again."""
    import shutil

    from whoosh import reading as whoosh_reading
    from whoosh.codec import whoosh3

    from indexer.searching import SearchService
    from indexer.store import snapshot as snapshots, update_index

    letters = sorted(corpus_dir.glob("*.txt"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for letter in letters[:-1]:
        shutil.copy(letter, corpus)
    update_index(tmp_path / "index", corpus)
    shutil.copy(letters[-1], corpus)
    update_index(tmp_path / "index", corpus)  # a second segment

    opened = []  # each time a segment's stored fields are opened
    original = whoosh3.W3PerDocReader._cached_reader

    def cached_reader(self, fieldname, column):
        if fieldname == "_stored" and fieldname not in self._readers:
            opened.append(self)
        return original(self, fieldname, column)

    monkeypatch.setattr(whoosh3.W3PerDocReader, "_cached_reader", cached_reader)
    lengths_read, listed = [], []  # fields whose lengths are read; fields whose words are listed
    leaf_lengths, frequencies_starting = snapshots.leaf_lengths, snapshots.WhooshSnapshot.frequencies_starting
    monkeypatch.setattr(snapshots, "leaf_lengths", lambda leaf, field: lengths_read.append(field) or leaf_lengths(leaf, field))
    monkeypatch.setattr(snapshots.WhooshSnapshot, "frequencies_starting",
                        lambda self, field, prefix: listed.append(field) or frequencies_starting(self, field, prefix))
    columns = []  # each column reader made: opening letter_id's reads every paragraph's offset
    column_reader = whoosh_reading.MultiReader.column_reader
    monkeypatch.setattr(whoosh_reading.MultiReader, "column_reader",
                        lambda self, field, *a, **kw: columns.append(field) or column_reader(self, field, *a, **kw))
    prepared = SearchService(tmp_path / "index")
    try:
        prepared.prepare()
        assert opened and {"text", "section", "subject"} <= set(lengths_read) and "written" in listed
        assert "letter_id" in columns
        opened.clear(), lengths_read.clear(), listed.clear(), columns.clear()
        result = search(prepared, "Rusland", page_size=100)
        assert len({h.letter_id for h in result.hits}) == len(letters)
        assert search(prepared, "Oekrajne").suggestion  # "Bedoelde u Oekraïne?"
        newest = prepared.search(SearchRequest(query="Rusland", sort=Sort.DATE_DESC, page_size=100))
        assert [h.letter_id for h in newest.hits] != [h.letter_id for h in result.hits]
        assert not opened and not lengths_read and "written" not in listed and not columns
    finally:
        prepared.close()


def test_marking_words_only_agrees_with_the_general_marking_over_the_seed_letters():
    """Without a phrase, highlighting takes a shorter path (analysis.marked_words); it marks the
    same words with the same terms as the general path (a phrase that can never match sends
    the marking down the general one)."""
    from pathlib import Path

    from indexer.analysis import analyze
    from indexer.reading import read_letter
    from indexer.searching.snippets import Marks, match_spans

    texts = [p.text for path in sorted((Path(__file__).parents[2] / "corpus").glob("*.txt"))
             for p in read_letter(path).paragraphs]
    never = frozenset({("zzxq", "qqzx")})
    for query in ("rusland navo", "defensie-uitgaven bondgenoten", "Oekraïne steun", "nucleaire dreiging"):
        wanted = frozenset(analyze(query))
        marked = [match_spans(text, Marks(wanted)) for text in texts]
        assert marked == [match_spans(text, Marks(wanted, never)) for text in texts]
        assert sum(map(len, marked)) > 10


def test_a_long_form_that_few_letters_give_for_an_abbreviation_is_no_way_of_writing_it(tmp_path):
    """Six letters define DVZ as the Dienst Vreemdelingenzaken; one, in passing, with another
    word before it. Searching the Dienst finds the letters that write it or DVZ, not a letter
    that only writes that other long form; an abbreviation only one letter defines keeps its
    long form (the IND)."""
    from indexer.searching import SearchService
    from indexer.store import update_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    head = "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, {d} maart 2023\n\n"
    for n in range(6):
        (corpus / f"dienst-{n}.txt").write_text(head.format(d=n + 1) + f"De Dienst Vreemdelingenzaken (DVZ) "
                                                 f"behandelde dit jaar {n + 7} dossiers over gezinshereniging.\n")
    (corpus / "terloops.txt").write_text(head.format(d=9) + "Het drastisch Vreemdelingenzaken (DVZ) kwam ter sprake "
                                         "in het overleg over de begroting.\n")
    (corpus / "ind.txt").write_text(head.format(d=10) + "De Immigratie- en Naturalisatiedienst (IND) "
                                    "beslist over de aanvragen.\n")
    (corpus / "afkorting.txt").write_text(head.format(d=11) + "Volgens de DVZ is de wachttijd korter geworden.\n")
    (corpus / "los.txt").write_text(head.format(d=12) + "Het drastisch Vreemdelingenzaken werd niet genoemd.\n")
    update_index(tmp_path / "index", corpus)
    service = SearchService(tmp_path / "index")
    try:
        with service.store.snapshot() as snapshot:
            defined = service._index_state(snapshot).abbreviations
        assert ("DVZ", "Dienst Vreemdelingenzaken") in defined and ("IND", "Immigratie- en Naturalisatiedienst") in defined
        assert not [long for abbr, long in defined if abbr == "DVZ" and long != "Dienst Vreemdelingenzaken"]
        found = {h.letter_id for h in search(service, '"Dienst Vreemdelingenzaken"', page_size=20).hits}
        assert found == {f"dienst-{n}" for n in range(6)} | {"afkorting", "terloops"}
    finally:
        service.close()


def test_the_long_forms_an_abbreviation_keeps():
    """The rule both backends apply to the definitions the letters give (expansion.attested):
    a long form given by fewer than a fifth as many letters as the commonest is left out;
    spellings with the same terms count together; one definition is kept."""
    from indexer.searching.expansion import attested

    defined = [("DVZ", "dienst Vreemdelingenzaken", 12), ("DVZ", "Dienst Vreemdelingenzaken", 3),
               ("DVZ", "dossier Vreemdelingenzaken", 2), ("DVZ", "Directie Vreemdelingenzaken", 4),
               ("IND", "Immigratie- en Naturalisatiedienst", 1)]
    assert attested(defined) == [("DVZ", "dienst Vreemdelingenzaken"), ("DVZ", "Dienst Vreemdelingenzaken"),
                                 ("DVZ", "Directie Vreemdelingenzaken"), ("IND", "Immigratie- en Naturalisatiedienst")]
