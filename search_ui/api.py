"""The JSON API: the same page builders as the HTML pages, answered as JSON.

/api/search returns exactly `SearchResult.to_dict()`, the contract `brieven search --json`
prints; /api/brief/<id> returns `LetterView.to_dict()`.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from search_ui.pages import build_letter_page, build_search_page

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    """The search page's result as the CLI's JSON; a page past the last answers with the
    service's notice and no hits, as the CLI does."""
    return jsonify(build_search_page(request.args).result.to_dict())


@bp.get("/brief/<letter_id>")
def letter(letter_id: str) -> Response:
    """A letter with its paragraphs, as `brieven show --json` prints it."""
    return jsonify(build_letter_page(letter_id, request.args).view.to_dict())
