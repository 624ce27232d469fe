"""The embedded Whoosh index as a Store: snapshots that the search service reads.

A snapshot is a Whoosh searcher from a pool of idle ones: opening a searcher costs tens of
milliseconds at 100k paragraphs, checking that an idle one is still current almost nothing. One
searcher serves one call at a time (Whoosh searchers are not shared between threads). Whoosh's
own `refresh()` is not used: it reuses segment readers with stale deletions. A rebuild replaces
the directory, so the index is reopened too.

What is costly to derive and the same for every snapshot of one state (the live documents,
field lengths, numeric columns) is worked out once per state; term postings are cached per
segment (indexer/store/postings.py), so a new letter's segment leaves the others' entries valid.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.reading import TermNotFound

from indexer.store.documents import term_text
from indexer.store.interface import Postings, TermPositions
from indexer.store.directory import open_index
from indexer.store.positions import decode_many
from indexer.store.resident import Resident
from indexer.store.postings import POSTINGS_CACHE_BYTES, PostingsCache, leaf_lengths, numeric_column

SWAP_WAIT = 1.0  # seconds a reader waits for the index directory a rebuild is swapping in
_NO_DOCS = np.zeros(0, np.int64)
_NO_FREQS = np.zeros(0, np.float32)


class WhooshStore:
    """The index in a directory, read through a pool of searchers. Share one store; it is safe
    across threads and sees a re-indexed corpus on the next snapshot."""

    def __init__(self, index_dir: Path, postings_budget: int = POSTINGS_CACHE_BYTES):
        self.index_dir = Path(index_dir)
        self.location = str(index_dir)
        self._ix = None
        self._ix_inode: int | None = None
        self._lock = threading.Lock()
        # (index state, searcher, its column readers) not in use
        self._idle: list[tuple[tuple, object, dict]] = []
        self._postings = PostingsCache(postings_budget)
        self._state: _StateData | None = None
        weakref.finalize(self, _close_all, self._idle, self._lock)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[WhooshSnapshot]:
        index, state = self._current_index()
        searcher = None
        columns: dict = {}
        with self._lock:
            while self._idle and searcher is None:
                idle_state, idle, idle_columns = self._idle.pop()
                if idle_state == state:
                    searcher, columns = idle, idle_columns
                else:
                    idle.close()
        if searcher is None:
            searcher = index.searcher()
        try:
            reader = searcher.reader()
            key = _reader_key(reader)
            data = self._state  # read once: another thread may replace it meanwhile
            if data is None or data.key != key:
                data = self._state = _StateData(key, reader)
            yield WhooshSnapshot(searcher, data, self._postings, columns)
        finally:
            with self._lock:
                self._idle.append((state, searcher, columns))

    def _current_index(self):
        inode = _inode(self.index_dir)
        waited_until = time.monotonic() + SWAP_WAIT
        # Between the two renames of a swap (indexer/store/directory.py) there is no index
        # directory for an instant: a store that had an index waits for the new one.
        while inode is None and self._ix is not None and time.monotonic() < waited_until:
            time.sleep(0.005)
            inode = _inode(self.index_dir)
        with self._lock:
            if self._ix is None or self._ix_inode != inode:
                self._ix, self._ix_inode = open_index(self.index_dir), inode
            index = self._ix
        return index, (inode, _generation(index))

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.index_dir.iterdir() if p.is_file())

    def keep_resident(self, notice: Callable[[str], None] | None = None) -> Callable[[], None]:
        return Resident(self.index_dir, notice=notice).start().stop

    def last_change(self) -> datetime | None:
        """The time of the newest file in the index directory: every commit writes one (its
        table of contents), a rebuild writes them all."""
        try:
            newest = max((p.stat().st_mtime for p in self.index_dir.iterdir() if p.is_file()), default=None)
        except OSError:  # no index, or a rebuild swapping it in this instant
            return None
        return None if newest is None else datetime.fromtimestamp(newest, timezone.utc)

    def close(self) -> None:
        """Close the idle searchers (and with them their files)."""
        _close_all(self._idle, self._lock)


class _StateData:
    """What every snapshot of one index state shares, derived once: live documents, field
    lengths, numeric columns."""

    def __init__(self, key: tuple, reader):
        self.key = key
        self.size = reader.doc_count_all()
        self.live = np.ones(self.size, bool)
        for leaf, base in reader.leaf_readers():
            if leaf.has_deletions():
                self.live[np.fromiter(leaf.deleted_docs_set, np.int64) + base] = False
        self.lengths: dict[str, np.ndarray] = {}
        self.columns: dict[str, np.ndarray] = {}
        self.lock = threading.Lock()


class WhooshSnapshot:
    """One state of the Whoosh index (the Snapshot interface of indexer/store/interface.py)."""

    def __init__(self, searcher, data: _StateData, postings: PostingsCache, columns: dict | None = None):
        self.searcher = searcher
        # column readers of this searcher, kept with it between snapshots: opening one reads
        # the offsets of every paragraph (some 5 ms a search sorted by date at 300k)
        self._columns = {} if columns is None else columns
        self.reader = searcher.reader()
        self.schema = self.reader.schema
        self.leaves = list(self.reader.leaf_readers())
        self.key = data.key
        self.size = data.size
        self.live = data.live
        self._data = data
        self._cache = postings

    @property
    def doc_count(self) -> int:
        return self.searcher.doc_count()

    # -- postings --------------------------------------------------------------------------
    def _btext(self, field: str, term: str) -> bytes | None:
        if field not in self.schema:
            return None
        try:
            return self.schema[field].to_bytes(term)
        except ValueError:
            return None

    def postings(self, field: str, term: str, positions: bool = False) -> Postings:
        btext = self._btext(field, term)
        if btext is None or not self.leaves:
            return Postings(_NO_DOCS, _NO_FREQS)
        docs, freqs = [], []
        for leaf, base in self.leaves:
            p = self._cache.get(leaf, field, btext, positions)
            docs.append(p.docs.astype(np.int64) + base)
            freqs.append(p.freqs)
        return Postings(np.concatenate(docs), np.concatenate(freqs))

    def positions(self, field: str, term: str, docs: np.ndarray) -> TermPositions:
        """The term's positions in each of `docs` (ascending, each with the term): only these
        postings are looked up, segment by segment, however many the term has, and decoded
        together (indexer/store/positions.py)."""
        btext = self._btext(field, term)
        if btext is None or not self.has_positions(field):
            raise ValueError(f"{field!r} has no positions: no phrases or proximity in it")
        decode = self.schema[field].format.decode_positions
        bases = np.array([base for _, base in self.leaves] + [self.size], np.int64)
        bounds = np.searchsorted(docs, bases)
        values: list[bytes] = []
        for (leaf, base), begin, end in zip(self.leaves, bounds[:-1], bounds[1:]):
            if begin == end:
                continue
            p = self._cache.get(leaf, field, btext, positions=True)
            where = np.searchsorted(p.docs, docs[begin:end] - base).tolist()
            values.extend(p.values.take(where))
        return decode_many(values, decode)

    def has_positions(self, field: str) -> bool:
        return field in self.schema and bool(self.schema[field].format) \
            and self.schema[field].format.supports("positions")

    def scorable(self, field: str) -> bool:
        return field in self.schema and bool(self.schema[field].scorable)

    def field_lengths(self, field: str) -> np.ndarray:
        data = self._data
        with data.lock:
            found = data.lengths.get(field)
        if found is None:
            parts = [leaf_lengths(leaf, field) for leaf, _ in self.leaves]
            found = np.concatenate(parts) if parts else np.zeros(0)
            with data.lock:
                data.lengths[field] = found
        return found

    def total_length(self, field: str) -> int:
        return self.reader.field_length(field)

    def doc_frequency(self, field: str, term: str) -> int:
        try:
            return self.reader.doc_frequency(field, term)
        except (TermNotFound, KeyError, ValueError):
            return 0

    # -- vocabulary ------------------------------------------------------------------------
    def terms(self, field: str) -> Iterator[str]:
        if field not in self.schema:
            return iter(())
        if len(self.leaves) < 2:
            return (term_text(t) for t in self.reader.lexicon(field))
        # as Whoosh's merged lexicon (sorted, each term once), from each segment's cached terms
        merged = frozenset().union(*(self._cache.lexicon(leaf, field) for leaf, _ in self.leaves))
        return (term_text(t) for t in sorted(merged))

    def term_count(self, field: str) -> int:
        """Segment by segment: in one without deletions every term counts; in one with, only
        the terms of its deleted documents (found by analysing their stored value again, when
        the field is stored) are checked for a live posting, so a few removed letters cost
        little however large the segment."""
        if field not in self.schema:
            return 0
        stored = self.schema[field].stored
        seen: set[bytes] = set()
        for leaf, _ in self.leaves:
            if not leaf.has_deletions():
                seen.update(leaf.lexicon(field))
                continue
            deleted = leaf.deleted_docs_set
            if stored:
                doubtful = {posting[0] for d in deleted
                            for posting in self.schema[field].index(leaf.stored_fields(d).get(field) or "")}
            else:
                doubtful = set(leaf.lexicon(field))
            for term in leaf.lexicon(field):
                if term in seen:
                    continue
                if term not in doubtful or any(d not in deleted for d in leaf.postings(field, term).all_ids()):
                    seen.add(term)
        return len(seen)

    def terms_starting(self, field: str, prefix: str) -> set[str]:
        """Segment by segment: Whoosh's merged word list costs more than the words themselves."""
        found: set[str] = set()
        for leaf, _ in self.leaves:
            found.update(term_text(t) for t in leaf.expand_prefix(field, prefix))
        return found

    def frequencies_starting(self, field: str, prefix: str) -> dict[str, int]:
        """In one pass over each segment's words with the prefix, which come with their counts."""
        frequency: dict[str, int] = {}
        for leaf, _ in self.leaves:
            for t, info in leaf.iter_prefix(field, prefix):
                word = term_text(t)
                frequency[word] = frequency.get(word, 0) + info.doc_frequency()
        return frequency

    def spelling(self, field: str, word: str, maxdist: int, prefix: int) -> str | None:
        options = self.searcher.corrector(field).suggest(word, limit=1, maxdist=maxdist, prefix=prefix)
        return options[0] if options else None

    # -- stored data and columns -----------------------------------------------------------
    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(docnum)

    def open_stored(self) -> None:
        # the first stored document read in a segment reads where each of its documents' fields
        # are (~6 ms a segment of 60,000 paragraphs); the searcher keeps that
        for leaf, base in self.leaves:
            if leaf.doc_count_all():
                self.stored(base)

    def open_lengths(self) -> None:
        # a field's lengths are read on its first search: at 1,000,000 paragraphs ~9 ms a field
        for name, field in self.schema.items():
            if field.scorable:
                self.field_lengths(name)

    def open_columns(self) -> None:
        # sorting by date looks up the letter and number of the paragraphs that tie: opening
        # the letter_id column reads where each paragraph's value is (34 ms at 1,000,000
        # paragraphs), which the first search sorted by date paid; the searcher keeps it
        for field in ("letter_id", "paragraph"):
            if field in self.schema:
                self.column(field)

    def documents(self, field: str, value: str) -> list[int]:
        return sorted(self.searcher.docs_for_query(wq.Term(field, value)))

    def column(self, field: str) -> Sequence:
        found = self._columns.get(field)
        if found is None:
            found = self._columns[field] = self.reader.column_reader(field)
        return found

    def numeric_column(self, field: str) -> np.ndarray:
        data = self._data
        with data.lock:
            found = data.columns.get(field)
        if found is None:
            if field in self.schema:
                found = numeric_column(self.reader, field)
            else:
                found = np.zeros(self.size, np.int64)
            with data.lock:
                data.columns[field] = found
        return found


def _close_all(idle: list, lock: threading.Lock) -> None:
    with lock:
        while idle:
            idle.pop()[1].close()


def _generation(ix) -> int | None:
    try:
        return ix.latest_generation() if ix is not None else None
    except OSError:
        return None


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _reader_key(reader) -> tuple:
    """Identifies what a reader sees: its segments (random ids, new after any rebuild) and
    their deletions. Equal keys mean equal postings."""
    return tuple(
        (leaf.segment().segment_id(), leaf.segment().deleted_count())
        for leaf, _ in reader.leaf_readers() if leaf.segment() is not None  # None: empty index
    )
