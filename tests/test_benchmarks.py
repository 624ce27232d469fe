"""The benchmarks run end to end (a smoke run at 10,000 paragraphs, as issue 6 asks) and print
well-formed figures.

Nothing here asserts on timings: the figures themselves come from `python -m benchmarks.run
--paragraphs 100000` (benchmarks/README.md).
"""
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import corpus as bench_corpus
from benchmarks.harness import percentile, summary_ms

ROOT = Path(__file__).resolve().parent.parent

needs_scale_data = pytest.mark.skipif(
    not bench_corpus.SCALE_DATA.exists(), reason=f"no scale data at {bench_corpus.SCALE_DATA}"
)


def _run(tmp_path: Path, module: str, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    results = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", module, "--data-dir", str(tmp_path / "data"),
         "--results-dir", str(results), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    saved = list(results.glob("*.json"))
    assert len(saved) == 1
    figures = json.loads(saved[0].read_text())
    # stdout: the same JSON first, then the table
    printed = json.JSONDecoder().raw_decode(proc.stdout)[0]
    assert printed == figures
    return proc, figures


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


@needs_scale_data
def test_scale_benchmark_smoke_run(tmp_path):
    # the whole mix of 50 queries, one pass, then 3 clients at once against 1 and 2 workers
    proc, f = _run(tmp_path, "benchmarks.run", "--paragraphs", "10000", "--passes", "1",
                   "--clients", "3", "--workers", "1,2")

    assert f["machine"]["cores"] >= 1 and f["machine"]["python"].count(".") == 2
    assert f["machine"]["cpu_reference_ms"] > 0 and f["machine"]["cpu_reference_ms_at_end"] > 0
    c = f["corpus"]
    assert c["target_paragraphs"] == 10000 and c["paragraphs"] >= 10000 and c["letters"] > 0
    assert c["repeats_per_document"] == "1" and "blank line" in c["how"]
    ix = f["index"]
    for key in ("seconds", "paragraphs", "letters", "paragraphs_per_s", "size_bytes", "size_mb", "peak_rss_mb"):
        assert _positive(ix[key]), key
    assert ix["paragraphs"] == c["paragraphs"]  # the reader's count at generation = the index's

    q = f["queries"]
    assert q["count"] == 50 and q["passes"] == 1 and len(q["per_query"]) == 50
    for block in (q["http"], q["service_took_ms"], q["in_process"]):
        assert block["n"] == 50
        for key in ("p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms"):
            assert _positive(block[key]), key
        assert block["p50_ms"] <= block["p95_ms"] <= block["p99_ms"] <= block["max_ms"]
    assert any(p["total"] > 0 for p in q["per_query"])

    s = f["server"]
    assert _positive(s["peak_rss_mb"]) and s["peak_rss_mb"] >= s["rss_after_startup_mb"] > 0

    a = f["add_letter"]
    for key in ("add_seconds", "searchable_seconds", "polls"):
        assert _positive(a["server"][key]), key
    for key in ("add_seconds", "search_seconds", "searchable_seconds"):
        assert _positive(a["cli"][key]), key
    assert a["cli"]["searchable_seconds"] >= a["cli"]["add_seconds"]
    assert a["server"]["add_reported"]["paragraphs"] > ix["paragraphs"]

    assert set(f["targets"]) >= {"query_p95_ms", "query_p99_ms", "index_paragraphs_per_s",
                                 "add_searchable_s", "server_peak_rss_mb"}
    for name, t in f["targets"].items():
        if name != "scale":
            assert _positive(t["value"]) and isinstance(t["met"], bool), name
    for words in ("paragraphs/s", "p95", "p99", "Server peak RSS", "searchable via server", "target"):
        assert words in proc.stdout

    loads = f["load"]
    assert [ld["workers"] for ld in loads] == [1, 2] and [ld["server_processes"] for ld in loads] == [2, 3]
    for ld in loads:
        assert ld["clients"] == 3 and ld["new"]["requests"] == ld["repeated"]["requests"] == 150
        assert ld["new"]["errors"] == ld["repeated"]["errors"] == 0
        assert _positive(ld["new"]["requests_per_s"]) and _positive(ld["new"]["latency"]["p95_ms"])
        assert len(ld["cpu_seconds_per_process"]) == len(ld["peak_rss_per_process_mb"]) == ld["server_processes"]
        assert _positive(ld["pss_total_mb"])
    assert "3 clients at once, 2 worker(s)" in proc.stdout
    # the cached corpus is left as generated: the letters the benchmark added are gone
    assert not list((tmp_path / "data" / "corpus-10000").glob(bench_corpus.NEW_LETTER_PREFIX + "*"))


def test_the_load_clients_reword_a_query_without_changing_its_work(service):
    """Each load client's requests are new to the server, and answer as the mix's own."""
    from benchmarks.load import variant
    from benchmarks.queries import QUERIES, api_params, search_request

    for query in QUERIES + [{"q": "dialoog met Rusland"}, {"q": "NAVO* NIET china", "sort": "date-desc"}]:
        asked = search_request(query)
        first = service.search(asked)
        reworded = {variant(api_params(query), v)["q"] for v in range(1, 61)}
        assert len(reworded) == 60 and query["q"] not in reworded
        for text in sorted(reworded)[::20]:
            again = service.search(dataclasses.replace(asked, query=text))
            assert (again.total, again.hits, again.facets, again.notice) == \
                (first.total, first.hits, first.facets, first.notice), text
            assert (again.suggestion or "").strip() == (first.suggestion or "")  # the spaces kept


@needs_scale_data
def test_add_letter_benchmark_smoke_run(tmp_path):
    proc, f = _run(tmp_path, "benchmarks.add_letter", "--paragraphs", "600", "--repeats", "1")
    assert set(f["indexes"]) == {"seed letters", "scale data"}
    assert f["indexes"]["seed letters"]["index"]["letters"] == 5
    for name, r in f["indexes"].items():
        assert _positive(r["server"]["searchable_seconds_median"]), name
        assert _positive(r["server"]["add_seconds_median"]), name
        assert _positive(r["cli"]["searchable_seconds_median"]), name
    assert "server sees it" in proc.stdout


def test_letters_made_from_the_scale_data_read_as_letters():
    from indexer.reading import parse_letter

    doc = bench_corpus.Document("55-TEST", "Er zijn verminderingen.Het doel is duidelijk. Dat is het. "
                                           "Een vierde zin volgt hier.En een vijfde. " + "Lang woord " * 40)
    seps = [sep for sep, _ in bench_corpus.split_sentences(doc.text)]
    assert seps[:3] == ["", "", " "]  # glued sentences kept glued
    text = bench_corpus.letter_text(bench_corpus.paragraphs_of(doc), bench_corpus.letter_date("55-TEST", 2))
    assert all(len(line) <= bench_corpus.LINE_WIDTH for line in text.splitlines())
    assert "\n\n" in text.split("Den Haag", 1)[1]  # blank lines between paragraphs
    letter = parse_letter(text, "x")
    assert letter.date == bench_corpus.letter_date("55-TEST", 2) and not letter.date_inferred
    assert 2015 <= letter.date.year <= 2024
    assert len(letter.paragraphs) == bench_corpus.count_paragraphs(doc) >= 2
    assert bench_corpus.letter_date("55-TEST", 1) != bench_corpus.letter_date("55-TEST", 2)


def test_a_variant_is_new_text_in_the_data_sets_words_and_reads_as_many_paragraphs():
    from indexer.reading import parse_letter

    docs = [
        bench_corpus.Document("55-A", "De minister antwoordt op de vragen.Het kabinet verhoogt de "
                                      "begroting van defensie. De gemeenten krijgen meer middelen. "
                                      "Het onderwijs wordt hervormd.De ziekenhuizen wachten."),
        bench_corpus.Document("55-B", "Belastingen worden verlaagd voor werknemers. De landbouw "
                                      "verduurzaamt. Gevangenissen zitten overvol."),
    ]
    variants = bench_corpus.Variants(docs)
    words = {w for d in docs for w in d.text.replace(".", " ").split()}
    seen = set()
    for repeat in range(2, 12):
        sentences = variants.sentences_of(0, repeat)
        assert sentences == variants.sentences_of(0, repeat)  # seeded: the same every run
        assert len(sentences) == len(bench_corpus.split_sentences(docs[0].text))
        assert [sep for sep, _ in sentences] == [sep for sep, _ in bench_corpus.split_sentences(docs[0].text)]
        text = " ".join(s for _, s in sentences)
        assert {w for w in text.replace(".", " ").split()} <= words  # no word the data set lacks
        paragraphs = bench_corpus.paragraphs_of(docs[0], sentences)
        letter = parse_letter(bench_corpus.letter_text(paragraphs, bench_corpus.letter_date("55-A", repeat)), "v")
        assert len(letter.paragraphs) == bench_corpus.count_paragraphs(docs[0])
        seen.add(text)
    original = " ".join(s for _, s in bench_corpus.split_sentences(docs[0].text))
    assert len(seen - {original}) >= 8  # ten passes: nearly every one new text (a tiny document may come out as itself)


@needs_scale_data
def test_a_generated_corpus_is_reused_while_its_key_holds(tmp_path):
    first = bench_corpus.build_corpus(300, tmp_path)
    again = bench_corpus.build_corpus(300, tmp_path)
    assert not first.cached and again.cached
    assert (again.paragraphs, again.letters, again.distinct_paragraphs) == \
        (first.paragraphs, first.letters, first.distinct_paragraphs)


def test_percentiles_are_nearest_rank():
    values = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert percentile([v * 1000 for v in values], 50) == 50
    s = summary_ms(values)
    assert (s["p50_ms"], s["p95_ms"], s["p99_ms"], s["max_ms"]) == (50, 95, 99, 100)


@needs_scale_data
def test_hostile_benchmark_smoke_run(tmp_path):
    proc, f = _run(tmp_path, "benchmarks.hostile", "--paragraphs", "300", "--small-paragraphs", "300",
                   "--small-seconds", "1", "--small-clients", "4", "--clients", "2")
    assert len(f["requests"]) > 50 and f["requests"][0]["seconds"] >= f["requests"][-1]["seconds"]
    assert all(r["status"] in (200, 400) for r in f["requests"])
    load = f["under_load"]
    assert load["worst_requests_done"] >= 2 and load["plain_under_load"]["n"] == load["plain_alone"]["n"] == 50
    ix = f["indexing"]
    assert ix["requests"] > 0 and ix["indexer_runs"] >= 1 and ix["errors"] == 0  # a busy machine may fit one run
    assert set(f["targets"]) == {"worst_request_s", "plain_search_under_load_s", "errors"}
    for words in ("worst request", "under load", "errors (target 0)"):
        assert words in proc.stdout


def test_cli_startup_benchmark_smoke_run(tmp_path):
    proc, f = _run(tmp_path, "benchmarks.cli_startup", "--runs", "1")
    assert set(f["this"]) == set(f["commands"]) and f["targets_s"] == {"help": 0.3, "search": 0.6}
    for command, s in f["this"].items():
        assert s["runs"] == 1 and _positive(s["wall_median_s"]) and _positive(s["cpu_median_s"]), command
    assert f["this"]["help"]["heavy_imports"] == []  # what the command loads is measured, not assumed
    assert "numpy" in f["this"]["search"]["heavy_imports"]
    assert "wall median" in proc.stdout
