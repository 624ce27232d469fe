"""Hostile requests at scale: the worst request found, how long a plain search waits while four
of them run at once, and clients searching while letters are added and the index rebuilt.

    python -m benchmarks.hostile --paragraphs 100000

Steps (brieven runs as the user runs it: `brieven serve` and `brieven index` subprocesses):
1. the corpus of about N paragraphs (benchmarks/corpus.py) and its index in
   benchmarks/data/index-N/ (reused when it holds the corpus, else built with `brieven index
   --rebuild`);
2. `brieven serve`; each candidate for the worst request (CANDIDATES: hundreds of prefixes or
   fuzzy words, the most common words of the index, phrases of them, brackets, deep pages, the
   whole index sorted, exports and feeds of them) asked once over HTTP: its time, status, size;
3. the worst of them asked by 4 clients at once, over and over (made distinct each time by a
   start date before every letter, so the result cache never answers), while one more client asks the 50 plain queries of the benchmark
   mix (benchmarks/queries.py), each once: how long each plain search takes, beside the same
   searches asked alone;
4. at a small size (--small-paragraphs), 20 clients asking searches, pages, feeds and exports
   while letters are added (`brieven add`) and removed and the index rebuilt (`brieven index
   --rebuild`): requests, errors (any status but 200, a body that does not parse, a failed
   connection), latency.

Prints the figures as JSON and as a table beside the targets (no request slower than 3 s; a
plain search within 1 s under 4 worst requests; 0 errors), and saves the JSON to
benchmarks/results/<timestamp>-hostile-<N>.json.
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import shutil
import string
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks import corpus as bench_corpus
from benchmarks.harness import (Server, cli, cpu_reference_ms, git_commit, load_average, machine,
                                run, save_and_print, summary_ms)
from benchmarks.queries import QUERIES, api_params, label

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGETS = {"worst_request_s": 3.0, "plain_search_under_load_s": 1.0, "errors": 0}
TWO_LETTERS = ["".join(p) for p in itertools.product(string.ascii_lowercase, repeat=2)]
ROUTES = ["/api/search", "/", "/feed.atom", "/export.csv"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fill(parts, sep: str = " ", limit: int = 1000) -> str:
    """As many of `parts` as fit in a query of `limit` characters."""
    out = ""
    for part in parts:
        if len(out) + len(sep) + len(part) > limit:
            break
        out += (sep if out else "") + part
    return out


def common_words(index_dir: Path, count: int = 400) -> list[str]:
    """The index's most frequent words (as indexed), the costliest plain words to ask for."""
    from indexer.store import open_index

    with open_index(index_dir).searcher() as searcher:
        counted = [(info.doc_frequency(), term.decode("utf-8"))
                   for term, info in searcher.reader().iter_field("text")]
    return [w for _, w in sorted(counted, reverse=True)[:count] if w.isalpha()]


def largest_export(port: int) -> dict:
    """The query of the benchmark mix with the most hits that the site still exports."""
    from search_ui.feeds import MAX_EXPORT_ROWS

    client = Client(port)
    totals = []
    for q in QUERIES:
        status, body, _ = client.get("/api/search", api_params(q))
        if status == 200:
            totals.append((json.loads(body)["total"], api_params(q)))
    client.close()
    allowed = [t for t in totals if t[0] <= MAX_EXPORT_ROWS]
    return max(allowed, key=lambda t: t[0])[1] if allowed else {"q": ""}


def candidates(words: list[str], letter_id: str, export: dict) -> list[tuple[str, str, dict]]:
    """(label, path, parameters) of every request tried as the worst."""
    prefixes = fill(w + "*" for w in TWO_LETTERS)
    fuzzy = fill(["aa~2"] * 400)
    per_route = {
        "330 two-letter prefixes": {"q": prefixes},
        "199 x aa~2": {"q": fuzzy},
        "most common words": {"q": fill(words)},
        "most common words, by date": {"q": fill(words), "sort": "nieuwste"},
        "prefixes of the most common words": {"q": fill(w[:4] + "*" for w in words)},
        "fuzzy most common words": {"q": fill(w + "~2" for w in words if len(w) > 3)},
        "phrases of common words": {"q": fill(f'"{a} {b}"' for a, b in zip(words[::2], words[1::2]))},
        "phrases of three common words": {"q": fill(f'"{a} {b} {c}"' for a, b, c in zip(words[::3], words[1::3], words[2::3]))},
        "common words EN": {"q": fill(words, " EN ")},
        "common words OF, 16 brackets deep": {"q": "(" * 16 + fill(words, " OF ", 960) + ")" * 16},
        "unknown words (suggestions)": {"q": fill("qx" + w + "zq" for w in TWO_LETTERS)},
        "everything": {"q": ""},
    }
    found = []
    for (name, params), route in itertools.product(per_route.items(), ROUTES):
        if route != "/" or params["q"]:  # "/" without a query is the start page
            found.append((f"{route} {name}", route, params))
    found += [
        (f"/export.csv the largest export allowed ({export['q']})", "/export.csv", export),
        ("/api/search everything, page 1000 of 100", "/api/search", {"q": "", "pagina": "1000", "aantal": "100"}),
        ("/api/search everything oldest first, page 1000", "/api/search", {"q": "", "sort": "oudste", "pagina": "1000", "aantal": "100"}),
        ("/api/search common words, page 990", "/api/search", {"q": fill(words), "pagina": "990", "aantal": "100"}),
        ("/brief letter page, 330 prefixes", f"/brief/{urllib.parse.quote(letter_id)}", {"q": prefixes}),
        ("/brief letter page, fuzzy common words", f"/brief/{urllib.parse.quote(letter_id)}",
         {"q": fill(w + "~2" for w in words if len(w) > 3)}),
    ]
    return found


class Client:
    """One keep-alive HTTP connection (one per thread)."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str, params: dict | None = None) -> tuple[int, bytes, float]:
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        started = time.perf_counter()
        try:
            self.conn.request("GET", url)
            response = self.conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        return response.status, body, time.perf_counter() - started

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def distinct(params: dict, n: int) -> dict:
    """The same request made new for the result cache: a start date before every letter (the
    query itself is left as it is: a word more could pass the limits on a query)."""
    return {**params, "van": (date(1800, 1, 1) + timedelta(days=n)).isoformat()}


def measure_worst(port: int, tried: list[tuple[str, str, dict]]) -> list[dict]:
    client = Client(port)
    client.get("/api/search", {"q": "opwarmen"})  # open the index, read its state
    out = []
    for name, path, params in tried:
        status, body, seconds = client.get(path, params)
        notice = ""
        if path == "/api/search" and status == 200:
            data = json.loads(body)
            notice = (data.get("notice") or "")[:120]
            if data.get("incomplete"):
                notice = "INCOMPLETE: " + notice
        out.append({"request": name, "path": path, "query_chars": len(params.get("q", "")),
                    "status": status, "bytes": len(body), "seconds": round(seconds, 3), "notice": notice})
        log(f"  {seconds:6.2f} s  {status}  {len(body):>9,} B  {name}")
    client.close()
    return sorted(out, key=lambda r: -r["seconds"])


def measure_under_load(port: int, worst: dict, params: dict, clients: int) -> dict:
    """Plain searches alone, then while `clients` threads ask the worst request over and over."""
    plain = [api_params(q) for q in QUERIES]
    client = Client(port)
    alone = [client.get("/api/search", {**p, "aantal": "11"})[2] for p in plain]
    stop = threading.Event()
    heavy: list[float] = []
    statuses: dict[int, int] = {}
    counter = itertools.count()

    def hammer() -> None:
        c = Client(port)
        while not stop.is_set():
            status, _, seconds = c.get(worst["path"], distinct(params, next(counter)))
            heavy.append(seconds)
            statuses[status] = statuses.get(status, 0) + 1
        c.close()

    threads = [threading.Thread(target=hammer, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(min(1.0, max(0.2, worst["seconds"])))  # all of them under way
    loaded = []
    for p in plain:
        status, body, seconds = client.get("/api/search", {**p, "aantal": "12"})
        assert status == 200, (status, body[:200])
        loaded.append(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=300)
    client.close()
    if set(statuses) - {200}:
        raise RuntimeError(f"the worst request, made distinct, was answered {statuses}: not the load measured")
    slowest = max(range(len(plain)), key=lambda i: loaded[i])
    return {
        "worst_request": worst["request"],
        "worst_clients": clients,
        "worst_requests_done": len(heavy),
        "worst_request_seconds": summary_ms(heavy) if heavy else None,
        "worst_statuses": statuses,
        "plain_alone": summary_ms(alone),
        "plain_under_load": summary_ms(loaded),
        "plain_slowest_under_load": label(QUERIES[slowest]),
    }


def indexing_clients(data_dir: Path, paragraphs: int, clients: int, seconds: float) -> dict:
    """`clients` threads searching a server while letters come and go and the index is rebuilt."""
    corp = bench_corpus.build_corpus(paragraphs, data_dir, log=log)
    work = Path(tempfile.mkdtemp(prefix="brieven-hostile-"))
    corpus, index = work / "corpus", work / "index"
    shutil.copytree(corp.directory, corpus, ignore=shutil.ignore_patterns("manifest.json"))
    finished = run(cli(index, corpus, "index", "--rebuild"))
    assert finished.returncode == 0, finished.stderr[-2000:]
    words = [q["q"] for q in QUERIES]
    requests = ["/api/search", "/", "/feed.atom", "/export.csv", "/api/search"]
    errors: list[str] = []
    times: list[float] = []
    stop = threading.Event()
    try:
        with Server(index, corpus) as server:
            def search(n: int) -> None:
                c = Client(server.port)
                for i in itertools.count(n):
                    if stop.is_set():
                        break
                    path = requests[i % len(requests)]
                    params = {"q": words[i % len(words)], **({"sort": "nieuwste"} if i % 3 == 0 else {})}
                    try:
                        status, body, took = c.get(path, params)
                        times.append(took)
                        if status != 200:
                            errors.append(f"{path} {params}: {status} {body[:200]!r}")
                        elif path == "/api/search":
                            json.loads(body)
                        elif path == "/feed.atom":
                            ET.fromstring(body)
                    except Exception as error:  # counted: that is what is measured
                        errors.append(f"{path} {params}: {error!r}")
                c.close()

            threads = [threading.Thread(target=search, args=(n,), daemon=True) for n in range(clients)]
            for thread in threads:
                thread.start()
            started, changes, inbox = time.perf_counter(), [], work / "inbox"
            inbox.mkdir()
            docs = bench_corpus.load_documents()
            for n in itertools.count():
                if time.perf_counter() - started > seconds:
                    break
                letter = bench_corpus.new_letter(inbox, bench_corpus.unique_word(), date(2024, 12, 1), docs[n])
                step = [run(cli(index, corpus, "add", str(letter)))]
                if n % 2:
                    (corpus / letter.name).unlink()
                    step.append(run(cli(index, corpus, "index")))
                step.append(run(cli(index, corpus, "index", "--rebuild")))
                changes += [f.returncode for f in step]
            stop.set()
            for thread in threads:
                thread.join(timeout=300)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "paragraphs": corp.paragraphs,
        "clients": clients,
        "seconds": seconds,
        "requests": len(times),
        "errors": len(errors),
        "first_errors": errors[:5],
        "indexer_runs": len(changes),
        "indexer_failures": sum(1 for c in changes if c != 0),
        "latency": summary_ms(times) if times else None,
    }


def benchmark(args: argparse.Namespace) -> dict:
    data_dir = Path(args.data_dir)
    figures: dict = {
        "benchmark": "brieven hostile requests",
        "started": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks.hostile", *sys.argv[1:]]),
        "machine": machine(),
        "code": git_commit(),
    }
    corp = bench_corpus.build_corpus(args.paragraphs, data_dir, log=log)
    index_dir = data_dir / f"index-{args.paragraphs}"
    figures["index"] = ensure_index(index_dir, corp)
    words = common_words(index_dir)
    letter_id = sorted(corp.directory.glob("*.txt"))[0].stem
    with Server(index_dir, corp.directory) as server:
        tried = candidates(words, letter_id, largest_export(server.port))
        log(f"{len(tried)} candidates for the worst request, each asked once")
        results = measure_worst(server.port, tried)
        worst = results[0]
        figures["requests"] = results
        params = next(p for name, _, p in tried if name == worst["request"])
        log(f"worst: {worst['request']} ({worst['seconds']} s); {args.clients} of it at once, "
            "and the 50 plain queries meanwhile")
        figures["under_load"] = measure_under_load(server.port, worst, params, args.clients)
        figures["server_peak_rss_mb"] = round(server.memory().get("VmHWM", 0) / 2**20, 1)
    log(f"{args.small_clients} clients for {args.small_seconds} s while letters come and go "
        f"({args.small_paragraphs} paragraphs)")
    figures["indexing"] = indexing_clients(data_dir, args.small_paragraphs, args.small_clients, args.small_seconds)
    figures["targets"] = {
        "worst_request_s": {"value": worst["seconds"], "target": f"<= {TARGETS['worst_request_s']}",
                            "met": worst["seconds"] <= TARGETS["worst_request_s"]},
        "plain_search_under_load_s": {
            "value": figures["under_load"]["plain_under_load"]["max_ms"] / 1000,
            "target": f"<= {TARGETS['plain_search_under_load_s']}",
            "met": figures["under_load"]["plain_under_load"]["max_ms"] / 1000 <= TARGETS["plain_search_under_load_s"]},
        "errors": {"value": figures["indexing"]["errors"], "target": "0",
                   "met": figures["indexing"]["errors"] == 0},
    }
    figures["finished"] = datetime.now().isoformat(timespec="seconds")
    figures["machine"]["load_average_at_end"] = load_average()
    figures["machine"]["cpu_reference_ms_at_end"] = cpu_reference_ms()
    return figures


def ensure_index(index_dir: Path, corp: bench_corpus.Corpus) -> dict:
    """The index of the corpus, reused when `brieven stats` says it holds the corpus."""
    stats = run(cli(index_dir, corp.directory, "stats"))
    if stats.returncode == 0 and f"paragraphs:  {corp.paragraphs}" in stats.stdout:
        log(f"reusing {index_dir}")
        return {"paragraphs": corp.paragraphs, "letters": corp.letters, "built_seconds": None}
    log(f"indexing {corp.directory} -> {index_dir}")
    finished = run(cli(index_dir, corp.directory, "index", "--rebuild"))
    if finished.returncode != 0:
        raise RuntimeError(f"brieven index failed:\n{finished.stderr[-3000:]}")
    return {"paragraphs": corp.paragraphs, "letters": corp.letters, "built_seconds": round(finished.seconds, 1)}


def table(f: dict) -> str:
    t, load, ix = f["targets"], f["under_load"], f["indexing"]
    yes = lambda name: "yes" if t[name]["met"] else "NO"  # noqa: E731
    lines = [
        f"brieven hostile requests: {f['index']['paragraphs']:,} paragraphs; code {f['code']['commit']}"
        + (" + uncommitted changes" if f["code"]["uncommitted_changes"] else ""),
        f"load average at start {f['machine'].get('load_average')}, at end {f['machine'].get('load_average_at_end')}; "
        f"CPU reference {f['machine'].get('cpu_reference_ms')} / {f['machine'].get('cpu_reference_ms_at_end')} ms",
        "",
        "slowest requests (each asked once, over HTTP):",
        *(f"  {r['seconds']:6.2f} s  {r['status']}  {r['bytes']:>10,} B  {r['request']}" for r in f["requests"][:10]),
        "",
        f"worst request {f['requests'][0]['seconds']:.2f} s (target <= 3 s): {yes('worst_request_s')}",
        f"{load['worst_clients']} x '{load['worst_request']}' at once ({load['worst_requests_done']} done, "
        f"p50 {load['worst_request_seconds']['p50_ms'] / 1000:.2f} s each); 50 plain searches meanwhile:",
        "  alone       p50 {p50_ms:.0f} ms, p95 {p95_ms:.0f} ms, max {max_ms:.0f} ms".format(**load["plain_alone"]),
        "  under load  p50 {p50_ms:.0f} ms, p95 {p95_ms:.0f} ms, max {max_ms:.0f} ms".format(**load["plain_under_load"])
        + f"  (target max <= 1 s): {yes('plain_search_under_load_s')}",
        f"server peak RSS {f['server_peak_rss_mb']} MB",
        "",
        f"{ix['clients']} clients for {ix['seconds']:.0f} s at {ix['paragraphs']:,} paragraphs while letters were "
        f"added, removed and the index rebuilt ({ix['indexer_runs']} indexer runs, {ix['indexer_failures']} failed):",
        f"  {ix['requests']:,} requests, {ix['errors']} errors (target 0): {yes('errors')}"
        + ("; p50 {p50_ms:.0f} ms, p95 {p95_ms:.0f} ms, max {max_ms:.0f} ms".format(**ix["latency"]) if ix["latency"] else ""),
    ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=10_000, help="size of the corpus (default 10000)")
    parser.add_argument("--clients", type=int, default=4, help="worst requests at once (default 4: waitress's default threads)")
    parser.add_argument("--small-paragraphs", type=int, default=2_000, help="corpus of the indexing phase (default 2000)")
    parser.add_argument("--small-clients", type=int, default=20, help="clients of the indexing phase (default 20)")
    parser.add_argument("--small-seconds", type=float, default=20.0, help="length of the indexing phase (default 20)")
    parser.add_argument("--data-dir", default=str(bench_corpus.DATA_DIR), help="for corpora and indexes")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR), help="where the JSON is saved")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures = benchmark(args)
    save_and_print(figures, args.results_dir, f"hostile-{args.paragraphs}", table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
