"""A letter's sidecar: NAME.meta.json beside the letter, giving what its text lacks."""
from __future__ import annotations

import json
import os
from pathlib import Path

from indexer.reading import dates
from indexer.reading.model import SIDECAR_SUFFIX, LetterError, letter_id, open_regular

MAX_SIDECAR_BYTES = 1 << 20  # a title, a date and a few names: far less than this


def sidecar_path(path: Path) -> Path:
    """Where a letter's metadata lives: "brief.txt" -> "brief.meta.json"."""
    return path.with_name(letter_id(path) + SIDECAR_SUFFIX)


def load_sidecar(path: Path) -> dict | None:
    """The letter's sidecar metadata, checked; None when there is none."""
    meta_path = sidecar_path(path)
    try:  # one system call for "there is one, or a symbolic link" (which open_regular refuses)
        os.lstat(meta_path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    fix = f"verbeter of verwijder {meta_path}"
    try:
        with open_regular(meta_path) as handle:  # a symbolic link is refused, as for letters
            raw = handle.read(MAX_SIDECAR_BYTES + 1)
        if len(raw) > MAX_SIDECAR_BYTES:
            raise LetterError(f"Het metadatabestand {meta_path} is groter dan {MAX_SIDECAR_BYTES >> 20} MB; {fix}.")
        meta = json.loads(raw.decode("utf-8"))
    except OSError as e:
        raise LetterError(f"Het metadatabestand {meta_path} kan niet worden gelezen ({e.strerror or e}); {fix}.") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LetterError(f"Het metadatabestand {meta_path} is geen geldige UTF-8-JSON ({e}); {fix}.") from e
    if not isinstance(meta, dict):
        raise LetterError(f"Het metadatabestand {meta_path} moet één JSON-object bevatten; {fix}.")
    problems = []
    if "title" in meta and not isinstance(meta["title"], str):
        problems.append("'title' moet tekst zijn")
    if "date" in meta and not (isinstance(meta["date"], str) and dates.parse_iso_date(meta["date"])):
        problems.append(f"'date' moet een echte datum zijn, geschreven als JJJJ-MM-DD, niet {meta['date']!r}")
    for key in ("refers_to", "kamerstukken"):  # the Kamerstukken it cites (kamerstukken: the old name)
        if key in meta and not (isinstance(meta[key], list) and all(isinstance(k, str) for k in meta[key])):
            problems.append(f"'{key}' moet een lijst van teksten zijn")
    if "signatories" in meta and not (
        isinstance(meta["signatories"], list) and all(
            isinstance(s, dict) and isinstance(s.get("role"), str) and isinstance(s.get("name"), str)
            for s in meta["signatories"])
    ):
        problems.append("'signatories' moet een lijst van {\"role\": ..., \"name\": ...} zijn")
    if problems:
        raise LetterError(f"Het metadatabestand {meta_path}: {'; '.join(problems)}; {fix}.")
    return meta

