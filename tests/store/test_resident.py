"""A served index is read through into the page cache at start and again now and then
(indexer/store/resident.py), never reading outside its directory, and not at all when it
would not fit in memory."""
from __future__ import annotations

import threading
import time
from pathlib import Path

from indexer.searching import SearchService
from indexer.store.resident import RESIDENT_SHARE, Resident, read_through


def index_bytes(index_dir: Path) -> int:
    return sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file() and not p.is_symlink())


def test_every_file_of_the_index_is_read_through_once(index_dir):
    reading = read_through(index_dir)
    assert reading.skipped is None
    assert reading.bytes == index_bytes(index_dir) > 0
    assert reading.files == sum(1 for p in index_dir.iterdir() if p.is_file())


def test_a_symbolic_link_in_the_index_directory_is_not_followed(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "MAIN_a.trm").write_bytes(b"x" * 3000)
    secret = tmp_path / "elsewhere.txt"
    secret.write_bytes(b"y" * 100_000)
    (index / "MAIN_b.pst").symlink_to(secret)
    reading = read_through(index)
    assert (reading.bytes, reading.files) == (3000, 1)


def test_an_index_larger_than_its_share_of_memory_is_left_to_the_kernel(index_dir):
    size = index_bytes(index_dir)
    reading = read_through(index_dir, available=int(size / RESIDENT_SHARE) - 1)
    assert reading.bytes == 0 and "groter dan" in reading.skipped
    assert read_through(index_dir, available=int(size / RESIDENT_SHARE) + 1).bytes == size
    assert read_through(index_dir / "missing").skipped.startswith("de index kan niet worden gelezen")


def test_the_thread_reads_again_until_stopped(index_dir):
    keeper = Resident(index_dir, every=0.05).start()
    try:
        deadline = time.monotonic() + 30
        while keeper.readings < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert keeper.readings >= 3 and keeper.last.bytes == index_bytes(index_dir)
    finally:
        keeper.stop()
    assert not any(t.name == "brieven-index-in-memory" for t in threading.enumerate())


def test_the_search_service_keeps_its_index_in_memory_until_told_to_stop(index_dir):
    service = SearchService(index_dir)
    stop = service.keep_resident()
    assert any(t.name == "brieven-index-in-memory" for t in threading.enumerate())
    stop()
    assert not any(t.name == "brieven-index-in-memory" for t in threading.enumerate())


def test_a_worker_forked_while_a_file_is_being_read_does_not_keep_it_open(tmp_path):
    """gunicorn forks its workers (and new ones later) while the main process's thread may
    have an index file open: the worker closes it, or a segment a merge removed stays on disk."""
    import os

    from indexer.store import resident

    held = tmp_path / "MAIN_a.pst"
    held.write_bytes(b"x" * 100)
    fd = os.open(held, os.O_RDONLY)
    with resident._open_lock:
        resident._open.add(fd)
    try:
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                os.fstat(fd)
                os._exit(1)
            except OSError:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        os.fstat(fd)  # still open here, where it is being read
    finally:
        with resident._open_lock:
            resident._open.discard(fd)
        os.close(fd)


def test_the_server_is_told_once_why_its_index_is_not_kept_in_memory(index_dir, monkeypatch):
    from indexer.store import resident

    monkeypatch.setattr(resident, "RESIDENT_SHARE", 0.0)
    told: list[str] = []
    keeper = Resident(index_dir, every=0.02, notice=told.append).start()
    try:
        deadline = time.monotonic() + 30
        while keeper.readings < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        keeper.stop()
    assert keeper.readings >= 3 and keeper.last.bytes == 0
    assert len(told) == 1 and told[0].startswith("de index wordt niet in het geheugen gehouden: de index (")
