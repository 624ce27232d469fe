"""Whoosh's encoded positions, decoded for many postings at once.

Whoosh's `Positions.decode_positions` unpickles one posting at a time: for the words of a phrase
over 1,000,000 paragraphs that was some 200,000 calls and a fifth of all search time. A posting's
value is a 4-byte count followed by a protocol-2 pickle of the list of position differences
(`formats.Positions.encode`); stripped of its protocol header and STOP, each is the pickle code of
one list, so the values of a whole set of postings join into one pickle of a list of lists, read
with a single `pickle.loads`, and the differences are added up by numpy. This reads Whoosh's
value format: it holds while Whoosh-Reloaded stays pinned at 2.7.5 (the index format is checked
on every call, and anything else is decoded posting by posting, as Whoosh does).
"""
from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np

from indexer.store.interface import TermPositions

_HEADER = 6  # the count (4 bytes, big-endian) and the pickle's protocol opcode (2 bytes)
_PROTOCOL_2 = (0x80, 0x02)
_STOP = ord(".")


def decode_many(values: Sequence[bytes], decode_one: Callable[[bytes], list[int]]) -> TermPositions:
    """The positions in each of `values` (Whoosh Positions values); `decode_one` (the field
    format's own decoder) for values not in the expected encoding."""
    n = len(values)
    if not n:
        return TermPositions(np.zeros(0, np.int64), np.zeros(0, np.int64))
    lengths = np.fromiter(map(len, values), np.int64, count=n)
    if lengths.min() > _HEADER:
        joined = np.frombuffer(b"".join(values), np.uint8)
        starts = np.cumsum(lengths) - lengths
        if (joined[starts + 4] == _PROTOCOL_2[0]).all() and (joined[starts + 5] == _PROTOCOL_2[1]).all():
            head = joined[starts[:, None] + np.arange(4)].astype(np.int64)
            counts = (head[:, 0] << 24) | (head[:, 1] << 16) | (head[:, 2] << 8) | head[:, 3]
            keep = np.ones(len(joined), bool)
            keep[(starts[:, None] + np.arange(_HEADER)).ravel()] = False
            ends = starts + lengths - 1
            keep[ends[joined[ends] == _STOP]] = False
            decoded = _loads(b"\x80\x02](" + joined[keep].tobytes() + b"e.", n, int(counts.sum()))
            if decoded is not None:
                return TermPositions(counts, _added_up(decoded, counts))
    lists = [decode_one(v) for v in values]
    counts = np.fromiter(map(len, lists), np.int64, count=n)
    return TermPositions(counts, np.fromiter(chain.from_iterable(lists), np.int64, count=int(counts.sum())))


def _loads(stream: bytes, n: int, total: int) -> np.ndarray | None:
    """The differences of all postings, one after another; None if the stream does not hold
    n lists of `total` numbers in all (values in another encoding)."""
    try:
        lists = pickle.loads(stream)
    except Exception:  # noqa: BLE001 - any malformed stream means: not this encoding
        return None
    if type(lists) is not list or len(lists) != n or sum(map(len, lists)) != total:
        return None
    return np.fromiter(chain.from_iterable(lists), np.int64, count=total)


def _added_up(deltas: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each document's differences summed from 0 (its positions)."""
    total = np.concatenate(([0], np.cumsum(deltas)))
    starts = np.cumsum(counts) - counts
    return total[1:] - np.repeat(total[starts], counts)
