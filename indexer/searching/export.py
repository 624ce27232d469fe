"""Exported paragraphs as CSV: one writer for `brieven export --format csv` and /export.csv.

A cell that begins with =, +, -, @ (or a tab or carriage return) would be read as a formula by
a spreadsheet: "=HYPERLINK(...)" in a letter could then run in the reader's spreadsheet. Such a
cell is written with an apostrophe before it, which spreadsheets show as plain text (OWASP's
advice on CSV injection).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from indexer.searching.results import EXPORT_FIELDS, Paragraph

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_lines(paragraphs: Iterable[Paragraph]) -> Iterator[str]:
    """The header, then one CSV line per paragraph, produced as they are read (an export of
    every paragraph never sits in memory). Topics and ministries are joined with "; "."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    yield _drain(buffer)
    for p in paragraphs:
        row = p.row()
        row = {**row, "topics": "; ".join(row["topics"]), "section": row["section"] or "",
               "ministries": "; ".join(row["ministries"])}
        writer.writerow({name: _cell(value) for name, value in row.items()})
        yield _drain(buffer)


def _cell(value):
    """A value as a spreadsheet will read it: text that looks like a formula gets an apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
