"""Shared fixtures: a real index on disk, built once per session from the real letters."""
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-based tests run the same examples every time (a failure is reproducible, and a CI
# run does not depend on luck) and keep no example database in the work tree.
settings.register_profile("brieven", derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("brieven")

from indexer.store import letter_documents, update_index
from indexer.reading import read_letter
from indexer.searching import SearchService
from indexer.analysis import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def user_cache_dir(tmp_path_factory):
    """The tests, and the brieven processes they start, keep their cache (the Dutch word list)
    in a temporary directory, not in the user's ~/.cache."""
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


CORPUS = ROOT / "corpus"
KAMERSTUKKEN = ROOT / "tests" / "data" / "kamerstukken"
QRELS = ROOT.parent / "shared" / "eval" / "dev.json"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    """A copy of the seed letters, so no test can change the repository's corpus."""
    target = tmp_path_factory.mktemp("corpus")
    for letter in CORPUS.glob("*.txt"):
        shutil.copy(letter, target / letter.name)
    return target


@pytest.fixture(scope="session")
def index_dir(corpus_dir, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("index") / "index"
    summary = update_index(target, corpus_dir)
    assert summary.skipped == []
    return target


@pytest.fixture(scope="session")
def kamerstuk_index(tmp_path_factory) -> Path:
    """An index of the crafted Kamerstukken (four dossiers, five ministries) and one modern
    letter without a dossier (000: Buitenlandse Zaken and Defensie, by its signatures)."""
    corpus = tmp_path_factory.mktemp("kamerstuk-corpus")
    for letter in [*KAMERSTUKKEN.glob("*.txt"), CORPUS / "000_57bdeaef467bd125.txt"]:
        shutil.copy(letter, corpus / letter.name)
    target = tmp_path_factory.mktemp("kamerstuk-index") / "index"
    assert update_index(target, corpus).skipped == []
    return target


@pytest.fixture(scope="session")
def kamerstuk_service(kamerstuk_index):
    service = SearchService(kamerstuk_index)
    yield service
    service.close()


@pytest.fixture(scope="session")
def service(index_dir):
    service = SearchService(index_dir)
    yield service
    service.close()


@pytest.fixture(scope="session")
def seed_documents() -> list[dict]:
    """The Whoosh documents of the seed letters, as a build hands them to its writer."""
    taxonomy = load_taxonomy()
    return [doc for path in sorted(CORPUS.glob("*.txt"))
            for doc in letter_documents(read_letter(path), taxonomy, "stamp")]
