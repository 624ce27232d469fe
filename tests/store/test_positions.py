"""Positions decoded in bulk give what Whoosh's decoder gives, posting by posting."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from whoosh.formats import Positions

from indexer.store.positions import decode_many

FORMAT = Positions()
# positions up to a few million (1-, 2- and 4-byte numbers in the pickle), some with more than
# the 1,000 items a pickle writes in one batch
position_lists = st.lists(st.one_of(st.integers(0, 300), st.integers(0, 5_000_000)), max_size=40) \
    | st.lists(st.integers(0, 400), min_size=1001, max_size=1100)


@given(st.lists(position_lists.map(lambda ps: sorted(set(ps))), max_size=30))
def test_bulk_decoding_equals_whooshs(lists):
    values = [FORMAT.encode(ps) for ps in lists]
    found = decode_many(values, FORMAT.decode_positions)
    assert found.lists() == [FORMAT.decode_positions(v) for v in values] == lists
    assert found.values.dtype == np.int64 and found.counts.tolist() == [len(ps) for ps in lists]


def test_values_without_the_pickle_stop_or_in_another_encoding_are_decoded_too():
    """Whoosh's decoder accepts values without the final STOP (as older Whooshes wrote them);
    anything else is left to the format's own decoder."""
    plain = [FORMAT.encode([3, 8]), FORMAT.encode([5])[:-1]]
    assert decode_many(plain, FORMAT.decode_positions).lists() == [[3, 8], [5]]
    other = [b"\x00\x00\x00\x02" + b"positions 1 4"]
    assert decode_many(other, lambda v: [int(x) for x in v[14:].split()]).lists() == [[1, 4]]
