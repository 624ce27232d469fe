"""Many clients against the code before and this code, alternately, on one index.

    python -m benchmarks.load_compare --baseline ../before --paragraphs 100000 --repeats 2

`--baseline DIR` is a checkout of the code to compare with (e.g. `git archive main | tar -x -C
DIR`); its `brieven serve` runs from there, with this checkout's Python. Then `brieven serve
--workers W` of this checkout for each W of `--workers` (default 1,2); all of it `--repeats`
times, alternately, so that a machine whose speed drifts disturbs each alike. Each server gets
the load of benchmarks/load.py (every request new to it) over benchmarks/data/index-N/, which an
earlier `benchmarks.run --paragraphs N --keep-index` left; with `--baseline-index DIR`, the
baseline serves that index instead (the same corpus indexed by the baseline's own `brieven
index`, when its index format differs). Prints a JSON line per run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import corpus as bench_corpus
from benchmarks.harness import Server, cpu_reference_ms, free_port, load_average
from benchmarks.load import RunningServer, _Client, measure_load
from benchmarks.queries import QUERIES


def _warm(port: int, times: int) -> None:
    for _ in range(times):  # fresh connections: each worker, likely
        client = _Client(port)
        client.get({"q": "opwarmen"})
        client.close()


def _row(name: str, figures: dict) -> dict:
    new, again = figures["new"], figures["repeated"]
    return {"server": name, "requests_per_s": new["requests_per_s"], "errors": new["errors"],
            "p50_ms": new["latency"]["p50_ms"], "p95_ms": new["latency"]["p95_ms"],
            "p99_ms": new["latency"]["p99_ms"], "server_cpu_ms_per_request": new["server_cpu_ms_per_request"],
            "cpu_seconds_per_process": figures["cpu_seconds_per_process"],
            "client_cpu_seconds": new["client_cpu_seconds"],
            "repeated_requests_per_s": again["requests_per_s"], "repeated_p50_ms": again["latency"]["p50_ms"],
            "peak_rss_per_process_mb": figures["peak_rss_per_process_mb"], "pss_total_mb": figures["pss_total_mb"],
            "load_average": load_average(), "cpu_reference_ms": cpu_reference_ms()}


def baseline_run(baseline: Path, index: Path, corpus: Path, clients: int) -> dict:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEVEN_")}
    env["PYTHONPATH"] = str(baseline)
    proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "--index", str(index.resolve()), "--corpus",
                             str(corpus.resolve()), "serve", "--port", str(port)],
                            cwd=baseline, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                _warm(port, 1)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the baseline's server did not start (exit {proc.poll()})")
                time.sleep(0.1)
        return measure_load(RunningServer(port, proc.pid), QUERIES, clients)
    finally:
        proc.terminate()
        proc.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="a checkout of the code to compare with")
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--data-dir", default=str(bench_corpus.DATA_DIR))
    parser.add_argument("--baseline-index", help="the baseline's own index of the same corpus (default: the same index)")
    args = parser.parse_args(argv)
    index = Path(args.data_dir) / f"index-{args.paragraphs}"
    corpus = Path(args.data_dir) / f"corpus-{args.paragraphs}"
    if not index.exists():
        parser.error(f"no {index}: run `python -m benchmarks.run --paragraphs {args.paragraphs} --keep-index` first")
    print(json.dumps({"command": " ".join(["python -m benchmarks.load_compare", *sys.argv[1:]])}), flush=True)
    for _ in range(args.repeats):
        own = Path(args.baseline_index) if args.baseline_index else index
        print(json.dumps(_row(f"baseline {args.baseline}", baseline_run(Path(args.baseline), own, corpus,
                                                                         args.clients))), flush=True)
        for workers in [int(w) for w in args.workers.split(",")]:
            with Server(index, corpus, workers=workers) as server:
                _warm(server.port, 2 * workers)
                print(json.dumps(_row(f"brieven serve --workers {workers}",
                                      measure_load(server, QUERIES, args.clients))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
