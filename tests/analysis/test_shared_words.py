"""The analysis finds a paragraph's words once and derives the rest from them: the same words,
fingerprints and modifier counts as the plain definitions written out here."""
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from indexer.analysis import WORD_PATTERN, fingerprint, modifier_terms, modifiers, stopwords
from indexer.analysis.dutch import (
    LOWERCASE_IN_CONTEXT,
    MAX_WRITTEN_CHARS,
    drop_possessive,
    fold,
    joined,
    lowercase_words,
    normalize,
    words,
    written_forms,
)

ROOT = Path(__file__).resolve().parents[2]
WORDS = re.compile(WORD_PATTERN)
SEPARATORS = "-‐‑'’"


def reference_fingerprint(text: str) -> int:
    """SimHash as defined: bit b set when more than half of the distinct words' hashes have it."""
    words = set(WORDS.findall(text.lower())) - stopwords()
    if len(words) < 12:
        return 0
    hashes = [int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")
              for w in words]
    value = sum(1 << b for b in range(64) if 2 * sum((h >> b) & 1 for h in hashes) > len(hashes)) or 1
    return value - (1 << 64) if value >= 1 << 63 else value


def reference_modifiers(text: str) -> list[str]:
    out = []
    for word, times in Counter(re.findall(r"\w+(?:[-‐‑'’]\w+)+|\w{8,}", text.lower())).items():
        if times > 1:
            out.extend(modifier_terms(word) * (times - 1))
    return out


def paragraphs() -> list[str]:
    texts = []
    for path in sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT.parent / "shared" / "letters" / "sgd").glob("*.txt")):
        texts += [t for t in path.read_text(encoding="utf-8").split("\n\n") if t.strip()]
    return texts


def test_only_the_known_characters_lowercase_differently_in_a_text_than_in_a_word():
    word = re.compile(r"\w")
    odd = set()
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        lower = c.lower()
        if lower != c and (len(lower) != 1 or bool(word.match(c)) != bool(word.match(lower))
                           or (c in SEPARATORS) != (lower in SEPARATORS)):
            odd.add(c)
    odd.add("Σ")  # lowercased by what follows it: "ς" at the end of a word, else "σ"
    assert odd == set(LOWERCASE_IN_CONTEXT)


def test_the_letters_paragraphs_have_the_plain_definitions_fingerprints_and_modifiers():
    texts = paragraphs()
    assert len(texts) > 100
    assert sum(bool(fingerprint(t)) for t in texts) > 50
    for text in texts:
        assert fingerprint(text) == reference_fingerprint(text)
        assert modifiers(text) == reference_modifiers(text)


ALPHABET = st.sampled_from(list("abcdeklmnoprstuvAEKLMSUZ_7 -‐‑'’.,\nİΣσςëÏé") + ["Klimaatfonds", "klimaat",
                                                                               "defensie-uitgaven", "ΟΔΟΣ", "İstanbul"])


@given(st.lists(ALPHABET, min_size=0, max_size=120).map("".join))
def test_any_text_gives_the_words_fingerprint_and_modifiers_of_the_plain_definitions(text):
    assert list(lowercase_words(text)) == WORDS.findall(text.lower())
    assert modifiers(text) == reference_modifiers(text)
    assert fingerprint(text) == reference_fingerprint(text)
    padded = text + " " + " ".join(f"woord{n}" for n in range(12))  # enough words for a fingerprint
    assert fingerprint(padded) == reference_fingerprint(padded)


def test_a_paragraph_of_more_words_than_a_counter_lane_holds_gets_the_same_fingerprint():
    text = " ".join(f"w{n}" for n in range(33_000))
    assert fingerprint(text) == reference_fingerprint(text)


@given(st.lists(st.lists(ALPHABET, min_size=0, max_size=40).map("".join), min_size=1, max_size=5))
def test_a_joined_letter_has_the_words_a_search_of_its_text_finds(texts):
    text = joined(texts)
    assert text == "\n".join(texts)
    assert words(text) == tuple(WORDS.findall(text))
    assert written_forms(text) == reference_written_forms(text)


def reference_written_forms(text: str) -> list[str]:
    """written_forms as first written: every distinct word checked in Python."""
    forms = []
    for word in dict.fromkeys(WORDS.findall(text)):
        if word.isascii() and "-" not in word:
            continue
        written = drop_possessive(normalize(word))
        if (1 < len(written) <= MAX_WRITTEN_CHARS and written.replace("-", "").isalpha()
                and ("-" in written or fold(written) != written.lower())):
            forms.append(written)
    return list(dict.fromkeys(forms))


def test_the_letters_paragraphs_have_the_written_forms_of_the_plain_definition():
    texts = paragraphs()
    assert sum(bool(written_forms(t)) for t in texts) > 20
    for text in texts:
        assert written_forms(text) == reference_written_forms(text)
