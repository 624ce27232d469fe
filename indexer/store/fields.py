"""The Dutch analysis in Whoosh's terms: its analyzers, and field types that index a paragraph
without Whoosh's analysis chain.

The analysis itself is plain Python (indexer/analysis/dutch.py). Whoosh wants an analyzer on each
text field: `dutch_analyzer()` and `words_analyzer()` wrap the same per-word rules as Whoosh
filters. But Whoosh analyses a field by running each token through its filters as a Token object;
for our Dutch text that was the largest single cost of indexing. So these fields keep their
analyzer (Whoosh's own API still uses it, and gets the same terms) but index from
`term_positions`/`surface_words`, which analyse a paragraph word by word from a per-word cache,
once for its topics and its text field together; identifiers and keyword lists are split
directly. They write exactly the postings Whoosh's own `word_values` would (same terms,
frequencies, weights and encoded values): tests/store/test_fields.py compares them.

The index schema pickles these classes by module path: keep their names and this module.
"""
from __future__ import annotations

import re
from collections import defaultdict

from whoosh import columns, fields, formats
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.system import pack_uint, unpack_uint

from indexer.analysis import WORD_PATTERN, surface_terms, surface_words, term_positions, word_terms

Posting = tuple[bytes, int, float, bytes]  # (term, frequency, weight, encoded value)


# -- The Dutch analysis as Whoosh analyzers (the query parser and the highlighter of Whoosh's own
# API use them; brieven's indexing goes through the fast paths below, with the same terms) -----
class DutchWordFilter(Filter):
    """Each token becomes its terms (`word_terms`), all at the token's position. Stopwords are
    dropped without leaving a gap, so the phrase "dialoog met Rusland" matches dialoog and
    rusland side by side."""

    is_morph = True

    def __eq__(self, other):
        return isinstance(other, DutchWordFilter)

    def __call__(self, tokens):
        pos = 0
        for t in tokens:
            terms = word_terms(t.text, t.mode == "query")
            if not terms:
                continue
            if t.positions:
                t.pos = pos
            pos += 1
            for term in terms:
                t.text = term
                yield t


class SurfaceWordFilter(Filter):
    """Each token becomes its surface forms (`surface_terms`)."""

    def __eq__(self, other):
        return isinstance(other, SurfaceWordFilter)

    def __call__(self, tokens):
        for t in tokens:
            for term in surface_terms(t.text):
                t.text = term
                yield t


def dutch_analyzer():
    """The analyzer of every searchable text field, at index and at query time."""
    return RegexTokenizer(WORD_PATTERN) | DutchWordFilter()


def words_analyzer():
    """Surface words, folded but not stemmed: the vocabulary for spelling suggestions."""
    return RegexTokenizer(WORD_PATTERN) | SurfaceWordFilter()


# position -> Whoosh's encoding of a posting at that one position (formats.Positions.encode)
_SINGLE_POSITION: dict[int, bytes] = {}


class DutchText(fields.TEXT):
    """A TEXT field with the Dutch analyzer, indexed from `term_positions`."""

    def index(self, value, **kwargs) -> list[Posting]:
        pool: dict[bytes, list] = defaultdict(list)
        if kwargs or self.add_postings(value, 0, pool) is None:
            return list(super().index(value, **kwargs))
        return _as_postings(pool)

    def _with_positions(self) -> bool:
        fmt = self.format
        return isinstance(fmt, formats.Positions) and not isinstance(fmt, formats.Characters)

    def add_postings(self, value, docnum: int, pool) -> tuple[int, int] | None:
        """Append (docnum, weight, encoded value) to `pool[term]` for each term of `value`, as
        BulkSegmentWriter pools them; return (field length, number of terms). None for a value
        or a format this fast path does not handle."""
        fmt = self.format
        if not isinstance(value, str):
            return None
        boost = fmt.field_boost
        terms = term_positions(value)
        length = 0
        if self._with_positions():
            single = _SINGLE_POSITION
            encode = fmt.encode
            for term, positions in terms.items():
                if len(positions) == 1:  # most postings: their encoding is looked up, not pickled again
                    length += 1
                    encoded = single.get(positions[0])
                    if encoded is None:
                        encoded = single[positions[0]] = encode(positions)
                    pool[term.encode("utf-8")].append((docnum, boost, encoded))
                else:
                    length += len(positions)
                    pool[term.encode("utf-8")].append((docnum, len(positions) * boost, encode(positions)))
        elif type(fmt) is formats.Frequency:
            for term, positions in terms.items():
                length += len(positions)
                pool[term.encode("utf-8")].append((docnum, len(positions) * boost, pack_uint(len(positions))))
        else:
            return None
        return length, len(terms)


class SurfaceWords(fields.TEXT):
    """The unstemmed words of a text, for spelling suggestions: which documents have each word
    (`searcher.corrector` ranks by that count), no frequencies, positions or field lengths. A
    posting without a frequency is about half the indexing work of one with it."""

    def __init__(self, analyzer) -> None:
        super().__init__(analyzer=analyzer, phrase=False, spelling=True)
        self.format = formats.Existence(field_boost=self.format.field_boost)
        self.scorable = False

    def index(self, value, **kwargs) -> list[Posting]:
        if not isinstance(value, str) or kwargs:
            return list(super().index(value, **kwargs))
        boost = self.format.field_boost
        return [(term.encode("utf-8"), 1, boost, b"") for term in surface_words(value)]

    def add_postings(self, value, docnum: int, pool) -> tuple[int, int] | None:
        """As DutchText.add_postings."""
        if not isinstance(value, str):
            return None
        posting = (docnum, self.format.field_boost, b"")
        words = surface_words(value)
        for term in map(str.encode, words):
            pool[term].append(posting)
        return len(words), len(words)


def _as_postings(pool: dict[bytes, list]) -> list[Posting]:
    """The (term, frequency, weight, value) postings of one document's pool, as `index()` gives
    them. Each value starts with the frequency (Whoosh's Positions and Frequency formats)."""
    return [(term, unpack_uint(value[:4])[0], weight, value) for term, [(_, weight, value)] in pool.items()]


class Identifier(fields.ID):
    """Whoosh's ID field (the whole value is the one term, as written), indexed without running
    its analyzer."""

    def index(self, value, **kwargs) -> list[Posting]:
        if not isinstance(value, str) or kwargs or type(self.format) is not formats.Existence:
            return list(super().index(value, **kwargs))
        return [(value.encode("utf-8"), 1, self.format.field_boost, b"")]


class Keywords(fields.KEYWORD):
    """Whoosh's KEYWORD field with comma-separated values (each stripped, case kept), indexed
    without running its analyzer."""

    def __init__(self, stored: bool = False, vector: bool = False, scorable: bool = False) -> None:
        super().__init__(commas=True, stored=stored, vector=vector, scorable=scorable)

    def index(self, value, **kwargs) -> list[Posting]:
        if not isinstance(value, str) or kwargs or type(self.format) is not formats.Frequency:
            return list(super().index(value, **kwargs))
        boost = self.format.field_boost
        return [(keyword.encode("utf-8"), freq, freq * boost, pack_uint(freq))
                for keyword, freq in _keyword_counts(value).items()]

    def vector_items(self, value) -> list[tuple[str, float, bytes]] | None:
        """The sorted (keyword, weight, value) items of the field's term vector, as Whoosh's
        writer makes them from `vector.word_values`; None when this fast path does not apply."""
        vector = self.vector
        if not isinstance(value, str) or type(vector) is not formats.Frequency:
            return None
        boost = vector.field_boost
        return sorted((keyword, freq * boost, pack_uint(freq)) for keyword, freq in _keyword_counts(value).items())


def _keyword_counts(value: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for keyword in _COMMA_SEPARATED.findall(value):
        keyword = keyword.strip()
        counts[keyword] = counts.get(keyword, 0) + 1
    return counts


_COMMA_SEPARATED = re.compile(r"[^,]+")  # as whoosh.analysis.CommaSeparatedTokenizer


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
