"""Both backends on the same index: first-time query latency (p50, p95) of the judged queries
of both development sets, each query asked once (no answer comes from a cache).

    python -m benchmarks.backends --index /tmp/dk --corpus ../shared/corpora/dekamer2017

needs the corpus indexed in both (`brieven --index ... index` and `brieven --backend opensearch
--corpus ... index`) and BRIEVEN_OPENSEARCH_URL (default http://127.0.0.1:9200). Prints figures;
on a shared machine they are noisy: run it more than once.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from indexer.searching import OpenSearchService, SearchRequest, SearchService
from indexer.store import OpenSearchConfig

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def queries() -> list[str]:
    found = []
    for name in ("dev.json", "themes-dev.json"):
        data = json.loads((EVAL / name).read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else data.get("queries", [])
        found += [q["query"] for q in items]
    return list(dict.fromkeys(found))


def timings(service, asked: list[str]) -> list[float]:
    out = []
    for query in asked:
        started = time.perf_counter()
        service.search(SearchRequest(query=query))
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--corpus", required=True)
    args = parser.parse_args()
    asked = queries()
    config = OpenSearchConfig.from_env(os.environ, Path(args.corpus))
    for name, service in (("whoosh", SearchService(Path(args.index))), ("opensearch", OpenSearchService(config))):
        service.search(SearchRequest(query="warming up"))  # the index state, read once
        ms = sorted(timings(service, asked))
        p95 = ms[min(len(ms) - 1, int(round(0.95 * len(ms))) - 1)]
        print(f"{name:<11} {len(ms)} queries  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
