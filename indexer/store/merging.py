"""Which segments an update merges: small ones, in tiers, never the build's large ones.

Every `brieven add` (and every change `watch` sees) writes a segment of its own, and searching
many tiny segments costs a little each. Whoosh's default policy (MERGE_SMALL) merges "small"
segments by a Fibonacci rule that, on an index of many large segments, finds a merge point
among them: at 1,000,000 paragraphs (forty-odd segments from the parallel build) adding one
letter rewrote most of the index and took over ten minutes. Here segments are grouped in tiers
by size (under 10, under 100, ... paragraphs) and a tier is merged when it holds MERGE_FACTOR
segments, as Lucene's log merge policy does; segments of SMALL_ENOUGH paragraphs or more are
never merged by an update (a `--rebuild` writes them anew). So each paragraph is rewritten at
most once per tier, and one merge rewrites less than MERGE_FACTOR * SMALL_ENOUGH paragraphs.

The update commits its letters first without merging, so they are searchable before any merge
starts; the merge is a commit of its own after it (indexer/store/updating.py).

Both policies drop a segment whose paragraphs are all deleted (a letter added, then changed or
removed): nothing in it can be found, yet its files stayed on disk and open, and every word of
every query was still looked up in it. The benchmark's 1,000,000-paragraph index, reused run
after run, had gathered ten such segments beside its eight large ones; with nine of them the
50 queries took as long as without (in-process, alternating: within the noise), but they only
ever grew.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from whoosh.reading import SegmentReader

MERGE_FACTOR = 10
SMALL_ENOUGH = 10_000  # paragraphs; a segment this large or larger is left as it is


def tier(paragraphs: int) -> int:
    """0 for segments of fewer than 10 paragraphs, 1 for fewer than 100, and so on."""
    return int(math.log10(max(paragraphs, 1)))


def with_live_paragraphs(segments: Sequence) -> list:
    """The segments that still hold a paragraph that is not deleted."""
    return [s for s in segments if s.doc_count() > 0]


def segments_to_merge(segments: Sequence) -> list:
    """The segments of the smallest tier that has MERGE_FACTOR of them, with every smaller
    segment (fewer than MERGE_FACTOR per tier below it); [] when no tier is full. Segments
    with no live paragraph are not merged but dropped (`no_merge` and `tiered` do)."""
    tiers: dict[int, list] = defaultdict(list)
    for segment in with_live_paragraphs(segments):
        if segment.doc_count_all() < SMALL_ENOUGH:
            tiers[tier(segment.doc_count_all())].append(segment)
    for level in sorted(tiers):
        if len(tiers[level]) >= MERGE_FACTOR:
            return [s for lower in sorted(tiers) if lower <= level for s in tiers[lower]]
    return []


def no_merge(writer, segments: list) -> list:
    """A Whoosh merge policy: keep every segment with a live paragraph (the update's own is
    added by the commit)."""
    return with_live_paragraphs(segments)


def tiered(writer, segments: list) -> list:
    """A Whoosh merge policy: merge `segments_to_merge` into the writer's new segment."""
    segments = with_live_paragraphs(segments)
    chosen = {s.segment_id() for s in segments_to_merge(segments)}
    if len(chosen) < 2:
        return segments
    kept = []
    for segment in segments:
        if segment.segment_id() in chosen:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            kept.append(segment)
    return kept
