"""brieven at scale: index, size, memory, adding a letter, query latency.

    python -m benchmarks.run --paragraphs 100000

Steps (each as the user runs brieven, `python -m indexer.cli` subprocesses):
1. letters of about N paragraphs made from ../shared/scale/ (benchmarks/corpus.py; cached in
   benchmarks/data/corpus-N/);
2. `brieven index --rebuild` into a fresh benchmarks/data/index-N/: wall time, paragraphs/s, index
   size on disk, peak RSS of the indexer process (os.wait4);
3. `brieven serve` on a free port; the fixed mix of 50 queries (benchmarks/queries.py) over HTTP
   (/api/search, page 1 with highlights and full facet counts): one warm-up search, then
   measured passes; p50/p95/p99; the server's peak RSS (VmHWM) after the passes;
4. the same queries in this process through SearchService.search (no HTTP, no JSON);
5. one new letter: `brieven add FILE` while polling the running server for a word only that
   letter has (seconds from the start of `add` to the first hit), then another one through the
   command line (`brieven add`, then `brieven search`);
6. with `--clients N`: N clients at once, each query new to the server (benchmarks/load.py):
   throughput and latency, for each server size of `--workers` (e.g. `--workers 1,2`).

Prints the figures as JSON and as a table beside the targets, and saves the JSON to
benchmarks/results/<timestamp>-<N>.json.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from benchmarks import adding, corpus as bench_corpus, load
from benchmarks.harness import (Server, cli, cpu_reference_ms, dir_size, git_commit, load_average, machine,
                                run, save_and_print, summary_ms)
from benchmarks.queries import QUERIES, api_params, label, search_request

RESULTS_DIR = Path(__file__).resolve().parent / "results"
MB = 2**20

# The targets on 2 cores: issue 6's for 100,000 paragraphs, issue 18's for 1,000,000. A run is
# checked against those of the largest scale it reaches (anything smaller: issue 6's).
TARGETS = {
    100_000: {
        "query_p95_ms": ("<=", 50.0),
        "query_p99_ms": ("<=", 150.0),
        "index_paragraphs_per_s": (">=", 3000.0),
        "add_searchable_s": ("<=", 2.0),
        "server_peak_rss_mb": ("<=", 300.0),
    },
    1_000_000: {
        "query_p50_ms": ("<=", 30.0),
        "query_p95_ms": ("<=", 100.0),
        "query_p99_ms": ("<=", 300.0),
        "index_paragraphs_per_s": (">=", 3000.0),
        "index_peak_rss_mb": ("<=", 4096.0),
        "bytes_per_paragraph": ("<=", 2048.0),
        "add_searchable_s": ("<=", 2.0),
        "server_peak_rss_mb": ("<=", 800.0),
    },
}


def target_scale(paragraphs: int) -> int:
    return max([s for s in TARGETS if paragraphs >= s], default=min(TARGETS))


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def pick_queries(count: int) -> list[dict]:
    """`count` queries of the mix, spread over its kinds (all 50 by default)."""
    if count >= len(QUERIES):
        return list(QUERIES)
    step = len(QUERIES) / count
    return [QUERIES[int(i * step)] for i in range(count)]


def measure_index(index_dir: Path, corpus_dir: Path) -> dict:
    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.rmtree(index_dir.with_name(index_dir.name + ".new"), ignore_errors=True)
    log(f"indexing {corpus_dir} -> {index_dir}")
    finished = run(cli(index_dir, corpus_dir, "index", "--rebuild"), sample_tree=True)
    if finished.returncode != 0:
        raise RuntimeError(f"brieven index failed ({finished.returncode}):\n{finished.stderr[-3000:]}")
    reported = adding.indexed_summary(finished)
    paragraphs = reported.get("paragraphs", 0)
    size = dir_size(index_dir)
    figures = {
        "seconds": round(finished.seconds, 2),
        "indexer_seconds": reported.get("indexer_seconds"),
        "letters": reported.get("letters"),
        "paragraphs": paragraphs,
        "paragraphs_per_s": round(paragraphs / finished.seconds, 1),
        "size_bytes": size,
        "size_mb": round(size / MB, 1),
        "bytes_per_paragraph": round(size / paragraphs, 1) if paragraphs else None,
        "peak_rss_mb": round(finished.peak_tree_rss_bytes / MB, 1),
        "peak_rss_one_process_mb": round(finished.peak_rss_bytes / MB, 1),
        "processes": finished.processes,
        "peak_rss_how": "largest sum of VmRSS over the indexer and its worker processes, sampled "
                        "every 50 ms (at least ru_maxrss of os.wait4, the largest single process)",
        "command": " ".join(finished.command),
    }
    log(f"indexed {paragraphs} paragraphs in {finished.seconds:.1f} s, "
        f"{figures['size_mb']} MB, peak RSS {figures['peak_rss_mb']} MB")
    return figures


WARMUP_QUERY = {"q": "opwarmen"}  # outside the mix: opens the searcher and reads the index state


def measure_http(server: Server, queries: list[dict], passes: int, warmup: int) -> dict:
    """The first pass asks each query for the first time: the service's result cache cannot
    answer it, so these are the figures checked against the targets. The repeated passes are
    answered from that cache (as paging back and forth is) and are reported apart."""
    for _ in range(warmup):
        server.search(api_params(WARMUP_QUERY))
    samples: dict[int, list[float]] = {i: [] for i in range(len(queries))}
    first: list[float] = []
    took: list[float] = []
    totals: dict[int, int] = {}
    for n in range(passes):
        for i, q in enumerate(queries):
            result, seconds = server.search(api_params(q))
            (first if n == 0 else samples[i]).append(seconds)
            if n == 0:
                took.append(result["took_ms"] / 1000)
            totals[i] = result["total"]
    repeated = [s for values in samples.values() for s in values]
    per_query = [
        {"query": label(q), "total": totals[i], "first_ms": round(first[i] * 1000, 2)}
        for i, q in enumerate(queries)
    ]
    return {
        "http": summary_ms(first),
        "service_took_ms": summary_ms(took),  # took_ms as the service reports it, inside the server
        "http_repeated": summary_ms(repeated) if repeated else None,
        "per_query": per_query,
    }


def measure_in_process(index_dir: Path, queries: list[dict], passes: int, warmup: int) -> dict:
    """Each query once, through a fresh SearchService (no cached results)."""
    from indexer.searching import SearchService

    service = SearchService(index_dir)
    started = time.perf_counter()
    service.search(search_request(WARMUP_QUERY))
    opening = time.perf_counter() - started  # opening the index and reading the facet postings
    samples = []
    for q in queries:
        t = time.perf_counter()
        service.search(search_request(q))
        samples.append(time.perf_counter() - t)
    return {**summary_ms(samples), "first_search_ms": round(opening * 1000, 1)}


def measure_load(server: Server, queries: list[dict], args: argparse.Namespace) -> dict:
    workers = len(server.processes()) - 1 or 1
    log(f"{args.clients} clients at once, {workers} worker(s), {args.rounds} round(s) of the mix each")
    server.search(api_params(WARMUP_QUERY))
    figures = {"workers": workers, "server_command": " ".join(server.command),
               **load.measure_load(server, queries, args.clients, args.rounds)}
    new = figures["new"]
    log(f"  {new['requests_per_s']} requests/s, p50 {new['latency']['p50_ms']} / p95 "
        f"{new['latency']['p95_ms']} / p99 {new['latency']['p99_ms']} ms, {new['errors']} errors; "
        f"CPU s per process {figures['cpu_seconds_per_process']}")
    return figures


def figures_file(index_dir: Path) -> Path:
    """Where a kept index's build figures are written (beside it: the index is brieven's)."""
    return index_dir.with_name(index_dir.name + ".figures.json")


def reused_index(index_dir: Path, corp) -> dict | None:
    """The figures of the build of an index of this corpus left by an earlier run
    (--keep-index), None if there is none: `brieven stats` must say it holds as many
    paragraphs as that build made."""
    try:
        built = json.loads(figures_file(index_dir).read_text())
    except (OSError, ValueError):
        return None
    stats = run(cli(index_dir, corp.directory, "stats"))
    if stats.returncode != 0 or f" {built['paragraphs']}\n" not in stats.stdout.replace(",", ""):
        return None
    log(f"reusing {index_dir} (the index figures are those of the run that built it)")
    return dict(built, reused=True)


def check(name: str, value: float | None, scale: int) -> dict | None:
    if name not in TARGETS[scale]:
        return None
    op, target = TARGETS[scale][name]
    met = None if value is None else (value <= target if op == "<=" else value >= target)
    return {"value": value, "target": f"{op} {target:g}", "met": met}


def benchmark(args: argparse.Namespace) -> dict:
    data_dir = Path(args.data_dir)
    queries = pick_queries(args.queries)
    figures: dict = {
        "benchmark": "brieven scale benchmark",
        "started": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
        "machine": machine(),
        "code": git_commit(),
    }
    log(f"corpus of {args.paragraphs} paragraphs")
    corp = bench_corpus.build_corpus(args.paragraphs, data_dir, log=log)
    figures["corpus"] = corp.describe()
    log(f"corpus: {corp.letters} letters, {corp.paragraphs} paragraphs (reader's count), "
        f"{corp.documents_used} documents used {figures['corpus']['repeats_per_document']} times each, "
        f"{corp.distinct_paragraphs} paragraphs of distinct text"
        + (" (cached)" if corp.cached else ""))
    index_dir = data_dir / f"index-{args.paragraphs}"
    figures["index"] = reused_index(index_dir, corp) if args.reuse_index else None
    if figures["index"] is None:
        figures["index"] = measure_index(index_dir, corp.directory)
        if args.keep_index:
            figures_file(index_dir).write_text(json.dumps(figures["index"]))

    work = Path(tempfile.mkdtemp(prefix="brieven-bench-"))
    rng = random.Random()
    docs = bench_corpus.load_documents()
    try:
        log("starting the server" + (f" ({args.workers[0]} worker(s))" if args.workers[0] else ""))
        with Server(index_dir, corp.directory, workers=args.workers[0]) as server:
            startup = server.memory()
            log(f"server up in {server.startup_seconds:.1f} s on port {server.port}; "
                f"{len(queries)} queries, {args.warmup} warm-up search(es), {args.passes} passes "
                "(the first uncached, checked against the targets)")
            http = measure_http(server, queries, args.passes, args.warmup)
            memory = server.memory()
            processes = server.processes()  # with workers: the searching happens in them
            figures["queries"] = {
                "count": len(queries),
                "passes": args.passes,
                "warmup_searches": args.warmup,
                "page_size": 10,
                "what": "GET /api/search, page 1 with highlighted snippets and facet counts over all "
                        "hits, one client connection (with several workers the server closes it after each answer), times from request sent to body read",
                **http,
            }
            figures["server"] = {
                "startup_seconds": round(server.startup_seconds, 2),
                "rss_after_startup_mb": round(startup.get("VmRSS", 0) / MB, 1),
                "peak_rss_mb": round(max(m.get("VmHWM", 0) for m in processes.values()) / MB, 1),
                "peak_rss_how": "the largest VmHWM of the server's processes (with workers, the largest worker)",
                "peak_rss_per_process_mb": [round(m.get("VmHWM", 0) / MB, 1) for m in processes.values()],
                "pss_total_mb": round(sum(load.pss_bytes(pid) for pid in processes) / MB, 1),
                "rss_mb": round(memory.get("VmRSS", 0) / MB, 1),
                "command": " ".join(server.command),
            }
            log(f"HTTP p50 {http['http']['p50_ms']} ms, p95 {http['http']['p95_ms']} ms, "
                f"p99 {http['http']['p99_ms']} ms; server peak RSS {figures['server']['peak_rss_mb']} MB")
            log("the same queries in-process (SearchService.search)")
            figures["queries"]["in_process"] = measure_in_process(index_dir, queries, args.passes, args.warmup)
            log(f"in-process p50 {figures['queries']['in_process']['p50_ms']} ms, "
                f"p95 {figures['queries']['in_process']['p95_ms']} ms")
            if not args.skip_add:
                log("adding a letter while polling the server")
                doc = rng.choice(docs)
                via_server = adding.add_via_server(
                    server, index_dir, corp.directory, work, bench_corpus.unique_word(rng),
                    date(2024, 12, 31), doc, poll_interval=args.poll_interval)
                log(f"  add {via_server['add_seconds']} s, searchable after {via_server['searchable_seconds']} s")
                log("adding a letter through the command line")
                via_cli = adding.add_via_cli(index_dir, corp.directory, work, bench_corpus.unique_word(rng),
                                             date(2024, 12, 30), rng.choice(docs))
                log(f"  add {via_cli['add_seconds']} s, searchable after {via_cli['searchable_seconds']} s")
                figures["add_letter"] = {
                    "index_paragraphs": figures["index"]["paragraphs"],
                    "server": via_server,
                    "cli": via_cli,
                }
            if args.clients:
                figures["load"] = [measure_load(server, queries, args)]
        for workers in args.workers[1:] if args.clients else ():
            with Server(index_dir, corp.directory, workers=workers) as server:
                figures["load"].append(measure_load(server, queries, args))
    finally:
        bench_corpus.remove_new_letters(corp.directory)  # keep the cached corpus as generated
        shutil.rmtree(work, ignore_errors=True)
        if args.keep_index and not args.skip_add:  # the added letters leave the kept index too
            run(cli(index_dir, corp.directory, "index"))
        if not args.keep_index:
            shutil.rmtree(index_dir, ignore_errors=True)
            index_dir.with_name(f".{index_dir.name}.lock").unlink(missing_ok=True)

    scale = target_scale(args.paragraphs)
    measured = {
        "query_p50_ms": figures["queries"]["http"]["p50_ms"],
        "query_p95_ms": figures["queries"]["http"]["p95_ms"],
        "query_p99_ms": figures["queries"]["http"]["p99_ms"],
        "index_paragraphs_per_s": figures["index"]["paragraphs_per_s"],
        "index_peak_rss_mb": figures["index"]["peak_rss_mb"],
        "bytes_per_paragraph": figures["index"]["bytes_per_paragraph"],
        "add_searchable_s": figures["add_letter"]["server"]["searchable_seconds"] if "add_letter" in figures else None,
        "server_peak_rss_mb": figures["server"]["peak_rss_mb"],
    }
    figures["targets"] = {
        "scale": f"targets are for {scale:,} paragraphs on 2 cores"
                 + ("" if args.paragraphs == scale else f"; this run has {args.paragraphs:,}"),
        **{name: c for name, value in measured.items() if (c := check(name, value, scale)) is not None},
    }
    figures["finished"] = datetime.now().isoformat(timespec="seconds")
    figures["machine"]["load_average_at_end"] = load_average()
    figures["machine"]["cpu_reference_ms_at_end"] = cpu_reference_ms()
    return figures


def table(f: dict) -> str:
    """The figures as a plain-text table, targets beside them."""
    t = f["targets"]
    m, c, ix, q, s = f["machine"], f["corpus"], f["index"], f["queries"], f["server"]

    def mark(name: str) -> str:
        met = t[name]["met"] if name in t else None
        return "" if met is None else ("yes" if met else "NO")

    def target(name: str) -> str:
        return t[name]["target"] if name in t else ""

    rows = [
        ("Index (brieven index --rebuild)", "", "", ""),
        ("  paragraphs / letters", f"{ix['paragraphs']:,} / {ix['letters']:,}", "", ""),
        ("  wall time", f"{ix['seconds']:.1f} s" + (" (the run that built it)" if ix.get("reused") else ""), "", ""),
        ("  paragraphs/s", f"{ix['paragraphs_per_s']:,.0f}",
         target("index_paragraphs_per_s"), mark("index_paragraphs_per_s")),
        ("  size on disk", f"{ix['size_mb']:.1f} MB ({ix['bytes_per_paragraph']:.0f} B/paragraph)",
         target("bytes_per_paragraph"), mark("bytes_per_paragraph")),
        (f"  indexer peak RSS ({ix.get('processes', 1)} process(es))",
         "-" if ix.get("peak_rss_mb") is None else f"{ix['peak_rss_mb']:.0f} MB",
         target("index_peak_rss_mb"), mark("index_peak_rss_mb")),
        (f"Queries over HTTP ({q['count']} queries, each asked the first time)", "", "", ""),
        ("  p50", f"{q['http']['p50_ms']:.1f} ms", target("query_p50_ms"), mark("query_p50_ms")),
        ("  p95", f"{q['http']['p95_ms']:.1f} ms", target("query_p95_ms"), mark("query_p95_ms")),
        ("  p99", f"{q['http']['p99_ms']:.1f} ms", target("query_p99_ms"), mark("query_p99_ms")),
        ("  max", f"{q['http']['max_ms']:.1f} ms", "", ""),
        ("  took_ms in server p50/p95/p99",
         f"{q['service_took_ms']['p50_ms']:.1f} / {q['service_took_ms']['p95_ms']:.1f} / "
         f"{q['service_took_ms']['p99_ms']:.1f} ms", "", ""),
        ("  repeated (from the result cache) p50/p95/p99",
         "{p50_ms:.1f} / {p95_ms:.1f} / {p99_ms:.1f} ms".format(**q["http_repeated"])
         if q.get("http_repeated") else "-", "", ""),
        ("In-process SearchService.search p50/p95/p99",
         f"{q['in_process']['p50_ms']:.1f} / {q['in_process']['p95_ms']:.1f} / "
         f"{q['in_process']['p99_ms']:.1f} ms", "", ""),
        ("Server peak RSS (VmHWM) after the passes", f"{s['peak_rss_mb']:.0f} MB",
         target("server_peak_rss_mb"), mark("server_peak_rss_mb")),
    ]
    if "add_letter" in f:
        a = f["add_letter"]
        rows += [
            ("One new letter (brieven add FILE)", "", "", ""),
            ("  add, wall time (server running)", f"{a['server']['add_seconds']:.2f} s", "", ""),
            ("  searchable via server after", f"{a['server']['searchable_seconds']:.2f} s",
             target("add_searchable_s"), mark("add_searchable_s")),
            ("  add, wall time (CLI path)", f"{a['cli']['add_seconds']:.2f} s", "", ""),
            ("  + brieven search (CLI) wall time", f"{a['cli']['search_seconds']:.2f} s", "", ""),
            ("  searchable via CLI after", f"{a['cli']['searchable_seconds']:.2f} s", "", ""),
        ]
    for ld in f.get("load", []):
        new, again = ld["new"], ld["repeated"]
        rows += [
            (f"{ld['clients']} clients at once, {ld['workers']} worker(s), each request new", "", "", ""),
            ("  requests/s (errors)", f"{new['requests_per_s']:,.1f} ({new['errors']})", "", ""),
            ("  p50 / p95 / p99", "{p50_ms:.0f} / {p95_ms:.0f} / {p99_ms:.0f} ms".format(**new["latency"]), "", ""),
            ("  CPU s per process (main first); per request",
             " / ".join(f"{x:g}" for x in ld["cpu_seconds_per_process"]) + f"; {new['server_cpu_ms_per_request']:.1f} ms",
             "", ""),
            ("  the clients' own CPU", f"{new['client_cpu_seconds']:.1f} s", "", ""),
            ("  peak RSS per process; PSS total",
             " / ".join(f"{x:.0f}" for x in ld["peak_rss_per_process_mb"]) + f" MB; {ld['pss_total_mb']:.0f} MB", "", ""),
            ("  repeated (result cache): requests/s, p50/p95",
             f"{again['requests_per_s']:,.1f}, " + "{p50_ms:.0f} / {p95_ms:.0f} ms".format(**again["latency"]), "", ""),
        ]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    head = [
        f"brieven benchmark: {ix['paragraphs']:,} paragraphs ({c['letters']:,} letters; "
        f"{c['documents_used']:,} documents of the scale data, each used {c['repeats_per_document']}x, "
        f"{c.get('distinct_paragraphs', 0):,} paragraphs of text no other has)",
        f"machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}; "
        f"code {f['code']['commit']}" + (" + uncommitted changes" if f['code']['uncommitted_changes'] else "")
        + f" (source {f['code'].get('source_digest')})",
        f"load average at start {m.get('load_average')}, at end {m.get('load_average_at_end')} "
        "(other work on the machine disturbs the figures)",
        f"CPU reference loop at start {m.get('cpu_reference_ms')} ms, at end "
        f"{m.get('cpu_reference_ms_at_end')} ms (lower is a faster machine at that moment)",
        f"({t['scale']})",
        "",
        f"{'figure':<{w0}}  {'value':<{w1}}  {'target':<{w2}}  met",
    ]
    lines = [f"{a:<{w0}}  {b:<{w1}}  {cc:<{w2}}  {d}".rstrip() for a, b, cc, d in rows]
    slow = sorted(q["per_query"], key=lambda p: -p["first_ms"])[:5]
    tail = ["", "slowest queries (asked the first time, HTTP):"] + [
        f"  {p['first_ms']:>8.1f} ms  {p['total']:>7,} hits  {p['query']}" for p in slow
    ]
    return "\n".join(head + lines + tail)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=10_000, help="size of the corpus (default 10000)")
    parser.add_argument("--queries", type=int, default=len(QUERIES),
                        help=f"how many of the {len(QUERIES)} queries of the mix (default all)")
    parser.add_argument("--passes", type=int, default=5, help="measured passes over the queries (default 5)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="warm-up searches with a query outside the mix (default 1)")
    parser.add_argument("--poll-interval", type=float, default=0.05,
                        help="seconds between polls of the server after `add` (default 0.05)")
    parser.add_argument("--skip-add", action="store_true", help="leave out the new-letter timing")
    parser.add_argument("--keep-index", action="store_true", help="keep benchmarks/data/index-N afterwards")
    parser.add_argument("--reuse-index", action="store_true",
                        help="use benchmarks/data/index-N of an earlier --keep-index run when it holds the corpus")
    parser.add_argument("--clients", type=int, default=0,
                        help="N clients at once, each query new to the server: throughput and latency (default: none)")
    parser.add_argument("--rounds", type=int, default=1, help="times each client sends the mix (default 1)")
    parser.add_argument("--workers", default="",
                        help="server processes, or a list (1,2) to measure the clients against each "
                             "(default: brieven serve's, one per core)")
    parser.add_argument("--data-dir", default=str(bench_corpus.DATA_DIR), help="for corpora and indexes")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR), help="where the JSON is saved")
    args = parser.parse_args(argv)
    try:
        args.workers = [int(w) for w in args.workers.split(",") if w.strip()] or [0]
    except ValueError:
        parser.error("--workers takes numbers separated by commas, e.g. 1,2")
    if min(args.workers) < 0 or args.clients < 0 or args.rounds < 1:
        parser.error("--workers and --clients must not be negative, --rounds at least 1")
    if args.paragraphs < 1 or args.queries < 1 or args.passes < 1 or args.warmup < 0:
        parser.error("--paragraphs, --queries and --passes must be at least 1, --warmup at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures = benchmark(args)
    save_and_print(figures, args.results_dir, str(args.paragraphs), table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
