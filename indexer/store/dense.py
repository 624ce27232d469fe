"""A segment's common words' postings as plain arrays, in a file beside Whoosh's own.

Nearly every search reads the postings of a few common words ("politie": 65,000 paragraphs at
1,000,000), and only their paragraphs and frequencies: BM25 needs no positions. From Whoosh's
format that is a block of up to 1,024 postings at a time, each unpickled, its weights inflated
and its numbers summed from differences (62 µs a word and segment of fewer than 1,024 postings,
on this 2-core machine, more for longer ones). From plain arrays it is one read and two
`np.frombuffer`: 12.5 µs. Over the 50 queries of the benchmark mix at 1,000,000 paragraphs,
reading postings took 4.1-5.0 instead of 6.8-8.1 ms of CPU a query, the whole search 22-27
instead of 29-32 (in-process, the same index with and without these files, alternating); over
HTTP, a fresh server's first-time p50 was 20.8-23.5 against 22.8-26.4 ms (four pairs).

So a bulk-built segment (indexer/store/segment_writer.py) also writes `<segment>.dns`: for each
term of a scored field with at least DENSE_FROM postings (the terms whose blocks hold arrays),
its paragraph numbers (int32) and weights (float32, as Whoosh keeps them), little-endian, one
after the other; then a pickled table (field, term bytes) -> (offset, postings); then the
table's offset. At 1,000,000 paragraphs that is 65,000 terms and 274 MB beside 1.4 GB; the eight
segments' tables take 49 ms to open and 14 MB of each server process, once: every reader of a
segment in a process shares them (indexer/store/postings.py).

The blocks stay as they are: Whoosh reads, merges and searches the segment as before, and
phrases read positions from them. A segment Whoosh wrote (a `brieven add`) has no such file and
is read from its blocks, as are the rare words. Whoosh's clean-up deletes the file with its
segment (its name is the segment's).
"""
from __future__ import annotations

import os
import pickle
import struct
import weakref
from array import array
from collections.abc import Sequence

import numpy as np

DENSE_FROM = 64  # postings: as BulkSegmentWriter's arrays_from
EXTENSION = ".dns"
_MAGIC = b"BRVDNS1\n"  # 8 bytes: the arrays after it stay aligned to 4
_TABLE_AT = struct.Struct("<Q")


class DenseWriter:
    """Writes one segment's dense postings file, term by term, then its table."""

    def __init__(self, file) -> None:
        self.file = file
        self.file.write(_MAGIC)
        self.offset = len(_MAGIC)
        self.table: dict[tuple[str, bytes], tuple[int, int]] = {}

    def add(self, field: str, btext: bytes, docs: Sequence[int], weights: Sequence[float]) -> None:
        """A term's postings (paragraph numbers ascending, weights as 32-bit floats)."""
        count = len(docs)
        self.file.write(array("i", docs).tobytes() if _LITTLE else _swapped("i", docs))
        self.file.write(array("f", weights).tobytes() if _LITTLE else _swapped("f", weights))
        self.table[(field, btext)] = (self.offset, count)
        self.offset += 8 * count

    def close(self) -> None:
        self.file.write(pickle.dumps(self.table, protocol=4))
        self.file.write(_TABLE_AT.pack(self.offset))
        self.file.close()


class DenseTerms:
    """A segment's dense postings: the table in memory, the arrays read from the open file
    (one os.pread a term, safe from several threads). The garbage collector closes the file."""

    def __init__(self, fd: int, table: dict[tuple[str, bytes], tuple[int, int]]) -> None:
        self.fd = fd
        self.table = table
        self._closer = weakref.finalize(self, os.close, fd)

    def pass_over(self) -> None:
        """Serve no term any more (the file could not be read): callers read the blocks. The
        file stays open until the object is dropped, so a read under way in another thread
        never meets a closed (or reused) descriptor."""
        self.table = {}

    def postings(self, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(paragraph numbers int32, weights float32) of the term, None if it is not here."""
        found = self.table.get((field, btext))
        if found is None:
            return None
        offset, count = found
        raw = os.pread(self.fd, 8 * count, offset)
        if len(raw) != 8 * count:
            raise ValueError(f"dense postings of {field}:{btext!r} cut short")
        return np.frombuffer(raw, "<i4", count), np.frombuffer(raw, "<f4", count, 4 * count)

    def close(self) -> None:
        """Close the file now (for an owner no other thread shares it with)."""
        self.table = {}
        self._closer()


def open_dense(storage, segment) -> DenseTerms | None:
    """The segment's dense postings, None when it has none (written by Whoosh, or not in a
    directory). A damaged file (its table unreadable, or naming bytes it does not hold) raises
    ValueError."""
    folder = getattr(storage, "folder", None)
    if folder is None or segment is None:
        return None
    try:
        fd = os.open(os.path.join(folder, segment.make_filename(EXTENSION)), os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        length = os.fstat(fd).st_size
        if length < len(_MAGIC) + _TABLE_AT.size or os.pread(fd, len(_MAGIC), 0) != _MAGIC:
            raise ValueError(f"{segment.make_filename(EXTENSION)} is not a dense postings file")
        (table_at,) = _TABLE_AT.unpack(os.pread(fd, _TABLE_AT.size, length - _TABLE_AT.size))
        try:
            table = pickle.loads(os.pread(fd, length - _TABLE_AT.size - table_at, table_at))
        except Exception as error:  # cut short or overwritten: whatever unpickling made of it
            raise ValueError(f"{segment.make_filename(EXTENSION)} is damaged: {error}") from None
        if not isinstance(table, dict) or not _within(table, table_at):
            raise ValueError(f"{segment.make_filename(EXTENSION)} is damaged: its table does not fit it")
    except BaseException:
        os.close(fd)
        raise
    return DenseTerms(fd, table)


def _within(table: dict, end: int) -> bool:
    """Does every entry name postings between the header and the table?"""
    for entry in table.values():
        if not (isinstance(entry, tuple) and len(entry) == 2):
            return False
        offset, count = entry
        if not (isinstance(offset, int) and isinstance(count, int)
                and len(_MAGIC) <= offset and 0 < count and offset + 8 * count <= end):
            return False
    return True


_LITTLE = np.little_endian


def _swapped(typecode: str, items) -> bytes:
    values = array(typecode, items)
    values.byteswap()
    return values.tobytes()
