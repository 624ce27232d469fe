"""Facets and totals are counted from a query's hits (indexer/searching/index_state.py): here
they are checked against the hits themselves, read back one by one, on the seed letters and on
the crafted Kamerstukken (ministries and dossiers), for queries with few hits and with many."""
from collections import Counter

import pytest

from indexer.searching import SearchRequest, SearchService, Sort

QUERIES = ["", "rusland", "navo*", '"artikel 5"', "dialoog met Rusland", "china OF cyber", "klimaat~",
           "politie", "dijken", "begroting", "jaar:2021..2022 defensie", "onderwerp:rusland"]


def counted_from_the_hits(service: SearchService, request: SearchRequest) -> dict:
    stream = service.hits(request)
    hits = list(stream)
    return {
        "total": stream.total,
        "letters": len({h.letter_id for h in hits}),
        "topic": Counter(t for h in hits for t in h.topics),
        "year": Counter(str(h.date.year) for h in hits if h.date),
        "ministry": Counter(m for h in hits for m in h.ministries),
        "dossier": Counter(h.dossier for h in hits if h.dossier),
        "letter_topic": Counter(t for letter in {h.letter_id: h for h in hits}.values() for t in letter.letter_topics),
    }


@pytest.mark.parametrize("which", ["index_dir", "kamerstuk_index"])
def test_facets_and_totals_are_those_of_the_hits(which, request):
    service = SearchService(request.getfixturevalue(which))
    try:
        checked = 0
        for query in QUERIES:
            for sort in (Sort.RELEVANCE, Sort.DATE_DESC):
                asked = SearchRequest(query, sort=sort, exact=True)  # as hits() asks it
                result = service.search(asked)
                expected = counted_from_the_hits(service, asked)
                assert result.total == expected["total"] and result.total_letters == expected["letters"], query
                for facet in ("year", "ministry", "dossier"):
                    got = {v.value: v.count for v in result.facets[facet]}
                    assert got == dict(expected[facet]), (query, facet)
                # the topic facets (of paragraphs, of letters): every theme of the hits, and the
                # subtopics of a chosen theme
                themes = {t.name for t in service.taxonomy.themes}
                for facet in ("topic", "letter_topic"):
                    got = {v.value: v.count for v in result.facets[facet]}
                    assert {t: n for t, n in expected[facet].items() if t in themes} == \
                           {t: n for t, n in got.items() if t in themes}, (query, facet)
                    assert all(expected[facet][t] == n for t, n in got.items()), (query, facet)
                checked += bool(result.total)
        assert checked >= 10
    finally:
        service.close()
