"""Template filters: snippets with <mark> only, Dutch dates and counts; the slug of a ministry.

The service returns snippets and letter paragraphs as HTML in which the letter's text is
escaped and only `<mark>` is markup. `only_marks` checks that invariant instead of trusting
it: everything that is not a balanced `<mark>`/`</mark>` is escaped again (entities the service
wrote are kept, so nothing is escaped twice), and only then is the result marked safe.
"""
from __future__ import annotations

import re
from datetime import date

from flask import Flask
from markupsafe import Markup

from indexer.reading import ministry_slug

_MARK_TAG = re.compile(r"(</?mark>)")
_BARE_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});)")

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]


def only_marks(html: str | None) -> Markup:
    """Service HTML as safe markup in which <mark> is the only tag, whatever the input held."""
    out: list[str] = []
    open_mark = False
    for part in _MARK_TAG.split(html or ""):
        if part == "<mark>" and not open_mark:
            open_mark = True
            out.append(part)
        elif part == "</mark>" and open_mark:
            open_mark = False
            out.append(part)
        elif part in ("<mark>", "</mark>"):
            continue  # unbalanced: drop the tag, keep the text
        else:
            out.append(_escape_text(part))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))


def _escape_text(text: str) -> str:
    """Escape what could be markup; keep entities that are already escapes."""
    text = _BARE_AMP.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def dutch_date(value: date | None) -> str:
    """date(2022, 6, 8) -> '8 juni 2022'; None -> 'zonder datum'."""
    if value is None:
        return "zonder datum"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def count(number: int, one: str, many: str) -> str:
    """count(1, 'alinea', "alinea's") -> '1 alinea'; thousands with a dot, as Dutch writes them."""
    return f"{number:,}".replace(",", ".") + " " + (one if number == 1 else many)


def register_filters(app: Flask) -> None:
    app.add_template_filter(only_marks, "only_marks")
    app.add_template_filter(dutch_date, "dutch_date")
    app.add_template_global(count, "count")
    app.add_template_global(ministry_slug, "ministry_slug")
