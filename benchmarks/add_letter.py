"""Issue 4: how long one new letter takes to be searchable.

    python -m benchmarks.add_letter [--paragraphs 10000] [--repeats 3]

Two indexes: the five seed letters (corpus/*.txt copied to a temporary directory) and about
10,000 paragraphs of the scale data (benchmarks/corpus.py, cached in benchmarks/data/). For each,
`brieven serve` runs as a subprocess, and `--repeats` times:

- `brieven add FILE` while the server is polled (/api/search?q=<a word only the new letter has>):
  the wall time of `add`, and the seconds from the start of `add` to the server's first hit;
- `brieven add FILE`, then `brieven search WORD --json`: the seconds from the start of `add` to
  the end of the search that finds it (two process starts, as a user at a terminal).

The new letter is a document of the scale data (about 190 words, 3-4 paragraphs) with one more
paragraph holding the made-up word. Prints JSON and a table; saves the JSON to
benchmarks/results/<timestamp>-add-letter.json.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks import adding, corpus as bench_corpus
from benchmarks.harness import Server, cli, git_commit, machine, run, save_and_print
from benchmarks.run import RESULTS_DIR, TARGETS, log

SEED_CORPUS = bench_corpus.ROOT / "corpus"


def _index(index_dir: Path, corpus_dir: Path) -> dict:
    finished = run(cli(index_dir, corpus_dir, "index", "--rebuild"))
    if finished.returncode != 0:
        raise RuntimeError(f"brieven index failed:\n{finished.stderr[-3000:]}")
    return {**adding.indexed_summary(finished), "seconds": round(finished.seconds, 2)}


def measure(name: str, corpus_dir: Path, index_dir: Path, repeats: int, poll_interval: float,
            rng: random.Random, docs: list) -> dict:
    log(f"{name}: indexing {corpus_dir}")
    built = _index(index_dir, corpus_dir)
    log(f"{name}: {built.get('paragraphs')} paragraphs in {built['seconds']} s; starting the server")
    server_tries, cli_tries = [], []
    work = Path(tempfile.mkdtemp(prefix="brieven-add-"))
    try:
        with Server(index_dir, corpus_dir) as server:
            server.search({"q": "belastingen"})  # warm: index opened, facet postings read
            for attempt in range(repeats):
                day = date(2024, 12, 31) - timedelta(days=attempt)
                s = adding.add_via_server(server, index_dir, corpus_dir, work, bench_corpus.unique_word(rng),
                                          day, rng.choice(docs), poll_interval=poll_interval)
                log(f"{name}: via server: add {s['add_seconds']} s, searchable after {s['searchable_seconds']} s")
                server_tries.append(s)
                c = adding.add_via_cli(index_dir, corpus_dir, work, bench_corpus.unique_word(rng),
                                       day, rng.choice(docs))
                log(f"{name}: via CLI: add {c['add_seconds']} s, searchable after {c['searchable_seconds']} s")
                cli_tries.append(c)
            server_rss = server.memory().get("VmHWM", 0)
    finally:
        bench_corpus.remove_new_letters(corpus_dir)
        shutil.rmtree(work, ignore_errors=True)

    def med(tries: list[dict], key: str) -> float:
        return round(statistics.median(t[key] for t in tries), 3)

    return {
        "index": built,
        "repeats": repeats,
        "server": {
            "add_seconds_median": med(server_tries, "add_seconds"),
            "searchable_seconds_median": med(server_tries, "searchable_seconds"),
            "searchable_seconds_max": max(t["searchable_seconds"] for t in server_tries),
            "tries": server_tries,
            "server_peak_rss_mb": round(server_rss / 2**20, 1),
        },
        "cli": {
            "add_seconds_median": med(cli_tries, "add_seconds"),
            "search_seconds_median": med(cli_tries, "search_seconds"),
            "searchable_seconds_median": med(cli_tries, "searchable_seconds"),
            "tries": cli_tries,
        },
    }


def table(f: dict) -> str:
    m = f["machine"]
    target = TARGETS[100_000]["add_searchable_s"]
    labels = {
        name: f"{name} ({r['index'].get('letters', '?'):,} letters, {r['index'].get('paragraphs', 0):,} paragraphs)"
        for name, r in f["indexes"].items()
    }
    w = max(len(label) for label in labels.values())
    lines = [
        "brieven: one new letter (brieven add FILE), medians of "
        f"{f['repeats']} tries; target: searchable {target[0]} {target[1]:g} s after `add` starts "
        "(at 100,000 paragraphs)",
        f"machine: {m['cores']} cores ({m['cpu']}), Python {m['python']}; code {f['code']['commit']} "
        f"(source {f['code'].get('source_digest')})",
        "",
        f"{'index':<{w}}  {'add (server up)':>15}  {'server sees it':>14}  {'add (CLI)':>9}  "
        f"{'+ search':>8}  {'CLI sees it':>11}",
    ]
    for name, r in f["indexes"].items():
        lines.append(
            f"{labels[name]:<{w}}  {r['server']['add_seconds_median']:>13.2f} s  "
            f"{r['server']['searchable_seconds_median']:>12.2f} s  {r['cli']['add_seconds_median']:>7.2f} s  "
            f"{r['cli']['search_seconds_median']:>6.2f} s  {r['cli']['searchable_seconds_median']:>9.2f} s"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.add_letter", description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=10_000, help="size of the scale index (default 10000)")
    parser.add_argument("--repeats", type=int, default=3, help="new letters per index and path (default 3)")
    parser.add_argument("--poll-interval", type=float, default=0.05, help="seconds between server polls")
    parser.add_argument("--data-dir", default=str(bench_corpus.DATA_DIR))
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    args = parser.parse_args(argv)
    if args.paragraphs < 1 or args.repeats < 1:
        parser.error("--paragraphs and --repeats must be at least 1")

    figures: dict = {
        "benchmark": "brieven add-letter benchmark (issue 4)",
        "started": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks.add_letter", *sys.argv[1:]]),
        "machine": machine(),
        "code": git_commit(),
        "repeats": args.repeats,
        "indexes": {},
    }
    rng = random.Random()
    docs = bench_corpus.load_documents()
    tmp = Path(tempfile.mkdtemp(prefix="brieven-add-bench-"))
    try:
        seed = tmp / "corpus"
        seed.mkdir()
        for letter in sorted(SEED_CORPUS.glob("*.txt")):
            shutil.copy(letter, seed / letter.name)
        figures["indexes"]["seed letters"] = measure(
            "seed letters", seed, tmp / "seed-index", args.repeats, args.poll_interval, rng, docs)
        corp = bench_corpus.build_corpus(args.paragraphs, Path(args.data_dir), log=log)
        figures["scale_corpus"] = corp.describe()
        figures["indexes"]["scale data"] = measure(
            "scale data", corp.directory, tmp / "scale-index", args.repeats, args.poll_interval, rng, docs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures["finished"] = datetime.now().isoformat(timespec="seconds")
    save_and_print(figures, args.results_dir, "add-letter", table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
