"""Each paragraph's values (topics, ministries) as its combination of them, counted over a query's hits."""
import numpy as np

from indexer.searching.value_rows import ValueRows


def test_counts_over_any_hits_equal_the_paragraphs_of_each_value_among_them():
    rng = np.random.default_rng(7)
    for _ in range(300):
        size = int(rng.integers(1, 200))
        postings = {f"t{i:02d}": np.unique(rng.integers(0, size, int(rng.integers(0, size + 1))))
                    for i in range(int(rng.integers(0, 12)))}
        rows = ValueRows(size, postings)
        for _ in range(3):
            hits = np.unique(rng.integers(0, size, int(rng.integers(0, size + 1))))
            expected = {v: int(np.isin(postings[v], hits).sum()) for v in sorted(postings)}
            assert rows.counts(hits) == {v: n for v, n in expected.items() if n}


def test_paragraphs_with_the_same_values_share_one_combination():
    rows = ValueRows(7, {"asiel": np.array([0, 2, 4, 5, 6]), "defensie": np.array([2, 3, 4, 6]),
                         "klimaat": np.array([4])})
    assert rows.combination[2] == rows.combination[6] != rows.combination[4]  # asiel and defensie
    assert rows.combination[0] == rows.combination[5] != rows.combination[2]  # asiel only
    assert len({int(c) for c in rows.combination}) == 5  # {}, a, ad, d, adk
    assert rows.combination[1] == 0  # no values
    assert rows.nodes == 5  # the trie's inner nodes are not counted over
    assert rows.counts(np.arange(7)) == {"asiel": 5, "defensie": 4, "klimaat": 1}
    assert rows.counts(np.array([1])) == {}


def test_many_values_on_one_paragraph_and_rare_values_among_many_combinations():
    size = 3000
    rng = np.random.default_rng(3)
    # 40 values, each paragraph with a random set: thousands of combinations, some values rare
    postings = {f"v{i:02d}": np.flatnonzero(rng.random(size) < (0.5 if i < 30 else 0.002)) for i in range(40)}
    rows = ValueRows(size, postings)
    assert rows.nodes > 1000 and rows.nodes - 1 == len(np.unique(rows.combination[rows.combination > 0]))
    hits = np.arange(0, size, 7)
    expected = {v: int(np.isin(d, hits).sum()) for v, d in postings.items()}
    assert rows.counts(hits) == {v: n for v, n in expected.items() if n}


def test_a_value_with_a_paragraph_twice_is_still_counted_once_per_posting():
    rows = ValueRows(4, {"a": np.array([1, 1, 3]), "b": np.array([0, 3])})
    assert rows.counts(np.array([1])) == {"a": 2}
    assert rows.counts(np.array([0, 1, 3])) == {"a": 3, "b": 2}
