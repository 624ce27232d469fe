"""Any text at all into the query language: never an exception, always a parsed query, and a
search over a real index that answers (property-based, with hypothesis)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.searching import SearchRequest, SearchResult
from indexer.searching.query import MAX_QUERY_LENGTH, ParsedQuery, parse

# The query language's own characters and words, so that examples reach its grammar.
SYNTAX = st.sampled_from(['(', ')', '"', '*', '~', '~2', '+', '-', ':', '..', ' ', 'EN', 'OF', 'NIET',
                          'AND', 'OR', 'NOT', 'jaar:', 'datum:', 'onderwerp:', '2022', 'rusland', 'navo',
                          '\x00', '²', 'é', '٣', '\u200b', '\ufffe'])
QUERIES = st.one_of(
    st.text(max_size=200),
    st.integers(0, 600).map(lambda n: "(" * n + "rusland" + ")" * n),  # nesting past any limit
    st.lists(SYNTAX, max_size=60).map("".join),
    st.lists(st.one_of(SYNTAX, st.text(max_size=3)), max_size=40).map(" ".join),
)


@settings(max_examples=500)
@given(QUERIES)
def test_parsing_any_text_gives_a_query_and_never_raises(text):
    parsed = parse(text)
    assert isinstance(parsed, ParsedQuery)
    assert parsed.notice is None or (isinstance(parsed.notice, str) and parsed.notice)
    assert not (parsed.nothing_to_search and parsed.node is not None)


@settings(max_examples=150)
@given(QUERIES)
def test_searching_any_text_answers(service, text):
    result = service.search(SearchRequest(text))
    assert isinstance(result, SearchResult) and result.total >= 0 and not result.incomplete
    assert len(result.hits) <= result.page_size
    assert "\x00" not in result.query


@settings(max_examples=40)
@given(st.integers(min_value=MAX_QUERY_LENGTH - 20, max_value=3 * MAX_QUERY_LENGTH), QUERIES)
def test_long_queries_are_cut_never_refused(n, text):
    parsed = parse((text or "x") * (n // max(1, len(text or "x")) + 1))
    assert isinstance(parsed, ParsedQuery)
