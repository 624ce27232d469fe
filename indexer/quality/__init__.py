"""Search quality: the ranking scored against graded judgements, beside a reference ranking.

`evaluation` runs judged queries through the search service like any client and scores them
(nDCG, MRR, recall); `baseline` is what a Lucene-style engine gives out of the box over the same
paragraphs.

Exports: evaluate, load_judgements, Report, QueryScore, BaselineRanker.
"""
from indexer.quality.baseline import BaselineRanker
from indexer.quality.evaluation import QueryScore, Report, evaluate, load_judgements

__all__ = ["BaselineRanker", "QueryScore", "Report", "evaluate", "load_judgements"]
