"""Where the time goes: cProfile of indexing, or of one query, printed as the top functions.

    python -m benchmarks.profiling index --paragraphs 2000
    python -m benchmarks.profiling query --paragraphs 100000 'werkloosheid jaar:2018..2020'
    python -m benchmarks.profiling mix --paragraphs 100000     # the 50 queries, by stage

`index` profiles update_index(rebuild=True) in this process on the generated corpus of that size
(benchmarks/data/corpus-N/, made when missing) into a temporary directory. `query` profiles
SearchService.search on benchmarks/data/index-N/ (kept by `python -m benchmarks.run
--paragraphs N --keep-index`; built here when missing), after one warm-up search, `--repeat`
times. `mix` asks the 50 queries of the mix once each (each the first time) on that index and
prints, per query, the time of each stage of a search (the time spent in the function
that does it, timed) and the memory a search allocates at its peak (tracemalloc, in a second pass):
what grows with the archive shows up by running it at several sizes. `--save FILE` keeps the
raw profile for snakeviz or pstats.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import corpus as bench_corpus


def _print(profile: cProfile.Profile, top: int, save: str | None) -> None:
    if save:
        profile.dump_stats(save)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        text = out.getvalue()
        start = text.find("   ncalls")
        print(f"--- top {top} by {order} ---")
        print(text[start:].rstrip() if start >= 0 else text)
        print()


def profile_index(args) -> None:
    from indexer.store import update_index

    corp = bench_corpus.build_corpus(args.paragraphs, Path(args.data_dir), log=lambda m: print(m, file=sys.stderr))
    tmp = Path(tempfile.mkdtemp(prefix="brieven-profile-"))
    try:
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        summary = update_index(tmp / "index", corp.directory, rebuild=True)
        profile.disable()
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"indexed {summary.paragraphs} paragraphs of {summary.letters} letters in {seconds:.1f} s "
          f"under cProfile ({summary.paragraphs / seconds:.0f} paragraphs/s; slower than without)\n")
    _print(profile, args.top, args.save)


def profile_query(args) -> None:
    from benchmarks.harness import cli, run
    from benchmarks.queries import search_request
    from indexer.searching import SearchService

    index_dir = Path(args.data_dir) / f"index-{args.paragraphs}"
    if not index_dir.exists():
        corp = bench_corpus.build_corpus(args.paragraphs, Path(args.data_dir))
        print(f"building {index_dir}", file=sys.stderr)
        finished = run(cli(index_dir, corp.directory, "index", "--rebuild"))
        if finished.returncode:
            sys.exit(finished.stderr)
    query = {"q": args.query, "sort": args.sort, "topic": args.topic, "year": args.year}
    service = SearchService(index_dir)
    result = service.search(search_request(query))  # warm: index opened, facet postings cached
    times = []
    profile = cProfile.Profile()
    for _ in range(args.repeat):
        started = time.perf_counter()
        profile.enable()
        service.search(search_request(query))
        profile.disable()
        times.append((time.perf_counter() - started) * 1000)
    print(f"{args.query!r} on {index_dir}: {result.total} hits; {args.repeat} searches under cProfile, "
          f"{min(times):.1f}-{max(times):.1f} ms each\n")
    _print(profile, args.top, args.save)


# stage -> (module, class or None, function) whose time is the stage's
STAGES = {
    "whole search": ("indexer.searching.service", "SearchService", "_answer"),
    "compile the query": ("indexer.searching.compiler", "Compiler", "compile"),
    "find the matches": ("indexer.searching.engine", "Evaluation", "matches"),
    "filters": ("indexer.searching.index_state", "IndexState", "filter"),
    "count the letters": ("indexer.searching.matching", "Found", "total_letters"),
    "order (top k, date)": ("indexer.searching.matching", "Found", "order"),
    "facets": ("indexer.searching.index_state", "IndexState", "facets"),
    "year histogram": ("indexer.searching.index_state", "IndexState", "year_counts"),
    "page: read and highlight": ("indexer.searching.service", "SearchService", "_page"),
    "spelling suggestion": ("indexer.searching.service", None, "suggest"),
}


def _time_stages() -> dict[str, float]:
    """Wrap each stage's function with a timer of the thread's CPU time (outermost calls only);
    the totals, in seconds, fill the returned dict as searches run. cProfile's own cost distorts
    Python-heavy stages (reading stored fields) tenfold, so plain timers."""
    import functools
    import importlib

    totals = dict.fromkeys(STAGES, 0.0)
    for stage, (module_name, owner_name, function) in STAGES.items():
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name) if owner_name else module
        original = getattr(owner, function)
        is_property = isinstance(original, property)
        inner = original.fget if is_property else original
        depth = [0]

        def timed(*a, __inner=inner, __stage=stage, __depth=depth, **kw):
            __depth[0] += 1
            started = time.thread_time()
            try:
                return __inner(*a, **kw)
            finally:
                __depth[0] -= 1
                if not __depth[0]:
                    totals[__stage] += time.thread_time() - started

        functools.update_wrapper(timed, inner)
        setattr(owner, function, property(timed) if is_property else timed)
    return totals


def profile_mix(args) -> None:
    import dataclasses
    import tracemalloc

    from benchmarks.queries import QUERIES, search_request
    from indexer.searching import SearchService

    index_dir = _index(args)
    totals = _time_stages()
    service = SearchService(index_dir)
    service.search(search_request({"q": "opwarmen"}))
    requests = [search_request(q) for q in QUERIES]
    for stage in totals:
        totals[stage] = 0.0
    started, cpu = time.perf_counter(), time.thread_time()
    for request in requests:
        service.search(request)
    wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
    spent = dict(totals)
    peaks = []
    tracemalloc.start()
    for request in requests:  # another page size: not from the result cache
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        service.search(dataclasses.replace(request, page_size=11))
        peaks.append(tracemalloc.get_traced_memory()[1] - before)
    tracemalloc.stop()
    n = len(requests)
    print(f"{n} queries of the mix on {index_dir} ({service.stats()['paragraphs']:,} paragraphs), "
          f"each the first time: {1000 * cpu / n:.1f} ms of CPU per query ({1000 * wall / n:.1f} ms wall; "
          "the stages in CPU time, which other work on the machine disturbs less)")
    for stage in STAGES:
        print(f"  {stage:<28} {1000 * spent[stage] / n:7.2f} ms per query")
    peaks.sort()
    print(f"  memory a search allocates at its peak (tracemalloc): median {peaks[n // 2] / 2**20:.1f} MB, "
          f"largest {peaks[-1] / 2**20:.1f} MB")


def _index(args) -> Path:
    from benchmarks.harness import cli, run

    index_dir = Path(args.data_dir) / f"index-{args.paragraphs}"
    if not index_dir.exists():
        corp = bench_corpus.build_corpus(args.paragraphs, Path(args.data_dir))
        print(f"building {index_dir}", file=sys.stderr)
        finished = run(cli(index_dir, corp.directory, "index", "--rebuild"))
        if finished.returncode:
            sys.exit(finished.stderr)
    return index_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profiling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(bench_corpus.DATA_DIR))
    parser.add_argument("--top", type=int, default=30, help="functions shown per ordering")
    parser.add_argument("--save", help="write the raw profile (pstats format) here")
    sub = parser.add_subparsers(dest="what", required=True)
    p_index = sub.add_parser("index", help="profile indexing the generated corpus")
    p_index.add_argument("--paragraphs", type=int, default=2000)
    p_query = sub.add_parser("query", help="profile one query")
    p_query.add_argument("query")
    p_query.add_argument("--paragraphs", type=int, default=100_000)
    p_query.add_argument("--repeat", type=int, default=5)
    p_query.add_argument("--sort", default="relevance", choices=["relevance", "date-desc", "date-asc"])
    p_query.add_argument("--topic")
    p_query.add_argument("--year", type=int)
    p_mix = sub.add_parser("mix", help="the 50 queries of the mix, time per stage and memory")
    p_mix.add_argument("--paragraphs", type=int, default=100_000)
    args = parser.parse_args(argv)
    {"index": profile_index, "query": profile_query, "mix": profile_mix}[args.what](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
