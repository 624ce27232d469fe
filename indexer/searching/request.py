"""What a search asks, checked once: the request rules every adapter words in its own way.

The CLI turns the limits below into click's ranges, the web app into Dutch messages; a
`SearchRequest` that breaks one cannot be made (BadParameter). A request is frozen, so it is
also the key under which its answer is cached.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from indexer.errors import BrievenError
from indexer.searching.query import clean_query

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100  # hits per page at most; exports page through all hits at this size
FIRST_YEAR, LAST_YEAR = 1800, 2200  # years a filter may name


class Rule(enum.Enum):
    """The request rules, so that each adapter can word a broken one in its own language."""

    PAGE = "page"  # a whole number from 1 up
    PAGE_SIZE = "page_size"  # from 1 to MAX_PAGE_SIZE
    YEAR = "year"  # from FIRST_YEAR to LAST_YEAR
    PERIOD = "period"  # the start date not after the end date
    SORT = "sort"  # one of Sort
    TOPIC = "topic"  # a topic of the taxonomy


class BadParameter(BrievenError):
    """A request the service cannot answer as asked; the message says what is allowed, `rule`
    which rule it breaks and `value` the value that breaks it."""

    status = 400
    exit_code = 2

    def __init__(self, message: str, rule: Rule | None = None, value: object = None):
        super().__init__(message)
        self.rule = rule
        self.value = value


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
            raise BadParameter(f"Unknown sort order {value!r}; choose one of: {choices}.",
                               Rule.SORT, value) from None


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    topics: tuple[str, ...] = ()  # names or slugs; a paragraph must have all
    ministries: tuple[str, ...] = ()  # names or slugs ("justitie"); a letter of all of them
    dossiers: tuple[str, ...] = ()  # "21461", "35925-V" (a dossier includes its chapters)
    date_from: date | None = None
    date_to: date | None = None
    year: int | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", clean_query(self.query))
        for name in ("topics", "ministries", "dossiers"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "sort", Sort.parse(self.sort))
        if not _whole(self.page) or self.page < 1:
            raise BadParameter(f"Page must be a whole number from 1 up, not {self.page!r}.",
                               Rule.PAGE, self.page)
        if not _whole(self.page_size) or not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise BadParameter(f"Page size must be from 1 to {MAX_PAGE_SIZE}, not {self.page_size!r}.",
                               Rule.PAGE_SIZE, self.page_size)
        if self.year is not None and (not _whole(self.year) or not FIRST_YEAR <= self.year <= LAST_YEAR):
            raise BadParameter(f"Year must be from {FIRST_YEAR} to {LAST_YEAR}, not {self.year!r}.",
                               Rule.YEAR, self.year)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadParameter(f"The start date {self.date_from} is after the end date {self.date_to}.",
                               Rule.PERIOD, (self.date_from, self.date_to))


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
