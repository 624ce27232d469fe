"""The work one search may do: a deadline, and caps on what prefixes and fuzzy words expand to.

A query of a thousand characters can ask for a great deal: 330 prefixes (`a* b* c* ...`) took
2.4 s at 100,000 paragraphs, 200 fuzzy words 3.8 s, and every request holds one of the server's
threads meanwhile. So each search gets a Budget: words with * or ~ expand into a bounded number
of indexed words, per word and per query, and the search stops at its deadline. Nothing here
changes the ranking of an ordinary query: the caps are far above what one asks, and a search
that stops says so (the service's result is then marked incomplete, with a notice), it is never
silently cut.

The deadline counts the CPU time of the thread doing the search, not the time on the wall: it
bounds the work a request does. On a machine busy with other work (20 clients while the index
was rebuilt, beside other processes) a search of a common word waited more than 2 s for the
processor, and a wall-clock deadline turned such ordinary searches into errors (2 of 4,297).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

SEARCH_SECONDS = 2.0  # a search that has used this much CPU time stops and says so
# Words searched per query (a phrase counts its words), as Google also caps them: each word is
# a few arrays over all paragraphs, and 160 common words took 0.9 s and 300 MB at 100,000
# paragraphs; no question needs more. Further words are left out, with a notice.
MAX_QUERY_WORDS = 32
MAX_PATTERNS = 8  # words with * or ~ searched per query; more are left out, with a notice
MAX_PATTERN_TERMS = 64  # indexed words one of them expands to at most: the most common ones
MAX_QUERY_TERMS = 256  # indexed words all of them together expand to at most
# A shorter prefix or fuzzy word matches a large part of the vocabulary, and reading that part
# is the costly step (a one-letter prefix reads about a tenth of it); it tells nothing either.
MIN_PREFIX_CHARS = 2
MIN_FUZZY_CHARS = 3
CHECK_EVERY = 1024  # paragraphs between two looks at the clock in a long loop
# The thread's CPU clock is a system call: 2 µs a look on a quiet machine, but 19-26 µs with
# both cores busy (as under many clients), and a search looks about 40 times (1 ms a query of
# the mix at 100,000 paragraphs, 6%). So it is read only when this much time has passed on the
# wall clock (read in user space) since the last look: the thread cannot have used more CPU than
# that meanwhile, so the deadline is overrun by at most this much.
LOOK_EVERY = 0.002  # seconds


@dataclass(frozen=True)
class Limits:
    """The caps above, for telling users (the help page)."""

    words: int = MAX_QUERY_WORDS
    patterns: int = MAX_PATTERNS
    pattern_terms: int = MAX_PATTERN_TERMS
    query_terms: int = MAX_QUERY_TERMS
    prefix_chars: int = MIN_PREFIX_CHARS
    fuzzy_chars: int = MIN_FUZZY_CHARS
    seconds: float = SEARCH_SECONDS


class DeadlinePassed(Exception):
    """Raised inside a search when its deadline passes; the service answers with what it has."""


@dataclass
class Budget:
    seconds: float = SEARCH_SECONDS
    deadline: float = field(init=False)
    words_left: int = MAX_QUERY_WORDS
    patterns_left: int = MAX_PATTERNS
    terms_left: int = MAX_QUERY_TERMS
    words_left_out: list[str] = field(default_factory=list)  # items past MAX_QUERY_WORDS, as typed
    left_out: list[str] = field(default_factory=list)  # patterns not searched, as typed
    cut: list[str] = field(default_factory=list)  # patterns searched with fewer words than they have
    too_short: list[str] = field(default_factory=list)  # patterns too short to search

    _next_look: float = field(init=False, default=0.0)  # on the wall clock (LOOK_EVERY)

    def __post_init__(self) -> None:
        self.deadline = time.thread_time() + self.seconds

    def check(self) -> None:
        """Stop the search (DeadlinePassed) when its time is up."""
        if self.expires():
            raise DeadlinePassed

    def expires(self) -> bool:
        """Has the search used its CPU time? (Looked at no more often than LOOK_EVERY.)"""
        now = time.perf_counter()
        if now < self._next_look:
            return False
        self._next_look = now + LOOK_EVERY
        return time.thread_time() > self.deadline

    def remaining(self) -> float:
        """Seconds of CPU time left (0 when none)."""
        return max(0.0, self.deadline - time.thread_time())

    def take_words(self, typed: str, count: int) -> bool:
        """May one more item of the query (a word, or a phrase of `count` words) be searched?
        Counts it when it may."""
        if count > self.words_left:
            self.words_left_out.append(typed)
            self.words_left = 0  # the words keep their order: none after one left out
            return False
        self.words_left -= count
        return True

    def take_pattern(self, typed: str, chars: int, least: int) -> bool:
        """May one more word with * or ~ (`chars` long, at least `least`) be expanded? Counts it
        when it may."""
        if chars < least:
            self.too_short.append(typed)
            return False
        if self.patterns_left <= 0 or self.terms_left <= 0:
            self.left_out.append(typed)
            return False
        self.patterns_left -= 1
        return True

    def take_terms(self, typed: str, words: list[str]) -> list[str]:
        """The words (most common first) a pattern may expand to, within both caps."""
        allowed = min(MAX_PATTERN_TERMS, self.terms_left)
        if len(words) > allowed:
            self.cut.append(typed)
            words = words[:allowed]
        self.terms_left -= len(words)
        return words

    def notices(self) -> list[str]:
        """What the caps changed, in Dutch, for the result's notice."""
        out = []
        if self.words_left_out:
            out.append(f"Een zoekvraag zoekt hoogstens {MAX_QUERY_WORDS} woorden; niet gezocht: "
                       f"{_listed(self.words_left_out)}.")
        if self.too_short:
            out.append(
                f"Niet gezocht: {_listed(self.too_short)}. Een woord met * heeft minstens "
                f"{MIN_PREFIX_CHARS} letters nodig, een woord met ~ minstens {MIN_FUZZY_CHARS}.")
        if self.left_out:
            out.append(
                f"Een zoekvraag zoekt hoogstens {MAX_PATTERNS} woorden met * of ~ (samen "
                f"{MAX_QUERY_TERMS} woorden); niet gezocht: {_listed(self.left_out)}.")
        if self.cut:
            verb = "staat" if len(set(self.cut)) == 1 else "staan"
            out.append(
                f"{_listed(self.cut)} {verb} voor meer woorden dan er gezocht worden; alleen de "
                "meest voorkomende zijn gezocht. Typ meer letters voor een preciezere zoekvraag.")
        return out


def deadline_notice(seconds: float, so: str = "worden er geen resultaten getoond") -> str:
    """What a search that ran out of time tells its user; `so`: what that means here."""
    return (f"Deze zoekopdracht vraagt te veel werk en is na {seconds:g} seconden rekentijd afgebroken; "
            f"het resultaat is onvolledig, daarom {so}. Maak de zoekvraag eenvoudiger, bijvoorbeeld "
            "met minder woorden met * of ~, of met minder zinnen tussen aanhalingstekens.")


def _listed(words: list[str], at_most: int = 5) -> str:
    unique = list(dict.fromkeys(words))
    shown = ", ".join(f"‘{w}’" for w in unique[:at_most])
    return shown + (f" en {len(unique) - at_most} meer" if len(unique) > at_most else "")
