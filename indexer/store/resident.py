"""Keeping a served index in the operating system's memory (its page cache).

A first-time search reads a few thousand scattered pieces of the index's term, postings and
stored-field files. From memory that costs little; from disk, page faults and waits made the
1,000,000-paragraph mix's median 42 ms instead of 31 (in-process, the same process and code,
caches dropped before one run and the files read before the other). On a machine with memory
to spare the files stay cached once read, but the shared virtual machines these figures come
from hand the cache back to their host within minutes (1.57 GB cached fell to 1.09 GB in two
and a half minutes with 23 GB free): the first search after a quiet spell read from disk again.

So a server reads its index's files through once at start, in a thread that waits on the disk
without holding the GIL, and again every RESIDENT_EVERY seconds: files still cached cost a copy
(0.3 s of system CPU for 1.4 GB), evicted ones are read back before a search needs them.
Elasticsearch's `index.store.preload` does the first half. The index is read only while it takes
at most RESIDENT_SHARE of the memory available: one larger than that would push itself out, and
then the kernel's own choice of what to keep is the better one. The process's own memory does
not grow: the files pass through one buffer.
"""
from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.machine import available_bytes

RESIDENT_EVERY = 60.0  # seconds between readings
RESIDENT_SHARE = 0.5  # of the memory available (MemAvailable, or a container's room), at most
_CHUNK = 1 << 20

# The thread runs in gunicorn's main process, which forks workers (and new ones later): a file
# it has open at that moment would stay open in the worker, holding a segment a merge removed.
# Opening and closing wait for a fork in progress, and a child closes what it inherited.
_open_lock = threading.Lock()
_open: set[int] = set()


def _close_inherited() -> None:
    for fd in _open:
        try:
            os.close(fd)
        except OSError:
            pass
    _open.clear()
    _open_lock.release()  # held by the thread that forked, copied held


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_open_lock.acquire, after_in_parent=_open_lock.release,
                        after_in_child=_close_inherited)


@dataclass
class Reading:
    """What one reading through did: bytes and files read, or why it read nothing."""

    bytes: int = 0
    files: int = 0
    skipped: str | None = None


def read_through(index_dir: Path, stop: threading.Event | None = None,
                 available: int | None = None) -> Reading:
    """Read every regular file of the index directory once, discarding the bytes (a symbolic
    link is not followed); stop early when `stop` is set. Reads nothing when the files take
    more than RESIDENT_SHARE of the memory available (`available`, else asked of the kernel)."""
    try:
        files = [e for e in os.scandir(index_dir) if e.is_file(follow_symlinks=False)]
    except OSError as error:
        return Reading(skipped=f"de index kan niet worden gelezen: {error.strerror or error}")
    total = sum(_size(e) for e in files)
    available = available_bytes() if available is None else available
    if available is None:
        return Reading(skipped="het beschikbare geheugen is onbekend")
    if total > RESIDENT_SHARE * available:
        return Reading(skipped=f"de index ({total / 2**20:.0f} MB) is groter dan "
                               f"{RESIDENT_SHARE:.0%} van het beschikbare geheugen ({available / 2**20:.0f} MB)")
    buffer = bytearray(_CHUNK)
    reading = Reading()
    for entry in files:
        if stop is not None and stop.is_set():
            break
        with _open_lock:
            try:
                fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                continue  # removed meanwhile (a merge, a rebuild): nothing to keep
            _open.add(fd)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            with open(fd, "rb", buffering=0, closefd=False) as handle:
                while (n := handle.readinto(buffer)) and not (stop is not None and stop.is_set()):
                    reading.bytes += n
            reading.files += 1
        except OSError:
            continue
        finally:
            with _open_lock:
                _open.discard(fd)
                os.close(fd)
    return reading


def _size(entry: os.DirEntry) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_size
    except OSError:  # removed since the listing (a merge): it will not be read either
        return 0


class Resident:
    """A daemon thread that reads the index through now and every `every` seconds, until
    stopped. Start it in one process of a server (the workers share the page cache)."""

    def __init__(self, index_dir: Path, every: float = RESIDENT_EVERY,
                 notice: Callable[[str], None] | None = None):
        self.index_dir = Path(index_dir)
        self.every = every
        self.notice = notice  # told why a reading read nothing, when the one before it did read
        self.readings = 0  # completed readings through, for tests and benchmarks
        self.last = Reading()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="brieven-index-in-memory")

    def start(self) -> Resident:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            reading = read_through(self.index_dir, self._stop)
            if reading.skipped and not self.last.skipped and self.notice is not None:
                self.notice(f"de index wordt niet in het geheugen gehouden: {reading.skipped}")
            self.last = reading
            self.readings += 1
            self._stop.wait(self.every)
