"""Exported paragraphs as CSV: one writer for `brieven export --format csv` and /export.csv."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from indexer.searching.results import EXPORT_FIELDS, Paragraph


def csv_lines(paragraphs: Iterable[Paragraph]) -> Iterator[str]:
    """The header, then one CSV line per paragraph, produced as they are read (an export of
    every paragraph never sits in memory). Topics and ministries are joined with "; "."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    yield _drain(buffer)
    for p in paragraphs:
        row = p.row()
        writer.writerow({**row, "topics": "; ".join(row["topics"]), "section": row["section"] or "",
                         "ministries": "; ".join(row["ministries"])})
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
