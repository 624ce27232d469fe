"""File names without Path objects give the answers the Path-based helpers give."""
from pathlib import Path

import pytest

from indexer.reading import is_letter_file, is_letter_name
from indexer.reading import letter_id, letter_id_of_name

NAMES = ["a.txt", "b.PDF", "c.meta.json", ".hidden.txt", "d.tar.txt", "e.", "f", ".txt", "g..txt",
         "h.doc", "i.TXT.bak", "j k.pdf", "2024-01-02_brief.txt"]


@pytest.mark.parametrize("name", NAMES)
def test_names_agree_with_paths(name):
    assert is_letter_name(name) == is_letter_file(Path(name))
    assert letter_id_of_name(name) == letter_id(Path(name))
