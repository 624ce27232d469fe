"""Timing one new letter: `brieven add FILE` as a subprocess, and the time until a search sees it,
through a running server (polling /api/search) or through the command line (`brieven search`)."""
from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

from benchmarks.corpus import Document, new_letter
from benchmarks.harness import Background, Finished, Server, cli, run

# "Geïndexeerd: N brieven, M alinea's in X s" (index) or "Geïndexeerd: M alinea's in de index in X s" (add)
SUMMARY_LINE = re.compile(r"^Geïndexeerd: (?:(\d+) brie(?:f|ven), )?(\d+) alinea(?:'s)?(?: in de index)? in ([\d.]+) s",
                          re.MULTILINE)


def indexed_summary(finished: Finished) -> dict:
    """The figures of the summary line of index/add (an add does not count the letters)."""
    m = SUMMARY_LINE.search(finished.stdout)
    if not m:
        return {}
    return {"letters": int(m[1]) if m[1] else None, "paragraphs": int(m[2]), "indexer_seconds": float(m[3])}


def _check(finished: Finished) -> None:
    if finished.returncode != 0:
        raise RuntimeError(
            f"{' '.join(finished.command)} exited {finished.returncode}:\n"
            f"{finished.stdout[-2000:]}\n{finished.stderr[-2000:]}"
        )


def add_via_server(server: Server, index_dir: Path, corpus_dir: Path, work_dir: Path, word: str,
                   day: date, doc: Document | None = None, poll_interval: float = 0.05,
                   timeout: float = 600.0) -> dict:
    """Start `brieven add` and poll the running server for `word` until it finds the letter."""
    letter = new_letter(work_dir, word, day, doc)
    add = Background(cli(index_dir, corpus_dir, "add", str(letter)))
    polls, searchable = 0, None
    while searchable is None:
        result, _ = server.search({"q": word})
        polls += 1
        if result["total"] > 0:
            searchable = time.perf_counter() - add.started
            break
        if add.done():
            _check(add.result)
            if polls > 3 and time.perf_counter() - add.result.ended_at > 10:
                raise RuntimeError(f"the server does not find {word!r} 10 s after `brieven add` ended")
        if time.perf_counter() - add.started > timeout:
            raise TimeoutError(f"{word!r} not searchable within {timeout} s")
        time.sleep(poll_interval)
    finished = add.wait(timeout)
    _check(finished)
    return {
        "letter": letter.name,
        "add_seconds": round(finished.seconds, 3),
        "searchable_seconds": round(searchable, 3),
        "polls": polls,
        "poll_interval_s": poll_interval,
        "add_peak_rss_mb": round(finished.peak_rss_bytes / 2**20, 1),
        "add_reported": indexed_summary(finished),
    }


def add_via_cli(index_dir: Path, corpus_dir: Path, work_dir: Path, word: str, day: date,
                doc: Document | None = None, timeout: float = 600.0) -> dict:
    """`brieven add`, then `brieven search WORD --json` until it finds the letter."""
    letter = new_letter(work_dir, word, day, doc)
    started = time.perf_counter()
    finished = run(cli(index_dir, corpus_dir, "add", str(letter)), timeout=timeout)
    _check(finished)
    searches = 0
    while True:
        search = run(cli(index_dir, corpus_dir, "search", word, "--json"), timeout=timeout)
        _check(search)
        searches += 1
        if json.loads(search.stdout)["total"] > 0:
            break
        if searches >= 5:
            raise RuntimeError(f"`brieven search {word}` does not find the letter just added")
    return {
        "letter": letter.name,
        "add_seconds": round(finished.seconds, 3),
        "search_seconds": round(search.seconds, 3),
        "searchable_seconds": round(search.ended_at - started, 3),
        "searches": searches,
        "add_peak_rss_mb": round(finished.peak_rss_bytes / 2**20, 1),
        "add_reported": indexed_summary(finished),
    }
