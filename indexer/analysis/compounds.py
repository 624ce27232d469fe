"""Splitting closed Dutch compounds: "veiligheidssituatie" -> veiligheid + situatie.

A split is accepted only with evidence: every part is a common Dutch word (wordfreq's list), the
parts may be joined by a linking -s-, -e- or -en-, and the compound itself is rarer than its
parts (a word that is more frequent than its parts, like "samenwerking", has a meaning of its own
and stays whole). Prefixes, suffixes and known exceptions come from indexer/data/compounds.toml.
"""
from __future__ import annotations

import functools
import tomllib
from importlib import resources

from indexer.analysis.lexicon import zipf

MIN_LENGTH = 8  # shorter words are not split
MIN_PART = 3  # letters in a first part
MIN_HEAD = 4  # letters in the last part
MIN_PART_ZIPF = 2.5  # about once in three million words: a word in its own right
LINKS = ("", "s", "e", "en")  # tussenklanken: veiligheid-s-situatie, pannen-koek (en)


@functools.cache
def _rules() -> dict[str, frozenset[str]]:
    raw = resources.files("indexer").joinpath("data", "compounds.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    return {key: frozenset(data.get(key, [])) for key in ("keep_whole", "not_a_head", "not_a_modifier")}


@functools.lru_cache(maxsize=100_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a folded, lowercase compound, or () when it is not one (or not sure)."""
    if len(word) < MIN_LENGTH or not word.isalpha() or word in _rules()["keep_whole"]:
        return ()
    best = _best_split(word, depth=0)
    if best is None:
        return ()
    parts, score = best
    return parts if zipf(word) < score else ()


def _best_split(word: str, depth: int) -> tuple[tuple[str, ...], float] | None:
    """The split of `word` into common words: two parts if possible (three only when no two
    will do), and among those the one whose rarest part is most frequent."""
    rules = _rules()
    best: tuple[tuple[str, ...], float] | None = None
    best_key: tuple = ()
    for i in range(MIN_PART if depth == 0 else MIN_HEAD, len(word) - MIN_HEAD + 1):
        modifier = word[:i]
        if modifier in rules["not_a_modifier"] or zipf(modifier) < MIN_PART_ZIPF:
            continue
        rest = word[i:]
        for link in LINKS:
            if not rest.startswith(link):
                continue
            head = rest[len(link):]
            if len(head) < MIN_HEAD:
                continue
            candidates = []
            if head not in rules["not_a_head"] and zipf(head) >= MIN_PART_ZIPF:
                candidates.append(((head,), zipf(head)))
            if depth == 0 and len(head) >= MIN_LENGTH:
                deeper = _best_split(head, depth=1)
                if deeper:
                    candidates.append(deeper)
            for parts, score in candidates:
                score = min(score, zipf(modifier))
                # fewest parts, then the most frequent rarest part, then the longest first part
                # ("pers-agentschappen" rather than "per-s-agentschappen")
                key = (-len(parts), score, len(modifier))
                if best is None or key > best_key:
                    best, best_key = ((modifier,) + parts, score), key
    return best
