"""Dutch analysis: one analysis for indexing and for queries.

    tokenize -> per word: NFKC -> possessive 's -> lowercase and fold diacritics -> stopwords
             -> hyphenated compounds -> closed compounds -> Snowball stem (with overrides)

Each step is a small function; `word_terms` composes them for one word and caches the result,
because a corpus repeats the same words endlessly (analysis was most of the indexing time when
each step was a separate token filter). The rules a reader may want to change live in
`indexer/data/` (stopwords, stem overrides, compounds); tests put a string in and compare the
terms that come out. This is plain Python: the index wraps it in Whoosh's analyzer interface
(indexer/store/fields.py), and gives the same terms.
"""
from __future__ import annotations

import enum
import functools
from collections import Counter
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from itertools import chain
from importlib import resources

from indexer.analysis.compounds import split_compound
from indexer.analysis.lexicon import common_words, is_word, zipf

# Words with inner hyphens or apostrophes stay one token: "defensie-uitgaven", "China's".
WORD_PATTERN = r"\w+(?:[-‐‑'’]\w+)*"
_WORDS = re.compile(WORD_PATTERN)


@functools.lru_cache(maxsize=1024)  # a letter's paragraphs: analysed, fingerprinted, then indexed
def words(text: str) -> tuple[str, ...]:
    """The words of `text` as written (WORD_PATTERN), found once for all that needs them."""
    known = _JOINED_WORDS.pop(text, None)
    return known if known is not None else tuple(_WORDS.findall(text))


# The text `joined` made last, with its words: what `words` then gives for it without a search.
_JOINED_WORDS: dict[str, tuple[str, ...]] = {}


def joined(texts: list[str]) -> str:
    """The texts (a letter's paragraphs) as one, a line break between them. Its words are the
    texts' words in turn (no word runs across a line break, and WORD_PATTERN looks neither
    behind nor ahead), so they are taken from the texts' cached words rather than searched again."""
    text = "\n".join(texts)
    _JOINED_WORDS.clear()
    _JOINED_WORDS[text] = tuple(chain.from_iterable(map(words, texts)))
    return text


# Splitting a text into words and lowercasing each gives the words of the lowercased text, except
# where lowercasing changes a character into two ("İ") or depends on what follows (a final "Σ"):
# tests/analysis/test_shared_words.py checks that no other character does.
LOWERCASE_IN_CONTEXT = "İΣ"
_IN_CONTEXT = re.compile(f"[{LOWERCASE_IN_CONTEXT}]")


def lowercase_words(text: str) -> Iterable[str]:
    """The words of `text.lower()` in order, from the text's words (`words`) where that is the same."""
    if _IN_CONTEXT.search(text):
        return _WORDS.findall(text.lower())
    return map(str.lower, words(text))


class Mode(enum.StrEnum):
    """What a text is analysed for: indexing (compounds also by their parts) or a query."""

    INDEX = "index"
    QUERY = "query"


STEMMER = "dutch_porter"  # measured against "dutch" (Kraaij-Pohlmann): see README, Search quality


def _data_text(name: str) -> str:
    return resources.files("indexer").joinpath("data", name).read_text(encoding="utf-8")


def fold(text: str) -> str:
    """Lowercase without diacritics: "Oekraïne" -> "oekraine", "coöperatieve" -> "cooperatieve"."""
    lower = text.lower()
    if lower.isascii():  # most words: nothing to decompose
        return lower
    decomposed = unicodedata.normalize("NFKD", lower)
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


# -- the rules, one small step each --------------------------------------------------------
def normalize(word: str) -> str:
    """Unicode NFKC ("ﬁ" -> "fi"), and one kind of apostrophe and hyphen."""
    word = unicodedata.normalize("NFKC", word)
    return word.replace("’", "'").replace("‐", "-").replace("‑", "-")


def drop_possessive(word: str) -> str:
    """ "China's" -> "China", "EDT's" -> "EDT", "scenario's" -> "scenario" (also the plural)."""
    if word.endswith("'s"):
        word = word[:-2]
    return word.strip("'")


def hyphen_parts(word: str) -> list[str]:
    """ "defensie-uitgaven" -> [defensie, uitgaven]; [] for a word without hyphens."""
    return [p for p in word.split("-") if p] if "-" in word else []


@functools.lru_cache(maxsize=300_000)
def word_terms(word: str, query: bool = False) -> tuple[str, ...]:
    """Every term one written word is indexed under (or, with `query`, searched as).

    A stopword gives none. A hyphenated compound is indexed whole (hyphens removed) and by its
    parts: "defensie-uitgaven" -> defensieuitgaven, defensie, uitgaven; a closed compound the
    same way (cyberdreigingen -> cyberdreigingen, cyber, dreigingen). A query keeps the whole
    word only: it matches both spellings ("defensie-uitgaven", "defensieuitgaven") and nothing
    looser; the search service decides how to use a query word's parts. Cached per word: the
    same words come back all the time, so each is analysed once.
    """
    folded = fold(drop_possessive(normalize(word)))
    if not folded or folded in stopwords():
        return ()
    parts = hyphen_parts(folded)
    whole = "".join(parts) if parts else folded
    forms = [whole]
    if not query:
        for part in parts or [whole]:
            if part in stopwords():
                continue
            if parts:
                forms.append(part)
            forms.extend(p for p in split_compound(part) if p not in stopwords())
    return tuple(dict.fromkeys(stem(f) for f in forms))


@functools.lru_cache(maxsize=300_000)
def modifier_terms(word: str) -> tuple[str, ...]:
    """The terms of a written word that are only a modifier in it: a part before the last of a
    compound ("klimaat" in klimaatverandering, "defensie" in defensie-uitgaven). Dutch compounds
    are right-headed: a klimaatverandering is a verandering, so a paragraph full of it says less
    about klimaat than one about klimaat itself. A term that is also the word's head or the whole
    word is not only a modifier, and is left out."""
    folded = fold(drop_possessive(normalize(word)))
    if not folded or folded in stopwords():
        return ()
    pieces = hyphen_parts(folded) or [folded]
    modifiers: list[str] = pieces[:-1]
    for piece in pieces:
        modifiers += split_compound(piece)[:-1]
    terms = word_terms(word)
    head = split_compound(pieces[-1])[-1:] or pieces[-1:]
    keep = {stem(terms[0]) if terms else "", *(stem(h) for h in head)}
    found = (stem(m) for m in modifiers if m not in stopwords())
    return tuple(t for t in dict.fromkeys(found) if t not in keep and t in terms)


def modifiers(text: str) -> list[str]:
    """Each occurrence in `text` of a term that is only a modifier of its word (`modifier_terms`),
    after the first of the same compound, in order: the counts the index keeps beside the
    text's own. A compound said again (an organisation's name, nine times in a letter) names
    the same thing again: its modifier has been said once."""
    out: list[str] = []
    for word, times in Counter(lowercase_words(text)).items():
        # only a compound said again counts; a compound is long or hyphenated
        if times > 1 and (len(word) >= MIN_COMPOUND_CHARS or _JOINED.search(word)):
            out.extend(modifier_terms(word) * (times - 1))
    return out


# the words that can be compounds: at least MIN_LENGTH letters (compounds.py), or hyphenated
# (or joined by an apostrophe)
MIN_COMPOUND_CHARS = 8
_JOINED = re.compile(r"[-‐‑'’]")


@functools.lru_cache(maxsize=300_000)
def surface_terms(word: str) -> tuple[str, ...]:
    """Words as written, folded but not stemmed (whole and hyphen parts): the vocabulary that
    spelling suggestions are drawn from."""
    folded = fold(drop_possessive(normalize(word)))
    parts = hyphen_parts(folded)
    return tuple(dict.fromkeys(["".join(parts), *parts] if parts else [folded] if folded else []))


# The common words a server analyses before it answers (analyse_common_words)
COMMON_WORDS = 20_000


def analyse_common_words(count: int = COMMON_WORDS) -> None:
    """Analyse the `count` most common Dutch words now, into word_terms' cache. A word not
    analysed before costs about 50 µs (its compound split), and a fresh server met thousands
    of them in its first searches: highlighting the first pages at 1,000,000 paragraphs spent
    a quarter of its time on them. The 20,000 most common (wordfreq's list) take about half
    a second and cover most words of a letter; rarer ones are analysed when they come."""
    for word in common_words(count):
        word_terms(word)


def analyze(text: str, mode: Mode | str = Mode.INDEX) -> list[str]:
    """The terms `text` is indexed (mode="index") or searched (mode="query") under."""
    query = Mode(mode) is Mode.QUERY
    return [term for word in _WORDS.findall(text) for term in word_terms(word, query)]


def query_compound_parts(word: str) -> list[str]:
    """The stems of the parts of a closed compound typed in a query ([] when it is none)."""
    folded = fold(word)
    return [stem(p) for p in split_compound(folded) if p not in stopwords()]




# Elided compounds: "land- en tuinbouw" is landbouw and tuinbouw, "havenbedrijven en -terreinen"
# is havenbedrijven and haventerreinen. The hyphen stands for the part the next (or the last)
# word supplies. The whole words are indexed in a field of their own ("elided"), which a query
# word matches more weakly than the text itself (searching/compiler.py).
_ELIDED_HEAD = re.compile(r"(?<![\w-])(\w{2,})[-‐‑](?=\s+(?:en|of|tot)\s+(\w{4,})(?![\w-]))")
_ELIDED_MODIFIER = re.compile(r"(?<![\w-])(\w{4,})\s+(?:en|of|tot)\s+[-‐‑](\w{3,})(?![\w-])")
MIN_PART_ZIPF = 2.5  # as compounds.py: a part must be a word in its own right


def elisions(text: str) -> dict[int, str]:
    """The elided words of `text`, completed: start character of the word as written -> the
    whole word, folded ("land" of "land- en tuinbouw" -> "landbouw"). A completion needs
    evidence: the other word's compound split, else a completed form that is a Dutch word."""
    if "- " not in text and " -" not in text and "‐" not in text and "‑" not in text:
        return {}
    found: dict[int, str] = {}
    for m in _ELIDED_HEAD.finditer(text):
        left, right = fold(m.group(1)), fold(m.group(2))
        parts = split_compound(right)
        heads = [parts[-1]] if parts else [right[i:] for i in range(1, len(right) - 2)]
        for head in heads:
            if parts or (zipf(head) >= MIN_PART_ZIPF and is_word(left + head)):
                found[m.start(1)] = left + head
                break
    for m in _ELIDED_MODIFIER.finditer(text):
        left, right = fold(m.group(1)), fold(m.group(2))
        parts = split_compound(left)
        modifiers = [left[:len(left) - len(parts[-1])]] if parts else [left[:i] for i in range(len(left) - 1, 2, -1)]
        for modifier in modifiers:
            if parts or is_word(modifier + right):
                found[m.start(2)] = modifier + right
                break
    return found


@functools.lru_cache(maxsize=1024)  # a letter's paragraphs: tagged all first, then indexed
def term_positions(text: str) -> dict[str, list[int]]:
    """term -> its positions in `text`, exactly as the analyzer indexes it (mode="index").

    The fast path of indexing: each paragraph is analysed once here, for its topics and for its
    text field (the cache hands the same answer to both; it holds a long letter's paragraphs), without Whoosh's Token objects
    and filter chain. Do not change the dict or its lists: they are shared.
    """
    positions: dict[str, list[int]] = {}
    found = positions.get
    pos = 0
    for terms in map(word_terms, words(text)):
        if not terms:
            continue  # a stopword leaves no gap, as in DutchWordFilter
        for term in terms:
            at = found(term)
            if at is None:
                positions[term] = [pos]
            else:
                at.append(pos)
        pos += 1
    return positions


def surface_words(text: str) -> list[str]:
    """The distinct surface terms of `text`, as words_analyzer indexes them (in order)."""
    forms = dict.fromkeys(words(text))  # each written form analysed once
    return list(dict.fromkeys(chain.from_iterable(map(surface_terms, forms))))


def written_forms(text: str) -> list[str]:
    """The words of `text` whose spelling folding loses, as written (NFKC): those with
    diacritics ("Oekraïne", "coördinatie") and hyphenated ones ("defensie-uitgaven"). The
    index keeps them per letter, so that a word can be shown and suggested the way the letters
    write it, while it is searched folded."""
    forms = []
    # only words with a hyphen or a character past ASCII can change: picked out in C (most
    # words of a letter are plain ASCII)
    for word in filter(_MAYBE_WRITTEN.search, dict.fromkeys(words(text))):
        written = drop_possessive(normalize(word))
        if (1 < len(written) <= MAX_WRITTEN_CHARS and written.replace("-", "").isalpha()
                and ("-" in written or fold(written) != written.lower())):
            forms.append(written)
    return list(dict.fromkeys(forms))


_MAYBE_WRITTEN = re.compile("[-\x80-\U0010ffff]")
MAX_WRITTEN_CHARS = 40  # longer "words" are OCR debris or chains of hyphenated numbers


def spelling_key(text: str) -> str:
    """How typed text and written words are compared for completions and suggestions: folded,
    without hyphens and apostrophes, single spaces ("Defensie-uitgaven" -> "defensieuitgaven")."""
    return " ".join(fold(normalize(text)).replace("-", "").replace("'", "").split())


def marked_words(text: str, wanted: frozenset[str] | set[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of each word of `text` indexed under one of the `wanted` terms (its
    first such term), in order: what highlighting needs when it marks no phrase, without
    building every term's position as `analyze_positions` does (a third of the time)."""
    out = []
    for m in _WORDS.finditer(text):
        terms = word_terms(m.group())
        if terms and not wanted.isdisjoint(terms):
            out.append((m.start(), m.end(), next(t for t in terms if t in wanted)))
    return out


def analyze_positions(text: str, mode: Mode | str = Mode.INDEX) -> list[tuple[str, int, int, int]]:
    """(term, position, startchar, endchar) for every term: for phrases and highlighting. A
    stopword leaves no gap in the positions, so a phrase matches across it."""
    query = Mode(mode) is Mode.QUERY
    out = []
    pos = 0
    for m in _WORDS.finditer(text):
        terms = word_terms(m.group(), query)
        if not terms:
            continue
        for term in terms:
            out.append((term, pos, m.start(), m.end()))
        pos += 1
    return out
