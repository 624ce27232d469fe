"""Tagging by evidence: a topic is given when what speaks for it passes a threshold.

Why not "any term gives the topic": one "uitbreiding" of a service made a paragraph about NATO
enlargement, one "klimaatveiligheid" made it about climate. Here each term found in a paragraph
(its text and section heading) adds its weight to its topic:

- a strong term 2 (alone enough: "voorwaardelijke invrijheidstelling", "asielzoekers");
- an ordinary term 1, a little more when the paragraph repeats it (two different ones are enough);
- an ambiguous term 0.5, and only when a plain term of the paragraph speaks for the same theme
  (the topic, its theme or their other subtopics).

A subtopic's evidence also speaks for its theme. The letter's context (its title and dossier
title, and the ministries that send it) counts for each of its paragraphs at half weight, never
enough alone, so a paragraph without a word on the subject gets nothing from its letter. A
paragraph keeps its MAX_THEMES strongest themes (none weaker than RELATIVE of the strongest),
and of their subtopics those that pass, MAX_TOPICS slugs in all; a subtopic brings its theme.

A letter's topics sum its paragraphs' scores and add its context at full weight (the title says
what the letter is about), with a higher threshold (LETTER_THRESHOLD) and the same cut and limits.
Plain Python over the analysed tokens (dutch.term_positions: the analysis the index reuses).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indexer.analysis.dutch import fold, term_positions
from indexer.analysis.topics import AMBIGUOUS, KINDS, STRONG

if TYPE_CHECKING:
    from indexer.analysis.topics import Taxonomy

WEIGHT = {STRONG: 2.0, "terms": 1.0, AMBIGUOUS: 0.5}
THRESHOLD = 2.0  # evidence a topic needs: one strong term, or two ordinary ones
REPEAT = 0.25  # what each further occurrence of a term adds to its weight, times the weight ...
REPEAT_AT_MOST = 0.5  # ... up to this share of it (a term said three times counts 1.5)
CONTEXT_SHARE = 0.5  # the letter's title and dossier title count half for each paragraph ...
CONTEXT_AT_MOST = 1.0  # ... and at most this much per topic: never enough alone
MINISTRY = 0.5  # a ministry that sends the letter, for its themes
RELATIVE = 0.5  # a theme weaker than this share of the strongest theme is left out
MAX_THEMES = 2
KEEP_CLEAR = 0.3  # ... unless a subtopic passes on its own and the theme has this share
MAX_TOPICS = 4  # slugs per paragraph, themes included
LETTER_MAX_TOPICS = 4  # slugs per letter
LETTER_THRESHOLD = 3.0  # a letter's topic needs more than one paragraph's worth
PARAGRAPH_AT_MOST = 4.0  # one paragraph's share of its letter's score for a topic


@dataclass
class Tagging:
    """A paragraph's topics (`slugs`) and the scores that chose them (topic index -> score;
    a theme's score includes its subtopics'), which its letter's topics are made of."""

    slugs: list[str]
    scores: dict[int, float] = field(default_factory=dict)


@dataclass
class LetterContext:
    """What a letter says about its subject besides its paragraphs: the evidence of its title
    and dossier title (topic index -> score) and the themes its ministries speak for."""

    scores: dict[int, float] = field(default_factory=dict)
    ministries: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The context one paragraph gets: a share of the title's evidence (a theme's holds its
        # subtopics'), and the ministries'; the same for every paragraph of the letter.
        self.for_paragraph = {n: min(CONTEXT_SHARE * s, CONTEXT_AT_MOST) for n, s in self.scores.items()}
        for n, s in self.ministries.items():
            self.for_paragraph[n] = self.for_paragraph.get(n, 0.0) + s


class Tagger:
    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        topics = taxonomy.topics
        self.parent = [taxonomy.index[t.parent] if t.parent else None for t in topics]
        self.theme = [p if p is not None else n for n, p in enumerate(self.parent)]
        # Terms indexed by their first token, so a paragraph is matched in one pass over it.
        self._starting: dict[str, list[tuple[int, str, tuple[str, ...]]]] = defaultdict(list)
        for n, topic in enumerate(topics):
            for kind in KINDS:
                for term in topic.evidence.get(kind, ()):
                    self._starting[term[0]].append((n, kind, term))
        self._ministry_words = [(n, words) for n, t in enumerate(topics) for words in t.ministries]

    # -- evidence ----------------------------------------------------------------------------
    def evidence(self, *texts: str | None) -> dict[int, float]:
        """Each topic's own evidence in the texts (topic index -> score)."""
        return self._settle(*self._weigh(texts))

    def _weigh(self, texts) -> tuple[dict[int, float], dict[int, float]]:
        """Plain and ambiguous evidence per topic in the texts (a term never runs from one text
        into the next: a heading and its paragraph are matched apart)."""
        found: dict[tuple[int, tuple[str, ...]], tuple[str, int]] = {}
        for text in texts:
            if text:
                self._match(term_positions(text), found)
        plain: dict[int, float] = defaultdict(float)
        vague: dict[int, float] = defaultdict(float)
        family: dict[tuple[int, tuple[str, ...]], tuple[float, bool]] = {}
        for (n, term), (kind, count) in found.items():
            weight = WEIGHT[kind] * (1 + min(REPEAT * (count - 1), REPEAT_AT_MOST))
            if self.parent[n] is not None:
                (vague if kind == AMBIGUOUS else plain)[n] += weight
            # a theme counts each term of its family once, however many of its topics list it
            key = (self.theme[n], term)
            if key not in family or weight > family[key][0]:
                family[key] = (weight, kind == AMBIGUOUS)
        for (theme, _), (weight, ambiguous) in family.items():
            (vague if ambiguous else plain)[theme] += weight
        return plain, vague

    def _settle(self, plain: dict[int, float], vague: dict[int, float]) -> dict[int, float]:
        """Own scores: plain evidence, plus ambiguous evidence where the topic's family (the
        topic, its theme, its theme's other subtopics) has plain evidence."""
        backed = {self.theme[n] for n in plain}
        out = dict(plain)
        for n, weight in vague.items():
            if self.theme[n] in backed:
                out[n] = out.get(n, 0.0) + weight
        return out

    def matched(self, *texts: str | None) -> list[str]:
        """The slugs of the topics with any term in the texts, in taxonomy order: what the
        evidence is weighed from (checked against the analyzer's own tokens in the tests)."""
        found: dict = {}
        for text in texts:
            if text:
                self._match(term_positions(text), found)
        return [self.taxonomy.topics[n].slug for n in sorted({n for n, _ in found})]

    def _match(self, positions: dict[str, list[int]], found: dict) -> None:
        starting = self._starting
        # the paragraph's tokens that start a term (one in five), picked out in C, in order
        for token in filter(starting.__contains__, positions):
            starts = positions[token]
            for n, kind, term in starting[token]:
                if len(term) == 1:
                    count = len(starts)
                else:
                    following = [positions.get(t) for t in term[1:]]
                    if not all(following):
                        continue
                    count = sum(all(start + i in later for i, later in enumerate(following, 1)) for start in starts)
                    if not count:
                        continue
                key = (n, term)
                if key not in found or WEIGHT[kind] > WEIGHT[found[key][0]]:
                    found[key] = (kind, count)  # a term listed twice counts as its strongest kind

    def context(self, title: str | None = None, dossier_title: str | None = None,
                ministries: list[str] = ()) -> LetterContext:
        """The context of a letter, worked out once for all its paragraphs."""
        scores = self.evidence(title, dossier_title)
        named: dict[int, float] = {}
        for ministry in ministries:
            words = fold(ministry)
            for n, ministry_words in self._ministry_words:
                if ministry_words in words:
                    named[n] = MINISTRY
        return LetterContext(scores={n: s for n, s in scores.items() if s > 0}, ministries=named)

    # -- choosing ----------------------------------------------------------------------------
    def totals(self, own: dict[int, float], context: dict[int, float] | None = None) -> dict[int, float]:
        """Scores as topics are chosen by (a theme's own score already holds its family's
        evidence): the context adds to the themes the paragraph has evidence for, and to their
        subtopics."""
        totals: dict[int, float] = defaultdict(float, own)
        present = {self.theme[n] for n in own}
        for n, score in (context or {}).items():
            if self.theme[n] in present:
                totals[n] += score
        return totals

    def choose(self, totals: dict[int, float], max_topics: int, threshold: float = THRESHOLD) -> list[str]:
        """The slugs of the strongest themes that pass (at most MAX_THEMES, none weaker than
        RELATIVE of the strongest unless one of its subtopics passes on its own), each followed by
        its strongest subtopic with some evidence, then, while there is room (`max_topics` slugs
        in all), the other subtopics that pass the threshold."""
        themes = sorted((n for n, s in totals.items() if self.parent[n] is None and s >= threshold),
                        key=lambda n: (-totals[n], n))
        if themes:
            best = totals[themes[0]]
            clear = {self.parent[n] for n, s in totals.items() if self.parent[n] is not None and s >= threshold}
            themes = [n for n in themes if totals[n] >= RELATIVE * best or (n in clear and totals[n] >= KEEP_CLEAR * best)][:MAX_THEMES]
        chosen: dict[int, list[int]] = {n: [] for n in themes}
        children = sorted(((score, n) for n, score in totals.items()
                           if self.parent[n] in chosen and score >= 1.0), key=lambda c: (-c[0], c[1]))
        room = max_topics - len(themes)
        for score, n in children:  # first each theme's strongest subtopic ...
            if room > 0 and not chosen[self.parent[n]]:
                chosen[self.parent[n]].append(n)
                room -= 1
        for score, n in children:  # ... then the others that pass on their own, strongest first
            if room > 0 and score >= threshold and n not in chosen[self.parent[n]]:
                chosen[self.parent[n]].append(n)
                room -= 1
        topics = self.taxonomy.topics
        return [topics[s].slug for n in themes for s in [n, *chosen[n]]]

    def paragraph(self, text: str, section: str | None = None, context: LetterContext | None = None) -> Tagging:
        """A paragraph's topics, from its text, its section heading and its letter's context."""
        own = self._settle(*self._weigh((section, text)))  # ambiguous terms need plain ones here
        if not own:
            return Tagging([], {})
        return Tagging(self.choose(self.totals(own, context.for_paragraph if context else None), MAX_TOPICS), own)

    def letter(self, paragraph_scores: list[dict[int, float]], context: LetterContext | None = None) -> list[str]:
        """A letter's topics: its paragraphs' scores (each paragraph's share capped), plus its
        title's evidence and its ministries at full weight."""
        totals: dict[int, float] = defaultdict(float)
        for scores in paragraph_scores:
            for n, score in scores.items():
                totals[n] += min(score, PARAGRAPH_AT_MOST)
        if context:
            for n, score in context.scores.items():
                totals[n] += score
            for n, score in context.ministries.items():
                if totals.get(n):
                    totals[n] += score
        return self.choose(totals, LETTER_MAX_TOPICS, LETTER_THRESHOLD)
