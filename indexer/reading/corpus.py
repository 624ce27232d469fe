"""The corpus directory: which files in it are letters, and putting new letters into it."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import BrievenError
from indexer.reading.model import LETTER_SUFFIXES, SIDECAR_SUFFIX, file_sha256


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


def find_letters(corpus_dir: Path) -> list[Path]:
    """Letter files, sorted by name; sidecars, hidden files and other files are left out."""
    return [corpus_dir / name for name in letter_names(corpus_dir)]


def letter_names(corpus_dir: Path) -> list[str]:
    """The names of the letter files, sorted (find_letters without making a Path of each)."""
    if not corpus_dir.is_dir():
        raise CorpusMissing(
            f"No corpus directory at {corpus_dir}: create it and put letters (.txt, .pdf) in it, "
            "or point --corpus / BRIEVEN_CORPUS at the right place."
        )
    # os.scandir knows file types without a stat per file; names sort faster than Paths
    with os.scandir(corpus_dir) as entries:
        return sorted(e.name for e in entries if is_letter_name(e.name) and e.is_file())


@dataclass
class AddReport:
    copied: list[str] = field(default_factory=list)  # file names now in the corpus
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, letter it repeats)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


def add_to_corpus(files: list[Path], corpus_dir: Path) -> AddReport:
    """Copy letters into the corpus (the originals stay where they are). A file whose content
    is already in the corpus, under any name, is reported and not copied again; a different
    letter under a name the corpus already uses is refused rather than overwritten."""
    report = AddReport()
    corpus_dir.mkdir(parents=True, exist_ok=True)
    # A duplicate has the same size: only corpus files of a size being added are hashed.
    sizes = {f.stat().st_size for f in files if f.is_file()}
    known = {}
    with os.scandir(corpus_dir) as entries:  # no Path per corpus file: 30k letters are common
        same_size = []
        for entry in entries:
            try:
                if is_letter_name(entry.name) and entry.is_file() and entry.stat().st_size in sizes:
                    same_size.append(entry.name)
            except OSError:
                continue
    for name in sorted(same_size):
        try:
            known[file_sha256(corpus_dir / name)] = name
        except OSError:
            continue
    for source in files:
        if not source.is_file():
            report.refused.append((str(source), "no such file"))
            continue
        if not is_letter_file(source):
            kinds = ", ".join(LETTER_SUFFIXES)
            report.refused.append((str(source), f"not a letter file (brieven reads {kinds})"))
            continue
        try:
            digest = file_sha256(source)
        except OSError as error:
            report.refused.append((str(source), f"cannot be read ({error.strerror})"))
            continue
        if digest in known:
            report.duplicates.append((str(source), known[digest]))
            continue
        target = corpus_dir / source.name
        if target.exists():
            report.refused.append((
                str(source),
                f"the corpus already has a different letter named {source.name}; rename the file",
            ))
            continue
        shutil.copy2(source, target)
        sidecar = source.with_name(source.name[: -len(source.suffix)] + SIDECAR_SUFFIX)
        if sidecar.is_file():
            shutil.copy2(sidecar, corpus_dir / sidecar.name)
        known[digest] = target.name
        report.copied.append(target.name)
    return report
