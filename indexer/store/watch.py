"""Watching the corpus directory: index letters as they arrive, change or disappear.

File events come from watchdog (inotify on Linux). They arrive in bursts (a copy is a create
and several writes), so the watcher waits until the directory has been quiet for a moment and
then runs the ordinary incremental update, which compares content hashes and does only what is
needed.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from indexer.reading import SIDECAR_SUFFIX, is_letter_file
from indexer.store.locking import IndexBusy
from indexer.store.updating import IndexSummary, update_index

DEBOUNCE_SECONDS = 1.0


class _Changes:
    """Remembers when a letter (or a sidecar) last changed: a watchdog event handler (watchdog
    calls `dispatch` with each event; it is imported only when a watch starts)."""

    def __init__(self):
        self.last_change: float | None = None
        self.lock = threading.Lock()

    def dispatch(self, event) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if any(p and _relevant(Path(p)) for p in paths):
            with self.lock:
                self.last_change = time.monotonic()

    def take_if_quiet(self, quiet: float) -> bool:
        """True (and forget the change) when something changed and then nothing for `quiet` s."""
        with self.lock:
            if self.last_change is not None and time.monotonic() - self.last_change >= quiet:
                self.last_change = None
                return True
            return False


def _relevant(path: Path) -> bool:
    return is_letter_file(path) or path.name.endswith(SIDECAR_SUFFIX)


def watch(
    corpus_dir: Path,
    index_dir: Path,
    report: Callable[[IndexSummary], None],
    on_error: Callable[[Exception], None],
    stop: threading.Event | None = None,
    debounce: float = DEBOUNCE_SECONDS,
    update: Callable[[], IndexSummary] | None = None,
) -> None:
    """Update the index now, then after every quiet burst of changes, until `stop` is set (or
    KeyboardInterrupt). Errors of one update are reported and the watch goes on. `update`: how
    to update another backend's index (default: the embedded index in `index_dir`)."""
    update = update or (lambda: update_index(index_dir, corpus_dir))
    from watchdog.observers import Observer

    stop = stop or threading.Event()
    changes = _Changes()
    observer = Observer()
    observer.schedule(changes, str(corpus_dir), recursive=False)
    observer.start()
    try:
        pending = True  # catch up with whatever changed while nobody was watching
        while not stop.is_set():
            if pending or changes.take_if_quiet(debounce):
                pending = False
                try:
                    report(update())
                except IndexBusy as error:
                    on_error(error)
                    pending = True  # someone else is indexing: try again shortly
                    stop.wait(debounce)
                except Exception as error:  # one bad update must not end the watch
                    on_error(error)
            stop.wait(0.2)
    finally:
        observer.stop()
        observer.join(timeout=5)
