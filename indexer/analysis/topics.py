"""Topics: a readable taxonomy (indexer/data/topics.toml) matched on analysed tokens.

A paragraph gets every topic one of whose terms occurs in its text or its section heading.
Terms go through the same Dutch analysis as the search, so "dreiging" matches "dreigingen" and
"Oekraine" matches "Oekraïne"; a multi-word term must occur as consecutive words.
"""
from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from indexer.analysis.dutch import analyze, fold, term_positions
from indexer.errors import BrievenError


class TaxonomyError(BrievenError):
    """The topics file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Topic:
    name: str  # "Weerbaarheid en hybride dreigingen"
    slug: str  # "weerbaarheid"
    terms: tuple[tuple[str, ...], ...]  # each term as its sequence of analysed tokens
    written: tuple[str, ...] = ()  # the terms as the file writes them


class Taxonomy:
    def __init__(self, topics: list[Topic]):
        self.topics = topics
        self._by_key = {}
        # Terms indexed by their first token, so a paragraph is matched in one pass over it.
        self._starting: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
        for n, topic in enumerate(topics):
            self._by_key[fold(topic.slug)] = topic
            self._by_key[fold(topic.name)] = topic
            for term in topic.terms:
                self._starting[term[0]].append((n, term))

    def find(self, name_or_slug: str) -> Topic | None:
        """The topic a user means by a name or a slug, in any case, with or without diacritics."""
        return self._by_key.get(fold(name_or_slug.strip()))

    def by_slug(self, slug: str) -> Topic | None:
        return self._by_key.get(fold(slug))

    def assign(self, text: str, section: str | None = None) -> list[str]:
        """The slugs of the topics of a paragraph, in taxonomy order. A term matches within the
        heading or within the text, never running from one into the other."""
        found: set[int] = set()
        for part in (section, text):
            if part:
                self._match(term_positions(part), found)
        return [self.topics[n].slug for n in sorted(found)]

    def _match(self, positions: dict[str, list[int]], found: set[int]) -> None:
        """Add to `found` the topics with a term in `positions` (term -> its positions)."""
        for token, starts in positions.items():
            for n, term in self._starting.get(token, ()):
                if n in found:
                    continue
                if len(term) == 1:
                    found.add(n)
                    continue
                following = [positions.get(t) for t in term[1:]]
                if all(following) and any(
                    all(start + i in later for i, later in enumerate(following, 1)) for start in starts
                ):
                    found.add(n)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read the taxonomy; the default is the one shipped in indexer/data/topics.toml."""
    if path is None:
        raw = resources.files("indexer").joinpath("data", "topics.toml").read_bytes()
        source = "indexer/data/topics.toml"
    else:
        raw, source = Path(path).read_bytes(), str(path)
    try:
        entries = tomllib.loads(raw.decode("utf-8"))["topic"]
    except (tomllib.TOMLDecodeError, KeyError, UnicodeDecodeError) as error:
        raise TaxonomyError(f"{source}: not a valid topics file ({error})") from error
    topics, slugs = [], set()
    for n, entry in enumerate(entries, 1):
        try:
            name, slug, terms = entry["name"], entry["slug"], entry["terms"]
        except KeyError as error:
            raise TaxonomyError(f"{source}: topic {n} has no {error.args[0]!r}") from error
        if slug in slugs:
            raise TaxonomyError(f"{source}: slug {slug!r} is used twice")
        slugs.add(slug)
        analysed = tuple(tuple(analyze(t, mode="query")) for t in terms)
        topics.append(Topic(name=name, slug=slug, terms=tuple(t for t in analysed if t),
                            written=tuple(terms)))
    return Taxonomy(topics)
