"""A block of postings as Whoosh's W3 format stores it, in a form numpy reads without unpickling
a Python object per posting.

A W3 postings file keeps, per block of up to 1024 postings, one pickled tuple: the paragraph
numbers (as differences, from 0 in each block), the weights (term frequencies) and the values
(each posting's encoded positions). Whoosh's own writer pickles tuples of Python ints and floats
and a bytes object per posting; at 1,000,000 paragraphs unpickling those (and inflating them) was
half of a search's CPU. Here the same tuple holds `array.array`s, which pickle (protocol 4) as
their raw bytes, and the values as one `PackedValues` (one bytes object and where each value
ends). Whoosh's matchers read the tuple as before (an array is a sequence of ints or floats,
PackedValues a sequence of bytes), so Whoosh merges and searches these segments as its own;
`indexer/store/postings.py` turns them into numpy arrays with `np.frombuffer`.

Blocks Whoosh wrote itself (a merge during `brieven add`) keep its tuples: `arrays` reads both.
Unpickling a block imports `PackedValues` from this module by name: it must stay here.
"""
from __future__ import annotations

from array import array
from itertools import accumulate
from pickle import dumps

import numpy as np

PROTOCOL = 4  # the first protocol that pickles an array.array as its bytes
_UINT16_LIMIT = 1 << 16


class PackedValues:
    """The values of a block's postings (bytes each) as one bytes object: a sequence of bytes,
    as Whoosh's matcher indexes it, that pickles as two objects rather than one per posting."""

    __slots__ = ("data", "ends")

    def __init__(self, data: bytes, ends) -> None:
        self.data = data
        self.ends = ends  # where each value ends in `data`: array("I") in a block, else numpy

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
        return len(self.ends)

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
        return PackedValues, (self.data, self.ends)


def block_data(deltas, weights, values) -> bytes:
    """The pickled data tuple of a block: `deltas` (ints), `weights` (None: all 1.0, a float:
    all the same, or floats, as Whoosh minifies them) and `values` (None for a format without
    values, else bytes per posting)."""
    ids = array("H" if max(deltas) < _UINT16_LIMIT else "I", deltas)
    if weights is not None and not isinstance(weights, float):
        weights = array("f", weights)
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
    elif isinstance(weights, array):
        freqs = np.frombuffer(weights, np.float32)
    else:
        freqs = np.array(weights, np.float32)
    return ids, freqs
