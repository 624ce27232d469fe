"""Search as you type: completions of what is being typed, from the index's own vocabulary.

Words the letters use (the `words` field: one count per letter), shown as the letters write
them (IndexState.written); and phrases people search: topic names, dossier titles (chosen, they
put the dossier's filter in the box), abbreviations the letters define (with their long form),
and the multi-word synonyms that occur in the letters. Each has a weight: the number of letters
that have it.

Everything is put, once per index state, in one list sorted by a folded key (spelling_key), so
that a keystroke costs two binary searches and a partial sort of the range they bound, never a
pass over the vocabulary.
"""
from __future__ import annotations

import bisect
import enum
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from indexer.analysis import Taxonomy, analyze, spelling_key
from indexer.errors import BrievenError
from indexer.searching.engine import Evaluation
from indexer.searching.index_state import IndexState
from indexer.store import Snapshot

COMPLETIONS = 8  # offered at most per keystroke
MIN_TYPED = 2  # characters of the word being typed before anything is offered
PHRASE_WORDS = 4  # a phrase is looked for in at most the last this many words typed
_END = "\U0010ffff"  # sorts after every key that has a given prefix
OPENERS = '+-"('  # what may stand before a word in a query: kept as typed


class CompletionKind(str, enum.Enum):
    """Where a completion comes from (the search box shows it beside the completion)."""

    WORD = "word"
    TOPIC = "topic"
    DOSSIER = "dossier"
    ABBREVIATION = "abbreviation"
    SYNONYM = "synonym"


# When two sources offer the same key, the first of these decides how it is written and shown.
PRECEDENCE = [CompletionKind.TOPIC, CompletionKind.DOSSIER, CompletionKind.ABBREVIATION, CompletionKind.SYNONYM, CompletionKind.WORD]


@dataclass(frozen=True)
class Completion:
    value: str  # the query with the completion in place: what the search box gets
    text: str  # the completed word or phrase, as the letters write it
    kind: CompletionKind
    letters: int  # letters that have it
    detail: str | None = None  # an abbreviation's long form

    def to_dict(self) -> dict:
        return {"value": self.value, "text": self.text, "kind": self.kind.value,
                "letters": self.letters, "detail": self.detail}


@dataclass
class _Entry:
    text: str
    kind: CompletionKind
    letters: int
    detail: str | None = None
    query: str | None = None  # what goes into the search box, when it is not the text itself


class Completions:
    """The completions of one index state."""

    def __init__(self, entries: dict[str, _Entry]):
        self.keys = sorted(entries)
        self.entries = [entries[k] for k in self.keys]
        self.weights = np.array([e.letters for e in self.entries], np.int64)
        # multi-word keys apart: a phrase is looked for from an earlier word than the last
        self.phrase_keys = [k for k in self.keys if " " in k]
        self.phrase_entries = [entries[k] for k in self.phrase_keys]
        self.phrase_weights = np.array([e.letters for e in self.phrase_entries], np.int64)

    @classmethod
    def build(cls, snapshot: Snapshot, state: IndexState, taxonomy: Taxonomy,
              synonyms) -> "Completions":
        gathered = Gathering()
        offer = gathered.offer
        for word, letters in snapshot.frequencies_starting("words", "").items():
            if not word.isdigit():
                offer(state.written_form(snapshot, word, letters), CompletionKind.WORD, letters)
        letter_of = state.letters(snapshot)
        for topic in taxonomy.topics:
            docs = state.by_topic.get(topic.slug)
            if docs is not None and len(docs):
                offer(topic.name, CompletionKind.TOPIC, len(np.unique(letter_of[docs])))
        for dossier, title in state.dossier_titles(snapshot).items():
            if title:
                docs = state.by_term["dossier"][dossier]
                offer(title, CompletionKind.DOSSIER, len(np.unique(letter_of[docs])),
                      dossier, f"dossier:{dossier}")
        for abbreviation, long_form in state.abbreviations:
            letters = max(1, snapshot.doc_frequency("words", spelling_key(abbreviation)))
            offer(abbreviation, CompletionKind.ABBREVIATION, letters, long_form)
            offer(long_form, CompletionKind.ABBREVIATION, letters, abbreviation)
        evaluation = Evaluation(snapshot)
        for group in synonyms:
            for member in group:
                terms = analyze(member, mode="query")
                if len(member.split()) > 1 and len(terms) > 1:  # a phrase, found as one
                    mask = evaluation.matches(wq.Phrase("text", terms))
                    offer(member, CompletionKind.SYNONYM, len(np.unique(letter_of[mask])))
                elif len(terms) == 1:
                    gathered.write_as(member)
        return cls(gathered.entries)

    def complete(self, typed: str, limit: int = COMPLETIONS) -> list[Completion]:
        """Completions of the word being typed (the last one), and of phrases begun in the last
        few words: the phrases that take in most of what was typed first, then most letters
        first; each with the whole query as it would read."""
        words = list(re.finditer(r"\S+", typed))
        if not words or typed[-1].isspace():
            return []
        last = words[-1].group()
        if ":" in last or len(spelling_key(last.lstrip(OPENERS))) < MIN_TYPED:
            return []
        found: dict[str, tuple[int, Completion]] = {}  # value -> (first word it takes in, completion)
        for n in range(max(0, len(words) - PHRASE_WORDS), len(words)):
            begin = words[n].start() + len(words[n].group()) - len(words[n].group().lstrip(OPENERS))
            key = spelling_key(typed[begin:])
            single = n == len(words) - 1
            if not key or (not single and " " not in key):
                continue
            keys, entries, weights = ((self.keys, self.entries, self.weights) if single else
                                      (self.phrase_keys, self.phrase_entries, self.phrase_weights))
            for entry in _best(keys, entries, weights, key, limit):
                value = typed[:begin] + (entry.query or entry.text)
                if value not in found:  # a phrase that takes in more of what was typed comes first
                    found[value] = (n, Completion(value, entry.text, entry.kind, entry.letters, entry.detail))
        ranked = sorted(found.values(), key=lambda f: (f[0], -f[1].letters, len(f[1].text), f[1].text))
        return [completion for _, completion in ranked[:limit]]


class Gathering:
    """The entries of the completions as their sources offer them, one per folded key; when two
    sources offer a key, PRECEDENCE decides how it is written and shown."""

    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}

    def offer(self, text: str, kind: CompletionKind, letters: int, detail: str | None = None,
              query: str | None = None) -> None:
        key = spelling_key(text)
        if len(key) < MIN_TYPED or letters <= 0:
            return
        old = self.entries.get(key)
        if old is None:
            self.entries[key] = _Entry(text, kind, letters, detail, query)
        elif PRECEDENCE.index(kind) < PRECEDENCE.index(old.kind):
            self.entries[key] = _Entry(text, kind, max(letters, old.letters), detail or old.detail, query)
        else:
            old.letters = max(letters, old.letters)

    def write_as(self, member: str) -> None:
        """A one-word synonym shows a word as the synonyms write it (the word navo, "NAVO")."""
        entry = self.entries.get(spelling_key(member))
        if entry is not None and entry.kind is CompletionKind.WORD:
            entry.text = member


# What a service gives LatestCompletions: in a context (an open snapshot), the index state's key
# and how to build that state's completions.
CompletionSource = Callable[[], AbstractContextManager[tuple[object, Callable[[], Completions]]]]


class LatestCompletions:
    """The completions of the latest index state, for either backend: built on first use (one
    build, however many ask at once); after a change of the index, built again in the
    background while those of the state before answer (a new letter's words come a little
    later)."""

    def __init__(self, source: CompletionSource):
        self._source = source
        self._built: tuple[object, Completions] | None = None  # (index state key, completions)
        self._lock = threading.Lock()

    @property
    def current(self) -> Completions | None:
        return self._built[1] if self._built else None

    def complete(self, typed: str, limit: int = COMPLETIONS) -> list[Completion]:
        with self._source() as (key, build):
            built = self._built
            if built is None:
                with self._lock:
                    if self._built is None:
                        self._built = (key, build())
                built = self._built
            elif built[0] != key and not self._lock.locked():
                threading.Thread(target=self._refresh, daemon=True, name="brieven-completions").start()
        return built[1].complete(typed, limit)

    def _refresh(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # another thread is at it
        try:
            with self._source() as (key, build):
                if self._built is None or self._built[0] != key:
                    self._built = (key, build())
        except BrievenError:
            pass  # the index went away meanwhile: the next keystroke tries again
        finally:
            self._lock.release()


def _best(keys: list[str], entries: list[_Entry], weights: np.ndarray, prefix: str,
          limit: int) -> list[_Entry]:
    """The `limit` heaviest entries whose key starts with `prefix`."""
    lo = bisect.bisect_left(keys, prefix)
    hi = bisect.bisect_left(keys, prefix + _END, lo)
    if hi - lo > limit:
        chosen = lo + np.argpartition(-weights[lo:hi], limit - 1)[:limit]
    else:
        chosen = range(lo, hi)
    return [entries[i] for i in chosen]
