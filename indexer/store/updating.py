"""Building the index and keeping it in line with the corpus.

`update_index` adds new letters, replaces changed ones and deletes removed ones, comparing letters
by content hash, so unchanged letters are not touched; a rebuild (or a first build, or an update
in which most of the corpus is new or changed) writes a fresh index beside the old one, on every
core (indexer/store/parallel.py), and swaps it in when complete. One indexer at a time holds the
lock (indexer/store/locking.py).
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from indexer.analysis import Taxonomy, load_taxonomy
from indexer.machine import available_bytes, usable_cores
from indexer.reading import (SIDECAR_SUFFIX, Letter, LetterError, file_sha256, letter_id_of_name, list_corpus,
                             read_letter)
from indexer.store import merging, parallel
from indexer.store.directory import INDEX_NAME, VERSION_FILE, open_index, recover, swap_in, usable
from indexer.store.documents import letter_documents, term_text
from indexer.store.locking import LOCK_TIMEOUT, IndexBusy, index_lock
from indexer.store.schema import SCHEMA_VERSION, build_schema

# A parallel rebuild forks worker processes: safe only in a process without other threads
# (a fork copies locks that another thread may hold), so only `brieven index` asks for it.
# Each worker holds at most about this much: its pooled postings become a segment at SEGMENT_MB
# by Whoosh's estimate (at 1M paragraphs the largest process peaked at 1,298 MB).
WORKER_PEAK_MB = 1400
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# A rebuild's writing process starts a new segment when Whoosh's posting pool holds about this
# much by Whoosh's estimate (indexer/store/parallel.py), about twice what it holds: 400 made 33
# segments of 1,000,000 paragraphs (workers at 520 MB resident), and every word of a search is
# looked up in every segment; 1000 made 14 (indexer peak 1.8 GB), 2000 makes 8: finding a
# search's matches took 20-28% less CPU, and the indexer's peak is 2.8 GB (the target: 4 GB).
SEGMENT_MB = 2000
# An update in which at least this share of the corpus's letters is new or changed (and at least
# REBUILD_AT_LEAST letters) rebuilds instead: a rebuild writes segments in bulk on every core,
# at about twice the speed of adding letters one by one to Whoosh's writer in one process, so
# re-reading the unchanged rest costs less than it saves.
REBUILD_SHARE = 0.5
REBUILD_AT_LEAST = 200


@dataclass
class IndexSummary:
    added: list[str] = field(default_factory=list)  # letter ids
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    letters: int | None = 0  # in the index afterwards (None: not counted, see update_index's `only`)
    paragraphs: int = 0  # in the index afterwards
    seconds: float = 0.0
    rebuilt: bool = False
    # why an update rebuilt instead ("most of the corpus is new or changed"); None for a plain
    # rebuild or update
    rebuilt_because: str | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file name, what was odd)


NO_PARAGRAPHS = ("geen alinea's om te doorzoeken (alleen een aanhef, datum of ondertekening): de brief "
                 "staat niet in de index; vul het bestand aan of verwijder het")

# called after each letter is handled with its file name and its paragraphs (0: unchanged,
# skipped or without paragraphs)
Progress = Callable[[str, int], None]


def update_index(
    index_dir: Path,
    corpus_dir: Path,
    rebuild: bool = False,
    progress: Progress | None = None,
    taxonomy: Taxonomy | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
    parallel: bool = False,
    only: Sequence[str] | None = None,
    gone: Sequence[str] = (),
) -> IndexSummary:
    """Bring the index in line with the corpus: add new letters, replace changed ones, delete
    removed ones. With `rebuild`, or when there is no usable index, build a fresh one; so too
    when most of the corpus is new or changed (REBUILD_SHARE). `parallel`: a rebuild may fork
    a process per core (only in a process without other threads). `only`: the names of the
    corpus files known to be new or changed (what `brieven add` copied): just those are
    indexed, the rest of the corpus is not compared, and the letters are not counted (with
    300,000 letters, listing, stamping and comparing them all took 3 s of every `add`); with
    it, `gone`: the ids of letters whose files are known to be gone (`brieven watch`), which
    leave the index in the same commit."""
    started = time.perf_counter()
    taxonomy = taxonomy or load_taxonomy()
    refused: list[tuple[str, str]] = []
    with index_lock(index_dir, lock_timeout):
        recover(index_dir)
        procs = rebuild_procs() if parallel else 1
        if only is not None and not rebuild and usable(index_dir):
            summary = _update_files(index_dir, corpus_dir, only, taxonomy, progress, gone)
        else:
            listing = list_corpus(corpus_dir)
            names, refused = listing.names, listing.refused
            if rebuild or not usable(index_dir):
                summary = _rebuild(index_dir, [corpus_dir / name for name in names], taxonomy, progress, procs)
            else:
                summary = _update(index_dir, corpus_dir, names, taxonomy, progress, procs, listing.sidecars)
    summary.skipped = sorted(refused + summary.skipped)
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        summary.paragraphs = searcher.doc_count()
    summary.seconds = time.perf_counter() - started
    return summary


def rebuild_procs() -> int:
    """The worker processes a parallel rebuild forks: one per core this process may run on, as
    many as the memory available holds at WORKER_PEAK_MB each, and at least one."""
    procs = usable_cores()
    memory = available_bytes()
    if memory is not None:
        procs = min(procs, memory // (WORKER_PEAK_MB * 2**20))
    return max(1, procs)


def _die_with_parent() -> None:
    """In a forked worker: ask Linux to end this process when its parent dies, so that a killed
    indexer leaves no orphaned workers behind. Elsewhere, a no-op."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


_fork_hook_installed = False


def _install_fork_hook() -> None:
    global _fork_hook_installed
    if not _fork_hook_installed and sys.platform.startswith("linux"):
        os.register_at_fork(after_in_child=_die_with_parent)
        _fork_hook_installed = True


def _rebuild(index_dir: Path, files: list[Path], taxonomy: Taxonomy, progress,
             procs: int) -> IndexSummary:
    """A fresh index in `<index>.new`, swapped in when complete. With several processes, each
    indexes a contiguous share of the files into its own segments (indexer/store/parallel.py), so the
    documents come in the same order as from one process."""
    fresh = index_dir.with_name(index_dir.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    ix = whoosh_index.create_in(str(fresh), build_schema(), indexname=INDEX_NAME)
    index_files = functools.partial(_index_files, taxonomy=taxonomy)
    procs = min(procs, len(files)) or 1  # no worker without a letter to read
    try:
        if procs > 1:
            _install_fork_hook()
        shares = parallel.split_by_size(files, procs) if procs > 1 else [files]
        summary = IndexSummary(rebuilt=True)
        for part in parallel.build_segments(ix, shares, index_files, progress, limitmb=SEGMENT_MB):
            summary.added += part.added
            summary.skipped += part.skipped
            summary.notes += part.notes
            summary.letters += part.letters
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    (fresh / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    swap_in(fresh, index_dir)
    return summary


def _index_files(writer: IndexWriter, files: Sequence[Path], progress: Progress | None,
                 taxonomy: Taxonomy) -> IndexSummary:
    """Read and index `files` with `writer` (in a worker process, or in this one)."""
    summary = IndexSummary()
    for letter, stamp in _read_all(files, summary, progress):
        if letter.paragraphs:  # a letter without paragraphs has no documents (_read_all notes it)
            _add_letter(writer, letter, taxonomy, stamp)
            summary.added.append(letter.id)
            summary.letters += 1
    return summary


def _update(index_dir: Path, corpus_dir: Path, names: list[str], taxonomy: Taxonomy,
            progress, procs: int, sidecars: frozenset[str] = frozenset()) -> IndexSummary:
    """Index what changed. The corpus is compared by file name and stamp (size, mtime; a
    sidecar's too, for the ids in `sidecars`) without making a Path of each of its files: with
    30k letters that was a fifth of `brieven add`. When most of it changed, rebuild instead
    (REBUILD_SHARE)."""
    summary = IndexSummary()
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        indexed = indexed_letters(searcher.reader())
    present = set()
    changed_files, unchanged_names = [], []
    folder = str(corpus_dir)
    for name in names:
        lid = letter_id_of_name(name)
        present.add(lid)
        try:
            stamp = _stamp(os.stat(os.path.join(folder, name)))
            if lid in sidecars:  # looked up only where the listing saw one
                stamp += _sidecar_stamp(folder, lid)
            # an untouched letter, or one touched but with the same content, and its sidecar untouched
            unchanged = lid in indexed and (indexed[lid][1] == stamp or (
                _sidecar_part(indexed[lid][1]) == _sidecar_part(stamp)
                and indexed[lid][0] == file_sha256(corpus_dir / name)))
        except OSError as error:
            summary.skipped.append((name, f"cannot be read ({error.strerror})"))
            continue
        except LetterError as error:  # replaced by a symbolic link since it was listed
            summary.skipped.append((name, str(error)))
            continue
        (unchanged_names if unchanged else changed_files).append(name if unchanged else corpus_dir / name)
    if len(changed_files) >= max(REBUILD_AT_LEAST, REBUILD_SHARE * len(names)):
        return _rebuild_instead(index_dir, corpus_dir, names, indexed, present, changed_files,
                                taxonomy, progress, procs)
    summary.unchanged = len(unchanged_names)
    if progress:
        for name in unchanged_names:
            progress(name, 0)
    writer = _writer(ix, index_dir)
    try:
        live = set(indexed)  # the letters in the index once this update is committed
        for letter, stamp in _read_all(changed_files, summary, progress):
            _put_letter(writer, letter, stamp, letter.id in indexed, summary, taxonomy)
            (live.add if letter.paragraphs else live.discard)(letter.id)
        # A letter whose file is gone, or now unreadable, leaves the index only when its file
        # is gone: an unreadable new version keeps the old one searchable.
        for lid in sorted(indexed.keys() - present):
            writer.delete_by_term("letter_id", lid)
            summary.removed.append(lid)
            live.discard(lid)
        # counted here rather than by reading the letter_file terms again after the commit
        summary.letters = len(live)
        writer.commit(mergetype=merging.no_merge)  # searchable now; merging may take longer
    except BaseException:
        writer.cancel()
        raise
    _merge_small_segments(ix, index_dir)
    return summary


def _update_files(index_dir: Path, corpus_dir: Path, names: Sequence[str], taxonomy: Taxonomy,
                  progress, gone: Sequence[str] = ()) -> IndexSummary:
    """Index these corpus files as new or changed letters, and remove the letters `gone`;
    nothing else is looked at."""
    summary = IndexSummary(letters=None)
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        indexed = {lid for lid in [*map(letter_id_of_name, names), *gone]
                   if searcher.document_number(letter_id=lid) is not None}
    writer = _writer(ix, index_dir)
    try:
        for letter, stamp in _read_all([corpus_dir / name for name in names], summary, progress):
            _put_letter(writer, letter, stamp, letter.id in indexed, summary, taxonomy)
        for lid in sorted(set(gone) & indexed):
            writer.delete_by_term("letter_id", lid)
            summary.removed.append(lid)
        writer.commit(mergetype=merging.no_merge)
    except BaseException:
        writer.cancel()
        raise
    _merge_small_segments(ix, index_dir)
    return summary


def _writer(ix, index_dir: Path) -> IndexWriter:
    try:
        return ix.writer(timeout=LOCK_TIMEOUT, compound=False)
    except LockError as error:  # only a writer outside brieven's own lock gets here
        raise IndexBusy(f"Iets anders schrijft in {index_dir}: probeer het later opnieuw.") from error


def _put_letter(writer: IndexWriter, letter: Letter, stamp: str, replaces: bool, summary: IndexSummary,
                taxonomy: Taxonomy) -> None:
    """Add a letter (in place of its indexed version, when `replaces`) and say so in the summary.
    A letter without paragraphs is not added (_read_all notes it): its indexed version, if any,
    is removed."""
    if replaces:
        writer.delete_by_term("letter_id", letter.id)
    if not letter.paragraphs:
        if replaces:
            summary.removed.append(letter.id)
        return
    (summary.changed if replaces else summary.added).append(letter.id)
    _add_letter(writer, letter, taxonomy, stamp)


def _merge_small_segments(ix, index_dir: Path) -> None:
    """A commit of its own that merges a full tier of small segments (indexer/store/merging.py).
    Interrupted, it leaves the index as the update committed it."""
    if not merging.segments_to_merge(ix._segments()):
        return
    writer = _writer(ix, index_dir)
    try:
        writer.commit(mergetype=merging.tiered)
    except BaseException:
        writer.cancel()
        raise


def _rebuild_instead(index_dir: Path, corpus_dir: Path, names: list[str], indexed: dict, present: set,
                     changed_files: list[Path], taxonomy: Taxonomy, progress, procs: int) -> IndexSummary:
    """An update in which most letters are new or changed, done as a rebuild; its summary
    still says what was new, changed and removed. (A changed letter that can no longer be read
    then leaves the index, as in any rebuild, where an update would keep its old version.)"""
    summary = _rebuild(index_dir, [corpus_dir / name for name in names], taxonomy, progress, procs)
    summary.rebuilt_because = f"{len(changed_files)} van {len(names)} brieven nieuw of gewijzigd"
    built = set(summary.added)
    todo = {letter_id_of_name(path.name) for path in changed_files}
    summary.added = sorted(lid for lid in todo & built if lid not in indexed)
    summary.changed = sorted(lid for lid in todo & built if lid in indexed)
    summary.removed = sorted((indexed.keys() - present) | (indexed.keys() & (todo - built)))
    summary.unchanged = len(built - todo)
    return summary


def _read_all(files: Iterable[Path], summary: IndexSummary, progress) -> Iterable[tuple[Letter, str]]:
    """Each readable letter with the stamp its file had before it was read (a file that
    changes while being read then looks changed next time, never unchanged)."""
    for path in files:
        paragraphs = 0
        try:
            stamp = file_stamp(path)
            letter = read_letter(path)
            paragraphs = len(letter.paragraphs)
            summary.notes.extend((path.name, note) for note in letter.notes)
            if not paragraphs:  # read again by every update: it has nothing in the index to compare with
                summary.notes.append((path.name, NO_PARAGRAPHS))
            yield letter, stamp
        except LetterError as error:
            summary.skipped.append((path.name, str(error)))
        except OSError as error:
            summary.skipped.append((path.name, f"cannot be read ({error.strerror})"))
        finally:
            if progress:
                progress(path.name, paragraphs)


def indexed_letters(reader) -> dict[str, tuple[str, str]]:
    """letter id -> (sha256, size:mtime stamp) of the file it was indexed from, read from the
    letter_file terms, segment by segment. A segment's terms outlive its deleted paragraphs
    until a merge, so in a segment with deletions each term's paragraph is checked."""
    letters: dict[str, tuple[str, str]] = {}
    for leaf, _ in reader.leaf_readers():
        deletions = leaf.has_deletions()
        for term in leaf.lexicon("letter_file"):
            if deletions and all(leaf.is_deleted(d) for d in leaf.postings("letter_file", term).all_ids()):
                continue
            lid, digest, stamp = term_text(term).rsplit("\t", 2)
            letters[lid] = (digest, stamp)
    return letters


@contextlib.contextmanager
def indexed_content(index_dir: Path) -> Iterator[Callable[[str], str | None] | None]:
    """A lookup from a file's sha256 to the id of an indexed letter with that content (None:
    no such letter), for `add_to_corpus`; None when there is no usable index."""
    if not usable(index_dir):
        yield None
        return
    with open_index(index_dir).searcher() as searcher:
        def letter_with(digest: str) -> str | None:
            found = searcher.document(letter_sha256=digest)
            return found["letter_id"] if found else None

        yield letter_with


def file_stamp(path: Path) -> str:
    """Size and modification time of a letter's file, and of its sidecar when it has one
    ("2048:1701...+96:1701..."): equal stamps mean untouched files, so no need to hash the
    letter. (An index made before sidecars counted has stamps without the part after "+": its
    letters with a sidecar are read again once.)"""
    return _stamp(path.stat()) + _sidecar_stamp(str(path.parent), letter_id_of_name(path.name))


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}"


def _sidecar_stamp(folder: str, lid: str) -> str:
    try:
        return "+" + _stamp(os.lstat(os.path.join(folder, lid + SIDECAR_SUFFIX)))
    except OSError:
        return ""


def _sidecar_part(stamp: str) -> str:
    return stamp.partition("+")[2]


def _add_letter(writer: IndexWriter, letter: Letter, taxonomy: Taxonomy, stamp: str) -> None:
    for doc in letter_documents(letter, taxonomy, stamp):
        writer.add_document(**doc)
