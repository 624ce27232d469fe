"""The corpus directory: which files in it are letters."""
from __future__ import annotations

from pathlib import Path

from indexer.letters import LETTER_SUFFIXES, SIDECAR_SUFFIX


class CorpusMissing(Exception):
    """The corpus directory does not exist."""


def find_letters(corpus_dir: Path) -> list[Path]:
    """Letter files, sorted by name; sidecars, hidden files and other files are left out."""
    if not corpus_dir.is_dir():
        raise CorpusMissing(
            f"No corpus directory at {corpus_dir}: create it and put letters (.txt) in it, "
            "or point --corpus / BRIEVEN_CORPUS at the right place."
        )
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file()
        and not p.name.startswith(".")
        and p.suffix.lower() in LETTER_SUFFIXES
        and not p.name.endswith(SIDECAR_SUFFIX)
    )
