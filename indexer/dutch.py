"""Dutch analysis: one analyzer for indexing and for queries, composed of small filters.

    tokenize -> NFKC -> possessive 's -> lowercase -> fold diacritics -> Dutch stopwords
             -> hyphenated compounds -> closed compounds -> Snowball stem (with overrides)

Stopwords leave no gap in the positions, so the phrase "dialoog met Rusland" matches the words
dialoog and rusland side by side.

The rules a reader may want to change live in `indexer/data/` (stopwords, stem overrides); the
filters here are tiny generators in the style of `whoosh.analysis`, so each rule can be tested by
putting a string in and comparing the tokens that come out.
"""
from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from importlib import resources

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter

from indexer.compounds import split_compound

# Words with inner hyphens or apostrophes stay one token: "defensie-uitgaven", "China's".
WORD_PATTERN = r"\w+(?:[-‐‑'’]\w+)*"
HYPHENS = "-‐‑"
STEMMER = "dutch_porter"  # measured against "dutch" (Kraaij-Pohlmann): see README, Search quality


def _data_text(name: str) -> str:
    return resources.files("indexer").joinpath("data", name).read_text(encoding="utf-8")


def fold(text: str) -> str:
    """Lowercase without diacritics: "Oekraïne" -> "oekraine", "coöperatieve" -> "cooperatieve"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def stopwords() -> frozenset[str]:
    lines = (line.strip() for line in _data_text("stopwords_nl.txt").splitlines())
    return frozenset(fold(line) for line in lines if line and not line.startswith("#"))


@functools.cache
def stem_overrides() -> dict[str, str]:
    return {fold(k): v for k, v in tomllib.loads(_data_text("stem_overrides.toml"))["stems"].items()}


@functools.cache
def _stemmer():
    import snowballstemmer  # uses PyStemmer's C implementation when it is installed

    return snowballstemmer.stemmer(STEMMER)


# Plurals in -ieën/-eeën lose their diaeresis when folded ("technologieen", "ideeen"), and the
# stemmer does not recognise the ending any more: restore the singular first.
_TREMA_PLURAL = re.compile(r"(?<=[^aeiou][ie]e)en$")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem a folded, lowercase word: overrides first, then the -ieën rule, then Snowball."""
    if word in stem_overrides():
        return stem_overrides()[word]
    if not word.isalpha():
        return word  # "2030", "navo2030": numbers and codes are kept as written
    word = _TREMA_PLURAL.sub("", word)
    return _stemmer().stemWord(word)


class NormalizeFilter(Filter):
    """Unicode NFKC per token ("ﬁ" -> "fi"), and one kind of apostrophe and hyphen."""

    def __call__(self, tokens):
        for t in tokens:
            text = unicodedata.normalize("NFKC", t.text)
            t.text = text.replace("’", "'").replace("‐", "-").replace("‑", "-")
            yield t


class PossessiveFilter(Filter):
    """ "China's" -> "China", "EDT's" -> "EDT", "scenario's" -> "scenario" (also the plural)."""

    def __call__(self, tokens):
        for t in tokens:
            if t.text.endswith("'s"):
                t.text = t.text[:-2]
            t.text = t.text.strip("'")
            if t.text:
                yield t


class FoldFilter(Filter):
    """Drop diacritics, so that "Oekraine" finds "Oekraïne"."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


class HyphenCompoundFilter(Filter):
    """A hyphenated compound is indexed whole (hyphens removed) and by its parts, all at the
    word's position: "defensie-uitgaven" -> defensieuitgaven, defensie, uitgaven. A query
    keeps the whole word only, which matches both spellings ("defensie-uitgaven" and
    "defensieuitgaven") and nothing looser."""

    def __call__(self, tokens):
        for t in tokens:
            t.has_parts = False
            if "-" not in t.text:
                yield t
                continue
            parts = [p for p in t.text.split("-") if p]
            t.text = "".join(parts)
            t.has_parts = True  # CompoundFilter need not split the whole again
            yield t
            t.has_parts = False
            if t.mode != "query":
                for part in parts:
                    if part not in stopwords():
                        t.text = part
                        yield t


class CompoundFilter(Filter):
    """A closed compound is indexed whole and by its parts, at the word's position:
    "cyberdreigingen" -> cyberdreigingen, cyber, dreigingen (each then stemmed). Queries keep
    the whole word; the search service decides how to use the parts of a query word."""

    def __call__(self, tokens):
        for t in tokens:
            text, done = t.text, getattr(t, "has_parts", False)
            yield t
            if t.mode != "query" and not t.stopped and not done:
                for part in split_compound(text):
                    if part not in stopwords():
                        t.text = part
                        yield t


class DutchStemFilter(Filter):
    """Snowball stemming with overrides. Stateless, so the index schema pickles only the class
    name: the stem data is read from `indexer/data/` when the filter runs."""

    is_morph = True

    def __eq__(self, other):
        return isinstance(other, DutchStemFilter)

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def _front():
    return RegexTokenizer(WORD_PATTERN) | NormalizeFilter() | PossessiveFilter()


def dutch_analyzer():
    """The analyzer of every searchable text field, at index and at query time."""
    return (
        _front()
        | LowercaseFilter()
        | FoldFilter()
        | StopFilter(stoplist=stopwords(), minsize=1)
        | HyphenCompoundFilter()
        | CompoundFilter()
        | DutchStemFilter()
    )


def words_analyzer():
    """Surface words, folded but not stemmed: the vocabulary for spelling suggestions."""
    return _front() | LowercaseFilter() | FoldFilter() | HyphenCompoundFilter()


@functools.cache
def _analyzer():
    return dutch_analyzer()


def analyze(text: str, mode: str = "index") -> list[str]:
    """The terms `text` is indexed (mode="index") or searched (mode="query") under."""
    return [t.text for t in _analyzer()(text, mode=mode)]


def query_compound_parts(word: str) -> list[str]:
    """The stems of the parts of a closed compound typed in a query ([] when it is none)."""
    folded = fold(word)
    return [stem(p) for p in split_compound(folded) if p not in stopwords()]


def analyze_positions(text: str, mode: str = "index") -> list[tuple[str, int, int, int]]:
    """(term, position, startchar, endchar) for every term: for phrases and highlighting."""
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in _analyzer()(text, mode=mode, positions=True, chars=True)
    ]
