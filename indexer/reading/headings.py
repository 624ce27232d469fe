"""Headings that OCR ran into the paragraph under them: "Inleiding Het overleg met uw Kamer ...".

A scan that lost its line breaks prints a heading and the first sentence of its section as one
line. The evidence that a heading ends is clear only where a short run of words without any
punctuation is followed by a capitalised word that Dutch starts sentences with and never writes
capitalised inside one ("Het", "Een", "Deze", "Ik", "Zoals"), and a sentence follows. Names are
the trap: "De", "Van", "In" and "Ten" begin surnames ("staatssecretaris De Graaff"), so after
them the next word must be lowercase ("De Raad" stays in its sentence).
"""
from __future__ import annotations

import re

MAX_HEADING_WORDS = 8
MIN_SENTENCE_WORDS = 6  # what follows is a sentence, not a list of names or a table row
LONG_PARAGRAPH = 40  # words
# Words that open a Dutch sentence; capitalised inside one only as a name (those in NAME_STARTS).
SENTENCE_STARTERS = {
    "Het", "Een", "Deze", "Dit", "Dat", "Die", "Er", "Ik", "Wij", "We", "Zij", "Hij",
    "Zoals", "Hierbij", "Bij", "Op", "Voor", "Met", "Naar", "Na", "Tijdens", "Daarbij", "Daarnaast",
    "Inmiddels", "Nu", "Ook", "Om", "Omdat", "Als", "Indien", "Hoewel", "Wat", "Welke", "Is", "Zijn",
    "Wordt", "Worden", "Kan", "Mede", "Overeenkomstig", "Onder", "Over", "Uit", "Aan", "Door",
    "Gelet", "Sinds", "Vanaf", "Tot", "Teneinde", "Ter", "De", "In", "Van", "Ten",
}
NAME_STARTS = {"De", "In", "Van", "Ten", "Ter"}  # also the start of a surname: lowercase must follow
# Words a heading does not end on: a heading is a noun phrase, not half a sentence.
NOT_LAST = {"de", "het", "een", "van", "en", "of", "voor", "met", "in", "op", "te", "aan", "bij",
            "door", "over", "naar", "om", "als", "dat", "die", "is", "zijn", "wordt", "der", "den",
            "heer", "mevrouw", "minister", "staatssecretaris", "lid", "leden"}
# Lowercase words that make a run of words a clause rather than a heading.
CLAUSE_WORDS = {"is", "zijn", "was", "waren", "wordt", "worden", "werd", "heeft", "hebben", "had",
                "kan", "kunnen", "zal", "zullen", "moet", "waar", "dat", "die", "wie", "ik", "wij",
                "we", "u", "er", "niet", "geen", "ook", "nog", "al", "als", "dan"}
NUMBERING = re.compile(r"^(?:[IVX]{1,4}\.|\d{1,2}(?:\.\d{1,2})*\.?|[a-z]\.)\s+")
HEADING_WORD = re.compile(r"[^.,;:!?()]+")  # no punctuation: a heading is not a sentence
SENTENCE_END = re.compile(r"[.!?:;][\W\d]{0,3}$")  # a footnote marker may follow: "bieden.1"


def split_run_in(text: str) -> tuple[str, str] | None:
    """(heading, paragraph) when `text` opens with a heading run into its first sentence."""
    numbering = NUMBERING.match(text)
    start = numbering.end() if numbering else 0
    words = text[start:].split(" ", MAX_HEADING_WORDS + 1)
    if not words or not words[0][:1].isupper() or words[0] in SENTENCE_STARTERS:
        return None
    for n in range(1, min(MAX_HEADING_WORDS, len(words) - 2) + 1):
        head, starter, after = words[:n], words[n], words[n + 1]
        if not HEADING_WORD.fullmatch(head[-1]) or head[-1] in CLAUSE_WORDS:
            return None  # punctuation or a verb before any starter: a sentence, not a heading
        if starter not in SENTENCE_STARTERS:
            continue
        if head[-1].lower() in NOT_LAST or (starter in NAME_STARTS and not after[:1].islower()):
            return None
        rest = text[start:].split(" ", n)[n]
        words_after = len(rest.split())
        if words_after < MIN_SENTENCE_WORDS or not (SENTENCE_END.search(rest) or words_after >= LONG_PARAGRAPH):
            return None  # (a long paragraph may end where a scanned page ended)
        return text[:start] + " ".join(head), rest
    return None
