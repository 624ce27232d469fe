"""One indexer at a time per index: an OS lock beside the index directory."""
from __future__ import annotations

import contextlib
import fcntl
import time
from pathlib import Path

from indexer.errors import BrievenError

LOCK_TIMEOUT = 30.0  # seconds to wait for another indexer before giving up


class IndexBusy(BrievenError):
    """Another indexer holds the write lock."""

    status = 503


@contextlib.contextmanager
def index_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT):
    """One indexer at a time per index: an OS lock on a file beside the index directory, which
    the OS releases when the process dies, so a crash never leaves a stale lock. A second
    indexer waits up to `timeout` seconds, then stops with IndexBusy. It is a POSIX record lock
    (lockf), which belongs to this process alone: worker processes forked by a parallel rebuild
    do not inherit it, so a killed indexer's orphans cannot keep the index locked."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir.with_name(f".{index_dir.name}.lock")
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:  # EAGAIN or EACCES: held by another process
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"Een ander `brieven`-proces (index, add of watch) werkt {index_dir} bij; "
                        f"{timeout:.0f} s gewacht. Probeer het opnieuw als het klaar is."
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
