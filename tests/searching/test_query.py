"""The query language: what a typed query means, and how a malformed one is read."""
from datetime import date

import pytest

from indexer.searching.query import AnyOf, Fuzzy, Group, Occur, Phrase, Prefix, Word, parse

S, M, N = Occur.SHOULD, Occur.MUST, Occur.MUST_NOT


def test_plain_words_are_optional_clauses():
    assert parse("dialoog met Rusland").node == Group(
        ((S, Word("dialoog")), (S, Word("met")), (S, Word("Rusland"))))


def test_dutch_and_english_operators():
    assert parse("rusland EN dialoog").node == parse("rusland AND dialoog").node == Group(
        ((M, Word("rusland")), (M, Word("dialoog"))))
    assert parse("woningbouw OF asiel NIET zorg").node == AnyOf((
        Group(((S, Word("woningbouw")),)),
        Group(((S, Word("asiel")), (N, Word("zorg")))),
    ))
    assert parse("rusland -china +dialoog").node == Group(
        ((S, Word("rusland")), (N, Word("china")), (M, Word("dialoog"))))


def test_lowercase_operators_are_just_words():
    assert parse("rusland en china").node == Group(
        ((S, Word("rusland")), (S, Word("en")), (S, Word("china"))))


def test_phrases_prefixes_fuzzy_and_brackets():
    assert parse('"artikel 5" cyber* klimat~ klimat~2').node == Group((
        (S, Phrase("artikel 5")), (S, Prefix("cyber")), (S, Fuzzy("klimat", 1)), (S, Fuzzy("klimat", 2))))
    assert parse("(china OF rusland) EN cyber").node == Group((
        (M, AnyOf((Group(((S, Word("china")),)), Group(((S, Word("rusland")),))))),
        (M, Word("cyber"))))


def test_field_filters_are_taken_out_of_the_words():
    parsed = parse('navo onderwerp:rusland onderwerp:"hybride dreigingen" jaar:2022 datum:2021-01-01..2022-06-30')
    assert parsed.node == Group(((S, Word("navo")),))
    assert parsed.filters.topics == ["rusland", "hybride dreigingen"]
    assert parsed.filters.year == 2022
    assert (parsed.filters.date_from, parsed.filters.date_to) == (date(2021, 1, 1), date(2022, 6, 30))
    assert parsed.notice is None


def test_open_date_ranges_and_year_ranges():
    assert parse("datum:2021-03-01..").filters.date_from == date(2021, 3, 1)
    assert parse("datum:..2021-03-01").filters.date_to == date(2021, 3, 1)
    f = parse("jaar:2020..2021").filters
    assert (f.date_from, f.date_to) == (date(2020, 1, 1), date(2021, 12, 31))


@pytest.mark.parametrize("typed, words, says", [
    ('rusland "dialoog', ["rusland", "dialoog"], "aanhalingsteken"),
    ("(rusland OF china", ["rusland", "china"], "openingshaakje"),
    ("rusland)", ["rusland"], "sluithaakje"),
    ("AND rusland", ["rusland"], "EN/AND"),
    ("rusland NIET", ["rusland"], "NIET/NOT"),
    ("rusland OF", ["rusland"], "OF/OR"),
])
def test_malformed_queries_become_plain_words_with_a_notice(typed, words, says):
    parsed = parse(typed)
    assert parsed.node == Group(tuple((S, Word(w)) for w in words))
    assert says in parsed.notice and "gewone woorden" in parsed.notice


def test_a_bad_filter_is_dropped_with_a_notice_and_the_rest_kept():
    parsed = parse("navo jaar:abc datum:2022-13-45")
    assert parsed.node == Group(((S, Word("navo")),))
    assert parsed.filters.year is None and parsed.filters.date_from is None
    assert "jaar:abc" in parsed.notice and "datum:2022-13-45" in parsed.notice


def test_unknown_field_prefix_is_text():
    assert parse("Kamerstuk:35").node == Group(((S, Word("Kamerstuk")), (S, Word("35"))))


def test_a_very_long_query_is_cut_with_a_notice():
    parsed = parse("navo " * 2000)
    assert "ingekort" in parsed.notice
    assert len(parsed.node.clauses) <= 200


@pytest.mark.parametrize("depth", [17, 245, 490])
def test_deep_brackets_are_read_as_plain_words_never_a_recursion_error(depth):
    parsed = parse("(" * depth + "rusland OF china" + ")" * depth)
    assert parsed.node == Group(((S, Word("rusland")), (S, Word("china"))))
    assert "haakjes binnen elkaar" in parsed.notice and "gewone woorden" in parsed.notice


def test_brackets_up_to_the_limit_keep_their_meaning():
    from indexer.searching.query import MAX_NESTING

    assert parse("(" * MAX_NESTING + "rusland" + ")" * MAX_NESTING).notice is None


@pytest.mark.parametrize("typed, words", [
    ("belasting\x00zorg", ["belasting", "zorg"]),
    ("\x01rusland\x1b[31m", ["rusland", "[31m"]),
    ("navo\tnato\nrusland\x85", ["navo", "nato", "rusland"]),
])
def test_control_characters_separate_words_like_spaces(typed, words):
    parsed = parse(typed)
    assert parsed.node == Group(tuple((S, Word(w)) for w in words)) and parsed.notice is None


@pytest.mark.parametrize("typed", ["*", "~", "AND OR NOT", "+-+-", "( )", '""', "NIET", "jaar:abc"])
def test_a_query_of_only_operators_searches_nothing_and_says_so(typed):
    parsed = parse(typed)
    assert parsed.node is None and parsed.nothing_to_search
    assert "geen woord" in parsed.notice


@pytest.mark.parametrize("typed", ["", "   ", "jaar:2022", "onderwerp:rusland"])
def test_an_empty_query_or_only_filters_is_not_nothing(typed):
    assert not parse(typed).nothing_to_search


@pytest.mark.parametrize("typed, says", [
    ("navo jaar:2022..2020", "jaar:2020..2022"),
    ("navo datum:2022-06-30..2021-01-01", "datum:2021-01-01..2022-06-30"),
])
def test_a_range_the_wrong_way_round_is_dropped_with_a_notice(typed, says):
    parsed = parse(typed)
    assert parsed.node == Group(((S, Word("navo")),))
    assert parsed.filters.date_from is None and parsed.filters.date_to is None
    assert says in parsed.notice and "weggelaten" in parsed.notice
