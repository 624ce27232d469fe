"""The web app through Flask's test client: every route, every bad parameter, escaping, contracts.

The app runs over the session's real index of the five seed letters (tests/conftest.py); the
escaping tests build a tiny extra index from one crafted letter.
"""
from __future__ import annotations

import csv
from datetime import date
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.store import update_index
from indexer.searching import Group, SearchRequest, Sort
from search_ui import create_app
from search_ui.markup import dutch_date, only_marks

ATOM = "{http://www.w3.org/2005/Atom}"
LETTER = "000_57bdeaef467bd125"  # dated 8 juni 2022, sections, a footnote, "Rusland" in many paragraphs
INFERRED = "001_26f99a2efbd12871"  # its date is inferred from the text
SCRIPT = "<script>alert(1)</script>"

EVIL_LETTER = """ Aan de Voorzitter van de Tweede Kamer der Staten-Generaal 

Den Haag, 3 maart 2023 

Hierbij bied ik u de brief over <script>alert(1)</script> en de dreiging van Rusland aan. 
Het gaat om Rusland &amp; China en om <b>vet</b> gedrukte woorden. 

De bescherming tegen <img src=x onerror=alert(2)> is belangrijk voor de NAVO en voor 
de dialoog met Rusland. 

De Minister van Defensie,
K.H. Ollongren 
"""
EVIL_META = {"title": "Brief over <script>alert(1)</script> & Rusland", "kamerstukken": ["Kamerstuk <i>1</i>"]}


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app(index_dir):
    return create_app({"INDEX_DIR": index_dir, "PAGE_SIZE": 10, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def evil_dirs(tmp_path_factory) -> tuple[Path, Path]:
    """A corpus of one crafted letter whose text and title hold markup, and its index."""
    corpus = tmp_path_factory.mktemp("evil-corpus")
    (corpus / "900_evil.txt").write_text(EVIL_LETTER, encoding="utf-8")
    (corpus / "900_evil.meta.json").write_text(json.dumps(EVIL_META), encoding="utf-8")
    index = tmp_path_factory.mktemp("evil-index") / "index"
    summary = update_index(index, corpus)
    assert summary.skipped == []
    return corpus, index


@pytest.fixture
def evil_client(evil_dirs):
    return create_app({"INDEX_DIR": evil_dirs[1], "TESTING": True}).test_client()


def text(response) -> str:
    return response.get_data(as_text=True)


def api(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, text(response)
    assert response.mimetype == "application/json"
    return response.get_json()


def without_took(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "took_ms"}


class Controls(HTMLParser):
    """Collects form controls and labels, and the page's anchors, for accessibility checks."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])


def parse(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# -- the factory ------------------------------------------------------------------------------
def test_factory_takes_config_and_makes_no_module_level_app(app, index_dir):
    import search_ui

    assert not hasattr(search_ui, "app")
    assert app.config["INDEX_DIR"] == index_dir
    assert app.config["PAGE_SIZE"] == 10
    assert not app.debug
    assert {"pages", "api"} <= set(app.blueprints)


def test_missing_index_is_a_503_that_says_what_to_do(tmp_path):
    client = create_app({"INDEX_DIR": tmp_path / "nothing"}).test_client()
    response = client.get("/?q=rusland")
    assert response.status_code == 503
    assert "brieven index" in text(response)
    assert client.get("/api/search").get_json()["error"]["status"] == 503


# -- search page ------------------------------------------------------------------------------
def test_start_page_is_dutch_with_labelled_controls_and_a_skip_link(client):
    response = client.get("/")
    assert response.status_code == 200
    html = text(response)
    assert '<html lang="nl">' in html
    page = parse(html)
    assert page.controls, "the search box and the date inputs"
    for control in page.controls:
        assert control.get("id") in page.label_for or control.get("aria-label"), control
    assert 'href="#inhoud"' in html and "inhoud" in page.ids
    assert 'type="date"' in html
    assert "/hulp" in page.links


def test_search_shows_hits_with_marked_snippets_and_links_to_the_paragraph(client, service):
    expected = service.search(SearchRequest(query="rusland"))
    html = text(client.get("/?q=rusland&weergave=alinea"))
    assert f"{expected.total} alinea&#39;s in {expected.total_letters} brieven" in html
    assert expected.total > 20, "more than two pages of hits"
    assert "<mark>Rusland</mark>" in html
    first = expected.hits[0]
    assert f'href="/brief/{first.letter_id}?q=rusland#p{first.number}"' in html
    assert first.title[:150] in html  # a long title is shortened (truncate(160))
    assert "8 juni 2022" in html  # the date, in Dutch
    assert "§ Rusland" in html  # the section
    assert f"Pagina 1 van {expected.pages}" in html


def test_inferred_dates_are_marked_in_hits(client):
    html = text(client.get("/?q=reflectiegroep"))
    assert "(datum afgeleid)" in html


def test_facet_links_add_and_remove_a_filter_and_reset_the_page(client, service):
    page = parse(text(client.get("/?q=rusland&weergave=alinea&pagina=2")))
    assert not [link for link in page.links if "onderwerp=china" in link], "subtopics wait for their theme"
    adds = [link for link in page.links if "onderwerp=buitenland" in link]
    assert adds, "a link that adds the theme Buitenlandse zaken"
    assert all("pagina" not in link for link in adds)
    filtered = text(client.get(adds[0]))
    assert f"{service.search(SearchRequest('rusland', topics=['buitenland'])).total} alinea" in filtered
    assert "Onderwerp: Buitenlandse zaken" in filtered  # the chip
    # the chosen theme shows its subtopics, indented, with their counts
    assert 'class="facet-sub"' in filtered
    russia = [link for link in parse(filtered).links if "onderwerp=rusland" in link]
    assert russia and "onderwerp=buitenland" in russia[0]
    narrowed = text(client.get(russia[0]))
    assert f"{service.search(SearchRequest('rusland', topics=['rusland'])).total} alinea" in narrowed
    removes = [link for link in parse(filtered).links if "onderwerp" not in link and "q=rusland" in link
               and link.startswith("/?")]
    assert removes, "the chip and the active facet link remove the filter"
    assert f"{service.search(SearchRequest('rusland')).total} alinea" in text(client.get(removes[0]))


def test_letter_page_shows_the_letters_topics_with_links(client):
    html = text(client.get("/brief/002_95be2f4c36980282"))
    assert "<dt>Onderwerpen</dt>" in html and "Defensie" in html
    assert "onderwerp=Defensie" in html


def test_year_histogram_bars_link_to_years_with_the_count_as_text(client, service):
    html = text(client.get("/?q=rusland"))
    years = {v.value: v.count for v in service.search(SearchRequest("rusland")).facets["year"]}
    bars = re.findall(r'<a href="([^"]*jaar=(\d{4})[^"]*)" class="histogram-link[^"]*">(.*?)</a>', html, re.S)
    assert {year for _, year, _ in bars} == set(years) == {"2018", "2020", "2021", "2022"}
    for href, year, inner in bars:
        words = re.sub(r"<[^>]+>", " ", inner).split()
        assert year in words and any(w.isdigit() and w != year for w in words)  # "6 alinea's in 2018"
    assert "h0" in html  # 2019: an empty year keeps its place, without a link
    href_2018 = next(href for href, year, _ in bars if year == "2018")
    html_2018 = text(client.get(href_2018.replace("&amp;", "&")))
    assert f"{years['2018']} alinea" in html_2018 and "Jaar: 2018" in html_2018


def test_date_range_filters_and_shows_as_chips(client, service):
    expected = service.search(SearchRequest(query="rusland", date_from=parse_iso("2021-01-01"),
                                            date_to=parse_iso("2022-03-01")))
    html = text(client.get("/?q=rusland&van=2021-01-01&tot=2022-03-01"))
    assert f"{expected.total} alinea" in html
    assert "Vanaf 2021-01-01" in html and "Tot en met 2022-03-01" in html
    assert 'value="2021-01-01"' in html  # the date input keeps its value


def parse_iso(value: str):
    from indexer.reading import parse_iso_date

    return parse_iso_date(value)


@pytest.mark.parametrize("value, sort", [
    ("relevantie", Sort.RELEVANCE), ("nieuwste", Sort.DATE_DESC), ("oudste", Sort.DATE_ASC),
    ("date-desc", Sort.DATE_DESC), ("date-asc", Sort.DATE_ASC), ("relevance", Sort.RELEVANCE),
])
def test_sort_values_in_dutch_and_as_in_the_api(client, service, value, sort):
    data = api(client, f"/api/search?q=navo&sort={value}")
    expected = service.search(SearchRequest(query="navo", sort=sort))
    assert data["sort"] == sort.value
    assert [(h["letter_id"], h["paragraph"]) for h in data["hits"]] == [
        (h.letter_id, h.number) for h in expected.hits
    ]


def test_sort_links_and_paging(client, service):
    expected = service.search(SearchRequest("rusland"))
    total, pages = expected.total, expected.pages
    html = text(client.get("/?q=rusland&weergave=alinea"))
    assert 'href="/?q=rusland&amp;sort=nieuwste&amp;weergave=alinea"' in html
    assert 'rel="next" href="/?q=rusland&amp;weergave=alinea&amp;pagina=2"' in html
    second = text(client.get("/?q=rusland&weergave=alinea&pagina=2"))
    assert 'start="11"' in second and f"Pagina 2 van {pages}" in second
    assert 'rel="prev"' in second
    last = text(client.get(f"/?q=rusland&weergave=alinea&pagina={pages}"))
    assert 'rel="next"' not in last and f"{(pages - 1) * 10 + 1}–{total} van {total}" in last


def test_suggestion_links_to_the_corrected_query(client):
    html = text(client.get("/?q=borrell+ruslnd"))  # finds a little: a suggestion to follow
    assert "Bedoelde u" in html
    assert 'href="/?q=borrell+rusland"' in html


def test_a_query_that_finds_nothing_shows_its_suggestions_results(client, service):
    html = text(client.get("/?q=ruslnd"))
    expected = service.search(SearchRequest("rusland"))
    assert f"{expected.total} alinea&#39;s in {expected.total_letters} brieven voor “<span class=\"query\">rusland</span>”" in html
    assert 'Resultaten voor <strong>rusland</strong> — zoek in plaats daarvan naar' in html
    assert 'href="/?q=ruslnd&amp;letterlijk=1">ruslnd</a>' in html
    exact = text(client.get("/?q=ruslnd&letterlijk=1"))
    assert "Geen resultaten voor “ruslnd”" in exact and 'href="/?q=rusland"' in exact
    data = api(client, "/api/search?q=ruslnd")
    assert data["query"] == "ruslnd" and data["searched_instead"] == "rusland" and data["total"] == expected.total
    assert api(client, "/api/search?q=ruslnd&letterlijk=1")["total"] == 0


def test_a_page_without_results_shows_only_help_the_suggestion_and_a_way_out_of_the_filters(client):
    html = text(client.get("/?q=xyzzyqq&jaar=2018&onderwerp=rusland"))
    assert "Geen resultaten" in html and "/hulp" in html
    assert 'class="remove-filters" href="/?q=xyzzyqq"' in html
    for absent in ('aria-label="Sorteren"', "/feed.atom", "/export.csv", 'class="facet"', "<details",
                   'class="chips"', 'aria-label="Weergave"'):
        assert absent not in html, absent


def test_per_letter_is_the_page_default_and_paragraphs_the_jsons(client, service):
    expected = service.search(SearchRequest("rusland", group=Group.LETTER))
    html = text(client.get("/?q=rusland"))
    assert html.count('class="hit letter-result"') == len(expected.letters) == expected.total_letters
    assert "Brieven 1–5 van 5" in html
    for letter in expected.letters:
        assert html.count(f'href="/brief/{letter.letter_id}?q=rusland#p') == len(letter.hits) + 1  # title too
    data = api(client, "/api/search?q=rusland")
    assert data["group"] == "paragraph" and data["letters"] == [] and len(data["hits"]) == 10
    grouped = api(client, "/api/search?q=rusland&group=letter")
    assert grouped == {**expected.to_dict(), "took_ms": grouped["took_ms"]}
    assert api(client, "/api/search?q=rusland&weergave=brief")["group"] == "letter"
    assert client.get("/api/search?q=rusland&group=brieven").status_code == 400


def test_notice_for_a_malformed_query_is_shown(client):
    html = text(client.get('/?q=%22artikel+5'))
    assert 'class="notice"' in html and "gewone woorden" in html


def test_empty_state_helps(client):
    html = text(client.get("/?q=xyzzyqq&jaar=2018"))
    assert "Geen resultaten voor “xyzzyqq” met deze filters" in html
    assert "zonder filters" in html and "/hulp" in html


def test_feed_is_linked_from_the_search_page(client):
    html = text(client.get("/?q=rusland&jaar=2022"))
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="/feed\.atom\?q=rusland&amp;jaar=2022"', html)
    assert 'href="/feed.atom?q=rusland&amp;jaar=2022"' in html  # visible too
    assert 'href="/export.csv?q=rusland&amp;jaar=2022"' in html


def test_a_page_past_the_last_redirects_to_the_last(client, service):
    response = client.get("/?q=rusland&weergave=alinea&pagina=1000000000")
    assert response.status_code == 302
    last = str(service.search(SearchRequest("rusland")).pages)
    assert query_of(response.headers["Location"]) == {"q": ["rusland"], "weergave": ["alinea"], "pagina": [last]}
    empty = client.get("/?q=xyzzyqq&pagina=4")
    assert empty.status_code == 302 and "pagina" not in empty.headers["Location"]


def test_empty_form_fields_redirect_to_a_clean_url(client):
    response = client.get("/?q=rusland&weergave=alinea&van=&tot=&pagina=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/?q=rusland&weergave=alinea&pagina=2"


def test_api_past_the_last_page_answers_like_the_cli(client, service):
    data = api(client, "/api/search?q=rusland&pagina=1000000000")
    assert data["hits"] == [] and data["total"] == service.search(SearchRequest("rusland")).total
    assert "bestaat niet" in data["notice"]


# -- bad parameters ---------------------------------------------------------------------------
BAD = [
    ("pagina=-1", "pagina"),
    ("pagina=0", "pagina"),
    ("pagina=abc", "pagina"),
    ("pagina=" + "9" * 5000, "pagina"),
    ("pagina=%C2%B2", "pagina"),  # "²": str.isdigit() says yes, int() says no
    ("pagina=--5", "pagina"),
    ("pagina=%D9%A3", "pagina"),  # an Arabic-Indic three
    ("aantal=%C2%B9", "aantal"),
    ("jaar=%C2%B2%C2%B2%C2%B2%C2%B2", "jaartal"),
    ("jaar=%D9%A2%D9%A0%D9%A2%D9%A2", "jaartal"),
    ("aantal=0", "aantal"),
    ("aantal=101", "aantal"),
    ("jaar=abc", "jaartal"),
    ("jaar=99999", "jaartal"),
    ("van=2022-13-45", "geen geldige datum"),
    ("tot=gisteren", "geen geldige datum"),
    ("van=2022-06-01&tot=2021-01-01", "periode"),
    ("q=" + "woord " * 1700, "te lang"),
    ("q=" + "a" * 10_000, "te lang"),
    ("sort=willekeurig", "sortering"),
    ("onderwerp=onbekend", "Onbekend onderwerp"),
    ("onderwerp=" + "x" * 500, "te lang"),
    ("dossier=abc", "geen dossiernummer"),
    ("dossier=" + "1" * 500, "te lang"),
    ("ministerie=" + "x" * 500, "te lang"),
]


@pytest.mark.parametrize("params, words", BAD, ids=[p[:30] for p, _ in BAD])
@pytest.mark.parametrize("route", ["/", "/api/search", "/feed.atom", "/export.csv"])
def test_bad_parameters_are_a_400_with_a_dutch_message(client, route, params, words):
    response = client.get(f"{route}?{params}")
    assert response.status_code == 400, text(response)[:300]
    if route == "/api/search":
        error = response.get_json()["error"]
        assert error["status"] == 400
        message = error["message"]
    else:
        assert response.mimetype == "text/html"
        message = text(response)
        assert "Foutcode 400" in message
    assert words.lower() in message.lower()
    assert len(message) < 5000  # a 10,000-character query is not echoed back


def test_a_long_query_on_the_letter_page_is_a_400(client):
    assert client.get(f"/brief/{LETTER}?q=" + "a" * 10_000).status_code == 400
    assert client.get(f"/api/brief/{LETTER}?q=" + "a" * 10_000).get_json()["error"]["status"] == 400


NASTY = ["/?q=%00", "/?q=%ff%fe", "/?q=((((", "/?q=)", '/?q="', "/?q=*", "/?q=~", "/?q=jaar:abc",
         "/?q=datum:2022-13-45", "/?q=onderwerp:niets", "/?q=NIET", "/?q=-rusland", "/?q=a~9",
         "/?onderwerp=&jaar=&van=&tot=&sort=&pagina=", "/?pagina=%20", "/?jaar=2022&jaar=abc",
         "/brief/%00", "/brief/..%2F..%2Fetc%2Fpasswd", "/brief/" + "x" * 3000, "/api/brief/%2e%2e",
         "/feed.atom?q=((", "/export.csv?q=*"]


@pytest.mark.parametrize("url", NASTY)
def test_nothing_a_visitor_sends_is_a_500(client, url):
    assert client.get(url).status_code < 500


# -- letter page ------------------------------------------------------------------------------
def test_letter_page_shows_the_whole_letter_with_anchors_sections_and_footnotes(client, service):
    view = service.letter(LETTER)
    html = text(client.get(f"/brief/{LETTER}"))
    for p in view.paragraphs:
        assert f'id="p{p.number}"' in html
    assert f"<h1>{view.title}</h1>" in html
    assert "8 juni 2022" in html and "afgeleid" not in html
    for s in view.signatories:
        assert s.name in html and s.role in html
    for ref in view.kamerstukken:
        assert ref in html
    sections = {p.section for p in view.paragraphs if p.section and p.kind == "body"}
    for section in sections:
        anchor = re.search(rf'<h2 id="(deel-\d+)">{re.escape(section)}</h2>', html).group(1)
        assert f'<a href="#{anchor}">{section}</a>' in html  # in the table of contents
    footnotes = [p for p in view.paragraphs if p.kind == "footnote"]
    assert footnotes
    body, _, notes = html.partition('id="voetnoten"')
    assert f'id="p{footnotes[0].number}"' in notes and f'id="p{footnotes[0].number}"' not in body
    assert "<mark>" not in html


def test_letter_with_an_inferred_date_says_so(client):
    assert "afgeleid" in text(client.get(f"/brief/{INFERRED}"))


def test_letter_with_a_query_marks_matches_and_links_the_first(client, service):
    view = service.letter(LETTER, query="rusland")
    first = next(p.number for p in view.paragraphs if "<mark>" in p.html and p.kind == "body")
    html = text(client.get(f"/brief/{LETTER}?q=rusland"))
    assert "<mark>Rusland</mark>" in html
    assert f'class="first-hit" href="#p{first}"' in html
    assert f'data-first-hit="p{first}"' in html
    assert re.search(rf'class="para match" id="p{first}"', html)
    assert "letter.js" in html


def test_unknown_letter_is_a_404_page_and_json(client):
    response = client.get("/brief/bestaat_niet")
    assert response.status_code == 404 and "Niet gevonden" in text(response)
    assert client.get("/api/brief/bestaat_niet").get_json() == {
        "error": {"status": 404, "message": "Deze brief staat niet in de index. Zoek de brief op via de zoekpagina."}
    }


def test_unknown_route_is_a_dutch_404(client):
    response = client.get("/bestaat/niet")
    assert response.status_code == 404 and 'lang="nl"' in text(response)
    assert client.get("/api/niets").get_json()["error"]["status"] == 404


def test_help_page_summarises_the_query_language(client):
    html = text(client.get("/hulp"))
    assert "Zoekhulp" in html
    for piece in ('"artikel 5"', "EN", "OF", "NIET", "cyber*", "klimat~", "onderwerp:", "jaar:", "datum:"):
        assert f"<code>{piece}" in html


# -- JSON API ---------------------------------------------------------------------------------
@pytest.mark.parametrize("url, request_", [
    ("/api/search?q=rusland", SearchRequest(query="rusland")),
    ("/api/search?q=dialoog+met+Rusland&onderwerp=rusland&onderwerp=Oekraïne&sort=nieuwste&pagina=2&aantal=5",
     SearchRequest(query="dialoog met Rusland", topics=["rusland", "oekraine"], sort=Sort.DATE_DESC, page=2, page_size=5)),
    ("/api/search?q=navo&jaar=2022", SearchRequest(query="navo", year=2022)),
    ("/api/search?q=navo&van=2021-01-01&tot=30+juni+2022&sort=date-asc",
     SearchRequest(query="navo", date_from=parse_iso("2021-01-01"), date_to=parse_iso("2022-06-30"), sort=Sort.DATE_ASC)),
    ("/api/search?q=ruslnd", SearchRequest(query="ruslnd")),
    ("/api/search", SearchRequest()),
])
def test_api_search_is_the_cli_contract(client, service, url, request_):
    assert without_took(api(client, url)) == without_took(json.loads(json.dumps(service.search(request_).to_dict())))


def test_api_search_json_is_utf8_like_the_cli(client):
    raw = client.get("/api/search?q=Oekraine").get_data()
    assert "Oekraïne".encode() in raw


def test_api_letter_is_the_letter_view(client, service):
    assert api(client, f"/api/brief/{LETTER}") == json.loads(json.dumps(service.letter(LETTER).to_dict()))


# -- feed and export --------------------------------------------------------------------------
def test_atom_feed_has_one_entry_per_letter_newest_first(client, service):
    response = client.get("/feed.atom?q=rusland")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None
    entries = feed.findall(f"{ATOM}entry")
    letters = {h.letter_id for h in service.search(SearchRequest(query="rusland", page_size=100)).hits}
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(entries) == len(letters) == len(set(ids))
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    newest = service.letter(LETTER)
    first = entries[0]
    assert first.findtext(f"{ATOM}updated") == f"{newest.date.isoformat()}T00:00:00Z"
    assert first.findtext(f"{ATOM}id") == f"urn:brieven:brief:{LETTER}"
    link = first.find(f"{ATOM}link").get("href")
    assert re.fullmatch(rf"http://localhost/brief/{LETTER}\?q=rusland#p\d+", link)
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "<mark>" in summary.text
    # stable: the same feed twice has the same ids
    again = ET.fromstring(client.get("/feed.atom?q=rusland").get_data())
    assert [e.findtext(f"{ATOM}id") for e in again.findall(f"{ATOM}entry")] == ids


def test_feed_takes_the_same_filters(client):
    feed = ET.fromstring(client.get("/feed.atom?q=rusland&jaar=2018").get_data())
    assert len(feed.findall(f"{ATOM}entry")) == 1
    assert "jaar=2018" in feed.findtext(f"{ATOM}id")


@pytest.mark.parametrize("query", ["rusland", ""])
def test_csv_export_has_every_hit(client, service, query):
    response = client.get(f"/export.csv?q={query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="brieven-{query + "-" if query else "export-"}{date.today().isoformat()}.csv"')
    assert text(response).startswith("\ufeffletter_id;paragraph;")  # for Dutch Excel
    rows = list(csv.DictReader(io.StringIO((text(response)).removeprefix("\ufeff")), delimiter=";"))
    total = service.search(SearchRequest(query=query)).total
    assert len(rows) == total  # "" finds every paragraph: more than one page of 100
    assert list(rows[0]) == ["letter_id", "paragraph", "title", "date", "date_inferred", "section", "topics", "kind", "text",
                             "dossier", "kamerstuk", "sender", "ministries", "letter_topics"]
    assert len({(r["letter_id"], r["paragraph"]) for r in rows}) == total
    if query:  # the letter's topics, in one cell
        assert "Defensie" in rows[0]["letter_topics"].split(", ")


# -- safety -----------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/?q=rusland", f"/brief/{LETTER}", "/api/search?q=x", "/feed.atom",
                                 "/export.csv", "/hulp", "/brief/niet", "/?pagina=abc", "/static/style.css"])
def test_security_headers_on_every_response(client, url):
    with client.get(url) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/?q=rusland", f"/brief/{LETTER}?q=rusland", "/hulp", "/?pagina=x"):
        html = text(client.get(url))
        assert "style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_a_query_with_markup_shows_as_text(client):
    html = text(client.get("/?q=" + SCRIPT))
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_letter_with_markup_shows_as_text(evil_client):
    html = text(evil_client.get("/?q=rusland"))
    assert "Brief over &lt;script&gt;alert(1)&lt;/script&gt; &amp; Rusland" in html
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html or "&lt;img src=x onerror=alert(2)&gt;" in html
    letter = text(evil_client.get("/brief/900_evil?q=rusland"))
    assert "<script>" not in letter and "<img" not in letter and "<i>1</i>" not in letter
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in letter
    assert "&amp;amp;" in letter  # the letter's own "&amp;" is text, shown as written
    assert "<mark>Rusland</mark>" in letter
    feed = ET.fromstring(evil_client.get("/feed.atom?q=rusland").get_data())
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == EVIL_META["title"]
    assert SCRIPT in api(evil_client, "/api/brief/900_evil")["title"]  # JSON carries the text as is


@pytest.mark.parametrize("given, expected", [
    ("plain &amp; &lt;b&gt;", "plain &amp; &lt;b&gt;"),
    ("a <mark>b</mark> c", "a <mark>b</mark> c"),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ('<mark onclick="x">b</mark>', "&lt;mark onclick=&#34;x&#34;&gt;b"),  # the stray </mark> is dropped
    ("<mark>open", "<mark>open</mark>"),
    ("close</mark>", "close"),
    ("R&D & co", "R&amp;D &amp; co"),
    ("<mark><mark>x</mark></mark>", "<mark>x</mark>"),
])
def test_only_marks_keeps_mark_and_escapes_the_rest(given, expected):
    assert str(only_marks(given)) == expected


def test_dutch_dates():
    assert dutch_date(parse_iso("2022-06-08")) == "8 juni 2022"
    assert dutch_date(None) == "zonder datum"


# -- re-indexing and serving ------------------------------------------------------------------
def test_a_reindex_is_seen_by_the_next_request(tmp_path, corpus_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"{LETTER}.txt").write_bytes((corpus_dir / f"{LETTER}.txt").read_bytes())
    index = tmp_path / "index"
    update_index(index, corpus)
    client = create_app({"INDEX_DIR": index}).test_client()
    assert api(client, "/api/search?q=reflectiegroep")["total"] == 0
    (corpus / f"{INFERRED}.txt").write_bytes((corpus_dir / f"{INFERRED}.txt").read_bytes())
    update_index(index, corpus)
    assert api(client, "/api/search?q=reflectiegroep")["total"] > 0
    assert client.get(f"/brief/{INFERRED}").status_code == 200


def test_serve_runs_a_worker_per_core_unless_debug(app, monkeypatch):
    """`brieven serve`: gunicorn with one worker per core (tests/web/test_workers.py runs it
    for real); Flask's development server only for --debug."""
    import os

    from search_ui import serve as serving

    calls = []
    monkeypatch.setattr(serving, "_run_gunicorn", lambda app_, host, port, workers, log, warm:
                        calls.append(("gunicorn", app_, workers, host, port)))
    monkeypatch.setattr(serving, "_answers_directory", lambda workers: None)  # this module's app keeps its cache
    monkeypatch.setattr(type(app), "run", lambda self, **kw: calls.append(("flask", self, kw)))
    serving.serve(app, "127.0.0.1", 0)
    serving.serve(app, "127.0.0.1", 5124, debug=True)
    assert calls[0] == ("gunicorn", app, len(os.sched_getaffinity(0)), "127.0.0.1", 0)
    assert calls[1] == ("flask", app, {"host": "127.0.0.1", "port": 5124, "debug": True})


def test_the_server_keeps_its_index_in_memory_while_it_runs(app, monkeypatch):
    """One thread of the main process reads the index through while the workers serve
    (indexer/store/resident.py); it ends with the server."""
    import threading

    from search_ui import serve as serving

    keeper = "brieven-index-in-memory"
    seen = []
    monkeypatch.setattr(serving, "_run_gunicorn", lambda *args: seen.append(
        any(t.name == keeper for t in threading.enumerate())))
    monkeypatch.setattr(serving, "_answers_directory", lambda workers: None)
    serving.serve(app, "127.0.0.1", 0, workers=2)
    assert seen == [True]
    assert not any(t.name == keeper for t in threading.enumerate())


def test_a_server_removes_the_answers_left_by_servers_that_were_killed(tmp_path, monkeypatch):
    """Several workers share their answers in a directory of the server's own, named with its
    process id; one killed outright cannot remove it, so the next server does."""
    import os
    import subprocess
    import sys
    import tempfile

    from search_ui import serve as serving

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    killed = tmp_path / f"brieven-antwoorden-{ended.pid}-x1y2"
    running = tmp_path / f"brieven-antwoorden-{os.getpid()}-z3"
    other = tmp_path / "brieven-antwoorden-notes"
    for directory in (killed, running, other):
        directory.mkdir()
        (directory / "answers.sqlite").write_bytes(b"")
    made = serving._answers_directory(workers=2)
    assert made is not None and made.parent == tmp_path and made.name.startswith(f"brieven-antwoorden-{os.getpid()}-")
    assert not killed.exists() and running.exists() and other.exists()
    assert serving._answers_directory(workers=1) is None


def test_serve_defaults_to_loopback():
    import inspect

    from search_ui.serve import serve

    params = inspect.signature(serve).parameters
    assert params["host"].default == "127.0.0.1" and params["debug"].default is False


# -- what a letter is: Kamerstuk, dossier, sender, ministries -----------------------------------
@pytest.fixture(scope="module")
def kamerstuk_client(kamerstuk_index):
    return create_app({"INDEX_DIR": kamerstuk_index, "TESTING": True}).test_client()


def test_the_letter_page_says_what_the_letter_is_in_dutch(kamerstuk_client):
    html = text(kamerstuk_client.get("/brief/kst-21461-46"))
    for label in ("<dt>Kamerstuk</dt>", "<dt>Dossier</dt>", "<dt>Afzender</dt>", "<dt>Ministerie</dt>"):
        assert label in html
    assert "kst-21461-46" in html and "Een nieuw politiebestel" in html and "De minister van Justitie" in html
    assert 'href="/?dossier=21461"' in html and 'href="/?ministerie=justitie"' in html
    assert "Kenmerk" not in html  # the internal id is not the letter's kenmerk


def test_ministry_and_dossier_facets_on_the_page(kamerstuk_client):
    html = text(kamerstuk_client.get("/?q=dialoog"))
    assert 'id="facet-ministerie"' in html and 'id="facet-dossier"' in html
    assert 'href="/?q=dialoog&amp;ministerie=buitenlandse-zaken"' in html
    assert 'href="/?q=dialoog&amp;dossier=35925-V"' in html
    chosen = text(kamerstuk_client.get("/?q=dialoog&ministerie=buitenlandse-zaken&dossier=35925-V"))
    assert "Ministerie: Buitenlandse Zaken" in chosen and "Dossier: 35925-V" in chosen  # the chips
    assert "Kamerstuk kst-35925-V-84" in chosen and "de ministers van Buitenlandse Zaken en van Defensie" in chosen


def test_the_api_carries_the_facets_filters_and_letter_fields(kamerstuk_client):
    data = api(kamerstuk_client, "/api/search?q=&ministerie=justitie")
    assert {h["letter_id"] for h in data["hits"]} == {"kst-21461-46"}
    assert data["filters"]["ministries"] == ["Justitie"]
    assert data["facets"]["dossier"] == [{"value": "21461", "count": data["total"], "label": "Een nieuw politiebestel"}]
    letter = api(kamerstuk_client, "/api/brief/kst-21461-46")
    assert (letter["kamerstuk"], letter["dossier"], letter["sender"]) == (
        "kst-21461-46", "21461", "de minister van Justitie")


# -- exports for a spreadsheet, completions ---------------------------------------------------
def test_csv_values_are_what_a_spreadsheet_reads(client):
    body = text(client.get("/export.csv?q=reflectiegroep"))
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert rows and {r["date_inferred"] for r in rows} <= {"ja", "nee"} and "ja" in {r["date_inferred"] for r in rows}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]) for r in rows)
    assert "True" not in body and "False" not in body


def test_xlsx_export_has_the_same_rows_typed(client, service):
    import openpyxl

    response = client.get("/export.xlsx?q=Oekraïne")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == f'attachment; filename="brieven-oekraine-{date.today().isoformat()}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    csv_rows = list(csv.DictReader(io.StringIO(text(client.get("/export.csv?q=Oekraïne")).removeprefix("\ufeff")),
                                   delimiter=";"))
    assert list(rows[0]) == list(csv_rows[0]) and len(rows) - 1 == len(csv_rows) == service.search(SearchRequest("Oekraïne")).total
    first = dict(zip(rows[0], rows[1]))
    assert isinstance(first["paragraph"], int) and first["date"].year >= 2018 and "ï" in "".join(str(v) for v in rows[1])


def test_suggest_completes_from_the_index_vocabulary(client):
    data = api(client, "/api/suggest?q=oek")
    assert data["query"] == "oek"
    assert data["suggestions"][0] == {"value": "Oekraïne", "text": "Oekraïne", "kind": "topic", "letters": 4, "detail": None}
    typed = api(client, "/api/suggest?q=dialoog+met+rus")["suggestions"]
    assert typed[0]["value"] == "dialoog met Rusland" and all(s["value"].startswith("dialoog met ") for s in typed)
    phrases = api(client, "/api/suggest?q=NATO+Re")["suggestions"][:2]  # what takes in both words first
    assert {p["value"] for p in phrases} == {"NATO Response Force", "NATO Readiness Initiative"}
    assert {p["kind"] for p in phrases} == {"synonym", "abbreviation"}
    assert api(client, "/api/suggest?q=x")["suggestions"] == [] and api(client, "/api/suggest")["suggestions"] == []
    assert client.get("/api/suggest?q=" + "a" * 2000).status_code == 400
