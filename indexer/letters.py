"""Read a letter file into a Letter: metadata plus paragraphs, as a careful human would.

The letters are text extracted from PDFs: hyphenated line ends, page breaks (a line that starts
with a space, or a form feed), footnotes at the bottom of a page, an address block, signatures.
This module knows nothing of Whoosh; it only turns a file into plain data.
"""
from __future__ import annotations

import codecs
import enum
import hashlib
import json
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice
from pathlib import Path

from indexer import dates, layout
from indexer.abbreviations import find_abbreviations
from indexer.hyphenation import Dehyphenator, HyphenDecision, letter_vocabulary

LETTER_SUFFIXES = (".txt", ".pdf")
SIDECAR_SUFFIX = ".meta.json"


class LetterError(Exception):
    """A file that cannot be read as a letter; the message says why and what to do."""


class Kind(str, enum.Enum):
    BODY = "body"
    FOOTNOTE = "footnote"


@dataclass
class Signatory:
    role: str  # "De Minister van Defensie"
    name: str  # "K.H. Ollongren"


@dataclass
class Paragraph:
    number: int  # 1-based, in reading order; footnotes follow the body
    text: str  # clean text: lines joined, hyphenation repaired, footnote markers removed
    kind: Kind = Kind.BODY
    section: str | None = None  # the heading the paragraph stands under
    page: int | None = None  # 1-based page the paragraph starts on
    footnote: int | None = None  # the footnote's own number, for kind FOOTNOTE


@dataclass
class Letter:
    id: str  # the file name without extension: stable, and what URLs use
    title: str
    date: date | None
    date_inferred: bool
    paragraphs: list[Paragraph]
    signatories: list[Signatory] = field(default_factory=list)
    kamerstukken: list[str] = field(default_factory=list)  # "Kamerstuk 35 925 V, nr. 84"
    source: str = ""  # file name in the corpus
    sha256: str = ""  # of the file's bytes: tells a changed letter from an unchanged one
    # (abbreviation, long form) pairs the letter defines: "NRI" -> "NATO Readiness Initiative"
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    # every line-end hyphen and what was made of it: for review, not for the index
    hyphenations: list[HyphenDecision] = field(default_factory=list, repr=False)


def letter_id(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def letter_id_of_name(name: str) -> str:
    """letter_id for a bare file name (no Path needed)."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name  # the suffix as Path.suffix sees it


def file_sha256(path: Path) -> str:
    """In chunks: a file too large to be a letter is hashed without being held in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- Front matter: lines that are metadata of the letter, not its body -------------------------

# Page furniture: the attachments box, page numbers, the letterhead fields of the right column.
FURNITURE = re.compile(
    r"^(?:Bijlage\(n\)|Bijlagen?:?(?: \d+)?|Pagina \d+ van \d+|\d+ van \d+"
    r"|(?:Ons|Uw) kenmerk\b.*|Uw brief\b.*|Kenmerk\b.*|Contactpersoon\b.*)$"
)
# The letterhead before the body: "DEFENSIE", "Ministerie van Buitenlandse Zaken".
LETTERHEAD = re.compile(r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ&' -]{2,40}|Ministerie van [A-Z][\w ]+)$")
# The address block: "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", and the
# postal lines under it.
ADDRESS = re.compile(r"^Aan de [Vv]oorzitter van de (?:Tweede|Eerste) Kamer\b.*$")
ADDRESS_MORE = re.compile(r"^(?:der Staten-Generaal|Postbus \d+|\d{4} ?[A-Z]{2} .+|Binnenhof \d+.*|Plein 2)$")
SALUTATION = re.compile(r"^(?:Zeer |Hoog)?[Gg]eachte\b[^.]{0,60},?$")
CLOSING = re.compile(r"^(?:Hoogachtend|Met (?:vriendelijke|hoogachtende) groet(?:en)?|Met de meeste hoogachting),?$")
# "Betreft Kabinetsappreciatie ..." (the subject line of the letterhead) gives the title.
SUBJECT = re.compile(r"^(?:Betreft|Onderwerp)\s*:?\s+(?P<subject>\S.*)$")
# A signature: the office on one line ("De Minister van Buitenlandse Zaken," - the comma is
# sometimes missing), the name on the next ("W.B. Hoekstra", "Ank Bijleveld-Schouten").
SIGNATORY_ROLE = re.compile(
    r"^(?:De|de) (?:[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris)(?: (?:van|voor) [^,.]{2,80})?,?$"
)
_INITIALS = r"(?:[A-Z][a-z]{0,2}\.)+"
_NAME_PART = r"(?:[A-ZÀ-Þ][a-zà-ÿ’']+(?:-[A-ZÀ-Þ][a-zà-ÿ’']+)*)"
SIGNATORY_NAME = re.compile(
    rf"^(?:{_INITIALS}|{_NAME_PART})(?: (?:{_INITIALS}|{_NAME_PART}|van|de|der|den|ter|ten|te|in ’t|in 't))*$"
)


@dataclass
class FrontMatter:
    """What the letter says about itself outside its body."""

    date: date | None = None
    subject: str | None = None
    signatories: list[Signatory] = field(default_factory=list)


HAS_DIGIT = re.compile(r"\d")


def take_front_matter(lines: list[layout.Line]) -> tuple[list[layout.Line], FrontMatter]:
    """Remove address, date line, salutation, closings, signatures and furniture from the lines.

    They are metadata, wherever they occur (000 and 004 have a signed cover letter on page 1,
    then an annex). The line after a removed one starts a new block.
    """
    meta, body = FrontMatter(), []
    skip_next, gap = False, False
    for i, line in enumerate(lines):
        text = layout.visible(line.text)
        nxt = layout.visible(lines[i + 1].text) if i + 1 < len(lines) else ""
        if skip_next:
            skip_next = False
        elif SIGNATORY_ROLE.match(text) and SIGNATORY_NAME.match(nxt) and len(nxt.split()) <= 6:
            signatory = Signatory(text.rstrip(","), nxt)
            if signatory not in meta.signatories:
                meta.signatories.append(signatory)
            skip_next = True
        elif (m := SUBJECT.match(text)) and meta.subject is None:
            meta.subject = m["subject"]
        elif (
            FURNITURE.match(text) or ADDRESS.match(text) or SALUTATION.match(text)
            or CLOSING.match(text) or (body == [] and LETTERHEAD.match(text))
            or (gap and ADDRESS_MORE.match(text))
        ):
            pass
        elif HAS_DIGIT.search(text) and (d := dates.parse_date_line(text)) is not None:
            meta.date = meta.date or d  # (every date form has digits)
        else:
            body.append(replace(line, gap=True) if gap and not line.gap else line)
            gap = False
            continue
        gap = True
    return body, meta


# --- Kamerstuk references ----------------------------------------------------------------------

# "Kamerstuk 35 925 V, nr. 84", "Kamerstukken II 2017/18, 34 919, nr. 1", "Kamerstuknummer ...".
KAMERSTUK_KEY = re.compile(r"\bKamerstuk(?:ken|nummer)?\b(?:\s+II)?(?:\s+\d{4}[/-]\d{2,4},?)?")
# Dossier and number: "35 925 V, nr. 84", "27925 nr. 771".
DOSSIER_NUMBER = re.compile(r"\b(\d{2}) ?(\d{3})(?: ([IVXLC]+|[A-Z]))?,? nr\.? ?(\d+)\b")
# The short form: "34919-71", "35570-X-39" (the latter is distinctive enough to find anywhere).
DOSSIER_DASH = re.compile(r"\b(\d{2})(\d{3})-(?:([IVXLC]+|[A-Z])-)?(\d+)\b")
ROMAN_DASH = re.compile(r"\b(\d{2})(\d{3})-([IVXLC]+)-(\d+)\b")
# A document number of the Tweede Kamer: "2021D12041", "2021Z07953".
DOCUMENT_NUMBER = re.compile(r"\b(?:19|20)\d\d[A-Z]\d{5}\b")
# A reference list after "Kamerstuk" ends at a closing bracket or at the end of the sentence.
REFERENCE_END = re.compile(r"[)\]]|;|\.\s+[A-Z]|$")


def _normal_reference(m: re.Match[str]) -> str:
    if m.re is DOCUMENT_NUMBER:
        return f"Kamerstuk {m.group()}"
    part = f" {m[3]}" if m[3] else ""
    return f"Kamerstuk {m[1]} {m[2]}{part}, nr. {m[4]}"


def find_kamerstukken(text: str) -> list[str]:
    """Kamerstuk references, normalised to "Kamerstuk 35 925 V, nr. 84", in order, no repeats."""
    found: list[tuple[int, str]] = []
    for key in KAMERSTUK_KEY.finditer(text):
        window = text[key.end():REFERENCE_END.search(text, key.end()).start()]
        for pattern in (DOSSIER_NUMBER, DOSSIER_DASH, DOCUMENT_NUMBER):
            for m in pattern.finditer(window):
                found.append((key.end() + m.start(), _normal_reference(m)))
    for m in ROMAN_DASH.finditer(text):
        found.append((m.start(), _normal_reference(m)))
    return list(dict.fromkeys(ref for _, ref in sorted(found)))


# --- Title -------------------------------------------------------------------------------------

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
                return shorten(title)
    first = next(_sentences(body[0]), "").rstrip(".") if body else ""
    return shorten(first)


# --- Reading a letter --------------------------------------------------------------------------


def _join_lines(lines: list[str], dehyphenator: Dehyphenator) -> str:
    """One paragraph's lines as one string, line-end hyphens repaired."""
    text = lines[0]
    for line in lines[1:]:
        if layout.ends_with_break_hyphen(text):
            text = dehyphenator.join(text[:-1], line)
        else:
            text = f"{text} {line}"
    return text


def _clean(text: str) -> str:
    """Footnote sentinels out, spaces collapsed, NFC."""
    text = layout.MARK.sub("", text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def parse_letter(
    text: str,
    letter_id: str,
    sidecar: dict | None = None,
    vocabulary: Collection[str] | None = None,
) -> Letter:
    """Turn a letter's extracted text into a Letter (the work of read_letter, minus the file).

    `vocabulary`: lowercase words known from other letters, evidence for line-end hyphens.
    `sidecar`: metadata that wins over what we find in the text (already validated).
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\t", " ").replace("\u00a0", " ")
    pages, notes = layout.take_footnotes(layout.split_pages(text))
    lines, meta = take_front_matter(layout.page_lines(pages))
    width = layout.page_width([line.text for line in lines])
    dehyphenator = Dehyphenator(letter_vocabulary(text.split("\n")), vocabulary)

    paragraphs: list[Paragraph] = []
    marker_section: dict[int, str | None] = {}
    section: str | None = None
    for block in layout.blocks(lines, width):
        joined = _join_lines([line.text for line in block.lines], dehyphenator)
        if block.heading:
            section = _clean(joined)
            continue
        for number in layout.MARK.findall(joined):
            marker_section[int(number)] = section
        paragraphs.append(Paragraph(len(paragraphs) + 1, _clean(joined), Kind.BODY, section,
                                    block.lines[0].page))
    for note in notes:
        paragraphs.append(Paragraph(
            len(paragraphs) + 1, _clean(_join_lines(note.lines, dehyphenator)), Kind.FOOTNOTE,
            marker_section.get(note.number), note.page, note.number,
        ))

    sidecar = sidecar or {}
    all_text = "\n".join(p.text for p in paragraphs)
    letter_date, inferred = meta.date, False
    if sidecar.get("date"):
        letter_date = dates.parse_iso_date(sidecar["date"])
    elif letter_date is None:
        letter_date = dates.infer_date(all_text)
        inferred = letter_date is not None
    signatories = [Signatory(s["role"], s["name"]) for s in sidecar.get("signatories", [])]
    return Letter(
        id=letter_id,
        title=sidecar.get("title") or meta.subject or derive_title(paragraphs),
        date=letter_date,
        date_inferred=inferred,
        paragraphs=paragraphs,
        signatories=signatories or meta.signatories,
        kamerstukken=list(dict.fromkeys([*sidecar.get("kamerstukken", []),
                                         *find_kamerstukken(all_text)])),
        hyphenations=dehyphenator.decisions,
        abbreviations=find_abbreviations(all_text),
    )


def sidecar_path(path: Path) -> Path:
    """Where a letter's metadata lives: "brief.txt" -> "brief.meta.json"."""
    return path.with_name(letter_id(path) + SIDECAR_SUFFIX)


def load_sidecar(path: Path) -> dict | None:
    """The letter's sidecar metadata, checked; None when there is none."""
    meta_path = sidecar_path(path)
    if not meta_path.exists():
        return None
    fix = f"fix or delete {meta_path}"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LetterError(f"Sidecar {meta_path} is not valid UTF-8 JSON ({e}); {fix}.") from e
    if not isinstance(meta, dict):
        raise LetterError(f"Sidecar {meta_path} must hold a JSON object; {fix}.")
    problems = []
    if "title" in meta and not isinstance(meta["title"], str):
        problems.append("'title' must be a string")
    if "date" in meta and not (isinstance(meta["date"], str) and dates.parse_iso_date(meta["date"])):
        problems.append(f"'date' must be a real date written YYYY-MM-DD, not {meta['date']!r}")
    if "kamerstukken" in meta and not (
        isinstance(meta["kamerstukken"], list) and all(isinstance(k, str) for k in meta["kamerstukken"])
    ):
        problems.append("'kamerstukken' must be a list of strings")
    if "signatories" in meta and not (
        isinstance(meta["signatories"], list) and all(
            isinstance(s, dict) and isinstance(s.get("role"), str) and isinstance(s.get("name"), str)
            for s in meta["signatories"])
    ):
        problems.append("'signatories' must be a list of {\"role\": ..., \"name\": ...}")
    if problems:
        raise LetterError(f"Sidecar {meta_path}: {'; '.join(problems)}; {fix}.")
    return meta


MAX_TEXT_BYTES = 20 * 1024 * 1024  # a long letter with annexes is well under 1 MB of text
MAX_PDF_BYTES = 100 * 1024 * 1024  # PDFs carry fonts and images: more room

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# The non-ASCII characters of Dutch (and French, German, ...) text in Windows-1252: accented
# letters, typographic punctuation, a few signs. Not "ÿþðýÐÞÝ", "¤¦¨¯¸¿¡" and the like, which
# bytes that are not cp1252 text produce when read as cp1252.
_WESTERN = set(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜ"
    "‘’‚“”„–—…•€£§°±²³µ·«»½¼¾×©®™\u00a0Œœ"
)


def _cp1252_byte(c: str) -> int:
    """The byte Windows-1252 writes c as; bytes it leaves unassigned (0x81, 0x8d, 0x8f, 0x90, 0x9d)
    come back from many tools as U+0081 etc., so those stand for themselves."""
    return c.encode("cp1252")[0] if c.encode("cp1252", errors="ignore") else ord(c)


def _cp1252_chars(first: int, last: int) -> str:
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(first, last + 1))


# Mojibake: UTF-8 read as Windows-1252 and saved as UTF-8 again ("ë" -> "Ã«", "’" -> "â€™"): the
# cp1252 character of a UTF-8 lead byte, then those of the right number of continuation bytes.
_CONT = re.escape(_cp1252_chars(0x80, 0xBF))
_MOJIBAKE = re.compile(
    f"(?:[{re.escape(_cp1252_chars(0xC2, 0xDF))}][{_CONT}]"
    f"|[{re.escape(_cp1252_chars(0xE0, 0xEF))}][{_CONT}]{{2}}"
    f"|[{re.escape(_cp1252_chars(0xF0, 0xF4))}][{_CONT}]{{3}})+"
)


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes; LetterError (not OSError) when it cannot be read or is too large."""
    what = "PDF letter" if limit == MAX_PDF_BYTES else "letter"
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise LetterError(f"{path} is not a regular file (a directory?): "
                              "a letter is one .txt or .pdf file.")
        if size > limit:  # checked before reading: an oversized file is never loaded
            raise LetterError(f"{path} is {size / 2**20:.0f} MB; a {what} is at most "
                              f"{limit // 2**20} MB: is this really one letter? "
                              "Split it or remove it from the corpus.")
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        dangling = " (a dangling symbolic link?)" if path.is_symlink() and not path.exists() else ""
        raise LetterError(f"{path} cannot be read: {e.strerror or e}{dangling}. "
                          "Check that it exists and that its permissions let this user read it.") from e
    if len(data) > limit:
        raise LetterError(f"{path} grew past {limit // 2**20} MB while it was read: is it still being written?")
    return data


def _plausible_cp1252(text: str) -> bool:
    """Does text decoded as Windows-1252 read like a letter, not like binary junk?"""
    odd = sum(1 for c in text if (ord(c) > 127 and c not in _WESTERN)
              or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\x1a"))
    wordish = sum(1 for c in text if c.isalpha() or c.isspace())
    return odd <= len(text) // 200 and wordish >= 0.6 * len(text)


def _repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Undo UTF-8 that was read as Windows-1252 and saved again; the repairs made."""
    repairs: list[str] = []
    if text.isascii():  # mojibake is made of non-ASCII characters
        return text, repairs

    def repair(m: re.Match[str]) -> str:
        try:
            fixed = bytes(_cp1252_byte(c) for c in m.group()).decode("utf-8")
        except UnicodeDecodeError:
            return m.group()
        # only to letters and punctuation of Western text, not "É’" to "ɒ" or "é“…" to CJK
        if not all(0xA0 <= ord(c) < 0x180 or 0x2010 <= ord(c) < 0x203B or c in "€™" for c in fixed):
            return m.group()
        repairs.append(f"{m.group()!r} -> {fixed!r}")
        return fixed

    return _MOJIBAKE.sub(repair, text), repairs


def _decode_text(path: Path, data: bytes, notes: list[str]) -> str:
    """A text letter's bytes as text: UTF-8 (BOM or not), UTF-16/32 with a BOM, or Windows-1252."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError as e:
                raise LetterError(f"{path} starts with a {name} byte-order mark but is not valid {name} "
                                  f"(byte {e.start}: {e.reason}). Convert it to UTF-8.") from e
            if name != "UTF-8":
                notes.append(f"read as {name} (it has a byte-order mark); UTF-8 is preferred")
            break
    else:
        if b"\x00" in data:
            raise LetterError(f"{path} contains NUL bytes: it is a binary file, not extracted text. "
                              "Extract the text (e.g. pdftotext) and save it as UTF-8 .txt, "
                              "or put the PDF itself in the corpus.")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90 and 0x9d are no cp1252 text
                text = None
            if text is None or not _plausible_cp1252(text):
                raise LetterError(
                    f"{path} is not valid UTF-8 (byte {e.start}: {e.reason}), and it does not read as "
                    "Windows-1252 text either. If it is text, convert it to UTF-8, e.g. "
                    "iconv -f <its encoding> -t utf-8; if it is not, remove it from the corpus.") from e
            notes.append("read as Windows-1252 (Latin-1), not UTF-8: check its accents and quotes, "
                         "or convert it, e.g. iconv -f cp1252 -t utf-8")
    text, repairs = _repair_mojibake(text)
    if repairs:
        notes.append(f"repaired {len(repairs)} mojibake sequence{'s' if len(repairs) > 1 else ''} "
                     f"(UTF-8 once read as Windows-1252), e.g. {repairs[0]}")
    return text


def _pdf_text(path: Path, data: bytes, notes: list[str]) -> str:
    from indexer import pdf  # pypdf loads only when a PDF is read, not for text letters or search

    try:
        extracted = pdf.pdf_text(data)
    except pdf.PdfProblem as e:
        raise LetterError(f"{path} {e}") from e
    notes.extend(extracted.notes)
    return extracted.text


def read_letter(
    path: Path,
    vocabulary: Collection[str] | None = None,
    notes: list[str] | None = None,
) -> Letter:
    """Read a letter file (a PDF, or text extracted from one) and its optional sidecar.

    Text is UTF-8, or UTF-16/32 with a byte-order mark, or Windows-1252 (Latin-1); PDFs need a
    text layer. `notes`, when given, receives what a reviewer should know about how the file was
    read: an encoding other than UTF-8, repaired mojibake, PDF pages without text, repairs.
    """
    is_pdf = path.suffix.lower() == ".pdf"
    data = _read_bytes(path, MAX_PDF_BYTES if is_pdf else MAX_TEXT_BYTES)
    found: list[str] = []
    text = _pdf_text(path, data, found) if is_pdf else _decode_text(path, data, found)
    if not text.strip():
        raise LetterError(f"{path} is empty or holds only whitespace: "
                          "put the letter's text in it, or remove it from the corpus.")
    letter = parse_letter(text, letter_id(path), load_sidecar(path), vocabulary)
    letter.source = path.name
    letter.sha256 = hashlib.sha256(data).hexdigest()
    if notes is not None:
        notes.extend(found)
    return letter
