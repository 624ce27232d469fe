"""What a search answers, as plain data, and the one JSON contract built from it.

`brieven search --json`, `/api/search` and the HTML pages all start from `SearchResult`;
`to_dict()` is the only place that decides what the JSON looks like (extend it, never break it).
A paragraph is one record (`Paragraph`) wherever it goes: a hit adds its score and snippet, a
letter page its marked HTML, an export writes its row.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from indexer.reading import Kind, Signatory
from indexer.searching.request import Group, Sort

# The columns of an exported paragraph (`brieven export`, /export.csv), in this order (only ever
# extended at the end).
EXPORT_FIELDS = ["letter_id", "paragraph", "title", "date", "date_inferred", "section", "topics", "kind", "text",
                 "dossier", "kamerstuk", "sender", "ministries", "letter_topics"]


@dataclass
class Paragraph:
    """A paragraph as indexed, with its letter's title and date."""

    letter_id: str
    number: int  # 1-based, in the letter's reading order
    title: str
    date: date | None
    date_inferred: bool
    section: str | None
    topics: list[str]  # topic names
    kind: Kind
    text: str  # the paragraph, plain
    # what the letter is and who sends it (None and [] when the letter does not say)
    dossier: str | None = None  # "21461", "17600-XII"
    kamerstuk: str | None = None  # "kst-21461-46"
    sender: str | None = None  # "de minister van Justitie"
    ministries: list[str] = field(default_factory=list)  # "Justitie"
    letter_topics: list[str] = field(default_factory=list)  # the letter's topic names

    def row(self) -> dict:
        """The export row: EXPORT_FIELDS, as JSON values."""
        return {
            "letter_id": self.letter_id,
            "paragraph": self.number,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_inferred": self.date_inferred,
            "section": self.section,
            "topics": self.topics,
            "kind": self.kind.value,
            "text": self.text,
            "dossier": self.dossier,
            "kamerstuk": self.kamerstuk,
            "sender": self.sender,
            "ministries": self.ministries,
            "letter_topics": self.letter_topics,
        }


@dataclass
class Hit(Paragraph):
    score: float = 0.0
    snippet: str = ""  # HTML: the letter's text escaped, matches in <mark>, nothing else
    similar: int = 0  # near-identical matching paragraphs shown as this one (searching/similar.py)

    def to_dict(self) -> dict:
        row = self.row()
        text = row.pop("text")
        letter = {key: row.pop(key) for key in ("dossier", "kamerstuk", "sender", "ministries", "letter_topics")}
        return {**row, "score": round(self.score, 4), "text": text, "snippet": self.snippet, **letter,
                "similar": self.similar}


@dataclass
class LetterHits:
    """One letter in a result grouped by letter: its best matching paragraphs, best first."""

    letter_id: str
    title: str
    date: date | None
    date_inferred: bool
    score: float  # its best paragraph's (0 when sorted by date)
    matching: int  # how many of its paragraphs match
    hits: list[Hit]  # the best few of them
    similar: int = 0  # other matching letters near-identical to it, not listed (searching/similar.py)

    @property
    def more(self) -> int:
        """Matching paragraphs of this letter not shown."""
        return self.matching - len(self.hits)

    def to_dict(self) -> dict:
        return {
            "letter_id": self.letter_id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_inferred": self.date_inferred,
            "score": round(self.score, 4),
            "matching": self.matching,
            "more": self.more,
            "similar": self.similar,
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass
class FacetValue:
    value: str  # what a filter takes: a topic or ministry name, a year, a dossier ("21461")
    count: int
    slug: str | None = None  # topics and ministries: the short form for URLs
    label: str | None = None  # dossiers: the dossier's title
    parent: str | None = None  # a subtopic: its theme's slug


@dataclass
class TopicCount:
    """A topic with the paragraphs and letters that carry it (`brieven topics`)."""

    slug: str
    name: str
    parent: str | None  # its theme's slug; None for a theme
    paragraphs: int
    letters: int

    @staticmethod
    def tree(taxonomy, counts: dict[str, "TopicCount"]) -> list["TopicCount"]:
        """The themes largest first, each followed by its subtopics, largest first."""
        order = lambda c: (-c.paragraphs, -c.letters, c.name)  # noqa: E731
        out = []
        for theme in sorted((counts[t.slug] for t in taxonomy.themes), key=order):
            out.append(theme)
            out.extend(sorted((counts[s] for s in taxonomy.children[theme.slug]), key=order))
        return out

    def to_dict(self) -> dict:
        return {"slug": self.slug, "name": self.name, "parent": self.parent,
                "paragraphs": self.paragraphs, "letters": self.letters}


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
    # True when the search ran out of time (the notice says so): total, hits and facets are
    # then not the query's answer, and no client should take them for it
    incomplete: bool = False
    group: Group = Group.PARAGRAPH
    total_letters: int = 0  # the letters the matching paragraphs belong to
    letters: list[LetterHits] = field(default_factory=list)  # the page's letters (group=letter)
    # the query whose results these are, when the query asked found nothing and its spelling
    # suggestion did (None: the query asked)
    searched_instead: str | None = None
    # hits per year for the query and its other filters, without a year filter: every year's
    # bar stays when one is chosen (without a year filter it equals facets["year"])
    year_histogram: list[FacetValue] = field(default_factory=list)

    @property
    def units(self) -> int:
        """What the pages divide: letters when grouped by letter, else paragraphs."""
        return self.total_letters if self.group is Group.LETTER else self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.units // self.page_size))

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "notice": self.notice,
            "suggestion": self.suggestion,
            "incomplete": self.incomplete,
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "took_ms": round(self.took_ms, 1),
            "sort": self.sort.value,
            "filters": self.filters,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {name: [_facet_value(v) for v in values] for name, values in self.facets.items()},
            "group": self.group.value,
            "total_letters": self.total_letters,
            "letters": [letter.to_dict() for letter in self.letters],
            "searched_instead": self.searched_instead,
            "year_histogram": [_facet_value(v) for v in self.year_histogram],
        }


def _facet_value(v: FacetValue) -> dict:
    return {"value": v.value, "count": v.count, **({"slug": v.slug} if v.slug else {}),
            **({"label": v.label} if v.label else {}), **({"parent": v.parent} if v.parent else {})}


@dataclass
class LetterParagraph(Paragraph):
    html: str = ""  # the text escaped, with query words marked when a query was given


@dataclass
class LetterView:
    """A whole letter as indexed, for `brieven show` and the letter page."""

    id: str
    title: str
    date: date | None
    date_inferred: bool
    source: str
    signatories: list[Signatory]
    refers_to: list[str]  # the Kamerstukken it cites ("Kamerstuk 35 925 V, nr. 84")
    paragraphs: list[LetterParagraph] = field(default_factory=list)
    dossier: str | None = None
    document_number: str | None = None
    kamerstuk: str | None = None
    dossier_title: str | None = None
    sender: str | None = None
    ministries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # the letter's topic names
    notes: list[str] = field(default_factory=list)  # how it was read: contradictions, encodings
    notice: str | None = None  # when the query's words could not all be marked

    @property
    def kamerstukken(self) -> list[str]:
        return self.refers_to

    def to_dict(self) -> dict:
        return {
            "letter_id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_inferred": self.date_inferred,
            "source": self.source,
            "signatories": [{"role": s.role, "name": s.name} for s in self.signatories],
            "kamerstukken": self.refers_to,  # the first name of refers_to, kept for its readers
            "refers_to": self.refers_to,
            "kamerstuk": self.kamerstuk,
            "dossier": self.dossier,
            "document_number": self.document_number,
            "dossier_title": self.dossier_title,
            "sender": self.sender,
            "ministries": self.ministries,
            "topics": self.topics,
            "notes": self.notes,
            "notice": self.notice,
            "paragraphs": [
                {"paragraph": p.number, "kind": p.kind.value, "section": p.section,
                 "topics": p.topics, "text": p.text}
                for p in self.paragraphs
            ],
        }


@dataclass
class HitStream:
    """Every hit of one search, in its order, from one evaluation of the query: the count and
    the notice are known at once, the hits are read from the index as they are taken. Iterate
    it once; `close` (also done at its end) gives back the index snapshot it reads from."""

    total: int
    notice: str | None
    incomplete: bool  # the search ran out of time: there are no hits, the notice says why
    hits: Iterator[Hit]
    release: Callable[[], None]

    def __iter__(self) -> Iterator[Hit]:
        return self.hits

    def close(self) -> None:
        close = getattr(self.hits, "close", None)
        if close is not None:
            close()
        self.release()

    def __enter__(self) -> "HitStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
