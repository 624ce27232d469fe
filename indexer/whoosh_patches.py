"""Measured fixes to Whoosh (whoosh-reloaded 2.7.5, frozen upstream), applied on import.

Each patch is small, keeps Whoosh's behaviour, and says what it saves. Import this module before
writing an index (indexer/index.py does).
"""
from __future__ import annotations

from whoosh.codec import whoosh3

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
