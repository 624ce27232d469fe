"""A parallel rebuild gives the index a serial one gives: the same documents, terms and columns."""
import gc
import shutil
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import indexer.store.parallel
import indexer.store.updating
from indexer.store import open_index, update_index
from indexer.store.parallel import FREEZE_EVERY, SegmentRoller, WorkerFailed, bulk_collection, split_by_size
from indexer.store.schema import build_schema

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _contents(index_dir: Path) -> dict:
    """Everything a search can read, keyed by doc_id rather than by document number."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = {n: fields["doc_id"] for n, fields in reader.iter_docs()}
        stored = {fields["doc_id"]: fields for _, fields in reader.iter_docs()}
        postings = {}
        for fieldname in ix.schema.names():
            if not ix.schema[fieldname].indexed:
                continue
            for term in reader.lexicon(fieldname):
                matcher = reader.postings(fieldname, term)
                found = []
                while matcher.is_active():
                    found.append((ids[matcher.id()], matcher.value()))
                    matcher.next()
                postings[fieldname, term] = sorted(found)
        columns = {name: sorted(zip(ids.values(), reader.column_reader(name)))
                   for name in ("day", "paragraph", "letter_id", "year")}
        order = [ids[n] for n in sorted(ids)]
        return {"stored": stored, "postings": postings, "columns": columns, "order": order,
                "segments": len(reader.leaf_readers()) if not reader.is_atomic() else 1}


@pytest.fixture
def corpus(tmp_path) -> Path:
    target = tmp_path / "corpus"
    target.mkdir()
    for letter in CORPUS.glob("*.txt"):
        shutil.copy(letter, target / letter.name)
    (target / "zz_empty.txt").write_text("", encoding="utf-8")  # a letter that fails to read
    (target / "zz_broken.pdf").write_bytes(b"not a pdf at all")
    return target


@pytest.mark.parametrize("procs, segment_mb", [(3, 400), (2, 0)])
def test_parallel_rebuild_equals_serial_rebuild(corpus, tmp_path, monkeypatch, procs, segment_mb):
    serial = update_index(tmp_path / "serial", corpus, rebuild=True)
    monkeypatch.setattr(indexer.store.updating, "rebuild_procs", lambda: procs)  # 3: more workers than cores
    monkeypatch.setattr(indexer.store.updating, "SEGMENT_MB", segment_mb)  # 0: a segment per paragraph
    both = update_index(tmp_path / "parallel", corpus, rebuild=True, parallel=True)
    assert both.added == serial.added and len(both.added) == 5
    assert both.skipped == serial.skipped and len(both.skipped) == 2
    assert both.paragraphs == serial.paragraphs > 0
    one, many = _contents(tmp_path / "serial"), _contents(tmp_path / "parallel")
    assert many["segments"] > 1
    for part in ("stored", "postings", "columns", "order"):
        assert many[part] == one[part], part
    assert sorted(p.name for p in (tmp_path / "parallel").iterdir() if p.suffix == ".toc") == ["_MAIN_1.toc"]


def test_parallel_rebuild_with_more_workers_than_letters(corpus, tmp_path, monkeypatch):
    for extra in corpus.glob("zz_*"):
        extra.unlink()
    for letter in sorted(corpus.glob("*.txt"))[2:]:
        letter.unlink()
    monkeypatch.setattr(indexer.store.updating, "rebuild_procs", lambda: 3)
    build_segments = indexer.store.parallel.build_segments
    shares = []
    monkeypatch.setattr(indexer.store.parallel, "build_segments",
                        lambda ix, parts, *rest, **kw: shares.append(parts) or build_segments(ix, parts, *rest, **kw))
    summary = update_index(tmp_path / "index", corpus, rebuild=True, parallel=True)
    assert summary.letters == 2 and summary.paragraphs > 0
    assert [len(share) for share in shares[0]] == [1, 1]  # a worker per letter, none idle
    # and an update afterwards sees it whole
    again = update_index(tmp_path / "index", corpus)
    assert again.unchanged == 2 and again.added == [] and again.paragraphs == summary.paragraphs


@pytest.mark.parametrize("report_every", [0.0, 3600.0])
def test_parallel_progress_reports_every_file_once(corpus, tmp_path, monkeypatch, report_every):
    """The workers send their files in batches (REPORT_EVERY: 0 sends each file at once, an hour
    only what is left at the end): the caller still hears of each file once, with its paragraphs."""
    serial: list[tuple[str, int]] = []
    update_index(tmp_path / "serial", corpus, rebuild=True, progress=lambda *a: serial.append(a))
    monkeypatch.setattr(indexer.store.parallel, "REPORT_EVERY", report_every)
    monkeypatch.setattr(indexer.store.updating, "rebuild_procs", lambda: 2)
    heard: list[tuple[str, int]] = []
    update_index(tmp_path / "parallel", corpus, rebuild=True, parallel=True, progress=lambda *a: heard.append(a))
    assert sorted(heard) == sorted(serial) and len(serial) == 7 and sum(p for _, p in serial) > 0


def test_shares_keep_the_file_order_and_balance_the_bytes(tmp_path):
    files = []
    for n, size in enumerate([10, 10, 10, 10, 40, 10, 10]):
        path = tmp_path / f"{n}.txt"
        path.write_bytes(b"x" * size)
        files.append(path)
    shares = split_by_size(files, 2)
    assert [p for share in shares for p in share] == files
    assert [sum(p.stat().st_size for p in share) for share in shares] == [40, 60]
    assert [p for share in split_by_size(files[:1], 3) for p in share] == files[:1]


def test_a_failing_worker_fails_the_build_and_keeps_the_old_index(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    before = update_index(index, corpus, rebuild=True)

    def broken(writer, letter, taxonomy, stamp):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(indexer.store.updating, "_add_letter", broken)  # inherited by the forked workers
    monkeypatch.setattr(indexer.store.updating, "rebuild_procs", lambda: 2)
    with pytest.raises(WorkerFailed, match="disk on fire"):
        update_index(index, corpus, rebuild=True, parallel=True)
    assert not index.with_name("index.new").exists()
    monkeypatch.undo()
    assert update_index(index, corpus).unchanged == len(before.added)


def test_a_finished_segment_leaves_no_garbage_frozen_for_the_rest_of_the_build(seed_documents, tmp_path):
    # a build freezes what it allocated every FREEZE_EVERY documents; a writer that finished its
    # segment leaves reference cycles behind, which must be collected before they are frozen
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname="MAIN")
    gc.collect()
    with bulk_collection():
        roller = SegmentRoller(ix, limitmb=0)
        roller.limit = 100_000  # bytes: a new segment every few dozen paragraphs
        try:
            for n in range(3 * FREEZE_EVERY):
                roller.add_document(**{**seed_documents[n % len(seed_documents)], "doc_id": f"copy-{n}"})
            gc.unfreeze()
            frozen_garbage = gc.collect()
        finally:
            segments = roller.finish()
    assert len(segments) > 10
    assert frozen_garbage == 0


@pytest.mark.parametrize("cores, available, procs", [
    (8, None, 8),  # the kernel does not say: one per core
    (8, 64_000, 8),
    (8, 3_000, 2),  # what the memory holds at WORKER_PEAK_MB each
    (2, 1_000, 1),  # never none
    (1, 64_000, 1),
])
def test_a_rebuild_forks_a_worker_per_core_as_far_as_the_memory_goes(monkeypatch, cores, available, procs):
    monkeypatch.setattr(indexer.store.updating, "usable_cores", lambda: cores)
    monkeypatch.setattr(indexer.store.updating, "available_bytes", lambda: available and available * 2**20)
    assert indexer.store.updating.WORKER_PEAK_MB == 1400
    assert indexer.store.updating.rebuild_procs() == procs
