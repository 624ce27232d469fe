"""The `brieven` command: a thin shell over the index and the search service.

Each subcommand gathers its arguments, calls the library, and prints through one function;
library errors become click errors whose message says what to do. It speaks Dutch, as the site
does (option names are English; click's own usage messages stay click's). A command imports the wings
it uses when it runs (the small helpers below), so that `brieven --help` loads neither numpy
nor Whoosh, and a search loads no indexer, PDF reader or web app.
"""
from __future__ import annotations

import functools
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from indexer.cli_output import KIND_NAMES, STATS_LABELS, count, print_result
from indexer.errors import BrievenError
from indexer.searching import FIRST_YEAR, LAST_YEAR, MAX_PAGE_SIZE, Group, SearchRequest, Sort
from indexer.settings import Settings

if TYPE_CHECKING:
    from indexer.searching import SearchService
    from indexer.store import IndexSummary


def _service(settings: Settings) -> "SearchService":
    """The search service over the configured index (numpy and Whoosh load here)."""
    if settings.backend == "opensearch":
        from indexer.searching import OpenSearchService

        return OpenSearchService(settings.opensearch())
    from indexer.searching import SearchService

    return SearchService(settings.index_dir)


def _update_index(settings: Settings, **options) -> "IndexSummary":
    """Bring the index up to date with the corpus (the indexer loads here)."""
    if settings.backend == "opensearch":
        from indexer.store import update_opensearch

        options.pop("parallel", None)
        options.pop("only", None)  # the cluster compares the corpus itself
        return update_opensearch(settings.opensearch(), settings.corpus_dir, **options)
    from indexer.store import update_index

    return update_index(settings.index_dir, settings.corpus_dir, **options)


class Problem(click.ClickException):
    """A problem with the state of things (exit 1), said in Dutch."""

    def show(self, file=None) -> None:
        click.echo(f"Fout: {self.format_message()}", err=True, file=file)


def library_errors(fn):
    """Turn the library's errors into click errors: a usage error (exit 2) or a problem with
    the state of things (exit 1), as each error says."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BrievenError as error:
            kind = click.UsageError if error.exit_code == 2 else Problem
            raise kind(str(error)) from error

    return wrapper


def _date(ctx, param, value):
    if value is None:
        return None
    from indexer.reading import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is geen datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2022-06-30.")
    return parsed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", "index_dir", type=click.Path(file_okay=False), help="Map van de index [env BRIEVEN_INDEX; standaard .brieven/index].")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), help="Map met de brieven [env BRIEVEN_CORPUS; standaard corpus/].")
@click.option("--backend", type=click.Choice(["whoosh", "opensearch"]), help="Zoekmachine: de ingebouwde index of een "
              "OpenSearch-cluster [env BRIEVEN_BACKEND; standaard whoosh; adres: env BRIEVEN_OPENSEARCH_URL].")
@click.version_option(package_name="brieven", message="%(prog)s, versie %(version)s")
@click.pass_context
def main(ctx, index_dir, corpus_dir, backend):
    """Zoek in Kamerbrieven, tot op de alinea.

    Voorbeeld: brieven index && brieven search "dialoog met Rusland"
    """
    try:
        ctx.obj = Settings.resolve(index=index_dir, corpus=corpus_dir, env=os.environ, backend=backend)
    except BrievenError as error:
        raise click.UsageError(str(error)) from error


@main.command()
@click.option("--rebuild", is_flag=True, help="Bouw een nieuwe index in plaats van de huidige bij te werken.")
@click.pass_obj
@library_errors
def index(settings: Settings, rebuild: bool):
    """Indexeer het corpus: nieuwe brieven erbij, gewijzigde vervangen, verwijderde eruit.
    De eerste keer, en als het grootste deel van het corpus nieuw of gewijzigd is, wordt de
    index opnieuw opgebouwd, op elke processorkern.

    Voorbeeld: brieven index --rebuild
    """
    from indexer.cli_progress import IndexProgress
    from indexer.reading import find_letters

    with IndexProgress(len(find_letters(settings.corpus_dir))) as progress:
        summary = _update_index(
            settings, rebuild=rebuild, progress=progress.update,
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
    """Kopieer brieven naar het corpus en indexeer ze (de originelen blijven waar ze zijn).

    Voorbeeld: brieven add ~/Downloads/kamerbrief-navo-top.pdf
    """
    from indexer.reading import add_to_corpus

    if settings.backend == "opensearch":
        report = add_to_corpus(list(files), settings.corpus_dir)
    else:
        from indexer.store import indexed_content

        with indexed_content(settings.index_dir) as indexed:
            report = add_to_corpus(list(files), settings.corpus_dir, indexed)
    for name in report.copied:
        click.echo(f"toegevoegd: {name} aan {settings.corpus_dir}")
    for name, existing in report.duplicates:
        click.echo(f"{name} staat al in het corpus als {existing}: één keer geïndexeerd", err=True)
    for name, reason in report.refused:
        click.echo(f"niet toegevoegd: {name}: {reason}", err=True)
    # only what was copied: the rest of the corpus is left to `brieven index` (or watch)
    summary = _update_index(settings, only=report.copied)
    _report(summary, settings)
    if report.refused or summary.skipped:
        sys.exit(1)


@main.command()
@click.pass_obj
@library_errors
def watch(settings: Settings):
    """Houd het corpus in de gaten en indexeer brieven zodra ze komen, veranderen of verdwijnen
    (Ctrl-C stopt).

    Voorbeeld: BRIEVEN_CORPUS=/data/kamerbrieven brieven watch
    """
    from indexer.store import watch as run_watch

    click.echo(f"Houdt {settings.corpus_dir} in de gaten (Ctrl-C stopt)", err=True)

    def report(summary: "IndexSummary") -> None:
        for kind, ids in (("toegevoegd", summary.added), ("gewijzigd", summary.changed),
                          ("verwijderd", summary.removed)):
            for letter_id in ids:
                click.echo(f"{time.strftime('%H:%M:%S')} {kind} {letter_id}")
        if summary.added or summary.changed or summary.removed or summary.skipped or summary.rebuilt:
            _report(summary, settings)

    def on_error(error: Exception) -> None:
        click.echo(f"{time.strftime('%H:%M:%S')} fout: {error}", err=True)

    try:
        run_watch(settings.corpus_dir, settings.index_dir, report, on_error,
                  update=(lambda: _update_index(settings)) if settings.backend == "opensearch" else None)
    except KeyboardInterrupt:
        click.echo("Gestopt.", err=True)


def _report(summary: "IndexSummary", settings: Settings) -> None:
    """What indexing did, in one summary line; skipped files and notes on stderr."""
    for name, note in summary.notes:
        click.echo(f"opmerking: {name}: {note}", err=True)
    for name, reason in summary.skipped:
        click.echo(f"overgeslagen: {name}: {reason}", err=True)
    counted = summary.letters is not None  # `add` indexes its own letters without counting the rest
    how = ("opnieuw opgebouwd" + (f": {summary.rebuilt_because}" if summary.rebuilt_because else "")
           if summary.rebuilt else None) or (
        f"{len(summary.added)} nieuw, {len(summary.changed)} gewijzigd"
        + (f", {len(summary.removed)} verwijderd, {summary.unchanged} ongewijzigd" if counted else "")
    )
    paragraphs = count(summary.paragraphs, "alinea", "alinea's")
    held = f"{count(summary.letters, 'brief', 'brieven')}, {paragraphs}" if counted else f"{paragraphs} in de index"
    click.echo(f"Geïndexeerd: {held} in {summary.seconds:.1f} s "
               f"({how}; {len(summary.skipped)} overgeslagen) -> {_target(settings)}")


def _target(settings: Settings) -> str:
    """Where the index is: its folder, or the cluster and alias."""
    if settings.backend == "opensearch":
        config = settings.opensearch()
        return f"{config.shown_url}/{config.alias}"
    return str(settings.index_dir)


@main.command()
@click.argument("query", nargs=-1)
@click.option("--topic", "topics", multiple=True, help="Alleen alinea's met dit onderwerp (naam of slug); herhaalbaar.")
@click.option("--ministry", "ministries", multiple=True, help="Alleen brieven van dit ministerie (naam of slug, bijv. justitie); herhaalbaar.")
@click.option("--dossier", "dossiers", multiple=True, help="Alleen brieven uit dit dossier (bijv. 21461, 35925-V; een dossier omvat zijn hoofdstukken); herhaalbaar.")
@click.option("--from", "date_from", callback=_date, help="Brieven van deze datum of later (JJJJ-MM-DD).")
@click.option("--to", "date_to", callback=_date, help="Brieven van deze datum of eerder (JJJJ-MM-DD).")
@click.option("--year", type=click.IntRange(FIRST_YEAR, LAST_YEAR), help="Brieven uit dit jaar.")
@click.option("--sort", type=click.Choice([s.value for s in Sort]), default=Sort.RELEVANCE.value, show_default=True,
              help="Volgorde: relevantie, nieuwste of oudste eerst.")
@click.option("--per-letter", is_flag=True, help="Elke brief één keer, met zijn beste alinea's (tot 3); --limit telt dan brieven.")
@click.option("--exact", is_flag=True, help="Vindt de zoekvraag niets, zoek dan niet de voorgestelde spelling.")
@click.option("--collapse", is_flag=True,
              help="Bijna gelijke treffers (dezelfde tekst met een andere datum, naam of een ander getal) als één, met '+N vergelijkbare'.")
@click.option("--limit", type=click.IntRange(1, MAX_PAGE_SIZE), help="Resultaten per pagina [standaard 10, env BRIEVEN_PAGE_SIZE].")
@click.option("--page", type=click.IntRange(1, None), default=1, show_default=True, help="Welke pagina.")
@click.option("--json", "as_json", is_flag=True, help="Het resultaat als JSON (hetzelfde als /api/search).")
@click.pass_obj
@library_errors
def search(settings: Settings, query, topics, ministries, dossiers, date_from, date_to, year, sort, per_letter,
           exact, collapse, limit, page, as_json):
    """Zoek in de alinea's van de brieven.

    Voorbeeld: brieven search '"artikel 5" OF Rusland NIET China' --year 2022 --ministry defensie
    """
    request = SearchRequest(
        query=" ".join(query), topics=topics, ministries=ministries, dossiers=dossiers,
        date_from=date_from, date_to=date_to,
        year=year, sort=Sort(sort), page=page, page_size=limit or settings.page_size,
        group=Group.LETTER if per_letter else Group.PARAGRAPH, exact=exact, collapse=collapse,
    )
    result = _service(settings).search(request)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_result(result)


@main.command()
@click.argument("letter")
@click.option("--json", "as_json", is_flag=True, help="De brief als JSON (hetzelfde als /api/brief/ID).")
@click.pass_obj
@library_errors
def show(settings: Settings, letter: str, as_json: bool):
    """Toon een brief zoals hij gelezen is: gegevens, dan genummerde alinea's.

    Voorbeeld: brieven show 002_95be2f4c36980282#12
    """
    letter_id, _, number = letter.partition("#")
    if number and not re.fullmatch(r"[0-9]+", number):
        raise click.UsageError(f"{letter!r}: na # komt een alineanummer, bijvoorbeeld {letter_id}#3.")
    view = _service(settings).letter(letter_id)
    paragraphs = view.paragraphs
    if number:
        paragraphs = [p for p in paragraphs if p.number == int(number)]
        if not paragraphs:
            raise Problem(
                f"Brief {letter_id} heeft de alinea's 1 tot en met {len(view.paragraphs)}, niet {number}."
            )
    if as_json:
        data = view.to_dict()
        data["paragraphs"] = [p for p in data["paragraphs"] if not number or p["paragraph"] == int(number)]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    date = view.date.isoformat() if view.date else "zonder datum"
    click.echo(click.style(view.title, bold=True))
    click.echo(f"id:             {view.id}  ({view.source})")
    click.echo(f"datum:          {date}" + ("  (afgeleid uit de tekst)" if view.date_inferred else ""))
    if view.kamerstuk or view.dossier:
        click.echo(f"kamerstuk:      {view.kamerstuk or '-'}  (dossier {view.dossier or '?'}, "
                   f"nr. {view.document_number or '?'})")
    if view.dossier_title:
        click.echo(f"dossier:        {view.dossier_title}")
    if view.sender:
        click.echo(f"afzender:       {view.sender}")
    if view.ministries:
        click.echo(f"ministeries:    {'; '.join(view.ministries)}")
    if view.topics:
        click.echo(f"onderwerpen:    {'; '.join(view.topics)}")
    for s in view.signatories:
        click.echo(f"ondertekend:    {', '.join(x for x in (s.role, s.name) if x)}")
    for ref in view.refers_to:
        click.echo(f"verwijst naar:  {ref}")
    for note in view.notes:
        click.secho(f"let op:         {note}", fg="yellow")
    click.echo(f"alinea's:       {len(view.paragraphs)}")
    section = object()
    for p in paragraphs:
        if p.section != section and p.kind == "body":
            section = p.section
            if section:
                click.echo("\n" + click.style(f"§ {section}", bold=True))
        label = f"[{p.number}]" + (f" ({KIND_NAMES.get(p.kind.value, p.kind.value)})" if p.kind != "body" else "")
        topics = f"  {{{', '.join(p.topics)}}}" if p.topics else ""
        click.echo(f"\n{label}{topics}\n{p.text}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.pass_obj
@library_errors
def export(settings: Settings, fmt: str):
    """Alle geïndexeerde alinea's met hun velden (jsonl: één JSON-object per regel; csv: voor
    een spreadsheet, zoals /export.csv).

    Voorbeeld: brieven export --format csv > alineas.csv
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
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren (standaard alleen deze machine).")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True, help="Poort.")
@click.option("--debug", is_flag=True, help="Flasks ontwikkelserver met debugger: nooit op een openbaar adres.")
@click.option("--base-url", help="Het openbare adres van de site, voor de links in feeds, bijvoorbeeld https://brieven.example.nl "
                                 "[env BRIEVEN_BASE_URL; standaard: het adres van het verzoek bij een loopback-adres, anders relatieve links].")
@click.option("--workers", type=click.IntRange(1, 64), help="Aantal serverprocessen, elk met een eigen zoekdienst over dezelfde index [standaard: het aantal processorkernen].")
@click.option("--access-log", type=click.Path(dir_okay=False, allow_dash=True), help="Schrijf een regel per verzoek (met het proces dat antwoordde) naar dit bestand, of - voor stderr.")
@click.pass_obj
@library_errors
def serve(settings: Settings, host: str, port: int, debug: bool, base_url: str | None,
          workers: int | None, access_log: str | None):
    """Serveer de zoeksite (gunicorn, een proces per processorkern; Flasks ontwikkelserver met --debug).

    Voorbeeld: brieven serve --host 0.0.0.0 --base-url https://brieven.example.nl --workers 2
    """
    from search_ui import create_app
    from search_ui.serve import serve as run_server
    from indexer.analysis import analyse_common_words
    from search_ui.service import prepare

    settings = settings.with_base_url(base_url)
    app = create_app({"INDEX_DIR": settings.index_dir, "PAGE_SIZE": settings.page_size,
                      "BASE_URL": settings.base_url,
                      "OPENSEARCH": settings.opensearch() if settings.backend == "opensearch" else None})
    # the first searches' highlights need the common words analysed: once, before the workers
    # are forked (they share it)
    analyse_common_words()
    # it says where it listens, once
    run_server(app, host=host, port=port, debug=debug, workers=workers, access_log=access_log, warm=prepare)


@main.command()
@click.pass_obj
@library_errors
@click.option("--json", "as_json", is_flag=True, help="Als JSON: slug, name, parent, paragraphs, letters.")
def topics(settings: Settings, as_json: bool):
    """De onderwerpen als boom: elk thema met zijn alinea's en brieven, het grootste eerst,
    met daaronder zijn subonderwerpen.

    Voorbeeld: brieven topics --json
    """
    counts = _service(settings).topic_counts()
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in counts], ensure_ascii=False, indent=1))
        return
    click.echo(f"{'alinea':>7} {'brieven':>7}  onderwerp")
    for c in counts:
        indent = "    " if c.parent else ""
        click.echo(f"{c.paragraphs:>7} {c.letters:>7}  {indent}{c.name}  ({c.slug})")


@main.command()
@click.pass_obj
@library_errors
def stats(settings: Settings):
    """Wat de index bevat.

    Voorbeeld: brieven stats
    """
    for key, value in _service(settings).stats().items():
        click.echo(f"{STATS_LABELS.get(key, key) + ':':<17} {value}")



@main.command(name="eval")
@click.argument("qrels", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="De scores als JSON.")
@click.option("--no-baseline", is_flag=True, help="Zonder de referentierangschikking (eenvoudige analyse, BM25).")
@click.pass_obj
@library_errors
def evaluate(settings: Settings, qrels: str, as_json: bool, no_baseline: bool):
    """Meet de rangschikking aan beoordelingen, naast een referentie (Lucene-achtige Nederlandse
    analyse en gewone BM25 over dezelfde alinea's): beoordeelde alinea's (nDCG@10, MRR,
    recall@20) of relevante brieven (nDCG@20, P@10, MAP@100), wat het bestand bevat.

    Voorbeeld: brieven eval ../shared/eval/dev.json
    """
    from indexer.quality import evaluate as run
    from indexer.quality import load_judgements

    try:
        judgements = load_judgements(Path(qrels))
    except (ValueError, KeyError, TypeError) as error:
        raise click.UsageError(f"{qrels} is geen bestand met beoordelingen ({error}); zie ../shared/eval/README.md.")
    report = run(_service(settings), judgements, baseline=not no_baseline)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    keys = [key for key, _ in report.metrics]
    labels = "".join(f"{label:>9}" for _, label in report.metrics)
    base = report.baseline or None
    click.echo(f"{'':<6} {'':<13}{labels}" + (f"  | referentie:{labels}" if base else "") + "  zoekvraag")

    def row(label: str, kind: str, ours: dict, theirs: dict | None, text: str = "") -> str:
        line = f"{label:<6} {kind:<13}" + "".join(f"{ours[k]:>9.3f}" for k in keys)
        if theirs is not None:
            line += f"  | {'':>11}" + "".join(f"{theirs[k]:>9.3f}" for k in keys)
        return line + (f"  {text}" if text else "")

    for i, q in enumerate(report.queries):
        click.echo(row(q.id, q.kind, q.scores, base[i].scores if base else None, q.query))
    click.echo("")
    base_kinds = report.by_kind(base) if base else {}
    for kind, scores in report.by_kind().items():
        if kind:  # a file without kinds of query has one kind: all
            click.echo(row("soort", kind, scores, base_kinds.get(kind)))
    click.echo(row("alles", "", report.mean(), report.mean(base) if base else None))


if __name__ == "__main__":
    main()
