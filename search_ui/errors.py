"""The web app's own errors, and the one handler that turns every error into a page or JSON.

Every error a visitor can cause is a BrievenError with a `status`: the library's (BadParameter,
LetterNotFound, IndexMissing, ...) and the web app's own (WebError, with a Dutch message). One
handler answers them all, and Werkzeug's own HTTP errors, so no view needs a try/except and no
bad parameter can become a 500. The library's messages are worded here in Dutch for visitors.
"""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.errors import BrievenError
from indexer.searching import FIRST_YEAR, LAST_YEAR, MAX_PAGE_SIZE, BadParameter, LetterNotFound, Rule
from indexer.store import ClusterUnavailable, IndexAbsent, IndexBusy, IndexMissing


class WebError(BrievenError):
    """An error with an HTTP status and a message meant for the visitor (in Dutch)."""

    status = 500

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadRequest(WebError):
    status = 400


class NotFound(WebError):
    status = 404


# Statuses of Werkzeug's own errors (unknown URL, wrong method, a crash), in Dutch.
HTTP_MESSAGES = {
    404: "Deze pagina bestaat niet. Zoek vanaf de startpagina of lees de zoekhulp.",
    405: "Deze pagina kan alleen gelezen worden (GET).",
    500: "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
}

TITLES = {400: "Dat kan zo niet", 404: "Niet gevonden", 503: "Nog niet klaar"}

def bad_parameter(error: BadParameter) -> str:
    """A broken request rule (indexer/searching/request.py), in the site's words."""
    rule, value = error.rule, error.value
    if rule is Rule.PAGE:
        return f"{value} kan niet als het paginanummer (‘pagina’); gebruik een heel getal vanaf 1."
    if rule is Rule.PAGE_SIZE:
        return (f"{value} kan niet als het aantal per pagina (‘aantal’); gebruik een heel getal "
                f"van 1 tot en met {MAX_PAGE_SIZE}.")
    if rule is Rule.YEAR:
        return (f"‘{value}’ is geen jaartal waarin brieven kunnen vallen. Gebruik vier cijfers, "
                f"van {FIRST_YEAR} tot en met {LAST_YEAR}, bijvoorbeeld jaar=2022.")
    if rule is Rule.PERIOD:
        start, end = value
        return (f"De periode klopt niet: ‘van’ ({start.isoformat()}) ligt na ‘tot’ "
                f"({end.isoformat()}). Verwissel de twee data.")
    if rule is Rule.GROUP:
        return f"Onbekende weergave ‘{value}’. Kies brief of alinea (in de JSON: group=letter of group=paragraph)."
    return f"Deze zoekopdracht kan niet worden uitgevoerd: {error}"


# The library's errors, worded for a visitor of the Dutch site.
LIBRARY_MESSAGES = {
    LetterNotFound: lambda e: "Deze brief staat niet in de index. Zoek de brief op via de zoekpagina.",
    BadParameter: bad_parameter,
    IndexMissing: lambda e: "Er is nog geen zoekindex. Maak die eerst met `brieven index`.",
    IndexBusy: lambda e: "De zoekindex wordt op dit moment bijgewerkt. Probeer het zo opnieuw.",
    ClusterUnavailable: lambda e: ("De zoekmachine (het OpenSearch-cluster) is op dit moment niet bereikbaar. "
                                   "Probeer het over een paar minuten opnieuw."),
    IndexAbsent: lambda e: "Er is nog geen zoekindex in het OpenSearch-cluster. Maak die eerst met "
                           "`brieven --backend opensearch index`.",
}


def describe(error: Exception) -> tuple[int, str]:
    """The status and the visitor's message for any error the handler receives."""
    if isinstance(error, WebError):
        return error.status, error.message
    if isinstance(error, BrievenError):
        word = LIBRARY_MESSAGES.get(type(error))
        return error.status, word(error) if word else HTTP_MESSAGES[500]
    if isinstance(error, HTTPException):
        code = error.code or 500
        return code, HTTP_MESSAGES.get(code, error.description or "Dat ging mis.")
    return 500, HTTP_MESSAGES[500]


def handle_error(error: Exception) -> tuple[Response | str, int]:
    """The one error handler: JSON under /api/, an HTML page everywhere else."""
    status, message = describe(error)
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return jsonify({"error": {"status": status, "message": message}}), status
    title = TITLES.get(status, "Er ging iets mis")
    return render_template("error.html", status=status, title=title, message=message), status


def register_error_handler(app: Flask) -> None:
    for kind in (BrievenError, HTTPException):
        app.register_error_handler(kind, handle_error)
