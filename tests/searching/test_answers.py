"""Answers to repeated requests, kept in a file that a server's workers share.

Real searches over the seed letters' index, a real SQLite file, and a real second process
(forked, as gunicorn forks its workers).
"""
from __future__ import annotations

import multiprocessing
import sqlite3

from indexer.searching import SearchRequest, SearchService
from indexer.searching import SharedAnswers


def test_a_worker_answers_a_request_that_another_worker_searched(index_dir, tmp_path):
    shared = SharedAnswers(tmp_path / "answers.sqlite")  # made before the fork, as `brieven serve` does
    request = SearchRequest("navo oekraine", page=2, page_size=3)

    def first_worker() -> None:
        SearchService(index_dir, answers=shared).search(request)

    other = multiprocessing.get_context("fork").Process(target=first_worker)
    other.start()
    other.join(60)
    assert other.exitcode == 0

    second_worker = SearchService(index_dir, answers=shared)
    with second_worker.store.snapshot() as snapshot:
        kept = shared.get((snapshot.key, request))
    assert kept is not None and kept.total > 0
    fresh = SearchService(index_dir).search(request)
    assert [(h.letter_id, h.number) for h in kept.hits] == [(h.letter_id, h.number) for h in fresh.hits]
    assert kept.facets == fresh.facets
    assert second_worker.search(request).hits == kept.hits
    # another page, or the same request over another state of the index, is not that answer
    with second_worker.store.snapshot() as snapshot:
        assert shared.get((snapshot.key, SearchRequest("navo oekraine", page=3, page_size=3))) is None
    assert shared.get(((("another segment", 0),), request)) is None


def test_the_file_keeps_the_most_recent_answers(index_dir, tmp_path):
    shared = SharedAnswers(tmp_path / "answers.sqlite", size=3)
    service = SearchService(index_dir, answers=shared)
    words = ["navo", "oekraine", "rusland", "defensie", "kamer"]
    for word in words:
        service.search(SearchRequest(word))
    with service.store.snapshot() as snapshot:
        kept = [w for w in words if shared.get((snapshot.key, SearchRequest(w))) is not None]
    assert kept == words[-3:]
    rows = sqlite3.connect(tmp_path / "answers.sqlite").execute("SELECT count(*) FROM answers").fetchone()[0]
    assert rows == 3


def test_a_file_that_cannot_be_used_means_searching_again_never_an_error(index_dir, tmp_path):
    damaged = tmp_path / "answers.sqlite"
    damaged.write_bytes(b"this is no database" * 100)
    gone = tmp_path / "no such directory" / "answers.sqlite"
    expected = SearchService(index_dir).search(SearchRequest("navo")).total
    for path in (damaged, gone):
        service = SearchService(index_dir, answers=SharedAnswers(path))
        assert service.search(SearchRequest("navo")).total == expected
        assert service.search(SearchRequest("navo")).total == expected  # and again
    assert damaged.read_bytes() == b"this is no database" * 100
