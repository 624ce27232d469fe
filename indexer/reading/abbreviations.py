"""Harvesting abbreviations from the letters themselves.

Kamerbrieven define their abbreviations: "NATO Readiness Initiative (NRI)", "SACEUR (Supreme
Allied Commander Europe)", "de Secretaris-Generaal van de NAVO (hierna: SG NAVO)", "opkomende en
ontwrichtende technologieën (emerging and disruptive technologies; hierna EDT)". The long form is
found with the Schwartz-Hearst rule (2003): the shortest run of words before the brackets whose
letters contain the abbreviation's letters in order, the first one starting a word.
"""
from __future__ import annotations

import re

# An abbreviation: capitals (and digits), perhaps two words ("SG NAVO"), a plural s ("EDTs").
_ABBR = r"[A-Z][A-Za-z0-9]*[A-Z0-9](?:s|'s|’s)?(?: [A-Z]{2,})?"
_LONG_THEN_ABBR = re.compile(rf"\((?:[^()]*?[;,]\s*)?(?:hierna|verder|afgekort)?:?\s*(?P<abbr>{_ABBR})\)")
_ABBR_THEN_LONG = re.compile(rf"\b(?P<abbr>{_ABBR}) \((?P<long>[^()]{{4,120}})\)")
_GLOSS = re.compile(r"\((?P<gloss>[^();,]{4,120})[;,]\s*(?:hierna|verder)[: ]")
MAX_LONG_WORDS = 8
# A long form does not start with one of these ("en", "the", "de"): Dutch and English.
_FUNCTION_WORDS = {"en", "of", "de", "het", "een", "van", "and", "or", "the", "of", "a", "an",
                   "in", "op", "voor", "met", "te", "als"}


def find_abbreviations(text: str) -> list[tuple[str, str]]:
    """(abbreviation, long form) pairs defined in `text`, in order of appearance."""
    pairs: list[tuple[str, str]] = []
    for m in _LONG_THEN_ABBR.finditer(text):
        abbr = _bare(m.group("abbr"))
        before = text[: m.start()].split()
        long = _long_form(abbr, before)
        if long:
            pairs.append((abbr, long))
        gloss = _GLOSS.match(m.group(0))
        if gloss:  # "(emerging and disruptive technologies; hierna EDT)": the gloss, and the
            words = gloss.group("gloss").split()  # words before the brackets it translates
            if _long_form(abbr, words) == " ".join(words):
                pairs.append((abbr, " ".join(words)))
                if len(before) >= len(words):
                    pairs.append((abbr, _clean(" ".join(before[-len(words):]))))
    for m in _ABBR_THEN_LONG.finditer(text):
        abbr = _bare(m.group("abbr"))
        words = m.group("long").split()
        long = _long_form(abbr, words[:MAX_LONG_WORDS], from_start=True)
        if long:
            pairs.append((abbr, long))
    seen, unique = set(), []
    for abbr, long in pairs:
        if (abbr, long.lower()) not in seen and long.lower() != abbr.lower():
            seen.add((abbr, long.lower()))
            unique.append((abbr, long))
    return unique


def _bare(abbr: str) -> str:
    """"EDTs", "EDT's" -> "EDT"."""
    return re.sub(r"(?:'s|’s|(?<=[A-Z])s)$", "", abbr)


def _clean(long: str) -> str:
    return long.strip(" ,;:(«“‘\"'")


def _long_form(abbr: str, words: list[str], from_start: bool = False) -> str | None:
    """The shortest run of words ending at the end of `words` (or, `from_start`, starting at its
    start) that contains the letters of `abbr` in order, the first starting a word."""
    letters = [c.lower() for c in abbr if c.isalnum()]
    if len(letters) < 2:
        return None
    limit = min(len(words), max(len(letters) + 5, len(letters) * 2), MAX_LONG_WORDS + 4)
    for n in range(1, limit + 1):
        run = words[:n] if from_start else words[-n:]
        phrase = _clean(" ".join(run))
        if not phrase or any(c in phrase for c in "()[].") or phrase.lower() == abbr.lower():
            continue
        if phrase.split()[0].lower() in _FUNCTION_WORDS:  # "en ontwrichtende technologieën"
            continue
        if _letters_in_order(letters, phrase.lower()) and phrase[0].lower() == letters[0]:
            return phrase
    return None


def _letters_in_order(letters: list[str], phrase: str) -> bool:
    """Schwartz-Hearst: every letter of the abbreviation occurs in order, the first at a word
    start (checked by the caller) and each letter after a match of the previous one."""
    pos = 0
    for i, letter in enumerate(letters):
        if i > 0:
            # a later letter preferably starts a word; any occurrence will do
            found = phrase.find(letter, pos)
        else:
            found = 0 if phrase.startswith(letter) else -1
        if found < 0:
            return False
        pos = found + 1
    return True
