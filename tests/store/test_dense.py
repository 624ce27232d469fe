"""A rebuild writes each segment's common words also as plain arrays (indexer/store/dense.py),
and searching reads them instead of the blocks: the same postings, the same answers."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.searching import SearchRequest, SearchService, Sort
from indexer.store import dense, open_index, update_index
from indexer.store import postings as postings_module
from indexer.store.postings import _read_postings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
QUERIES = ["navo", "Rusland Oekraïne", "defensie-uitgaven bondgenoten", '"twee procent"',
           "steun* minister", "nucleaire OF kernwapens", "veiligheid NIET Rusland", "kabinet"]
# A word of a seed letter is in a few dozen paragraphs at most: every word of four or more
# postings gets arrays here, where an archive's get them from 1,024.
FEW = 4


@pytest.fixture
def built(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(dense, "DENSE_FROM", FEW)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, corpus)
    update_index(tmp_path / "index", corpus, rebuild=True)
    return tmp_path / "index"


def answers(index: Path) -> list:
    service = SearchService(index)
    try:
        return answers_of(service)
    finally:
        service.close()


def answers_of(service: SearchService) -> list:
    out = []
    for q in QUERIES:
        for sort in (Sort.RELEVANCE, Sort.DATE_DESC):
            result = service.search(SearchRequest(query=q, sort=sort, page_size=50))
            out.append((q, sort.value, result.total, [(h.letter_id, h.number, h.score) for h in result.hits],
                        json.dumps(result.to_dict()["facets"], sort_keys=True)))
    return out


def without_arrays(index: Path, tmp_path: Path) -> Path:
    """A copy of the index without its array files: what searching the blocks gives."""
    copy = tmp_path / "blocks-only"
    shutil.copytree(index, copy)
    for path in copy.glob(f"*{dense.EXTENSION}"):
        path.unlink()
    return copy


def test_a_rebuild_writes_the_common_words_of_scored_fields_as_arrays_equal_to_their_blocks(built):
    reader = open_index(built).reader()
    checked = 0
    for leaf, _ in reader.leaf_readers():
        leaf._brieven_dense = None  # what this reader reads: the blocks
        arrays = dense.open_dense(leaf._storage, leaf.segment())
        assert arrays is not None and arrays.table
        fields = {field for field, _ in arrays.table}
        assert "text" in fields and fields <= {"text", "subject", "section", "elided", "aliases"}
        for (field, btext), (_, count) in arrays.table.items():
            docs, weights = arrays.postings(field, btext)
            from_blocks = _read_postings(leaf, field, btext, values=False)
            assert count >= FEW and len(docs) == count
            assert np.array_equal(docs, from_blocks.docs) and np.array_equal(weights, from_blocks.freqs)
            checked += 1
        # and every common word of the text field is there
        common = [t for t, info in leaf._terms.items() if t[0] == "text" and info.doc_frequency() >= FEW]
        assert {(field, btext) for field, btext in arrays.table if field == "text"} == set(common)
        arrays.close()
    reader.close()
    assert checked > 100


def test_searches_answer_the_same_from_the_arrays_as_from_the_blocks(built, monkeypatch):
    read = []
    postings = dense.DenseTerms.postings
    monkeypatch.setattr(dense.DenseTerms, "postings",
                        lambda self, field, btext: read.append(field) or postings(self, field, btext))
    with_arrays = answers(built)
    assert "text" in read and "subject" in read
    for path in built.glob(f"*{dense.EXTENSION}"):
        path.unlink()
    read.clear()
    assert answers(built) == with_arrays
    assert not read
    assert sum(total for _, _, total, _, _ in with_arrays) > 100


def test_a_damaged_array_file_is_passed_over_for_the_blocks(built):
    expected = answers(built)
    for path in built.glob(f"*{dense.EXTENSION}"):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])  # cut short: its table is gone
    assert answers(built) == expected
    for path in built.glob(f"*{dense.EXTENSION}"):
        path.write_bytes(b"not a table at all")
    assert answers(built) == expected


def test_a_letter_added_later_is_read_from_its_blocks_and_found(built, tmp_path):
    before = {p.name for p in built.glob(f"*{dense.EXTENSION}")}
    (tmp_path / "corpus" / "nieuw.txt").write_text(
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, 3 maart 2023\n\n"
        "De navo en de zeekwalstermolen, schrijft de minister.\n", encoding="utf-8")
    update_index(built, tmp_path / "corpus")
    assert {p.name for p in built.glob(f"*{dense.EXTENSION}")} == before  # Whoosh's segment has none
    service = SearchService(built)
    try:
        assert service.search(SearchRequest(query="zeekwalstermolen")).total == 1
        navo = service.search(SearchRequest(query="navo zeekwalstermolen", page_size=100))
        assert "nieuw" in {h.letter_id for h in navo.hits}
    finally:
        service.close()


def test_a_file_cut_short_while_served_is_passed_over_for_the_blocks(built):
    expected = answers(built)
    service = SearchService(built)
    try:
        service.search(SearchRequest(query="kabinet"))  # the arrays' tables are read
        for path in built.glob(f"*{dense.EXTENSION}"):
            with open(path, "r+b") as f:  # the same file, cut short under the open reader
                f.truncate(len(dense._MAGIC) + 8)
        assert answers_of(service) == expected
    finally:
        service.close()


def test_a_letter_changed_after_the_rebuild_leaves_arrays_and_blocks_agreeing(built, tmp_path):
    letter = tmp_path / "corpus" / SEEDS[0].name
    letter.write_text(letter.read_text(encoding="utf-8").replace("NAVO", "het bondgenootschap", 3)
                      + "\nDe minister schrijft nog over de navo en Rusland.\n", encoding="utf-8")
    update_index(built, tmp_path / "corpus")  # the old version's paragraphs deleted in the built segment
    reader = open_index(built).reader()
    assert reader.has_deletions()
    reader.close()
    assert answers(built) == answers(without_arrays(built, tmp_path))


def test_every_reader_of_a_segment_shares_one_open_file(built, monkeypatch):
    opened = []
    open_dense = postings_module.open_dense
    monkeypatch.setattr(postings_module, "open_dense",
                        lambda storage, segment: opened.append(segment.segment_id()) or open_dense(storage, segment))
    service = SearchService(built)
    try:
        with service.store.snapshot() as first, service.store.snapshot() as second:  # two requests at once
            assert first.searcher is not second.searcher
            # two words: a word read once is the postings cache's for both
            a, b = first.postings("text", "navo"), second.postings("text", "rusland")
        assert len(a.docs) >= FEW and len(b.docs) >= FEW
        assert len(opened) == len(set(opened)) == len(open_index(built)._segments())
    finally:
        service.close()
