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
    GROUP = "group"  # one of Group
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
            raise BadParameter(f"Onbekende sortering {value!r}; kies uit: {choices}.",
                               Rule.SORT, value) from None


class Group(str, enum.Enum):
    """What a page of results lists: paragraphs, or letters each with its best paragraphs."""

    PARAGRAPH = "paragraph"  # every matching paragraph, ranked (the JSON's default)
    LETTER = "letter"  # each letter once, ranked by its best paragraph, with up to 3 of them

    @classmethod
    def parse(cls, value: "str | Group | None") -> "Group":
        if value is None or value == "":
            return cls.PARAGRAPH
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(g.value for g in cls)
            raise BadParameter(f"Onbekende weergave {value!r}; kies uit: {choices}.", Rule.GROUP, value) from None


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
    page_size: int = DEFAULT_PAGE_SIZE  # paragraphs per page, or letters when grouped by letter
    group: Group = Group.PARAGRAPH
    # False: a query that finds nothing is answered with the results of its spelling
    # suggestion, when that finds something (the result says so: `searched_instead`)
    exact: bool = False
    # True: near-identical hits shown as one, with the number of the others (`similar` of a
    # hit or a letter: "+4 vergelijkbare"; searching/similar.py). The site's default; the JSON
    # and the CLI list every hit unless asked (their contract).
    collapse: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", clean_query(self.query))
        for name in ("topics", "ministries", "dossiers"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "sort", Sort.parse(self.sort))
        object.__setattr__(self, "group", Group.parse(self.group))
        if not _whole(self.page) or self.page < 1:
            raise BadParameter(f"De pagina is een heel getal vanaf 1, niet {self.page!r}.",
                               Rule.PAGE, self.page)
        if not _whole(self.page_size) or not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise BadParameter(f"Het aantal per pagina is 1 tot en met {MAX_PAGE_SIZE}, niet {self.page_size!r}.",
                               Rule.PAGE_SIZE, self.page_size)
        if self.year is not None and (not _whole(self.year) or not FIRST_YEAR <= self.year <= LAST_YEAR):
            raise BadParameter(f"Het jaar ligt tussen {FIRST_YEAR} en {LAST_YEAR}, niet {self.year!r}.",
                               Rule.YEAR, self.year)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadParameter(f"De begindatum {self.date_from} ligt na de einddatum {self.date_to}.",
                               Rule.PERIOD, (self.date_from, self.date_to))


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
