"""The engine's set arithmetic on (paragraphs, scores): small sets written out by hand, and the
same operations done the old way, as a mask and a score per paragraph of the archive, on random
sets: the same paragraphs and the same scores to the last bit (ties must stay ties)."""
import numpy as np

from indexer.searching import sparse
from indexer.searching.letter_evidence import LetterParagraphs, spread
from indexer.searching.sparse import Hits


def hits(pairs: dict[int, float]) -> Hits:
    docs = sorted(pairs)
    return Hits(np.array(docs, np.int64), np.array([pairs[d] for d in docs], np.float64))


def as_dict(h: Hits) -> dict[int, float]:
    return dict(zip(h.docs.tolist(), h.scores.tolist()))


def test_union_sums_the_scores_of_the_parts_that_have_a_paragraph():
    a, b, c = hits({1: 1.0, 4: 2.0}), hits({4: 0.5, 9: 3.0}), hits({0: 0.25})
    assert as_dict(sparse.union([a, b, c])) == {0: 0.25, 1: 1.0, 4: 2.5, 9: 3.0}


def test_intersection_keeps_the_paragraphs_of_every_part_with_their_summed_scores():
    a, b, c = hits({1: 1.0, 4: 2.0, 7: 1.0}), hits({4: 0.5, 7: 0.5, 9: 3.0}), hits({4: 1.0, 7: 2.0, 8: 1.0})
    assert as_dict(sparse.intersection([a, b, c])) == {4: 3.5, 7: 3.5}


def test_and_not_drops_the_excluded_paragraphs_and_keeps_the_scores():
    a = hits({1: 1.0, 4: 2.0, 7: 1.5})
    assert as_dict(sparse.and_not(a, np.array([0, 4, 8]))) == {1: 1.0, 7: 1.5}


def test_within_keeps_the_paragraphs_among_the_ones_asked_for_with_their_scores():
    a = hits({1: 1.0, 4: 2.0, 7: 1.5})
    assert as_dict(sparse.within(a, np.array([0, 4, 7, 8]))) == {4: 2.0, 7: 1.5}
    assert sparse.within(a, None) is a
    assert len(sparse.within(hits({}), np.array([4]))) == 0


def test_and_maybe_adds_the_second_score_only_where_the_first_matches():
    a, b = hits({1: 1.0, 4: 2.0}), hits({4: 0.5, 9: 3.0})
    assert as_dict(sparse.and_maybe(a, b)) == {1: 1.0, 4: 2.5}


def test_empty_sets_give_empty_or_unchanged_results():
    a, empty = hits({1: 1.0, 4: 2.0}), sparse.nothing()
    assert as_dict(sparse.union([])) == {} and as_dict(sparse.union([empty, a])) == as_dict(a)
    assert as_dict(sparse.intersection([a, empty])) == {} and as_dict(sparse.intersection([])) == {}
    assert as_dict(sparse.and_not(a, sparse.NO_DOCS)) == as_dict(a)
    assert as_dict(sparse.and_maybe(a, empty)) == as_dict(a) and as_dict(sparse.and_maybe(empty, a)) == {}
    assert a.at(np.array([0, 4, 5])).tolist() == [0.0, 2.0, 0.0] and empty.at(np.array([3])).tolist() == [0.0]


def test_deleted_paragraphs_are_left_out_only_at_the_hits():
    alive = np.array([True, False, True, True, False])
    assert sparse.live(np.array([0, 1, 3, 4]), alive).tolist() == [0, 3]


def test_the_same_paragraphs_and_scores_as_masks_over_the_archive():
    rng = np.random.default_rng(18)
    size = 500
    for _ in range(50):
        parts = []
        for _ in range(rng.integers(1, 5)):
            docs = np.unique(rng.integers(0, size, rng.integers(0, 200)))
            parts.append(Hits(docs, rng.random(len(docs)) * 10))
        masks = [np.isin(np.arange(size), p.docs) for p in parts]
        dense = []
        for p in parts:
            score = np.zeros(size)
            score[p.docs] = p.scores
            dense.append(score)
        union = sparse.union(parts)
        assert np.array_equal(union.docs, np.flatnonzero(np.logical_or.reduce(masks)))
        assert np.array_equal(union.scores, sum(dense, np.zeros(size))[union.docs])  # bit for bit
        both = sparse.intersection(parts)
        assert np.array_equal(both.docs, np.flatnonzero(np.logical_and.reduce(masks)))
        assert np.array_equal(both.scores, sum(dense[1:], dense[0].copy())[both.docs])
        a, b = parts[0], parts[-1]
        assert np.array_equal(sparse.and_not(a, b.docs).docs, np.flatnonzero(masks[0] & ~masks[-1]))
        maybe = sparse.and_maybe(a, b)
        assert np.array_equal(maybe.docs, a.docs)
        assert np.array_equal(maybe.scores, (dense[0] + dense[-1] * masks[0])[a.docs])


def test_a_letters_best_score_goes_to_each_of_its_paragraphs():
    # letters 0: paragraphs 0-2, 1: 3-4, 2: 5-8
    letters = LetterParagraphs.from_numbers(np.array([0, 0, 0, 1, 1, 2, 2, 2, 2]))
    spread_out = spread(letters, hits({1: 2.0, 2: 3.0, 6: 1.0}))
    assert as_dict(spread_out) == {0: 3.0, 1: 3.0, 2: 3.0, 5: 1.0, 6: 1.0, 7: 1.0, 8: 1.0}


def test_letters_whose_paragraphs_are_not_numbered_together_are_spread_too():
    letters = LetterParagraphs.from_numbers(np.array([1, 0, 1, 2, 0, 1]))
    assert letters.order is not None
    assert as_dict(spread(letters, hits({2: 2.0, 4: 0.5}))) == {0: 2.0, 1: 0.5, 2: 2.0, 4: 0.5, 5: 2.0}
    assert as_dict(spread(letters, sparse.nothing())) == {}


def test_scores_at_paragraphs_whether_fewer_more_or_the_same_as_the_set():
    rng = np.random.default_rng(5)
    for _ in range(200):
        size = int(rng.integers(1, 300))
        mine = np.unique(rng.integers(0, size, int(rng.integers(0, size))))
        h = Hits(mine, rng.random(len(mine)))
        dense = np.zeros(size)
        dense[mine] = h.scores
        for asked in (np.unique(rng.integers(0, size, int(rng.integers(0, 2 * size)))), mine.copy(), mine[::2]):
            assert np.array_equal(h.at(asked), dense[asked])
    same = hits({2: 1.0, 5: 2.0})
    scores = same.at(same.docs)
    scores[0] = 9.0  # a copy: the set's own scores stay
    assert same.scores.tolist() == [1.0, 2.0]
