"""Configuration, resolved once: command-line flags, then environment, then defaults.

Modules receive a Settings object; none of them reads the environment itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from indexer.searching import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

DEFAULT_INDEX = Path(".brieven/index")
DEFAULT_CORPUS = Path("corpus")


@dataclass(frozen=True)
class Settings:
    index_dir: Path = DEFAULT_INDEX
    corpus_dir: Path = DEFAULT_CORPUS
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def resolve(
        cls,
        index: str | Path | None = None,
        corpus: str | Path | None = None,
        page_size: int | None = None,
        env: Mapping[str, str] | None = None,
    ) -> "Settings":
        """Flags win over BRIEVEN_INDEX / BRIEVEN_CORPUS / BRIEVEN_PAGE_SIZE, which win over defaults."""
        env = env or {}
        size = page_size or int(env.get("BRIEVEN_PAGE_SIZE") or DEFAULT_PAGE_SIZE)
        return cls(
            index_dir=Path(index or env.get("BRIEVEN_INDEX") or DEFAULT_INDEX),
            corpus_dir=Path(corpus or env.get("BRIEVEN_CORPUS") or DEFAULT_CORPUS),
            page_size=max(1, min(size, MAX_PAGE_SIZE)),
        )
