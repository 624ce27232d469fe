"""Search as you type: how long /api/suggest takes per keystroke, and what its index costs.

    python -m benchmarks.suggest [--paragraphs 100000]

The scale corpus (benchmarks/corpus.py, cached in benchmarks/data/) is indexed as
`benchmarks.run` does (the index is reused when it is there). In-process, over that index:
the time to build the completions (once per index state: the vocabulary, topics,
abbreviations, synonym phrases), its size, and the time of each keystroke of typing 60 words and
phrases drawn from the corpus's own vocabulary, the way a user types them (every prefix from two
letters up), after the build. Then the same keystrokes over HTTP (a running `brieven serve`):
the time from request to body read. Prints JSON and a table; saves the JSON to
benchmarks/results/<timestamp>-suggest.json.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks import corpus as bench_corpus
from benchmarks.harness import Server, git_commit, machine, save_and_print, summary_ms
from benchmarks.run import RESULTS_DIR, log, measure_index

TARGET_MS = 20  # p99 of a keystroke, in-process, at 100,000 paragraphs
WORDS = 60


def typed_queries(service, rng: random.Random) -> list[str]:
    """Every prefix (from 2 characters) of words and phrases a user would type: common words of
    the corpus, topic names, and two-word phrases (the second word being typed)."""
    with service.store.snapshot() as snapshot:
        vocabulary = snapshot.frequencies_starting("words", "")
    common = sorted((w for w in vocabulary if w.isalpha() and len(w) > 4), key=lambda w: -vocabulary[w])[:3000]
    words = rng.sample(common, WORDS // 2)
    phrases = [f"{a} {b}" for a, b in zip(rng.sample(common, WORDS // 4), rng.sample(common, WORDS // 4))]
    topics = [t.name.lower() for t in rng.sample(service.taxonomy.topics, min(WORDS // 4, len(service.taxonomy.topics)))]
    return [text[:n] for text in words + phrases + topics for n in range(2, len(text) + 1)]


def benchmark(args: argparse.Namespace) -> dict:
    from indexer.searching import SearchService

    data_dir = Path(args.data_dir)
    corp = bench_corpus.build_corpus(args.paragraphs, data_dir, log=log)
    index_dir = data_dir / f"index-{args.paragraphs}"
    if not (index_dir / "brieven-index.json").exists() or args.reindex:
        log(f"indexing {corp.paragraphs} paragraphs")
        measure_index(index_dir, corp.directory)
    service = SearchService(index_dir)
    started = time.perf_counter()
    service.complete("opwarmen")  # builds the index state and the completions
    build = time.perf_counter() - started
    completions = service._completions.current
    typed = typed_queries(service, random.Random(args.seed))
    log(f"completions built in {build:.2f} s ({len(completions.keys)} entries); {len(typed)} keystrokes")
    seconds, offered = [], 0
    for text in typed:
        t = time.perf_counter()
        offered += len(service.complete(text))
        seconds.append(time.perf_counter() - t)
    figures = {
        "benchmark": "suggest",
        "machine": machine(),
        "code": git_commit(),
        "paragraphs": corp.paragraphs,
        "build_seconds": round(build, 2),
        "entries": len(completions.keys),
        "phrases": len(completions.phrase_keys),
        "keystrokes": len(typed),
        "completions_per_keystroke": round(offered / len(typed), 1),
        "in_process": summary_ms(seconds),
        "target_p99_ms": TARGET_MS,
    }
    with Server(index_dir, corp.directory) as server:
        base = f"http://127.0.0.1:{server.port}/api/suggest?q="
        urllib.request.urlopen(base + "opwarmen").read()
        http = []
        for text in typed:
            t = time.perf_counter()
            with urllib.request.urlopen(base + urllib.parse.quote(text)) as response:
                json.load(response)
            http.append(time.perf_counter() - t)
    figures["http"] = summary_ms(http)
    figures["machine"]["load_average_end"] = machine()["load_average"]
    return figures


def table(f: dict) -> str:
    p, h = f["in_process"], f["http"]
    met = "met" if p["p99_ms"] <= f["target_p99_ms"] else "MISSED"
    return "\n".join([
        f"paragraphs: {f['paragraphs']}; completions: {f['entries']} entries ({f['phrases']} phrases), "
        f"built in {f['build_seconds']} s once per index state",
        f"keystrokes: {f['keystrokes']}, {f['completions_per_keystroke']} completions each",
        f"in-process  p50 {p['p50_ms']} / p95 {p['p95_ms']} / p99 {p['p99_ms']} / max {p['max_ms']} ms "
        f"(target p99 <= {f['target_p99_ms']} ms: {met})",
        f"over HTTP   p50 {h['p50_ms']} / p95 {h['p95_ms']} / p99 {h['p99_ms']} / max {h['max_ms']} ms",
    ])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--reindex", action="store_true", help="index again even when an index is there")
    parser.add_argument("--data-dir", default=str(bench_corpus.DATA_DIR))
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures = benchmark(args)
    save_and_print(figures, args.results_dir, "suggest", table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
