"""The `brieven` command, through click's runner and once as a real subprocess."""
import csv
import io
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.searching import Group, SearchRequest


def run(index_dir, *args, corpus_dir=None):
    opts = ["--index", str(index_dir)] + (["--corpus", str(corpus_dir)] if corpus_dir else [])
    return CliRunner().invoke(main, opts + list(args))


def test_search_prints_ranked_paragraphs_with_title_date_section_topics_and_facets(index_dir):
    result = run(index_dir, "search", "dialoog met Rusland", "--limit", "3")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.splitlines()[0].startswith(tuple("0123456789"))
    assert "  1. " in out and "  3. " in out and "  4. " not in out
    assert "Onderwerpen:" in out and "Jaren:" in out
    assert "§ " in out and "onderwerpen: " in out
    assert "\x1b[" not in out, "piped output is plain"
    assert " alinea's in 5 brieven voor 'dialoog met Rusland'" in out.splitlines()[0]


def test_search_per_letter_shows_each_letter_once_with_its_best_paragraphs(index_dir, service):
    result = run(index_dir, "search", "rusland", "--per-letter", "--limit", "2")
    assert result.exit_code == 0, result.output
    expected = service.search(SearchRequest("rusland", group=Group.LETTER, page_size=2))
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{expected.total} alinea's in {expected.total_letters} brieven")
    assert "  1. " in result.output and "  2. " in result.output and "  3. " not in result.output
    for letter in expected.letters:
        assert result.output.count(f"{letter.letter_id}#") == len(letter.hits) <= 3
        if letter.more:
            assert f"+{letter.more} andere alinea" in result.output
    data = json.loads(run(index_dir, "search", "rusland", "--per-letter", "--limit", "2", "--json").output)
    assert data["group"] == "letter" and [l["letter_id"] for l in data["letters"]] == [l.letter_id for l in expected.letters]


def test_search_json_is_the_contract(index_dir):
    result = run(index_dir, "search", "Oekraine", "--json", "--limit", "2", "--sort", "date-desc")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["sort"] == "date-desc" and data["page_size"] == 2 and len(data["hits"]) == 2
    assert "<mark>" in data["hits"][0]["snippet"]


def test_search_filters(index_dir):
    data = json.loads(run(index_dir, "search", "NAVO", "--year", "2022", "--json").output)
    assert data["filters"]["year"] == 2022
    assert all(h["date"].startswith("2022") for h in data["hits"])
    data = json.loads(run(index_dir, "search", "NAVO", "--from", "2021-01-01", "--to", "2021-12-31", "--json").output)
    assert data["total"] > 0 and all(h["date"].startswith("2021") for h in data["hits"])


def test_usage_errors_exit_2_with_a_message(index_dir):
    result = run(index_dir, "search", "NAVO", "--sort", "random")
    assert result.exit_code == 2 and "random" in result.output
    result = run(index_dir, "search", "NAVO", "--from", "2022-13-45")
    assert result.exit_code == 2 and "JJJJ-MM-DD" in result.output
    result = run(index_dir, "search", "NAVO", "--page", "-1")
    assert result.exit_code == 2
    result = run(index_dir, "search", "NAVO", "--topic", "atlantis")
    assert result.exit_code == 2 and "bekende onderwerpen" in result.output


def test_missing_index_says_run_brieven_index_first(tmp_path):
    result = run(tmp_path / "nothing", "search", "NAVO")
    assert result.exit_code == 1
    assert result.output.startswith("Fout: Er is geen index") and "`brieven index`" in result.output


def test_show_prints_the_letter_as_read(index_dir):
    result = run(index_dir, "show", "000_57bdeaef467bd125")
    assert result.exit_code == 0
    assert "2022-06-08" in result.output and "Ollongren" in result.output
    assert "[1]" in result.output and "(voetnoot)" in result.output
    one = run(index_dir, "show", "000_57bdeaef467bd125#2")
    assert one.exit_code == 0 and "[2]" in one.output and "[3]" not in one.output
    assert run(index_dir, "show", "nope").exit_code == 1


def test_export_jsonl_and_csv_have_every_paragraph(index_dir, service):
    total = service.stats()["paragraphs"]
    lines = run(index_dir, "export").output.splitlines()
    assert len(lines) == total
    first = json.loads(lines[0])
    assert set(first) == {"letter_id", "paragraph", "title", "date", "date_inferred", "section", "topics", "kind", "text",
                          "dossier", "kamerstuk", "sender", "ministries"}
    rows = list(csv.DictReader(io.StringIO((run(index_dir, "export", "--format", "csv").output).removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == total


def test_topics_and_stats(index_dir):
    out = run(index_dir, "topics").output
    assert "Rusland" in out
    counts = [int(line.split()[0]) for line in out.splitlines()]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]  # the largest first
    stats = run(index_dir, "stats").output
    assert "brieven:" in stats and "5" in stats


def test_index_updates_incrementally(tmp_path, corpus_dir):
    first = run(tmp_path / "ix", "index", corpus_dir=corpus_dir)
    assert first.exit_code == 0, first.output
    assert "Geïndexeerd: 5 brieven" in first.output
    again = run(tmp_path / "ix", "index", corpus_dir=corpus_dir)
    assert "0 nieuw, 0 gewijzigd, 0 verwijderd, 5 ongewijzigd" in again.output


def test_real_subprocess(index_dir):
    env = dict(os.environ, BRIEVEN_INDEX=str(index_dir))
    proc = subprocess.run([sys.executable, "-m", "indexer.cli", "search", "Borrell", "--json"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"] >= 1


def test_show_takes_ascii_digits_after_the_hash(index_dir):
    for address in ("000_57bdeaef467bd125#²", "000_57bdeaef467bd125#٣", "000_57bdeaef467bd125#-1"):
        result = run(index_dir, "show", address)
        assert result.exit_code == 2 and "alineanummer" in result.output, address


def test_deep_brackets_are_a_notice_not_a_traceback(index_dir):
    env = dict(os.environ, BRIEVEN_INDEX=str(index_dir))
    query = "(" * 245 + "rusland" + ")" * 245
    proc = subprocess.run([sys.executable, "-m", "indexer.cli", "search", query, "--json"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-500:]
    data = json.loads(proc.stdout)
    assert data["total"] > 0 and "haakjes" in data["notice"]


def test_the_base_url_comes_from_the_flag_then_the_environment():
    from indexer.settings import BadSetting, Settings

    env = {"BRIEVEN_BASE_URL": "https://brieven.example.nl/"}
    assert Settings.resolve(env=env).base_url == "https://brieven.example.nl"
    assert Settings.resolve(env=env).with_base_url("http://localhost:8080/x/").base_url == "http://localhost:8080/x"
    assert Settings.resolve(env={}).base_url is None
    for bad in ("brieven.example.nl", "ftp://x.nl", "https://x.nl/?a=1", "http://x.nl:port"):
        with pytest.raises(BadSetting):
            Settings.resolve(env={"BRIEVEN_BASE_URL": bad})


def test_a_bad_base_url_is_a_usage_error(index_dir, monkeypatch):
    result = run(index_dir, "serve", "--base-url", "javascript:alert(1)")
    assert result.exit_code == 2 and "openbaar adres" in result.output
    monkeypatch.setenv("BRIEVEN_BASE_URL", "not a url")
    result = run(index_dir, "stats")
    assert result.exit_code == 2 and "openbaar adres" in result.output


def test_serve_says_once_where_it_listens_and_answers_the_sort_asked(index_dir):
    """A real `brieven serve` over HTTP: one start line, and the JSON echoes the sort asked."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, BRIEVEN_INDEX=str(index_dir))
    server = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        answers = {}
        deadline = time.monotonic() + 30
        for asked in ("nieuwste", "oudste", "relevantie", "date-desc"):
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=navo&sort={asked}") as r:
                        answers[asked] = json.load(r)["sort"]
                    break
                except OSError:
                    assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
                    time.sleep(0.1)
    finally:
        server.terminate()
        out, err = server.communicate(timeout=10)
    assert answers == {"nieuwste": "date-desc", "oudste": "date-asc", "relevantie": "relevance",
                       "date-desc": "date-desc"}
    started = [line for line in (out + err).splitlines() if f":{port}/" in line]
    assert started == [f"brieven: zoeken in {index_dir} op http://127.0.0.1:{port}/ (Ctrl-C stopt)"]


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["--version"]])
def test_help_loads_no_search_engine_or_web_app(args):
    """`brieven --help` answers at once: numpy, Whoosh and Flask load only for the commands
    that use them (benchmarks/cli_startup.py measures the time)."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print(sorted({'numpy', 'whoosh', 'flask', 'pypdf', 'watchdog', 'wordfreq'}"
            " & {m.split('.')[0] for m in sys.modules})))\n"
            "from indexer.cli import main\n"
            "main()\n")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_search_by_ministry_and_dossier_and_show_what_a_letter_is(kamerstuk_index):
    data = json.loads(run(kamerstuk_index, "search", "--ministry", "justitie", "--json").output)
    assert {h["letter_id"] for h in data["hits"]} == {"kst-21461-46"}
    assert {f["value"] for f in data["facets"]["ministry"]} == {"Justitie"}
    text = run(kamerstuk_index, "search", "dijken", "--dossier", "17600").output
    assert "kst-17600-XII-51 · de minister van Verkeer en Waterstaat" in text
    assert "Ministeries: Verkeer en Waterstaat" in text and "Dossiers: 17600-XII Rijksbegroting" in text
    shown = run(kamerstuk_index, "show", "kst-17600-XII-51").output
    assert "kamerstuk:      kst-17600-XII-51  (dossier 17600-XII, nr. 51)" in shown
    assert "afzender:       de minister van Verkeer en Waterstaat" in shown
    assert "let op:         twee datumregels: 1983-03-04 (aangehouden) en 1983-03-02" in shown
