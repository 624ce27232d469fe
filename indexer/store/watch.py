"""Watching the corpus directory: index letters as they arrive, change or disappear.

File events come from watchdog (inotify on Linux). They arrive in bursts (a copy is a create
and several writes), so the watcher waits until the directory has been quiet for a moment. Then
it indexes the letters the events named (new or changed files; the letters of changed
sidecars) and removes those whose files are gone, as `brieven add` does, without comparing the
rest of the corpus: with 300,000 letters that comparison took 8 s of every update, and a letter
arrived in the index 14 s after its file. At the start, after many changes at once (a corpus
copied in), or a name that cannot be a letter id, it runs the ordinary incremental update,
which compares the whole corpus and does only what is needed.
"""
from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path
from typing import Callable

from indexer.reading import SIDECAR_SUFFIX, LetterIds, id_problem, is_letter_file, letter_id_of_name
from indexer.store.locking import IndexBusy
from indexer.store.updating import IndexSummary, update_index

DEBOUNCE_SECONDS = 1.0
# More changed names than this at once: compare the whole corpus instead (it may rebuild, and
# it is then as fast as looking up each name)
NAMED_AT_MOST = 1000


class _Changes:
    """Remembers which letters and sidecars changed, and when last: a watchdog event handler
    (watchdog calls `dispatch` with each event; it is imported only when a watch starts)."""

    def __init__(self):
        self.last_change: float | None = None
        self.names: set[str] = set()
        self.lock = threading.Lock()

    def dispatch(self, event) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        names = {Path(p).name for p in paths if p and _relevant(Path(p))}
        if names:
            with self.lock:
                self.last_change = time.monotonic()
                self.names |= names

    def take_if_quiet(self, quiet: float) -> set[str] | None:
        """The file names that changed (and forget them) when something changed and then
        nothing for `quiet` s; None otherwise."""
        with self.lock:
            if self.last_change is not None and time.monotonic() - self.last_change >= quiet:
                names, self.last_change, self.names = self.names, None, set()
                return names
            return None


def _relevant(path: Path) -> bool:
    return is_letter_file(path) or path.name.endswith(SIDECAR_SUFFIX)


def _named_update(corpus_dir: Path, names: set[str]) -> tuple[list[str], list[str]] | None:
    """For the changed file names: the letter files to index (new or changed, or with a changed
    sidecar) and the ids of the letters whose files are gone. None where only comparing the
    whole corpus will do, which also says why a file is not read: many names, a name that
    cannot be a letter's, a file that is not a regular one (a symbolic link), or two files
    with one id."""
    if len(names) > NAMED_AT_MOST:
        return None
    ids = set()
    for name in names:
        if name.endswith(SIDECAR_SUFFIX):
            ids.add(name[: -len(SIDECAR_SUFFIX)])
            continue
        if id_problem(name) or (os.path.lexists(corpus_dir / name) and not _regular(corpus_dir / name)):
            return None
        ids.add(letter_id_of_name(name))
    letters, gone = [], []
    corpus = LetterIds(corpus_dir)
    for lid in sorted(ids):
        files = corpus.files(lid)
        if len(files) > 1:
            return None
        if files:
            letters.append(files[0])
        else:
            gone.append(lid)
    return letters, gone


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


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
    to update another backend's index (default: the embedded index in `index_dir`, whose
    updates look only at the letters the changes named)."""
    if update is None:
        def update(names: set[str] | None = None) -> IndexSummary:
            named = _named_update(corpus_dir, names) if names is not None else None
            if named is None:
                return update_index(index_dir, corpus_dir)
            return update_index(index_dir, corpus_dir, only=named[0], gone=named[1])
    else:
        whole = update
        update = lambda names=None: whole()  # noqa: E731  (another backend compares it all)
    from watchdog.observers import Observer

    stop = stop or threading.Event()
    changes = _Changes()
    observer = Observer()
    observer.schedule(changes, str(corpus_dir), recursive=False)
    observer.start()
    try:
        pending = True  # catch up with whatever changed while nobody was watching
        behind = False  # an update failed: the next one compares the whole corpus
        while not stop.is_set():
            names = changes.take_if_quiet(debounce)
            if pending or names is not None:
                whole = pending or behind
                pending = behind = False
                try:
                    report(update(None if whole else names))
                except IndexBusy as error:
                    on_error(error)
                    pending = True  # someone else is indexing: try again shortly
                    stop.wait(debounce)
                except Exception as error:  # one bad update must not end the watch
                    on_error(error)
                    behind = True
            stop.wait(0.2)
    finally:
        observer.stop()
        observer.join(timeout=5)
