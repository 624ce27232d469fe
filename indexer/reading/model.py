"""What a letter is once read: plain data, the same whatever the file looked like.

A Letter is its metadata and its paragraphs; the rest of brieven (analysis, the index, the
search) starts from here and never looks at the file again.
"""
from __future__ import annotations

import enum
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from indexer.errors import BrievenError
from indexer.reading.hyphenation import HyphenDecision

LETTER_SUFFIXES = (".txt", ".pdf")
SIDECAR_SUFFIX = ".meta.json"


class LetterError(BrievenError):
    """A file that cannot be read as a letter; the message says why and what to do."""

    status = 422


class Kind(enum.StrEnum):
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
    title: str  # whole, never cut (a page may shorten it for display)
    date: date | None
    date_inferred: bool
    paragraphs: list[Paragraph]
    signatories: list[Signatory] = field(default_factory=list)
    # the Kamerstukken the letter cites, apart from itself: "Kamerstuk 35 925 V, nr. 84"
    refers_to: list[str] = field(default_factory=list)
    # What the letter says it is, when it says so (the Kamerstuk header, its running footer):
    dossier: str | None = None  # normalised: "21461", "17600-G", "35925-V", "21501-17"
    document_number: str | None = None  # "46", "339d" (a letter to the Eerste Kamer)
    dossier_title: str | None = None  # "Een nieuw politiebestel"
    # Who sends it: "de ministers van Buitenlandse Zaken en van Defensie", and their ministries
    # as named in their time ("Wederopbouw en Volkshuisvesting"); from the sender line, else
    # from the signatures.
    sender: str | None = None
    ministries: list[str] = field(default_factory=list)
    source: str = ""  # file name in the corpus
    sha256: str = ""  # of the file's bytes: tells a changed letter from an unchanged one
    # (abbreviation, long form) pairs the letter defines: "NRI" -> "NATO Readiness Initiative"
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    # every line-end hyphen and what was made of it: for review, not for the index
    hyphenations: list[HyphenDecision] = field(default_factory=list, repr=False)
    # what a reviewer should know about how the file was read: an encoding other than UTF-8,
    # repaired mojibake, PDF pages without text
    notes: list[str] = field(default_factory=list)


    @property
    def kamerstuk(self) -> str | None:
        """"kst-21461-46": the letter's own Kamerstuk, as officielebekendmakingen names it."""
        return f"kst-{self.dossier}-{self.document_number}" if self.dossier and self.document_number else None

    @property
    def kamerstukken(self) -> list[str]:
        """The cited Kamerstukken under their first name (the JSON key `kamerstukken`)."""
        return self.refers_to


# Characters a letter id cannot hold: they mean something in a URL (`?`, `&`, `%`, `#`) and in
# `brieven show ID#N`. A file whose name holds one is refused, with the advice to rename it.
FORBIDDEN_IN_IDS = "#?&%"
SYMLINK_REFUSED = ("is een symbolische koppeling: brieven leest alleen gewone bestanden in het corpus, "
                   "zodat niets daarbuiten wordt gelezen. Kopieer de brief zelf naar het corpus")


def letter_id(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


# Unicode's categories Cs (surrogates: bytes of a name that were not UTF-8) and Cc (control
# characters), as character classes: listing a corpus checks every name, and a check of each
# character by unicodedata.category took 11 s of `brieven add` with 300,000 letters.
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_FORBIDDEN = re.compile(f"[{re.escape(FORBIDDEN_IN_IDS)}]")


def id_problem(name: str) -> str | None:
    """Why the letter file `name` cannot give a letter id (with what to do), or None when it
    can. A letter's id is its file name without the extension, as it is, spaces and accents
    included, so that a letter is found by the name it was given."""
    lid = letter_id_of_name(name)
    if _SURROGATE.search(name):
        return "de naam is geen geldige UTF-8: geef het bestand een andere naam"
    if _CONTROL.search(name):
        return "de naam bevat een stuurteken (een tab, een regeleinde, ...): geef het bestand een andere naam"
    if not lid.strip():
        return "de naam heeft niets vóór de extensie: geef het bestand een andere naam"
    if _FORBIDDEN.search(lid):
        bad = "".join(dict.fromkeys(c for c in lid if c in FORBIDDEN_IN_IDS))
        safe = "".join("-" if c in FORBIDDEN_IN_IDS else c for c in name)
        return (f"de naam bevat {' '.join(bad)}, wat een brief-id niet mag bevatten (die tekens betekenen iets in "
                f"adressen en in `brieven show ID#N`): geef het bestand een andere naam, bijv. {safe!r}")
    return None


def open_regular(path: Path):
    """Open a file for reading in binary only if it is a regular file and not a symbolic link
    (checked on the opened file, so it cannot be swapped in between); LetterError otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LetterError(f"{path} {SYMLINK_REFUSED}.") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LetterError(f"{path} is geen gewoon bestand (een map?): een brief is één .txt- of .pdf-bestand.")
    return os.fdopen(fd, "rb")


def letter_id_of_name(name: str) -> str:
    """letter_id for a bare file name (no Path needed)."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name  # the suffix as Path.suffix sees it


def file_sha256(path: Path) -> str:
    """In chunks: a file too large to be a letter is hashed without being held in memory."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

