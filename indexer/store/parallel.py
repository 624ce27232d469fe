"""A full build on several cores: each worker process writes its own segments of one index.

Whoosh's own multiprocessing writer (MpWriter) left the parent reading and parsing every letter
while the workers only indexed, and its `commit(optimize=True)` then re-read and re-wrote all
segments into one, in one process. Here each forked worker reads its share of the files,
indexes them into segments of its own (Whoosh SegmentWriters without the index lock, as
whoosh/multiproc.py does), and sends back the segments' descriptions; the parent only waits,
passes progress on (sent in batches), and commits the segments together in one new TOC. No merge: searching
several segments is fine, and `brieven add` later adds segments the same way.

Workers are forked (they inherit the open index and the loaded data), and die with the parent
(indexer/store/updating.py installs a PR_SET_PDEATHSIG hook for forks). A worker that fails or dies makes
the build fail: the caller discards the unfinished index directory.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import shutil
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Sequence

from whoosh.index import TOC, FileIndex, clean_files

from indexer.store.segment_writer import BulkSegmentWriter

# Every so many documents, everything allocated so far (mostly the pooled postings) is moved out
# of the garbage collector's sight (gc.freeze): its full collections would otherwise scan the
# growing pool again and again, 8% of a build's CPU. Young objects are still collected, in
# larger batches (a threshold of 10,000 instead of 700: 49 collections instead of 1,081 per 10k
# paragraphs).
FREEZE_EVERY = 256
YOUNG_COLLECTION_THRESHOLD = 10_000
# A worker reports the files it has read in batches, at most this often (and at the end): one
# message per file (30,000 at 100k paragraphs) kept the parent waking for each, and with both
# cores busy a worker waited about 6 s of a 60 s build for the parent to empty the pipe.
REPORT_EVERY = 0.2  # seconds

# index_files(writer, files, progress) -> a picklable result (the worker's summary); progress is
# called with each file's name and its paragraphs
IndexFiles = Callable[["SegmentRoller", Sequence[Path], Callable[[str, int], None]], Any]


class WorkerFailed(RuntimeError):
    """A worker process raised an error or died; the message carries its traceback or exit code."""


def split_by_size(files: Sequence[Path], parts: int) -> list[list[Path]]:
    """`files` in order, cut into `parts` runs of about equal total size (the work is about
    proportional to the bytes). Runs in order keep the documents in the order of a serial build."""
    sizes = []
    for path in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)  # the worker reports it as skipped
    total = sum(sizes) or 1
    shares: list[list[Path]] = [[] for _ in range(parts)]
    done = 0
    for path, size in zip(files, sizes):
        shares[min(parts - 1, int((done + size / 2) * parts / total))].append(path)
        done += size
    return shares


def build_segments(ix: FileIndex, shares: Sequence[Sequence[Path]], index_files: IndexFiles,
                   progress: Callable[[str, int], None] | None = None, limitmb: int = 256) -> list[Any]:
    """Index each share in a forked worker into segments of its own (a single share in this
    process), then commit all segments (in share order) as the index's next generation.
    Returns the workers' results in order."""
    if len(shares) == 1:  # one process: this one
        with bulk_collection():
            writer = SegmentRoller(ix, limitmb)
            result = index_files(writer, shares[0], progress)
            outcomes = [(writer.finish(), result)]
    else:
        outcomes = _in_workers(ix, shares, index_files, progress, limitmb)
    segments = [segment for worker_segments, _ in outcomes for segment in worker_segments]
    generation = ix.latest_generation() + 1
    TOC(ix.schema, segments, generation).write(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, generation, segments)  # the previous TOC
    shutil.rmtree(Path(ix.storage.folder) / f"{ix.indexname}.tmp", ignore_errors=True)
    return [result for _, result in outcomes]


def _in_workers(ix: FileIndex, shares: Sequence[Sequence[Path]], index_files: IndexFiles,
                progress, limitmb: int) -> list[tuple[list, Any]]:
    """(segments, result) of each share, indexed in a forked worker process of its own."""
    context = multiprocessing.get_context("fork")
    workers = []
    try:
        for share in shares:
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(ix, share, index_files, send, limitmb), daemon=True)
            process.start()
            send.close()  # the worker holds the only sending end: its exit ends our reading
            workers.append((process, receive))
        outcomes = _collect(workers, progress)
    finally:
        for process, receive in workers:
            if process.is_alive():
                process.kill()
            process.join()
            receive.close()
    return outcomes


def _collect(workers, progress) -> list[tuple[list, Any]]:
    """Pass on progress messages until every worker has sent its segment; raise WorkerFailed
    as soon as one fails or dies."""
    outcomes: dict[int, tuple[list, Any]] = {}
    open_ends = {receive: n for n, (_, receive) in enumerate(workers)}
    while open_ends:
        for receive in multiprocessing.connection.wait(list(open_ends)):
            n = open_ends[receive]
            try:
                kind, *payload = receive.recv()
            except EOFError:
                del open_ends[receive]
                if n not in outcomes:
                    process = workers[n][0]
                    process.join()
                    raise WorkerFailed(f"indexing worker {n + 1} died (exit code {process.exitcode})") from None
                continue
            if kind == "files":
                if progress:
                    for name, paragraphs in payload[0]:
                        progress(name, paragraphs)
            elif kind == "done":
                outcomes[n] = (payload[0], payload[1])
            else:
                raise WorkerFailed(f"indexing worker {n + 1} failed:\n{payload[0]}")
    return [outcomes[n] for n in range(len(workers))]


def _work(ix: FileIndex, files: Sequence[Path], index_files: IndexFiles, send, limitmb: int) -> None:
    """In a worker: index `files` into new segments and send back their descriptions."""
    try:
        report = _BatchedProgress(send)
        with bulk_collection():
            writer = SegmentRoller(ix, limitmb)
            result = index_files(writer, files, report)
            segments = writer.finish()
        report.flush()
        send.send(("done", segments, result))
    except BaseException:
        send.send(("error", traceback.format_exc()))
        raise
    finally:
        send.close()


class _BatchedProgress:
    """A worker's progress callback: collects (file name, paragraphs) and sends them to the
    parent as one message every REPORT_EVERY seconds."""

    def __init__(self, send) -> None:
        self.send = send
        self.pending: list[tuple[str, int]] = []
        self.sent_at = time.monotonic()

    def __call__(self, name: str, paragraphs: int) -> None:
        self.pending.append((name, paragraphs))
        now = time.monotonic()
        if now - self.sent_at >= REPORT_EVERY:
            self.sent_at = now
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.send.send(("files", self.pending))
            self.pending = []


@contextlib.contextmanager
def bulk_collection():
    """The garbage collector's settings for a build (see FREEZE_EVERY), restored afterwards."""
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


class SegmentRoller:
    """Adds documents like an index writer, into a new segment each time the writer's postings
    take about `limitmb` (Whoosh's own estimate of a pooled posting): they become a segment.

    Whoosh would instead spill its pool to a sorted run file and merge the runs at the end, one
    pickled posting at a time: at 100k paragraphs (3 runs per worker) that took a third of the
    build's CPU (user CPU 186 s with spills, 120 s without). The price is a few more segments.
    """

    def __init__(self, ix: FileIndex, limitmb: int) -> None:
        self.ix = ix
        self.limit = limitmb * 1024 * 1024
        self.segments: list = []
        self.writer = self._new_writer()
        self.documents = 0

    def _new_writer(self) -> BulkSegmentWriter:
        return BulkSegmentWriter(self.ix)

    def add_document(self, **fields) -> None:
        self.writer.add_document(**fields)
        self.documents += 1
        if self.documents % FREEZE_EVERY == 0:
            gc.freeze()
        if self.writer.pending_bytes > self.limit:
            self.segments.append(self.writer._finalize_segment())  # as whoosh.multiproc does
            self.writer = self._new_writer()
            # The finished writer leaves garbage in reference cycles (its term index's buckets,
            # files, buffers): collect it now, or the next freeze keeps it to the end of the build.
            gc.collect()

    def finish(self) -> list:
        """The segments written, the last one included; none are committed yet."""
        if self.writer.docnum:
            self.segments.append(self.writer._finalize_segment())
        else:
            self.writer._close_segment()
        return self.segments
