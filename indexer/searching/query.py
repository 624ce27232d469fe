"""The query language, parsed into plain data that any search engine could run.

    rusland dialoog            plain words: more of them ranks higher; one absent word is fine
    "artikel 5"                a phrase (stopwords inside may differ)
    rusland EN dialoog         both (AND also works); OF / OR: either; NIET / NOT / -woord: not
    +rusland                   this word is required
    (china OF rusland) EN cyber
    cyber*  klimat~  klimat~2  prefix, and fuzzy within 1 (or 2) edits
    onderwerp:rusland  onderwerp:"hybride dreigingen"  jaar:2022  jaar:2020..2022
    ministerie:justitie  ministerie:"buitenlandse zaken"  dossier:21461  dossier:"35 925 V"
    datum:2021-01-01..2022-06-30   datum:2021-01-01..   datum:..2022-06-30

A malformed query (a stray quote or bracket, an operator with nothing to act on) is never an
error: `parse` returns the plain words instead, with a notice that says so.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date



class Occur(enum.Enum):
    SHOULD = "should"
    MUST = "must"
    MUST_NOT = "must_not"


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class Fuzzy:
    text: str
    distance: int = 1


@dataclass(frozen=True)
class Group:
    """Clauses side by side: SHOULD clauses add score, MUST ones are required, MUST_NOT excluded."""

    clauses: tuple[tuple[Occur, "Node"], ...]


@dataclass(frozen=True)
class AnyOf:
    """OR / OF between groups."""

    nodes: tuple["Node", ...]


Node = Word | Phrase | Prefix | Fuzzy | Group | AnyOf


@dataclass
class Filters:
    topics: list[str] = field(default_factory=list)
    ministries: list[str] = field(default_factory=list)  # as typed; the service finds them
    dossiers: list[str] = field(default_factory=list)  # as typed ("21 461", "35925-V")
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class ParsedQuery:
    node: Node | None  # None: no words, only filters (or an empty query)
    filters: Filters
    notice: str | None = None  # set when the query was read differently from how it was typed
    # Something was typed, but neither a word nor a valid filter is left of it (`*`, `AND OR`,
    # `jaar:abc`): such a query finds nothing, where an empty one finds every paragraph.
    nothing_to_search: bool = False


class QuerySyntaxError(ValueError):
    """Raised inside the parser; `parse` turns it into plain words and a notice."""


class FilterError(ValueError):
    """A field filter with a value it cannot take; the filter is left out, with a notice."""


FIELD_ALIASES = {
    "onderwerp": "topic", "topic": "topic",
    "jaar": "year", "year": "year",
    "datum": "date", "date": "date",
    "ministerie": "ministry", "ministry": "ministry",
    "dossier": "dossier",
}
OPERATORS = {"AND": "and", "EN": "and", "OR": "or", "OF": "or", "NOT": "not", "NIET": "not"}
MAX_QUERY_LENGTH = 1000
# Brackets inside brackets, at most: the parser (and the compiler and engine after it) recurse
# once per level, and no real question needs more than a few.
MAX_NESTING = 16
_YEAR = re.compile(r"(1[89]|2[0-9])[0-9][0-9]$")
# One lexical token: a field filter, a phrase, a bracket, or a word with its decorations.
_TOKEN = re.compile(
    r"""(?P<field>(?P<fname>[A-Za-z]+):(?:"(?P<fquoted>[^"]*)"|(?P<fvalue>[^\s()"]+)))
      | "(?P<phrase>[^"]*)"
      | (?P<quote>")
      | (?P<open>\()
      | (?P<close>\))
      | (?P<word>[^\s()"]+)""",
    re.VERBOSE,
)


# Control characters (NUL, ESC, a tab or newline pasted along, C1 codes) separate words like
# spaces; lone surrogates and the two non-characters XML refuses become U+FFFD. A query then
# echoes safely into HTML, JSON, XML feeds and a terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNREPRESENTABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean_query(text: str) -> str:
    """A query with control characters as spaces, and characters no document can hold (lone
    surrogates, U+FFFE, U+FFFF) as U+FFFD: what every adapter searches and shows."""
    return _UNREPRESENTABLE.sub("\ufffd", _CONTROL.sub(" ", text))


def parse(text: str) -> ParsedQuery:
    """Parse a query; never raises for bad syntax (see the module docstring)."""
    notices = []
    text = clean_query(text)
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        notices.append(f"De zoekvraag was langer dan {MAX_QUERY_LENGTH} tekens en is ingekort.")
    try:
        tokens, filters = _lex(text, notices)
        node = _Parser(tokens).parse()
    except QuerySyntaxError as error:
        words, filters = _plain_words(text)
        node = Group(tuple((Occur.SHOULD, Word(w)) for w in words)) if words else None
        notices.append(f"{error} De zoekvraag is daarom als gewone woorden gezocht.")
    nothing = node is None and bool(text.strip()) and filters == Filters()
    if nothing:
        notices.append("Er staat geen woord in de zoekvraag om naar te zoeken, dus is er niets "
                       "gevonden. Typ een of meer woorden; zie de zoekhulp voor *, ~ en EN/OF/NIET.")
    return ParsedQuery(node=node, filters=filters, notice=" ".join(dict.fromkeys(notices)) or None,
                       nothing_to_search=nothing)


def _lex(text: str, notices: list[str]) -> tuple[list[tuple[str, str]], Filters]:
    filters = Filters()
    tokens: list[tuple[str, str]] = []
    stray_quote = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup if m.lastgroup not in ("fname", "fquoted", "fvalue") else "field"
        if kind == "field":
            name = m.group("fname").lower()
            value = m.group("fquoted") if m.group("fquoted") is not None else m.group("fvalue")
            if name in FIELD_ALIASES:
                try:
                    _apply_filter(filters, FIELD_ALIASES[name], value.strip())
                except FilterError as error:
                    notices.append(f"{error} Dit filter is weggelaten.")
            else:  # "Kamerstuk:35" is not a field: keep its words
                tokens.extend(("word", w) for w in re.split(r"[:\s]+", m.group("field")) if w)
        elif kind == "quote":
            stray_quote = True
        elif kind == "phrase":
            tokens.append(("phrase", m.group("phrase")))
        elif kind in ("open", "close"):
            tokens.append((kind, m.group(kind)))
        else:
            word = m.group("word")
            op = OPERATORS.get(word)
            tokens.append(("op", op) if op else ("word", word))
    if stray_quote:  # raised after the loop, so that every bad filter is reported too
        raise QuerySyntaxError('De zoekvraag bevat een los aanhalingsteken (").')
    return tokens, filters


def _apply_filter(filters: Filters, name: str, value: str) -> None:
    if not value:
        raise FilterError(f"Het filter {name}: heeft geen waarde.")
    if name in ("topic", "ministry", "dossier"):
        {"topic": filters.topics, "ministry": filters.ministries, "dossier": filters.dossiers}[name].append(value)
        return
    start, sep, end = value.partition("..")
    if name == "year":
        years = [v for v in (start, end) if v]
        if not all(_YEAR.match(v) for v in years) or not years:
            raise FilterError(f"jaar:{value} is geen jaartal (voorbeeld: jaar:2022 of jaar:2020..2022).")
        if start and end and int(start) > int(end):
            raise FilterError(f"In jaar:{value} komt het eerste jaar na het tweede "
                              f"(bedoelt u jaar:{end}..{start}?).")
        if not sep:
            filters.year = int(start)
            return
        if start:
            filters.date_from = date(int(start), 1, 1)
        if end:
            filters.date_to = date(int(end), 12, 31)
        return
    from indexer.reading import parse_date  # here: the request rules load without the readers

    dates = {}
    for key, v in (("from", start), ("to", end if sep else start)):
        if v:
            parsed = parse_date(v)
            if parsed is None:
                raise FilterError(f"datum:{value} bevat geen geldige datum (voorbeeld: datum:2021-01-01..2022-06-30).")
            dates[key] = parsed
    if not dates:
        raise FilterError(f"datum:{value} bevat geen datum.")
    if "from" in dates and "to" in dates and dates["from"] > dates["to"]:
        raise FilterError(f"In datum:{value} komt de eerste datum na de tweede "
                          f"(bedoelt u datum:{end}..{start}?).")
    filters.date_from = dates.get("from", filters.date_from)
    filters.date_to = dates.get("to", filters.date_to)


def _plain_words(text: str) -> tuple[list[str], Filters]:
    """The words of a query with all syntax taken out; well-formed field filters are kept."""
    filters = Filters()
    words = []
    for m in _TOKEN.finditer(text):
        if m.group("field"):
            name = m.group("fname").lower()
            value = m.group("fquoted") if m.group("fquoted") is not None else m.group("fvalue")
            if name in FIELD_ALIASES:
                try:
                    _apply_filter(filters, FIELD_ALIASES[name], value.strip())
                except FilterError:
                    pass  # already reported by _lex
                continue
        for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", m.group(0)):
            if w not in OPERATORS:
                words.append(w)
    return words, filters


class _Parser:
    """Recursive descent: query := and_group (OR and_group)*; and_group := clause+; clause :=
    [NOT|+|-] atom; atom := word | phrase | ( query ). Explicit AND makes both sides required."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0  # brackets open at this point

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self._any_of()
        if self.i < len(self.tokens):
            raise QuerySyntaxError("De zoekvraag bevat een sluithaakje ')' zonder openingshaakje.")
        return node

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _any_of(self) -> Node:
        nodes = [self._group()]
        while self._peek() == ("op", "or"):
            self.i += 1
            if self._peek() is None or self._peek()[0] == "close":
                raise QuerySyntaxError("OF/OR staat aan het eind, zonder woord erna.")
            nodes.append(self._group())
        return nodes[0] if len(nodes) == 1 else AnyOf(tuple(nodes))

    def _group(self) -> Group:
        clauses: list[tuple[Occur, Node]] = []
        require_next = False
        while (tok := self._peek()) is not None and tok != ("op", "or") and tok[0] != "close":
            if tok == ("op", "and"):
                if not clauses:
                    raise QuerySyntaxError("EN/AND staat aan het begin, zonder woord ervoor.")
                self.i += 1
                nxt = self._peek()
                if nxt is None or nxt[0] == "close" or nxt == ("op", "or") or nxt == ("op", "and"):
                    raise QuerySyntaxError("EN/AND heeft geen woord erna.")
                occur, node = clauses[-1]
                if occur is Occur.SHOULD:
                    clauses[-1] = (Occur.MUST, node)
                require_next = True
                continue
            occur, node = self._clause()
            if require_next and occur is Occur.SHOULD:
                occur = Occur.MUST
            require_next = False
            clauses.append((occur, node))
        if not clauses:
            raise QuerySyntaxError("Er staat een operator of haakje zonder woorden.")
        return Group(tuple(clauses))

    def _clause(self) -> tuple[Occur, Node]:
        tok = self._peek()
        occur = Occur.SHOULD
        if tok == ("op", "not"):
            self.i += 1
            nxt = self._peek()
            if nxt is None or nxt[0] in ("op", "close"):
                raise QuerySyntaxError("NIET/NOT heeft geen woord erna.")
            occur = Occur.MUST_NOT
        elif tok[0] == "word" and tok[1][0] in "+-" and tok[1][1:].strip("+-"):
            occur = Occur.MUST if tok[1][0] == "+" else Occur.MUST_NOT
            self.tokens[self.i] = ("word", tok[1][1:])
        return (occur, self._atom())

    def _atom(self) -> Node:
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "open":
            if self._peek() is None:
                raise QuerySyntaxError("De zoekvraag bevat een openingshaakje '(' zonder sluithaakje.")
            if self.depth >= MAX_NESTING:
                raise QuerySyntaxError(
                    f"De zoekvraag heeft meer dan {MAX_NESTING} haakjes binnen elkaar.")
            self.depth += 1
            node = self._any_of()
            if self._peek() is None or self._peek()[0] != "close":
                raise QuerySyntaxError("De zoekvraag bevat een openingshaakje '(' zonder sluithaakje.")
            self.i += 1
            self.depth -= 1
            return node
        if kind == "phrase":
            if not value.strip():
                raise QuerySyntaxError('De zoekvraag bevat lege aanhalingstekens ("").')
            return Phrase(value)
        if kind == "word":
            return _word(value)
        raise QuerySyntaxError(f"Onverwacht teken {value!r} in de zoekvraag.")


def _word(value: str) -> Node:
    """A word with its decorations: -woord, +woord, woord*, woord~, woord~2."""
    if value.endswith("*") and value.strip("*"):
        return Prefix(value.rstrip("*"))
    m = re.fullmatch(r"(.+?)~([12])?", value)
    if m:
        return Fuzzy(m.group(1), int(m.group(2) or 1))
    if value.strip("*~+-") == "":
        raise QuerySyntaxError(f"Het teken {value!r} staat los in de zoekvraag.")
    return Word(value)
