"""The state of a search as it lives in the URL, read and checked with Dutch messages.

`?q=&onderwerp=&ministerie=&dossier=&jaar=&van=&tot=&sort=&weergave=&letterlijk=&vergelijkbaar=&pagina=&aantal=`
is the whole state of the search page:
`SearchState.from_args` reads it (a bad value is a BadRequest that says what is allowed), and
`SearchState.url` writes it back, so a copied URL reproduces the page and every link that
changes a filter starts again at page 1.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from flask import url_for
from werkzeug.datastructures import MultiDict

from indexer.analysis import Taxonomy
from indexer.reading import parse_date, parse_dossier
from indexer.searching import DEFAULT_PAGE_SIZE, MAX_QUERY_LENGTH, Group, SearchRequest, Sort, clean_query

from search_ui.errors import BadRequest

# The URL's sort values (Dutch, canonical) and the API's values (accepted too).
SORT_VALUES: dict[str, Sort] = {
    "relevantie": Sort.RELEVANCE,
    "nieuwste": Sort.DATE_DESC,
    "oudste": Sort.DATE_ASC,
    **{s.value: s for s in Sort},
}
SORT_NAMES: dict[Sort, str] = {Sort.RELEVANCE: "relevantie", Sort.DATE_DESC: "nieuwste", Sort.DATE_ASC: "oudste"}
SORT_LABELS: dict[Sort, str] = {
    Sort.RELEVANCE: "relevantie",
    Sort.DATE_DESC: "nieuwste eerst",
    Sort.DATE_ASC: "oudste eerst",
}
# The URL's views (`weergave`, Dutch, canonical) and the API's (`group`, accepted on both).
VIEW_VALUES: dict[str, Group] = {"brief": Group.LETTER, "alinea": Group.PARAGRAPH, **{g.value: g for g in Group}}
VIEW_NAMES: dict[Group, str] = {Group.LETTER: "brief", Group.PARAGRAPH: "alinea"}
# The search page lists letters, each with its best paragraphs: a letter with a dozen matching
# paragraphs would otherwise fill the first page. The JSON keeps paragraphs (its contract).
PAGE_VIEW = Group.LETTER
# The page shows near-identical hits as one ("+4 vergelijkbare", `vergelijkbaar=1` shows them
# all); the JSON lists every hit unless `vergelijkbaar=0` asks (its contract).
PAGE_COLLAPSE = True
MAX_PARAM_CHARS = 200  # any parameter but q: a year, a date, a topic slug, a number


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    topics: tuple[str, ...] = ()  # slugs, in the order chosen
    ministries: tuple[str, ...] = ()  # slugs (or names), as the URL gives them
    dossiers: tuple[str, ...] = ()  # normalised: "21461", "35925-V"
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    page_size: int | None = None  # None: the app's default (not written into URLs)
    view: Group | None = None  # None: the endpoint's default (PAGE_VIEW on the page, paragraphs in JSON)
    exact: bool = False  # True: search the query as typed, never its spelling suggestion instead
    # near-identical hits: True shown each (`vergelijkbaar=1`), False as one (`vergelijkbaar=0`),
    # None the endpoint's default (as one on the page, each in the JSON)
    similar: bool | None = None

    # -- reading ---------------------------------------------------------------------------
    @classmethod
    def from_args(cls, args: MultiDict | Mapping, taxonomy: Taxonomy) -> "SearchState":
        """The state a URL asks for; BadRequest (in Dutch, saying what is allowed) if it cannot be."""
        get = args.get
        topics: list[str] = []
        for value in _getlist(args, "onderwerp"):
            if not value.strip():
                continue
            topic = taxonomy.find(_short(value, "onderwerp"))
            if topic is None:
                known = ", ".join(t.slug for t in taxonomy.themes)
                raise BadRequest(f"Onbekend onderwerp ‘{value}’. Kies een thema ({known}) of een van hun "
                                 "subonderwerpen (kies een thema om ze te zien).")
            topics.append(topic.slug)
        ministries = [_short(v, "ministerie").strip() for v in _getlist(args, "ministerie") if v.strip()]
        dossiers = [_dossier(v) for v in _getlist(args, "dossier") if v.strip()]
        page = _whole(get("pagina"), "pagina", "het paginanummer")
        state = cls(
            q=query_text(args),
            topics=tuple(dict.fromkeys(topics)),
            ministries=tuple(dict.fromkeys(ministries)),
            dossiers=tuple(dict.fromkeys(dossiers)),
            year=_year(get("jaar")),
            date_from=_date(get("van"), "van"),
            date_to=_date(get("tot"), "tot"),
            sort=_sort(get("sort")),
            page=1 if page is None else page,
            page_size=_whole(get("aantal"), "aantal", "het aantal per pagina"),
            view=_view(get("weergave") or get("group")),
            exact=_flag(get("letterlijk"), "letterlijk"),
            similar=_switch(get("vergelijkbaar"), "vergelijkbaar"),
        )
        # The request rules (ranges, a period that runs forwards) are the library's: a broken
        # one raises BadParameter, which the error handler words in Dutch (search_ui/errors.py).
        state.to_request(DEFAULT_PAGE_SIZE)
        return state

    def to_request(self, default_page_size: int, default_view: Group = PAGE_VIEW,
                   default_collapse: bool = PAGE_COLLAPSE) -> SearchRequest:
        return SearchRequest(
            query=self.q,
            topics=self.topics,
            ministries=self.ministries,
            dossiers=self.dossiers,
            date_from=self.date_from,
            date_to=self.date_to,
            year=self.year,
            sort=self.sort,
            page=self.page,
            page_size=default_page_size if self.page_size is None else self.page_size,
            group=self.view or default_view,
            exact=self.exact,
            collapse=default_collapse if self.similar is None else not self.similar,
        )

    @property
    def has_filters(self) -> bool:
        return bool(self.topics or self.ministries or self.dossiers or self.year is not None
                    or self.date_from or self.date_to)

    @property
    def is_empty(self) -> bool:
        """Nothing asked yet: the start page."""
        return not self.q.strip() and not self.has_filters

    # -- writing ---------------------------------------------------------------------------
    def args(self, keep_page: bool = True) -> dict[str, object]:
        """The URL parameters of this state, defaults left out."""
        args: dict[str, object] = {}
        if self.q:
            args["q"] = self.q
        if self.topics:
            args["onderwerp"] = list(self.topics)
        if self.ministries:
            args["ministerie"] = list(self.ministries)
        if self.dossiers:
            args["dossier"] = list(self.dossiers)
        if self.year is not None:
            args["jaar"] = str(self.year)
        if self.date_from:
            args["van"] = self.date_from.isoformat()
        if self.date_to:
            args["tot"] = self.date_to.isoformat()
        if self.sort is not Sort.RELEVANCE:
            args["sort"] = SORT_NAMES[self.sort]
        if self.view is not None:
            args["weergave"] = VIEW_NAMES[self.view]
        if self.exact:
            args["letterlijk"] = "1"
        if self.similar is not None:
            args["vergelijkbaar"] = "1" if self.similar else "0"
        if keep_page and self.page > 1:
            args["pagina"] = str(self.page)
        if self.page_size:
            args["aantal"] = str(self.page_size)
        return args

    def url(self, endpoint: str = "pages.search", **changes) -> str:
        """The URL of this state with `changes`; any change but a page number starts at page 1,
        and a new query is searched with the spelling suggestion again."""
        if "page" not in changes:
            changes["page"] = 1
        if "q" in changes and "exact" not in changes:
            changes["exact"] = False
        return url_for(endpoint, **dataclasses.replace(self, **changes).args())

    def filter_url(self, endpoint: str) -> str:
        """This search on another endpoint (feed, export): no page, no page size, no view."""
        return url_for(endpoint, **dataclasses.replace(self, page=1, page_size=None, view=None).args())

    def view_url(self, view: Group) -> str:
        """This search in another view (the page's own view is written as no parameter)."""
        return self.url(view=None if view is PAGE_VIEW else view)

    def page_url(self, page: int) -> str:
        return self.url(page=page)

    def toggle_topic(self, slug: str) -> str:
        topics = tuple(t for t in self.topics if t != slug) if slug in self.topics else self.topics + (slug,)
        return self.url(topics=topics)

    def toggle_ministry(self, slug: str) -> str:
        chosen = self.ministries
        return self.url(ministries=tuple(m for m in chosen if m != slug) if slug in chosen else chosen + (slug,))

    def toggle_dossier(self, dossier: str) -> str:
        chosen = self.dossiers
        return self.url(dossiers=tuple(d for d in chosen if d != dossier) if dossier in chosen else chosen + (dossier,))

    def toggle_year(self, year: int | str) -> str:
        year = int(year)
        return self.url(year=None if self.year == year else year)

    def sort_url(self, sort: Sort) -> str:
        return self.url(sort=sort)

    def without(self, what: str) -> str:
        """A URL without one kind of filter: 'q', 'jaar', 'van', 'tot', 'periode' or 'alles'."""
        changes = {
            "q": {"q": ""},
            "jaar": {"year": None},
            "van": {"date_from": None},
            "tot": {"date_to": None},
            "periode": {"date_from": None, "date_to": None},
            "filters": {"topics": (), "ministries": (), "dossiers": (), "year": None, "date_from": None,
                        "date_to": None},
        }[what]
        return self.url(**changes)


def query_text(args: MultiDict | Mapping) -> str:
    """The q parameter, checked for length (the query language reads at most MAX_QUERY_LENGTH);
    control characters are spaces, as the search reads them."""
    text = clean_query(args.get("q") or "")
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequest(
            f"De zoekvraag is te lang ({_thousands(len(text))} tekens; hoogstens "
            f"{_thousands(MAX_QUERY_LENGTH)}). Gebruik minder of kortere woorden."
        )
    return text


def _thousands(number: int) -> str:
    """10000 -> '10.000', as Dutch writes it."""
    return f"{number:,}".replace(",", ".")


def _getlist(args: MultiDict | Mapping, name: str) -> list[str]:
    if hasattr(args, "getlist"):
        return args.getlist(name)
    value = args.get(name)
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def _short(value: str, name: str) -> str:
    if len(value) > MAX_PARAM_CHARS:
        raise BadRequest(f"De waarde van ‘{name}’ is te lang ({len(value)} tekens).")
    return value


_INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits only: int() also reads "²" and "١"


def _whole(value: str | None, name: str, what: str) -> int | None:
    """A whole number (its range is a request rule, checked by the library), or None when absent."""
    if value is None or value.strip() == "":
        return None
    text = _short(value, name).strip()
    if not _INTEGER.fullmatch(text):
        raise BadRequest(f"‘{_shown(value)}’ is geen geldig getal voor {what} (‘{name}’); "
                         "gebruik een heel getal, bijvoorbeeld 2.")
    return int(text)


def _year(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    text = _short(value, "jaar").strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        raise BadRequest(
            f"‘{_shown(value)}’ is geen jaartal. Gebruik vier cijfers, bijvoorbeeld jaar=2022."
        )
    return int(text)


def _date(value: str | None, name: str) -> date | None:
    if value is None or value.strip() == "":
        return None
    parsed = parse_date(_short(value, name))
    if parsed is None:
        raise BadRequest(
            f"‘{_shown(value)}’ is geen geldige datum voor ‘{name}’. "
            "Gebruik JJJJ-MM-DD, bijvoorbeeld 2022-06-30, of ‘30 juni 2022’."
        )
    return parsed


def _dossier(value: str) -> str:
    dossier = parse_dossier(_short(value, "dossier"))
    if dossier is None:
        raise BadRequest(
            f"‘{_shown(value)}’ is geen dossiernummer. Gebruik het nummer van een Kamerstukdossier, "
            "bijvoorbeeld dossier=21461 of dossier=35925-V."
        )
    return dossier


def _view(value: str | None) -> Group | None:
    if value is None or value.strip() == "":
        return None
    try:
        return VIEW_VALUES[_short(value, "weergave").strip().lower()]
    except KeyError:
        raise BadRequest(f"Onbekende weergave ‘{_shown(value)}’. Kies weergave=brief of weergave=alinea (of group=letter, group=paragraph).") from None


def _flag(value: str | None, name: str) -> bool:
    if value is None or value.strip() in ("", "0"):
        return False
    if value.strip() == "1":
        return True
    raise BadRequest(f"‘{_shown(value)}’ kan niet bij ‘{name}’; gebruik {name}=1.")


def _switch(value: str | None, name: str) -> bool | None:
    """1 or 0; None when not given."""
    if value is None or value.strip() == "":
        return None
    if value.strip() in ("0", "1"):
        return value.strip() == "1"
    raise BadRequest(f"‘{_shown(value)}’ kan niet bij ‘{name}’; gebruik {name}=1 of {name}=0.")


def _sort(value: str | None) -> Sort:
    if value is None or value.strip() == "":
        return Sort.RELEVANCE
    try:
        return SORT_VALUES[value.strip().lower()]
    except KeyError:
        raise BadRequest(
            f"Onbekende sortering ‘{_shown(value)}’. Kies relevantie, nieuwste of oudste."
        ) from None


def _shown(value: str, limit: int = 40) -> str:
    """A bad value as quoted in a message: short enough to read."""
    return value if len(value) <= limit else value[:limit] + "…"
