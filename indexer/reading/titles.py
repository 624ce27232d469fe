"""A letter's title when it has no subject line: the subject its first sentences offer.

"Hierbij bied ik u de geannoteerde agenda aan voor ..." gives "Geannoteerde agenda voor ...";
without such a sentence, the first sentence is the title. A title is kept whole (a page may
shorten it for display: `shorten`). Titles printed in capitals ("RIJKSBEGROTING VOOR HET
DIENSTJAAR 1971") get their capitals back from how the letter writes each word elsewhere.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice

from indexer.reading.model import Kind, Paragraph

TITLE_MAX = 120
# Abbreviations after which a period does not end a sentence ("nr. 106", "o.a. de VS", "d.d.").
ABBREVIATIONS = {
    "nr", "nrs", "o.a", "d.d", "art", "blz", "jl", "a.s", "w.o", "m.b.t", "i.v.m", "e.d", "e.a",
    "resp", "bijv", "ca", "dhr", "mevr", "prof", "dr", "mr", "ir", "drs", "t.a.v", "vs", "incl",
    "excl", "evt", "mln", "mld", "min", "z.g", "zgn", "t/m", "n.a.v",
}
# The sentence that hands the letter's subject over: "In de bijlage treft u ... aan",
# "Hierbij ontvangt u ...", "Hierbij biedt het kabinet ...", "Hierbij bieden wij u ...".
OFFER = re.compile(
    r"\b(?:treft u|ontvangt u|(?:biedt|zendt|stuurt) (?:het kabinet|de regering)|biedt hij"
    r"|(?:bied|zend|stuur|informeer) ik|(?:bieden|zenden|sturen|informeren) wij)\b"
)
# What stands between the verb and its object: "u", "hierbij", ", mede namens de Minister van
# Buitenlandse Zaken,", adverbs like "onderstaand", "bijgaand", "graag".
OFFER_FILLER = re.compile(
    r"^(?:,|u\b|hierbij\b|onderstaand\b|bijgaand\b|graag\b|ter informatie\b"
    r"|mede namens (?:de|het) \w+(?: (?:van|voor) [A-Z][\w-]*(?: (?:en )?[A-Z][\w-]*)*)?)\s*"
)
LEADING_ARTICLE = re.compile(r"^(?:de|het|een|zijn|haar|hun|mijn|ons|onze)\s+", re.IGNORECASE)
# The separable particle of "aanbieden"/"aantreffen": "... de agenda aan voor de NAVO ...".
PARTICLE = re.compile(r"\s+aan(?=\s+(?:van|voor|op|over|met|inzake|betreffende|ten)\b|\W*$)")


SENTENCE_BREAK = re.compile(r"[.!?][\"'”’»)]*\s+(?=[\"'“‘«(]?[A-Z\u00c0-\u00de])")


def _last_word(text: str, end: int) -> str:
    """text[:end].split()[-1] (or ""), without splitting all of text[:end] again."""
    while end and text[end - 1].isspace():
        end -= 1
    start = end
    while start and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def sentences(text: str) -> list[str]:
    """Split text into sentences, not at "nr. 106", "o.a.", "d.d." or initials ("W.B. Hoekstra")."""
    return list(_sentences(text))


def _sentences(text: str) -> Iterator[str]:
    """The sentences of `text`, one at a time (a title needs only the first few)."""
    start = 0
    for m in SENTENCE_BREAK.finditer(text):
        token = _last_word(text, m.start()).lstrip("(\"'“‘«")
        if token.lower() in ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]{1,2}\.)*[A-Za-z]", token):
            continue
        yield text[start:m.end()].strip()
        start = m.end()
    if text[start:].strip():
        yield text[start:].strip()


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """Cut at a word boundary near `limit` characters, marking the cut with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def offered_object(sentence: str) -> str | None:
    """The object of an offering sentence, as a title; None when the sentence offers nothing."""
    m = OFFER.search(sentence)
    if not m:
        return None
    rest = sentence[m.end():].strip()
    while (f := OFFER_FILLER.match(rest)) and f.end():
        rest = rest[f.end():]
    rest = LEADING_ARTICLE.sub("", rest, count=1)
    rest = PARTICLE.sub("", rest, count=1).strip().rstrip(".!?:; ")
    if len(rest.split()) < 2:
        return None
    return rest[0].upper() + rest[1:]


def derive_title(paragraphs: list[Paragraph]) -> str:
    """The subject offered in the letter's first sentences, else its first sentence."""
    body = [p.text for p in paragraphs if p.kind is Kind.BODY][:10]
    for text in body:
        for sentence in islice(_sentences(text), 4):
            if title := offered_object(sentence):
                return title
    return next(_sentences(body[0]), "").rstrip(".") if body else ""


CAPS_WORD = re.compile(r"[^\W\d_]+")
ROMAN = re.compile(r"^[IVXLC]+[A-Z]?$")
SMALL_WORDS = {"de", "het", "een", "van", "voor", "en", "of", "in", "op", "met", "tot", "der", "den", "te", "aan"}


def written_forms(texts: Iterable[str]) -> dict[str, str]:
    """lowercase word -> the form the texts write it in most (not in capitals): "navo" -> "NAVO"
    only if they write it so, "defensie" -> "Defensie", "juni" -> "juni"."""
    running = [text for text in texts if not _mostly_capitals(text)]  # not headers, not titles
    counts = Counter(w for text in running for w in CAPS_WORD.findall(text) if not (w.isupper() and len(w) > 1))
    best: dict[str, tuple[int, str]] = {}
    for word, n in counts.items():
        if n > best.get(word.lower(), (0, ""))[0]:
            best[word.lower()] = (n, word)
    acronyms = Counter(w for text in running for w in CAPS_WORD.findall(text) if w.isupper() and len(w) > 1)
    for word, n in acronyms.items():  # "NAVO": written in capitals in running text too
        if word.lower() not in best or n > best[word.lower()][0]:
            best[word.lower()] = (n, word)
    return {low: form for low, (_, form) in best.items()}


def _mostly_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def restore_case(text: str, forms: dict[str, str]) -> str:
    """A title in capitals as the letter writes its words ("GEANNOTEERDE AGENDA VAN DE
    NAVO-MINISTERS" -> "Geannoteerde agenda van de NAVO-ministers"); other text unchanged."""
    if not _mostly_capitals(text):
        return text

    def word(m: re.Match[str]) -> str:
        w = m.group()
        low = w.lower()
        if not w.isupper() or (ROMAN.match(w) and len(w) > 1 and low not in forms and low not in SMALL_WORDS):
            return w  # mixed case as written; a chapter's number ("XII", "IXA")
        form = forms.get(low)
        if form is None or (low in SMALL_WORDS and form != low):
            form = low
        return form

    out = CAPS_WORD.sub(word, text)
    return out[:1].upper() + out[1:]

