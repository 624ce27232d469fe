"""The array engine against Whoosh's own matchers, and against the text itself, on the real
index of the seed letters: same paragraphs, same BM25F scores, phrases and proximity decided
from the words' positions."""
import numpy as np
import pytest
from whoosh import query as wq
from whoosh import scoring

from indexer.analysis import analyze, analyze_positions
from indexer.searching import query as ql
from indexer.searching.bm25 import BM25_B, BM25_K1
from indexer.searching.compiler import Compiler
from indexer.searching.engine import Evaluation, Proximity
from indexer.searching.ranking import best_first
from indexer.store import WhooshStore, open_index

QUERIES = [
    "dialoog met Rusland", "hybride dreiging", "NAVO", "EDT", "NRR", "bondgenoot",
    "defensie-uitgaven", "uitgaven", "Oekraine Georgie", "conceptteksten", '"artikel 5"',
    '"kernwapens" Rusland', "Rusland NIET China", "+Rusland dialoog", "veilig*", "klimat~",
    "(China OF Rusland) EN Oekraine", "cooperatieve veiligheid", "cyberaanvallen",
    # words that analyse into several terms, under NIET: no ranking bonus may widen the NIET
    "dialoog NIET (Rusland/NAVO)", "veiligheid NIET (Rusland/NAVO)",
]


@pytest.fixture(autouse=True)
def whoosh_terms_only(monkeypatch):
    """Whoosh has no way to give a letter's title score to each of its paragraphs, nor to count
    a compound's modifier less: compared with Whoosh, queries leave those parts out (they are
    checked on letters in test_ranking_examples.py)."""
    monkeypatch.setattr("indexer.searching.compiler.TITLE_BOOST", 0.0)
    monkeypatch.setattr("indexer.searching.bm25.MODIFIER_WEIGHT", 1.0)


@pytest.fixture(scope="module")
def searcher(index_dir):
    """Whoosh's own searcher, scoring with the engine's BM25F parameters: the reference."""
    s = open_index(index_dir).searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
    yield s
    s.close()


@pytest.fixture(scope="module")
def snapshot(index_dir):
    store = WhooshStore(index_dir)
    with store.snapshot() as snapshot:
        yield snapshot
    store.close()


def snapshots(index_dir, **store_options):
    return WhooshStore(index_dir, **store_options).snapshot()


def compiled(service, snapshot, text, ranking=True):
    state = service._index_state(snapshot)
    return Compiler(state.expander, snapshot, ranking=ranking).compile(ql.parse(text).node)[0]


def whoosh_score(searcher, q, docnum):
    """Whoosh's score for one paragraph: its matcher moved straight to it."""
    m = q.matcher(searcher)
    m.skip_to(docnum)
    assert m.is_active() and m.id() == docnum
    return m.score()


@pytest.mark.parametrize("text", QUERIES)
def test_same_paragraphs_as_whoosh(service, searcher, snapshot, text):
    q = compiled(service, snapshot, text, ranking=False)
    expected = sorted(searcher.docs_for_query(q))
    assert Evaluation(snapshot).matches(q).tolist() == expected


@pytest.mark.parametrize("text", QUERIES)
def test_same_scores_as_whoosh(service, searcher, snapshot, text):
    ranked = compiled(service, snapshot, text)
    evaluation = Evaluation(snapshot)
    matching = evaluation.matches(compiled(service, snapshot, text, ranking=False))
    top = evaluation.top(ranked, matching, 20)
    assert len(top) == min(20, len(matching))
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    for docnum, score in top:
        assert score == pytest.approx(whoosh_score(searcher, ranked, docnum), rel=1e-9)


def test_phrases_match_exactly_the_paragraphs_with_the_words_side_by_side(searcher, snapshot):
    words = analyze("dialoog met Rusland", mode="query")  # "met" is a stopword: no gap
    q = wq.Phrase("text", words)
    found = set(Evaluation(snapshot).matches(q).tolist())
    expected = set()
    for docnum, fields in enumerate(searcher.reader().iter_docs()):
        positions = {}
        for term, pos, _, _ in analyze_positions(fields[1]["text"]):
            positions.setdefault(term, set()).add(pos)
        if any(p + 1 in positions.get(words[1], ()) for p in positions.get(words[0], ())):
            expected.add(fields[0])
    assert found == expected and found


def test_proximity_is_decided_for_every_paragraph_that_could_reach_the_page(service, snapshot):
    """The top k with proximity decided lazily equals the top k with it decided everywhere."""
    ranked = compiled(service, snapshot, "dialoog Rusland")
    evaluation = Evaluation(snapshot)
    matching = evaluation.matches(compiled(service, snapshot, "dialoog Rusland", ranking=False))
    everything = evaluation.scores(ranked, Proximity.EXACT).at(matching)
    for k in (1, 3, 10, 40):
        expected = sorted((-s, d) for d, s in zip(matching.tolist(), everything))[:k]
        assert [(d, pytest.approx(-s)) for s, d in expected] == evaluation.top(ranked, matching, k)


def test_deleted_paragraphs_never_match(tmp_path, corpus_dir):
    import shutil

    from indexer.store import update_index

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    update_index(tmp_path / "index", corpus)
    gone = sorted(corpus.glob("*.txt"))[0]
    words = set(analyze(gone.read_text(encoding="utf-8")))
    gone.unlink()
    update_index(tmp_path / "index", corpus)  # deletes the letter's paragraphs, no merge
    with snapshots(tmp_path / "index") as snapshot, open_index(tmp_path / "index").searcher() as s:
        evaluation = Evaluation(snapshot)
        hits = evaluation.matches(wq.Every())
        assert len(hits) == s.doc_count() == snapshot.doc_count
        assert all(not s.reader().is_deleted(int(d)) for d in hits)
        # the deleted letter's words still have its paragraphs in their postings; a term's hits
        # (and so every part of a query) leave them out
        deleted = [w for w in words if not snapshot.live[snapshot.postings("text", w).docs].all()]
        assert deleted
        assert all(snapshot.live[evaluation.term("text", w).docs].all() for w in deleted)


def test_a_small_cache_still_gives_the_same_answers(service, index_dir):
    with snapshots(index_dir, postings_budget=1) as tiny, snapshots(index_dir) as big:
        for text in ("veilig*", '"artikel 5"', "dialoog met Rusland"):
            q = compiled(service, big, text)
            a, b = Evaluation(tiny), Evaluation(big)
            ma, mb = a.matches(q), b.matches(q)
            assert np.array_equal(ma, mb)
            assert a.top(q, ma, 10) == b.top(q, mb, 10)


def test_same_scores_over_several_segments_with_deletions(tmp_path, corpus_dir, service):
    """Three segments (two letters, two more, then one rewritten: its old paragraphs deleted):
    the engine's paragraphs and scores are Whoosh's, term statistics summed over segments."""
    import shutil

    from indexer.store import update_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    letters = sorted(corpus_dir.glob("*.txt"))
    for batch in (letters[:2], letters[2:4]):
        for path in batch:
            shutil.copy(path, corpus / path.name)
        update_index(tmp_path / "index", corpus)
    rewritten = corpus / letters[0].name
    rewritten.write_text(rewritten.read_text(encoding="utf-8") + "\nNog een alinea over Rusland en de NAVO.\n",
                         encoding="utf-8")
    update_index(tmp_path / "index", corpus)
    with open_index(tmp_path / "index").searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1)) as s, \
            snapshots(tmp_path / "index") as snapshot:
        assert len(s.reader().leaf_readers()) >= 2 and s.reader().has_deletions()
        for text in ("dialoog met Rusland", "NAVO", '"artikel 5"', "veilig*", "Rusland NIET China"):
            ranked = compiled(service, snapshot, text)
            unranked = compiled(service, snapshot, text, ranking=False)
            evaluation = Evaluation(snapshot)
            matching = evaluation.matches(unranked)
            assert matching.tolist() == sorted(s.docs_for_query(unranked))
            for docnum, score in evaluation.top(ranked, matching, 15):
                assert score == pytest.approx(whoosh_score(s, ranked, docnum), rel=1e-9)


def test_scores_equal_but_for_the_last_bits_are_one_tie_on_every_page():
    docs = np.array([3, 5])
    scores = np.array([0.3, 0.1 + 0.2])  # 0.3 and 0.30000000000000004
    assert [d for d, _ in best_first(docs, scores, 2)] == [3, 5]
    assert [d for d, _ in best_first(docs, scores, 1)] == [3]
