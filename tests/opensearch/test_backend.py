"""The OpenSearch backend against a real cluster: the same answers as the embedded index, from
the same letters, through the same service API, CLI and site."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.searching import Group, OpenSearchService, SearchRequest, Sort
from indexer.searching.bm25 import BM25
from indexer.store import update_opensearch
from indexer.store.opensearch_mapping import BM25_B, BM25_K1, terms_text
from search_ui import create_app


QUERIES = [
    "dialoog met Rusland", '"artikel 5"', "rusland EN dialoog", "china OF rusland", "rusland NIET china",
    "+rusland dialoog", "(china OF rusland) EN cyber", "cyber*", "klimat~", "onderwerp:rusland",
    "jaar:2022", "datum:2021-01-01..2022-06-30 navo", "ministerie:defensie rusland", "bondgenoot",
    "defensie-uitgaven", "uitgaven", "Oekraine", "China's", "NATO", "", "*", "de het van",
    "Oekriane", "dialoog met Rusladn", "bondgenootschapp",
]


def test_our_bm25_is_the_embedded_engines():
    assert (BM25_B, BM25_K1) == (BM25().B, BM25().K1)


def test_terms_are_sent_with_a_compounds_parts_at_its_position():
    assert terms_text("De defensie-uitgaven stijgen") == "defensieuitgav|defensie|uitgav stijg"


@pytest.mark.parametrize("query", QUERIES)
def test_every_query_finds_the_same_paragraphs_on_both_backends(service, os_service, query):
    ours, theirs = service.search(SearchRequest(query=query, page_size=100)), \
        os_service.search(SearchRequest(query=query, page_size=100))
    assert theirs.total == ours.total, query
    assert theirs.total_letters == ours.total_letters
    if ours.total <= 100:  # all of them on the page (beyond, ties may be cut differently)
        assert {(h.letter_id, h.number) for h in theirs.hits} == {(h.letter_id, h.number) for h in ours.hits}
    assert [f.__dict__ for f in theirs.facets["topic"]] == [f.__dict__ for f in ours.facets["topic"]]
    assert [f.__dict__ for f in theirs.facets["year"]] == [f.__dict__ for f in ours.facets["year"]]
    assert [f.__dict__ for f in theirs.facets["ministry"]] == [f.__dict__ for f in ours.facets["ministry"]]
    assert theirs.notice == ours.notice
    assert (theirs.suggestion, theirs.searched_instead) == (ours.suggestion, ours.searched_instead)


def test_the_best_hits_agree_and_are_marked(service, os_service):
    ours = service.search(SearchRequest(query="dialoog met Rusland"))
    theirs = os_service.search(SearchRequest(query="dialoog met Rusland"))
    top = lambda r, n: [(h.letter_id, h.number) for h in r.hits[:n]]  # noqa: E731
    assert top(theirs, 1) == top(ours, 1)
    assert len(set(top(theirs, 10)) & set(top(ours, 10))) >= 8
    assert all("<mark>" in h.snippet for h in theirs.hits)
    assert "<mark>Rusland</mark>" in theirs.hits[0].snippet


def test_a_year_filter_keeps_every_year_in_the_histogram(service, os_service):
    request = SearchRequest(query="navo", year=2022)
    ours, theirs = service.search(request), os_service.search(request)
    assert theirs.total == ours.total and {h.date.year for h in theirs.hits} == {2022}
    assert [(y.value, y.count) for y in theirs.year_histogram] == [(y.value, y.count) for y in ours.year_histogram]
    assert len(theirs.year_histogram) > 1


@pytest.mark.parametrize("sort", [Sort.DATE_DESC, Sort.DATE_ASC])
def test_date_order_and_paging_past_page_one(service, os_service, sort):
    for page in (1, 2, 3):
        request = SearchRequest(query="rusland", sort=sort, page=page, page_size=7)
        ours, theirs = service.search(request), os_service.search(request)
        assert [(h.letter_id, h.number) for h in theirs.hits] == [(h.letter_id, h.number) for h in ours.hits]
        assert all(h.score == 0 for h in theirs.hits)


def test_results_per_letter(service, os_service):
    request = SearchRequest(query="rusland", group=Group.LETTER, page_size=3)
    ours, theirs = service.search(request), os_service.search(request)
    assert theirs.total_letters == ours.total_letters and len(theirs.letters) == 3
    for letter in theirs.letters:
        assert 1 <= len(letter.hits) <= 3 and letter.matching >= len(letter.hits)
        assert all(h.letter_id == letter.letter_id for h in letter.hits)
    assert {(letter.letter_id, letter.matching) for letter in theirs.letters} <= \
        {(letter.letter_id, letter.matching) for letter in service.search(
            SearchRequest(query="rusland", group=Group.LETTER, page_size=50)).letters}


def test_the_json_contract_is_the_same(service, os_service):
    ours = service.search(SearchRequest(query="navo")).to_dict()
    theirs = os_service.search(SearchRequest(query="navo")).to_dict()
    assert list(theirs) == list(ours)
    assert list(theirs["hits"][0]) == list(ours["hits"][0])


def test_letters_exports_and_counts_are_the_same(service, os_service):
    letter_id = service.letter_ids()[0]
    assert os_service.letter_ids() == service.letter_ids()
    ours, theirs = service.letter(letter_id, "rusland"), os_service.letter(letter_id, "rusland")
    assert theirs.to_dict() == ours.to_dict()
    assert [p.html for p in theirs.paragraphs] == [p.html for p in ours.paragraphs]
    assert [p.row() for p in os_service.paragraphs()] == [p.row() for p in service.paragraphs()]
    assert os_service.topic_counts() == service.topic_counts()
    with os_service.hits(SearchRequest(query="rusland"), snippets=True) as stream:
        hits = list(stream)
    assert len(hits) == stream.total == service.search(SearchRequest(query="rusland")).total


def test_the_cli_speaks_to_the_cluster(cluster, os_config, tmp_path):
    env = {**os.environ, "BRIEVEN_BACKEND": "opensearch", "BRIEVEN_OPENSEARCH_URL": cluster.url,
           "BRIEVEN_OPENSEARCH_INDEX": os_config.alias}
    out = subprocess.run([sys.executable, "-m", "indexer.cli", "search", "rusland", "--json", "--year", "2022"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["total"] > 0 and result["filters"]["year"] == 2022
    stats = subprocess.run([sys.executable, "-m", "indexer.cli", "stats"], env=env, capture_output=True, text=True)
    assert os_config.alias in stats.stdout


def test_a_cluster_that_is_down_is_a_clear_message_and_exit_1(corpus_dir):
    env = {**os.environ, "BRIEVEN_OPENSEARCH_URL": "http://brieven:geheim@127.0.0.1:9",
           "BRIEVEN_OPENSEARCH_INDEX": "brieven-x"}
    for command in (["search", "rusland"], ["index"], ["stats"], ["show", "abc"]):
        out = subprocess.run([sys.executable, "-m", "indexer.cli", "--backend", "opensearch",
                              "--corpus", str(corpus_dir), *command],
                             env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 1, (command, out.stderr)
        assert "niet bereikbaar" in out.stderr and "make opensearch" in out.stderr
        assert "Traceback" not in out.stderr and "geheim" not in out.stderr


def test_the_site_answers_a_dutch_503_when_the_cluster_is_down(make_config, os_config):
    down = make_config("brieven-x", BRIEVEN_OPENSEARCH_URL="http://127.0.0.1:9")
    client = create_app({"OPENSEARCH": down, "TESTING": True}).test_client()
    page = client.get("/?q=rusland")
    assert page.status_code == 503
    assert "niet bereikbaar" in page.get_data(as_text=True)
    assert client.get("/api/search?q=rusland").status_code == 503
    up = create_app({"OPENSEARCH": os_config, "TESTING": True}).test_client()
    answer = up.get("/api/search?q=rusland")
    assert answer.status_code == 200 and answer.get_json()["total"] > 0
    assert "<mark>" in up.get("/?q=rusland").get_data(as_text=True)


def test_index_is_incremental_resumes_an_interrupted_bulk_and_swaps_on_rebuild(make_config, corpus_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    config = make_config("brieven-test-incremental")
    first = update_opensearch(config, corpus, rebuild=True)
    client = config.client()
    again = update_opensearch(config, corpus)
    assert again.unchanged == first.letters and not (again.added or again.changed or again.removed)
    # a bulk cut off half-way: a letter with only some of its paragraphs in the index
    letter = sorted(corpus.glob("*.txt"))[0]
    for number in range(4, 200):  # what a bulk cut off after its third paragraph leaves
        client.delete(index=config.alias, id=f"{letter.stem}#{number}", ignore=[404])
    client.indices.refresh(index=config.alias)
    resumed = update_opensearch(config, corpus)
    assert resumed.changed == [letter.stem] and resumed.unchanged == first.letters - 1
    assert resumed.paragraphs == first.paragraphs
    # a changed letter replaces its paragraphs; a removed one goes
    letter.write_text(letter.read_text(encoding="utf-8") + "\n\nEen nieuwe slotalinea over de Noordpool.\n",
                      encoding="utf-8")
    victim = sorted(corpus.glob("*.txt"))[1]
    victim.unlink()
    changed = update_opensearch(config, corpus)
    assert changed.changed == [letter.stem] and changed.removed == [victim.stem]
    service = OpenSearchService(config)
    assert service.search(SearchRequest(query="Noordpool")).total == 1
    assert victim.stem not in service.letter_ids()
    # a rebuild fills a new index and moves the alias to it; the old index is gone
    before = set(client.indices.get_alias(name=config.alias))
    rebuilt = update_opensearch(config, corpus, rebuild=True)
    after = set(client.indices.get_alias(name=config.alias))
    assert rebuilt.rebuilt and before.isdisjoint(after) and len(after) == 1
    assert not client.indices.exists(index=sorted(before)[0])
    assert service.search(SearchRequest(query="Noordpool")).total == 1
    client.indices.delete(index=sorted(after)[0])


@pytest.mark.parametrize("typed", ["rus", "dialoog met rus", "navo", "Oekr", "strategisch con", "EDT", "defensie-uit"])
def test_search_as_you_type_offers_the_same_completions(service, os_service, typed):
    assert [c.to_dict() for c in os_service.complete(typed)] == [c.to_dict() for c in service.complete(typed)]


def test_suggest_api_on_the_cluster(os_config):
    client = create_app({"OPENSEARCH": os_config, "TESTING": True}).test_client()
    answer = client.get("/api/suggest?q=dialoog met rus").get_json()
    assert any(s["text"] == "Rusland" for s in answer["suggestions"])


LETTER = """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 3 maart 2023

Betreft Samenwerking in het Noordpoolgebied

Het kabinet volgt de ontwikkelingen rond Spitsbergen en de Noordpool nauwgezet.

De minister van Buitenlandse Zaken,
"""


def test_add_and_watch_index_into_the_cluster(make_config, corpus_dir, tmp_path):
    import time

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(sorted(corpus_dir.glob("*.txt"))[0], corpus)
    config = make_config("brieven-test-watch")
    env = {**os.environ, "BRIEVEN_BACKEND": "opensearch", "BRIEVEN_OPENSEARCH_URL": config.url,
           "BRIEVEN_OPENSEARCH_INDEX": config.alias}
    cli = [sys.executable, "-m", "indexer.cli", "--corpus", str(corpus)]
    indexed = subprocess.run([*cli, "index"], env=env, capture_output=True, text=True, timeout=120)
    assert indexed.returncode == 0 and "Geïndexeerd: 1 brief" in indexed.stdout + indexed.stderr, indexed.stderr
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "noordpool.txt").write_text(LETTER, encoding="utf-8")
    added = subprocess.run([*cli, "add", str(inbox / "noordpool.txt")], env=env, capture_output=True, text=True,
                           timeout=120)
    assert added.returncode == 0, added.stderr
    service = OpenSearchService(config)
    assert service.search(SearchRequest(query="Spitsbergen")).total == 1
    watcher = subprocess.Popen([*cli, "watch"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        (corpus / "zuidpool.txt").write_text(LETTER.replace("Spitsbergen", "Antarctica"), encoding="utf-8")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and service.search(SearchRequest(query="Antarctica")).total == 0:
            time.sleep(0.5)
        assert service.search(SearchRequest(query="Antarctica")).total == 1
    finally:
        watcher.terminate()
        out, err = watcher.communicate(timeout=20)
    assert "Traceback" not in err and "1 nieuw" in err + out
    config.client().indices.delete(index="brieven-test-watch-*")


def test_a_first_build_stopped_half_way_is_finished_by_the_next_run(make_config, corpus_dir):
    config = make_config("brieven-test-interrupted")
    letters = len(list(corpus_dir.glob("*.txt")))
    seen = []

    def stop_after_three(name, paragraphs):
        seen.append(name)
        if len(seen) == 3:
            raise KeyboardInterrupt  # Ctrl-C, after three letters were sent (one bulk each)

    with pytest.raises(KeyboardInterrupt):
        update_opensearch(config, corpus_dir, progress=stop_after_three, bulk_docs=1)
    client = config.client()
    assert not client.indices.exists_alias(name=config.alias)  # nothing half-built is searched
    resumed = update_opensearch(config, corpus_dir)
    assert resumed.rebuilt and resumed.unchanged >= 2 and len(resumed.added) <= letters - 2
    assert resumed.letters == letters and not resumed.skipped
    whole = OpenSearchService(config)
    assert whole.search(SearchRequest(query="")).total == resumed.paragraphs > 100
    assert list(client.indices.get(index="brieven-test-interrupted-*")) == list(client.indices.get_alias(name=config.alias))
    client.indices.delete(index="brieven-test-interrupted-*")


def test_every_page_of_the_site_on_the_cluster(index_dir, os_config, service):
    ours = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    theirs = create_app({"OPENSEARCH": os_config, "TESTING": True}).test_client()
    letter_id = service.letter_ids()[0]
    for path in ["/", "/?q=rusland&weergave=alinea&pagina=2", "/?q=navo&sort=nieuwste&jaar=2022", "/hulp",
                 f"/brief/{letter_id}?q=rusland", f"/api/brief/{letter_id}", "/feed.atom?q=rusland",
                 "/export.csv?q=rusland", "/export.xlsx?q=rusland", "/api/suggest?q=oekr"]:
        page = theirs.get(path)
        assert page.status_code == 200, path
        if path.startswith("/api/brief"):
            assert page.get_data() == ours.get(path).get_data(), path
        if path.startswith("/export.csv"):  # the same rows (in relevance order, where ties may differ)
            assert sorted(page.get_data().splitlines()) == sorted(ours.get(path).get_data().splitlines())
    assert theirs.get("/brief/bestaat-niet").status_code == 404
    assert theirs.get("/?q=rusland&pagina=abc").status_code == 400


@pytest.mark.parametrize("sort", [Sort.DATE_DESC, Sort.DATE_ASC])
def test_letters_by_date_come_in_the_same_order(service, os_service, sort):
    request = SearchRequest(query="rusland dialoog", group=Group.LETTER, sort=sort, page_size=5)
    ours, theirs = service.search(request), os_service.search(request)
    assert [(l.letter_id, l.matching) for l in theirs.letters] == [(l.letter_id, l.matching) for l in ours.letters]
    assert all(h.score == 0 for h in theirs.hits)
