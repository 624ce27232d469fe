"""Each paragraph's values as a row of codes (topics, ministries), counted over a query's hits."""
import numpy as np

from indexer.searching.index_state import ValueRows


def test_each_paragraphs_row_holds_its_values_in_value_order_and_counts_follow_the_hits():
    rng = np.random.default_rng(7)
    for _ in range(100):
        size = int(rng.integers(1, 200))
        postings = {f"t{i:02d}": np.unique(rng.integers(0, size, int(rng.integers(0, size + 1))))
                    for i in range(int(rng.integers(0, 12)))}
        rows = ValueRows(size, postings)
        values = sorted(postings)
        for doc in range(size):
            row = rows.codes[rows.starts[doc]:rows.starts[doc + 1]] if len(rows.codes) else []
            assert [values[c] for c in row] == [v for v in values if doc in postings[v]]
        hits = np.unique(rng.integers(0, size, int(rng.integers(1, size + 1))))
        expected = {v: int(np.isin(postings[v], hits).sum()) for v in values}
        assert rows.counts(hits) == {v: n for v, n in expected.items() if n}


def test_a_value_with_a_paragraph_twice_is_still_counted_once_per_posting():
    rows = ValueRows(4, {"a": np.array([1, 1, 3]), "b": np.array([0, 3])})
    assert rows.codes[rows.starts[3]:rows.starts[4]].tolist() == [0, 1]
    assert rows.codes[rows.starts[1]:rows.starts[2]].tolist() == [0, 0]
