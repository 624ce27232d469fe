"""Compound splitting measured against real words from the corpora (tests/data/compounds.tsv)."""
from pathlib import Path

from indexer.analysis import split_compound
from indexer.analysis import stem

CASES = [
    line.split("\t")
    for line in (Path(__file__).resolve().parents[1] / "data" / "compounds.tsv").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


def right(word: str, expected: str) -> bool:
    """Parts count as right when they stem alike ("waard"+"gemeenschap" for "waarden ...")."""
    parts = split_compound(word)
    if expected == "-":
        return parts == ()
    return [stem(p) for p in parts] == [stem(p) for p in expected.split()]


def test_the_list_is_large_enough_and_has_both_kinds():
    assert len(CASES) >= 60
    assert sum(1 for _, e in CASES if e == "-") >= 20
    assert sum(1 for _, e in CASES if e != "-") >= 30


def test_splitting_accuracy():
    wrong = [(w, e, split_compound(w)) for w, e in CASES if not right(w, e)]
    accuracy = 1 - len(wrong) / len(CASES)
    print(f"compound splitting: {accuracy:.1%} right on {len(CASES)} words; wrong: {wrong}")
    assert accuracy >= 0.9, wrong


def test_no_false_split_of_a_word_with_a_meaning_of_its_own():
    false_splits = [w for w, e in CASES if e == "-" and split_compound(w)]
    assert false_splits == []
