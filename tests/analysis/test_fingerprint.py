"""Fingerprints: near-identical paragraphs differ in a few bits, others in many, short ones have none."""
from pathlib import Path

from indexer.analysis import differing_bits, fingerprint
from indexer.searching.similar import SIMILAR_BITS

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "ranking_examples"


def question(name: str) -> str:
    return (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8").split("\n\n")[2]


def test_the_same_question_with_another_date_differs_in_a_few_bits():
    a, b = fingerprint(question("vraag_minister_a")), fingerprint(question("vraag_minister_b"))
    assert a and b and differing_bits(a, b) <= SIMILAR_BITS


def test_another_question_on_the_same_subject_differs_in_many():
    a, other = fingerprint(question("vraag_minister_a")), fingerprint(question("vraag_anders"))
    assert differing_bits(a, other) > 2 * SIMILAR_BITS


def test_a_short_line_has_no_fingerprint():
    assert fingerprint("Wachtlijsten in de ouderenzorg.") == 0


def test_the_same_text_always_gives_the_same_fingerprint():
    # stable between processes (not Python's randomised hash): the index keeps it
    assert fingerprint(question("vraag_anders")) == fingerprint(question("vraag_anders"))
