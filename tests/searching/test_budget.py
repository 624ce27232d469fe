"""Every search works within a budget: words with * or ~ expand into a bounded number of
indexed words (per word and per query), and a search stops at its deadline and says so."""
import pytest
from whoosh import query as wq

from indexer.searching import SearchRequest, SearchService
from indexer.searching import query as ql
from indexer.searching.budget import MAX_PATTERN_TERMS, MAX_PATTERNS, MAX_QUERY_TERMS, Budget
from indexer.searching.compiler import Compiler
from indexer.searching.expansion import Expander

LETTER = "000_57bdeaef467bd125"


def expanded_terms(snapshot, text: str) -> tuple[set[str], Budget]:
    budget = Budget()
    compiled, _ = Compiler(Expander([], [], _no_topics()), snapshot, budget=budget).compile(ql.parse(text).node)
    terms = set()

    def walk(q):
        if type(q) is wq.Term and q.fieldname == "text":
            terms.add(q.text)
        for child in q.children() if hasattr(q, "children") else ():
            walk(child)
    walk(compiled)
    return terms, budget


def _no_topics():
    from indexer.analysis import Taxonomy

    return Taxonomy([])


def test_a_prefix_expands_to_its_most_common_words_up_to_the_cap(service):
    with service.store.snapshot() as snapshot:
        terms, budget = expanded_terms(snapshot, "ve*")
        every = snapshot.frequencies_starting("text", "ve")
    assert len(every) > MAX_PATTERN_TERMS and len(terms) == MAX_PATTERN_TERMS
    assert min(every[t] for t in terms) >= max(every[t] for t in set(every) - terms)
    assert budget.cut == ["ve*"]


def test_a_query_expands_to_at_most_its_total_however_many_patterns_it_has(service):
    many = " ".join(f"{a}{b}*" for a in "bdgkmpstv" for b in "aeiou")  # 45 two-letter prefixes
    with service.store.snapshot() as snapshot:
        terms, budget = expanded_terms(snapshot, many)
    assert len(terms) <= MAX_QUERY_TERMS
    result = service.search(SearchRequest(many))
    assert not result.incomplete and result.total > 0
    assert "hoogstens 8 woorden met * of ~" in result.notice and "niet gezocht" in result.notice


def test_more_patterns_than_the_cap_are_left_out_by_name(service):
    words = ["rusland", "oekraine", "navo", "dialoog", "china", "defensie", "klimaat", "cyber", "europa", "veiligheid"]
    result = service.search(SearchRequest(" ".join(w + "~" for w in words)))
    assert MAX_PATTERNS == 8
    assert "niet gezocht: ‘europa~’, ‘veiligheid~’" in result.notice
    assert result.total == service.search(SearchRequest(" ".join(w + "~" for w in words[:8]))).total


@pytest.mark.parametrize("typed", ["a*", "ro~", "ab~2", "%*"])
def test_too_short_a_prefix_or_fuzzy_word_is_not_searched(service, typed):
    result = service.search(SearchRequest(typed))
    assert result.total == 0 and f"Niet gezocht: ‘{typed}’" in result.notice
    assert service.search(SearchRequest(f"rusland {typed}")).total == service.search(SearchRequest("rusland")).total


def test_ordinary_queries_are_not_capped(service):
    for text in ("cyberw*", "Borell~", "rusland~2", "dialoog met Rusland", '"artikel 5" navo*'):
        assert service.search(SearchRequest(text)).notice is None, text


@pytest.fixture
def late(index_dir):
    """A service whose every search is past its deadline at once."""
    service = SearchService(index_dir, deadline=0.0)
    yield service
    service.close()


def test_a_search_past_its_deadline_says_it_is_incomplete_and_shows_nothing(late):
    result = late.search(SearchRequest("rusland"))
    assert result.incomplete and result.total == 0 and result.hits == []
    assert "afgebroken" in result.notice and "onvolledig" in result.notice
    assert result.to_dict()["incomplete"] is True
    late.deadline = 2.0  # an incomplete answer is not cached: asked again in time, it is found
    result = late.search(SearchRequest("rusland"))
    assert not result.incomplete and result.total > 0


def test_a_stream_past_its_deadline_is_incomplete_and_empty(late):
    with late.hits(SearchRequest("rusland")) as stream:
        assert stream.incomplete and stream.total == 0 and list(stream) == []
        assert "afgebroken" in stream.notice


def test_a_letter_past_the_deadline_is_shown_whole_without_marks(late):
    view = late.letter(LETTER, query="rusland*")
    assert len(view.paragraphs) > 10 and "<mark>" not in "".join(p.html for p in view.paragraphs)
    assert "niet gemarkeerd" in view.notice


def test_all_hits_come_from_one_stream_in_the_order_of_the_pages(service):
    for request in (SearchRequest("rusland"), SearchRequest("", sort="date-desc"), SearchRequest("navo", sort="date-asc")):
        with service.hits(request) as stream:
            streamed = [(h.letter_id, h.number, round(h.score, 6)) for h in stream]
        paged = []
        for page in range(1, 100):
            result = service.search(SearchRequest(request.query, sort=request.sort, page=page, page_size=7))
            paged += [(h.letter_id, h.number, round(h.score, 6)) for h in result.hits]
            if page >= result.pages:
                break
        assert streamed == paged and stream.total == len(paged)


def test_one_hit_per_letter_with_snippets(service):
    with service.hits(SearchRequest("rusland", sort="date-desc"), one_per_letter=True, snippets=True) as stream:
        hits = list(stream)
    assert len({h.letter_id for h in hits}) == len(hits) > 1
    assert all(h.snippet for h in hits) and any("<mark>" in h.snippet for h in hits)


def test_a_query_searches_at_most_its_number_of_words_in_order(service):
    from indexer.searching.budget import MAX_QUERY_WORDS

    words = [f"woord{n}" for n in range(MAX_QUERY_WORDS)]
    assert service.search(SearchRequest(" ".join(words))).notice is None  # a suggestion, no cap
    result = service.search(SearchRequest(" ".join(words + ["rusland", "navo"])))
    assert f"hoogstens {MAX_QUERY_WORDS} woorden; niet gezocht: ‘rusland’, ‘navo’" in result.notice
    assert result.total == 0
    phrase = '"' + " ".join(words[:MAX_QUERY_WORDS - 1]) + '" rusland navo'  # the phrase counts its words
    assert "niet gezocht: ‘navo’" in service.search(SearchRequest(phrase)).notice
    assert service.search(SearchRequest(" ".join(words[:4] + ["rusland"]))).total > 0


def test_a_stream_with_more_hits_than_asked_for_has_only_its_total(service):
    with service.hits(SearchRequest("rusland"), at_most=3) as stream:
        assert stream.total > 3 and not stream.incomplete and list(stream) == []
    with service.hits(SearchRequest('"artikel 5"'), at_most=1000) as stream:
        assert len(list(stream)) == stream.total > 0


def test_the_deadline_is_kept_while_the_cpu_clock_is_read_only_now_and_then(monkeypatch):
    """The thread's CPU clock is a system call: a search checks its budget often, and reads
    that clock at most once per LOOK_EVERY of wall time, yet stops soon after its deadline."""
    import time

    from indexer.searching import budget as budget_module

    budget = Budget(seconds=0.02)
    started = time.thread_time()
    checks = 0
    with pytest.raises(budget_module.DeadlinePassed):
        while True:
            budget.check()
            checks += 1
    used = time.thread_time() - started
    assert 0.02 <= used < 0.02 + 10 * budget_module.LOOK_EVERY

    reads = []
    real = time.thread_time
    monkeypatch.setattr(budget_module.time, "thread_time", lambda: reads.append(1) or real())
    budget = Budget(seconds=60)
    began = time.perf_counter()
    for _ in range(checks):
        budget.check()
    assert len(reads) <= 2 + (time.perf_counter() - began) / budget_module.LOOK_EVERY
    assert len(reads) < checks / 10
