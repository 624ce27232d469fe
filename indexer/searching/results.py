"""What a search asks and answers, as plain data, and the one JSON contract built from it.

`brieven search --json`, `/api/search` and the HTML pages all start from `SearchResult`;
`to_dict()` is the only place that decides what the JSON looks like (extend it, never break it).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


# The columns of an exported paragraph (`brieven export`, /export.csv), in this order.
EXPORT_FIELDS = ["letter_id", "paragraph", "title", "date", "date_inferred", "section", "topics", "kind", "text"]


class BadParameter(ValueError):
    """A request the service cannot answer as asked; the message says what is allowed."""

    status = 400


class Sort(str, enum.Enum):
    RELEVANCE = "relevance"
    DATE_DESC = "date-desc"
    DATE_ASC = "date-asc"

    @classmethod
    def parse(cls, value: "str | Sort | None") -> "Sort":
        if value is None or value == "":
            return cls.RELEVANCE
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise BadParameter(f"Unknown sort order {value!r}; choose one of: {choices}.") from None


@dataclass
class SearchRequest:
    query: str = ""
    topics: list[str] = field(default_factory=list)  # names or slugs; a paragraph must have all
    date_from: date | None = None
    date_to: date | None = None
    year: int | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    page_size: int = 10


@dataclass
class Hit:
    letter_id: str
    paragraph: int
    title: str
    date: date | None
    date_inferred: bool
    section: str | None
    topics: list[str]  # topic names
    kind: str
    score: float
    text: str  # the paragraph, plain
    snippet: str  # HTML: the letter's text escaped, matches in <mark>, nothing else

    def to_dict(self) -> dict:
        return {
            "letter_id": self.letter_id,
            "paragraph": self.paragraph,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_inferred": self.date_inferred,
            "section": self.section,
            "topics": self.topics,
            "kind": self.kind,
            "score": round(self.score, 4),
            "text": self.text,
            "snippet": self.snippet,
        }


@dataclass
class FacetValue:
    value: str  # what a filter takes: a topic name, or a year
    count: int
    slug: str | None = None  # topics only: the short form for URLs


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    page_size: int
    took_ms: float
    sort: Sort
    filters: dict
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    notice: str | None = None
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "notice": self.notice,
            "suggestion": self.suggestion,
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "took_ms": round(self.took_ms, 1),
            "sort": self.sort.value,
            "filters": self.filters,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {
                name: [
                    {"value": v.value, "count": v.count, **({"slug": v.slug} if v.slug else {})}
                    for v in values
                ]
                for name, values in self.facets.items()
            },
        }
