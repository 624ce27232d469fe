"""The JSON API: the same page builders as the HTML pages, answered as JSON.

/api/search returns exactly `SearchResult.to_dict()`, the contract `brieven search --json`
prints; /api/brief/<id> returns `LetterView.to_dict()`; /api/suggest completes a query being
typed.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from indexer.searching import Group

from search_ui.pages import build_letter_page, build_search_page
from search_ui.service import get_service
from search_ui.state import query_text

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    """The search page's result as the CLI's JSON; a page past the last answers with the
    service's notice and no hits, as the CLI does. Paragraphs unless `group=letter` (or the
    page's `weergave=brief`) asks for letters; every hit unless `vergelijkbaar=0` asks for
    near-identical ones as one."""
    page = build_search_page(request.args, default_view=Group.PARAGRAPH, default_collapse=False)
    return jsonify(page.result.to_dict())


@bp.get("/brief/<letter_id>")
def letter(letter_id: str) -> Response:
    """A letter with its paragraphs, as `brieven show --json` prints it."""
    return jsonify(build_letter_page(letter_id, request.args).view.to_dict())


@bp.get("/suggest")
def suggest() -> Response:
    """Completions of a query being typed (the search box offers them): `?q=` as typed so far.
    Each has the whole query as it would read (`value`), the completed word or phrase (`text`),
    where it comes from (`kind`: word, topic, abbreviation, synonym), in how many letters it
    occurs (`letters`) and, for an abbreviation, its long form or the reverse (`detail`)."""
    typed = query_text(request.args)
    completions = get_service().complete(typed)
    return jsonify({"query": typed, "suggestions": [c.to_dict() for c in completions]})
