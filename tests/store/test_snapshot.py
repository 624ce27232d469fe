"""The embedded index as a Store: snapshots read postings, lengths and columns as the search
service asks for them (indexer/store/interface.py)."""
import numpy as np

from indexer.store import WhooshStore, open_index
from indexer.store.postings import PostingsCache


def test_a_snapshot_reads_what_whooshs_reader_reads(index_dir):
    store = WhooshStore(index_dir)
    with store.snapshot() as snapshot, open_index(index_dir).searcher() as searcher:
        reader = searcher.reader()
        assert snapshot.size == reader.doc_count_all() and snapshot.doc_count == searcher.doc_count()
        postings = snapshot.postings("text", "rusland")
        assert postings.docs.tolist() == list(reader.postings("text", "rusland").all_ids())
        assert len(postings.docs) == snapshot.doc_frequency("text", "rusland") > 0
        first = int(postings.docs[0])
        assert snapshot.positions("text", "rusland", postings.docs[:1]).lists() == [
            list(reader.postings("text", "rusland").value_as("positions"))]
        assert snapshot.stored(first) == searcher.stored_fields(first)
        assert snapshot.field_lengths("text")[first] == reader.doc_field_length(first, "text")
        assert sorted(snapshot.terms("letter_id")) == sorted(
            t.decode() for t in reader.lexicon("letter_id"))
        starting = {t.decode() for t in reader.expand_prefix("text", "ruslan")}
        assert snapshot.terms_starting("text", "ruslan") == starting >= {"rusland"}
        frequencies = snapshot.frequencies_starting("text", "ruslan")
        assert set(frequencies) == starting and frequencies["rusland"] == len(postings.docs)
        assert snapshot.postings("text", "geenwoordhier").docs.tolist() == []
        assert snapshot.postings("no-such-field", "x").docs.tolist() == []
        days = snapshot.numeric_column("day")
        assert len(days) == snapshot.size and (days > 0).all()
    store.close()


def test_snapshots_of_one_state_share_the_key_and_derived_arrays(index_dir):
    store = WhooshStore(index_dir)
    with store.snapshot() as a:
        key, lengths, ids = a.key, a.field_lengths("text"), a.column("letter_id")
    with store.snapshot() as b:  # the same searcher again, with the column readers it opened
        assert b.key == key and b.field_lengths("text") is lengths and b.column("letter_id") is ids
        assert np.array_equal(b.live, np.ones(b.size, bool))
    store.close()


def test_words_a_segment_lacks_count_against_the_cache_budget(index_dir):
    cache = PostingsCache(budget_bytes=20_000)
    with open_index(index_dir).searcher() as searcher:
        leaf = searcher.reader().leaf_readers()[0][0]
        for n in range(500):
            assert len(cache.get(leaf, "text", f"onbekendwoord{n}".encode()).docs) == 0
    assert len(cache._items) <= 40


def test_positions_are_kept_only_for_the_words_they_were_asked_for(index_dir):
    """A word's postings are cached without positions; asked for them (a phrase), they are
    read again, with them, and replace the cached ones; asked for them up front, once."""
    store = WhooshStore(index_dir)
    cache = store._postings
    with store.snapshot() as snapshot, open_index(index_dir).searcher() as searcher:
        reader = searcher.reader()
        entries = lambda word: [v for (_, field, btext), v in cache._items.items()  # noqa: E731
                                if field == "text" and btext == word.encode()]
        docs = snapshot.postings("text", "rusland").docs
        assert entries("rusland") and all(e.values is None for e in entries("rusland"))
        used = cache._used
        expected = []
        m = reader.postings("text", "rusland")
        while m.is_active():
            expected.append(list(m.value_as("positions")))
            m.next()
        assert snapshot.positions("text", "rusland", docs).lists() == expected
        assert all(e.values is not None for e in entries("rusland")) and cache._used > used
        assert np.array_equal(snapshot.postings("text", "rusland").docs, docs)  # from the cache, as it is
        snapshot.postings("text", "navo", positions=True)
        assert all(e.values is not None for e in entries("navo"))
    store.close()


def test_a_snapshot_keeps_reading_while_a_rebuild_swaps_the_index(tmp_path, corpus_dir):
    """A search that started before a rebuild was swapped in reads its stored fields and
    columns to the end (the files it needs are opened with the snapshot, not on first use)."""
    import shutil

    from indexer.store import update_index

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    update_index(index, corpus)
    store = WhooshStore(index)
    with store.snapshot() as snapshot:
        (corpus / sorted(p.name for p in corpus.iterdir())[0]).unlink()
        update_index(index, corpus, rebuild=True)  # the old directory is deleted
        assert not (tmp_path / "index.old").exists()
        letters = snapshot.column("letter_id")
        assert [letters[d] for d in range(snapshot.size)] == [snapshot.stored(d)["letter_id"] for d in range(snapshot.size)]
        assert len(set(letters[d] for d in range(snapshot.size))) == 5
    with store.snapshot() as snapshot:  # the next one reads the new index
        letters = snapshot.column("letter_id")
        assert len({letters[d] for d in range(snapshot.size)}) == 4


def test_postings_of_many_blocks_are_whooshs_own(tmp_path, corpus_dir):
    """Postings are read a block (128) at a time from Whoosh's format, their ids added up by
    numpy: every term of an index whose common words fill several blocks reads as Whoosh's
    own matcher reads it, ids, frequencies and positions."""
    from indexer.store import update_index
    from indexer.store.postings import _all_postings, _read_postings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    letter = (corpus_dir / sorted(p.name for p in corpus_dir.glob("*.txt"))[0]).read_text(encoding="utf-8")
    for n in range(60):  # each paragraph's words in 60 letters: several blocks per word
        (corpus / f"kopie-{n:02d}.txt").write_text(letter + f"\nDe kopie nummer {n} in de reeks.\n", encoding="utf-8")
    update_index(tmp_path / "index", corpus, rebuild=True)
    ix = open_index(tmp_path / "index")
    with ix.searcher() as searcher:
        blocks = 0
        for leaf, _ in searcher.reader().leaf_readers():
            for field in ("text", "section", "letter_id"):
                for btext in leaf.lexicon(field):
                    positions = leaf.schema[field].format.supports("positions")
                    read = _read_postings(leaf, field, btext, positions)
                    m = _all_postings(leaf, field, btext)
                    ids, weights, values = [], [], []
                    while m.is_active():
                        ids.append(m.id())
                        weights.append(m.weight())
                        values.append(m.value())
                        m.next()
                    assert read.docs.tolist() == ids and read.freqs.tolist() == weights, (field, btext)
                    assert read.values == (values if positions else None)
                    blocks += len(ids) > 128
        assert blocks > 20


def test_terms_of_several_segments_are_whooshs_merged_lexicon_after_letters_are_added(tmp_path):
    from pathlib import Path

    from indexer.store import update_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.txt"))
    for seed in seeds[:3]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    index = tmp_path / "index"
    update_index(index, corpus, rebuild=True)
    store = WhooshStore(index)
    for seed in seeds[3:]:  # each update adds a segment; the earlier segments' terms are cached
        (corpus / seed.name).write_bytes(seed.read_bytes())
        update_index(index, corpus)
        with store.snapshot() as snapshot, open_index(index).searcher() as searcher:
            assert len(snapshot.leaves) >= 2
            for field in ("text", "topics", "names", "letter_id", "year"):
                assert list(snapshot.terms(field)) == [t.decode() for t in searcher.reader().lexicon(field)]
    store.close()
