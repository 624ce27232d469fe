"""A Whoosh segment writer for bulk builds: the same segment files, written without Whoosh's
posting pool.

Whoosh's SegmentWriter puts every posting in a pool as a 5-tuple, sorts the pool (hundreds of
thousands of tuples per segment), then hands the postings one at a time to its postings writer,
which reads each paragraph's field length back from disk for every posting. At 10k paragraphs
(~700,000 postings) that was 7 of the build's 14 s of CPU. Here the postings are grouped by
term as they arrive, the field lengths are kept in memory, and each term's posting blocks are
written at once in Whoosh's W3 format, so Whoosh (and indexer/store/postings.py) read the segment as
any other.

Some choices differ from Whoosh's writer, all within the format its readers accept (the term
info and each block say which was taken):
- a term with a single posting (about half of all terms) keeps it in its term info ("inlined"),
  rather than in a block of its own in the postings file;
- a block is compressed only when its pickle is long enough for zlib to gain anything, and at
  zlib's fastest level (1, not 3: 0.4 s less per 10k paragraphs, 0.5% larger).
- a block of fewer than `arrays_from` postings (larger ones hold arrays: indexer/store/blocks.py)
  and an inlined term's postings are pickled with protocol 4 (3 for the small inlined ones,
  which a frame header would lengthen), not Whoosh's 2: under protocol 2 every encoded value
  (a paragraph's positions of the term) is pickled as a call of _codecs.encode on a str, and
  read back by calling it. Measured before blocks of arrays, at 100k paragraphs the text
  field's blocks took 10 µs per paragraph to pickle and 12 to compress under 2, 3 and 7 under
  4 (4.1 instead of 6.8 MB compressed per 20,000 paragraphs); reading a block's positions
  unpickled in 2.3 instead of 7.8 µs per paragraph. Any unpickler reads the same tuples.
  So are a paragraph's stored fields (under 2 its date is a call of _codecs.encode too): 4.3
  instead of 5.2 µs to pickle, 25 instead of 28 to compress, 562 instead of 630 bytes.
- a scored field's common words (DENSE_FROM postings or more) are also written as plain arrays,
  in a file of the segment's own that Whoosh does not know (indexer/store/dense.py).
With `inline_limit=1, compress_from=0, compression=3, arrays_from=None, protocol=2,
plain_arrays=False` the files hold what Whoosh's writer writes: byte for byte on the seed letters;
on larger inputs a block's pickle can differ where one position value object (indexer/store/
fields.py shares them) occurs twice in a block and pickle writes it once, which unpickles to the
same block. tests/store/test_segment_writer.py checks both settings.

A field may offer `add_postings(value, docnum, pool) -> (length, postings) | None`: it appends
its postings (docnum, weight, value) to `pool[term bytes]` itself, which saves building them as
tuples for `index()` first (indexer/store/fields.py); None means "use index()". Likewise
`vector_items(value)` gives a term vector's sorted items without running the analyzer.
Per-document data (stored fields, columns, lengths, term vectors) still goes through Whoosh's
per-document writer.
"""
from __future__ import annotations

import functools
import zlib
from collections import defaultdict
from collections.abc import Callable
from array import array
from operator import sub
from pickle import dumps
from struct import Struct

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.columns import PickleColumn
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from indexer.store import dense
from indexer.store.blocks import block_data

_TERM_INFO = W3TermInfo._struct  # flags, weight, doc freq, min/max length byte, max weight, first/last id
_LENGTH = Struct("!i")
_KEY_VALUE_LENGTHS = Struct("!ii")  # as whoosh.filedb.filetables writes them
# About what a pooled posting costs in memory, in bytes, with its share of the term: what
# Whoosh's PostingPool estimates for the pooled tuples of our postings.
_POSTING_BYTES = 160
_ONLY_NEW_SEGMENTS = ("BulkSegmentWriter writes new segments only: finish one with _finalize_segment() "
                      "and commit it with a TOC (indexer/store/parallel.py); use Whoosh's writer to merge")


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter (without the index lock: the caller holds brieven's own) that groups
    postings by term in memory. `pending_bytes` estimates what they hold, so that a caller can
    start a new segment when it is large (see indexer/store/parallel.py)."""

    def __init__(self, ix, inline_limit: int = 2, compress_from: int = 256, compression: int = 1,
                 blocklimit: int = 1024, arrays_from: int | None = 64, protocol: int = 4,
                 plain_arrays: bool = True) -> None:
        for name, field in ix.schema.items():
            if field.separate_spelling():
                raise ValueError(f"field {name!r} keeps separate spelling words, "
                                 "which BulkSegmentWriter does not write")
        super().__init__(ix, _lk=False, compound=False)
        self.inline_limit = inline_limit
        self.compress_from = compress_from
        self.compression = compression
        self.protocol = protocol  # of a block's pickled postings (see the module's docstring)
        if protocol != 2:  # the stored fields' column, pickled with the same protocol
            columns = self.perdocwriter._colwriters
            columns["_stored"] = _StoredFields(columns["_stored"]._child, protocol)
        # Postings per block: Whoosh's 128 made a common word at 1,000,000 paragraphs thousands
        # of blocks, each unpickled and decompressed on its own (most of a search's time). With
        # 1024, finding the matches took 3.9 instead of 4.7-4.8 ms of CPU per query of the mix at
        # 100k paragraphs, and the index is 4% smaller (178 MB instead of 186).
        self.blocklimit = blocklimit
        # Blocks of at least this many postings hold arrays (indexer/store/blocks.py) rather than
        # Whoosh's tuples of Python objects (None: never). A pickled array costs about 30 bytes
        # more than a tuple, and a tuple of a few items unpickles fast enough.
        self.arrays_from = arrays_from
        # A scored field's terms of at least DENSE_FROM postings are also written as plain
        # arrays (indexer/store/dense.py), unless `plain_arrays` is off (as Whoosh's writer)
        self.dense_from = dense.DENSE_FROM if plain_arrays else None
        self.pending_bytes = 0
        # field name -> term bytes -> [(docnum, weight, value bytes), ...] in docnum order
        self._postings: dict[str, dict[bytes, list]] = defaultdict(lambda: defaultdict(list))
        # field name -> each paragraph's length byte, as in Whoosh's lengths column (0: none)
        self._lengths: dict[str, bytearray] = {}

    def add_reader(self, reader) -> None:
        raise NotImplementedError(_ONLY_NEW_SEGMENTS)

    def commit(self, *args, **kwargs) -> None:
        # Whoosh's commit may merge other segments through add_reader, and their postings would
        # go to Whoosh's pool, which this writer never writes: refuse rather than lose them.
        raise NotImplementedError(_ONLY_NEW_SEGMENTS)

    def add_document(self, **fields) -> None:
        """As Whoosh's SegmentWriter.add_document, with the postings grouped by term."""
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        # "_boost", "_<field>_boost", "_stored_<field>": Whoosh's special keys, looked up only
        # for a document that has one
        special = any(name[:1] == "_" for name in fields)
        docboost = self._doc_boost(fields) if special else 1.0
        names = sorted(name for name in fields if name[:1] != "_") if special else sorted(fields)
        self._check_fields(schema, names)
        added = 0
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost) if special else 1.0
                    terms = self._postings[name]
                    direct = getattr(field, "add_postings", None)
                    counted = direct(value, docnum, terms) if direct and boost == 1.0 else None
                    if counted is not None:
                        length, count = counted
                    else:
                        postings = field.index(value)
                        if not isinstance(postings, list):  # Whoosh's own fields give an iterator
                            postings = list(postings)
                        for btext, freq, weight, vbytes in postings:
                            length += freq
                            terms[btext].append((docnum, weight * boost, vbytes))
                        count = len(postings)
                    added += _POSTING_BYTES * count
                    if field.scorable and length:
                        self._record_length(name, docnum, length)
                    else:
                        length = 0
                vformat = field.vector
                if vformat:
                    vector = getattr(field, "vector_items", None)
                    items = vector(value) if vector else None
                    if items is None:
                        items = sorted((text, weight, vbytes) for text, _, weight, vbytes
                                       in vformat.word_values(value, field.analyzer, mode="index"))
                    perdoc.add_vector_items(name, field, items)
                stored = fields.get(f"_stored_{name}", value) if special else value
                if length or field.stored:  # else Whoosh's add_field does nothing
                    perdoc.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self.pending_bytes += added
        self._added = True
        self.docnum += 1

    def _record_length(self, name: str, docnum: int, length: int) -> None:
        """Keep the paragraph's length byte, as Whoosh's lengths column has it (0: no length).
        The bytes order as the lengths do, so block statistics are taken on them directly."""
        lengths = self._lengths.get(name)
        if lengths is None:
            lengths = self._lengths[name] = bytearray()
        if len(lengths) < docnum:
            lengths.extend(bytes(docnum - len(lengths)))
        lengths.append(length_to_byte(length))

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        fieldmap = fieldwriter._fieldmap
        postfile = fieldwriter._postfile
        out = _Postings(postfile.file, postfile.tell(), self)
        arrays = None
        if self.dense_from is not None:
            arrays = dense.DenseWriter(self.newsegment.create_file(self.storage, dense.EXTENSION))
        try:
            for name in sorted(self._postings):
                terms = self._postings[name]
                if not terms:
                    continue
                prefix = pack_ushort(fieldmap.setdefault(name, len(fieldmap)))
                fixed = self.schema[name].format.fixed_value_size()
                lengths = self._lengths.get(name, bytearray())
                lengths.extend(bytes(self.docnum - len(lengths)))
                write = out.write_term
                keep = arrays.add if arrays is not None and self.schema[name].scorable else None
                _add_terms(fieldwriter._tindex, [
                    (prefix + btext, write(terms[btext], fixed, lengths,
                                           keep and functools.partial(keep, name, btext)))
                    for btext in sorted(terms)])
        except BaseException:
            if arrays is not None:
                arrays.file.close()  # the build fails; its directory is discarded
            raise
        if arrays is not None:
            arrays.close()
        self._postings.clear()
        self._lengths.clear()
        fieldwriter.close()


class _StoredFields(PickleColumn.Writer):
    """Whoosh's writer of the stored fields' column (a pickle per paragraph, compressed), with a
    pickle protocol of our choice; Whoosh's reader unpickles any."""

    def __init__(self, child, protocol: int) -> None:
        super().__init__(child)
        self.protocol = protocol

    def add(self, docnum: int, v) -> None:
        self._child.add(docnum, b"" if v is None else dumps(v, self.protocol))


def _add_terms(tindex: OrderedHashWriter, items: list[tuple[bytes, bytes]]) -> None:
    """OrderedHashWriter.add for each (key, value) of `items`, in one write: the same bytes,
    hash buckets and key index, without three writes and a tell() per term."""
    if not items:
        return
    if items[0][0] <= tindex.lastkey or any(a[0] >= b[0] for a, b in zip(items, items[1:])):
        raise ValueError("terms must be added in increasing order")
    position = tindex.dbfile.tell()
    hashfn, buckets, index = tindex.hashfn, tindex.buckets, tindex.index
    pack = _KEY_VALUE_LENGTHS.pack
    parts = []
    for key, value in items:
        index.append(position)
        h = hashfn(key)
        buckets[h & 255].append((h, position))
        parts += (pack(len(key), len(value)), key, value)
        position += _KEY_VALUE_LENGTHS.size + len(key) + len(value)
    tindex.dbfile.write(b"".join(parts))
    tindex.lastkey = items[-1][0]


class _Postings:
    """Writes terms' postings to a segment's postings file in Whoosh's W3 format."""

    def __init__(self, file, offset: int, settings: BulkSegmentWriter) -> None:
        self.file = file
        self.offset = offset
        self.inline_limit = settings.inline_limit
        self.compress_from = settings.compress_from
        self.compression = settings.compression
        self.blocklimit = settings.blocklimit
        self.arrays_from = settings.arrays_from
        self.protocol = settings.protocol
        self.dense_from = settings.dense_from
        self.inline_protocol = min(settings.protocol, 3)  # no frame header (11 bytes) on a small pickle

    def write_term(self, postings: list, fixed: int | None, lengths: bytearray,
                   dense_arrays: Callable[[tuple, list], None] | None = None) -> bytes:
        """Write a term's postings (or keep them in its term info); return the term info. The
        statistics are gathered block by block, as Whoosh's W3TermInfo.add_block does. A term
        of at least `dense_from` postings is also given to `dense_arrays(ids, weights)`."""
        count = len(postings)
        if count == 1 and self.inline_limit > 1:  # half of all terms: the same, in fewer steps
            [(docnum, weight, value)] = postings
            float_weight = array("f", (weight,))[0]
            length = lengths[docnum] if lengths else 0
            return _TERM_INFO.pack(1, float_weight, 1, length, length, weight, docnum, docnum) + dumps(
                ((docnum,), (float_weight,), (None,) if fixed == 0 else (value or b"",)), self.inline_protocol)
        ids, weights, values = zip(*postings)
        float_weights = array("f", weights).tolist()  # Whoosh keeps weights as 32-bit floats
        if dense_arrays is not None and count >= self.dense_from:
            dense_arrays(ids, float_weights)
        term_lengths = bytes(map(lengths.__getitem__, ids)) if lengths else b""
        if count < self.inline_limit:
            # Whoosh reads these through a ListMatcher, whose value() must give what its own
            # blocks give: None for a format without values (merging expects None or bytes)
            inlined = (None,) * count if fixed == 0 else tuple(v or b"" for v in values)
            return _TERM_INFO.pack(1, sum(float_weights), count, _min_length(term_lengths),
                                   max(term_lengths, default=0), max(weights), ids[0], ids[-1]) \
                + dumps((ids, tuple(float_weights), inlined), self.inline_protocol)
        parts = [WHOOSH3_HEADER_MAGIC]
        total = 0.0
        limit = self.blocklimit
        for begin in range(0, count, limit):
            end = begin + limit
            block_ids = ids[begin:end]
            block_weights = float_weights[begin:end]
            block_lengths = term_lengths[begin:end]
            total += sum(block_weights)
            n = len(block_ids)
            if block_weights.count(1.0) == n:
                mini_weights = None
            elif block_weights.count(block_weights[0]) == n:
                mini_weights = block_weights[0]
            else:
                mini_weights = tuple(block_weights)
            if fixed is None or fixed < 0:
                mini_values = tuple(filter(None, values[begin:end]))  # Whoosh drops empty values
            elif fixed == 0:
                mini_values = None
            else:
                mini_values = b"".join(v for v in values[begin:end] if v)
            deltas = tuple(map(sub, block_ids, (0,) + block_ids[:-1]))  # from 0 in each block
            if self.arrays_from is not None and n >= self.arrays_from:
                data = block_data(deltas, mini_weights, mini_values)  # its parts compressed
                comp = 0
            else:
                data = dumps((deltas, mini_weights, mini_values), self.protocol)
                comp = self.compression if len(data) >= self.compress_from else 0
            if comp:
                data = zlib.compress(data, comp)
            info = dumps((n, block_ids[-1], max(weights[begin:end]), comp,
                          _min_length(block_lengths), max(block_lengths, default=0)), 2)
            size = len(info) + len(data)
            parts += (_LENGTH.pack(size if end < count else -size), info, data)
        block = b"".join(parts)
        self.file.write(block)
        start = self.offset
        self.offset += len(block)
        return _TERM_INFO.pack(0, total, count, _min_length(term_lengths), max(term_lengths, default=0),
                               max(weights), ids[0], ids[-1]) + pack_long(start) + pack_int(len(block))


def _min_length(length_bytes: bytes) -> int:
    """The smallest length byte that stands for a length (0 when none does)."""
    return min(length_bytes.replace(b"\0", b""), default=0)
