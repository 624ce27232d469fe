"""Configuration, resolved once: command-line flags, then environment, then defaults.

Modules receive a Settings object; none of them reads the environment itself.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from indexer.errors import BrievenError
from indexer.searching import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

DEFAULT_INDEX = Path(".brieven/index")
DEFAULT_CORPUS = Path("corpus")


class BadSetting(BrievenError):
    """A setting with a value it cannot take; the message says what is allowed."""

    status = 500
    exit_code = 2


@dataclass(frozen=True)
class Settings:
    index_dir: Path = DEFAULT_INDEX
    corpus_dir: Path = DEFAULT_CORPUS
    page_size: int = DEFAULT_PAGE_SIZE
    # The site's public address ("https://brieven.example.nl"), for the absolute links of feeds;
    # None: taken from the request only when it comes to a loopback host, else links are relative.
    base_url: str | None = None
    # "whoosh" (the embedded index in index_dir) or "opensearch" (a cluster: BRIEVEN_OPENSEARCH_URL,
    # credentials only from the environment; see indexer/store/opensearch_connection.py)
    backend: str = "whoosh"
    env: tuple[tuple[str, str], ...] = ()  # the BRIEVEN_OPENSEARCH_* variables, for the backend

    @classmethod
    def resolve(
        cls,
        index: str | Path | None = None,
        corpus: str | Path | None = None,
        page_size: int | None = None,
        base_url: str | None = None,
        env: Mapping[str, str] | None = None,
        backend: str | None = None,
    ) -> "Settings":
        """Flags win over BRIEVEN_INDEX / BRIEVEN_CORPUS / BRIEVEN_PAGE_SIZE / BRIEVEN_BASE_URL,
        which win over defaults."""
        env = env or {}
        size = page_size or int(env.get("BRIEVEN_PAGE_SIZE") or DEFAULT_PAGE_SIZE)
        return cls(
            index_dir=Path(index or env.get("BRIEVEN_INDEX") or DEFAULT_INDEX),
            corpus_dir=Path(corpus or env.get("BRIEVEN_CORPUS") or DEFAULT_CORPUS),
            page_size=max(1, min(size, MAX_PAGE_SIZE)),
            base_url=public_base_url(base_url or env.get("BRIEVEN_BASE_URL") or None),
            backend=backend_name(backend or env.get("BRIEVEN_BACKEND") or "whoosh"),
            env=tuple(sorted((k, v) for k, v in env.items() if k.startswith("BRIEVEN_OPENSEARCH_"))),
        )

    def opensearch(self):
        """The OpenSearch backend's configuration (address, alias, credentials)."""
        from indexer.store import OpenSearchConfig

        return OpenSearchConfig.from_env(dict(self.env), self.corpus_dir)

    def with_base_url(self, flag: str | None) -> "Settings":
        """A subcommand's --base-url (brieven serve) over the environment's."""
        return self if flag is None else dataclasses.replace(self, base_url=public_base_url(flag))


BACKENDS = ("whoosh", "opensearch")


def backend_name(value: str) -> str:
    name = value.strip().lower()
    if name not in BACKENDS:
        raise BadSetting(f"{value!r} is geen backend: kies whoosh (de ingebouwde index) of opensearch.")
    return name


def public_base_url(value: str | None) -> str | None:
    """A base URL as configured, checked: http(s), a host, an optional path; no trailing slash."""
    if value is None or not value.strip():
        return None
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number 0-65535)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) \
            and not (parts.query or parts.fragment or parts.username or parts.password)
    except ValueError:  # a malformed IPv6 host or port
        valid = False
    if not valid:
        raise BadSetting(
            f"{value!r} is geen openbaar adres: geef het adres van de site zoals bezoekers het "
            "gebruiken, bijvoorbeeld https://brieven.example.nl of https://example.nl/brieven (zonder ? of #).")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
