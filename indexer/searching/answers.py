"""Answers kept for requests that come again: in this process, or shared by a server's processes.

Paging back, a reload, the back button and a facet clicked twice repeat searches all the time,
and an answer is valid for as long as the index state it came from (its snapshot's key is part
of the cache key). One process keeps its answers in memory (`ProcessAnswers`). A server with
several workers closes each connection after its answer, so that a free worker takes the next
request (search_ui/serve.py): a repeated request then reaches either worker, and with a cache
per process half the repeats at 1,000,000 paragraphs were searched again (over HTTP, p50 11.3
ms; with the file 2.8–4.6 ms). `SharedAnswers` keeps them in one SQLite file that each worker opens for itself.

A cache never makes a request fail: an answer that cannot be stored or read back is searched
again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Hashable, Protocol

from indexer.searching.results import SearchResult

PROCESS_ANSWERS = 256  # answers one process keeps in memory
SHARED_ANSWERS = 2048  # answers the workers keep in their file: ~16 KB each at 100k, ~32 MB
# A worker storing an answer waits this long for the other's write, then leaves it out (the
# answer is given all the same; readers never wait: the file is in WAL mode).
BUSY_SECONDS = 0.05
RETRY_SECONDS = 60.0  # a file that cannot be opened is tried again after this long, not per request


class Answers(Protocol):
    def get(self, key: Hashable) -> SearchResult | None: ...

    def put(self, key: Hashable, result: SearchResult) -> None: ...


class ProcessAnswers:
    """The most recently used answers, in this process's memory."""

    def __init__(self, size: int = PROCESS_ANSWERS):
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, SearchResult] = OrderedDict()  # least recent first

    def get(self, key: Hashable) -> SearchResult | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, result: SearchResult) -> None:
        with self._lock:
            self._kept[key] = result
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


class SharedAnswers:
    """The most recently stored answers, in a SQLite file that several processes share (made
    before they fork; each opens its own connections, one per thread). The key is hashed from
    its repr: a snapshot's key and a request, plain values whose repr is the same in every
    process. The file holds pickles, so it must be the server's own (a private directory)."""

    def __init__(self, path: Path, size: int = SHARED_ANSWERS):
        self.path = Path(path)
        self.size = size
        self._local = threading.local()
        self._inherited: list[sqlite3.Connection] = []  # a parent's, kept open (see _connection)
        self._unusable_until = 0.0

    def get(self, key: Hashable) -> SearchResult | None:
        try:
            db = self._connection()
            row = db.execute("SELECT result FROM answers WHERE key = ?", (_digest(key),)).fetchone() if db else None
            return pickle.loads(row[0]) if row else None
        except Exception:  # a damaged row, a locked or lost file: search again
            return None

    def put(self, key: Hashable, result: SearchResult) -> None:
        try:
            db = self._connection()
            if db is None:
                return
            value = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with db:  # one transaction: the answer in, the oldest out
                db.execute("INSERT OR REPLACE INTO answers (key, result) VALUES (?, ?)", (_digest(key), value))
                db.execute("DELETE FROM answers WHERE rowid <= (SELECT max(rowid) FROM answers) - ?", (self.size,))
        except Exception:  # the answer is given all the same, only not kept
            pass

    def _connection(self) -> sqlite3.Connection | None:
        """This thread's connection in this process (a forked worker opens its own; one
        inherited from the parent is kept, unused: SQLite must not close a connection across a
        fork). None while the file cannot be opened."""
        local = self._local
        if getattr(local, "pid", None) == os.getpid():
            return local.db
        if getattr(local, "db", None) is not None:
            self._inherited.append(local.db)
            local.db = None
        if time.monotonic() < self._unusable_until:
            return None
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode = WAL")  # readers do not wait for a writer
            db.execute("PRAGMA synchronous = OFF")  # a cache: an answer lost in a crash is searched again
            db.execute("CREATE TABLE IF NOT EXISTS answers (key BLOB PRIMARY KEY, result BLOB NOT NULL)")
        except sqlite3.Error:
            self._unusable_until = time.monotonic() + RETRY_SECONDS
            return None
        db.isolation_level = ""  # `with db:` is a transaction
        local.db, local.pid = db, os.getpid()
        return db


def _digest(key: Hashable) -> bytes:
    return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).digest()
