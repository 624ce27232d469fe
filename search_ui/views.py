"""The HTML pages: search, letter, help, and the feed and export of a search."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context
from werkzeug.wrappers import Response as BaseResponse

from indexer.searching import Limits, csv_lines, export_file_name, xlsx_bytes

from search_ui.feeds import MAX_EXPORT_ROWS, atom_feed, export_stream, feed_entries
from search_ui.pages import build_letter_page, build_search_page
from search_ui.service import get_service
from search_ui.state import SearchState

bp = Blueprint("pages", __name__)


@bp.get("/")
def search() -> str | BaseResponse:
    """The search page. A page number past the last page, and the empty fields a form sends
    (`van=&tot=`), are corrected by a redirect, so the URL a visitor copies is clean and names
    a page that exists."""
    page = build_search_page(request.args)
    blank_fields = any(not value.strip() for _, value in request.args.items(multi=True))
    if page.beyond_last or blank_fields:
        return redirect(page.state.page_url(min(page.state.page, page.result.pages)))
    return render_template("search.html", page=page, state=page.state, result=page.result)


@bp.get("/brief/<letter_id>")
def letter(letter_id: str) -> str:
    """A whole letter; with ?q= its matching words are marked and the first match is linked."""
    page = build_letter_page(letter_id, request.args)
    return render_template("letter.html", page=page, view=page.view)


@bp.get("/hulp")
def help_page() -> str:
    """The query language in Dutch: linked from the search box, readable without searching."""
    limits = Limits(seconds=get_service().deadline)
    return render_template("help.html", limits=limits, export_rows=MAX_EXPORT_ROWS)


@bp.get("/feed.atom")
def feed() -> Response:
    """An Atom feed of a saved search: one entry per letter, so a reader notices new letters."""
    service = get_service()
    state = SearchState.from_args(request.args, service.taxonomy)
    title = f"brieven: {state.q}" if state.q.strip() else "brieven: nieuwe Kamerbrieven"
    body = atom_feed(state, feed_entries(service, state), title, service.last_change())
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@bp.get("/export.csv")
def export() -> Response:
    """All hits of a search as CSV (at most MAX_EXPORT_ROWS), from one evaluation of the query,
    streamed as they are read so that an export needs no memory."""
    service = get_service()
    state = SearchState.from_args(request.args, service.taxonomy)
    hits = export_stream(service, state)
    response = Response(stream_with_context(csv_lines(hits)), content_type="text/csv; charset=utf-8")
    response.call_on_close(hits.close)
    response.headers["Content-Disposition"] = _attachment(export_file_name(state.q, date.today(), "csv"))
    return response


@bp.get("/export.xlsx")
def export_xlsx() -> Response:
    """The same hits as the CSV export, as an Excel workbook (typed cells: numbers, dates, text)."""
    service = get_service()
    state = SearchState.from_args(request.args, service.taxonomy)
    with export_stream(service, state) as hits:
        body = xlsx_bytes(hits)
    response = Response(body, content_type=XLSX_TYPE)
    response.headers["Content-Disposition"] = _attachment(export_file_name(state.q, date.today(), "xlsx"))
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> str:
    return f'attachment; filename="{name}"'  # the name is ASCII letters, digits and hyphens
