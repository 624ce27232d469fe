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
# A word only as the modifier of a compound said again ("klimaat" in the fourth "Klimaatfonds" of
# a paragraph) counts as this much of an occurrence of the word itself (analysis.modifiers).
# 1.0, off: on themes-dev it lost (nDCG@20 -0.005 at 0.0, and -0.016 when every modifier
# occurrence counted 0.5), with dev.json unchanged (README, Search quality).
MODIFIER_WEIGHT = 1.0


@dataclass(frozen=True)
class BM25:
    B: float = BM25_B
    K1: float = BM25_K1

    def scores(self, snapshot: Snapshot, field: str, term: str, modifiers: str | None = None,
               positions: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The term's paragraphs (document numbers) and their scores, before any query boost.
        A field without lengths (topics, years) scores its raw frequencies. `modifiers`: the
        field that counts the term's occurrences as a compound's modifier; those count
        MODIFIER_WEIGHT of an occurrence. `positions`: they will be asked for (a phrase's word)."""
        postings = snapshot.postings(field, term, positions)
        docs, tf = postings.docs, postings.freqs.astype(np.float64)
        if modifiers and MODIFIER_WEIGHT != 1.0 and len(docs):
            less = snapshot.postings(modifiers, term)
            if len(less.docs):
                where = np.minimum(np.searchsorted(docs, less.docs), len(docs) - 1)
                found = docs[where] == less.docs  # always, but for a damaged index
                tf[where[found]] -= (1.0 - MODIFIER_WEIGHT) * less.freqs[found]
        if len(docs) and snapshot.scorable(field):
            idf = math.log(snapshot.size / (len(docs) + 1)) + 1
            average = (snapshot.total_length(field) / snapshot.size if snapshot.size else 0) or 1
            norm = (1 - self.B) + self.B * snapshot.field_lengths(field)[docs] / average
            tf = idf * (tf * (self.K1 + 1)) / (tf + self.K1 * norm)
        return docs, tf
