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


def test_a_term_index_on_disk_reads_the_same_mapped_and_with_pread(tmp_path):
    """A segment's term index is read from a mapping of its file, its postings and column files
    with os.pread (no seek, no buffer): every term's info, frequency and postings, the words
    with a prefix, and every paragraph's stored fields are what Whoosh's own reads give, in an
    index of several segments on disk."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.structfile import StructFile

    from indexer.store.whoosh_patches import _MappedFile, _PositionalFile

    rng = random.Random(3)
    schema = fields.Schema(text=fields.TEXT(phrase=False, stored=True), topics=fields.KEYWORD(commas=True))
    ix = FileStorage(str(tmp_path)).create_index(schema)
    for _ in range(3):
        writer = ix.writer(compound=False)  # as brieven writes: a file per part of a segment
        for _ in range(200):
            writer.add_document(text=" ".join(rng.choice(WORDS) + rng.choice("abc") for _ in range(20)),
                                topics=",".join(t for t in TOPICS if rng.random() < 0.4))
        writer.commit(merge=False)

    def read_all(reader):
        out = []
        for leaf, _ in reader.leaf_readers():
            terms = leaf._terms
            out.append((sorted(leaf.all_terms()), list(leaf.expand_prefix("text", "w1")),
                        [(t, terms.term_info(*t).doc_frequency(), terms.frequency(*t), terms.doc_frequency(*t),
                          list(leaf.postings(*t).all_items())) for t in leaf.all_terms()],
                        [leaf.stored_fields(n) for n in range(leaf.doc_count_all())]))
        return out

    def files(leaf):
        return [leaf._terms._tindex.dbfile, leaf._terms._postfile, leaf._perdoc._colfiles["_stored"][0]]

    with ix.reader() as reader:
        assert all([type(f) for f in files(leaf)] == [_MappedFile, _PositionalFile, _PositionalFile]
                   for leaf, _ in reader.leaf_readers())
        patched = read_all(reader)
        for leaf, _ in reader.leaf_readers():  # Whoosh's own reads, on the same files
            for f in files(leaf):
                f.__class__ = StructFile
        assert read_all(reader) == patched
    assert len(patched) == 3 and all(len(words) > 30 and prefixed and len(stored) == 200 and stored[0]["text"]
                                     for words, prefixed, _, stored in patched)
