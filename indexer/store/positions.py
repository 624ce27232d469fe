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
_LIST = b"]q\x00"  # the pickle's empty list and its memo entry, then the differences
_START = _HEADER + len(_LIST)
_BATCH = 1000  # numbers a pickle appends in one batch
_STOP, _MARK, _APPEND, _APPENDS, _BYTE = (ord(c) for c in ".(aeK")


def decode_many(values: Sequence[bytes], decode_one: Callable[[bytes], list[int]]) -> TermPositions:
    """The positions in each of `values` (Whoosh Positions values); `decode_one` (the field
    format's own decoder) for values not in the expected encoding.

    Most postings' differences are each below 256, which pickle writes as `K` and one byte: those
    are read straight from the joined bytes by numpy (a fifth of the time of unpickling them);
    the others are unpickled, all in one stream."""
    n = len(values)
    if not n:
        return TermPositions(np.zeros(0, np.int64), np.zeros(0, np.int64))
    lengths = np.fromiter(map(len, values), np.int64, count=n)
    if lengths.min() > _START:
        joined = np.frombuffer(b"".join(values), np.uint8)
        starts = np.cumsum(lengths) - lengths
        framing = np.frombuffer(b"\x80\x02" + _LIST, np.uint8)
        if (joined[starts[:, None] + np.arange(_HEADER - 2, _START)] == framing).all():
            head = joined[starts[:, None] + np.arange(4)].astype(np.int64)
            counts = (head[:, 0] << 24) | (head[:, 1] << 16) | (head[:, 2] << 8) | head[:, 3]
            deltas = _differences(values, joined, starts, lengths, counts)
            if deltas is not None:
                return TermPositions(counts, _added_up(deltas, counts))
    lists = [decode_one(v) for v in values]
    counts = np.fromiter(map(len, lists), np.int64, count=n)
    return TermPositions(counts, np.fromiter(chain.from_iterable(lists), np.int64, count=int(counts.sum())))


def _differences(values: Sequence[bytes], joined: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                 counts: np.ndarray) -> np.ndarray | None:
    """All postings' differences, one posting after another; None if the values do not hold
    what their counts say (another encoding)."""
    ends = starts + lengths - 1
    body = lengths - _START - (joined[ends] == _STOP)
    # one difference: "K x a"; several (at most a batch): "( K x K x ... e"
    small = np.where(counts == 1, body == 3, (counts >= 2) & (counts <= _BATCH) & (body == 2 * counts + 2))
    several = small & (counts >= 2)
    closing = starts + _START + body - 1
    if not ((joined[starts[several] + _START] == _MARK).all() and (joined[closing[several]] == _APPENDS).all()
            and (joined[closing[small & (counts == 1)]] == _APPEND).all()):
        return None
    deltas = np.empty(int(counts.sum()), np.int64)
    place = np.cumsum(counts) - counts
    opcodes = _spread(starts[small] + _START + (counts[small] >= 2), counts[small], 2)
    if not (joined[opcodes] == _BYTE).all():
        return None
    deltas[_spread(place[small], counts[small], 1)] = joined[opcodes + 1]
    others = np.flatnonzero(~small)
    if len(others):
        parts = [values[i][_START - len(_LIST):] for i in others.tolist()]
        stream = b"\x80\x02](" + b"".join(v[:-1] if v.endswith(b".") else v for v in parts) + b"e."
        found = _loads(stream, len(others), int(counts[others].sum()))
        if found is None:
            return None
        deltas[_spread(place[others], counts[others], 1)] = found
    return deltas


def _spread(first: np.ndarray, counts: np.ndarray, step: int) -> np.ndarray:
    """first[i], first[i] + step, ... (counts[i] of them) for each i, one after another."""
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(first, counts) + step * within


def _loads(stream: bytes, n: int, total: int) -> np.ndarray | None:
    """The differences of n postings pickled as one list of lists; None if the stream does not
    hold n lists of `total` numbers in all."""
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
