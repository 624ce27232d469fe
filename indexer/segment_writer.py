"""A Whoosh segment writer for bulk builds: the same segment files, written without Whoosh's
posting pool.

Whoosh's SegmentWriter puts every posting in a pool as a 5-tuple, sorts the pool (hundreds of
thousands of tuples per segment), then hands the postings one at a time to its postings writer,
which reads each paragraph's field length back from disk for every posting. At 10k paragraphs
(~700,000 postings) that was 7 of the build's 14 s of CPU. Here the postings are grouped by
term as they arrive, the field lengths are kept in memory, and each term's posting blocks are
written at once in Whoosh's W3 format, so Whoosh (and indexer/engine.py) read the segment as
any other.

Two choices differ from Whoosh's writer, both within the format its readers accept (the term
info and each block say which was taken):
- a term with a single posting (about half of all terms) keeps it in its term info ("inlined"),
  rather than in a block of its own in the postings file;
- a block is compressed only when its pickle is long enough for zlib to gain anything.
With `inline_limit=1, compress_from=0` the files are byte for byte those of Whoosh's writer:
tests/test_segment_writer.py checks both settings.

Per-document data (stored fields, columns, lengths, term vectors) still goes through Whoosh's
per-document writer.
"""
from __future__ import annotations

import zlib
from array import array
from pickle import dumps
from struct import Struct

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

_TERM_INFO = W3TermInfo._struct  # flags, weight, doc freq, min/max length byte, max weight, first/last id
_LENGTH = Struct("!i")
# Whoosh's own estimate of what a pooled posting costs in memory, in bytes (writing.PostingPool).
_POSTING_BYTES = 129
_TERM_BYTES = 120


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter (without the index lock: the caller holds brieven's own) that groups
    postings by term in memory. `pending_bytes` estimates what they hold, so that a caller can
    start a new segment when it is large (see indexer/parallel.py)."""

    def __init__(self, ix, inline_limit: int = 2, compress_from: int = 256, compression: int = 3,
                 blocklimit: int = 128) -> None:
        for name, field in ix.schema.items():
            if field.separate_spelling():
                raise ValueError(f"field {name!r} keeps separate spelling words, "
                                 "which BulkSegmentWriter does not write")
        super().__init__(ix, _lk=False, compound=False)
        self.inline_limit = inline_limit
        self.compress_from = compress_from
        self.compression = compression
        self.blocklimit = blocklimit
        self.pending_bytes = 0
        # field name -> term bytes -> [(docnum, weight, value bytes), ...] in docnum order
        self._postings: dict[str, dict[bytes, list]] = {}
        # field name -> the length Whoosh's lengths column gives back for each paragraph (0: none)
        self._lengths: dict[str, list[int]] = {}

    def add_document(self, **fields) -> None:
        """As Whoosh's SegmentWriter.add_document, with the postings grouped by term."""
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
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
                    boost = self._field_boost(fields, name, docboost)
                    terms = self._postings.get(name)
                    if terms is None:
                        terms = self._postings[name] = {}
                    for btext, freq, weight, vbytes in field.index(value):
                        if boost != 1.0:
                            weight *= boost
                        length += freq
                        posting = (docnum, weight, vbytes)
                        postings = terms.get(btext)
                        if postings is None:
                            terms[btext] = [posting]
                            added += _TERM_BYTES + len(btext)
                        else:
                            postings.append(posting)
                        added += _POSTING_BYTES + len(vbytes or b"")
                    if field.scorable and length:
                        self._record_length(name, docnum, length)
                    else:
                        length = 0
                vformat = field.vector
                if vformat:
                    items = sorted((text, weight, vbytes) for text, _, weight, vbytes
                                   in vformat.word_values(value, field.analyzer, mode="index"))
                    perdoc.add_vector_items(name, field, items)
                stored = fields.get(f"_stored_{name}", value)
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
        lengths = self._lengths.get(name)
        if lengths is None:
            lengths = self._lengths[name] = []
        if len(lengths) < docnum:
            lengths.extend([0] * (docnum - len(lengths)))
        byte = length_to_byte(length)
        lengths.append(byte_to_length(byte) if byte else 0)  # what Whoosh's lengths column returns

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        fieldmap = fieldwriter._fieldmap
        for name in sorted(self._postings):
            terms = self._postings[name]
            if not terms:
                continue
            field_id = fieldmap[name] = len(fieldmap)
            prefix = pack_ushort(field_id)
            fmt = self.schema[name].format
            fixed = fmt.fixed_value_size()
            lengths = self._lengths.get(name, [])
            for btext in sorted(terms):
                info = self._write_term(terms[btext], fixed, lengths)
                fieldwriter._tindex.add(prefix + btext, info)
        self._postings.clear()
        self._lengths.clear()
        fieldwriter.close()

    def _write_term(self, postings: list, fixed: int | None, lengths: list[int]) -> bytes:
        """Write a term's postings (or keep them in its term info); return the term info bytes.
        The statistics are gathered block by block, as Whoosh's W3TermInfo.add_block does."""
        ids, weights, values = zip(*postings)
        count = len(ids)
        step = count if count < self.inline_limit else self.blocklimit
        blocks = [_Block(ids[b:b + step], weights[b:b + step], values[b:b + step], lengths)
                  for b in range(0, count, step)]
        total = 0.0
        minlength = None
        for block in blocks:
            total += sum(block.weights)
            if minlength is None or (block.minlength is not None and block.minlength < minlength):
                minlength = block.minlength
        head = _TERM_INFO.pack(count < self.inline_limit, total, count, length_to_byte(minlength),
                               length_to_byte(max(b.maxlength for b in blocks)),
                               max(b.maxweight for b in blocks), ids[0], ids[-1])
        if count < self.inline_limit:
            # Whoosh reads these through a ListMatcher, whose value() must give what its own
            # blocks give: None for a format without values (merging expects None or bytes)
            inlined = (None,) * count if fixed == 0 else tuple(v or b"" for v in values)
            return head + dumps((ids, tuple(blocks[0].weights), inlined), 2)
        postfile = self.fieldwriter._postfile
        start = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        for n, block in enumerate(blocks, 1):
            self._write_block(postfile, block, fixed, last=n == len(blocks))
        return head + pack_long(start) + pack_int(postfile.tell() - start)

    def _write_block(self, postfile, block: "_Block", fixed: int | None, last: bool) -> None:
        weights = block.weights
        if all(w == 1.0 for w in weights):
            mini_weights = None
        elif all(w == weights[0] for w in weights):
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        if fixed is None or fixed < 0:
            mini_values = block.values
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = b"".join(block.values)
        deltas = []
        previous = 0
        for d in block.ids:
            deltas.append(d - previous)
            previous = d
        data = dumps((tuple(deltas), mini_weights, mini_values), 2)
        comp = self.compression if len(data) >= self.compress_from else 0
        if comp:
            data = zlib.compress(data, comp)
        info = dumps((len(block.ids), block.ids[-1], block.maxweight, comp,
                      length_to_byte(block.minlength), length_to_byte(block.maxlength)), 2)
        size = len(info) + len(data)
        postfile.write(_LENGTH.pack(-size if last else size))
        postfile.write(info)
        postfile.write(data)


class _Block:
    """Up to `blocklimit` postings of a term, with the statistics Whoosh keeps per block."""

    __slots__ = ("ids", "weights", "values", "maxweight", "minlength", "maxlength")

    def __init__(self, ids: tuple, weights: tuple, values: tuple, lengths: list[int]) -> None:
        self.ids = ids
        self.weights = array("f", weights).tolist()  # as Whoosh keeps them
        self.values = tuple(v for v in values if v)  # Whoosh drops empty values
        self.maxweight = max(weights)
        nlen = len(lengths)
        known = [lengths[d] for d in ids if d < nlen and lengths[d]] if nlen else ()
        self.minlength = min(known) if known else None
        self.maxlength = max(known) if known else 0
