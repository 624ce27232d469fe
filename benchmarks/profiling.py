"""Where the time goes: cProfile of indexing, or of one query, printed as the top functions.

    python -m benchmarks.profiling index --paragraphs 2000
    python -m benchmarks.profiling query --paragraphs 100000 'werkloosheid jaar:2018..2020'

`index` profiles update_index(rebuild=True) in this process on the generated corpus of that size
(benchmarks/data/corpus-N/, made when missing) into a temporary directory. `query` profiles
SearchService.search on benchmarks/data/index-N/ (kept by `python -m benchmarks.run
--paragraphs N --keep-index`; built here when missing), after one warm-up search, `--repeat`
times. `--save FILE` keeps the raw profile for snakeviz or pstats.
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
    args = parser.parse_args(argv)
    (profile_index if args.what == "index" else profile_query)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
