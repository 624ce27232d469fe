"""The index directory: opening it, its schema version, and swapping a rebuilt index in.

The index is a cache of the corpus: it can always be rebuilt from the letters. A rebuild goes
into a fresh directory that replaces the old one only when it is complete.

Whoosh stores pickled Python objects: never open an index directory from an untrusted source.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from whoosh import index as whoosh_index

import indexer.store.whoosh_patches  # noqa: F401  (measured fixes, see the module)
from indexer.errors import BrievenError
from indexer.store.schema import SCHEMA_VERSION

INDEX_NAME = "MAIN"
VERSION_FILE = "brieven-index.json"


class IndexMissing(BrievenError):
    """No usable index at the configured path."""

    status = 503


def open_index(index_dir: Path):
    """The index at `index_dir`, or IndexMissing with the command that makes one. Readers
    never change the index directory: finishing an interrupted rebuild is the indexer's job."""
    version = read_version(index_dir)
    if version is None:
        raise IndexMissing(f"Er is geen index in {index_dir}: maak die eerst met `brieven index`.")
    if version != SCHEMA_VERSION:
        # checked before Whoosh unpickles the schema, which may name classes that are gone
        raise IndexMissing(
            f"De index in {index_dir} is gemaakt door een andere versie van brieven "
            f"(schema {version}, deze leest {SCHEMA_VERSION}): bouw hem opnieuw met `brieven index --rebuild`."
        )
    try:
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    except Exception as error:  # a damaged TOC or schema: Whoosh raises many kinds
        raise IndexMissing(
            f"De index in {index_dir} kan niet worden geopend ({error}): bouw hem opnieuw met `brieven index --rebuild`."
        ) from error


def usable(index_dir: Path) -> bool:
    try:
        open_index(index_dir)
        return True
    except IndexMissing:
        return False


def read_version(index_dir: Path) -> int | None:
    try:
        return json.loads((index_dir / VERSION_FILE).read_text())["schema_version"]
    except (OSError, ValueError, KeyError):
        return None


def swap_in(fresh: Path, index_dir: Path) -> None:
    """Replace `index_dir` by `fresh`. The two renames leave at most an instant without an
    index, and `recover` finishes the job if the process dies in between."""
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        os.rename(index_dir, old)
    os.rename(fresh, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def recover(index_dir: Path) -> None:
    """Clean up after an indexer that was killed; every indexer calls this first, holding the
    lock, so no rebuild is running. A complete fresh index (its version file is written last)
    is a rebuild that only missed its swap: it is swapped in, whether or not the old index is
    still there. An incomplete one is deleted, and so is an old index a swap left behind."""
    fresh = index_dir.with_name(index_dir.name + ".new")
    old = index_dir.with_name(index_dir.name + ".old")
    if read_version(fresh) == SCHEMA_VERSION:
        swap_in(fresh, index_dir)
    elif fresh.exists():
        shutil.rmtree(fresh, ignore_errors=True)
    if index_dir.exists():
        shutil.rmtree(old, ignore_errors=True)
