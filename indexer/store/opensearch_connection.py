"""Where the OpenSearch backend finds its cluster, and what it says when the cluster is not there.

The address comes from BRIEVEN_OPENSEARCH_URL, credentials only from the environment
(BRIEVEN_OPENSEARCH_USER, BRIEVEN_OPENSEARCH_PASSWORD), never from the command line, where
other users of the machine could read them. Each corpus has its own alias (`brieven-<corpus
folder>`, or BRIEVEN_OPENSEARCH_INDEX), pointing at one concrete index: a rebuild fills a new
index and swaps the alias, so searches never see a half-built index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit, urlunsplit

from indexer.errors import BrievenError

DEFAULT_URL = "http://127.0.0.1:9200"
TIMEOUT = 30  # seconds for one request (a bulk request of a few MB included)


class ClusterUnavailable(BrievenError):
    """The cluster cannot be reached or cannot answer: exit 1, a 503 page on the site."""

    status = 503
    exit_code = 1


class BadOpenSearchSetting(BrievenError):
    status = 500
    exit_code = 2


class IndexAbsent(BrievenError):
    status = 503
    exit_code = 1


@dataclass(frozen=True)
class OpenSearchConfig:
    url: str = DEFAULT_URL
    alias: str = "brieven-corpus"
    user: str | None = None
    password: str | None = None
    # a new index's layout (BRIEVEN_OPENSEARCH_SHARDS, _REPLICAS): one shard without replicas
    # for one node; across nodes, shards spread the work and replicas survive a lost node
    shards: int = 1
    replicas: int = 0

    @classmethod
    def from_env(cls, env: Mapping[str, str], corpus_dir: Path) -> "OpenSearchConfig":
        return cls(
            url=(env.get("BRIEVEN_OPENSEARCH_URL") or DEFAULT_URL).rstrip("/"),
            alias=env.get("BRIEVEN_OPENSEARCH_INDEX") or alias_for(corpus_dir),
            user=env.get("BRIEVEN_OPENSEARCH_USER") or None,
            password=env.get("BRIEVEN_OPENSEARCH_PASSWORD") or None,
            shards=_count(env, "BRIEVEN_OPENSEARCH_SHARDS", 1, 1),
            replicas=_count(env, "BRIEVEN_OPENSEARCH_REPLICAS", 0, 0),
        )

    @property
    def shown_url(self) -> str:
        """The address for messages: without a user name or password written into it."""
        parts = urlsplit(self.url)
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, host, parts.path, "", ""))

    def client(self):
        """An opensearch-py client (imported here: the Whoosh backend never loads it)."""
        from opensearchpy import OpenSearch

        auth = (self.user, self.password or "") if self.user else None
        return OpenSearch(hosts=[self.url], http_auth=auth, timeout=TIMEOUT, max_retries=1,
                          retry_on_timeout=False, http_compress=False)


def _count(env: Mapping[str, str], name: str, default: int, least: int) -> int:
    value = env.get(name) or str(default)
    if not value.isascii() or not value.isdigit() or int(value) < least:
        raise BadOpenSearchSetting(f"{name}={value!r} is geen geldig aantal (een geheel getal, minstens {least}).")
    return int(value)


def alias_for(corpus_dir: Path) -> str:
    """An index name OpenSearch accepts, from the corpus folder's name: lowercase, no spaces."""
    name = Path(corpus_dir).resolve().name.lower()
    name = re.sub(r"[^a-z0-9_-]+", "-", name).strip("-_") or "corpus"
    return f"brieven-{name}"


def unavailable(config: OpenSearchConfig, error: Exception) -> ClusterUnavailable:
    """The Dutch message for a cluster that did not answer (no traceback, no credentials)."""
    reason = type(error).__name__
    return ClusterUnavailable(
        f"OpenSearch op {config.shown_url} is niet bereikbaar ({reason}). Start het cluster "
        "(`make opensearch`) of zet BRIEVEN_OPENSEARCH_URL op het juiste adres, en probeer het opnieuw.")


def guarded(config: OpenSearchConfig):
    """A context manager that turns the client's connection and server errors into
    ClusterUnavailable, and a missing index into IndexAbsent."""
    import contextlib

    from opensearchpy.exceptions import ConnectionError as OSConnectionError
    from opensearchpy.exceptions import NotFoundError, TransportError

    @contextlib.contextmanager
    def guard():
        try:
            yield
        except NotFoundError as error:
            if "index_not_found" in str(error):
                raise IndexAbsent(f"OpenSearch op {config.shown_url} heeft nog geen index {config.alias!r}: "
                                  "voer eerst `brieven --backend opensearch index` uit.") from error
            raise
        except OSConnectionError as error:
            raise unavailable(config, error) from error
        except TransportError as error:
            if isinstance(error.status_code, int) and error.status_code >= 500:
                raise unavailable(config, error) from error
            if error.status_code == 429:  # too many requests, or a circuit breaker: memory
                raise ClusterUnavailable(
                    f"OpenSearch op {config.shown_url} is overbelast en weigert het verzoek ({error.error}): "
                    "probeer het zo opnieuw, of geef de nodes meer geheugen (BRIEVEN_OPENSEARCH_HEAP).") from error
            raise

    return guard()
