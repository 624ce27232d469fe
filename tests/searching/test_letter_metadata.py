"""Searching by what a letter is: ministry and dossier facets, filters, the query syntax, and
the metadata every hit, letter and export carries. Over a real index of crafted Kamerstukken
and one modern letter (tests/conftest.py)."""
from __future__ import annotations

import pytest

from indexer.searching import SearchRequest

POLITIE = "kst-21461-46"  # de minister van Justitie, dossier 21461 "Een nieuw politiebestel"
RUSLAND = "kst-35925-V-84"  # de ministers van Buitenlandse Zaken en van Defensie, dossier 35925-V
DIJKEN = "kst-17600-XII-51"  # de minister van Verkeer en Waterstaat, dossier 17600-XII
MODERN = "000_57bdeaef467bd125"  # no dossier; Buitenlandse Zaken and Defensie by its signatures


def search(service, query="", **kwargs):
    return service.search(SearchRequest(query=query, page_size=100, **kwargs))


def paragraphs(service, *letter_ids) -> int:
    return sum(len(service.letter(i).paragraphs) for i in letter_ids)


def test_ministry_facet_counts_every_hit_under_the_ministrys_name(kamerstuk_service):
    facet = {v.value: (v.slug, v.count) for v in search(kamerstuk_service).facets["ministry"]}
    assert facet["Justitie"] == ("justitie", paragraphs(kamerstuk_service, POLITIE))
    assert facet["Buitenlandse Zaken"] == ("buitenlandse-zaken", paragraphs(kamerstuk_service, RUSLAND, MODERN))
    assert facet["Wederopbouw en Volkshuisvesting"][0] == "wederopbouw-en-volkshuisvesting"
    assert set(facet) == {"Justitie", "Buitenlandse Zaken", "Defensie", "Verkeer en Waterstaat",
                          "Wederopbouw en Volkshuisvesting"}


def test_dossier_facet_is_labelled_with_the_dossiers_title(kamerstuk_service):
    facet = {v.value: (v.label, v.count) for v in search(kamerstuk_service).facets["dossier"]}
    assert facet["21461"] == ("Een nieuw politiebestel", paragraphs(kamerstuk_service, POLITIE))
    assert set(facet) == {"21461", "35925-V", "17600-XII", "4100-IXA"}  # the modern letter has none


@pytest.mark.parametrize("request_filters, query, letters", [
    ({"ministries": ("justitie",)}, "", {POLITIE}),
    ({}, "ministerie:justitie", {POLITIE}),
    ({}, 'ministerie:"Buitenlandse Zaken"', {RUSLAND, MODERN}),
    ({}, "ministerie:defensie ministerie:buitenlandse-zaken", {RUSLAND, MODERN}),  # all of them
    ({"ministries": ("wederopbouw",)}, "", {"zitting-4100-IXA-21"}),  # a part of the name
    ({"dossiers": ("21 461",)}, "", {POLITIE}),
    ({}, "dossier:35925-V", {RUSLAND}),
    ({}, 'dossier:"35 925 V"', {RUSLAND}),
    ({}, "dossier:17600", {DIJKEN}),  # a dossier includes its chapters
    ({}, "dialoog dossier:17600-XII", {DIJKEN}),
    ({"ministries": ("defensie",)}, "Rusland", {RUSLAND, MODERN}),
])
def test_filters_by_ministry_and_dossier(kamerstuk_service, request_filters, query, letters):
    result = search(kamerstuk_service, query, **request_filters)
    assert result.total and {h.letter_id for h in result.hits} == letters
    assert result.notice is None


def test_an_unknown_ministry_or_dossier_finds_nothing_and_says_why(kamerstuk_service):
    unknown = search(kamerstuk_service, "ministerie:landbouw")
    assert unknown.total == 0 and "Geen ministerie ‘landbouw’" in unknown.notice and "Justitie" in unknown.notice
    bad = search(kamerstuk_service, "dossier:abc")
    assert bad.total == 0 and "geen dossiernummer" in bad.notice
    absent = search(kamerstuk_service, dossiers=("99999",))
    assert absent.total == 0 and "Geen brieven in dossier 99999" in absent.notice


def test_filters_are_named_in_the_result(kamerstuk_service):
    result = search(kamerstuk_service, "dossier:21461", ministries=("justitie",))
    assert result.to_dict()["filters"]["ministries"] == ["Justitie"]
    assert result.to_dict()["filters"]["dossiers"] == ["21461"]


def test_every_hit_carries_what_its_letter_is(kamerstuk_service):
    hit = search(kamerstuk_service, "huisvestingsbeleid").to_dict()["hits"][0]
    assert (hit["letter_id"], hit["dossier"], hit["kamerstuk"], hit["sender"], hit["ministries"]) == (
        POLITIE, "21461", "kst-21461-46", "de minister van Justitie", ["Justitie"])
    modern = search(kamerstuk_service, "Strategisch Concept", ministries=("defensie",)).to_dict()["hits"][0]
    assert (modern["dossier"], modern["kamerstuk"], modern["sender"]) == (
        None, None, "de ministers van Buitenlandse Zaken en van Defensie")


def test_the_letter_view_and_the_export_carry_the_metadata(kamerstuk_service):
    view = kamerstuk_service.letter(DIJKEN).to_dict()
    assert (view["kamerstuk"], view["dossier"], view["document_number"], view["sender"], view["ministries"]) == (
        "kst-17600-XII-51", "17600-XII", "51", "de minister van Verkeer en Waterstaat", ["Verkeer en Waterstaat"])
    assert view["dossier_title"].startswith("Rijksbegroting voor het jaar 1983")
    assert view["notes"] == ["twee datumregels: 1983-03-04 (aangehouden) en 1983-03-02"]
    cites = kamerstuk_service.letter(RUSLAND).to_dict()
    assert cites["refers_to"] == cites["kamerstukken"] == ["Kamerstuk 21 461, nr. 46"]
    row = next(p for p in kamerstuk_service.paragraphs() if p.letter_id == POLITIE).row()
    assert (row["dossier"], row["kamerstuk"], row["sender"], row["ministries"]) == (
        "21461", "kst-21461-46", "de minister van Justitie", ["Justitie"])


def test_a_dossier_title_is_completed_into_the_dossiers_filter(kamerstuk_service):
    offered = [c.to_dict() for c in kamerstuk_service.complete("een nieuw pol")]
    assert {"value": "dossier:21461", "text": "Een nieuw politiebestel", "kind": "dossier",
            "letters": 1, "detail": "21461"} in offered
    chosen = search(kamerstuk_service, next(c["value"] for c in offered if c["kind"] == "dossier"))
    assert {h.letter_id for h in chosen.hits} == {POLITIE}
