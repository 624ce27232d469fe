"""The fixed mix of 50 queries the latency benchmark runs, in this order, every pass.

Realistic for the scale data (Belgian federal parliament, 2020: taxes, unemployment, pensions,
covid, asylum, justice, railways, defence): single words, two to four words, phrases, prefixes,
operators, topic filters (NATO subtopics, which few paragraphs of this data carry; the taxonomy
covers all of government since issue 16, and the mix is kept as it was so that runs compare),
year filters and sorting by date. Every query asks for page 1
(10 hits, highlighted snippets) with full facet counts, as the search page does.

Each query is a dict: q (the query text, which may hold onderwerp:/jaar: filters), and optional
sort ("relevance", "date-desc", "date-asc"), topic (a slug sent as ?onderwerp=), year (?jaar=).
"""
from __future__ import annotations

QUERIES: list[dict] = [
    # single words
    {"q": "belastingen"},
    {"q": "werkloosheid"},
    {"q": "pensioen"},
    {"q": "klimaat"},
    {"q": "asiel"},
    {"q": "politie"},
    {"q": "gevangenissen"},
    {"q": "ziekenhuizen"},
    {"q": "mondmaskers"},
    {"q": "zelfstandigen"},
    {"q": "fraude"},
    {"q": "btw"},
    {"q": "NMBS"},
    {"q": "Defensie"},
    {"q": "vaccinatie"},
    {"q": "telewerk"},
    # two to four words
    {"q": "tijdelijke werkloosheid corona"},
    {"q": "federale overheidsdienst financiën"},
    {"q": "fiscale fraude bestrijden"},
    {"q": "geluidshinder luchthaven Zaventem"},
    {"q": "kernuitstap energieprijzen"},
    {"q": "asielaanvragen Griekenland vluchtelingen"},
    {"q": "overbruggingsrecht zelfstandigen"},
    {"q": "pensioen ambtenaren berekening"},
    # phrases
    {"q": '"federale overheid"'},
    {"q": '"tijdelijke werkloosheid"'},
    {"q": '"openbare dienstverlening"'},
    {"q": '"Europese Commissie"'},
    {"q": '"sociale zekerheid" pensioen'},
    {"q": '"Dienst Vreemdelingenzaken"'},
    # prefixes and fuzzy
    {"q": "covid*"},
    {"q": "belasting*"},
    {"q": "pensioen* zelfstandigen"},
    {"q": "klimat~"},
    # operators
    {"q": "belastingen EN fraude"},
    {"q": "treinen OF spoorwegen"},
    {"q": "asiel NIET Griekenland"},
    {"q": "(politie OF justitie) EN geweld"},
    # topic filters (NATO subtopics: few paragraphs of this data carry one)
    {"q": "klimaat onderwerp:klimaat"},
    {"q": "cyberaanvallen onderwerp:cyber"},
    {"q": "terrorisme", "topic": "terrorisme"},
    {"q": "Rusland onderwerp:rusland jaar:2020..2022"},
    # year filters
    {"q": "belastingen jaar:2021"},
    {"q": "werkloosheid jaar:2018..2020"},
    {"q": "pensioen", "year": 2023},
    {"q": "covid* datum:2020-01-01..2021-12-31"},
    # sorted by date
    {"q": "asiel", "sort": "date-desc"},
    {"q": "mondmaskers", "sort": "date-desc"},
    {"q": '"federale overheid"', "sort": "date-asc"},
    {"q": "Defensie jaar:2019", "sort": "date-desc"},
]

assert len(QUERIES) == 50, len(QUERIES)


def api_params(query: dict) -> dict[str, str]:
    """The /api/search parameters of a query."""
    params = {"q": query["q"]}
    if query.get("sort"):
        params["sort"] = query["sort"]
    if query.get("topic"):
        params["onderwerp"] = query["topic"]
    if query.get("year") is not None:
        params["jaar"] = str(query["year"])
    return params


def search_request(query: dict):
    """The SearchRequest of a query, for timing SearchService.search in-process."""
    from indexer.searching import SearchRequest, Sort

    return SearchRequest(
        query=query["q"],
        topics=[query["topic"]] if query.get("topic") else [],
        year=query.get("year"),
        sort=Sort(query.get("sort") or "relevance"),
        page=1,
        page_size=10,
    )


def label(query: dict) -> str:
    extra = [f"{k}={query[k]}" for k in ("topic", "year", "sort") if query.get(k)]
    return query["q"] + (f"  [{', '.join(extra)}]" if extra else "")
