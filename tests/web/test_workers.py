"""`brieven serve --workers 2`: two server processes over one index, as a real HTTP server.

Each worker has its own search service; both answer, both see a letter that `brieven add`
brings in, and a bad request gets the Dutch error page from either. Which worker answered a
request is read from the access log (`--access-log`: the worker's process id on every line).
"""
from __future__ import annotations

import dataclasses
import http.client
import json
import os
import pickle
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.harness import Server, cli, cli_env, process_tree

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
NEW = """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 3 maart 2023

Hierbij ontvangt u het verslag over de zeekwalstermolens bij Spitsbergen.
"""


def get(port: int, url: str) -> tuple[int, bytes]:
    """One request on a connection of its own (so that any worker may take it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def answering_pids(log: Path, marker: str) -> dict[str, int]:
    """probe number -> the process id that answered it, from the access log."""
    found = {}
    for line in log.read_text().splitlines():
        if (m := re.search(rf"{marker}=(\d+) HTTP/1.1\" (\d+) .* pid=<(\d+)>", line)) and m[2] == "200":
            found[m[1]] = int(m[3])
    return found


def three_seeds_indexed(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A corpus of three seed letters and its index (`brieven index`), and where an access log goes."""
    corpus, index, log = tmp_path / "corpus", tmp_path / "index", tmp_path / "access.log"
    corpus.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, corpus / seed.name)
    assert subprocess.run(cli(index, corpus, "index"), env=cli_env(), capture_output=True).returncode == 0
    return corpus, index, log


def test_two_workers_answer_see_a_new_letter_and_speak_dutch(tmp_path):
    corpus, index, log = three_seeds_indexed(tmp_path)
    with Server(index, corpus, workers=2, options=("--access-log", str(log))) as server:
        workers = process_tree(server.proc.pid)[1:]
        assert len(workers) == 2  # the main process supervises two workers

        # a search answers, from whichever worker takes it
        data, _ = server.search({"q": "rusland"})
        assert data["total"] > 0 and data["incomplete"] is False

        # a letter added with `brieven add` is found by both workers
        assert server.search({"q": "zeekwalstermolens"})[0]["total"] == 0
        letter = tmp_path / "zeekwalstermolens.txt"
        letter.write_text(NEW, encoding="utf-8")
        added = subprocess.run(cli(index, corpus, "add", str(letter)), env=cli_env(), capture_output=True, text=True)
        assert added.returncode == 0, added.stderr
        answers: dict[str, int] = {}
        lock = threading.Lock()

        def probe(first: int) -> None:
            for n in range(first, first + 400, 2):
                status, body = get(server.port, f"/api/search?q=zeekwalstermolens&probe={n}")
                with lock:
                    answers[str(n)] = json.loads(body)["total"] if status == 200 else -status
                if len(set(answering_pids(log, "probe").values())) == 2 and n - first > 20:
                    return

        clients = [threading.Thread(target=probe, args=(i,)) for i in (0, 1)]  # two at once: both workers busy
        for client in clients:
            client.start()
        for client in clients:
            client.join(120)
        time.sleep(0.5)  # a worker writes its log line just after the answer
        by_pid = answering_pids(log, "probe")
        assert set(by_pid.values()) == set(workers), by_pid
        assert all(answers[n] == 1 for n in by_pid), answers  # every answer, from either worker, has it

        # a bad request gets the Dutch 400 page, from either worker
        pages = [get(server.port, f"/?q=rusland&pagina=abc&bad={n}") for n in range(40)]
        assert {status for status, _ in pages} == {400}
        assert all("geen geldig getal voor het paginanummer" in body.decode() for _, body in pages)
        time.sleep(0.5)
        bad_pids = {int(m[1]) for m in re.finditer(r"bad=\d+ HTTP/1.1\" 400 .* pid=<(\d+)>", log.read_text())}
        assert bad_pids <= set(workers) and bad_pids


def test_a_port_in_use_is_said_in_dutch(tmp_path, index_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "indexer.cli", "--index", str(index_dir), "serve",
                               "--port", str(port)], capture_output=True, text=True, timeout=60, env=cli_env())
    assert proc.returncode == 1
    assert f"Kan niet luisteren op 127.0.0.1:{port}" in proc.stderr and "--port" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_two_workers_share_the_requests_of_clients_that_keep_their_connection(tmp_path):
    """Clients that would keep their connection (HTTP/1.1, as browsers) are told to close it
    after each answer, so that each request goes to a worker that is free: 6 clients sending
    at once have their requests answered by both workers, about equally. One worker keeps
    connections alive."""
    corpus, index, log = three_seeds_indexed(tmp_path)
    with Server(index, corpus, workers=2, options=("--access-log", str(log))) as server:
        workers = process_tree(server.proc.pid)[1:]
        closing: list[str | None] = []

        def client(number: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            for n in range(25):  # one connection object: http.client reconnects when told to close
                connection.request("GET", f"/api/search?q=rusland+navo&share={number * 100 + n}")
                response = connection.getresponse()
                response.read()
                closing.append(response.getheader("Connection"))
            connection.close()

        clients = [threading.Thread(target=client, args=(c,)) for c in range(6)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(120)
        time.sleep(0.5)  # a worker writes its log line just after the answer
        assert len(closing) == 150 and set(closing) == {"close"}
        by_pid = answering_pids(log, "share")
        assert len(by_pid) == 150
        shares = [sum(pid == worker for pid in by_pid.values()) for worker in workers]
        assert min(shares) >= 150 // 4, shares

    with Server(index, corpus, workers=1) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.request("GET", "/api/search?q=rusland")
        response = connection.getresponse()
        response.read()
        assert response.status == 200 and response.getheader("Connection") != "close"
        connection.request("GET", "/api/search?q=navo")  # on the same connection
        assert connection.getresponse().status == 200
        connection.close()


def test_two_workers_share_their_answers_to_repeated_requests(tmp_path):
    """A repeated request (a reload, paging back) reaches either worker: both read the answers
    both keep, in a file of the server's own, which is gone when the server stops."""
    corpus, index, log = three_seeds_indexed(tmp_path)
    with Server(index, corpus, workers=2, options=("--access-log", str(log))) as server:
        workers = process_tree(server.proc.pid)[1:]
        answers = []  # `repeat` is not the search's: the same request each time, until both workers answered it
        while len(answers) < 300 and (len(answers) < 30 or set(answering_pids(log, "repeat").values()) != set(workers)):
            answers.append(json.loads(get(server.port, f"/api/search?q=navo+oekraine&pagina=2&aantal=3&repeat={len(answers)}")[1]))
        assert answers[0]["total"] > 0 and len(answers[0]["hits"]) == 3
        assert all({**a, "took_ms": 0} == {**answers[0], "took_ms": 0} for a in answers)
        time.sleep(0.5)
        assert set(answering_pids(log, "repeat").values()) == set(workers)
        files = {os.readlink(f"/proc/{pid}/fd/{fd}") for pid in workers for fd in os.listdir(f"/proc/{pid}/fd")}
        shared = [Path(f) for f in files if f.endswith("answers.sqlite")]
        assert len(shared) == 1 and "brieven-antwoorden-" in shared[0].parent.name, files
        db = sqlite3.connect(shared[0], isolation_level=None)
        [(key, kept)] = db.execute("SELECT key, result FROM answers").fetchall()  # one request, kept once
        # the kept answer, altered in the file, is what both workers now answer
        db.execute("UPDATE answers SET result = ? WHERE key = ?",
                   (pickle.dumps(dataclasses.replace(pickle.loads(kept), total=4242)), key))
        db.close()
        totals = []
        while len(totals) < 300 and (len(totals) < 30 or set(answering_pids(log, "again").values()) != set(workers)):
            totals.append(json.loads(get(server.port, f"/api/search?q=navo+oekraine&pagina=2&aantal=3&again={len(totals)}")[1])["total"])
        time.sleep(0.5)
        assert set(totals) == {4242} and set(answering_pids(log, "again").values()) == set(workers)
    assert not shared[0].parent.exists()


def test_the_app_loads_before_the_fork_what_numpy_would_import_during_a_first_search():
    """np.unique reads np.ma, which numpy imports on first use (20-100 ms): made before the
    workers are forked, the app has it loaded, so no worker's first search pays for it."""
    code = ("import sys; from search_ui import create_app; create_app({'INDEX_DIR': 'geen-index'}); "
            "print('numpy.ma' in sys.modules)")
    finished = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert finished.stdout.split() == ["True"], finished.stderr
