"""New letters arriving: incremental updates, `add`, `watch`, two indexers, and kill -9."""
import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.store import IndexBusy, open_index, update_index
from indexer.reading import read_letter
from indexer.searching import SearchRequest
from indexer.searching import SearchService

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
NEW_LETTER = """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 3 maart 2023

Hierbij ontvangt u het verslag van de informele bijeenkomst over de Noordpoolregio.

Noordpool

De ministers spraken over de toenemende militaire activiteit rond Spitsbergen en de gevolgen
voor de veiligheid van het Koninkrijk. Het kabinet blijft inzetten op samenwerking.

De Minister van Defensie,
K.H. Ollongren
"""


def make_corpus(path: Path, letters=SEEDS) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for letter in letters:
        shutil.copy(letter, path / letter.name)
    return path


def paragraph_ids(index_dir: Path) -> Counter:
    with open_index(index_dir).searcher() as searcher:
        return Counter(f["doc_id"] for f in searcher.all_stored_fields())


_read_ids: dict[tuple[Path, int, int], list[str]] = {}


def expected_ids(corpus: Path) -> Counter:
    """The paragraph ids the letters give; each file version is read once per session."""
    ids = Counter()
    for path in sorted(corpus.glob("*.txt")):
        st = path.stat()
        key = (path, st.st_size, st.st_mtime_ns)
        if key not in _read_ids:
            letter = read_letter(path)
            _read_ids[key] = [f"{letter.id}#{p.number}" for p in letter.paragraphs]
        ids.update(_read_ids[key])
    return ids


def test_update_adds_replaces_and_removes_by_content(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:3])
    index = tmp_path / "index"
    first = update_index(index, corpus)
    assert first.rebuilt and len(first.added) == 3

    (corpus / "005_noordpool.txt").write_text(NEW_LETTER, encoding="utf-8")
    changed = corpus / SEEDS[0].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("Oekraïne", "Oekraïne en Moldavië"), encoding="utf-8")
    (corpus / SEEDS[1].name).unlink()
    summary = update_index(index, corpus)
    assert summary.added == ["005_noordpool"]
    assert summary.changed == [SEEDS[0].stem]
    assert summary.removed == [SEEDS[1].stem]
    assert summary.unchanged == 1
    assert paragraph_ids(index) == expected_ids(corpus)  # nothing left behind, nothing twice

    service = SearchService(index)
    assert service.search(SearchRequest("Spitsbergen")).total == 1
    assert service.search(SearchRequest("Moldavië")).total >= 1
    assert service.search(SearchRequest("")).total == sum(expected_ids(corpus).values())


def test_a_letter_that_becomes_unreadable_keeps_its_indexed_version(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    index = tmp_path / "index"
    update_index(index, corpus)
    before = paragraph_ids(index)
    (corpus / SEEDS[0].name).write_bytes(b"")  # emptied by accident
    summary = update_index(index, corpus)
    assert [name for name, _ in summary.skipped] == [SEEDS[0].name]
    assert paragraph_ids(index) == before


def test_rebuild_swaps_in_a_complete_index(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    update_index(index, corpus)
    summary = update_index(index, corpus, rebuild=True)
    assert summary.rebuilt and summary.paragraphs == sum(expected_ids(corpus).values())
    assert not (tmp_path / "index.new").exists() and not (tmp_path / "index.old").exists()


def test_add_copies_letters_and_indexes_a_duplicate_once(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    index = tmp_path / "index"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    new = inbox / "brief noordpool ë.txt"  # spaces and non-ASCII in the name are fine
    new.write_text(NEW_LETTER, encoding="utf-8")
    same = inbox / "kopie.txt"
    same.write_text(NEW_LETTER, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["--index", str(index), "--corpus", str(corpus), "add", str(new), str(same)])
    assert result.exit_code == 0, result.output
    assert new.exists(), "the original stays where it was"
    assert (corpus / new.name).exists() and not (corpus / "kopie.txt").exists()
    assert "staat al in het corpus als brief noordpool ë.txt" in result.output
    service = SearchService(index)
    hits = service.search(SearchRequest("Spitsbergen")).hits
    assert [h.letter_id for h in hits] == ["brief noordpool ë"]
    assert service.letter("brief noordpool ë").title.startswith("Verslag van de informele bijeenkomst")

    # a different letter under a name the corpus uses is refused, not overwritten
    clash = inbox / SEEDS[0].name
    clash.write_text(NEW_LETTER.replace("Noordpool", "Zuidpool"), encoding="utf-8")
    result = runner.invoke(main, ["--index", str(index), "--corpus", str(corpus), "add", str(clash)])
    assert result.exit_code == 1 and "geef het bestand een andere naam" in result.output


def test_add_to_an_index_looks_up_duplicates_there_and_indexes_only_its_own_letters(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    index = tmp_path / "index"
    update_index(index, corpus)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    copy = inbox / "nog een kopie.txt"
    copy.write_bytes(SEEDS[1].read_bytes())
    by_hand = corpus / "met de hand.txt"  # put in the corpus without `add`: for `brieven index`
    by_hand.write_text(NEW_LETTER.replace("Noordpool", "Zuidpool"), encoding="utf-8")
    new = inbox / "noordpool.txt"
    new.write_text(NEW_LETTER, encoding="utf-8")
    runner = CliRunner()
    args = ["--index", str(index), "--corpus", str(corpus), "add"]
    result = runner.invoke(main, [*args, str(copy), str(new)])
    assert result.exit_code == 0, result.output
    assert f"staat al in het corpus als {SEEDS[1].name}" in result.output  # found by the index
    assert not (corpus / copy.name).exists()
    assert "(1 nieuw, 0 gewijzigd; 0 overgeslagen)" in result.output
    service = SearchService(index)
    assert [h.letter_id for h in service.search(SearchRequest("Spitsbergen")).hits] == ["noordpool"]
    assert service.search(SearchRequest("Zuidpool")).total == 0  # not `add`'s letter
    assert update_index(index, corpus).added == ["met de hand"]

    # the index still knows a letter whose file left the corpus: its content may come back
    (corpus / SEEDS[1].name).unlink()
    result = runner.invoke(main, [*args, str(copy)])
    assert result.exit_code == 0 and (corpus / copy.name).exists(), result.output

    # a different letter with the id of one in the corpus, whatever the case of its extension
    (corpus / "memo.PDF").write_bytes(b"%PDF-1.4 niet echt")
    clash = inbox / "memo.txt"
    clash.write_text(NEW_LETTER.replace("Noordpool", "Memo"), encoding="utf-8")
    result = runner.invoke(main, [*args, str(clash)])
    assert result.exit_code == 1 and "het corpus heeft al een brief met het id 'memo' (memo.PDF)" in result.output
    assert not (corpus / clash.name).exists()


def wait_for(condition, seconds: float = 20) -> bool:
    """Poll `condition` (an error counts as not yet: the index may be mid-swap) until it holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def watching(corpus: Path, index: Path, **options) -> Iterator[tuple[list, list]]:
    """`watch` running in a thread (a short quiet time): its summaries and errors, as they come;
    stopped on leaving, and checked to have stopped."""
    from indexer.store import watch

    summaries, errors, stop = [], [], threading.Event()
    thread = threading.Thread(target=watch, args=(corpus, index, summaries.append, errors.append, stop),
                              kwargs={"debounce": 0.3, **options}, daemon=True)
    thread.start()
    try:
        yield summaries, errors
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive(), "watch stops when asked"


def test_watch_indexes_arrivals_changes_and_removals(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:1])
    index = tmp_path / "index"
    service = SearchService(index)
    with watching(corpus, index) as (summaries, errors):
        assert wait_for(lambda: service.search(SearchRequest("NAVO")).total > 0)
        (corpus / "005_noordpool.txt").write_text(NEW_LETTER, encoding="utf-8")
        assert wait_for(lambda: service.search(SearchRequest("Spitsbergen")).total == 1)
        (corpus / "005_noordpool.txt").unlink()
        assert wait_for(lambda: service.search(SearchRequest("Spitsbergen")).total == 0)
    assert errors == []
    assert any(s.added == ["005_noordpool"] for s in summaries)
    assert any(s.removed == ["005_noordpool"] for s in summaries)


def test_watch_indexes_the_letters_it_is_told_of_without_comparing_the_corpus(tmp_path, monkeypatch):
    """After catching up at its start, the watch indexes the letters that file events name (a
    new letter, a changed sidecar, a renamed file) and removes those whose files are gone, as
    `brieven add` does: the corpus is not listed again (at 300,000 letters that took 8 s)."""
    import json

    import indexer.store.updating as updating

    listings = []
    real_listing = updating.list_corpus
    monkeypatch.setattr(updating, "list_corpus", lambda corpus: listings.append(corpus) or real_listing(corpus))
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    index = tmp_path / "index"
    service = SearchService(index)

    def titles(query: str) -> set[str]:
        return {hit.title for hit in service.search(SearchRequest(query)).hits}

    with watching(corpus, index) as (summaries, errors):
        assert wait_for(lambda: service.search(SearchRequest("NAVO")).total > 0)
        (corpus / "005_noordpool.meta.json").write_text(json.dumps({"title": "Verslag Noordpool"}), encoding="utf-8")
        (corpus / "005_noordpool.txt").write_text(NEW_LETTER, encoding="utf-8")
        assert wait_for(lambda: titles("Spitsbergen") == {"Verslag Noordpool"})
        (corpus / "005_noordpool.meta.json").write_text(json.dumps({"title": "Verslag Arctis"}), encoding="utf-8")
        assert wait_for(lambda: titles("Spitsbergen") == {"Verslag Arctis"})
        (corpus / "005_noordpool.meta.json").unlink()
        (corpus / "005_noordpool.txt").rename(corpus / "006_arctis.txt")
        assert wait_for(lambda: {h.letter_id for h in service.search(SearchRequest("Spitsbergen")).hits} == {"006_arctis"})
        (corpus / SEEDS[0].name).unlink()
        assert wait_for(lambda: sorted(service.letter_ids()) == sorted(["006_arctis", SEEDS[1].stem]))
    assert errors == []
    assert len(listings) == 1, "only the first update, catching up, lists the corpus"
    assert any(s.added == ["005_noordpool"] for s in summaries)
    assert any(s.changed == ["005_noordpool"] for s in summaries)
    assert any(s.added == ["006_arctis"] and s.removed == ["005_noordpool"] for s in summaries)
    assert any(s.removed == [SEEDS[0].stem] for s in summaries)


def test_watch_leaves_out_a_letter_whose_name_cannot_be_an_id_when_its_sidecar_changes(tmp_path):
    """A file event for the sidecar of a letter the corpus refuses (its name cannot be an id)
    makes the watch compare the whole corpus, which says why that letter is not read."""
    import json

    corpus = make_corpus(tmp_path / "corpus", SEEDS[:1])
    (corpus / "Q&A noordpool.txt").write_text(NEW_LETTER, encoding="utf-8")
    index = tmp_path / "index"
    with watching(corpus, index) as (summaries, errors):
        assert wait_for(lambda: len(summaries) == 1)
        (corpus / "Q&A noordpool.meta.json").write_text(json.dumps({"title": "Vragen"}), encoding="utf-8")
        assert wait_for(lambda: len(summaries) == 2)
    assert errors == []
    assert all(name == "Q&A noordpool.txt" for s in summaries for name, _ in s.skipped) and summaries[1].skipped
    assert SearchService(index).search(SearchRequest("Spitsbergen")).total == 0


def test_watch_runs_another_backends_update_at_the_start_after_each_change_and_now_and_then(tmp_path, monkeypatch):
    """With another backend (OpenSearch), each update is that backend's own, which compares the
    whole corpus; the watch also compares it now and then, for file events that were lost."""
    import importlib

    from indexer.store import IndexSummary

    watching_module = importlib.import_module("indexer.store.watch")  # (indexer.store.watch is the function)

    corpus = make_corpus(tmp_path / "corpus", SEEDS[:1])
    calls = []
    monkeypatch.setattr(watching_module, "COMPARE_ALL_SECONDS", 3.0)
    with watching(corpus, tmp_path / "index", update=lambda: calls.append(time.monotonic()) or IndexSummary()) as (_, errors):
        assert wait_for(lambda: len(calls) == 1)
        (corpus / "005_noordpool.txt").write_text(NEW_LETTER, encoding="utf-8")
        assert wait_for(lambda: len(calls) == 2, seconds=2.5)  # after the change, before the next comparison
        assert wait_for(lambda: len(calls) == 3, seconds=10)  # the comparison now and then
    assert errors == []
    assert calls[2] - calls[0] >= 3.0


HOLD_LOCK = """
import sys, time
from pathlib import Path
from indexer.store import index_lock
with index_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_indexer_waits_or_stops_with_a_clear_message(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    index = tmp_path / "index"
    update_index(index, corpus)
    with subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(index), "3"],
                          stdout=subprocess.PIPE, text=True, cwd=ROOT) as holder:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusy, match="Een ander `brieven`-proces"):
            update_index(index, corpus, lock_timeout=0.5)
        started = time.monotonic()
        summary = update_index(index, corpus, lock_timeout=30)  # waits for the holder
        assert time.monotonic() - started > 1 and summary.unchanged == 2


def test_two_indexers_at_once_leave_one_correct_index(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    cmd = [sys.executable, "-m", "indexer.cli", "--index", str(index), "--corpus", str(corpus), "index"]
    procs = [subprocess.Popen(cmd + extra, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for extra in ([], ["--rebuild"])]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert paragraph_ids(index) == expected_ids(corpus)


def many_letters(corpus: Path, count: int) -> None:
    """`count` distinct letters made from the seeds (each gets its own opening paragraph)."""
    corpus.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        seed = SEEDS[n % len(SEEDS)]
        path = corpus / f"{n:04d}_{seed.name}"
        if path.exists():  # the same letter as before: left as it is (and read once, see expected_ids)
            continue
        marker = f"\n\nDit is de kopie met brief nummer {n} voor de test.\n"
        path.write_text(seed.read_text(encoding="utf-8") + marker, encoding="utf-8")


def letters_in_index(index_dir: Path) -> dict[str, set[str]]:
    letters: dict[str, set[str]] = {}
    counts = paragraph_ids(index_dir)
    assert max(counts.values(), default=1) == 1, "a paragraph is in the index twice"
    for doc_id in counts:
        letters.setdefault(doc_id.split("#")[0], set()).add(doc_id)
    return letters


def test_kill_9_mid_index_loses_nothing_and_the_next_run_finishes(tmp_path):
    corpus = tmp_path / "corpus"
    many_letters(corpus, 100)
    index = tmp_path / "index"
    cmd = [sys.executable, "-m", "indexer.cli", "--index", str(index), "--corpus", str(corpus), "index"]
    started = time.monotonic()
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True, timeout=300)
    # Kill moments are fractions of how long 100 letters take on this machine, and every run below
    # has at least 100 letters to index, so the kills land mid-run however fast indexing gets.
    run_time = time.monotonic() - started
    rng = random.Random(7)
    killed = 0
    for round_, extra in enumerate([[], ["--rebuild"], [], ["--rebuild"], []]):
        if not extra:  # new letters arrive before each incremental run
            many_letters(corpus, 100 * (round_ // 2 + 2))
        expected = {}
        for doc_id in expected_ids(corpus):
            expected.setdefault(doc_id.split("#")[0], set()).add(doc_id)
        proc = subprocess.Popen(cmd + extra, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(run_time * rng.uniform(0.3, 0.8))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
        # whatever the moment, the last committed index opens, and each letter in it is whole:
        # all of its paragraphs, each once (never half a letter, never a letter twice)
        for letter, docs in letters_in_index(index).items():
            assert docs == expected[letter], f"round {round_}: letter {letter} is incomplete"
    assert killed >= 3, "the kills should land while indexing is under way"
    finished = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert paragraph_ids(index) == expected_ids(corpus)
    service = SearchService(index)
    for n in (0, 139, 384):
        assert service.search(SearchRequest(f'"brief nummer {n}"')).total == 1


def test_a_touched_but_unchanged_letter_is_not_reindexed(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    index = tmp_path / "index"
    update_index(index, corpus)
    touched = corpus / SEEDS[0].name
    os.utime(touched, ns=(time.time_ns(), time.time_ns() + 10**9))  # newer, same content
    summary = update_index(index, corpus)
    assert summary.unchanged == 2 and not summary.changed


def test_an_update_reads_a_letter_again_when_only_its_sidecar_changed(tmp_path):
    """The sidecar is part of the letter: a new title in it alone is indexed by the next
    update; a letter touched without a change, beside an untouched sidecar, is not read again."""
    import json

    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    sidecar = corpus / f"{SEEDS[0].stem}.meta.json"
    sidecar.write_text(json.dumps({"title": "Eerste titel"}), encoding="utf-8")
    index = tmp_path / "index"
    update_index(index, corpus)

    def titles() -> set[str]:
        return {h.title for h in SearchService(index).search(SearchRequest("", page_size=100)).hits
                if h.letter_id == SEEDS[0].stem}

    assert titles() == {"Eerste titel"}
    sidecar.write_text(json.dumps({"title": "Tweede titel"}), encoding="utf-8")
    os.utime(sidecar, ns=(time.time_ns(), time.time_ns() + 10**9))  # a later edit, whatever the clock's grain
    summary = update_index(index, corpus)
    assert summary.changed == [SEEDS[0].stem] and summary.unchanged == 1
    assert titles() == {"Tweede titel"}

    os.utime(corpus / SEEDS[0].name, ns=(time.time_ns(), time.time_ns() + 2 * 10**9))
    assert update_index(index, corpus).unchanged == 2
    sidecar.unlink()
    summary = update_index(index, corpus)
    assert summary.changed == [SEEDS[0].stem] and titles() != {"Tweede titel"}


def test_a_letter_without_paragraphs_is_noted_each_time_never_new_each_time(tmp_path):
    """A file with only a salutation and a date has nothing to search: every update says so,
    and none calls it new; a letter that loses its paragraphs leaves the index."""
    from indexer.store.updating import NO_PARAGRAPHS

    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    empty = "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, 15 augustus 2019\n\n1.\n"
    (corpus / "leeg.txt").write_text(empty, encoding="utf-8")
    index = tmp_path / "index"
    for summary in (update_index(index, corpus), update_index(index, corpus)):
        assert "leeg" not in summary.added and ("leeg.txt", NO_PARAGRAPHS) in summary.notes
        assert summary.letters == 2
    assert update_index(index, corpus).unchanged == 2

    (corpus / SEEDS[0].name).write_text(empty, encoding="utf-8")
    summary = update_index(index, corpus)
    assert summary.removed == [SEEDS[0].stem] and not summary.changed and summary.letters == 1
    assert SearchService(index).letter_ids() == [SEEDS[1].stem]


def _many_letters(corpus: Path, first: int, count: int) -> None:
    """`count` short letters, each with a word of its own (zeekwal<n>)."""
    for n in range(first, first + count):
        (corpus / f"brief-{n:04d}.txt").write_text(
            NEW_LETTER.replace("Noordpoolregio", f"Noordpoolregio en de zeekwal{n}"), encoding="utf-8")


def test_an_update_in_which_most_letters_are_new_is_a_rebuild(tmp_path):
    """A corpus that more than doubles (a first index of an archive, letters copied in by
    the hundred) is rebuilt, in bulk, as --rebuild does; its summary still says what came new,
    changed and went. A few new letters are added one by one, as always."""
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:3])
    index = tmp_path / "index"
    update_index(index, corpus)
    _many_letters(corpus, 0, 250)
    changed = corpus / SEEDS[0].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("Oekraïne", "Oekraïne en Moldavië"), encoding="utf-8")
    (corpus / SEEDS[1].name).unlink()
    summary = update_index(index, corpus)
    assert summary.rebuilt and summary.rebuilt_because == "251 van 252 brieven nieuw of gewijzigd"
    assert len(summary.added) == 250 and summary.changed == [SEEDS[0].stem]
    assert summary.removed == [SEEDS[1].stem] and summary.unchanged == 1 and summary.letters == 252
    assert paragraph_ids(index) == expected_ids(corpus)
    service = SearchService(index)
    assert service.search(SearchRequest("zeekwal17")).total == 1
    assert service.search(SearchRequest("Moldavië")).total >= 1

    _many_letters(corpus, 250, 3)
    summary = update_index(index, corpus)
    assert not summary.rebuilt and len(summary.added) == 3 and summary.unchanged == 252


def test_index_shows_progress_and_says_why_it_rebuilt(tmp_path):
    """`brieven index` as a user runs it, with stderr a log: the first index of a corpus
    of letters is built on every core, and the summary says so."""
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:1])
    index = tmp_path / "index"
    assert CliRunner().invoke(main, ["--index", str(index), "--corpus", str(corpus), "index"]).exit_code == 0
    _many_letters(corpus, 0, 220)
    proc = subprocess.run([sys.executable, "-m", "indexer.cli", "--index", str(index), "--corpus", str(corpus),
                           "index"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Geïndexeerd: 221 brieven" in proc.stdout
    assert "opnieuw opgebouwd: 220 van 221 brieven nieuw of gewijzigd" in proc.stdout
    assert "\r" not in proc.stderr and "\x1b" not in proc.stderr  # a log gets no bar
