"""A block of postings as Whoosh's W3 format stores it, in a form numpy reads without unpickling
a Python object per posting.

A W3 postings file keeps, per block of up to 1024 postings, one pickled tuple: the paragraph
numbers (as differences, from 0 in each block), the weights (term frequencies) and the values
(each posting's encoded positions). Whoosh's own writer pickles tuples of Python ints and floats
and a bytes object per posting; at 1,000,000 paragraphs unpickling those (and inflating them) was
half of a search's CPU. Here the same tuple, not compressed as a whole, holds:
- the differences as an `array.array` (pickled, protocol 4, as its raw bytes: 2 bytes a posting);
- the weights as a `Deflated` array (zlib: mostly small whole numbers, 4 bytes become 0.3);
- the values as one `PackedValues` (one bytes object and where each value ends), deflated too
  and inflated only when they are read: a search reads positions only for phrases, and
  inflating every block's values was a fifth of a search at 1,000,000 paragraphs.
Whoosh's matchers read the tuple as before (arrays are sequences of ints or floats,
PackedValues a sequence of bytes), so Whoosh merges and searches these segments as its own;
`indexer/store/postings.py` turns them into numpy arrays with `np.frombuffer`. On the 1M
benchmark index the postings take 5-6 bytes a posting instead of 9.

Blocks Whoosh wrote itself (a merge during `brieven add`) keep its tuples: `block_arrays` reads both.
Unpickling a block imports `Deflated`, `PackedValues` and `_inflatable_values` from this
module by name: they must stay here.
"""
from __future__ import annotations

import zlib
from array import array
from itertools import accumulate
from pickle import dumps

import numpy as np

PROTOCOL = 4  # the first protocol that pickles an array.array as its bytes
_UINT16_LIMIT = 1 << 16


class Deflated:
    """An array kept compressed (zlib) in a block and inflated on first use: a sequence, as
    Whoosh's matcher reads the weights."""

    __slots__ = ("typecode", "deflated", "_items")

    def __init__(self, typecode: str, deflated: bytes) -> None:
        self.typecode = typecode
        self.deflated = deflated
        self._items: array | None = None

    @classmethod
    def of(cls, typecode: str, items) -> Deflated:
        return cls(typecode, zlib.compress(array(typecode, items).tobytes(), 1))

    def raw(self) -> bytes:
        return zlib.decompress(self.deflated)

    def _array(self) -> array:
        if self._items is None:
            self._items = array(self.typecode, self.raw())
        return self._items

    def __len__(self) -> int:
        return len(self._array())

    def __getitem__(self, i):
        return self._array()[i]

    def __iter__(self):
        return iter(self._array())

    def __reduce__(self):
        return Deflated, (self.typecode, self.deflated)


class PackedValues:
    """The values of a block's postings (bytes each) as one bytes object: a sequence of bytes,
    as Whoosh's matcher indexes it, that pickles as one deflated object rather than one per
    posting, and is inflated only when a value is asked for."""

    __slots__ = ("_data", "_ends", "_deflated", "_count")

    def __init__(self, data: bytes, ends) -> None:
        self._data = data
        self._ends = ends  # where each value ends in `data`: array("I") in a block, else numpy
        self._deflated: bytes | None = None
        self._count = len(ends) if ends is not None else 0

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._inflate()
        return self._data

    @property
    def ends(self):
        if self._ends is None:
            self._inflate()
        return self._ends

    def _inflate(self) -> None:
        raw = zlib.decompress(self._deflated)
        ends = array("I")
        ends.frombytes(raw[:4 * self._count])
        self._ends, self._data = ends, raw[4 * self._count:]

    @classmethod
    def pack(cls, values) -> PackedValues:
        return cls(b"".join(values), array("I", accumulate(map(len, values))))

    @classmethod
    def join(cls, parts: list) -> PackedValues:
        """The values of several blocks (PackedValues, or Whoosh's tuples of bytes) as one,
        with `ends` as a numpy array: a term's values kept without an object per posting."""
        data, ends, offset = [], [], 0
        for part in parts:
            if isinstance(part, PackedValues):
                part_ends = np.asarray(part.ends, np.int64)
                data.append(part.data)
            else:
                part = [value or b"" for value in part]  # None: a format without values
                part_ends = np.cumsum(np.fromiter(map(len, part), np.int64, count=len(part)))
                data.append(b"".join(part))
            ends.append(part_ends + offset)
            offset += len(data[-1])
        return cls(b"".join(data), np.concatenate(ends) if ends else np.zeros(0, np.int64))

    def take(self, where) -> list[bytes]:
        """The values at these indices (ascending or not), as bytes."""
        where = np.asarray(where, np.int64)
        ends = np.asarray(self.ends, np.int64)
        stops = ends[where]
        starts = np.where(where > 0, ends[where - 1], 0)
        data = self.data
        return [data[s:e] for s, e in zip(starts.tolist(), stops.tolist())]

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i: int) -> bytes:
        if i < 0:
            i += len(self.ends)
        start = self.ends[i - 1] if i > 0 else 0
        return self.data[start:self.ends[i]]

    def __iter__(self):
        data, start = self.data, 0
        for end in self.ends:
            yield data[start:end]
            start = end

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __reduce__(self):
        ends = array("I", self.ends)
        return _inflatable_values, (zlib.compress(ends.tobytes() + self.data, 1), len(ends))


def _inflatable_values(deflated: bytes, count: int) -> PackedValues:
    """PackedValues as unpickled from a block: still deflated."""
    values = PackedValues(None, None)
    values._deflated, values._count = deflated, count
    return values


def block_data(deltas, weights, values) -> bytes:
    """The pickled data tuple of a block, not to be compressed as a whole: `deltas` (ints),
    `weights` (None: all 1.0, a float: all the same, or floats, as Whoosh minifies them) and
    `values` (None for a format without values, bytes for a fixed-size format, else bytes per
    posting)."""
    ids = array("H" if max(deltas) < _UINT16_LIMIT else "I", deltas)
    if weights is not None and not isinstance(weights, float):
        weights = Deflated.of("f", weights)
    if values is not None and not isinstance(values, bytes):
        values = PackedValues.pack(values)
    return dumps((ids, weights, values), PROTOCOL)


def block_arrays(data: tuple, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A block's unpickled data tuple as (paragraph numbers within the segment, int64; weights,
    float32), whichever writer wrote it."""
    deltas, weights = data[0], data[1]
    if isinstance(deltas, array):
        ids = np.frombuffer(deltas, deltas.typecode).astype(np.int64)
    else:
        ids = np.array(deltas, np.int64)
    np.cumsum(ids, out=ids)
    if weights is None:
        freqs = np.ones(n, np.float32)
    elif isinstance(weights, float):
        freqs = np.full(n, weights, np.float32)
    elif isinstance(weights, Deflated):
        freqs = np.frombuffer(weights.raw(), np.float32)
    else:
        freqs = np.array(weights, np.float32)
    return ids, freqs
