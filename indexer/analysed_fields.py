"""Whoosh field types for brieven's schema that index a paragraph without Whoosh's analysis chain.

Whoosh analyses a field by running each token through its filters as a Token object; for our
Dutch text that was the largest single cost of indexing. These fields keep their analyzer (the
query parser and the highlighter still use it, and give the same terms) but index from
`indexer.dutch.term_positions`/`surface_counts`, which analyse a paragraph word by word from a
per-word cache, once for its topics and its text field together. They write exactly the
postings Whoosh's own `word_values` would (same terms, frequencies, weights and encoded values):
tests/test_analysed_fields.py compares the two.

The index schema pickles these classes by module path: keep their names and this module.
"""
from __future__ import annotations

from collections.abc import Iterator

from whoosh import columns, fields, formats
from whoosh.system import pack_uint

from indexer.dutch import surface_counts, term_positions

Posting = tuple[bytes, int, float, bytes]  # (term, frequency, weight, encoded value)


# position -> Whoosh's encoding of a posting at that one position (formats.Positions.encode)
_SINGLE_POSITION: dict[int, bytes] = {}


class DutchText(fields.TEXT):
    """A TEXT field with the Dutch analyzer, indexed from `term_positions`."""

    def index(self, value, **kwargs) -> Iterator[Posting]:
        if not isinstance(value, str) or kwargs:
            yield from super().index(value, **kwargs)
            return
        fmt = self.format
        boost = fmt.field_boost
        with_positions = isinstance(fmt, formats.Positions) and not isinstance(fmt, formats.Characters)
        if not with_positions and type(fmt) is not formats.Frequency:
            yield from super().index(value)  # a format this fast path does not write
            return
        single = _SINGLE_POSITION
        for term, positions in term_positions(value).items():
            freq = len(positions)
            if not with_positions:
                encoded = pack_uint(freq)
            elif freq == 1:  # most postings: their encoding is looked up, not pickled again
                encoded = single.get(positions[0])
                if encoded is None:
                    encoded = single[positions[0]] = fmt.encode(positions)
            else:
                encoded = fmt.encode(positions)
            yield term.encode("utf-8"), freq, freq * boost, encoded


class SurfaceWords(fields.TEXT):
    """The unstemmed words of a text, for spelling suggestions: their terms and frequencies
    (`searcher.corrector` ranks by them), no positions, and no field lengths (never scored)."""

    def __init__(self, analyzer) -> None:
        super().__init__(analyzer=analyzer, phrase=False, spelling=True)
        self.scorable = False

    def index(self, value, **kwargs) -> Iterator[Posting]:
        if not isinstance(value, str) or kwargs:
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for term, freq in surface_counts(value).items():
            yield term.encode("utf-8"), freq, freq * boost, pack_uint(freq)


class StoredNumber(fields.FieldType):
    """An int that is stored and kept in a sortable column, without postings (nothing searches
    for it by value: it is shown, and sorted or filtered on through its column)."""

    indexed = False
    stored = True
    scorable = False

    def __init__(self, typecode: str = "i", stored: bool = True) -> None:
        self.column_type = columns.NumericColumn(typecode, default=0)
        self.stored = stored
        self.format = None
        self.vector = None
        self.analyzer = None

    def to_bytes(self, value):
        return value

    def from_bytes(self, value):
        return value

    def to_column_value(self, value: int) -> int:
        return int(value)

    def from_column_value(self, value: int) -> int:
        return value
