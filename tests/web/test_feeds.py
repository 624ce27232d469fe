"""Feeds and exports under hostile input: control characters, forged Host headers, costly
searches, and exports that evaluate a query once."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from indexer.searching import service as service_module
from indexer.store import update_index
from search_ui import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
ODD_LETTER = """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 4 april 2023

Een brief over belasting\x07 en zorg\x01, met een \x1b[31mgekleurde\x1b[0m regel en een teken \ufffe erin.

=HYPERLINK("http://voorbeeld.invalid","klik") staat aan het begin van deze alinea over belasting.
"""


@pytest.fixture(scope="module")
def odd_index(tmp_path_factory) -> Path:
    """One letter whose text holds control characters and a formula."""
    corpus = tmp_path_factory.mktemp("odd-corpus")
    (corpus / "brief-met-stuurtekens.txt").write_text(ODD_LETTER, encoding="utf-8")
    index = tmp_path_factory.mktemp("odd-index") / "index"
    assert update_index(index, corpus).skipped == []
    return index


@pytest.fixture
def client(index_dir):
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


def feed(client, url: str, **kwargs) -> ET.Element:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return ET.fromstring(response.get_data())  # an XML parser: the feed must be well-formed


# -- control characters -----------------------------------------------------------------------
@pytest.mark.parametrize("query", ["%00", "%01", "belasting%00zorg", "rusland%1b%5b31m", "%ef%bf%be", "%0b%0c"])
def test_a_feed_parses_whatever_control_characters_the_query_holds(client, query):
    root = feed(client, f"/feed.atom?q={query}")
    assert "\x00" not in root.findtext(f"{ATOM}title")


def test_a_query_with_control_characters_is_searched_as_words(client):
    api = client.get("/api/search?q=rusland%00navo").get_json()
    assert api["query"] == "rusland navo" and api["total"] == client.get("/api/search?q=rusland+navo").get_json()["total"]
    assert feed(client, "/feed.atom?q=belasting%00zorg").findtext(f"{ATOM}title") == "brieven: belasting zorg"
    assert 'value="belasting zorg"' in client.get("/?q=belasting%00zorg").get_data(as_text=True)


def test_a_feed_parses_whatever_control_characters_a_letter_holds(odd_index):
    client = create_app({"INDEX_DIR": odd_index, "TESTING": True}).test_client()
    root = feed(client, "/feed.atom?q=belasting")
    summary = root.find(f"{ATOM}entry/{ATOM}summary").text
    assert "belasting" in summary and "\x07" not in summary and "\x1b" not in summary


def test_a_feed_without_entries_is_as_new_as_the_index(client, service):
    root = feed(client, "/feed.atom?q=xyzzyplugh")
    assert root.findall(f"{ATOM}entry") == []
    updated = datetime.fromisoformat(root.findtext(f"{ATOM}updated").replace("Z", "+00:00"))
    assert abs((updated - service.last_change()).total_seconds()) < 1  # not 1970


# -- links in feeds ---------------------------------------------------------------------------
def links(root: ET.Element) -> list[str]:
    return [link.get("href") for link in root.iter(f"{ATOM}link")]


def test_feed_links_come_from_the_configured_base_url(index_dir):
    client = create_app({"INDEX_DIR": index_dir, "BASE_URL": "https://brieven.example.nl/archief/"}).test_client()
    root = feed(client, "/feed.atom?q=rusland", headers={"Host": "evil.example"})
    assert all(href.startswith("https://brieven.example.nl/archief/") for href in links(root))
    assert "evil.example" not in ET.tostring(root, encoding="unicode")


def test_a_forged_host_never_gets_into_a_feed(client):
    root = feed(client, "/feed.atom?q=rusland", headers={"Host": "evil.example"})
    hrefs = links(root)
    assert hrefs and all(href.startswith("/") for href in hrefs)  # relative: resolved by the reader
    assert "evil.example" not in ET.tostring(root, encoding="unicode")
    assert root.findtext(f"{ATOM}id").startswith("urn:brieven:zoekopdracht:")


@pytest.mark.parametrize("host", ["127.0.0.1:5000", "localhost:8080", "[::1]:5000"])
def test_a_loopback_request_gets_absolute_links_from_itself(client, host):
    hrefs = links(feed(client, "/feed.atom?q=rusland", headers={"Host": host}))
    assert all(href.startswith(f"http://{host}/") for href in hrefs)


def test_the_feed_id_is_the_same_whatever_the_host(client):
    ids = {feed(client, "/feed.atom?q=rusland&jaar=2022", headers={"Host": host}).findtext(f"{ATOM}id")
           for host in ("localhost", "evil.example", "127.0.0.1:5000")}
    assert len(ids) == 1


def test_a_bad_base_url_is_refused_when_the_app_is_made(index_dir):
    from indexer.settings import BadSetting

    with pytest.raises(BadSetting, match="geen openbaar adres"):
        create_app({"INDEX_DIR": index_dir, "BASE_URL": "javascript:alert(1)"})


# -- one evaluation per export or feed --------------------------------------------------------
@pytest.fixture
def evaluations(monkeypatch) -> list[str]:
    """The queries the service evaluates (indexer/searching/matching.find), in order."""
    seen: list[str] = []
    real = service_module.find

    def counting(snapshot, state, parsed, *args, **kwargs):
        seen.append(parsed)
        return real(snapshot, state, parsed, *args, **kwargs)

    monkeypatch.setattr(service_module, "find", counting)
    return seen


def test_an_export_evaluates_its_query_once(client, service, evaluations):
    response = client.get("/export.csv?q=")
    rows = list(csv.DictReader(io.StringIO((response.get_data(as_text=True)).removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == service.stats()["paragraphs"] > 100  # more than a page of the service
    assert len(evaluations) == 1


def test_a_feed_evaluates_its_query_once(client, evaluations):
    assert len(feed(client, "/feed.atom?q=navo").findall(f"{ATOM}entry")) > 1
    assert len(evaluations) == 1


def test_an_export_larger_than_the_limit_is_refused_with_advice(client, monkeypatch):
    from search_ui import feeds

    monkeypatch.setattr(feeds, "MAX_EXPORT_ROWS", 10)
    response = client.get("/export.csv?q=rusland")
    assert response.status_code == 400 and "hoogstens 10" in response.get_data(as_text=True)
    assert client.get("/export.csv?q=%22artikel+5%22").status_code == 200


def test_export_cells_are_escaped_against_formulas(odd_index):
    client = create_app({"INDEX_DIR": odd_index, "TESTING": True}).test_client()
    rows = list(csv.DictReader(io.StringIO((client.get("/export.csv?q=belasting").get_data(as_text=True)).removeprefix("\ufeff")), delimiter=";"))
    assert any(r["text"].startswith("'=HYPERLINK(") for r in rows)
    assert not any(r[k].startswith(("=", "+", "-", "@")) for r in rows for k in r)


# -- costly searches --------------------------------------------------------------------------
@pytest.fixture
def late_client(index_dir):
    """Every search is past its deadline at once."""
    return create_app({"INDEX_DIR": index_dir, "TESTING": True, "SEARCH_SECONDS": 0}).test_client()


def test_a_search_past_its_deadline_says_so_everywhere(late_client):
    data = late_client.get("/api/search?q=rusland").get_json()
    assert data["incomplete"] is True and data["total"] == 0 and "afgebroken" in data["notice"]
    html = late_client.get("/?q=rusland").get_data(as_text=True)
    assert "Zoekopdracht afgebroken" in html and "onvolledig" in html
    for url in ("/feed.atom?q=rusland", "/export.csv?q=rusland"):
        response = late_client.get(url)
        assert response.status_code == 422 and "afgebroken" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["*", "~", "AND OR NOT", "+-+-", "jaar:abc"])
def test_a_query_of_only_operators_finds_nothing_with_a_notice(client, query):
    data = client.get("/api/search", query_string={"q": query}).get_json()
    assert data["total"] == 0 and "geen woord" in data["notice"]
    assert client.get("/api/search?q=").get_json()["total"] > 0  # an empty query still lists all


def test_a_year_range_the_wrong_way_round_gets_a_notice(client):
    data = client.get("/api/search", query_string={"q": "navo jaar:2022..2020"}).get_json()
    assert "jaar:2020..2022" in data["notice"] and data["total"] > 0
    data = client.get("/api/search", query_string={"q": "navo datum:..2020-01-01", "van": "2021-01-01"}).get_json()
    assert data["total"] == 0 and "is leeg" in data["notice"]


def test_the_letter_json_carries_its_notice(client):
    data = json.loads(client.get("/api/brief/000_57bdeaef467bd125?q=a*").get_data())
    assert "Niet gezocht" in data["notice"]


def test_the_help_page_tells_the_limits(index_dir):
    html = create_app({"INDEX_DIR": index_dir, "SEARCH_SECONDS": 3}).test_client().get("/hulp").get_data(as_text=True)
    assert "hoogstens 32 woorden" in html and "meer dan 3 seconden rekentijd" in html and "10.000 alinea" in html
