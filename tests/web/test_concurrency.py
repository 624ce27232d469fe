"""Several clients search a real HTTP server (waitress, as `brieven serve` runs it) while letters
are added and removed and the index is rebuilt: every answer is a good one. It asserts what
the clients get, not how fast (benchmarks/hostile.py reports the figures)."""
from __future__ import annotations

import http.client
import json
import shutil
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from benchmarks.harness import Server
from indexer.reading import add_to_corpus
from indexer.store import update_index
from search_ui import create_app

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
CLIENTS = 6
REQUESTS = ["/api/search?q={}", "/?q={}", "/feed.atom?q={}", "/export.csv?q={}", "/api/search?q={}&sort=nieuwste"]
QUERIES = ["rusland", "navo*", '"artikel 5"', "", "Spitsbergen", "klimat~", "(china OF rusland) EN cyber"]
NEW = """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, {day} maart 2023

Hierbij ontvangt u het verslag over Spitsbergen en de Noordpool, deel {n}.
"""


def test_searches_answer_while_letters_arrive_and_the_index_is_rebuilt(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, corpus / seed.name)
    index = tmp_path / "index"
    update_index(index, corpus)
    server = Server(index, corpus)  # `brieven serve` in a process of its own
    stop = threading.Event()
    errors: list[str] = []
    answered: Counter = Counter()

    def client(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        i = n
        while not stop.is_set():
            url = REQUESTS[i % len(REQUESTS)].format(quote(QUERIES[i % len(QUERIES)]))
            i += 1
            try:
                connection.request("GET", url)
                response = connection.getresponse()
                body = response.read()
                if response.status != 200 and not (response.status == 302 and url == "/?q="):
                    errors.append(f"{url}: {response.status} {body[:200]!r}")
                elif url.startswith("/api/"):
                    json.loads(body)
                elif url.startswith("/feed"):
                    ET.fromstring(body)
                answered[url.split("?")[0]] += 1
            except Exception as error:  # any failure is what this test looks for
                errors.append(f"{url}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.close()

    def answers_meanwhile(step) -> None:
        """Run an indexing step, and go on only when the clients got answers during it too
        (however slow the machine, every step overlaps with searches)."""
        before = sum(answered.values())
        step()
        deadline = time.monotonic() + 120
        while sum(answered.values()) < before + 2 * CLIENTS and time.monotonic() < deadline and not errors:
            time.sleep(0.05)

    clients = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in clients:
        thread.start()
    try:
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        for n in range(2):
            letter = inbox / f"noordpool-{n}.txt"
            letter.write_text(NEW.format(day=n + 1, n=n), encoding="utf-8")
            answers_meanwhile(lambda: add_to_corpus([letter], corpus))
            answers_meanwhile(lambda: update_index(index, corpus))
            answers_meanwhile(lambda: update_index(index, corpus, rebuild=True))
        answers_meanwhile(lambda: shutil.copy(SEEDS[3], corpus / SEEDS[3].name))
        answers_meanwhile(lambda: (corpus / SEEDS[0].name).unlink())
        answers_meanwhile(lambda: update_index(index, corpus))
        answers_meanwhile(lambda: update_index(index, corpus, rebuild=True))
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
        log = server.log()
        server.stop()
    assert errors == [], log
    assert set(answered) == {"/api/search", "/", "/feed.atom", "/export.csv"} and sum(answered.values()) >= 18 * CLIENTS
    final = create_app({"INDEX_DIR": index}).test_client().get("/api/search?q=Spitsbergen").get_json()
    assert final["total"] == 2 and final["incomplete"] is False
