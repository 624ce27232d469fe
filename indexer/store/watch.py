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
import threading
import time
from pathlib import Path
from typing import Callable

from indexer.reading import SIDECAR_SUFFIX, LetterIds, id_problem, is_letter_file, letter_id_of_name
from indexer.store.locking import IndexBusy
from indexer.store.updating import IndexSummary, update_index

DEBOUNCE_SECONDS = 1.0
# The whole corpus is compared this often, and this long after an update that failed: file
# events can be lost (inotify's queue overflows silently for a watch like this one), and a
# letter they named once is not named again.
COMPARE_ALL_SECONDS = 600.0
RETRY_SECONDS = 30.0
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
    ids, named = set(), set()
    for name in names:
        if name.endswith(SIDECAR_SUFFIX):
            ids.add(name[: -len(SIDECAR_SUFFIX)])
        elif id_problem(name):
            return None
        else:
            ids.add(letter_id_of_name(name))
            named.add(name)
    letters, gone = [], []
    corpus = LetterIds(corpus_dir)
    for lid in sorted(ids):
        files = corpus.files(lid)  # the regular files with the id
        if len(files) > 1 or any(id_problem(name) for name in files):  # a sidecar's letter too
            return None
        if files:
            letters.append(files[0])
        else:
            gone.append(lid)
    # a name that is there but not among the regular files: a symbolic link (or a directory)
    if any(os.path.lexists(corpus_dir / name) for name in named - set(letters)):
        return None
    return letters, gone


def watch(
    corpus_dir: Path,
    index_dir: Path,
    report: Callable[[IndexSummary], None],
    on_error: Callable[[Exception], None],
    stop: threading.Event | None = None,
    debounce: float = DEBOUNCE_SECONDS,
    update: Callable[[], IndexSummary] | None = None,
) -> None:
    """Update the index now, then after every quiet burst of changes (the embedded index: only
    the letters the changes named), and compare the whole corpus every COMPARE_ALL_SECONDS,
    until `stop` is set (or KeyboardInterrupt). Errors of one update are reported, the whole
    corpus is compared RETRY_SECONDS later, and the watch goes on. `update`: how to update
    another backend's index (it compares the whole corpus each time)."""
    def embedded(names: set[str] | None) -> IndexSummary:
        named = _named_update(corpus_dir, names) if names is not None else None
        if named is None:
            return update_index(index_dir, corpus_dir)
        return update_index(index_dir, corpus_dir, only=named[0], gone=named[1])

    def other(names: set[str] | None) -> IndexSummary:
        return update()  # another backend's update compares the whole corpus

    run = embedded if update is None else other
    from watchdog.observers import Observer

    stop = stop or threading.Event()
    changes = _Changes()
    observer = Observer()
    observer.schedule(changes, str(corpus_dir), recursive=False)
    observer.start()
    try:
        compare_all_at = time.monotonic()  # now: catch up with what changed while nobody watched
        while not stop.is_set():
            names = changes.take_if_quiet(debounce)
            compare_all = time.monotonic() >= compare_all_at
            if compare_all or names is not None:
                if compare_all:
                    compare_all_at = time.monotonic() + COMPARE_ALL_SECONDS
                try:
                    report(run(None if compare_all else names))
                except IndexBusy as error:  # someone else is indexing: try again shortly
                    on_error(error)
                    compare_all_at = time.monotonic() + debounce
                except Exception as error:  # one bad update must not end the watch
                    on_error(error)
                    compare_all_at = min(compare_all_at, time.monotonic() + RETRY_SECONDS)
            stop.wait(0.2)
    finally:
        observer.stop()
        observer.join(timeout=5)
