"""Running brieven as the user does (`python -m indexer.cli ...` subprocesses) and measuring it:
wall time, peak memory (RSS) of a child process, a server to query over HTTP, percentiles.

Only the standard library: peak RSS of a finished child comes from os.wait4's rusage
(ru_maxrss), that of a running server from /proc/<pid>/status (VmHWM, VmRSS).
"""
from __future__ import annotations

import hashlib
import http.client
import json
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli_env() -> dict[str, str]:
    """The environment of the subprocesses: brieven's own settings removed (flags decide), the
    repository first on the path (so it also runs without an installed package)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEVEN_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def cli(index_dir: Path, corpus_dir: Path, *args: str) -> list[str]:
    """The command line of `brieven --index ... --corpus ... ARGS` with this Python."""
    return [sys.executable, "-m", "indexer.cli", "--index", str(index_dir), "--corpus", str(corpus_dir), *args]


@dataclass
class Finished:
    command: list[str]
    returncode: int
    seconds: float  # wall time from start to exit
    peak_rss_bytes: int  # ru_maxrss of the child
    stdout: str
    stderr: str
    ended_at: float  # time.perf_counter() at exit
    peak_tree_rss_bytes: int | None = None  # largest sum of RSS over the process tree (sampled)
    processes: int = 1  # most processes seen in the tree at once (sampled)


def run(command: list[str], timeout: float | None = None, sample_tree: bool = False) -> Finished:
    """Run a command to its end; its wall time and peak RSS. os.wait4 gives the largest peak of
    the process and its reaped children (ru_maxrss: a maximum, not a sum); with `sample_tree`,
    the RSS of the process and all its descendants is also summed every 50 ms, and the largest
    sum is `peak_tree_rss_bytes` (what a machine must have when the indexer uses workers)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=cli_env())
        deadline = None if timeout is None else started + timeout
        tree_peak, processes = 0, 1
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                raise TimeoutError(f"{' '.join(command)} did not finish in {timeout} s")
            if sample_tree:
                pids = process_tree(proc.pid)
                processes = max(processes, len(pids))
                tree_peak = max(tree_peak, sum(proc_status(p).get("VmRSS", 0) for p in pids))
                time.sleep(0.05)
            else:
                time.sleep(0.005)
        ended = time.perf_counter()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Finished(command, proc.returncode, ended - started, usage.ru_maxrss * 1024,
                        out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        ended, max(tree_peak, usage.ru_maxrss * 1024) if sample_tree else None,
                        processes)


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


class Background:
    """A command started now whose end (wall time, peak RSS) a thread records."""

    def __init__(self, command: list[str]):
        self.command = command
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(command, stdout=self._out, stderr=self._err, cwd=ROOT, env=cli_env())
        self.result: Finished | None = None
        self._thread = threading.Thread(target=self._wait, daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        _, status, usage = os.wait4(self.proc.pid, 0)
        ended = time.perf_counter()
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self._out.seek(0)
        self._err.seek(0)
        self.result = Finished(self.command, self.proc.returncode, ended - self.started,
                               usage.ru_maxrss * 1024, self._out.read().decode("utf-8", "replace"),
                               self._err.read().decode("utf-8", "replace"), ended)
        self._out.close()
        self._err.close()

    def done(self) -> bool:
        return self.result is not None

    def wait(self, timeout: float | None = None) -> Finished:
        self._thread.join(timeout)
        if self.result is None:
            self.proc.kill()
            self._thread.join()
            raise TimeoutError(f"{' '.join(self.command)} did not finish in {timeout} s")
        return self.result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    """VmHWM (peak RSS) and VmRSS of a running process, in bytes (Linux /proc)."""
    figures = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                name, _, value = line.partition(":")
                if name in ("VmHWM", "VmRSS"):
                    figures[name] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return figures


class Server:
    """`brieven serve` on a free port, as a subprocess, queried over one connection, kept alive while the server keeps it.
    `workers`: its processes (None: brieven's default, one per core); `options`: more of its
    options (`--access-log FILE`)."""

    def __init__(self, index_dir: Path, corpus_dir: Path, startup_timeout: float = 120.0,
                 workers: int | None = None, options: tuple[str, ...] = ()):
        self.port = free_port()
        self.command = cli(index_dir, corpus_dir, "serve", "--port", str(self.port),
                           *(("--workers", str(workers)) if workers else ()), *options)
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.command, stdout=self._log, stderr=subprocess.STDOUT,
                                     cwd=ROOT, env=cli_env())
        self._conn: http.client.HTTPConnection | None = None
        started = time.perf_counter()
        while True:
            if self.proc.poll() is not None:
                log = self.log()
                self.stop()
                raise RuntimeError(f"the server stopped (exit {self.proc.returncode}):\n{log}")
            try:
                # the help page: the server answers, without a search (the first search, which
                # opens the index, is part of the warm-up)
                status, _, _ = self.get("/hulp")
                if status == 200:
                    break
            except OSError:
                self._conn = None
            if time.perf_counter() - started > startup_timeout:
                log = self.log()
                self.stop()
                raise RuntimeError(f"the server did not answer within {startup_timeout} s:\n{log}")
            time.sleep(0.05)
        self.startup_seconds = time.perf_counter() - started

    def get(self, path: str, params: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        """(status, body, seconds from sending the request to having read the whole body)."""
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
            try:
                started = time.perf_counter()
                self._conn.request("GET", url)
                response = self._conn.getresponse()
                body = response.read()
                return response.status, body, time.perf_counter() - started
            except (http.client.HTTPException, ConnectionError):
                self._conn.close()
                self._conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def search(self, params: dict[str, str]) -> tuple[dict, float]:
        status, body, seconds = self.get("/api/search", params)
        if status != 200:
            raise RuntimeError(f"/api/search {params} answered {status}: {body[:300]!r}")
        return json.loads(body), seconds

    def memory(self) -> dict[str, int]:
        """VmHWM and VmRSS of the server's main process (with workers: the process that
        supervises them); `processes` has each worker's."""
        return proc_status(self.proc.pid)

    def processes(self) -> dict[int, dict[str, int]]:
        """VmHWM and VmRSS of every process of the server (the main one first, then its workers)."""
        return {pid: proc_status(pid) for pid in process_tree(self.proc.pid)}

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-4000:]

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._log.closed:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """p50/p95/p99/mean/min/max in milliseconds of a list of durations in seconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(sum(ms) / len(ms), 2),
        "min_ms": round(min(ms), 2),
        "max_ms": round(max(ms), 2),
    }


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> dict:
    model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "cpu": model,
        "memory_gb": memory,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "load_average": load_average(),
        "cpu_reference_ms": cpu_reference_ms(),
    }


def cpu_reference_ms() -> float:
    """The best of five timings of a fixed pure-Python loop, in ms. A shared virtual machine's
    speed drifts (by a quarter over minutes on the one these figures come from), and brieven's
    indexing is pure Python: compare runs with this beside them."""
    def loop() -> None:
        counts: dict[int, int] = {}
        for i in range(200_000):
            counts[i % 997] = counts.get(i % 997, 0) + 1

    timings = []
    for _ in range(5):
        started = time.perf_counter()
        loop()
        timings.append(time.perf_counter() - started)
    return round(min(timings) * 1000, 1)


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: other work on the machine disturbs the figures."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def git_commit() -> dict:
    """The commit measured, and whether the work tree had changes (read-only git calls)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip() or None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, dirty = None, None
    return {"commit": commit, "uncommitted_changes": None if dirty is None else bool(dirty),
            "source_digest": source_digest()}


def source_digest() -> str:
    """A digest of the code and data measured (indexer/, search_ui/): two runs with the same
    digest measured the same code, whatever git says."""
    digest = hashlib.sha256()
    for base in ("indexer", "search_ui"):
        for path in sorted((ROOT / base).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".toml", ".txt", ".html", ".css", ".js"):
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def save_and_print(figures: dict, results_dir: str | Path, name: str, table: str) -> Path:
    """Save the figures as JSON under `results_dir/<timestamp>-<name>.json`, then print the JSON,
    the table and where it was saved."""
    results = Path(results_dir)
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"{time.strftime('%Y%m%d-%H%M%S')}-{name}.json"
    figures["saved_to"] = str(path)
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    print(text)
    print()
    print(table)
    print(f"\nsaved to {path}")
    return path
