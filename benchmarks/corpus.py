"""Letters for the benchmarks, made from the scale data set (../shared/scale/).

The data set holds 6,059 real Dutch documents (Belgian federal parliament, written questions and
answers, 2020) as raw text: sentences glued without a space ("georganiseerd.Het"), no paragraph
breaks, no dates. Each document becomes a letter file as `brieven index` expects one:

    Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

    Den Haag, 8 juni 2022

    <the text, wrapped into lines of at most 80 characters, a blank line every 2-5 sentences>

The blank lines are ours (the raw text has no paragraphs); the dates are ours too, spread
uniformly over 2015-2024. To reach a number of paragraphs, the documents are used in order, and
past the 6,059 documents (about 20,000 paragraphs) each further pass writes every document again
as a *variant*, with a distinct id (`r02-<doc>`, ...) and another date: about a third of its
sentences swapped for sentences of another document, and about one word in eight of five
letters or more replaced by a word drawn from the whole data set by its frequency. A plain copy
would flatter every cache and make each hit list a stack of identical paragraphs; the variants
keep the vocabulary and its word frequencies, so the hit counts of the query mix grow with the
archive as in real letters, while nearly every paragraph is text no other letter has (the run
reports how many are distinct). The number of paragraphs of each document is what the normal
reader (`indexer.reading.parse_letter`) makes of it (a variant has the original's sentence
count and paragraph breaks), so the target is met as the indexer counts; the index reports the
final count.

A generated corpus is cached in benchmarks/data/corpus-<paragraphs>/ (git-ignored), keyed on the
target size, the generator version and the source file; `manifest.json` is written last, so a
half-written corpus is regenerated.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import textwrap
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SCALE_DATA = ROOT.parent / "shared" / "scale" / "be_parliament_2020.jsonl"
DATA_DIR = Path(__file__).resolve().parent / "data"
GENERATOR_VERSION = 2
LINE_WIDTH = 80
SENTENCES_PER_PARAGRAPH = (2, 5)  # a blank line after every 2 to 5 sentences (random, seeded)
SWAPPED_SENTENCES = 1 / 3  # a variant's sentences taken from another document
REPLACED_WORDS = 1 / 8  # a variant's words of REPLACEABLE_LENGTH letters or more drawn anew
REPLACEABLE_LENGTH = 5
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2024, 12, 31)
NEW_LETTER_PREFIX = "bench-new-"  # letters the add-letter benchmark puts into a corpus

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]

# A sentence ends at . ! or ? after a lowercase letter, a digit or a closing bracket/quote, and
# the next one starts with a capital, with or without a space between ("georganiseerd.Het").
# Initials ("W.B. Hoekstra") do not end a sentence: a capital precedes their period.
SENTENCE_BREAK = re.compile(r"(?<=[a-zà-ÿ0-9)\"'”’][.!?])(?P<space>\s*)(?=[A-ZÀ-Þ])")


@dataclass
class Document:
    doc_id: str  # the last part of the data.dekamer.be URI, e.g. "55-B034-2-0136-2020202107205"
    text: str


@dataclass
class Corpus:
    directory: Path
    target_paragraphs: int
    paragraphs: int  # as the reader counts them
    letters: int
    documents_used: int  # distinct documents of the data set
    documents_available: int
    repeats_min: int  # how many times each document used was written (as distinct letters)
    repeats_max: int
    words: int  # whitespace-separated words in the letters' bodies
    distinct_paragraphs: int  # paragraphs whose text no other paragraph of the corpus has
    generated_seconds: float | None  # None when the cached corpus was used
    cached: bool

    def describe(self) -> dict:
        return {
            "directory": str(self.directory),
            "source": str(SCALE_DATA),
            "target_paragraphs": self.target_paragraphs,
            "paragraphs": self.paragraphs,
            "letters": self.letters,
            "words": self.words,
            "documents_used": self.documents_used,
            "documents_available": self.documents_available,
            "repeats_per_document": (
                str(self.repeats_min) if self.repeats_min == self.repeats_max
                else f"{self.repeats_min}-{self.repeats_max}"
            ),
            "distinct_paragraphs": self.distinct_paragraphs,
            "cached": self.cached,
            "generated_seconds": self.generated_seconds,
            "how": (
                "each document of the scale data set written as a letter file: address, a date line "
                "'Den Haag, <d> <maand> <yyyy>' (dates ours, uniform over 2015-2024), the raw text "
                f"wrapped into lines of at most {LINE_WIDTH} characters, and a blank line after every "
                f"{SENTENCES_PER_PARAGRAPH[0]}-{SENTENCES_PER_PARAGRAPH[1]} sentences (ours: the raw "
                "text has no paragraph breaks; its glued sentences 'georganiseerd.Het' are kept); "
                "past the data set's documents, each written again per pass as a variant (distinct id "
                f"and date; {SWAPPED_SENTENCES:.0%} of its sentences from another document, "
                f"{REPLACED_WORDS:.0%} of its words of {REPLACEABLE_LENGTH}+ letters drawn anew by "
                "their frequency in the data set) to reach the target"
            ),
        }


def load_documents(path: Path = SCALE_DATA) -> list[Document]:
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                docs.append(Document(record["doc_id"].rstrip("/").rsplit("/", 1)[-1], record["text"]))
    return docs


def split_sentences(text: str) -> list[tuple[str, str]]:
    """(separator before it, sentence) pairs; the separator is "" where sentences were glued."""
    text = " ".join(text.split())
    out, start, sep = [], 0, ""
    for m in SENTENCE_BREAK.finditer(text):
        out.append((sep, text[start:m.start()]))
        sep, start = m["space"], m.end()
    if text[start:]:
        out.append((sep, text[start:]))
    return out


def paragraphs_of(doc: Document, sentences: list[tuple[str, str]] | None = None) -> list[str]:
    """The document's text in paragraphs of 2-5 sentences (seeded by the document id); with
    `sentences`, those (a variant's) grouped the same way."""
    rng = random.Random(f"paragraphs:{doc.doc_id}")
    paragraphs, current, wanted = [], "", rng.randint(*SENTENCES_PER_PARAGRAPH)
    count = 0
    for sep, sentence in sentences if sentences is not None else split_sentences(doc.text):
        current = f"{current}{sep}{sentence}" if current else sentence
        count += 1
        if count >= wanted:
            paragraphs.append(current)
            current, count, wanted = "", 0, rng.randint(*SENTENCES_PER_PARAGRAPH)
    if current:
        paragraphs.append(current)
    return paragraphs


class Variants:
    """Distinct text from the data set's own sentences and words (see the module's docstring)."""

    # a whole lowercase word (not the tail of a capitalised one, nor part of a hyphenated one)
    REPLACEABLE = re.compile(rf"(?<![\w-])[a-zà-ÿ]{{{REPLACEABLE_LENGTH},}}(?![\w-])")

    def __init__(self, docs: list[Document]):
        self.docs = docs
        self.sentences = [split_sentences(d.text) for d in docs]
        # every replaceable word as often as the data set has it: a draw follows its frequency
        self.words = [w for d in docs for w in self.REPLACEABLE.findall(d.text)]

    def sentences_of(self, index: int, repeat: int) -> list[tuple[str, str]]:
        """Document `index`'s sentences in the variant of pass `repeat` (>= 2), seeded by both."""
        rng = random.Random(f"variant:{self.docs[index].doc_id}:{repeat}")
        partner = self.sentences[rng.randrange(len(self.docs))] or self.sentences[index]
        out = []
        for sep, sentence in self.sentences[index]:
            if rng.random() < SWAPPED_SENTENCES:
                sentence = partner[rng.randrange(len(partner))][1]
            out.append((sep, self.REPLACEABLE.sub(lambda m: self._word(rng, m[0]), sentence)))
        return out

    def _word(self, rng: random.Random, word: str) -> str:
        return self.words[rng.randrange(len(self.words))] if rng.random() < REPLACED_WORDS else word


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def letter_date(doc_id: str, repeat: int) -> date:
    rng = random.Random(f"date:{doc_id}:{repeat}")
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def letter_text(paragraphs: list[str], day: date) -> str:
    lines = ["Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", "",
             f"Den Haag, {dutch_date(day)}", ""]
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, width=LINE_WIDTH, break_long_words=False,
                                   break_on_hyphens=False))
        lines.append("")
    return "\n".join(lines)


def file_name(doc_id: str, repeat: int) -> str:
    return f"r{repeat:02d}-{doc_id}.txt"


def count_paragraphs(doc: Document) -> int:
    """How many paragraphs the normal reader makes of the document's letter."""
    from indexer.reading import parse_letter

    letter = parse_letter(letter_text(paragraphs_of(doc), FIRST_DAY), doc.doc_id)
    return len(letter.paragraphs)


def _source_key(path: Path) -> str:
    """The source's name and content digest: a copy of the same data (a new checkout, a
    restored file with a new modification time) keeps the cached corpora valid."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return f"{path.name}:sha256:{digest}"


def corpus_dir_for(target: int, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / f"corpus-{target}"


def remove_new_letters(directory: Path) -> None:
    """Letters a benchmark added to a cached corpus (left behind if it was interrupted)."""
    for path in directory.glob(f"{NEW_LETTER_PREFIX}*"):
        path.unlink()


def build_corpus(
    target: int,
    data_dir: Path = DATA_DIR,
    source: Path = SCALE_DATA,
    log: Callable[[str], None] = lambda message: None,
) -> Corpus:
    """The cached corpus of about `target` paragraphs, generated when missing or stale."""
    directory = corpus_dir_for(target, data_dir)
    manifest_path = directory / "manifest.json"
    key = {"generator": GENERATOR_VERSION, "target": target, "source": _source_key(source)}
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text())
        except ValueError:
            manifest = {}
        if manifest.get("key") == key:
            remove_new_letters(directory)
            return Corpus(directory=directory, cached=True, generated_seconds=None,
                          **manifest["figures"])
    started = time.perf_counter()
    log(f"generating {directory} ({target} paragraphs) from {source}")
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    docs = load_documents(source)
    counts: dict[str, int] = {}
    repeats: dict[str, int] = {}
    total = letters = words = 0
    repeat = 0
    variants: Variants | None = None
    seen: set[int] = set()
    repeated: set[int] = set()
    while total < target:
        repeat += 1
        if repeat == 2:
            variants = Variants(docs)
        for index, doc in enumerate(docs):
            if total >= target:
                break
            if doc.doc_id not in counts:
                counts[doc.doc_id] = count_paragraphs(doc)
            paragraphs = paragraphs_of(doc, variants.sentences_of(index, repeat) if variants else None)
            for paragraph in paragraphs:
                digest = hash(paragraph)
                (repeated if digest in seen else seen).add(digest)
            text = letter_text(paragraphs, letter_date(doc.doc_id, repeat))
            (directory / file_name(doc.doc_id, repeat)).write_text(text, encoding="utf-8")
            total += counts[doc.doc_id]
            letters += 1
            words += sum(len(p.split()) for p in paragraphs)
            repeats[doc.doc_id] = repeat
        log(f"  pass {repeat}: {letters} letters, {total} paragraphs")
    figures = {
        "target_paragraphs": target,
        "paragraphs": total,
        "letters": letters,
        "documents_used": len(repeats),
        "documents_available": len(docs),
        "repeats_min": min(repeats.values()),
        "repeats_max": max(repeats.values()),
        "words": words,
        "distinct_paragraphs": len(seen - repeated),
    }
    manifest_path.write_text(json.dumps({"key": key, "figures": figures}, indent=1))
    return Corpus(directory=directory, cached=False,
                  generated_seconds=round(time.perf_counter() - started, 2), **figures)


def new_letter(directory: Path, word: str, day: date, doc: Document | None = None) -> Path:
    """A new letter for the add benchmarks: a real document, plus a paragraph with `word`, a
    made-up word no other letter has, so a search for it finds this letter only."""
    doc = doc or load_documents()[0]
    paragraphs = paragraphs_of(doc) + [
        f"Deze brief draagt voor de meting het kenmerk {word}, dat in geen andere brief staat."
    ]
    path = directory / f"{NEW_LETTER_PREFIX}{word}.txt"
    path.write_text(letter_text(paragraphs, day), encoding="utf-8")
    return path


def unique_word(rng: random.Random | None = None) -> str:
    """A made-up lowercase word (letters only, so the analyser keeps it as one term)."""
    rng = rng or random.Random()
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    return "kwib" + "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(4)) + "x"
