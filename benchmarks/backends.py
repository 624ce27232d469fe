"""Both backends side by side: indexing throughput and first-time query latency (p50, p95).

    python -m benchmarks.backends --paragraphs 100000      # the scale corpus (benchmarks/corpus.py)
    python -m benchmarks.backends --index /tmp/dk --corpus ../shared/corpora/dekamer2017 --no-index

With --paragraphs, the corpus is made (cached in benchmarks/data/) and indexed from scratch into
both: the embedded index (a parallel rebuild, as `brieven index --rebuild`) and the OpenSearch
cluster at BRIEVEN_OPENSEARCH_URL (default http://127.0.0.1:9200; shards and replicas from
BRIEVEN_OPENSEARCH_SHARDS/_REPLICAS, e.g. 2 and 1 on `make opensearch CLUSTER=2`). Then each
query of the benchmark mix (benchmarks/queries.py; with --dev the judged queries of both
development sets) is asked once per backend: first-time latency, no answer from a cache. It
prints figures; on a shared machine they are noisy: run it more than once.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import build_corpus
from benchmarks.queries import QUERIES, search_request
from indexer.searching import OpenSearchService, SearchRequest, SearchService
from indexer.store import OpenSearchConfig, update_index, update_opensearch

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def dev_requests() -> list[SearchRequest]:
    found = []
    for name in ("dev.json", "themes-dev.json"):
        found += [q["query"] for q in json.loads((EVAL / name).read_text(encoding="utf-8"))]
    return [SearchRequest(query=q) for q in dict.fromkeys(found)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(share * len(ordered))) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int)
    parser.add_argument("--index")
    parser.add_argument("--corpus")
    parser.add_argument("--no-index", action="store_true", help="measure queries on indexes made before")
    parser.add_argument("--dev", action="store_true", help="the judged queries instead of the benchmark mix")
    args = parser.parse_args()
    if args.paragraphs:
        corpus = build_corpus(args.paragraphs, log=lambda m: print(m, file=sys.stderr)).directory
        index = Path(args.index or tempfile.mkdtemp(prefix="brieven-bench-")) / "index"
    else:
        corpus, index = Path(args.corpus), Path(args.index)
    config = OpenSearchConfig.from_env(os.environ, corpus)
    figures = {}
    if not args.no_index:
        for name, build in (("whoosh", lambda: update_index(index, corpus, rebuild=True, parallel=True)),
                            ("opensearch", lambda: update_opensearch(config, corpus, rebuild=True))):
            summary = build()
            figures[name] = {"paragraphs": summary.paragraphs, "index_seconds": round(summary.seconds, 1),
                             "paragraphs_per_second": round(summary.paragraphs / summary.seconds)}
    requests = dev_requests() if args.dev else [search_request(q) for q in QUERIES]
    for name, service in (("whoosh", SearchService(index)), ("opensearch", OpenSearchService(config))):
        service.search(SearchRequest(query="opwarmen"))  # the index state, read once
        ms = []
        for request in requests:
            started = time.perf_counter()
            service.search(request)
            ms.append((time.perf_counter() - started) * 1000)
        figures.setdefault(name, {}).update(queries=len(ms), p50_ms=round(statistics.median(ms), 1),
                                            p95_ms=round(percentile(ms, 0.95), 1))
    figures["opensearch"].update(url=config.url, alias=config.alias, shards=config.shards, replicas=config.replicas)
    print(json.dumps(figures, indent=1))
    for name, f in figures.items():
        line = f"{name:<11} p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms ({f['queries']} queries)"
        if "index_seconds" in f:
            line += f"  indexed {f['paragraphs']} paragraphs in {f['index_seconds']} s ({f['paragraphs_per_second']}/s)"
        print(line)


if __name__ == "__main__":
    main()
