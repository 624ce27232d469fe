"""Indexing into OpenSearch: incremental by content hash, in bulk, a rebuild swapped in by alias.

Every paragraph carries its letter's content hash and paragraph count. The update asks the
cluster which (letter, hash) pairs it holds and how many paragraphs of each, so a letter is
up to date only when its hash matches *and* all its paragraphs arrived: a bulk that was
interrupted (the indexer killed, the cluster gone half-way) leaves letters that the next run
sends again, and nothing else. A changed letter is sent whole, then its old version's
paragraphs are deleted. `rebuild` fills a new concrete index (`<alias>-<time>`) and moves the
alias to it in one request when it is complete, then deletes the old index: searches go on
against the old one meanwhile, so a mapping change costs no downtime.
"""
from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from indexer.analysis import Taxonomy, load_taxonomy
from indexer.store.opensearch_connection import OpenSearchConfig, guarded
from indexer.store.opensearch_mapping import MAPPING_VERSION, index_body, os_document
from indexer.reading import LetterError, file_sha256, letter_id_of_name, list_corpus, read_letter
from indexer.store.documents import letter_documents
from indexer.store.updating import IndexSummary

BULK_DOCS = 500  # paragraphs per bulk request (a few MB)
Progress = Callable[[str, int], None]  # a letter's file name and its paragraphs indexed, as updating.Progress


def update_opensearch(config: OpenSearchConfig, corpus_dir: Path, rebuild: bool = False,
                      progress: Progress | None = None, taxonomy: Taxonomy | None = None,
                      bulk_docs: int = BULK_DOCS) -> IndexSummary:
    """Bring the corpus's index in the cluster in line with the corpus (see the module doc).
    A build or rebuild that was interrupted before its swap left its index behind: the next
    one goes on filling that index (letters already there whole are not sent again)."""
    started = time.perf_counter()
    taxonomy = taxonomy or load_taxonomy()
    listing = list_corpus(corpus_dir)
    client = config.client()
    with guarded(config):
        current = _current_index(client, config.alias)
        if current and not rebuild and _mapping_version(client, current) != MAPPING_VERSION:
            rebuild = True  # an index of an older mapping is rebuilt, never read wrongly
        target = current
        if rebuild or current is None:
            target = _unfinished(client, config.alias, current)
            if target is None:
                target = f"{config.alias}-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}"
                client.indices.create(index=target, body=index_body(config.shards, config.replicas))
        summary = _sync(client, target, corpus_dir, listing.names, taxonomy, progress, bulk_docs)
        client.indices.refresh(index=target)
        if target != current:
            _swap_alias(client, config.alias, target, current)
            summary.rebuilt = True
        summary.skipped = sorted(listing.refused + summary.skipped)
        summary.paragraphs = client.count(index=config.alias)["count"]
        summary.letters = client.search(index=config.alias, body={"size": 0, "aggs": {"letters": {
            "cardinality": {"field": "letter_id", "precision_threshold": 40000}}}})["aggregations"]["letters"]["value"]
    summary.seconds = time.perf_counter() - started
    return summary


def _unfinished(client, alias: str, current: str | None) -> str | None:
    """The index an interrupted build of this alias left (the newest, if of this mapping);
    older ones, and one of another mapping, are deleted."""
    pattern = re.compile(re.escape(alias) + r"-\d{14}-\d+")
    names = sorted(n for n in client.indices.get(index=f"{alias}-*", expand_wildcards="open")
                   if pattern.fullmatch(n) and n != current)
    keep = names[-1] if names and _mapping_version(client, names[-1]) == MAPPING_VERSION else None
    for name in names:
        if name != keep:
            client.indices.delete(index=name, ignore_unavailable=True)
    return keep


def _current_index(client, alias: str) -> str | None:
    if not client.indices.exists_alias(name=alias):
        return None
    return sorted(client.indices.get_alias(name=alias))[0]


def _mapping_version(client, index: str) -> int | None:
    mapping = client.indices.get_mapping(index=index)[index]["mappings"]
    return mapping.get("_meta", {}).get("brieven_mapping")


def _swap_alias(client, alias: str, target: str, old: str | None) -> None:
    actions = [{"add": {"index": target, "alias": alias}}]
    if old:
        actions.insert(0, {"remove": {"index": old, "alias": alias}})
    client.indices.update_aliases(body={"actions": actions})
    if old:
        client.indices.delete(index=old, ignore_unavailable=True)


def indexed_letters(client, index: str) -> dict[str, list[tuple[str, int, int]]]:
    """letter id -> [(content hash, paragraphs it should have, paragraphs there)], one entry per
    version found (two after an interrupted change)."""
    out: dict[str, list[tuple[str, int, int]]] = {}
    after = None
    while True:
        composite = {"size": 1000, "sources": [
            {"letter": {"terms": {"field": "letter_id"}}},
            {"sha": {"terms": {"field": "sha256"}}},
            {"n": {"terms": {"field": "letter_paragraphs"}}}]}
        if after:
            composite["after"] = after
        response = client.search(index=index, body={"size": 0, "aggs": {"letters": {"composite": composite}}})
        agg = response["aggregations"]["letters"]
        for bucket in agg["buckets"]:
            key = bucket["key"]
            out.setdefault(key["letter"], []).append((key["sha"], int(key["n"]), bucket["doc_count"]))
        after = agg.get("after_key")
        if not agg["buckets"] or not after:
            return out


def _sync(client, index: str, corpus_dir: Path, names: list[str], taxonomy: Taxonomy,
          progress: Progress | None, bulk_docs: int) -> IndexSummary:
    from opensearchpy.helpers import bulk

    summary = IndexSummary()
    client.indices.refresh(index=index)  # what an interrupted run sent is counted too
    indexed = indexed_letters(client, index)
    present: set[str] = set()
    pending: list[dict] = []
    stale: list[tuple[str, str]] = []  # (letter id, the hash to keep) once its new version is in
    # One bulk is sent while the next letters are read and analysed (a thread: sending waits on
    # the network, not on Python); at most one waits behind it, so memory stays bounded.
    sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brieven-bulk")
    sending: list[Future] = []

    def send(actions: list[dict], replaced: list[tuple[str, str]]) -> None:
        if actions:
            bulk(client, actions, chunk_size=bulk_docs, max_retries=2, request_timeout=120)
        for letter_id, keep in replaced:  # only once the new version is in
            _delete_where(client, index, {"bool": {"filter": [{"term": {"letter_id": letter_id}}],
                                                   "must_not": [{"term": {"sha256": keep}}]}})

    def flush() -> None:
        while len(sending) > 1:
            sending.pop(0).result()
        sending.append(sender.submit(send, list(pending), list(stale)))
        pending.clear()
        stale.clear()

    try:
        for name in names:
            letter_id = letter_id_of_name(name)
            present.add(letter_id)
            path = corpus_dir / name
            try:
                sha = file_sha256(path)
            except OSError as error:
                summary.skipped.append((name, f"kan niet worden gelezen ({error.strerror})"))
                continue
            versions = indexed.get(letter_id, [])
            if len(versions) == 1 and versions[0][0] == sha and versions[0][1] == versions[0][2]:
                summary.unchanged += 1
                if progress:
                    progress(name, 0)
                continue
            try:
                letter = read_letter(path)
            except LetterError as error:
                summary.skipped.append((name, str(error)))
                if progress:
                    progress(name, 0)
                continue
            summary.notes += [(name, note) for note in letter.notes]
            (summary.changed if versions else summary.added).append(letter_id)
            docs = list(letter_documents(letter, taxonomy))
            for doc in docs:
                pending.append({"_index": index, "_id": doc["doc_id"],
                                "_source": os_document(doc, sha, len(docs), letter.ministries)})
            if versions:
                stale.append((letter_id, sha))
            if progress:
                progress(name, len(docs))
            if len(pending) >= bulk_docs:
                flush()
        flush()
        for future in sending:
            future.result()
    finally:
        sender.shutdown(wait=True)  # a bulk under way when stopped is finished, not cut off
    for letter_id in sorted(set(indexed) - present):
        _delete_where(client, index, {"term": {"letter_id": letter_id}})
        summary.removed.append(letter_id)
    return summary


def _delete_where(client, index: str, query: dict) -> None:
    """Delete the paragraphs a query finds, in bulk by id (delete-by-query is a module a
    cluster need not have)."""
    from opensearchpy.helpers import bulk

    client.indices.refresh(index=index)
    ids = [h["_id"] for h in documents_of(client, index, query, [{"letter_id": "asc"}, {"paragraph": "asc"}],
                                          source=False)]
    if ids:
        bulk(client, ({"_op_type": "delete", "_index": index, "_id": i} for i in ids), chunk_size=BULK_DOCS,
             raise_on_error=False)


def documents_of(client, index: str, query: dict, sort: list, size: int = 1000,
                 source: list[str] | bool = True, **options) -> Iterator[dict]:
    """Every hit of a query in a fixed order, page by page (search_after); `options` go with
    each search request (search_type)."""
    after = None
    while True:
        body = {"query": query, "sort": sort, "size": size, "_source": source, "track_total_hits": False}
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=index, body=body, **options)["hits"]["hits"]
        yield from hits
        if len(hits) < size:
            return
        after = hits[-1]["sort"]
