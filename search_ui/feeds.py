"""The Atom feed and the CSV export of a search: the same state, read through the same service.

Both take every hit of a search from `SearchService.hits`, which evaluates the query once and
streams the hits in order; neither builds a query of its own. The CSV itself is written by the
library's one CSV writer (indexer.searching.csv_lines).

The feed's links are absolute, as Atom wants, only where that is safe: from the configured
public address (BASE_URL, `brieven serve --base-url`), or from the request when it came to a
loopback host; otherwise they are relative (a feed reader resolves them against the feed's own
address), so a forged Host header never puts another site's address into a feed.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from urllib.parse import quote, urlencode

from flask import current_app, request, url_for

from indexer.searching import Hit, HitStream, SearchService, Sort

from search_ui.errors import BadRequest, WebError
from search_ui.markup import dutch_date, only_marks
from search_ui.state import SearchState

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50  # letters in a feed
# Paragraphs in one CSV export from the site: 10,000 stream in about half a second at 100,000
# paragraphs; every paragraph (52 MB) took 5 s, a thread of the server all along. The command
# line (`brieven export`) has no such limit.
MAX_EXPORT_ROWS = 10_000
EPOCH = date(1970, 1, 1)  # `updated` of an undated letter: Atom requires a date
# What XML 1.0 cannot hold at all (control characters but tab and newlines, U+FFFE, U+FFFF,
# lone surrogates): left out of a feed, which must parse whatever a letter or a query holds.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class SearchTooCostly(WebError):
    """A search for the feed or the export ran out of time: it has no complete answer to give."""

    status = 422


def hit_stream(service: SearchService, state: SearchState, sort: Sort | None = None,
               one_per_letter: bool = False, snippets: bool = False, at_most: int | None = None) -> HitStream:
    """Every hit of the search in `state` (in `sort` order, else the state's), evaluated now;
    SearchTooCostly when the evaluation ran out of time."""
    changes = {"page": 1, "page_size": None} | ({"sort": sort} if sort else {})
    search = dataclasses.replace(state, **changes).to_request(1)
    stream = service.hits(search, one_per_letter=one_per_letter, snippets=snippets, at_most=at_most)
    if stream.incomplete:
        raise SearchTooCostly(stream.notice or "Deze zoekopdracht vraagt te veel werk.")
    return stream


def export_stream(service: SearchService, state: SearchState) -> HitStream:
    """The hits of an export: at most MAX_EXPORT_ROWS, else a BadRequest that says how to get
    fewer (an export is never cut short without saying so)."""
    stream = hit_stream(service, state, at_most=MAX_EXPORT_ROWS)
    if stream.total > MAX_EXPORT_ROWS:
        stream.close()
        raise BadRequest(
            f"Deze zoekopdracht vindt {_thousands(stream.total)} alinea's; een export van de site "
            f"bevat er hoogstens {_thousands(MAX_EXPORT_ROWS)}. Maak de zoekopdracht preciezer "
            "(meer woorden, een onderwerp, een jaar of een periode), of exporteer de hele index "
            "op de server met `brieven export`.")
    return stream


@dataclass
class FeedEntry:
    hit: Hit

    @property
    def updated(self) -> str:
        return _timestamp(self.hit.date)


def feed_entries(service: SearchService, state: SearchState) -> list[FeedEntry]:
    """One entry per letter, newest letter first: its first matching paragraph."""
    with hit_stream(service, state, Sort.DATE_DESC, one_per_letter=True, snippets=True) as stream:
        entries = []
        for hit in stream:
            entries.append(FeedEntry(hit))
            if len(entries) >= FEED_ENTRIES:
                break
    return entries


def atom_feed(state: SearchState, entries: list[FeedEntry], title: str, index_changed: datetime | None) -> bytes:
    """The Atom document (RFC 4287) for a search; ids are stable and name no host. Its `updated`
    is its newest entry's; a feed without entries takes the index's last change."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})
    args = dataclasses.replace(state, page=1, page_size=None, sort=Sort.RELEVANCE, view=None).args()
    _text(feed, "id", "urn:brieven:zoekopdracht:" + urlencode(args, doseq=True))
    _text(feed, "title", title)
    _text(feed, "subtitle", "De nieuwste Kamerbrieven met een alinea die bij deze zoekopdracht past.")
    empty = _utc(index_changed) if index_changed else _timestamp(None)
    _text(feed, "updated", max((e.updated for e in entries), default=empty))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "brieven")
    _text(feed, "generator", "brieven")
    _link(feed, rel="self", type="application/atom+xml", href=public_url("pages.feed", **args))
    _link(feed, rel="alternate", type="text/html", href=public_url("pages.search", **args))
    for entry in entries:
        hit = entry.hit
        element = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(element, "id", f"urn:brieven:brief:{quote(hit.letter_id, safe='')}")
        _text(element, "title", hit.title or hit.letter_id)
        _text(element, "updated", entry.updated)
        link = public_url("pages.letter", letter_id=hit.letter_id, q=state.q or None, _anchor=f"p{hit.number}")
        _link(element, rel="alternate", type="text/html", href=link)
        when = dutch_date(hit.date) + (" (datum afgeleid)" if hit.date_inferred else "")
        where = f"alinea {hit.number}" + (f", § {hit.section}" if hit.section else "")
        # type="html": the snippet's HTML (escaped text, <mark> only) as escaped character data
        _text(element, "summary", f"<p>{when} · {_escape(where)}</p><p>{only_marks(hit.snippet)}</p>",
              type="html")
        for topic in hit.topics:
            ET.SubElement(element, f"{{{ATOM}}}category", term=_xml(topic))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def public_url(endpoint: str, **values) -> str:
    """The URL of a page for use outside the site: absolute from BASE_URL when configured, or
    from the request when it came to a loopback host; otherwise relative."""
    base = current_app.config.get("BASE_URL")
    if base:
        path = url_for(endpoint, **values)
        return base + path.removeprefix(request.script_root)
    if is_loopback(request.host):
        return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, **values)


def is_loopback(host: str) -> bool:
    """`localhost`, 127.x.x.x or [::1], with or without a port."""
    name = host.lower()
    if name.startswith("["):  # [::1]:5000
        name = name[1:].split("]", 1)[0]
    elif name.count(":") == 1:  # 127.0.0.1:5000, localhost:5000
        name = name.split(":", 1)[0]
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = _xml(text)
    return element


def _link(parent: ET.Element, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{ATOM}}}link", {k: _xml(v) for k, v in attributes.items()})


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _timestamp(day: date | None) -> str:
    return _utc(datetime.combine(day or EPOCH, time(0, 0), tzinfo=timezone.utc))


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
