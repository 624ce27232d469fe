"""The `brieven` command: a thin shell over the index and the search service.

Each subcommand gathers its arguments, calls the library, and prints through one function;
library errors become click errors whose message says what to do. A command imports the wings
it uses when it runs (the small helpers below), so that `brieven --help` loads neither numpy
nor Whoosh, and a search loads no indexer, PDF reader or web app.
"""
from __future__ import annotations

import functools
import html
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from indexer.errors import BrievenError
from indexer.searching import FIRST_YEAR, LAST_YEAR, MAX_PAGE_SIZE, SearchRequest, Sort
from indexer.settings import Settings

if TYPE_CHECKING:
    from indexer.searching import SearchResult, SearchService
    from indexer.store import IndexSummary


def _service(settings: Settings) -> "SearchService":
    """The search service over the configured index (numpy and Whoosh load here)."""
    from indexer.searching import SearchService

    return SearchService(settings.index_dir)


def _update_index(settings: Settings, **options) -> "IndexSummary":
    """Bring the index up to date with the corpus (the indexer loads here)."""
    from indexer.store import update_index

    return update_index(settings.index_dir, settings.corpus_dir, **options)


def library_errors(fn):
    """Turn the library's errors into click errors: a usage error (exit 2) or a problem with
    the state of things (exit 1), as each error says."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BrievenError as error:
            kind = click.UsageError if error.exit_code == 2 else click.ClickException
            raise kind(str(error)) from error

    return wrapper


def _date(ctx, param, value):
    if value is None:
        return None
    from indexer.reading import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2022-06-30.")
    return parsed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", "index_dir", type=click.Path(file_okay=False), help="Index directory [env BRIEVEN_INDEX; default .brieven/index].")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), help="Directory of letters [env BRIEVEN_CORPUS; default corpus/].")
@click.version_option(package_name="brieven")
@click.pass_context
def main(ctx, index_dir, corpus_dir):
    """Search Dutch government letters (Kamerbrieven) down to the paragraph.

    Example: brieven index && brieven search "dialoog met Rusland"
    """
    try:
        ctx.obj = Settings.resolve(index=index_dir, corpus=corpus_dir, env=os.environ)
    except BrievenError as error:
        raise click.UsageError(str(error)) from error


@main.command()
@click.option("--rebuild", is_flag=True, help="Build a fresh index instead of updating the current one.")
@click.pass_obj
@library_errors
def index(settings: Settings, rebuild: bool):
    """Index the corpus: add new letters, replace changed ones, drop removed ones.

    Example: brieven index --rebuild
    """
    from indexer.reading import find_letters

    total = len(find_letters(settings.corpus_dir))
    with click.progressbar(length=total, label="Indexing", file=sys.stderr) as bar:
        summary = _update_index(
            settings, rebuild=rebuild, progress=lambda name: bar.update(1),
            parallel=True,  # this process runs no other threads
        )
    _report(summary, settings)
    if summary.skipped:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
@library_errors
def add(settings: Settings, files: tuple[Path, ...]):
    """Copy letters into the corpus and index them (the originals stay where they are).

    Example: brieven add ~/Downloads/kamerbrief-navo-top.pdf
    """
    from indexer.reading import add_to_corpus

    report = add_to_corpus(list(files), settings.corpus_dir)
    for name in report.copied:
        click.echo(f"added {name} to {settings.corpus_dir}")
    for name, existing in report.duplicates:
        click.echo(f"{name} is already in the corpus as {existing}: indexed once", err=True)
    for name, reason in report.refused:
        click.echo(f"not added {name}: {reason}", err=True)
    summary = _update_index(settings)
    _report(summary, settings)
    if report.refused or summary.skipped:
        sys.exit(1)


@main.command()
@click.pass_obj
@library_errors
def watch(settings: Settings):
    """Watch the corpus and index letters as they arrive, change or disappear (Ctrl-C stops).

    Example: BRIEVEN_CORPUS=/data/kamerbrieven brieven watch
    """
    from indexer.store import watch as run_watch

    click.echo(f"Watching {settings.corpus_dir} (Ctrl-C stops)", err=True)

    def report(summary: "IndexSummary") -> None:
        for kind, ids in (("added", summary.added), ("changed", summary.changed), ("removed", summary.removed)):
            for letter_id in ids:
                click.echo(f"{time.strftime('%H:%M:%S')} {kind} {letter_id}")
        if summary.added or summary.changed or summary.removed or summary.skipped or summary.rebuilt:
            _report(summary, settings)

    def on_error(error: Exception) -> None:
        click.echo(f"{time.strftime('%H:%M:%S')} error: {error}", err=True)

    try:
        run_watch(settings.corpus_dir, settings.index_dir, report, on_error)
    except KeyboardInterrupt:
        click.echo("Stopped watching.", err=True)


def _report(summary: "IndexSummary", settings: Settings) -> None:
    """What indexing did, in one summary line; skipped files and notes on stderr."""
    for name, note in summary.notes:
        click.echo(f"note: {name}: {note}", err=True)
    for name, reason in summary.skipped:
        click.echo(f"skipped {name}: {reason}", err=True)
    how = "rebuilt" if summary.rebuilt else (
        f"{len(summary.added)} added, {len(summary.changed)} changed, {len(summary.removed)} removed, "
        f"{summary.unchanged} unchanged"
    )
    click.echo(
        f"Indexed {_count(summary.letters, 'letter')}, {_count(summary.paragraphs, 'paragraph')} in "
        f"{summary.seconds:.1f} s ({how}; {len(summary.skipped)} skipped) -> {settings.index_dir}"
    )


@main.command()
@click.argument("query", nargs=-1)
@click.option("--topic", "topics", multiple=True, help="Only paragraphs with this topic (name or slug); repeatable.")
@click.option("--from", "date_from", callback=_date, help="Letters dated on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_date, help="Letters dated on or before (YYYY-MM-DD).")
@click.option("--year", type=click.IntRange(FIRST_YEAR, LAST_YEAR), help="Letters of this year.")
@click.option("--sort", type=click.Choice([s.value for s in Sort]), default=Sort.RELEVANCE.value, show_default=True)
@click.option("--limit", type=click.IntRange(1, MAX_PAGE_SIZE), help="Hits per page [default 10, env BRIEVEN_PAGE_SIZE].")
@click.option("--page", type=click.IntRange(1, None), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (the same as /api/search).")
@click.pass_obj
@library_errors
def search(settings: Settings, query, topics, date_from, date_to, year, sort, limit, page, as_json):
    """Search the paragraphs of the letters.

    Example: brieven search '"artikel 5" OF Rusland NIET China' --year 2022
    """
    request = SearchRequest(
        query=" ".join(query), topics=topics, date_from=date_from, date_to=date_to,
        year=year, sort=Sort(sort), page=page, page_size=limit or settings.page_size,
    )
    result = _service(settings).search(request)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_result(result)


def _print_result(result: "SearchResult") -> None:
    what = f" for {result.query!r}" if result.query else ""
    click.echo(
        f"{_count(result.total, 'paragraph')}{what} ({result.took_ms:.0f} ms)"
        + (f", page {result.page} of {result.pages}" if result.total else "")
    )
    if result.notice:
        click.secho(f"Note: {result.notice}", fg="yellow")
    if result.suggestion:
        click.secho(f"Bedoelde u: {result.suggestion}?", fg="cyan")
    first = (result.page - 1) * result.page_size
    for n, hit in enumerate(result.hits, first + 1):
        date = hit.date.isoformat() if hit.date else "undated"
        if hit.date_inferred:
            date += " (inferred)"
        click.echo("")
        click.echo(f"{n:>3}. " + click.style(hit.title, bold=True) + f"  {date}")
        where = f"{hit.letter_id}#{hit.number}"
        if hit.section:
            where += f"  § {hit.section}"
        if hit.kind != "body":
            where += f"  [{hit.kind}]"
        click.echo(f"     {where}")
        if hit.topics:
            click.echo("     topics: " + ", ".join(hit.topics))
        click.echo("     " + _terminal(hit.snippet))
    for name, label in (("topic", "Topics"), ("year", "Years")):
        values = result.facets.get(name) or []
        if values:
            click.echo("")
            click.echo(f"{label}: " + " · ".join(f"{v.value} ({v.count})" for v in values))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _terminal(snippet_html: str) -> str:
    """A snippet for the terminal: matches bold and coloured (click strips that when piped)."""
    parts = re.split(r"<mark>(.*?)</mark>", snippet_html)
    return "".join(
        click.style(html.unescape(p), bold=True, fg="yellow") if i % 2 else html.unescape(p)
        for i, p in enumerate(parts)
    )


@main.command()
@click.argument("letter")
@click.option("--json", "as_json", is_flag=True, help="Print the letter as JSON (the same as /api/brief/ID).")
@click.pass_obj
@library_errors
def show(settings: Settings, letter: str, as_json: bool):
    """Show a letter as it was read: metadata, then numbered paragraphs.

    Example: brieven show 002_95be2f4c36980282#12
    """
    letter_id, _, number = letter.partition("#")
    if number and not re.fullmatch(r"[0-9]+", number):
        raise click.UsageError(f"{letter!r}: after # comes a paragraph number, e.g. {letter_id}#3.")
    view = _service(settings).letter(letter_id)
    paragraphs = view.paragraphs
    if number:
        paragraphs = [p for p in paragraphs if p.number == int(number)]
        if not paragraphs:
            raise click.ClickException(
                f"Letter {letter_id} has paragraphs 1 to {len(view.paragraphs)}, not {number}."
            )
    if as_json:
        data = view.to_dict()
        data["paragraphs"] = [p for p in data["paragraphs"] if not number or p["paragraph"] == int(number)]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    date = view.date.isoformat() if view.date else "undated"
    click.echo(click.style(view.title, bold=True))
    click.echo(f"id:          {view.id}  ({view.source})")
    click.echo(f"date:        {date}" + ("  (inferred from the text)" if view.date_inferred else ""))
    for s in view.signatories:
        click.echo(f"signed:      {s.role}, {s.name}")
    for ref in view.kamerstukken:
        click.echo(f"refers to:   {ref}")
    click.echo(f"paragraphs:  {len(view.paragraphs)}")
    section = object()
    for p in paragraphs:
        if p.section != section and p.kind == "body":
            section = p.section
            if section:
                click.echo("\n" + click.style(f"§ {section}", bold=True))
        label = f"[{p.number}]" + (f" ({p.kind})" if p.kind != "body" else "")
        topics = f"  {{{', '.join(p.topics)}}}" if p.topics else ""
        click.echo(f"\n{label}{topics}\n{p.text}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.pass_obj
@library_errors
def export(settings: Settings, fmt: str):
    """Print every indexed paragraph with its fields.

    Example: brieven export --format csv > paragraphs.csv
    """
    paragraphs = _service(settings).paragraphs()
    if fmt == "jsonl":
        for p in paragraphs:
            click.echo(json.dumps(p.row(), ensure_ascii=False))
        return
    from indexer.searching import csv_lines

    for line in csv_lines(paragraphs):
        click.echo(line, nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--debug", is_flag=True, help="Flask's development server with the debugger: never on a public address.")
@click.option("--base-url", help="The site's public address, for the links in feeds, e.g. https://brieven.example.nl "
                                 "[env BRIEVEN_BASE_URL; default: the request's address for a loopback host, else relative links].")
@click.pass_obj
@library_errors
def serve(settings: Settings, host: str, port: int, debug: bool, base_url: str | None):
    """Serve the search site (waitress; Flask's development server with --debug).

    Example: brieven serve --host 0.0.0.0 --base-url https://brieven.example.nl
    """
    from search_ui import create_app
    from search_ui.serve import serve as run_server

    settings = settings.with_base_url(base_url)
    app = create_app({"INDEX_DIR": settings.index_dir, "PAGE_SIZE": settings.page_size,
                      "BASE_URL": settings.base_url})
    run_server(app, host=host, port=port, debug=debug)  # it says where it listens, once


@main.command()
@click.pass_obj
@library_errors
def topics(settings: Settings):
    """List the topics with the number of paragraphs that have each.

    Example: brieven topics
    """
    counts = _service(settings).topic_counts()
    for name, slug, count in sorted(counts, key=lambda t: (-t[2], t[0])):
        click.echo(f"{count:>6}  {name}  ({slug})")


@main.command()
@click.pass_obj
@library_errors
def stats(settings: Settings):
    """Show what the index holds.

    Example: brieven stats
    """
    for key, value in _service(settings).stats().items():
        click.echo(f"{key + ':':<12} {value}")


@main.command(name="eval")
@click.argument("qrels", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--no-baseline", is_flag=True, help="Skip the reference ranking (plain analysis, BM25).")
@click.pass_obj
@library_errors
def evaluate(settings: Settings, qrels: str, as_json: bool, no_baseline: bool):
    """Score the ranking against judgements, beside a reference ranking (Lucene-style Dutch
    analysis and plain BM25 over the same paragraphs): graded paragraphs (nDCG@10, MRR,
    recall@20) or relevant letters (nDCG@20, P@10, MAP@100), as the file holds.

    Example: brieven eval ../shared/eval/dev.json
    """
    from indexer.quality import evaluate as run
    from indexer.quality import load_judgements

    try:
        judgements = load_judgements(Path(qrels))
    except (ValueError, KeyError, TypeError) as error:
        raise click.UsageError(f"{qrels} is not a judgement file ({error}); see ../shared/eval/README.md.")
    report = run(_service(settings), judgements, baseline=not no_baseline)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    keys = [key for key, _ in report.metrics]
    labels = "".join(f"{label:>9}" for _, label in report.metrics)
    base = report.baseline or None
    click.echo(f"{'':<6} {'':<13}{labels}" + (f"  | baseline:{labels}" if base else "") + "  query")

    def row(label: str, kind: str, ours: dict, theirs: dict | None, text: str = "") -> str:
        line = f"{label:<6} {kind:<13}" + "".join(f"{ours[k]:>9.3f}" for k in keys)
        if theirs is not None:
            line += f"  | {'':>9}" + "".join(f"{theirs[k]:>9.3f}" for k in keys)
        return line + (f"  {text}" if text else "")

    for i, q in enumerate(report.queries):
        click.echo(row(q.id, q.kind, q.scores, base[i].scores if base else None, q.query))
    click.echo("")
    base_kinds = report.by_kind(base) if base else {}
    for kind, scores in report.by_kind().items():
        if kind:  # a file without kinds of query has one kind: all
            click.echo(row("kind", kind, scores, base_kinds.get(kind)))
    click.echo(row("all", "", report.mean(), report.mean(base) if base else None))


if __name__ == "__main__":
    main()
