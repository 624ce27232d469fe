"""Pseudo-relevance feedback (RM3, Lavrenko and Croft's relevance model mixed with the query):
the words that the best paragraphs share, added to the query as a re-ranking bonus.

The first ranking's top FEEDBACK_DOCS paragraphs are taken as relevant; each term's weight is
its share of each paragraph's words, summed with the paragraph's share of the top's scores
(the relevance model). The FEEDBACK_TERMS heaviest terms that are not query terms and tell
something (in at most RARE_SHARE of the paragraphs) are added, each boosted by its weight times
FEEDBACK_WEIGHT, as an AndMaybe: they reorder what the query matches, never widen it, so
totals and facets stay the query's own.
"""
from __future__ import annotations

from collections import defaultdict

from whoosh import query as wq

from indexer.analysis import term_positions
from indexer.searching.engine import Evaluation
from indexer.store import Snapshot

FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
RARE_SHARE = 0.1  # as the compiler's: a term in at most this share of the paragraphs
# 0, off: it lost on dev.json (README, Search quality)
FEEDBACK_WEIGHT = 0.0


def with_feedback(evaluation: Evaluation, snapshot: Snapshot, ranked: wq.Query, matching,
                  query_terms: set[str]) -> wq.Query:
    """`ranked` with the relevance model's terms as a bonus (unchanged when off or too few hits)."""
    if not FEEDBACK_WEIGHT:
        return ranked
    top = evaluation.top(ranked, matching, FEEDBACK_DOCS)
    if len(top) < 2:
        return ranked
    total = sum(score for _, score in top) or 1.0
    weights: dict[str, float] = defaultdict(float)
    for docnum, score in top:
        terms = term_positions(snapshot.stored(docnum).get("text", ""))
        length = sum(len(p) for p in terms.values()) or 1
        for term, positions in terms.items():
            weights[term] += (score / total) * len(positions) / length
    limit = RARE_SHARE * max(1, snapshot.doc_count)
    chosen = [t for t in sorted(weights, key=lambda t: (-weights[t], t))
              if t not in query_terms and snapshot.doc_frequency("text", t) <= limit][:FEEDBACK_TERMS]
    if not chosen:
        return ranked
    heaviest = weights[chosen[0]]
    bonus = wq.Or([wq.Term("text", t, boost=FEEDBACK_WEIGHT * weights[t] / heaviest) for t in chosen])
    return wq.AndMaybe(ranked, bonus)
