"""Reading a Whoosh index's postings and columns as arrays, without Whoosh's per-item calls.

Whoosh hands out postings one at a time through matchers, and column values one at a time
through column readers: at 100,000 paragraphs that is most of a search. Here a term's postings
are read a block at a time straight from Whoosh's block format into numpy arrays, kept in a
cache shared by every state of the index (a segment never changes once written), and fixed-width
columns (day numbers, field lengths) are read in one piece. This module reads Whoosh internals:
it holds only while Whoosh-Reloaded stays pinned at 2.7.5.
"""
from __future__ import annotations

import io
import pickle
import struct
import threading
import weakref
import zlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from indexer.store.blocks import PackedValues, block_arrays
from indexer.store.dense import DenseTerms, open_dense

POSTINGS_CACHE_BYTES = 96 * 2**20  # term postings kept across searches, all segments together
LEXICONS_KEPT = 1024  # segment-fields whose list of terms is kept (fields asked for whole: facets, names)
_BLOCK_LENGTH = struct.Struct("!i")
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass
class SegmentPostings:
    """One term in one segment: its paragraphs, frequencies and, when they were asked for (a
    field with positions, a word of a phrase), each posting's encoded positions."""

    docs: np.ndarray  # int32, ascending, segment-local
    freqs: np.ndarray  # float32
    # encoded positions, one per posting (None: not read), in one bytes object: a cached list
    # of bytes per posting was ~64 bytes a posting, and the garbage collector walked them all
    values: PackedValues | None = None

    @property
    def cost(self) -> int:
        """Bytes, roughly (measured: within 1.4x); an entry costs ~600 bytes even when empty
        (a word one segment lacks is remembered too)."""
        values = 16 * len(self.values) if self.values is not None else 0
        return 600 + 8 * len(self.docs) + values


class PostingsCache:
    """Term postings per segment, shared by every index state of a service: a segment never
    changes once written (deletions are applied at search time), so adding a letter leaves
    the cached postings of the other segments valid. Least recently used terms go first.

    Positions are kept only for the words they were asked for (the words of phrases and
    proximity): as Python objects they cost about 64 bytes a posting against 8 for the rest,
    so kept for every word of a field with positions they filled most of the cache. A term
    cached without them is read again, with them, the first time a phrase needs them."""

    def __init__(self, budget_bytes: int = POSTINGS_CACHE_BYTES):
        self.budget = budget_bytes
        self._items: OrderedDict[tuple, SegmentPostings] = OrderedDict()
        self._lexicons: OrderedDict[tuple, frozenset[bytes]] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    def lexicon(self, leaf, field: str) -> frozenset[bytes]:
        """A segment's terms in a field, read once per segment: a new index state (after
        `brieven add`) merges these instead of every segment's term file again (0.46 s of
        0.66 for the names and acronyms at 1,000,000 paragraphs). Only the most recent
        LEXICONS_KEPT segment-fields are kept."""
        segment = leaf.segment()
        if segment is None:
            return frozenset(leaf.lexicon(field))
        key = (segment.segment_id(), field)
        with self._lock:
            found = self._lexicons.get(key)
            if found is not None:
                self._lexicons.move_to_end(key)
                return found
        found = frozenset(leaf.lexicon(field))
        with self._lock:
            self._lexicons[key] = found
            while len(self._lexicons) > LEXICONS_KEPT:
                self._lexicons.popitem(last=False)
        return found

    def get(self, leaf, field: str, btext: bytes, positions: bool = False) -> SegmentPostings:
        """The term's postings in this segment; with `positions`, their positions too (in a
        field that has them)."""
        positions = positions and leaf.schema[field].format.supports("positions")
        segment = leaf.segment()
        if segment is None:  # an empty index's reader: nothing to read or remember
            return _read_postings(leaf, field, btext, positions)
        key = (segment.segment_id(), field, btext)
        with self._lock:
            found = self._items.get(key)
            if found is not None and (found.values is not None or not positions):
                self._items.move_to_end(key)
                return found
        postings = _read_postings(leaf, field, btext, positions)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._used -= old.cost
                if old.values is not None:  # read meanwhile with positions: keep those
                    postings = old
            self._items[key] = postings
            self._used += postings.cost
            while self._used > self.budget and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._used -= dropped.cost
        return postings


def _read_postings(leaf, field: str, btext: bytes, values: bool) -> SegmentPostings:
    # Positions come in the same block as the ids: keeping them costs memory, so only where a
    # phrase will read them (`values`). A common word without them: from its plain arrays.
    if not values:
        arrays = _dense_terms(leaf)
        try:
            found = arrays.postings(field, btext) if arrays is not None else None
        except (OSError, ValueError):  # cut short, or a read error: the blocks hold the same
            arrays.pass_over()
            found = None
        if found is not None:
            return SegmentPostings(*found)
    terms = getattr(leaf, "_terms", None)
    try:  # one lookup, not a membership test and then another
        if not (hasattr(terms, "term_info") and hasattr(terms, "_postfile")):
            return _read_matcher(leaf, field, btext, values)
        info = terms.term_info(field, btext)
    except TermNotFound:
        return SegmentPostings(np.zeros(0, np.int32), np.zeros(0, np.float32),
                               PackedValues.join([]) if values else None)
    if info.is_inlined():  # a term with a posting or two keeps them in its term info
        ids, weights, vals = info.inlined_postings()
        return SegmentPostings(np.array(ids, np.int32), np.array(weights, np.float32),
                               PackedValues.join([vals]) if values else None)
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh 2.7.5 unpacks it as a 1-tuple
        length = length[0]
    return _read_blocks(terms._postfile.get(offset, length), values)


_DENSE_UNREAD = object()
_dense_lock = threading.Lock()
# Each segment's dense postings, opened once per process: every reader of the segment (the
# searchers a store keeps, one per request under way) shares them, and they close when the
# last reader holding them is dropped.
_dense_open: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _dense_terms(leaf) -> DenseTerms | None:
    """The segment's dense postings (indexer/store/dense.py), None without them. A file that
    cannot be opened or read is passed over: the blocks hold the same postings."""
    found = getattr(leaf, "_brieven_dense", _DENSE_UNREAD)
    if found is _DENSE_UNREAD:
        with _dense_lock:
            found = getattr(leaf, "_brieven_dense", _DENSE_UNREAD)
            if found is _DENSE_UNREAD:
                found = _open_dense_of(leaf)
                leaf._brieven_dense = found
    return found


def _open_dense_of(leaf) -> DenseTerms | None:
    storage = getattr(leaf, "_storage", None)
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    if segment is None or getattr(storage, "folder", None) is None:
        return None
    key = (str(storage.folder), segment.segment_id())
    found = _dense_open.get(key)
    if found is None:
        try:
            found = open_dense(storage, segment)
        except (OSError, ValueError):
            found = None
        if found is not None:
            _dense_open[key] = found
    return found


def _read_blocks(raw: bytes, values: bool) -> SegmentPostings:
    """A term's postings in a segment, read in one piece, block by block: a length (negative for
    the last block), the pickled block statistics, then the data tuple, compressed when it said
    so (as Whoosh's W3LeafMatcher reads them, without its seek and read per item). Blocks of
    arrays (indexer/store/blocks.py) become numpy arrays without a Python object per posting."""
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a W3 postings list")
    stream = io.BytesIO(raw)
    ids: list[np.ndarray] = []
    freqs: list[np.ndarray] = []
    vals: list | None = [] if values else None
    position, end = 4, len(raw)
    while position < end:
        size = abs(_BLOCK_LENGTH.unpack_from(raw, position)[0])
        stream.seek(position + 4)
        n, _, _, compression, _, _ = pickle.load(stream)
        data = raw[stream.tell():position + 4 + size]
        block = pickle.loads(zlib.decompress(data) if compression else data)
        block_ids, block_freqs = block_arrays(block, n)
        ids.append(block_ids)
        freqs.append(block_freqs)
        if vals is not None:
            vals.append(block[2] if block[2] is not None else (b"",) * n)
        position += 4 + size
    packed = PackedValues.join(vals) if vals is not None else None
    if not ids:
        return SegmentPostings(np.zeros(0, np.int32), np.zeros(0, np.float32), packed)
    return SegmentPostings(np.concatenate(ids).astype(np.int32), np.concatenate(freqs), packed)


def _read_matcher(leaf, field: str, btext: bytes, values: bool) -> SegmentPostings:
    """Any other reader's postings, one at a time through its matcher."""
    m = _all_postings(leaf, field, btext)
    ids: list = []
    freqs: list = []
    vals: list | None = [] if values else None
    while m.is_active():
        ids.append(m.id())
        freqs.append(m.weight())
        if vals is not None:
            vals.append(m.value())
        m.next()
    return SegmentPostings(np.array(ids, np.int32), np.array(freqs, np.float32),
                           PackedValues.join([vals]) if vals is not None else None)


def _all_postings(leaf, field: str, btext: bytes):
    """A matcher over every posting of the term, deleted paragraphs too: they are masked at
    search time, and Whoosh's statistics (idf) count them. `leaf.postings` would wrap it in a
    filter that has already skipped the leading deleted ones."""
    terms = getattr(leaf, "_terms", None)
    if terms is not None and hasattr(terms, "matcher"):
        return terms.matcher(field, btext, leaf.schema[field].format)
    m = leaf.postings(field, btext)
    if isinstance(m, FilterMatcher):
        raise NotImplementedError(f"cannot read the deleted postings of {type(leaf).__name__}")
    return m


def numeric_column(reader, field: str) -> np.ndarray:
    """A numeric column (e.g. each paragraph's day number) for all paragraphs, read raw from
    each segment's column file (Whoosh's reader would unpack and translate it one value at a
    time); the translation is applied to each distinct value once."""
    parts = []
    for leaf, _ in reader.leaf_readers():
        n = leaf.doc_count_all()
        values = np.zeros(n, np.int64)
        if leaf.has_column(field):
            column = leaf.column_reader(field)
            translate = getattr(column, "_translate", None)
            raw = _raw_column(column.raw_column() if translate else column, n)
            if raw is None:  # another kind of column: value by value
                values = np.fromiter(column, np.int64, count=n)
            else:
                values[:] = raw
                if translate:
                    distinct, where = np.unique(values, return_inverse=True)
                    values = np.array([translate(int(v)) for v in distinct], np.int64)[where]
        parts.append(values)
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def leaf_lengths(leaf, field: str) -> np.ndarray:
    n = leaf.doc_count_all()
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    except (AttributeError, ImportError):
        column = False
    if column is None:  # no paragraph of this segment has the field
        return np.zeros(n, np.float64)
    raw = _raw_column(column, n) if column is not False else None
    if raw is None:
        return np.array([leaf.doc_field_length(d, field, 1) for d in range(n)], np.float64)
    return _LENGTH_OF_BYTE[raw]


def _raw_column(column, n: int) -> np.ndarray | None:
    """A fixed-width Whoosh column (NumericColumn.Reader) for n documents, read in one piece
    (documents past its end get its default); None for any other kind of column."""
    try:
        dtype = np.dtype(">" + column._typecode)
        count = min(column._count, n)
        data = np.frombuffer(column._dbfile.get(column._basepos, count * dtype.itemsize), dtype)
        default = column._default
    except AttributeError:
        return None
    values = np.full(n, default, dtype.newbyteorder("="))
    values[:count] = data
    return values
