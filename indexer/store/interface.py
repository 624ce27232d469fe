"""What the search service asks of an index: the interface a store implements.

The search service (indexer/searching/) never touches Whoosh's readers: it asks a Store for a
Snapshot, one unchanging state of the index, and reads from that postings (for scoring and
phrases), field lengths and columns (for BM25, date sorting and filters), vocabularies (prefix,
fuzzy and spelling) and stored fields (for the hits shown). The embedded Whoosh index
(indexer/store/snapshot.py) implements it; another engine implements the same methods and
nothing above it changes.

Documents are numbered 0..size-1 in one snapshot; deleted ones keep their numbers (and count in
term statistics, as Lucene's and Whoosh's do) and are masked out by `live`.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Postings:
    """One term's postings over the whole snapshot, deleted documents included."""

    docs: np.ndarray  # int64 document numbers, ascending
    freqs: np.ndarray  # float32 term frequencies (the weight BM25 reads)


@dataclass(frozen=True)
class TermPositions:
    """One term's positions in several documents, flat: the first `counts[0]` values are the
    positions (ascending) in the first document, and so on."""

    counts: np.ndarray  # int64, positions per document
    values: np.ndarray  # int64

    def lists(self) -> list[list[int]]:
        ends = np.cumsum(self.counts).tolist()
        flat = self.values.tolist()
        return [flat[a:b] for a, b in zip([0] + ends[:-1], ends)]

    def rows(self) -> np.ndarray:
        """For each position, the number (0, 1, ...) of its document among these."""
        return np.repeat(np.arange(len(self.counts)), self.counts)


class Snapshot(Protocol):
    """One state of an index, read consistently: its content never changes while it is held."""

    key: Hashable  # equal keys: equal content (postings, deletions, stored fields)
    size: int  # document numbers run from 0 to size - 1
    live: np.ndarray  # bool per document number: False for a deleted document
    doc_count: int  # live documents

    # -- postings and term statistics ------------------------------------------------------
    def postings(self, field: str, term: str, positions: bool = False) -> Postings:
        """The term's postings; `positions`: its positions will be asked for too (a word of
        a phrase), so read them now, in the same pass."""

    def positions(self, field: str, term: str, docs: np.ndarray) -> TermPositions:
        """The term's positions in each of `docs` (documents that have the term)."""

    def has_positions(self, field: str) -> bool: ...

    def scorable(self, field: str) -> bool:
        """Does the field keep lengths (and so take part in BM25)?"""

    def field_lengths(self, field: str) -> np.ndarray:
        """Each document's length in the field, float64, as the index keeps it."""

    def total_length(self, field: str) -> int: ...

    def doc_frequency(self, field: str, term: str) -> int: ...

    # -- vocabulary ------------------------------------------------------------------------
    def terms(self, field: str) -> Iterator[str]:
        """Every term of the field, in order (terms of deleted documents may remain)."""

    def term_count(self, field: str) -> int:
        """How many distinct terms the live documents have in the field (exact, unlike
        counting `terms`)."""

    def terms_starting(self, field: str, prefix: str) -> Iterable[str]: ...

    def frequencies_starting(self, field: str, prefix: str) -> dict[str, int]:
        """term -> number of documents, for the terms that start with `prefix`."""

    def spelling(self, field: str, word: str, maxdist: int, prefix: int) -> str | None:
        """The indexed word closest to `word` (most documents first), or None."""

    # -- stored data and columns -----------------------------------------------------------
    def stored(self, docnum: int) -> dict: ...

    def open_stored(self) -> None:
        """Get ready to read any document's stored fields (a server does this before its first
        request, which would otherwise wait for it)."""

    def open_lengths(self) -> None:
        """Read every scorable field's lengths now (as open_stored: before a server's first
        request; the first search in a field would read them)."""

    def open_columns(self) -> None:
        """Open the columns a search sorted by date reads (as open_stored: before a server's
        first request)."""

    def documents(self, field: str, value: str) -> list[int]:
        """The live documents whose identifier field has this value, in order."""

    def column(self, field: str) -> Sequence:
        """A column's value per document number (read lazily)."""

    def numeric_column(self, field: str) -> np.ndarray:
        """A numeric column for every document at once (0 where a document has none)."""


class Store(Protocol):
    """An index the search service can read: snapshots of its current state."""

    location: str  # for messages and `brieven stats`

    def snapshot(self) -> AbstractContextManager[Snapshot]: ...

    def size_bytes(self) -> int: ...

    def last_change(self) -> datetime | None:
        """When the index last changed (UTC), or None without an index."""

    def keep_resident(self, notice: Callable[[str], None] | None = None) -> Callable[[], None]:
        """Keep the index's files in memory while a server runs (indexer/store/resident.py);
        returns what stops it; `notice` is told when it cannot. A server calls it once, in one
        process."""

    def close(self) -> None: ...
