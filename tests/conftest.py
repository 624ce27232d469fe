"""Shared fixtures: a real index on disk, built once per session from the real letters."""
import shutil
from pathlib import Path

import pytest

from indexer.index import update_index
from indexer.search import SearchService

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
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
def service(index_dir):
    service = SearchService(index_dir)
    yield service
    service.close()
