"""The page layout of a letter's extracted text: pages, footnotes, paragraphs and headings.

PDF text extraction keeps the lines but loses the layout a reader sees. We recover it from cues:
a line that starts with a space (or a form feed) opens a new page; numbered lines at the bottom of
a page are footnotes when the page carries their marker; blank lines separate paragraphs, and so
does a line that ends a sentence well before the right margin (the next word would have fitted,
so the writer broke the line); short lines without final punctuation are headings.
"""
from __future__ import annotations

import functools
import operator
import re
import unicodedata
from dataclasses import dataclass, field

# A footnote marker, once found, is swapped for this sentinel so that the paragraph that holds it
# can be found later (it gives the footnote its section); the sentinel is removed from all text.
MARK = re.compile("\ue000(\\d+)\ue001")

# Helvetica advance widths (1/1000 em): a stand-in for the letters' sans-serif font, so that
# "NAVO" counts wider than "lijn". Unlisted characters count as 556, the width of most letters.
_GLYPH_WIDTHS = {
    191: "'", 222: "ijl‘’", 278: " !,./:;I[]ft", 333: "()-r“”", 355: '"', 389: "*",
    500: "Jcksvxyz", 556: "0123456789?Labdeghnopqu«»–", 584: "+", 611: "FTZ",
    667: "&ABEKPSVXY", 722: "CDHNRUw", 778: "GOQ", 833: "Mm", 889: "%", 944: "W",
    1000: "—…", 1015: "@",
}
GLYPH_WIDTH = {c: w / 1000 for w, chars in _GLYPH_WIDTHS.items() for c in chars}

# Final punctuation of a sentence (or a list item), maybe followed by closing quotes/brackets.
SENTENCE_END = re.compile(r"[.:;?!…][\"'”’»)\]]*$")
SENTENCE_FINAL, SENTENCE_CLOSERS = ".:;?!…", "\"'”’»)]"  # the two classes of SENTENCE_END
# The start of a new block: a capital, a digit, an opening quote or bracket, a bullet.
BLOCK_START = re.compile(r"^(?:[\"'“‘«(\[]?[^\W\d_]*[A-Z\u00c0-\u00de]|\d|[•▪·*–-]\s)")
# A list item: "1. ", "2) ", "a. ", "- ", "• ".
LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)]|[•▪·*–-])\s")
# A footnote line at the bottom of a page: "1 Ter vertrouwelijke inzage gelegd, ...".
FOOTNOTE_LINE = re.compile(r"^(\d{1,2})\s+(\S.*)$")

# How much of the page width the words before a break must leave free for us to believe the
# break was the writer's (end of paragraph) rather than the margin's: a little slack because we
# only estimate the widths of a proportional font.
FIT_SLACK = 0.97
# A heading line is clearly shorter than a full line.
HEADING_MAX_WIDTH = 0.8
HEADING_MAX_WORDS = 14


def visible(text: str) -> str:
    """The text without footnote-marker sentinels."""
    return MARK.sub("", text) if "\ue000" in text else text


def _glyph_width(c: str) -> float:
    return GLYPH_WIDTH.get(c) or GLYPH_WIDTH.get(unicodedata.normalize("NFD", c)[0], 0.556)


_char_widths: dict[str, float] = {}  # every character's width, worked out once


def text_width(text: str) -> float:
    """Estimated printed width of a line, in em."""
    text = visible(text)
    try:  # summed in order, as a loop would
        return functools.reduce(operator.add, map(_char_widths.__getitem__, text), 0.0)
    except KeyError:
        for c in text:
            if c not in _char_widths:
                _char_widths[c] = _glyph_width(c)
        return functools.reduce(operator.add, map(_char_widths.__getitem__, text), 0.0)


def page_width(lines: list[str]) -> float:
    """The width of a full line: a high percentile of the letter's line widths."""
    widths = sorted(text_width(line) for line in lines if line.strip())
    return widths[int(len(widths) * 0.95)] if widths else 1.0


def split_pages(text: str) -> list[list[str]]:
    """Lines per page. A form feed, or a non-blank line starting with a space, opens a page."""
    pages: list[list[str]] = [[]]
    for chunk_number, chunk in enumerate(text.split("\f")):
        if chunk_number and any(line.strip() for line in pages[-1]):
            pages.append([])
        for raw in chunk.split("\n"):
            if raw[:1] == " " and raw.strip() and any(line.strip() for line in pages[-1]):
                pages.append([])
            pages[-1].append(" ".join(raw.split()))  # also collapses runs of spaces
    return [page for page in pages if any(page)]


FLATTENED_LINE = 160  # characters: longer than any printed line; a scan's paragraph on one line


def flattened(lines: list[str]) -> bool:
    """Were the printed lines flattened into paragraphs (OCR text with one line per paragraph)?
    Then a line-end hyphen survives only inside a line, and no line of print length ends in one."""
    long = sum(len(line) > FLATTENED_LINE for line in lines)
    return long > 0 and not any(len(line) <= FLATTENED_LINE and ends_with_break_hyphen(line.rstrip())
                                for line in lines)  # (a long line may end where a page ended)


@dataclass
class Footnote:
    number: int
    page: int
    lines: list[str]


def _marker_patterns(n: int) -> list[re.Pattern[str]]:
    """Where footnote marker n hides in extracted text, most telling first."""
    return [
        # glued to a word: "toe1.", "april1 stelde"
        re.compile(rf"(?<=[^\W\d_]){n}(?=[\s.,;:)\]»”’]|$)"),
        # after a year: "14 maart 20182)" (year 2018, marker 2)
        re.compile(rf"(?<=\b(?:19|20)\d\d){n}(?=[\s.,;:)\]»”’]|$)"),
        # after punctuation that ends a word: "bondgenoten.1 In", "toe.1"
        re.compile(rf"(?<=[^\d\s][.,;:!?”’»)]){n}(?=\s|$)"),
        # spaced after a bracket, before a lowercase word: "(ERI) 1 en"
        re.compile(rf"(?<=\) ){n}(?= [a-z])"),
    ]


def _mark_footnote(lines: list[str], n: int) -> bool:
    """Swap footnote marker n in the page's lines for the sentinel; False if there is none."""
    for pattern in _marker_patterns(n):
        for i, line in enumerate(lines):
            if m := pattern.search(line):
                lines[i] = f"{line[:m.start()]}\ue000{n}\ue001{line[m.end():]}"
                return True
    return False


def take_footnotes(pages: list[list[str]]) -> tuple[list[list[str]], list[Footnote]]:
    """Split the footnotes off the bottom of each page.

    A footnote starts on a line "<n> text" after a blank line, where n is the next footnote
    number expected in the letter and the page above holds marker n; it runs to the end of the
    page or to footnote n+1. This keeps "17 februari 2022 in Brussel." in the body.
    """
    expected, notes, bodies = 1, [], []
    for page_number, lines in enumerate(pages, start=1):
        lines = list(lines)
        start = None
        for i, line in enumerate(lines):
            m = FOOTNOTE_LINE.match(line)
            if m and int(m[1]) == expected and i > 0 and not lines[i - 1] \
                    and len(lines) - i <= 8 and _mark_footnote(lines, expected):
                start = i
                break
        if start is None:
            bodies.append(lines)
            continue
        page_notes: list[Footnote] = []
        for line in lines[start:]:
            m = FOOTNOTE_LINE.match(line)
            if m and int(m[1]) == expected + len(page_notes) and (
                not page_notes or _mark_footnote(lines, int(m[1]))
            ):
                page_notes.append(Footnote(int(m[1]), page_number, [m[2]]))
            elif line and line not in " ".join(page_notes[-1].lines):  # skip a repeated link
                page_notes[-1].lines.append(line)
        notes.extend(page_notes)
        expected += len(page_notes)
        bodies.append(lines[:start])
    return bodies, notes


@dataclass
class Line:
    text: str
    page: int
    gap: bool = False  # a blank line, or removed front matter, comes before it
    page_start: bool = False  # the first line of a page (after the first page)


@dataclass
class Block:
    """Lines that make one paragraph or one heading."""

    lines: list[Line] = field(default_factory=list)
    heading: bool = False

    @property
    def first(self) -> str:
        return visible(self.lines[0].text)

    @property
    def last(self) -> str:
        return visible(self.lines[-1].text)


def page_lines(pages: list[list[str]]) -> list[Line]:
    """The body lines of all pages, with the blank lines turned into gap flags."""
    out: list[Line] = []
    for page_number, lines in enumerate(pages, start=1):
        gap, first = False, True
        for text in lines:
            if not text:
                gap = not first  # blank lines at the top of a page separate nothing
                continue
            out.append(Line(text, page_number, gap, first and page_number > 1))
            gap, first = False, False
    return out


def ends_sentence(text: str) -> bool:
    text = visible(text)
    if text.endswith("\n"):
        return bool(SENTENCE_END.search(text))
    # SENTENCE_END without a search from every position of the line: the last character
    # before any closing quotes and brackets ends a sentence
    stripped = text.rstrip(SENTENCE_CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_FINAL


def starts_block(text: str) -> bool:
    return bool(BLOCK_START.match(visible(text)))


BREAK_HYPHEN = re.compile(r"(?:[^\W_]|%)-$")


def ends_with_break_hyphen(text: str) -> bool:
    """A line-end hyphen that may split a word ("omstandig-"), not a dash ("voorsprong -")."""
    text = visible(text)
    # the pattern ends in "-$": most lines end otherwise, and are spared a search of the line
    return (text.endswith("-") or text.endswith("-\n")) and bool(BREAK_HYPHEN.search(text))


@functools.lru_cache(maxsize=4096)  # asked again for every line of a block of capitals
def is_caps(text: str) -> bool:
    """An all-capitals line ("GEANNOTEERDE AGENDA ... VAN DE NAVO-"), or digits after one."""
    letters = list(filter(str.isalpha, visible(text)))
    return len(letters) >= 2 and all(map(str.isupper, letters))


TITLE_START = re.compile(r"[A-Z\u00c0-\u00de0-9]")
HEADING_END = re.compile(r"[.,;:!?\-–]$")
TITLE_END = re.compile(r"[.,;:!?]$")
LOWER_START = re.compile(r"[a-z\u00df-\u00ff]")
HAS_WORD = re.compile(r"[^\W\d_]{2}")


def heading_like(text: str, width: float) -> bool:
    """A short line that starts like a title and ends without punctuation."""
    text = visible(text)
    return (
        bool(TITLE_START.match(text))
        and bool(HAS_WORD.search(text))  # "1 820 000 815 000" is a table's row, not a heading
        and not LIST_ITEM.match(text)
        and not HEADING_END.search(text)
        and len(text.split()) <= HEADING_MAX_WORDS
        and text_width(text) <= HEADING_MAX_WIDTH * width
    )


def word_would_fit(prev: str, nxt: str, width: float) -> bool:
    """Would the first word of the next line have fitted at the end of this one?"""
    first_word = visible(nxt).split()[0]
    return text_width(prev) + text_width(" " + first_word) <= FIT_SLACK * width


def _continues(prev: str, cur: str) -> bool:
    """Across a blank line: a sentence that has not ended and goes on in lowercase."""
    return ends_with_break_hyphen(prev) or (
        not ends_sentence(prev) and bool(LOWER_START.match(visible(cur)))
    )


def _soft_break(block: list[Line], cur: Line, width: float) -> bool:
    """Does a new block start at `cur`, which follows the block's last line without a gap?"""
    prev = block[-1].text
    if ends_with_break_hyphen(prev):
        return False
    if all(is_caps(line.text) or line.text.isdigit() for line in block):
        return not (is_caps(cur.text) or visible(cur.text).isdigit())
    before_prev_ended = len(block) == 1
    if before_prev_ended and heading_like(prev, width) and starts_block(cur.text):
        return True
    if not ends_sentence(prev):
        return False
    if LIST_ITEM.match(visible(cur.text)) or heading_like(cur.text, width) or is_caps(cur.text):
        return True
    return starts_block(cur.text) and word_would_fit(prev, cur.text, width)


def blocks(lines: list[Line], width: float) -> list[Block]:
    """Group lines into paragraphs and headings."""
    out: list[Block] = []
    for line in lines:
        if not out:
            out.append(Block([line]))
        elif line.gap and not _continues(out[-1].last, line.text):
            out.append(Block([line]))
        elif not line.gap and _soft_break(out[-1].lines, line, width):
            out.append(Block([line]))
        else:
            out[-1].lines.append(line)
    for i, block in enumerate(out):
        nxt = out[i + 1].lines[0] if i + 1 < len(out) else None
        block.heading = nxt is not None and starts_block(nxt.text) \
            and _is_heading(block, width, nxt.gap or nxt.page_start)
    return out


def _is_heading(block: Block, width: float, followed_by_gap: bool) -> bool:
    """One short line, an all-capitals block, or a two-line title between blank lines."""
    texts = [line.text for line in block.lines]
    if all(is_caps(t) or visible(t).isdigit() for t in texts) and is_caps(texts[0]):
        return len(texts) <= 4 and not ends_sentence(texts[-1])
    if len(texts) == 1:
        return heading_like(texts[0], width)
    # a title broken over two lines, standing between blank lines (or a page top)
    return (
        len(texts) == 2
        and (block.lines[0].gap or block.lines[0].page_start)
        and followed_by_gap
        and bool(TITLE_START.match(visible(texts[0])))
        and not TITLE_END.search(visible(texts[1]))
        and text_width(texts[1]) <= HEADING_MAX_WIDTH * width
        and len(" ".join(texts).split()) <= HEADING_MAX_WORDS
    )
