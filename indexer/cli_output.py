"""How `brieven` prints a search result and a few labels: in Dutch, as the site speaks, matches
bold and coloured in a terminal (click leaves the colours out when the output is piped)."""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import click

from indexer.reading import shorten

if TYPE_CHECKING:
    from indexer.searching import Hit, SearchResult

DOSSIER_LABEL = 40  # characters of a dossier's title shown beside its number
KIND_NAMES = {"body": "tekst", "footnote": "voetnoot"}  # a paragraph's kind, as a reader calls it
# The keys of SearchService.stats(), as the command prints them.
STATS_LABELS = {"letters": "brieven", "paragraphs": "alinea's", "terms": "termen", "years": "jaren",
                "index": "index", "size_bytes": "grootte (bytes)"}


def print_result(result: "SearchResult") -> None:
    what = f" voor {result.query!r}" if result.query else ""
    found = count(result.total, "alinea", "alinea's") + " in " + count(result.total_letters, "brief", "brieven")
    click.echo(f"{found}{what} ({result.took_ms:.0f} ms)"
               + (f", pagina {result.page} van {result.pages}" if result.total else ""))
    if result.notice:
        click.secho(f"Let op: {result.notice}", fg="yellow")
    if result.searched_instead:
        click.secho(f"Resultaten voor {result.searched_instead!r}; zoek met --exact naar {result.query!r}.", fg="cyan")
    elif result.suggestion:
        click.secho(f"Bedoelde u: {result.suggestion}?", fg="cyan")
    first = (result.page - 1) * result.page_size
    if result.letters:
        for n, letter in enumerate(result.letters, first + 1):
            _print_title(n, letter)
            matching = count(letter.matching, "alinea past", "alinea's passen")
            click.echo(f"     {letter.letter_id} · {matching}")
            for hit in letter.hits:
                _print_hit(hit, indent="       ")
            if letter.more:
                more = count(letter.more, "andere alinea", "andere alinea's")
                click.echo(f"       +{more} in deze brief")
            if letter.similar:
                click.echo(f"       +{count(letter.similar, 'vergelijkbare brief', 'vergelijkbare brieven')}")
    else:
        for n, hit in enumerate(result.hits, first + 1):
            _print_title(n, hit)
            _print_hit(hit, indent="     ")
            if hit.similar:
                click.echo(f"     +{hit.similar} vergelijkbare")
    for name, label in (("topic", "Onderwerpen"), ("year", "Jaren"), ("ministry", "Ministeries"),
                        ("dossier", "Dossiers")):
        values = result.facets.get(name) or []
        if values:
            click.echo("")
            click.echo(f"{label}: " + " · ".join(
                f"{v.value}{f' {shorten(v.label, DOSSIER_LABEL)}' if v.label else ''} ({v.count})" for v in values))


def _print_title(n: int, item) -> None:
    """A hit's or a letter's number, title and date."""
    date = item.date.isoformat() if item.date else "zonder datum"
    if item.date_inferred:
        date += " (afgeleid)"
    click.echo("")
    click.echo(f"{n:>3}. " + click.style(shorten(item.title), bold=True) + f"  {date}")


def _print_hit(hit: "Hit", indent: str) -> None:
    where = f"{hit.letter_id}#{hit.number}"
    if hit.section:
        where += f"  § {hit.section}"
    if hit.kind != "body":
        where += f"  [{KIND_NAMES.get(hit.kind.value, hit.kind.value)}]"
    click.echo(f"{indent}{where}")
    if hit.kamerstuk or hit.sender:
        click.echo(indent + " · ".join(x for x in (hit.kamerstuk, hit.sender) if x))
    if hit.topics:
        click.echo(f"{indent}onderwerpen: " + ", ".join(hit.topics))
    click.echo(indent + _terminal(hit.snippet))


def count(n: int, one: str, many: str) -> str:
    """count(1, "brief", "brieven") -> '1 brief'."""
    return f"{n} {one if n == 1 else many}"


def _terminal(snippet_html: str) -> str:
    """A snippet for the terminal: matches bold and coloured (click strips that when piped)."""
    parts = re.split(r"<mark>(.*?)</mark>", snippet_html)
    return "".join(
        click.style(html.unescape(p), bold=True, fg="yellow") if i % 2 else html.unescape(p)
        for i, p in enumerate(parts)
    )
