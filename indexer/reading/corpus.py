"""The corpus directory: which files in it are letters, and putting new letters into it.

Only regular files directly inside the corpus directory are read. A symbolic link is refused
(whatever it points to), so nothing outside the corpus is ever read through it, and so is a
file whose name cannot be a letter id (model.id_problem) or gives the id of another file.
"""
from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import BrievenError
from indexer.reading.model import (
    LETTER_SUFFIXES,
    SIDECAR_SUFFIX,
    SYMLINK_REFUSED,
    LetterError,
    file_sha256,
    id_problem,
    letter_id_of_name,
)


class CorpusMissing(BrievenError):
    """The corpus directory does not exist."""

    status = 503


def is_letter_file(path: Path) -> bool:
    return is_letter_name(path.name)


def is_letter_name(name: str) -> bool:
    """is_letter_file for a bare file name: listing a corpus of 30k letters makes no Path
    objects for the files it leaves out, nor for the check."""
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # as Path.suffix
    return not name.startswith(".") and suffix.lower() in LETTER_SUFFIXES and not name.endswith(SIDECAR_SUFFIX)


@dataclass
class CorpusListing:
    names: list[str]  # the letter files to read, sorted
    refused: list[tuple[str, str]]  # (file name, why it is not read and what to do)
    sidecars: frozenset[str] = frozenset()  # the ids with a sidecar (NAME.meta.json) beside them


def find_letters(corpus_dir: Path) -> list[Path]:
    """Letter files, sorted by name; sidecars, hidden files and other files are left out."""
    return [corpus_dir / name for name in letter_names(corpus_dir)]


def letter_names(corpus_dir: Path) -> list[str]:
    """The names of the letter files, sorted (find_letters without making a Path of each)."""
    return list_corpus(corpus_dir).names


def list_corpus(corpus_dir: Path) -> CorpusListing:
    """The letter files of the corpus, and those refused: symbolic links, names that cannot be
    a letter id, a second file with the id of another (`a.txt` and `a.pdf`: the first by name
    is read)."""
    if not corpus_dir.is_dir():
        raise CorpusMissing(
            f"Er is geen corpusmap {corpus_dir}: maak die en zet er brieven (.txt, .pdf) in, "
            "of wijs met --corpus / BRIEVEN_CORPUS de juiste map aan."
        )
    names, refused, sidecars = [], [], set()
    # os.scandir knows file types without a stat per file; names sort faster than Paths
    with os.scandir(corpus_dir) as entries:
        for entry in entries:
            if not is_letter_name(entry.name):
                if entry.name.endswith(SIDECAR_SUFFIX):
                    sidecars.add(entry.name[: -len(SIDECAR_SUFFIX)])
                continue
            if entry.is_symlink():
                refused.append((entry.name, SYMLINK_REFUSED))
            elif entry.is_file(follow_symlinks=False):
                problem = id_problem(entry.name)
                if problem:
                    refused.append((entry.name, problem))
                else:
                    names.append(entry.name)
    names.sort()
    taken: dict[str, str] = {}
    readable = []
    for name in names:
        lid = letter_id_of_name(name)
        if lid in taken:
            refused.append((name, f"zijn brief-id {lid!r} is die van {taken[lid]}: geef een van beide een andere naam"))
        else:
            taken[lid] = name
            readable.append(name)
    return CorpusListing(readable, sorted(refused), frozenset(sidecars))


@dataclass
class AddReport:
    copied: list[str] = field(default_factory=list)  # file names now in the corpus
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, letter it repeats)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


def add_to_corpus(files: list[Path], corpus_dir: Path,
                  indexed: Callable[[str], str | None] | None = None) -> AddReport:
    """Copy letters into the corpus (the originals stay where they are). Each file is read as
    a letter first, and copied only if it is one: a refused file never enters the corpus. A
    file whose content is already in the corpus, under any name, is reported and not copied
    again; a different letter under a name (or letter id) the corpus already uses is refused
    rather than overwritten. Symbolic links are refused, like in the corpus itself.

    `indexed` (sha256 -> id of the indexed letter with that content, from the index:
    indexer/store's `indexed_content`) answers for the letters of the corpus the index holds,
    and a new letter's id is checked by the few names it can have (LetterIds), so the corpus is
    not listed; without it, the corpus is listed and its letters of a size being added are
    hashed (reading the size of 300,000 files takes most of a second)."""
    from indexer.reading.reader import read_letter  # the whole reader, only when adding

    report = AddReport()
    corpus_dir.mkdir(parents=True, exist_ok=True)
    if indexed is None:
        letters = list_corpus(corpus_dir).names  # what the index reads: refused files do not count
        ids = {letter_id_of_name(name): name for name in letters}
        known = _hashes_of_same_size(corpus_dir, letters, files)
    else:
        ids, known = LetterIds(corpus_dir), {}

    def duplicate_of(digest: str) -> str | None:
        if digest in known:
            return known[digest]
        lid = indexed(digest) if indexed is not None else None
        return ids.get(lid) if lid is not None else None  # still in the corpus, under that name

    for source in files:
        reason = _refusal(source)
        if reason is None:
            try:
                digest = file_sha256(source)
                existing = duplicate_of(digest)
                if existing is not None:
                    report.duplicates.append((str(source), existing))
                    continue
                reason = _taken(source, ids, corpus_dir)
                if reason is None:
                    read_letter(source)  # the whole reading: what the index would refuse is refused here
            except LetterError as error:
                reason = _without_path(str(error), source)
            except OSError as error:
                reason = f"kan niet worden gelezen ({error.strerror})"
        if reason is not None:
            report.refused.append((str(source), reason))
            continue
        _copy_into(source, corpus_dir)
        known[digest] = source.name
        ids[letter_id_of_name(source.name)] = source.name
        report.copied.append(source.name)
    return report


class LetterIds:
    """Letter id -> the corpus's (first) file name with that id, looked up by the few names an
    id can have (`<id>.txt`, `<id>.PDF`, ...) rather than by listing the corpus (0.3 s with
    300,000 letters). A name that cannot be an id never has the id of a letter that can, so
    these are the ids a new letter must not take."""

    def __init__(self, corpus_dir: Path):
        self.corpus_dir = corpus_dir
        self._found: dict[str, str | None] = {}

    def get(self, lid: str) -> str | None:
        if lid not in self._found:
            names = self.files(lid)
            self._found[lid] = min(names) if names else None
        return self._found[lid]

    def files(self, lid: str) -> list[str]:
        """Every regular file with the id (more than one: the corpus refuses all but the first)."""
        return [name for name in _names_of_id(lid) if _regular(self.corpus_dir / name)]

    def __setitem__(self, lid: str, name: str) -> None:
        self._found[lid] = name


def _names_of_id(lid: str) -> list[str]:
    """Every file name with this letter id: the id and a letter suffix in any case."""
    names = []
    for suffix in LETTER_SUFFIXES:
        variants = [""]
        for ch in suffix:
            variants = [v + c for v in variants for c in dict.fromkeys((ch.lower(), ch.upper()))]
        names.extend(lid + v for v in variants)
    return [n for n in names if is_letter_name(n)]


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _hashes_of_same_size(corpus_dir: Path, letters: list[str], files: list[Path]) -> dict[str, str]:
    """sha256 -> name of the corpus letters with the size of a file being added (a duplicate
    has the same size)."""
    sizes = {f.lstat().st_size for f in files if f.is_file() and not f.is_symlink()}
    known = {}
    for name in letters:
        try:
            if os.stat(os.path.join(corpus_dir, name), follow_symlinks=False).st_size not in sizes:
                continue
            known[file_sha256(corpus_dir / name)] = name
        except (OSError, LetterError):
            continue
    return known


def _refusal(source: Path) -> str | None:
    """Why `source` cannot be added, judged by its name and kind alone, or None."""
    if source.is_symlink():
        return "is een symbolische koppeling: brieven voegt alleen gewone bestanden toe; geef het bestand zelf"
    if not source.is_file():
        return "bestaat niet"
    if not is_letter_file(source):
        return f"geen brief (brieven leest {', '.join(LETTER_SUFFIXES)})"
    return id_problem(source.name)


def _taken(source: Path, ids: "dict[str, str] | LetterIds", corpus_dir: Path) -> str | None:
    """Why a letter new to the corpus cannot have its name there, or None."""
    existing = ids.get(letter_id_of_name(source.name))
    if existing == source.name or os.path.lexists(corpus_dir / source.name):
        return f"het corpus heeft al een andere brief met de naam {source.name}; geef het bestand een andere naam"
    if existing is not None:
        return (f"het corpus heeft al een brief met het id {letter_id_of_name(source.name)!r} "
                f"({existing}); geef het bestand een andere naam")
    return None


def _copy_into(source: Path, corpus_dir: Path) -> None:
    """Copy a letter (and its sidecar) under a hidden name first, then rename it: a watcher
    or an indexer never sees half a file."""
    sidecar = source.with_name(source.name[: -len(source.suffix)] + SIDECAR_SUFFIX)
    copies = [source] + ([sidecar] if sidecar.is_file() and not sidecar.is_symlink() else [])
    for path in reversed(copies):  # the sidecar first: the letter then arrives complete
        partial = corpus_dir / f".{path.name}.partial"
        shutil.copy2(path, partial, follow_symlinks=False)
        os.replace(partial, corpus_dir / path.name)


def _without_path(message: str, source: Path) -> str:
    """A reader's message about `source` as the add report words it (the file is named apart)."""
    return message.removeprefix(f"{source} ").strip()
