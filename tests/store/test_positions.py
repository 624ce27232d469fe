"""Positions decoded in bulk give what Whoosh's decoder gives, posting by posting."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from whoosh.formats import Positions

from indexer.store.positions import decode_many

FORMAT = Positions()
# positions close together (each difference one byte in the pickle: read by numpy), up to a few
# million (2- and 4-byte numbers: unpickled), and more than the 1,000 a pickle appends at once
position_lists = st.lists(st.integers(0, 300), unique=True, max_size=40).map(sorted) \
    | st.lists(st.integers(0, 5_000_000), unique=True, max_size=40).map(sorted) \
    | st.integers(999, 1100).map(lambda n: list(range(0, 2 * n, 2)))


@given(st.lists(position_lists, max_size=30))
def test_bulk_decoding_equals_whooshs(lists):
    values = [FORMAT.encode(ps) for ps in lists]
    found = decode_many(values, _not_posting_by_posting)
    assert found.lists() == [FORMAT.decode_positions(v) for v in values] == lists
    assert found.values.dtype == np.int64 and found.counts.tolist() == [len(ps) for ps in lists]


def _not_posting_by_posting(value: bytes) -> list[int]:
    raise AssertionError(f"{value!r} was decoded on its own")


def test_values_without_the_pickle_stop_or_in_another_encoding_are_decoded_too():
    """Whoosh's decoder accepts values without the final STOP (as older Whooshes wrote them);
    anything else is left to the format's own decoder."""
    plain = [FORMAT.encode([3, 8]), FORMAT.encode([5])[:-1]]
    assert decode_many(plain, _not_posting_by_posting).lists() == [[3, 8], [5]]
    other = [b"\x00\x00\x00\x02" + b"positions 1 4"]
    assert decode_many(other, lambda v: [int(x) for x in v[14:].split()]).lists() == [[1, 4]]
