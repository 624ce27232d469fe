"""The bulk segment writer writes segments Whoosh reads exactly as its own (and, with Whoosh's
settings and its tuples rather than arrays in the blocks, byte for byte as Whoosh writes them)."""
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import TOC
from whoosh.qparser import QueryParser
from whoosh.writing import SegmentWriter

import indexer.store.whoosh_patches  # noqa: F401  (as every index in brieven is written)
from indexer.store.schema import build_schema
from indexer.store.segment_writer import BulkSegmentWriter


def _one_segment(folder: Path, documents, make_writer):
    """An index of one segment, written by `make_writer(ix)`; returns (index, segment files)."""
    ix, [files] = _segments(folder, [documents], make_writer)
    return ix, files


def _segments(folder: Path, batches, make_writer):
    """An index of one segment per batch of documents, each written by `make_writer(ix)`, as
    indexer/store/parallel.py commits them; returns (index, each segment's files)."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema(), indexname="MAIN")
    segments = []
    for batch in batches:
        writer = make_writer(ix)
        for doc in batch:
            writer.add_document(**doc)
        segments.append(writer._finalize_segment())
        writer._close_segment()
    TOC(ix.schema, segments, 1).write(ix.storage, ix.indexname)
    files = [{path.name.split(".", 1)[1]: path.read_bytes()
              for path in folder.iterdir() if path.name.startswith(segment.segment_id())}
             for segment in segments]
    return whoosh_index.open_dir(str(folder), indexname="MAIN"), files


# Blocks of 32 postings rather than 128, so that the seed letters have terms of several blocks.
BLOCK = 32


def _whoosh_writer(ix):
    return SegmentWriter(ix, _lk=False, compound=False, codec=W3Codec(blocklimit=BLOCK))


def _bulk_writer(ix, **settings):
    return BulkSegmentWriter(ix, blocklimit=BLOCK, **{"arrays_from": BLOCK // 2, **settings})


def _postings(ix, blocks: bool = True) -> dict:
    """Every term with its statistics and postings (ids, weights, values, and with `blocks` the
    statistics of the block each is in), as Whoosh reads them."""
    out = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for field, btext in reader.all_terms():
            info = reader.term_info(field, btext)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                     info.max_weight(), info.min_id(), info.max_id())
            m = reader.postings(field, btext)
            postings = []
            while m.is_active():
                block = (m.block_max_weight(), m.block_min_length()) if blocks else ()
                postings.append((m.id(), m.weight(), m.value(), *block))
                m.next()
            out[field, btext] = (stats, postings)
    return out


def test_with_whooshs_settings_the_files_are_whooshs_byte_for_byte(seed_documents, tmp_path):
    _, theirs = _one_segment(tmp_path / "whoosh", seed_documents, _whoosh_writer)
    _, ours = _one_segment(tmp_path / "bulk", seed_documents,
                           lambda ix: _bulk_writer(ix, inline_limit=1, compress_from=0, compression=3,
                                                        arrays_from=None, protocol=2, plain_arrays=False))
    assert sorted(ours) == sorted(theirs)
    assert {"pst", "trm", "_stored.col", "_text_len.col"} <= set(ours)  # (no field keeps vectors since schema 11)
    for name in theirs:
        assert ours[name] == theirs[name], name


def test_whooshs_special_keys_are_honoured(seed_documents, tmp_path):
    # a document boost, a field boost and a stored value other than the indexed one
    special = [{**doc, "_boost": 2.0} for doc in seed_documents[:3]] + [
        {**seed_documents[3], "_text_boost": 0.5, "_stored_title": "Een andere titel"}] + seed_documents[4:8]
    _, theirs = _one_segment(tmp_path / "whoosh", special, _whoosh_writer)
    _, ours = _one_segment(tmp_path / "bulk", special,
                           lambda ix: _bulk_writer(ix, inline_limit=1, compress_from=0, compression=3,
                                                        arrays_from=None, protocol=2, plain_arrays=False))
    assert ours == theirs


def test_inlined_and_uncompressed_postings_read_back_the_same(seed_documents, tmp_path):
    whoosh_ix, theirs = _one_segment(tmp_path / "whoosh", seed_documents, _whoosh_writer)
    bulk_ix, ours = _one_segment(tmp_path / "bulk", seed_documents, _bulk_writer)
    expected = _postings(whoosh_ix)
    # the seeds hold terms with one posting (inlined), a few (one block, not compressed) and
    # more than a block (several blocks, compressed)
    counts = [len(postings) for _, postings in expected.values()]
    assert min(counts) == 1 and max(counts) > 2 * BLOCK
    assert _postings(bulk_ix) == expected
    assert len(ours["pst"]) + len(ours["trm"]) < len(theirs["pst"]) + len(theirs["trm"])


def test_whoosh_searches_and_merges_our_segments(seed_documents, tmp_path):
    whoosh_ix, _ = _one_segment(tmp_path / "whoosh", seed_documents, _whoosh_writer)
    half = len(seed_documents) // 2
    bulk_ix, _ = _segments(tmp_path / "bulk", [seed_documents[:half], seed_documents[half:]], _bulk_writer)
    parser = QueryParser("text", whoosh_ix.schema)
    for text in ["defensie", "rusland dialoog", '"veiligheid van europa"', "navo OR oekraïne", "klimaat*"]:
        query = parser.parse(text)
        with whoosh_ix.searcher() as theirs, bulk_ix.searcher() as ours:
            expected = {hit["doc_id"]: round(hit.score, 6) for hit in theirs.search(query, limit=None)}
            found = {hit["doc_id"]: round(hit.score, 6) for hit in ours.search(query, limit=None)}
        assert expected and found == expected, text
    # `brieven add` lets Whoosh's writer merge small segments: it reads ours as its own
    bulk_ix.writer().commit(optimize=True)
    merged = whoosh_index.open_dir(str(tmp_path / "bulk"), indexname="MAIN")
    assert len(merged._segments()) == 1
    assert _postings(merged, blocks=False) == _postings(whoosh_ix, blocks=False)  # merged in blocks of 128


def test_a_schema_it_cannot_write_is_refused(tmp_path):
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer

    schema = fields.Schema(text=fields.TEXT(analyzer=StemmingAnalyzer(), spelling=True))
    ix = whoosh_index.create_in(str(tmp_path), schema)
    with pytest.raises(ValueError, match="spelling"):
        BulkSegmentWriter(ix)


def test_a_commit_that_could_merge_is_refused_and_the_index_is_untouched(seed_documents, tmp_path):
    # Whoosh's commit merges small segments by reading them into its own posting pool, which
    # this writer never writes: the merged segments' postings would be lost without a word
    ix, _ = _one_segment(tmp_path / "ix", seed_documents[:20], _whoosh_writer)
    writer = _bulk_writer(ix)
    writer.add_document(**seed_documents[20])
    with pytest.raises(NotImplementedError, match="_finalize_segment"):
        writer.commit(optimize=True)
    with ix.reader() as reader, pytest.raises(NotImplementedError):
        writer.add_reader(reader)
    writer.cancel()
    again = whoosh_index.open_dir(str(tmp_path / "ix"), indexname="MAIN")
    with again.searcher() as searcher:
        assert searcher.doc_count() == 20
        assert searcher.document(doc_id=seed_documents[0]["doc_id"]) is not None


def test_stored_fields_pickled_with_a_newer_protocol_read_back_the_same(seed_documents, tmp_path):
    whoosh_ix, theirs = _one_segment(tmp_path / "whoosh", seed_documents, _whoosh_writer)
    bulk_ix, ours = _one_segment(tmp_path / "bulk", seed_documents, _bulk_writer)
    with whoosh_ix.searcher() as a, bulk_ix.searcher() as b:
        expected = list(a.reader().iter_docs())
        assert any("date" in fields for _, fields in expected)  # a datetime: a call under protocol 2
        assert list(b.reader().iter_docs()) == expected
    assert len(ours["_stored.col"]) < len(theirs["_stored.col"])


@pytest.mark.parametrize("compression", [0, 1])
def test_brievens_postings_reader_reads_arrays_and_whooshs_tuples_alike(seed_documents, tmp_path, compression):
    from indexer.store.postings import PostingsCache

    whoosh_ix, _ = _one_segment(tmp_path / "whoosh", seed_documents, _whoosh_writer)
    bulk_ix, ours = _one_segment(tmp_path / "bulk", seed_documents,
                                 lambda ix: _bulk_writer(ix, compression=compression))
    if not compression:
        assert b"_array_reconstructor" in ours["pst"] and b"_inflatable_values" in ours["pst"]
    # what Whoosh's own matchers read from its own segment: (id, weight, value) per posting
    expected = {key: postings for key, (_, postings) in _postings(whoosh_ix, blocks=False).items()}
    compared = 0
    for ix in (whoosh_ix, bulk_ix):  # Whoosh's tuples, then our arrays
        with ix.searcher() as searcher:
            [(leaf, _)] = searcher.reader().leaf_readers()
            for (field, btext), postings in expected.items():
                found = PostingsCache().get(leaf, field, btext, positions=field == "text")
                assert found.docs.tolist() == [p[0] for p in postings], (field, btext)
                assert found.freqs.tolist() == [p[1] for p in postings], (field, btext)
                if field == "text":
                    assert list(found.values) == [p[2] for p in postings], (field, btext)
                compared += len(postings) > BLOCK
    assert compared > 20  # terms of several blocks, some of them arrays
