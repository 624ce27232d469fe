"""Ranking quality against judgements: graded paragraphs, or relevant letters.

Two kinds of judgement file, told apart by what a judgement is:
- paragraph level (`dev.json`): a judgement names a passage by a phrase copied from the letter,
  with a grade; a returned paragraph is that passage when its text, lowercased, diacritics folded
  and reduced to letters and digits, contains the phrase reduced the same way. Each judged passage
  is credited once. Scored with nDCG@10 (gain 2^grade - 1), MRR and recall@20.
- letter level (`themes-dev.json`): a judgement is a letter id. The paragraph ranking is reduced
  to letters in the order of their first paragraph, and scored with nDCG@20 (binary gain), P@10
  and MAP@100 (average precision over the first 100 letters, divided by all relevant letters, as
  trec_eval's map_cut_100 does).
"""
from __future__ import annotations

import enum
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from indexer.analysis import fold
from indexer.searching import MAX_PAGE_SIZE, SearchRequest

NDCG_AT = 10
RECALL_AT = 20
LETTER_NDCG_AT = 20
PRECISION_AT = 10
MAP_AT = 100
MAX_PARAGRAPHS = 2000  # paragraphs read to find MAP_AT letters (a letter has many paragraphs)
# Every hit is scored: a near-identical letter is a letter of its own in the judgements. True
# scores the ranking as the site shows it, near-identical hits as one (searching/similar.py):
# benchmarks/ablations.py measures what that costs.
COLLAPSE = False


class Level(enum.Enum):
    PARAGRAPH = "paragraph"
    LETTER = "letter"


# The metrics of each level: (key in the JSON, label in the table).
METRICS = {
    Level.PARAGRAPH: (("ndcg", f"nDCG@{NDCG_AT}"), ("mrr", "MRR"), ("recall", f"R@{RECALL_AT}")),
    Level.LETTER: (("ndcg", f"nDCG@{LETTER_NDCG_AT}"), ("precision", f"P@{PRECISION_AT}"), ("map", f"MAP@{MAP_AT}")),
}


@dataclass
class Judgement:
    letter: str
    contains: str | None  # a phrase of the passage (paragraph level); None: the whole letter
    grade: int


@dataclass
class JudgedQuery:
    id: str
    query: str
    kind: str
    relevant: list[Judgement]
    level: Level = Level.PARAGRAPH


@dataclass
class QueryScore:
    id: str
    query: str
    kind: str
    scores: dict[str, float]  # metric key -> value
    found: list[str] = field(default_factory=list)  # what the top of the ranking was, judged

    def to_dict(self) -> dict:
        return {"id": self.id, "query": self.query, "kind": self.kind, **self.scores, "found": self.found}


@dataclass
class Report:
    queries: list[QueryScore]
    level: Level = Level.PARAGRAPH
    baseline: list[QueryScore] = field(default_factory=list)  # same queries, reference ranking

    @property
    def metrics(self) -> tuple[tuple[str, str], ...]:
        return METRICS[self.level]

    def mean(self, scores: list[QueryScore] | None = None) -> dict[str, float]:
        scores = self.queries if scores is None else scores
        n = max(1, len(scores))
        return {key: sum(s.scores[key] for s in scores) / n for key, _ in self.metrics}

    def by_kind(self, scores: list[QueryScore] | None = None) -> dict[str, dict[str, float]]:
        kinds: dict[str, list[QueryScore]] = defaultdict(list)
        for s in self.queries if scores is None else scores:
            kinds[s.kind].append(s)
        return {kind: self.mean(found) for kind, found in sorted(kinds.items())}

    def to_dict(self) -> dict:
        data = {
            "level": self.level.value,
            "mean": self.mean(),
            "by_kind": self.by_kind(),
            "queries": [s.to_dict() for s in self.queries],
        }
        if self.baseline:
            data["baseline"] = {"mean": self.mean(self.baseline), "by_kind": self.by_kind(self.baseline),
                                "queries": [s.to_dict() for s in self.baseline]}
        return data


def load_judgements(path: Path) -> list[JudgedQuery]:
    """Either kind of judgement file; a letter-level one lists letter ids as `relevant`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    queries = []
    for q in data:
        letters = all(isinstance(r, str) for r in q["relevant"])
        relevant = ([Judgement(r, None, 1) for r in q["relevant"]] if letters else
                    [Judgement(r["letter"], r["contains"], int(r["grade"])) for r in q["relevant"]])
        queries.append(JudgedQuery(id=q["id"], query=q["query"], kind=q.get("kind", ""),
                                   relevant=relevant, level=Level.LETTER if letters else Level.PARAGRAPH))
    if len({q.level for q in queries}) > 1:
        raise ValueError(f"{path} mengt beoordelingen van alinea's en van brieven: splits het in twee bestanden")
    return queries


def reduce(text: str) -> str:
    """Lowercase, diacritics folded, letters and digits only: the matching rule of the qrels."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def score_ranking(ranking: list[tuple[str, str]], judged: JudgedQuery) -> QueryScore:
    """Score a ranking of (letter id, paragraph text) against the judgements of one query."""
    if judged.level is Level.LETTER:
        return _score_letters(ranking, judged)
    targets = [(j, reduce(j.contains or "")) for j in judged.relevant]
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
    return QueryScore(judged.id, judged.query, judged.kind, {
        "ndcg": _dcg(gains[:NDCG_AT]) / idcg if idcg else 0.0,
        "mrr": 1.0 / first_relevant if first_relevant else 0.0,
        "recall": recall_hits / relevant_total if relevant_total else 0.0,
    }, found)


def _score_letters(ranking: list[tuple[str, str]], judged: JudgedQuery) -> QueryScore:
    letters = list(dict.fromkeys(letter for letter, _ in ranking))[:MAP_AT]
    relevant = {j.letter for j in judged.relevant}
    hits = [1.0 if letter in relevant else 0.0 for letter in letters]
    ideal = _dcg([1.0] * min(len(relevant), LETTER_NDCG_AT))
    found_so_far, precision_sum = 0, 0.0
    for rank, hit in enumerate(hits, 1):
        if hit:
            found_so_far += 1
            precision_sum += found_so_far / rank
    return QueryScore(judged.id, judged.query, judged.kind, {
        "ndcg": _dcg(hits[:LETTER_NDCG_AT]) / ideal if ideal else 0.0,
        "precision": sum(hits[:PRECISION_AT]) / PRECISION_AT,
        "map": precision_sum / len(relevant) if relevant else 0.0,
    }, [f"{letter}:{int(hit)}" for letter, hit in zip(letters[:LETTER_NDCG_AT], hits)])


def _dcg(gains: list[float]) -> float:
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, 1))


def _ranking(service, query: str, level: Level) -> list[tuple[str, str]]:
    """The service's ranking, deep enough for the level's metrics: RECALL_AT paragraphs, or
    paragraphs until MAP_AT letters (at most MAX_PARAGRAPHS)."""
    if level is Level.PARAGRAPH:
        result = service.search(SearchRequest(query=query, page_size=RECALL_AT, collapse=COLLAPSE))
        return [(h.letter_id, h.text) for h in result.hits]
    ranking: list[tuple[str, str]] = []
    for page in range(1, MAX_PARAGRAPHS // MAX_PAGE_SIZE + 1):
        result = service.search(SearchRequest(query=query, page=page, page_size=MAX_PAGE_SIZE,
                                              collapse=COLLAPSE))
        ranking += [(h.letter_id, h.text) for h in result.hits]
        if len({letter for letter, _ in ranking}) >= MAP_AT or page >= result.pages:
            break
    return ranking


def evaluate(service, judgements: list[JudgedQuery], baseline: bool = True) -> Report:
    """Run every judged query through the search service and score it; with `baseline`, also
    through the reference ranking over the same paragraphs."""
    level = judgements[0].level if judgements else Level.PARAGRAPH
    report = Report([score_ranking(_ranking(service, j.query, level), j) for j in judgements], level)
    if baseline:
        from indexer.quality.baseline import BaselineRanker

        depth = RECALL_AT if level is Level.PARAGRAPH else MAX_PARAGRAPHS
        ranker = BaselineRanker(service.paragraphs())
        try:
            report.baseline = [score_ranking(ranker.rank(j.query, depth), j) for j in judgements]
        finally:
            ranker.close()
    return report
