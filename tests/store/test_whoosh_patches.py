"""The Whoosh patches (indexer/store/whoosh_patches.py): Whoosh's answers, without its mistakes."""
import random

from whoosh import fields, query as wq, scoring
from whoosh.filedb.filestore import RamStorage

import indexer.store.whoosh_patches  # noqa: F401  (applied on import)

WORDS = [f"w{n}" for n in range(12)]
TOPICS = ["t0", "t1", "t2"]


def _index(rng: random.Random, segments: int, docs_per_segment: int):
    schema = fields.Schema(text=fields.TEXT(phrase=False), section=fields.TEXT(phrase=False),
                           topics=fields.KEYWORD(commas=True, scorable=False))
    ix = RamStorage().create_index(schema)
    for _ in range(segments):
        writer = ix.writer()
        for _ in range(docs_per_segment):
            length = rng.randint(3, 60)
            writer.add_document(
                text=" ".join(rng.choice(WORDS[: rng.randint(2, len(WORDS))]) for _ in range(length)),
                section=rng.choice(WORDS) if rng.random() < 0.3 else None,
                topics=",".join(t for t in TOPICS if rng.random() < 0.3),
            )
        writer.commit(merge=False)  # keep every segment
    return ix


def _random_query(rng: random.Random):
    def term():
        field = rng.choice(["text", "text", "section"])
        return wq.Term(field, rng.choice(WORDS), boost=rng.choice([1.0, 0.5]))

    a, b = rng.choice(WORDS), rng.choice(WORDS)
    words = wq.Or([term(), wq.Term("section", a, boost=0.5), wq.And([wq.Term("text", a), wq.Term("text", b)]),
                   wq.Or([wq.Term("text", a), wq.Term("text", b)])])
    topic = wq.Term("topics", rng.choice(TOPICS))
    return wq.Or([words, rng.choice([topic, wq.ConstantScoreQuery(topic)])])


def test_an_unoptimised_top_n_search_keeps_the_best_hits_across_segments():
    rng = random.Random(5)
    ix = _index(rng, segments=3, docs_per_segment=150)
    with ix.searcher(weighting=scoring.BM25F(B=0.4, K1=1.2)) as searcher:
        assert len(searcher.leaf_searchers()) == 3
        for _ in range(300):
            q = _random_query(rng)
            top = [round(h.score, 6) for h in searcher.search(q, limit=10, optimize=False)]
            every = [round(h.score, 6) for h in searcher.search(q, limit=None, optimize=False)][:10]
            assert top == every, q


def test_a_missing_length_column_is_looked_up_once_per_segment(monkeypatch):
    ix = _index(random.Random(1), segments=1, docs_per_segment=5)
    reader = ix.reader()
    perdoc = reader._perdoc
    looked_up = []
    original = type(perdoc).has_column
    monkeypatch.setattr(type(perdoc), "has_column", lambda self, name: looked_up.append(name) or original(self, name))
    assert [reader.doc_field_length(n, "topics", 7) for n in range(5)] == [7] * 5  # unscored: no lengths
    assert looked_up == ["_topics_len"]
    assert all(reader.doc_field_length(n, "text") for n in range(5))
