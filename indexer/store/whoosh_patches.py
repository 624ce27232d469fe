"""Measured fixes to Whoosh (whoosh-reloaded 2.7.5, frozen upstream), applied on import.

Each patch is small, says what it fixes or saves, and is tested in
tests/store/test_whoosh_patches.py. indexer/store/directory.py imports this module, and every
index is opened there, so every brieven process that writes or searches an index runs with the
patches.
"""
from __future__ import annotations

import mmap
import os

from whoosh import collectors
from whoosh.codec import whoosh3
from whoosh.filedb.structfile import StructFile

_MISSING = object()


def _cached_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader, caching "this segment has no such column" too.

    When a segment is flushed, Whoosh asks for the field length of every posting; a field
    without lengths (ID, KEYWORD, NUMERIC) has no length column, and the original looked for
    the column file again each time: one os.stat per posting (305k stats, 4.5 s of a 65 s
    profiled build of 10k paragraphs). A segment's set of columns never changes once written.
    """
    reader = self._readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
    return reader


whoosh3.W3PerDocReader._cached_reader = _cached_reader


def _scored_matches(self):
    """ScoredCollector.matches, pruning sub-matchers by the lowest score in the top N only when
    the search asked for block-quality optimizations (`search(..., optimize=True)`).

    Whoosh called `matcher.replace(minscore)` even with optimize=False; on an index of several
    segments that lost top hits: "cyberaanvallen onderwerp:cyber" on 10k paragraphs in two
    segments missed five of its ten best paragraphs (limit=10 and limit=None disagreed), and
    with one segment the same can happen wherever the per-segment bounds fall. `replace(0)`
    still simplifies exhausted matchers, which prunes nothing. brieven's own searches no longer
    go through Whoosh's collectors (indexer/searching/engine.py scores them); the `brieven eval` baseline
    does.
    """
    minscore = self.minscore
    matcher = self.matcher
    usequality = self._use_block_quality()
    prune = usequality  # fixed for the search: optimize=False never prunes
    replace = self.replace
    replacecounter = 0
    checkquality = True
    while matcher.is_active():
        if replace:
            if replacecounter == 0 or self.minscore != minscore:
                self.matcher = matcher = matcher.replace((minscore or 0) if prune else 0)
                self.replaced_times += 1
                if not matcher.is_active():
                    break
                usequality = self._use_block_quality()
                replacecounter = self.replace
                if self.minscore != minscore:
                    checkquality = True
                    minscore = self.minscore
            replacecounter -= 1
        if usequality and checkquality and minscore is not None:
            self.skipped_times += matcher.skip_to_quality(minscore)
            if not matcher.is_active():
                break
        yield matcher.id()
        checkquality = matcher.next()


collectors.ScoredCollector.matches = _scored_matches


_per_doc_init = whoosh3.W3PerDocReader.__init__
_per_doc_has_column = whoosh3.W3PerDocReader.has_column


def _open_columns_at_once(self, storage, segment):
    """W3PerDocReader.__init__, opening every column file of the segment (stored fields, field
    lengths, sortable fields) when the reader is made, instead of on first use, by name.

    A rebuild swaps the index directory, and a merge deletes the files of the segments it
    merged, while searchers opened before keep answering: a file a searcher already holds open
    stays readable, but one it opened later by name was gone. Stored fields then read as None
    ("'NoneType' object is not subscriptable") and a column missed a segment (IndexError):
    5 of about 900 requests failed while the index was rebuilt (tests/web/test_concurrency.py).
    """
    _per_doc_init(self, storage, segment)
    prefix = f"{segment.segment_id()}."
    ext = whoosh3.W3Codec.COLUMN_EXT
    for name in storage.list():
        if name.startswith(prefix) and name.endswith(ext):
            fieldname = name[len(prefix):-len(ext)]
            try:
                self._colfiles[fieldname] = self._get_column_file(fieldname)
            except OSError:  # deleted in between: the reader fails on use, as before
                continue
            # a paragraph's stored fields are one get() of the column file (see _read_with_pread)
            _read_with_pread(self._colfiles[fieldname][0])


def _has_column(self, fieldname):
    """An opened column file answers without looking for the file again (see above)."""
    return fieldname in self._colfiles or _per_doc_has_column(self, fieldname)


whoosh3.W3PerDocReader.__init__ = _open_columns_at_once
whoosh3.W3PerDocReader.has_column = _has_column


class _PositionalFile(StructFile):
    """A StructFile whose get() is one os.pread: no seek, no read through a buffer, and no
    shared file position."""

    def get(self, position, length):
        return os.pread(self._fd, length, position)


class _MappedFile(StructFile):
    """A StructFile whose get() is a slice of the file mapped into memory: no system call.

    A segment's term index is a hash table on disk, and looking a word up reads a few small
    pieces of it; a search at 1,000,000 paragraphs looks up some 50 words in 8 segments. On
    a virtual machine whose system calls are slow (an os.pread took 29 µs on 3 December, a
    slice of the mapping 0.5-0.7 µs) that was 1,000 reads and 30 ms of the slowest search.
    The pages read stay in the page cache, shared by every process, and count in a process's
    resident memory once touched (at most the term index's size, 323 MB at 1M)."""

    def get(self, position, length):
        return self._map[position:position + length]


def _read_mapped(f) -> None:
    """Make an open term index's get() a slice of its mapping (os.pread where it cannot be
    mapped: an empty file)."""
    if type(f) is StructFile and f.is_real:
        try:
            f._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            _read_with_pread(f)
            return
        if hasattr(f._map, "madvise"):
            f._map.madvise(mmap.MADV_RANDOM)  # a lookup reads a few bytes: no read-ahead
        f.__class__ = _MappedFile


def _read_with_pread(f) -> None:
    """Make an open segment file's get() (and the get_* methods built on it) an os.pread.
    Whoosh's readers use get() for random access and seek() before each sequential read, so
    none relies on where get() leaves the file position."""
    if type(f) is StructFile and f.is_real:
        f._fd = f.fileno()
        f.__class__ = _PositionalFile


_terms_reader_init = whoosh3.W3TermsReader.__init__


def _terms_reader_with_pread(self, codec, dbfile, length, postfile):
    """W3TermsReader.__init__, then its term index read from a mapping and its postings with
    os.pread.

    Looking a word up in a segment's term index (a hash table on disk) takes a few small reads,
    each a seek and a buffered read through three Python layers in Whoosh (27-30 µs a lookup,
    18-20 with os.pread, on a machine with cheap system calls); a search at 1,000,000
    paragraphs made some 1,000-1,700 of them. A term's postings are then one read of the
    postings file."""
    _terms_reader_init(self, codec, dbfile, length, postfile)
    _read_mapped(dbfile)
    _read_with_pread(postfile)


whoosh3.W3TermsReader.__init__ = _terms_reader_with_pread
