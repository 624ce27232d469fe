"""The data of each page, built by one function per page and shown as HTML or as JSON.

A view calls the builder and either renders the result or returns its JSON; nothing here
knows about templates, and nothing here builds a query: it all goes through SearchService.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from werkzeug.datastructures import MultiDict

from indexer.searching import Group, LetterParagraph, LetterView, SearchResult

from search_ui.service import get_service, page_size
from search_ui.state import PAGE_COLLAPSE, PAGE_VIEW, SORT_LABELS, SearchState, query_text

PAGER_RADIUS = 2  # page links shown either side of the current page


@dataclass
class YearBar:
    year: int
    count: int
    height: int  # 0..100 in steps of 5: the CSS class of the bar
    active: bool


@dataclass
class Chip:
    label: str
    remove_url: str


@dataclass
class SearchPage:
    state: SearchState
    result: SearchResult
    topic_names: dict[str, str]  # slug -> name, for chips and facets
    histogram: list[YearBar] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)

    @property
    def beyond_last(self) -> bool:
        """A page number past the last page of a non-empty result (corrected by a redirect)."""
        return self.state.page > self.result.pages

    @property
    def by_letter(self) -> bool:
        return self.result.group is Group.LETTER

    @property
    def first_number(self) -> int:
        return (self.result.page - 1) * self.result.page_size + 1

    @property
    def last_number(self) -> int:
        shown = self.result.letters if self.by_letter else self.result.hits
        return self.first_number + len(shown) - 1

    @property
    def views(self) -> list[tuple[Group, str]]:
        return [(Group.LETTER, "per brief"), (Group.PARAGRAPH, "per alinea")]

    @property
    def empty(self) -> bool:
        """A search that found nothing: the page offers only help, the suggestion and a way
        out of its filters (no sorting, downloads, views or empty facets)."""
        return not self.state.is_empty and not self.result.total

    @property
    def page_numbers(self) -> list[int | None]:
        """1 … 4 5 [6] 7 8 … 20: None marks a gap."""
        last, current = self.result.pages, self.result.page
        shown = {1, last} | set(range(current - PAGER_RADIUS, current + PAGER_RADIUS + 1))
        numbers: list[int | None] = []
        for n in sorted(p for p in shown if 1 <= p <= last):
            if numbers and n - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers

    @property
    def topic_slugs(self) -> dict[str, str]:
        """name -> slug: hits carry topic names, links carry slugs."""
        return {name: slug for slug, name in self.topic_names.items()}

    @property
    def sort_label(self) -> str:
        return SORT_LABELS[self.state.sort]

    @property
    def sort_options(self) -> list[tuple[object, str]]:
        return list(SORT_LABELS.items())


def build_search_page(args: MultiDict | Mapping, default_view: Group = PAGE_VIEW,
                      default_collapse: bool = PAGE_COLLAPSE) -> SearchPage:
    """The search page's data for URL parameters `args` (also the body of /api/search, whose
    default view is paragraphs, every near-identical hit listed)."""
    service = get_service()
    state = SearchState.from_args(args, service.taxonomy)
    result = service.search(state.to_request(page_size(), default_view, default_collapse))
    names = {t.slug: t.name for t in service.taxonomy.topics}
    return SearchPage(
        state=state,
        result=result,
        topic_names=names,
        histogram=_histogram(result, state),
        chips=_chips(state, names, {v.slug: v.value for v in result.facets.get("ministry", []) if v.slug}),
    )


def _histogram(result: SearchResult, state: SearchState) -> list[YearBar]:
    """Hits per year from the first year with hits to the last, empty years included; with a
    year chosen, every year's bar stays (counted without the year filter), the chosen one marked."""
    counts = {int(v.value): v.count for v in result.year_histogram}
    if not counts:
        return []
    highest = max(counts.values())
    bars = []
    for year in range(min(counts), max(counts) + 1):
        n = counts.get(year, 0)
        height = 0 if n == 0 else max(5, round(n / highest * 20) * 5)
        bars.append(YearBar(year=year, count=n, height=height, active=state.year == year))
    return bars


def _chips(state: SearchState, names: dict[str, str], ministry_names: dict[str, str]) -> list[Chip]:
    """The active filters, each with the URL that removes it."""
    chips = [
        Chip(f"Onderwerp: {names.get(slug, slug)}", state.toggle_topic(slug)) for slug in state.topics
    ]
    chips += [Chip(f"Ministerie: {ministry_names.get(m, m)}", state.toggle_ministry(m)) for m in state.ministries]
    chips += [Chip(f"Dossier: {d}", state.toggle_dossier(d)) for d in state.dossiers]
    if state.year is not None:
        chips.append(Chip(f"Jaar: {state.year}", state.without("jaar")))
    if state.date_from:
        chips.append(Chip(f"Vanaf {state.date_from.isoformat()}", state.without("van")))
    if state.date_to:
        chips.append(Chip(f"Tot en met {state.date_to.isoformat()}", state.without("tot")))
    return chips


@dataclass
class Section:
    heading: str | None
    paragraphs: list[LetterParagraph]

    @property
    def anchor(self) -> str:
        """The section's place in the page (#deel-N, after its first paragraph's number)."""
        return f"deel-{self.paragraphs[0].number}"


@dataclass
class LetterPage:
    view: LetterView
    query: str
    sections: list[Section]
    footnotes: list[LetterParagraph]
    hits: list[int]  # numbers of the paragraphs with a marked word, in reading order

    @property
    def first_hit(self) -> int | None:
        return self.hits[0] if self.hits else None

    @property
    def contents(self) -> list[Section]:
        """The sections with a heading, for the table of contents (none for a letter with one)."""
        headed = [s for s in self.sections if s.heading]
        return headed if len(headed) > 1 else []


def build_letter_page(letter_id: str, args: MultiDict | Mapping) -> LetterPage:
    """A letter's data, with the words of `?q=` marked (also the body of /api/brief/<id>).

    The id only ever goes to the index as a term: no file is looked up from the URL.
    """
    query = query_text(args)
    view = get_service().letter(letter_id, query=query)
    sections: list[Section] = []
    footnotes: list[LetterParagraph] = []
    for p in view.paragraphs:
        if p.kind == "footnote":
            footnotes.append(p)
        elif sections and sections[-1].heading == p.section:
            sections[-1].paragraphs.append(p)
        else:
            sections.append(Section(p.section, [p]))
    reading_order = [p for s in sections for p in s.paragraphs] + footnotes
    hits = [p.number for p in reading_order if "<mark>" in p.html] if query else []
    return LetterPage(view=view, query=query, sections=sections, footnotes=footnotes, hits=hits)
