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
"onder-zoeken". `repair_inline` weighs those with the same evidence, except that an in-line hyphen
stays unless the evidence says it was a line break: the joined form is written elsewhere in the
letter, or it is a Dutch word and a part is a fragment ("huisves"); when both parts are words
("onder-zoeken", "video-verbinding") only in a letter that shows clear breaks of that kind.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
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
FRAGMENT = "in a line: the joined form is a Dutch word, a part is a fragment"


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


def _split_in_two_fragments(left: str, word: str) -> bool:
    """A word cut in two parts that are no words: "huisves-tingsbeleid", "mededin-gingsbeleid"."""
    return is_word((left + word).lower()) and not is_word(left.lower()) and not is_word(word)


class Dehyphenator:
    """Decides line-end hyphens for one letter, remembering its decisions."""

    def __init__(self, own_words: Counter[str], vocabulary: Collection[str] | None = None):
        self.own_words = own_words
        self.vocabulary = vocabulary or ()
        self.decisions: list[HyphenDecision] = []

    def _seen(self, word: str) -> bool:
        w = word.lower()
        return self.own_words[w] > 0 or w in self.vocabulary or word in self.vocabulary

    def repair_inline(self, texts: list[str], flattened: bool = False) -> list[str]:
        """The texts with line breaks that OCR flattened into a line repaired (see the module).

        Only a letter whose lines were flattened is touched: `flattened` (the caller knows it is
        a print whose lines are paragraphs), or a word in it split into two parts that are no
        words ("huisves-tingsbeleid"). In a letter whose lines were never flattened, an in-line
        hyphen is the writer's: "oost-flank" stays (even beside "oostflank"), as do "burn-out"
        and "proces-verbaal".
        """
        if not any("-" in text for text in texts):
            return texts
        found = [(i, m, *self._decide_inline(m[1], m[2], texts[i][m.end():m.end() + 1]))
                 for i, text in enumerate(texts) for m in INLINE.finditer(text)]
        if not flattened and not any(_split_in_two_fragments(m[1], m[2]) for _, m, *_ in found):
            return texts
        out = list(texts)
        for i, m, keep, reason in reversed(found):
            if keep is None:  # both parts are words: a break, in a letter that shows breaks
                keep, reason = False, "in a line, both parts words, in a letter with flattened lines"
            if keep is True:
                continue  # the hyphen stays: nothing to review
            glue = "- " if keep == "space" else ""
            self.decisions.append(HyphenDecision(m[1], m[2], m[1] + glue + m[2], not keep, reason))
            out[i] = out[i][:m.start()] + m[1] + glue + m[2] + out[i][m.end():]
        return out

    def _decide_inline(self, left: str, word: str, after: str) -> tuple[bool | str | None, str]:
        """(keep the hyphen?, why) for "left-word" inside a line; None: both parts are words."""
        joined = (left + word).lower()
        if word in SUSPENDED_BEFORE and after in ("", " ", ","):
            return "space", f"in a line: weglatingsstreepje before '{word}'"
        if ACRONYM.match(left) or left.lower() in HYPHEN_PREFIXES or (
                left[-1].lower() in VOWELS and (left[-1] + word[:1]).lower() in VOWEL_CLASHES
                and is_word(left.lower()) and is_word(word)):
            return True, "in a line: Dutch spelling writes the hyphen"
        if self.own_words[joined] > 0 or joined in self.vocabulary:
            return False, "in a line: the letter writes it joined elsewhere"
        if self.own_words[f"{left}-{word}".lower()] > 1:
            return True, "in a line: the letter writes it with a hyphen more than once"
        if not is_word(joined):
            return True, "in a line: the joined form is not a Dutch word"
        if self._fragment(left, word):
            return False, FRAGMENT
        return None, ""

    @staticmethod
    def _fragment(left: str, word: str) -> bool:
        """A word split into a fragment and the rest: the joined form is a word, a part is not
        a common word on its own ("huisves-tingsbeleid", not "video-verbinding")."""
        return is_word((left + word).lower()) and not (is_common_word(left.lower()) and is_common_word(word))

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
