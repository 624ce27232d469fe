"""The Whoosh index on disk: build it, bring it up to date with the corpus, open it.

The index is a cache of the corpus: it can always be rebuilt from the letters. A rebuild goes
into a fresh directory that replaces the old one only when it is complete, and an update
compares letters by content hash, so unchanged letters are not touched.

Whoosh stores pickled Python objects: never open an index directory from an untrusted source.
"""
from __future__ import annotations

import contextlib
import functools
import ctypes
import ctypes.util
import fcntl
import json
import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

import indexer.store.whoosh_patches  # noqa: F401  (measured fixes, see the module)
from indexer.store import parallel
from indexer.reading import letter_names
from indexer.reading import Kind, Letter, LetterError, file_sha256, letter_id_of_name, read_letter
from indexer.store.schema import SCHEMA_VERSION, build_schema
from indexer.analysis.topics import Taxonomy, load_taxonomy

INDEX_NAME = "MAIN"
VERSION_FILE = "brieven-index.json"
LOCK_TIMEOUT = 30.0  # seconds to wait for another indexer before giving up
# A parallel rebuild forks worker processes: safe only in a process without other threads
# (a fork copies locks that another thread may hold), so only `brieven index` asks for it.
PARALLEL_PROCS = max(1, min(2, os.cpu_count() or 1))
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# A rebuild's writing process starts a new segment when Whoosh's posting pool holds about this
# much (indexer/parallel.py): at 100k paragraphs, two segments per worker, ~670 MB resident each.
SEGMENT_MB = 400


class IndexMissing(Exception):
    """No usable index at the configured path."""


class IndexBusy(Exception):
    """Another indexer holds the write lock."""


@dataclass
class IndexSummary:
    added: list[str] = field(default_factory=list)  # letter ids
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    letters: int = 0  # in the index afterwards
    paragraphs: int = 0  # in the index afterwards
    seconds: float = 0.0
    rebuilt: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file name, what was odd)


Progress = Callable[[str], None]  # called with a file name after each letter is handled


def open_index(index_dir: Path):
    """The index at `index_dir`, or IndexMissing with the command that makes one. Readers
    never change the index directory: finishing an interrupted rebuild is the indexer's job."""
    version = _read_version(index_dir)
    if version is None:
        raise IndexMissing(f"No index at {index_dir}: run `brieven index` first.")
    if version != SCHEMA_VERSION:
        # checked before Whoosh unpickles the schema, which may name classes that are gone
        raise IndexMissing(
            f"The index at {index_dir} was built by another version of brieven "
            f"(schema {version}, this one reads {SCHEMA_VERSION}): run `brieven index --rebuild`."
        )
    try:
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    except Exception as error:  # a damaged TOC or schema: Whoosh raises many kinds
        raise IndexMissing(
            f"The index at {index_dir} cannot be opened ({error}): run `brieven index --rebuild`."
        ) from error


def _usable(index_dir: Path) -> bool:
    try:
        open_index(index_dir)
        return True
    except IndexMissing:
        return False


def update_index(
    index_dir: Path,
    corpus_dir: Path,
    rebuild: bool = False,
    progress: Progress | None = None,
    taxonomy: Taxonomy | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
    parallel: bool = False,
) -> IndexSummary:
    """Bring the index in line with the corpus: add new letters, replace changed ones, delete
    removed ones. With `rebuild`, or when there is no usable index, build a fresh one."""
    started = time.perf_counter()
    taxonomy = taxonomy or load_taxonomy()
    names = letter_names(corpus_dir)
    with index_lock(index_dir, lock_timeout):
        _recover(index_dir)
        if rebuild or not _usable(index_dir):
            summary = _rebuild(index_dir, [corpus_dir / name for name in names], taxonomy, progress,
                               PARALLEL_PROCS if parallel else 1)
        else:
            summary = _update(index_dir, corpus_dir, names, taxonomy, progress)
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        summary.paragraphs = searcher.doc_count()
    summary.seconds = time.perf_counter() - started
    return summary


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
    indexes a contiguous share of the files into its own segments (indexer/parallel.py), so the
    documents come in the same order as from one process."""
    fresh = index_dir.with_name(index_dir.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    ix = whoosh_index.create_in(str(fresh), build_schema(), indexname=INDEX_NAME)
    index_files = functools.partial(_index_files, taxonomy=taxonomy)
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
    _swap_in(fresh, index_dir)
    return summary


def _index_files(writer: IndexWriter, files: Sequence[Path], progress: Progress | None,
                 taxonomy: Taxonomy) -> IndexSummary:
    """Read and index `files` with `writer` (in a worker process, or in this one)."""
    summary = IndexSummary()
    for letter, stamp in _read_all(files, summary, progress):
        _add_letter(writer, letter, taxonomy, stamp)
        summary.added.append(letter.id)
        summary.letters += bool(letter.paragraphs)  # a letter without paragraphs has no documents
    return summary


def _update(index_dir: Path, corpus_dir: Path, names: list[str], taxonomy: Taxonomy,
            progress) -> IndexSummary:
    """Index what changed. The corpus is compared by file name and stamp (size, mtime) without
    making a Path of each of its files: with 30k letters that was a fifth of `brieven add`."""
    summary = IndexSummary()
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    try:
        writer = ix.writer(timeout=LOCK_TIMEOUT, compound=False)
    except LockError as error:  # only a writer outside brieven's own lock gets here
        raise IndexBusy(f"Something else is writing to {index_dir}: try again later.") from error
    try:
        with ix.searcher() as searcher:
            indexed = indexed_letters(searcher.reader())
        live = set(indexed)  # the letters in the index once this update is committed
        present = set()
        changed_files = []
        folder = str(corpus_dir)
        for name in names:
            lid = letter_id_of_name(name)
            present.add(lid)
            try:
                stamp = _stamp(os.stat(os.path.join(folder, name)))
                unchanged = lid in indexed and (
                    indexed[lid][1] == stamp or indexed[lid][0] == file_sha256(corpus_dir / name))
            except OSError as error:
                summary.skipped.append((name, f"cannot be read ({error.strerror})"))
                continue
            if unchanged:
                summary.unchanged += 1
                if progress:
                    progress(name)
            else:
                changed_files.append(corpus_dir / name)
        for letter, stamp in _read_all(changed_files, summary, progress):
            if letter.id in indexed:
                writer.delete_by_term("letter_id", letter.id)
                summary.changed.append(letter.id)
            else:
                summary.added.append(letter.id)
            _add_letter(writer, letter, taxonomy, stamp)
            (live.add if letter.paragraphs else live.discard)(letter.id)
        # A letter whose file is gone, or now unreadable, leaves the index only when its file
        # is gone: an unreadable new version keeps the old one searchable.
        for lid in sorted(indexed.keys() - present):
            writer.delete_by_term("letter_id", lid)
            summary.removed.append(lid)
            live.discard(lid)
        # counted here rather than by reading the letter_file terms again after the commit
        summary.letters = len(live)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return summary


def _read_all(files: Iterable[Path], summary: IndexSummary, progress) -> Iterable[tuple[Letter, str]]:
    """Each readable letter with the stamp its file had before it was read (a file that
    changes while being read then looks changed next time, never unchanged)."""
    for path in files:
        try:
            stamp = file_stamp(path)
            letter = read_letter(path)
            summary.notes.extend((path.name, note) for note in letter.notes)
            yield letter, stamp
        except LetterError as error:
            summary.skipped.append((path.name, str(error)))
        except OSError as error:
            summary.skipped.append((path.name, f"cannot be read ({error.strerror})"))
        finally:
            if progress:
                progress(path.name)


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


def term_text(term) -> str:
    """A term from a Whoosh lexicon as text (Whoosh hands out bytes or str)."""
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def file_stamp(path: Path) -> str:
    """Size and modification time: equal stamps mean an untouched file, so no need to hash it."""
    return _stamp(path.stat())


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}"


def letter_documents(letter: Letter, taxonomy: Taxonomy, stamp: str = "") -> Iterator[dict]:
    """The Whoosh documents of a letter: one per paragraph, with the letter's metadata. One at a
    time, so that a paragraph is indexed right after its topics were assigned, while its
    analysis is still in `term_positions`' small cache."""
    meta = json.dumps(
        {
            "source": letter.source,
            "signatories": [{"role": s.role, "name": s.name} for s in letter.signatories],
            "kamerstukken": letter.kamerstukken,
        },
        ensure_ascii=False,
    )
    for p in letter.paragraphs:
        doc = {
            "doc_id": f"{letter.id}#{p.number}",
            "letter_id": letter.id,
            "paragraph": p.number,
            "kind": p.kind.value,
            "text": p.text,
            "title": letter.title,
            "topics": ",".join(taxonomy.assign(p.text, p.section)),
            "date_inferred": letter.date_inferred,
            "day": letter.date.toordinal() if letter.date else 0,
            "letter_meta": meta,
        }
        if p.number == 1:
            doc["letter_file"] = f"{letter.id}\t{letter.sha256}\t{stamp}"
            # The letter's vocabulary for spelling suggestions, once per letter rather than per
            # paragraph (a fifth fewer postings): the suggester ranks a word by the number of
            # letters that have it, and needs to know whether the index has it at all, not
            # which paragraph has it.
            doc["words"] = "\n".join(q.text for q in letter.paragraphs)
        if p.number == 1 and letter.abbreviations:
            doc["abbreviations"] = ",".join(encode_abbreviation(a, long) for a, long in letter.abbreviations)
        if p.section:
            doc["section_label"] = p.section
            if p.kind is Kind.BODY:
                doc["section"] = p.section
        if letter.date is not None:
            doc["date"] = datetime(letter.date.year, letter.date.month, letter.date.day)
            doc["year"] = str(letter.date.year)
        yield doc


def encode_abbreviation(abbr: str, long: str) -> str:
    """One term of the abbreviations field; commas would split it, so they become spaces."""
    return f"{abbr}\t{long}".replace(",", " ")


def decode_abbreviation(term: str) -> tuple[str, str]:
    abbr, _, long = term.partition("\t")
    return abbr, long


def _add_letter(writer: IndexWriter, letter: Letter, taxonomy: Taxonomy, stamp: str) -> None:
    for doc in letter_documents(letter, taxonomy, stamp):
        writer.add_document(**doc)


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
                        f"Another `brieven` process (index, add or watch) is updating {index_dir}; "
                        f"waited {timeout:.0f} s. Try again when it has finished."
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


def _read_version(index_dir: Path) -> int | None:
    try:
        return json.loads((index_dir / VERSION_FILE).read_text())["schema_version"]
    except (OSError, ValueError, KeyError):
        return None


def _swap_in(fresh: Path, index_dir: Path) -> None:
    """Replace `index_dir` by `fresh`. The two renames leave at most an instant without an
    index, and `_recover` finishes the job if the process dies in between."""
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        os.rename(index_dir, old)
    os.rename(fresh, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def _recover(index_dir: Path) -> None:
    """Finish a swap that a crash interrupted: a complete fresh index waits beside no index."""
    fresh = index_dir.with_name(index_dir.name + ".new")
    if not index_dir.exists() and (fresh / VERSION_FILE).exists():
        os.rename(fresh, index_dir)
