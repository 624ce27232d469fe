"""Topics: a readable taxonomy of Dutch government policy (indexer/data/topics.toml).

Themes (the top level: Zorg, Onderwijs, Defensie, ...) each have subtopics. A topic lists its
evidence terms in three kinds (strong, ordinary, ambiguous; see indexer/analysis/evidence.py for
how they are weighed). Terms go through the same Dutch analysis as the search, so "dreiging"
matches "dreigingen" and "Oekraine" matches "Oekraïne"; a multi-word term must occur as
consecutive words. `Taxonomy.assign` tags a paragraph, `Taxonomy.letter_topics` a letter.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from indexer.analysis.dutch import analyze, fold
from indexer.errors import BrievenError


class TaxonomyError(BrievenError):
    """The topics file is malformed; the message names the entry."""


STRONG, TERM, AMBIGUOUS = "strong", "terms", "ambiguous"  # the kinds of evidence, as the file names them
KINDS = (STRONG, TERM, AMBIGUOUS)


@dataclass(frozen=True)
class Topic:
    name: str  # "Weerbaarheid en hybride dreigingen"
    slug: str  # "weerbaarheid-hybride-dreigingen"
    parent: str | None = None  # the theme's slug; None for a theme
    description: str = ""  # one Dutch sentence: what belongs here
    # each kind's terms, each term as its sequence of analysed tokens
    evidence: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict, compare=False)
    written: tuple[str, ...] = ()  # the strong and ordinary terms as the file writes them
    ministries: tuple[str, ...] = ()  # themes: folded words of ministry names that speak for it

    @property
    def terms(self) -> tuple[tuple[str, ...], ...]:
        """Every analysed term of the topic, of any kind."""
        return tuple(t for kind in KINDS for t in self.evidence.get(kind, ()))


class Taxonomy:
    def __init__(self, topics: list[Topic]):
        self.topics = topics
        self.index = {t.slug: n for n, t in enumerate(topics)}
        self._by_key: dict[str, Topic] = {}
        for topic in topics:
            self._by_key.setdefault(fold(topic.name), topic)
        for topic in topics:  # a slug wins over another topic's name
            self._by_key[fold(topic.slug)] = topic
        self.children: dict[str, list[str]] = {t.slug: [] for t in topics}
        for topic in topics:
            if topic.parent:
                self.children[topic.parent].append(topic.slug)
        from indexer.analysis.evidence import Tagger  # the tagger reads this taxonomy
        self.tagger = Tagger(self)

    @property
    def themes(self) -> list[Topic]:
        """The top-level topics, in file order."""
        return [t for t in self.topics if t.parent is None]

    def find(self, name_or_slug: str) -> Topic | None:
        """The topic a user means by a name or a slug, in any case, with or without diacritics."""
        return self._by_key.get(fold(name_or_slug.strip()))

    def by_slug(self, slug: str) -> Topic | None:
        return self._by_key.get(fold(slug))

    def with_descendants(self, slug: str) -> list[str]:
        """The slug and those of its subtopics: what a filter on it includes."""
        return [slug, *self.children.get(slug, [])]

    def assign(self, text: str, section: str | None = None, context=None) -> list[str]:
        """The slugs of a paragraph's topics, strongest theme first, each followed by its
        subtopics (`context`: its letter's LetterContext, see evidence.py)."""
        return self.tagger.paragraph(text, section, context).slugs

    def letter_topics(self, scores, context=None) -> list[str]:
        """The slugs of a letter's topics from its paragraphs' scores and its context."""
        return self.tagger.letter(scores, context)


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
    topics: list[Topic] = []
    slugs: set[str] = set()
    for n, entry in enumerate(entries, 1):
        try:
            name, slug = entry["name"], entry["slug"]
        except KeyError as error:
            raise TaxonomyError(f"{source}: topic {n} has no {error.args[0]!r}") from error
        if slug in slugs:
            raise TaxonomyError(f"{source}: slug {slug!r} is used twice")
        parent = entry.get("parent") or None
        if parent is not None and parent not in slugs:
            raise TaxonomyError(f"{source}: topic {slug!r} names parent {parent!r}, which is not a theme above it")
        if parent is not None and any(t.slug == parent and t.parent for t in topics):
            raise TaxonomyError(f"{source}: topic {slug!r} has a subtopic as its parent; themes have one level")
        slugs.add(slug)
        if not any(entry.get(kind) for kind in KINDS):
            raise TaxonomyError(f"{source}: topic {slug!r} has no evidence terms (strong, terms or ambiguous)")
        evidence = {kind: tuple(a for a in (tuple(analyze(t, mode="query")) for t in entry.get(kind, ())) if a)
                    for kind in KINDS}
        topics.append(Topic(
            name=name, slug=slug, parent=parent, description=entry.get("description", ""), evidence=evidence,
            written=tuple(entry.get(STRONG, ())) + tuple(entry.get(TERM, ())),
            ministries=tuple(fold(m) for m in entry.get("ministries", ()))))
    return Taxonomy(topics)
