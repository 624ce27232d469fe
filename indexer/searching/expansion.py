"""Query expansion: what else a query word may be written as, and which topic it points to.

Three sources, all applied at query time (nothing here needs a re-index):
- synonym groups from indexer/data/synonyms.toml (NAVO = NATO, art = artikel, ...);
- abbreviations the letters define themselves, harvested when they were indexed
  ("NATO Readiness Initiative (NRI)");
- the topic taxonomy: a query word that is one of a topic's terms points to that topic.
Everything is compared as analysed terms, so case, diacritics and inflection do not matter.
"""
from __future__ import annotations

import functools
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

from indexer.analysis import analyze
from indexer.analysis import Taxonomy

Terms = tuple[str, ...]


@functools.cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    raw = resources.files("indexer").joinpath("data", "synonyms.toml").read_text(encoding="utf-8")
    return tuple(tuple(group) for group in tomllib.loads(raw)["groups"])


@dataclass(frozen=True)
class Alternative:
    terms: Terms  # analysed, to be found side by side
    abbreviation_of: bool  # True: `terms` is the long form of an abbreviation the user typed


class Expander:
    def __init__(self, groups: Iterable[Iterable[str]], abbreviations: Iterable[tuple[str, str]],
                 taxonomy: Taxonomy):
        self._alternatives: dict[Terms, set[tuple[Terms, bool]]] = defaultdict(set)
        for group in groups:
            self._add_group([_terms(m) for m in group], short=None)
        long_forms: dict[Terms, list[Terms]] = defaultdict(list)
        for abbr, long in abbreviations:
            long_forms[_terms(abbr)].append(_terms(long))
        for abbr, longs in long_forms.items():
            self._add_group([abbr, *longs], short=abbr)
        # asked for by every query of two or more words: made once (0.6 ms a query at 100k letters' abbreviations)
        self._sequences = frozenset(t for t in self._alternatives if len(t) > 1)
        self._topics: dict[str, set[str]] = defaultdict(set)
        for topic in taxonomy.topics:
            if topic.parent is None:
                continue  # a theme is too broad to stand for a word ("NAVO" would bring all of Defensie)
            for written in topic.written:
                # every word of a term, and the parts of a compound term: the query "uitgaven"
                # points to the topic whose term is "defensie-uitgaven"
                for token in analyze(written):
                    self._topics[token].add(topic.slug)

    def _add_group(self, members: list[Terms], short: Terms | None) -> None:
        members = [m for m in dict.fromkeys(members) if m]
        for member in members:
            for other in members:
                if other != member:
                    self._alternatives[member].add((other, member == short))

    def alternatives(self, terms: Terms) -> list[Alternative]:
        """Other ways of writing `terms` (one word, or words side by side)."""
        return [Alternative(t, abbr) for t, abbr in sorted(self._alternatives.get(tuple(terms), ()))]

    def known_sequences(self) -> frozenset[Terms]:
        """Multi-word members, so a query's plain words can be checked for one."""
        return self._sequences

    def topics(self, term: str) -> set[str]:
        """Slugs of the topics that list `term` (an analysed query term) among their terms."""
        return self._topics.get(term, set())


# A long form that few letters give for an abbreviation, beside one that many give, is left out:
# the same abbreviation defined once in passing with other words before it ("dossier
# Vreemdelingenzaken (DVZ)" in one letter, "Dienst Vreemdelingenzaken" in 1,620) would otherwise
# make every way of writing the abbreviation search them all, each as a phrase.
ABBREVIATION_SHARE = 0.2  # of the letters that give its commonest long form (same terms)


def attested(definitions: Iterable[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """(abbreviation, long form) of the definitions (abbreviation, long form, letters that give
    it), in their order, without the long forms that fewer than ABBREVIATION_SHARE as many
    letters give as the abbreviation's commonest (long forms with the same terms count
    together, "Dienst" and "dienst" alike). An abbreviation defined once keeps its long form."""
    defined = [(abbreviation, long_form, _terms(long_form), letters) for abbreviation, long_form, letters in definitions]
    per_form: dict[tuple[str, Terms], int] = {}
    for abbreviation, _, terms, letters in defined:
        per_form[(abbreviation, terms)] = per_form.get((abbreviation, terms), 0) + letters
    most: dict[str, int] = {}
    for (abbreviation, _), letters in per_form.items():
        most[abbreviation] = max(most.get(abbreviation, 0), letters)
    return [(abbreviation, long_form) for abbreviation, long_form, terms, _ in defined
            if per_form[(abbreviation, terms)] >= ABBREVIATION_SHARE * most[abbreviation]]


def _terms(text: str) -> Terms:
    return tuple(analyze(text, mode="query"))
