"""`brieven export` and `brieven stats` stay exact whatever was added, changed and removed: a
removed letter's terms linger in the index until a merge, its paragraphs do not."""
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import main
from indexer.reading import read_letter
from indexer.searching import SearchService
from indexer.store import update_index

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
NEW_LETTER = """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 3 maart 2023

Hierbij ontvangt u het verslag van de bijeenkomst over de Noordpool en Spitsbergen.
"""


def cli(index: Path, corpus: Path, *args: str):
    return CliRunner().invoke(main, ["--index", str(index), "--corpus", str(corpus), *args])


def expected_rows(corpus: Path) -> list[tuple[str, int, str]]:
    rows = []
    for path in sorted(corpus.glob("*.txt")):
        letter = read_letter(path)
        rows += [(letter.id, p.number, p.text) for p in letter.paragraphs]
    return sorted(rows)


def test_export_and_stats_stay_exact_after_adds_changes_and_removals(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, corpus / seed.name)
    index = tmp_path / "index"
    update_index(index, corpus)
    changed = corpus / SEEDS[1].name
    steps = [
        lambda: (corpus / SEEDS[0].name).unlink(),
        lambda: changed.write_text(changed.read_text(encoding="utf-8") + "\n\nEen nieuwe alinea over Moldavië.\n",
                                   encoding="utf-8"),
        lambda: (corpus / "005_noordpool.txt").write_text(NEW_LETTER, encoding="utf-8"),
        lambda: (corpus / SEEDS[3].name).unlink(),
        lambda: (corpus / "005_noordpool.txt").unlink(),
    ]
    for n, step in enumerate(steps):
        step()
        assert cli(index, corpus, "index").exit_code == 0
        result = cli(index, corpus, "export")
        assert result.exit_code == 0, f"step {n}: {result.output[-300:]}"
        rows = [json.loads(line) for line in result.output.splitlines()]
        assert sorted((r["letter_id"], r["paragraph"], r["text"]) for r in rows) == expected_rows(corpus)
        assert [(r["letter_id"], r["paragraph"]) for r in rows] == sorted((r["letter_id"], r["paragraph"]) for r in rows)
        # the stats of the updated index are those of an index built afresh from the same letters
        rebuilt = tmp_path / f"rebuilt-{n}"
        update_index(rebuilt, corpus)
        stats, fresh = SearchService(index).stats(), SearchService(rebuilt).stats()
        for key in ("letters", "paragraphs", "terms", "years"):
            assert stats[key] == fresh[key], f"step {n}: {key}"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped():
    import csv
    import io

    from indexer.reading import Kind
    from indexer.searching import Paragraph, csv_lines

    paragraph = Paragraph(letter_id="@brief", number=1, title="=HYPERLINK(\"http://x\",\"klik\")",
                          date=None, date_inferred=False, section="+31 6 1234", topics=["-Rusland"],
                          kind=Kind.BODY, text="- een opsomming met een streepje ervoor")
    plain = Paragraph(letter_id="brief", number=2, title="Gewoon", date=None, date_inferred=False,
                      section=None, topics=[], kind=Kind.BODY, text="Tekst = tekst, 5 + 5 @ tien")
    row, other = csv.DictReader(io.StringIO(("".join(csv_lines([paragraph, plain]))).removeprefix("\ufeff")), delimiter=";")
    assert (row["letter_id"], row["title"], row["section"], row["topics"], row["text"]) == (
        "'@brief", "'=HYPERLINK(\"http://x\",\"klik\")", "'+31 6 1234", "'-Rusland",
        "'- een opsomming met een streepje ervoor")
    assert (other["letter_id"], other["title"], other["text"]) == ("brief", "Gewoon", "Tekst = tekst, 5 + 5 @ tien")
