"""Repair words that typesetting split at a line end, keeping the hyphens that belong to the word.

"omstandig-|heden" must become "omstandigheden", but "NAVO-|verdragsgebied", "niet-|statelijke"
and "defensie-|uitgaven" keep their hyphen, and "NAVO-| en EU-lidstaten" keeps hyphen and space.
No single rule decides all of these, so we weigh evidence in this order:

1. Dutch spelling rules that require the hyphen (capital, acronym, digit, prefix, vowel clash,
   the weglatingsstreepje before "en"/"of");
2. the letter itself (or the caller's vocabulary) writing the word elsewhere, joined or hyphenated;
3. the Dutch word list: the joined form is a word -> join; both parts are common words and the
   joined form is not -> a hyphenated compound ("politiek-militair");
4. otherwise join: most line-end hyphens are typesetting.

OCR of old prints flattens lines, leaving the line-end hyphen inside a line: "huisves-tingsbeleid",
"onder-zoeken". `repair_inline` weighs those with the same evidence, in a letter whose lines were
flattened (a print read into one line per paragraph, or a word split into two non-words); in
any other letter an in-line hyphen is the writer's and stays.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from indexer.analysis import is_common_word, is_word

# A word as the letters write it: letters (accents included), digits, inner hyphens, apostrophes.
WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*(?:-[^\W_]+(?:[’'][^\W_]+)*)*")
# The weglatingsstreepje: "NAVO- en EU-lidstaten", "informatie- of analysedeling".
SUSPENDED_BEFORE = {"en", "of", "tot", "noch", "en/of"}
# Prefixes that Dutch writes with a hyphen before a word: niet-statelijke, non-proliferatie, ex-minister.
HYPHEN_PREFIXES = {"niet", "non", "ex"}
# Klinkerbotsing: vowels that, written together, would be read as one sound ("zee-egel",
# "defensie-uitgaven", "de-escalatie"); the spelling rules put a hyphen between the parts.
VOWEL_CLASHES = {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "oe", "oi", "oo", "ou", "ui", "uu", "ij"}
# An acronym: two or more capitals, maybe a lowercase plural/genitive letter (NAVO, EU, PSC, EDTs).
ACRONYM = re.compile(r"^[A-Z]{2,}[a-z]?$")
VOWELS = "aeiou"


@dataclass(frozen=True)
class HyphenDecision:
    """One line-end hyphen and what we made of it, with the reason (for review and tests)."""

    left: str  # the text before the hyphen: "omstandig", "EU/NAVO"
    right: str  # the word that starts the next line: "heden", "samenwerking"
    result: str  # "omstandigheden", "EU/NAVO-samenwerking", "NAVO- en"
    joined: bool
    reason: str


def words(text: str) -> Iterable[str]:
    """The words of a text, hyphenated compounds kept whole ("defensie-uitgaven")."""
    return WORD.findall(text)


BROKEN_END = re.compile(r"\w-$")
# A word with one hyphen inside a line, lowercase after it: "huisves-tingsbeleid", "werk-en".
INLINE = re.compile(r"(?<![\w-])([^\W\d_]{2,})-([a-zà-ÿ][^\W\d_]*)(?![\w-])")
# Words split into two parts that are no words ("huisves-tingsbeleid") show that a letter's
# lines were flattened: one whose joined form is a word, or this many.
FRAGMENTS_SHOWN = 2


def letter_vocabulary(lines: Iterable[str]) -> Counter[str]:
    """Lowercase word counts of a letter, leaving out the fragments around line-end hyphens."""
    lines = list(lines)
    for i, line in enumerate(lines):
        if line.rstrip().endswith("-"):
            tokens = line.split()
            if tokens and BROKEN_END.search(tokens[-1]):
                lines[i] = " ".join(tokens[:-1])  # "omstandig-" is half a word
    # one search finds the words of all lines: a word never spans a line or a space
    return Counter(map(str.lower, WORD.findall("\n".join(lines))))


class Dehyphenator:
    """Decides line-end hyphens for one letter, remembering its decisions."""

    def __init__(self, own_words: Counter[str] | Callable[[], Counter[str]],
                 vocabulary: Collection[str] | None = None):
        # the letter's own word counts, or how to count them: most letters never ask (no
        # hyphen to decide), and counting a letter's words took 2% of a build
        self._own_words = own_words
        self.vocabulary = vocabulary or ()
        self.decisions: list[HyphenDecision] = []

    @property
    def own_words(self) -> Counter[str]:
        if not isinstance(self._own_words, Counter):
            self._own_words = self._own_words()
        return self._own_words

    def _seen(self, word: str) -> bool:
        w = word.lower()
        return self.own_words[w] > 0 or w in self.vocabulary or word in self.vocabulary

    def repair_inline(self, texts: list[str], flattened: bool = False) -> list[str]:
        """The texts with line breaks that OCR flattened into a line repaired, decided as
        line-end hyphens are (see the module).

        Only a letter whose lines were flattened is touched: `flattened` (the caller knows it is
        a print whose lines are paragraphs), or words in it split into two parts that are no
        words ("huisves-tingsbeleid", see FRAGMENTS_SHOWN). In a letter whose lines were never
        flattened, an in-line hyphen is the writer's: "oost-flank" stays (even beside
        "oostflank"), as do "burn-out" and "proces-verbaal".
        """
        if not any("-" in text for text in texts):
            return texts
        found = [(i, m) for i, text in enumerate(texts) if "-" in text for m in INLINE.finditer(text)]
        fragments = [m for _, m in found if not is_word(m[1].lower()) and not is_word(m[2])]
        if not flattened and not (len(fragments) >= FRAGMENTS_SHOWN
                                  or any(is_word((m[1] + m[2]).lower()) for m in fragments)):
            return texts
        out = list(texts)
        for i, m in reversed(found):
            left, word = m[1], m[2]
            written = f"{left}-{word}".lower()
            self.own_words[written] -= 1  # this occurrence is the one being decided, not evidence
            keep, reason = self._decide(left, word, texts[i][m.end():])
            self.own_words[written] += 1
            if keep is True:
                continue  # the hyphen stays: nothing to review
            glue = "- " if keep == "space" else ""
            self.decisions.append(HyphenDecision(left, word, left + glue + word, not keep, f"in a line: {reason}"))
            out[i] = out[i][:m.start()] + left + glue + word + out[i][m.end():]
        return out

    def join(self, left: str, right: str) -> str:
        """Join a line ending in "left-" (hyphen already removed) to the next line "right"."""
        word_match = WORD.match(right)
        if not word_match:  # "- " as punctuation, or a number/bracket: not a word break
            return f"{left}- {right}"
        word = word_match.group()
        keep, reason = self._decide(left, word, right[word_match.end():])
        glue = {"space": "- ", True: "-", False: ""}[keep]
        head = re.split(r"[\s(‘“«]", left)[-1]
        self.decisions.append(HyphenDecision(head, word, head + glue + word, not keep, reason))
        return left + glue + right

    def _decide(self, left: str, word: str, after: str) -> tuple[bool | str, str]:
        """(keep the hyphen?, why). keep is "space" for a weglatingsstreepje."""
        head = re.split(r"[\s/(‘“«'\"]", left)[-1]  # "EU/NAVO" -> "NAVO"
        head_part = head.split("-")[-1]  # "NAVO-verdragsge" -> "verdragsge"
        word_part = word.split("-")[0]
        joined, hyphenated = head + word, f"{head}-{word}"
        if word.lower() in SUSPENDED_BEFORE and (not after or after[0] in " ,"):
            return "space", f"weglatingsstreepje before '{word}'"
        if head_part.isupper() and word_part.isupper():  # an all-capitals heading
            if is_word(joined.lower()):
                return False, "capitals: the joined form is a word"
            return True, "capitals: the joined form is not a word"
        if word_part[:1].isupper():
            return True, "second part starts with a capital"
        if ACRONYM.match(head_part) or any(c.isdigit() for c in head_part):
            return True, "first part is an acronym or holds a digit"
        if head_part.lower() in HYPHEN_PREFIXES and is_word(word_part):
            return True, f"prefix '{head_part}-'"
        if (
            head_part[-1:].lower() in VOWELS
            and (head_part[-1] + word_part[:1]).lower() in VOWEL_CLASHES
            and is_word(head_part)
            and is_word(word_part)
        ):
            return True, "klinkerbotsing"
        if self._seen(hyphenated) and not self._seen(joined):
            return True, "the letter writes it with a hyphen elsewhere"
        if self._seen(joined):
            return False, "the letter writes it joined elsewhere"
        if is_word(joined) or is_word(head_part + word):
            return False, "the joined form is a Dutch word"
        if len(head_part) > 2 and len(word_part) > 2 and is_common_word(head_part) \
                and is_common_word(word_part):
            return True, "both parts are words and the joined form is not"
        return False, "default: a typesetting hyphen"
