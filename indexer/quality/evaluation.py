"""Ranking quality against graded judgements: nDCG@10, MRR and recall@20.

A judgement names a passage by a phrase copied from the letter; a returned paragraph is that
passage when its text, lowercased, diacritics folded and reduced to letters and digits, contains
the phrase reduced the same way (shared/eval/README.md). Each judged passage is credited once.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from indexer.analysis import fold
from indexer.searching import SearchRequest

NDCG_AT = 10
RECALL_AT = 20


@dataclass
class Judgement:
    letter: str
    contains: str
    grade: int


@dataclass
class JudgedQuery:
    id: str
    query: str
    kind: str
    relevant: list[Judgement]


@dataclass
class QueryScore:
    id: str
    query: str
    kind: str
    ndcg: float
    mrr: float
    recall: float
    found: list[str] = field(default_factory=list)  # "letter#paragraph:grade" of the top 20


@dataclass
class Report:
    queries: list[QueryScore]
    baseline: list[QueryScore] = field(default_factory=list)  # same queries, reference ranking

    def mean(self, scores: list[QueryScore] | None = None) -> dict[str, float]:
        scores = self.queries if scores is None else scores
        n = max(1, len(scores))
        return {
            "ndcg": sum(s.ndcg for s in scores) / n,
            "mrr": sum(s.mrr for s in scores) / n,
            "recall": sum(s.recall for s in scores) / n,
        }

    def by_kind(self) -> dict[str, dict[str, float]]:
        kinds: dict[str, list[QueryScore]] = defaultdict(list)
        for s in self.queries:
            kinds[s.kind].append(s)
        return {kind: self.mean(scores) for kind, scores in sorted(kinds.items())}

    def to_dict(self) -> dict:
        data = {
            "mean": self.mean(),
            "by_kind": self.by_kind(),
            "queries": [s.__dict__ for s in self.queries],
        }
        if self.baseline:
            base = Report(self.baseline)
            data["baseline"] = {"mean": base.mean(), "by_kind": base.by_kind(),
                                "queries": [s.__dict__ for s in self.baseline]}
        return data


def load_judgements(path: Path) -> list[JudgedQuery]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        JudgedQuery(
            id=q["id"], query=q["query"], kind=q.get("kind", ""),
            relevant=[Judgement(r["letter"], r["contains"], int(r["grade"])) for r in q["relevant"]],
        )
        for q in data
    ]


def reduce(text: str) -> str:
    """Lowercase, diacritics folded, letters and digits only: the matching rule of the qrels."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def score_ranking(ranking: list[tuple[str, str]], judged: JudgedQuery) -> QueryScore:
    """Score a ranking of (letter id, paragraph text) against the judgements of one query."""
    targets = [(j, reduce(j.contains)) for j in judged.relevant]
    credited: set[int] = set()
    gains: list[float] = []
    found = []
    first_relevant = None
    for rank, (letter, text) in enumerate(ranking[:RECALL_AT], 1):
        reduced = reduce(text)
        gain = 0.0
        for i, (j, phrase) in enumerate(targets):
            if i not in credited and j.letter == letter and phrase in reduced:
                credited.add(i)
                gain = max(gain, 2**j.grade - 1)
                if first_relevant is None and j.grade > 0:
                    first_relevant = rank
        gains.append(gain)
        found.append(f"{letter}:{int(gain)}")
    ideal = sorted((2**j.grade - 1 for j in judged.relevant), reverse=True)
    idcg = _dcg(ideal[:NDCG_AT])
    relevant_total = sum(1 for j in judged.relevant if j.grade > 0)
    recall_hits = sum(1 for i in credited if judged.relevant[i].grade > 0)
    return QueryScore(
        id=judged.id,
        query=judged.query,
        kind=judged.kind,
        ndcg=_dcg(gains[:NDCG_AT]) / idcg if idcg else 0.0,
        mrr=1.0 / first_relevant if first_relevant else 0.0,
        recall=recall_hits / relevant_total if relevant_total else 0.0,
        found=found,
    )


def _dcg(gains: list[float]) -> float:
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, 1))


def evaluate(service, judgements: list[JudgedQuery], baseline: bool = True) -> Report:
    """Run every judged query through the search service and score the top 20; with
    `baseline`, also through the reference ranking over the same paragraphs."""
    scores = []
    for judged in judgements:
        result = service.search(SearchRequest(query=judged.query, page_size=RECALL_AT))
        ranking = [(h.letter_id, h.text) for h in result.hits]
        scores.append(score_ranking(ranking, judged))
    report = Report(scores)
    if baseline:
        from indexer.quality.baseline import BaselineRanker

        ranker = BaselineRanker(service.paragraphs())
        try:
            report.baseline = [
                score_ranking(ranker.rank(j.query, RECALL_AT), j) for j in judgements
            ]
        finally:
            ranker.close()
    return report
