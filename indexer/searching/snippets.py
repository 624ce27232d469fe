"""Highlighting: the words of a paragraph that matched, marked in escaped HTML.

The paragraph is analysed again with the same Dutch analyzer, so a match on a stem or on a
compound part marks the whole word as the letter wrote it ("defensie-uitgaven" for "uitgaven").
A phrase (one the user typed, or a multi-word synonym such as "Atlantisch Bondgenootschap") is
marked only where its words stand together, as the search matched it, never word by word.
Everything except `<mark>` is escaped: a letter containing markup shows it as text.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from indexer.analysis import analyze_positions, marked_words

SNIPPET_CHARS = 320


@dataclass(frozen=True)
class Marks:
    """What to mark: single terms anywhere, phrases (analysed terms) only side by side."""

    terms: frozenset[str] = frozenset()
    phrases: frozenset[tuple[str, ...]] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)


def match_spans(text: str, marks: Marks) -> list[tuple[int, int, str]]:
    """(start, end, term) of every word of `text` indexed under one of the terms, and of the
    words of every place where a phrase's terms follow each other."""
    if not marks.phrases:
        return marked_words(text, marks.terms)
    tokens = analyze_positions(text)
    spans: dict[tuple[int, int], str] = {}
    for term, _, start, end in tokens:
        if term in marks.terms:
            spans.setdefault((start, end), term)
    if marks.phrases:
        at: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)  # position -> term -> span
        for term, position, start, end in tokens:
            at[position][term] = (start, end)
        # where each term stands (positions in the order of `at`): a phrase is looked for only
        # where its first word is (some 40 phrases of a compound's expansions, each tried at
        # every position of 11 paragraphs, took 30 ms)
        where: dict[str, list[int]] = defaultdict(list)
        for position, terms in at.items():
            for term in terms:
                where[term].append(position)
        for phrase in marks.phrases:
            for position in where.get(phrase[0], ()):
                if all(t in at.get(position + i, ()) for i, t in enumerate(phrase[1:], 1)):
                    for i, t in enumerate(phrase):
                        spans.setdefault(at[position + i][t], t)
    return [(s, e, t) for (s, e), t in sorted(spans.items())]


def highlight(text: str, terms: Marks) -> str:
    """The whole text as HTML with every match marked."""
    return _render(text, match_spans(text, terms), 0, len(text))


def snippet(text: str, terms: Marks, size: int = SNIPPET_CHARS) -> str:
    """A passage of about `size` characters around the densest group of matches, as HTML."""
    spans = match_spans(text, terms)
    if len(text) <= size:
        return _render(text, spans, 0, len(text))
    start = _best_window(spans, size) if spans else 0
    start = _word_start(text, max(0, min(start, len(text) - size)))
    end = _word_end(text, min(len(text), start + size))
    html = _render(text, [s for s in spans if s[0] >= start and s[1] <= end], start, end)
    return ("… " if start > 0 else "") + html + (" …" if end < len(text) else "")


def _best_window(spans: list[tuple[int, int, str]], size: int) -> int:
    """Start of the window with the most distinct matched terms, then the most matches."""
    best, best_key = 0, (-1, -1)
    for i, (first, _, _) in enumerate(spans):
        inside = [t for s, e, t in spans[i:] if e <= first + size]
        key = (len(set(inside)), len(inside))
        if key > best_key:
            best, best_key = first, key
    return max(0, best - size // 5)  # a little context before the first match


def _word_start(text: str, i: int) -> int:
    if i == 0:
        return 0
    space = text.find(" ", i)
    return space + 1 if 0 <= space < i + 30 else i


def _word_end(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    space = text.rfind(" ", 0, i)
    return space if space > i - 30 else i


def _render(text: str, spans: list[tuple[int, int, str]], start: int, end: int) -> str:
    out, pos = [], start
    for s, e, _ in spans:
        if s < pos:
            continue
        out.append(escape(text[pos:s], quote=False))
        out.append(f"<mark>{escape(text[s:e], quote=False)}</mark>")
        pos = e
    out.append(escape(text[pos:end], quote=False))
    return "".join(out)
