"""The best k paragraphs: score bounds decide where exact proximity must still be worked out,
and a cut that treats scores equal but for the last bits as one tie, so pages never overlap."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

ROUNDING = 9  # decimals to which scores are compared


def refine(docs: np.ndarray, low: np.ndarray, high: np.ndarray, k: int,
           exact: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Scores of `docs` (ascending) good enough to pick the top k, from a lower and an upper
    bound of each: the exact score (`exact(some)` gives it for some of the paragraphs, ascending,
    aligned with them) is worked out only where the bounds differ and the upper one reaches the
    top k; elsewhere the lower bound stands, which is exact for all but those that cannot reach
    the top anyway."""
    threshold = kth_largest(np.round(low, ROUNDING), k)
    undecided = (high > low) & (np.round(high, ROUNDING) >= threshold)
    if not undecided.any():
        return low
    scores = low.copy()
    scores[undecided] = exact(docs[undecided])
    return scores


def kth_largest(values: np.ndarray, k: int) -> float:
    if len(values) <= k:
        return float(values.min())
    return float(np.partition(values, len(values) - k)[len(values) - k])


def best_first(docs: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k highest scores, ties in document order (as Whoosh breaks them). Equal scores
    summed in another order differ in the last bits, so scores are compared rounded, for the
    cut and for the order alike: page 2 then starts exactly where page 1 ended."""
    rounded = np.round(scores, ROUNDING)
    if len(docs) > k:
        keep = rounded >= kth_largest(rounded, k)
        docs, scores, rounded = docs[keep], scores[keep], rounded[keep]
    order = np.lexsort((docs, -rounded))[:k]
    return [(int(docs[i]), float(scores[i])) for i in order]
