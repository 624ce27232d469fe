"""What may enter the corpus and the index: files read before they are copied, nothing read
through a symbolic link, file names that make letter ids, a killed rebuild cleaned up."""
import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.searching import SearchRequest, SearchService
from indexer.store import update_index

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
NEW_LETTER = """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 3 maart 2023

Hierbij ontvangt u het verslag van de bijeenkomst over de Noordpool en Spitsbergen.

De ministers spraken over de toenemende militaire activiteit in het noorden.
"""
SECRET = NEW_LETTER.replace("Noordpool", "Geheimwoordpool")


def make_corpus(path: Path, letters) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for letter in letters:
        shutil.copy(letter, path / letter.name)
    return path


def cli(index: Path, corpus: Path, *args: str):
    return CliRunner().invoke(main, ["--index", str(index), "--corpus", str(corpus), *args])


def found(index: Path, word: str) -> int:
    return SearchService(index).search(SearchRequest(word, exact=True)).total


# -- brieven add ----------------------------------------------------------------------------
def test_add_reads_every_file_first_and_never_copies_a_refused_one(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:1])
    index = tmp_path / "index"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "leeg.txt").write_bytes(b"")
    (inbox / "binair.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    with open(inbox / "groot.txt", "wb") as big:
        big.truncate(30 * 2**20)  # 30 MB, sparse: refused by its size before it is read
    (inbox / "nep.pdf").write_text("Dit is geen PDF, alleen een naam.", encoding="utf-8")
    bad = sorted(inbox.iterdir())
    result = cli(index, corpus, "add", *map(str, bad))
    assert result.exit_code == 1
    for path in bad:
        assert f"niet toegevoegd: {path}" in result.output
    assert sorted(p.name for p in corpus.iterdir()) == [SEEDS[0].name], "nothing refused was copied"

    good = inbox / "noordpool.txt"
    good.write_text(NEW_LETTER, encoding="utf-8")
    result = cli(index, corpus, "add", str(good))
    assert result.exit_code == 0, result.output  # no old complaint repeats
    assert not [line for line in result.output.splitlines() if line.startswith(("overgeslagen", "niet toegevoegd"))]
    assert found(index, "Spitsbergen") == 1


# -- symbolic links -------------------------------------------------------------------------
@pytest.fixture
def outside(tmp_path) -> Path:
    """A readable letter outside the corpus, with a word no corpus letter has."""
    folder = tmp_path / "elders"
    folder.mkdir()
    (folder / "geheim.txt").write_text(SECRET, encoding="utf-8")
    (folder / "geheim.meta.json").write_text(json.dumps({"title": "Geheime titel"}), encoding="utf-8")
    return folder


def test_add_refuses_a_symbolic_link(tmp_path, outside):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:1])
    index = tmp_path / "index"
    link = tmp_path / "x.txt"
    link.symlink_to(outside / "geheim.txt")
    result = cli(index, corpus, "add", str(link))
    assert result.exit_code == 1 and "symbolische koppeling" in result.output
    assert not (corpus / "x.txt").exists() and not (corpus / "x.txt").is_symlink()


def test_index_never_reads_through_a_symbolic_link_in_the_corpus(tmp_path, outside):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    index = tmp_path / "index"
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "geheim.txt").symlink_to(outside / "geheim.txt")
    # a regular letter whose sidecar is a link: the letter is refused, not its sidecar followed
    shutil.copy(SEEDS[2], corpus / "derde.txt")
    (corpus / "derde.meta.json").symlink_to(outside / "geheim.meta.json")
    for args in (["index"], ["index", "--rebuild"]):
        result = cli(index, corpus, *args)
        assert result.exit_code == 1
        for name in ("passwd.txt", "geheim.txt"):
            assert f"overgeslagen: {name}: is een symbolische koppeling" in result.output
        assert "derde.txt" in result.output and "symbolische koppeling" in result.output
        assert found(index, "Geheimwoordpool") == 0 and found(index, "root") == 0
        service = SearchService(index)
        assert service.letter_ids() == sorted(p.stem for p in SEEDS[:2])
        assert "Geheime titel" not in {service.letter(i).title for i in service.letter_ids()}


def test_watch_skips_a_symbolic_link_that_appears(tmp_path, outside):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:1])
    index = tmp_path / "index"
    from indexer.store import watch

    summaries, errors, stop = [], [], threading.Event()
    thread = threading.Thread(target=watch, args=(corpus, index, summaries.append, errors.append, stop),
                              kwargs={"debounce": 0.2}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not summaries and time.monotonic() < deadline:
            time.sleep(0.05)
        (corpus / "geheim.txt").symlink_to(outside / "geheim.txt")
        while not any(s.skipped for s in summaries) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert errors == []
    assert any(name == "geheim.txt" and "symbolische koppeling" in why for s in summaries for name, why in s.skipped)
    assert found(index, "Geheimwoordpool") == 0


# -- file names and letter ids --------------------------------------------------------------
def test_names_that_cannot_be_ids_are_refused_with_advice(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:1])
    index = tmp_path / "index"
    (corpus / "a#b?c&d.txt").write_text(NEW_LETTER, encoding="utf-8")
    shutil.copy(SEEDS[1], corpus / "dubbel.txt")
    shutil.copy(SEEDS[2], corpus / "dubbel.TXT")  # the same id, "dubbel", as dubbel.txt
    result = cli(index, corpus, "index")
    assert result.exit_code == 1
    assert "overgeslagen: a#b?c&d.txt" in result.output and "geef het bestand een andere naam, bijv. 'a-b-c-d.txt'" in result.output
    assert "overgeslagen: dubbel.txt: zijn brief-id 'dubbel' is die van dubbel.TXT" in result.output
    assert SearchService(index).letter_ids() == sorted([SEEDS[0].stem, "dubbel"])

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "50%.txt").write_text(NEW_LETTER, encoding="utf-8")
    (inbox / "dubbel.pdf").write_text(NEW_LETTER + "\nNog een alinea.\n", encoding="utf-8")
    result = cli(index, corpus, "add", str(inbox / "50%.txt"), str(inbox / "dubbel.pdf"))
    assert result.exit_code == 1
    assert "geef het bestand een andere naam, bijv. '50-.txt'" in result.output
    assert "heeft al een brief met het id 'dubbel'" in result.output
    assert not (corpus / "50%.txt").exists() and not (corpus / "dubbel.pdf").exists()


# -- a killed rebuild -----------------------------------------------------------------------
def test_the_next_indexer_cleans_up_after_a_killed_rebuild(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", SEEDS[:2])
    index = tmp_path / "index"
    update_index(index, corpus)
    fresh, old = tmp_path / "index.new", tmp_path / "index.old"

    fresh.mkdir()  # killed while writing: no version file
    (fresh / "MAIN_half.seg").write_bytes(b"half a segment")
    old.mkdir()
    summary = update_index(index, corpus)  # an ordinary update, not --rebuild
    assert summary.unchanged == 2 and not fresh.exists() and not old.exists()

    # killed after the fresh index was complete, before the swap: it is swapped in, not thrown
    # away (it was built with one letter more, which the update then removes)
    bigger = make_corpus(tmp_path / "bigger", SEEDS[:3])
    update_index(fresh, bigger)
    summary = update_index(index, corpus)
    assert summary.removed == [SEEDS[2].stem] and summary.letters == 2 and not fresh.exists()
    assert SearchService(index).letter_ids() == sorted(p.stem for p in SEEDS[:2])
