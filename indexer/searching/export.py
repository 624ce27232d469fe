"""Exported paragraphs for a spreadsheet: one CSV writer for `brieven export --format csv` and
/export.csv, and an .xlsx writer for /export.xlsx.

The CSV is written for Dutch Excel, which opens a .csv by double-click: UTF-8 with a byte-order
mark (without it Excel reads ë and ï as Windows-1252), cells separated by semicolons (the list
separator of a Dutch Windows; with commas every row lands in one column), yes/no as "ja"/"nee"
and dates as ISO (2022-06-08), which Excel reads as dates. A cell that begins with =, +, -, @ (or
a tab or carriage return) would be read as a formula: "=HYPERLINK(...)" in a letter could then
run in the reader's spreadsheet. Such a cell is written with an apostrophe before it, which
spreadsheets show as plain text (OWASP's advice on CSV injection). The .xlsx has typed cells
(numbers, dates, text written as text, never as a formula) and needs none of this.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date

from indexer.analysis import fold
from indexer.searching.results import EXPORT_FIELDS, Paragraph

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
DELIMITER = ";"
YES_NO = {True: "ja", False: "nee"}
TOPIC_SEPARATOR = ", "
FILE_STEM_CHARS = 40  # of the query, in an export's file name


def spreadsheet_row(p: Paragraph) -> dict:
    """The export row (EXPORT_FIELDS) with values a spreadsheet reads: ja/nee, an ISO date,
    the topics and the ministries each in one cell, an empty cell for no section."""
    row = p.row()
    return {**row, "date_inferred": YES_NO[bool(row["date_inferred"])], "date": row["date"] or "",
            "topics": TOPIC_SEPARATOR.join(row["topics"]), "section": row["section"] or "",
            "ministries": TOPIC_SEPARATOR.join(row["ministries"]),
            "letter_topics": TOPIC_SEPARATOR.join(row["letter_topics"])}


def csv_lines(paragraphs: Iterable[Paragraph]) -> Iterator[str]:
    """The byte-order mark and the header, then one CSV line per paragraph, produced as they
    are read (an export of every paragraph never sits in memory)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, delimiter=DELIMITER)
    writer.writeheader()
    yield BOM + _drain(buffer)
    for p in paragraphs:
        writer.writerow({name: _cell(value) for name, value in spreadsheet_row(p).items()})
        yield _drain(buffer)


def xlsx_bytes(paragraphs: Iterable[Paragraph]) -> bytes:
    """The paragraphs as an Excel workbook: a header row (frozen), one row per paragraph."""
    import xlsxwriter  # only an .xlsx export needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    sheet = book.add_worksheet("alinea's")
    bold, day = book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for column, name in enumerate(EXPORT_FIELDS):
        sheet.write_string(0, column, name, bold)
    for n, p in enumerate(paragraphs, 1):
        for column, (name, value) in enumerate(spreadsheet_row(p).items()):
            if name == "paragraph":
                sheet.write_number(n, column, value)
            elif name == "date" and p.date:
                sheet.write_datetime(n, column, p.date, day)
            else:
                sheet.write_string(n, column, str(value), wrap if name == "text" else None)
    sheet.freeze_panes(1, 0)
    for column, width in enumerate([24, 8, 40, 11, 8, 24, 30, 9, 100]):
        sheet.set_column(column, column, width)
    book.close()
    return out.getvalue()


def export_file_name(query: str, today: date, extension: str) -> str:
    """brieven-rusland-2026-12-02.csv: the query (plain letters and digits, at most 40) and the day."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(query)).strip("-")[:FILE_STEM_CHARS].strip("-")
    return "-".join(filter(None, ["brieven", stem or "export", today.isoformat()])) + f".{extension}"


def _cell(value):
    """A value as a spreadsheet will read it: text that looks like a formula gets an apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
