"""The Atom feed and the CSV export of a search: the same state, read through the same service.

The CSV itself is written by the library's one CSV writer (indexer.searching.csv_lines).

Both page through `SearchService.search` (100 hits at a time, the service's maximum); neither
builds a query of its own.
"""
from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Iterator

from flask import url_for

from indexer.searching import MAX_PAGE_SIZE, Hit, SearchRequest, SearchResult, SearchService, Sort

from search_ui.markup import dutch_date, only_marks
from search_ui.state import SearchState

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50  # letters in a feed
EPOCH = date(1970, 1, 1)  # `updated` of an undated letter: Atom requires a date


def all_hits(service: SearchService, request: SearchRequest) -> Iterator[Hit]:
    """Every hit of a search, in the request's order, fetched a page of 100 at a time.

    The first page is fetched now, so a bad request fails before a response starts streaming.
    """
    request = dataclasses.replace(request, page=1, page_size=MAX_PAGE_SIZE)
    return _pages(service, request, service.search(request))


def _pages(service: SearchService, request: SearchRequest, result: SearchResult) -> Iterator[Hit]:
    while True:
        yield from result.hits
        if result.page >= result.pages:
            return
        request = dataclasses.replace(request, page=result.page + 1)
        result = service.search(request)


@dataclass
class FeedEntry:
    hit: Hit

    @property
    def updated(self) -> str:
        return _timestamp(self.hit.date)


def feed_entries(service: SearchService, state: SearchState) -> list[FeedEntry]:
    """One entry per letter, newest letter first: its first matching paragraph."""
    request = dataclasses.replace(state, sort=Sort.DATE_DESC).to_request(MAX_PAGE_SIZE)
    entries: dict[str, FeedEntry] = {}
    for hit in all_hits(service, request):
        if hit.letter_id not in entries:
            entries[hit.letter_id] = FeedEntry(hit)
            if len(entries) >= FEED_ENTRIES:
                break
    return list(entries.values())


def atom_feed(state: SearchState, entries: list[FeedEntry], title: str) -> bytes:
    """The Atom document (RFC 4287) for a search; ids are stable, links absolute."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})
    search_url = url_for("pages.search", _external=True, **dataclasses.replace(state, page=1, sort=Sort.RELEVANCE).args())
    feed_url = url_for("pages.feed", _external=True, **dataclasses.replace(state, page=1, sort=Sort.RELEVANCE).args())
    _text(feed, "id", feed_url)
    _text(feed, "title", title)
    _text(feed, "subtitle", "De nieuwste Kamerbrieven met een alinea die bij deze zoekopdracht past.")
    _text(feed, "updated", max((e.updated for e in entries), default=_timestamp(None)))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "brieven")
    _text(feed, "generator", "brieven")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=search_url)
    for entry in entries:
        hit = entry.hit
        element = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(element, "id", f"urn:brieven:brief:{hit.letter_id}")
        _text(element, "title", hit.title or hit.letter_id)
        _text(element, "updated", entry.updated)
        link = url_for("pages.letter", letter_id=hit.letter_id, q=state.q or None, _external=True,
                       _anchor=f"p{hit.number}")
        ET.SubElement(element, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=link)
        when = dutch_date(hit.date) + (" (datum afgeleid)" if hit.date_inferred else "")
        where = f"alinea {hit.number}" + (f", § {hit.section}" if hit.section else "")
        summary = ET.SubElement(element, f"{{{ATOM}}}summary", type="html")
        # type="html": the snippet's HTML (escaped text, <mark> only) as escaped character data
        summary.text = f"<p>{when} · {_escape(where)}</p><p>{only_marks(hit.snippet)}</p>"
        for topic in hit.topics:
            ET.SubElement(element, f"{{{ATOM}}}category", term=topic)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _timestamp(day: date | None) -> str:
    return datetime.combine(day or EPOCH, time(0, 0), tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
