"""A term's BM25F scores over every paragraph that has it, from its postings as arrays.

The formula and its statistics are Whoosh's (idf over all documents, deleted ones included, and
Whoosh's one-byte field lengths), so the scores equal what Whoosh's own BM25F gives
(tests/searching/test_engine.py compares them to 1e-9).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from indexer.store import Snapshot

# B below Lucene's 0.75: paragraphs range from one-line footnotes to 300 words (README, Search quality)
BM25_B, BM25_K1 = 0.4, 1.2


@dataclass(frozen=True)
class BM25:
    B: float = BM25_B
    K1: float = BM25_K1

    def scores(self, snapshot: Snapshot, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The term's paragraphs (document numbers) and their scores, before any query boost.
        A field without lengths (topics, years) scores its raw frequencies."""
        postings = snapshot.postings(field, term)
        docs, tf = postings.docs, postings.freqs.astype(np.float64)
        if len(docs) and snapshot.scorable(field):
            idf = math.log(snapshot.size / (len(docs) + 1)) + 1
            average = (snapshot.total_length(field) / snapshot.size if snapshot.size else 0) or 1
            norm = (1 - self.B) + self.B * snapshot.field_lengths(field)[docs] / average
            tf = idf * (tf * (self.K1 + 1)) / (tf + self.K1 * norm)
        return docs, tf
