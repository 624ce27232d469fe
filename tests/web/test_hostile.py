"""Hostile requests over every route: thousands of generated URLs, and any Unicode (or any byte)
in every URL parameter, answered with a result or a 400 in Dutch, never a 500.

A small index of two crafted letters keeps each request to about a millisecond, so the
thousands of requests take a few seconds (Flask's test client, no network).
"""
from __future__ import annotations

import itertools
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.store import update_index
from search_ui import create_app

LETTERS = {
    "brief-a": """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 8 juni 2022

Hierbij bied ik u de brief aan over de NAVO, Rusland en de dialoog met China.

Belastingen

De belasting op zorg\x07 en de defensie-uitgaven stijgen in 2022.
""",
    "brief-b": """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 3 maart 2018

=HYPERLINK("x") <script>alert(1)</script> over cyberdreigingen & klimaat.
""",
}
SEARCH_ROUTES = ["/", "/api/search", "/feed.atom", "/export.csv"]
PARAMETERS = ["q", "onderwerp", "jaar", "van", "tot", "sort", "pagina", "aantal"]
NASTY = [
    "", " ", "%00", "%01", "%1b%5b31m", "%ff%fe", "%C2%B2", "%C2%B9", "--5", "-1", "0", "1e3", "0x10",
    "%D9%A3", "%C2%B2%C2%B2%C2%B2%C2%B2", "9" * 300, "2022", "2022-13-45", "2022-02-30", "..",
    "%28" * 300 + "a" + "%29" * 300, "a%2A+" * 200, "aa~2+" * 150, "%22", "%22%22", "*", "~", "AND+OR+NOT",
    "+-+-", "jaar:2022..2020", "datum:..", "onderwerp:", "%3Cscript%3E", "%E2%80%AE", "%EF%BF%BE",
    "%ED%A0%80", "..%2F..%2Fetc%2Fpasswd", "relevantie", "nieuwste", "x" * 1500, "%F0%9F%98%80",
]
QUERY_PIECES = ["rusland", "navo", "belasting*", "zorg~", "%22dialoog+met%22", "%28", "%29", "EN", "OF", "NIET",
                "-china", "%2Bklimaat", "jaar:2022", "jaar:2018..2022", "datum:2018-01-01..", "onderwerp:rusland",
                "onderwerp:onbekend", "cyber*", "a*", "~2", "%3A", "defensie-uitgaven", "China%27s"]
DUTCH = re.compile(r"\b(de|het|een|is|niet|geen|van|voor|gebruik|kies|deze)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    for name, text in LETTERS.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("hostile-index") / "index"
    assert update_index(index, corpus).skipped == []
    return index


@pytest.fixture(scope="module")
def client(small_index):
    return create_app({"INDEX_DIR": small_index, "TESTING": True}).test_client()


def check(response, allowed=(200, 302, 400)) -> None:
    """A result, or a refusal that says in Dutch what was wrong; never a server error."""
    assert response.status_code in allowed, (response.status_code, response.get_data(as_text=True)[:300])
    if response.status_code == 200 and response.mimetype == "application/atom+xml":
        ET.fromstring(response.get_data())  # a feed parses as XML, whatever the query held
    if response.status_code >= 400:
        if response.mimetype == "application/json":
            message = response.get_json()["error"]["message"]
        else:
            message = response.get_data(as_text=True)
            assert "Foutcode" in message
        assert DUTCH.search(message), message[:300]
    response.close()


def hostile_urls() -> list[str]:
    """Every route with every parameter set to every nasty value, then random mixtures."""
    urls = [f"{route}?{name}={value}" for route in SEARCH_ROUTES for name in PARAMETERS for value in NASTY]
    urls += [f"{prefix}{quote(value, safe='%')}" for prefix in ("/brief/", "/api/brief/") for value in NASTY if value]
    urls += [f"/brief/brief-a?q={value}" for value in NASTY]
    rng = random.Random(13)
    for _ in range(600):
        route = rng.choice(SEARCH_ROUTES)
        params = "&".join(f"{rng.choice(PARAMETERS)}={rng.choice(NASTY)}" for _ in range(rng.randint(1, 4)))
        urls.append(f"{route}?{params}")
    for _ in range(1000):  # queries made of the query language's pieces and nasty values
        words = rng.choices(QUERY_PIECES + NASTY[:20], k=rng.randint(1, 12))
        urls.append(f"{rng.choice(SEARCH_ROUTES)}?q={'+'.join(words)}")
    return urls


def test_thousands_of_hostile_requests_get_no_server_error(client):
    urls = hostile_urls()
    assert len(urls) > 2000
    statuses = {}
    for url in urls:
        response = client.get(url)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        check(response, allowed=(200, 302, 400, 404))
    assert statuses.get(200, 0) > 1000 and statuses.get(400, 0) > 1000  # both kinds of answer are exercised


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=150)
@given(route=st.sampled_from(SEARCH_ROUTES),
       params=st.dictionaries(st.sampled_from(PARAMETERS), TEXT, max_size=4))
def test_any_unicode_in_any_parameter_is_a_result_or_a_dutch_400(client, route, params):
    check(client.get(route, query_string=params))


@settings(max_examples=150)
@given(route=st.sampled_from(SEARCH_ROUTES), name=st.sampled_from(PARAMETERS), raw=st.binary(max_size=40))
def test_any_bytes_in_any_parameter_is_a_result_or_a_dutch_400(client, route, name, raw):
    check(client.get(f"{route}?{name}={quote_from_bytes(raw)}"))


@settings(max_examples=150)
@given(route=st.sampled_from(["/brief/", "/api/brief/"]), letter=TEXT, q=TEXT)
def test_any_letter_id_and_query_is_a_letter_a_404_or_a_dutch_400(client, route, letter, q):
    check(client.get(route + quote(letter or "x", safe=""), query_string={"q": q}), allowed=(200, 400, 404))


def test_every_route_answers_every_nasty_pair_of_parameters(client):
    for (a, b), value in zip(itertools.combinations(PARAMETERS, 2), itertools.cycle(NASTY)):
        check(client.get(f"/api/search?{a}={value}&{b}={value}"))
