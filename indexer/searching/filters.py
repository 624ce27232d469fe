"""A request's filters, resolved: the request's own and those typed in the query (onderwerp:,
ministerie:, dossier:, jaar:, datum:), against the taxonomy and the index. A filter that names
something unknown finds nothing, with a notice that says what is known."""
from __future__ import annotations

from indexer.analysis import Taxonomy
from indexer.searching import query as ql
from indexer.searching.index_state import IndexState, TermFilter
from indexer.searching.request import BadParameter, Rule, SearchRequest


def _known(taxonomy: Taxonomy) -> str:
    """What a user may name: the themes (each includes its subtopics, which `brieven topics` lists)."""
    return ("bekende onderwerpen: de thema's " + ", ".join(t.slug for t in taxonomy.themes)
            + " en hun subonderwerpen (zie `brieven topics`)")


def merge_filters(request: SearchRequest, from_query: ql.Filters, taxonomy: Taxonomy,
                  notices: list[str]) -> ql.Filters:
    """Filters from the request and from the query string (onderwerp:, jaar:, datum:)."""
    slugs = []
    for name in request.topics:
        topic = taxonomy.find(name)
        if topic is None:
            raise BadParameter(f"Onbekend onderwerp {name!r}; {_known(taxonomy)}.", Rule.TOPIC, name)
        slugs.append(topic.slug)
    unknown = []
    for name in from_query.topics:
        topic = taxonomy.find(name)
        if topic is None:
            unknown.append(name)
        else:
            slugs.append(topic.slug)
    if unknown:
        notices.append(
            "Onbekend onderwerp: " + ", ".join(unknown) + "; er is daarom niets gevonden. "
            + _known(taxonomy)[:1].upper() + _known(taxonomy)[1:] + "."
        )
        slugs.append("\x00unknown")  # a filter nothing matches: an honest zero
    merged = ql.Filters(
        topics=list(dict.fromkeys(slugs)),
        ministries=list(dict.fromkeys([*request.ministries, *from_query.ministries])),
        dossiers=list(dict.fromkeys([*request.dossiers, *from_query.dossiers])),
        year=request.year if request.year is not None else from_query.year,
        date_from=request.date_from or from_query.date_from,
        date_to=request.date_to or from_query.date_to,
    )
    if merged.date_from and merged.date_to and merged.date_from > merged.date_to:
        notices.append(f"De periode van {merged.date_from.isoformat()} tot en met "
                       f"{merged.date_to.isoformat()} is leeg; er is daarom niets gevonden.")
    return merged


def term_filters(state: IndexState, filters: ql.Filters, notices: list[str]) -> list[TermFilter]:
    """The ministry and dossier filters as terms of the index. One the index does not know
    finds nothing, with a notice that says what it does know (as for an unknown topic)."""
    out = []
    for typed in filters.ministries:
        slugs = state.ministries(typed)
        if not slugs:
            known = ", ".join(sorted(state.ministry_names.values())) or "geen"
            notices.append(f"Geen ministerie ‘{typed}’ in de index; er is daarom niets gevonden. "
                           f"Bekende ministeries: {known}.")
        out.append(TermFilter("ministries", slugs))
    for typed in filters.dossiers:
        dossiers = state.dossiers(typed)
        if dossiers is None:
            notices.append(f"‘{typed}’ is geen dossiernummer (voorbeeld: dossier:21461 of dossier:35925-V); "
                           "er is daarom niets gevonden.")
        elif not dossiers:
            notices.append(f"Geen brieven in dossier {typed} in de index; er is daarom niets gevonden.")
        out.append(TermFilter("dossier", dossiers or ()))
    return out
