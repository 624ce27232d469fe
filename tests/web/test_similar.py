"""Near-identical hits as one, where a reader meets them: the search page ("+1 vergelijkbare",
a link that shows them all), the JSON (every hit unless `vergelijkbaar=0`) and the CLI
(`--collapse`). Over a real index of the example letters (tests/data/ranking_examples/),
two of which put the same question to two ministers."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.store import update_index
from search_ui import create_app

QUERY = "wachtlijst woonzorgcentrum"
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "ranking_examples"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("similar")
    corpus = root / "corpus"
    corpus.mkdir()
    for letter in EXAMPLES.glob("*.txt"):
        shutil.copy(letter, corpus / letter.name)
    update_index(root / "index", corpus)
    return root / "index"


@pytest.fixture(scope="module")
def client(index):
    return create_app({"INDEX_DIR": index, "PAGE_SIZE": 10, "TESTING": True}).test_client()


def test_the_page_shows_the_same_question_once_with_a_link_to_all(client):
    page = client.get("/", query_string={"q": QUERY}).get_data(as_text=True)
    assert page.count('href="/brief/vraag_minister_b') == 0  # folded under minister a's letter
    link = re.search(r'<a href="([^"]+)"[^>]*>\+1 vergelijkbare brief</a>', page)
    assert link, "the letter says +1 vergelijkbare brief, as a link"
    href = link.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query)["vergelijkbaar"] == ["1"]
    everything = client.get(href).get_data(as_text=True)
    assert 'href="/brief/vraag_minister_b' in everything
    assert "Toon ze als één treffer" in everything


def test_the_paragraph_view_says_it_too(client):
    page = client.get("/", query_string={"q": QUERY, "weergave": "alinea"}).get_data(as_text=True)
    assert "+1 vergelijkbare</a>" in page


def test_the_json_lists_every_hit_unless_asked(client):
    every = client.get("/api/search", query_string={"q": QUERY}).get_json()
    assert {"vraag_minister_a", "vraag_minister_b"} <= {h["letter_id"] for h in every["hits"]}
    assert all(h["similar"] == 0 for h in every["hits"])
    folded = client.get("/api/search", query_string={"q": QUERY, "vergelijkbaar": "0"}).get_json()
    question = [h for h in folded["hits"] if h["letter_id"].startswith("vraag_minister") and h["paragraph"] == 2]
    assert [(h["letter_id"], h["similar"]) for h in question] == [("vraag_minister_a", 1)]
    letters = client.get("/api/search", query_string={"q": QUERY, "vergelijkbaar": "0", "group": "letter"}).get_json()
    assert letters["letters"][0]["similar"] == 1


def test_a_bad_value_is_a_dutch_400(client):
    response = client.get("/", query_string={"q": QUERY, "vergelijkbaar": "ja"})
    assert response.status_code == 400
    assert "vergelijkbaar=1 of vergelijkbaar=0" in response.get_data(as_text=True)


def test_the_command_line_folds_them_when_asked(index):
    folded = CliRunner().invoke(main, ["--index", str(index), "search", QUERY, "--collapse"])
    assert folded.exit_code == 0 and "+1 vergelijkbare" in folded.output
    every = CliRunner().invoke(main, ["--index", str(index), "search", QUERY])
    assert "vraag_minister_b#2" in every.output and "vergelijkbare" not in every.output
