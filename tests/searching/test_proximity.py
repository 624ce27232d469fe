"""Phrases and proximity in arrays against their definition (`spans_meet`, Whoosh's SpanNear2
test) and against Whoosh's own SpanNear2 matcher on the seed index."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import query as wq

from indexer.searching.engine import Evaluation
from indexer.searching.proximity import spans_meet, words_meet
from indexer.store import TermPositions, WhooshStore, open_index

# a paragraph's positions of one word: few and close together, so that the words often meet
positions = st.lists(st.integers(0, 30), max_size=6).map(lambda ps: sorted(set(ps)))


@given(paragraphs=st.lists(st.lists(positions, min_size=4, max_size=4), min_size=1, max_size=8),
       words=st.integers(1, 4), slop=st.integers(0, 5), ordered=st.booleans(), mindist=st.integers(0, 2))
def test_words_meet_where_spans_meet(paragraphs, words, slop, ordered, mindist):
    found = [TermPositions(np.array([len(p[w]) for p in paragraphs], np.int64),
                           np.array([x for p in paragraphs for x in p[w]], np.int64))
             for w in range(words)]
    expected = [spans_meet([p[w] for w in range(words)], slop, ordered, mindist) for p in paragraphs]
    assert words_meet(found, len(paragraphs), slop, ordered, mindist).tolist() == expected


@pytest.mark.parametrize("words", [("rusland", "dialog"), ("navo", "bondgenot"), ("navo", "bondgenot", "navo"),
                                   ("rusland", "navo", "oekrain"), ("kabinet", "kabinet")])
@pytest.mark.parametrize("slop,ordered,mindist", [(1, True, 1), (3, True, 1), (4, False, 1),
                                                   (2, False, 0), (2, True, 0)])
def test_the_same_paragraphs_as_whooshs_span_near(index_dir, words, slop, ordered, mindist):
    q = wq.SpanNear2([wq.Term("text", w) for w in words], slop=slop, ordered=ordered, mindist=mindist)
    store = WhooshStore(index_dir)
    with store.snapshot() as snapshot, open_index(index_dir).searcher() as searcher:
        expected = sorted(searcher.docs_for_query(q))
        assert Evaluation(snapshot).matches(q).tolist() == expected
    store.close()


@pytest.mark.parametrize("text", ["dialoog Rusland", "hybride dreiging NAVO", "Rusland Oekraine veiligheid",
                                  '"artikel 5" NAVO bondgenoten', "letterwide"])
def test_the_top_from_bounds_equals_the_top_with_proximity_decided_everywhere(service, index_dir, text):
    """top() works proximity out only where the bounds leave it open, and the upper bound only
    where a proximity part's words all are: the same pages, to the last bit of every score, as
    scoring every paragraph exactly. "letterwide": a proximity part under a letter-wide part,
    which scores a paragraph by the others of its letter too (the bounds then take every paragraph)."""
    from indexer.searching import query as ql
    from indexer.searching.compiler import Compiler
    from indexer.searching.engine import Proximity
    from indexer.searching.letter_evidence import LetterWide
    from indexer.searching.ranking import best_first

    store = WhooshStore(index_dir)
    with store.snapshot() as snapshot:
        state = service._index_state(snapshot)
        compile = lambda t, ranking: Compiler(state.expander, snapshot, ranking=ranking).compile(  # noqa: E731
            ql.parse(t).node)[0]
        if text == "letterwide":
            near = wq.SpanNear2([wq.Term("text", "navo"), wq.Term("text", "bondgenot")], slop=4, ordered=False)
            ranked = wq.Or([compile("NAVO bondgenoten", True), LetterWide(near, boost=0.5)])
            unranked = compile("NAVO bondgenoten", False)
        else:
            ranked, unranked = compile(text, True), compile(text, False)
        evaluation = Evaluation(snapshot, letters=lambda: state.letter_paragraphs(snapshot))
        matching = evaluation.matches(unranked)
        everything = evaluation.scores(ranked, Proximity.EXACT).at(matching)
        assert len(matching) > 10
        for k in (1, 5, 20, len(matching)):
            assert evaluation.top(ranked, matching, k) == best_first(matching, everything, k)
    store.close()
