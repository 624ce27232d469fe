"""Many clients at once: throughput and latency of a running server under concurrent load.

N clients, each on a connection of its own that it would keep alive (as a browser; it
reconnects when the server closes it, as `brieven serve` with several workers does after each
answer), send the 50 queries of the mix (benchmarks/queries.py) one after another without
pause, each client starting at another place in the mix. Every request is one the server has
not answered before: each client writes the query's text with its own number of spaces before
and after it (the query language skips them, so the work is the same: a check in
tests/test_benchmarks.py), so the result cache never answers. Afterwards every client repeats
its first round exactly, reported apart: a worker answers a repeat from its result cache when
it answered the request before and the cache still holds it.

Throughput is requests answered per second of wall time; latency is from sending a request to
having read its body. The clients are threads of the benchmark's process, on the same machine
as the server: their own work (sending, reading) takes CPU the server does not get. The CPU
time each server process used during the load shows how the work was spread over the workers.
"""
from __future__ import annotations

import http.client
import os
import resource
import threading
import time
import urllib.parse

from benchmarks.harness import Server, process_tree, summary_ms
from benchmarks.queries import api_params

def variant(params: dict[str, str], v: int) -> dict[str, str]:
    """The v-th rewording of a search that does the same work (v = 0: the search itself):
    spaces before and after its text, which the query language skips. (Capitals are not the
    same work: a capitalised word is read as a name, and `letterlijk=1` skips the spelling
    suggestion's search.)"""
    return dict(params, q=" " * (v % 10) + params["q"] + " " * (v // 10))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class _Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, params: dict[str, str]) -> tuple[int, bytes, float]:
        url = "/api/search?" + urllib.parse.urlencode(params)
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            started = time.perf_counter()
            try:
                self.conn.request("GET", url)
                response = self.conn.getresponse()
                body = response.read()
                return response.status, body, time.perf_counter() - started
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _phase(port: int, plans: list[list[dict[str, str]]]) -> dict:
    """Every client sends its plan at once; latencies, errors, wall time."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(plans) + 1)

    def client(plan: list[dict[str, str]]) -> None:
        connection = _Client(port)
        mine, bad = [], []
        start.wait()
        for params in plan:
            try:
                status, body, seconds = connection.get(params)
            except OSError as error:
                bad.append(f"{params['q']}: {error!r}")
                continue
            if status != 200 or b'"incomplete": true' in body or b'"incomplete":true' in body:
                bad.append(f"{params['q']}: {status} {body[:120]!r}")
            mine.append(seconds)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(plan,), daemon=True) for plan in plans]
    for thread in threads:
        thread.start()
    start.wait()
    started, client_cpu = time.perf_counter(), _own_cpu()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "client_cpu_seconds": round(_own_cpu() - client_cpu, 2),  # the clients' share of the machine
        "requests": len(latencies),
        "errors": len(errors),
        "error_examples": errors[:5],
        "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 1) if wall else None,
        "latency": summary_ms(latencies) if latencies else None,
    }


def measure_load(server: Server, queries: list[dict], clients: int, rounds: int = 1) -> dict:
    """`clients` clients, each sending the mix `rounds` times (each request new to the server),
    then its first round again (from the result cache). `server`: anything with `port`, `proc`
    (its `pid`) and `processes()`, as benchmarks.harness.Server."""
    base = [api_params(q) for q in queries]
    plans, seen = [], set()
    for c in range(clients):
        plan = []
        for r in range(rounds):
            for k in range(len(base)):
                i = (c * len(base) // clients + k) % len(base)  # each client starts elsewhere
                params = variant(base[i], 1 + c + clients * r)
                plan.append(params)
                seen.add((i, tuple(sorted(params.items()))))
        plans.append(plan)
    if len(seen) != clients * rounds * len(base):
        raise AssertionError("two clients would send the same request")
    pids = process_tree(server.proc.pid)
    before = {pid: cpu_seconds(pid) for pid in pids}
    new = _phase(server.port, plans)
    cpu = {pid: round(cpu_seconds(pid) - before[pid], 2) for pid in pids}
    new["server_cpu_ms_per_request"] = round(1000 * sum(cpu.values()) / max(1, new["requests"]), 2)
    repeated = _phase(server.port, [plan[:len(base)] for plan in plans])
    return {
        "clients": clients,
        "rounds": rounds,
        "what": "each client on a connection it would keep alive sends the 50-query mix without pause, every "
                "request new to the server (spaces around the query: the same work); "
                "then its first round again (from a worker's result cache where it holds the answer)",
        "new": new,
        "repeated": repeated,
        "server_processes": len(pids),
        "cpu_seconds_per_process": list(cpu.values()),  # the main process first, then the workers
        "peak_rss_per_process_mb": [round(m.get("VmHWM", 0) / 2**20, 1) for m in server.processes().values()],
        # proportional set size: pages the processes share (the modules loaded before the fork)
        # counted once, split between them; the sum is what the server takes from the machine
        "pss_total_mb": round(sum(pss_bytes(pid) for pid in process_tree(server.proc.pid)) / 2**20, 1),
    }


class RunningServer:
    """A server started otherwise (another checkout's `brieven serve`), found by its port and
    main process id: what measure_load needs of a Server."""

    def __init__(self, port: int, pid: int):
        from types import SimpleNamespace

        self.port = port
        self.proc = SimpleNamespace(pid=pid)

    def processes(self) -> dict[int, dict[str, int]]:
        from benchmarks.harness import proc_status

        return {pid: proc_status(pid) for pid in process_tree(self.proc.pid)}


def main(argv: list[str] | None = None) -> int:
    """Load a server that is already running (e.g. the code before this work, for comparison):
    python -m benchmarks.load --port P --pid PID --clients 20"""
    import argparse
    import json
    import sys

    from benchmarks.harness import load_average, machine

    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=main.__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's main process")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    from benchmarks.queries import QUERIES

    server = RunningServer(args.port, args.pid)
    warm = _Client(args.port)
    for _ in range(2 * len(server.processes())):  # on fresh connections: each worker, likely
        warm.get({"q": "opwarmen"})
        warm.close()
        warm.conn = None
    figures = {"command": " ".join(["python -m benchmarks.load", *sys.argv[1:]]), "machine": machine(),
               **measure_load(server, QUERIES, args.clients, args.rounds)}
    figures["machine"]["load_average_at_end"] = load_average()
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pss_bytes(pid: int) -> int:
    """A process's proportional set size (Linux /proc/<pid>/smaps_rollup), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
