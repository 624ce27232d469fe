"""The Dutch word list: evidence for whether a split word should be joined."""
from indexer.analysis import lexicon


def test_whole_words_are_known_case_insensitively():
    assert lexicon.is_word("omstandigheden")
    assert lexicon.is_word("Samenwerking")
    assert lexicon.is_word("waardengemeenschap")


def test_fragments_and_made_up_joins_are_not_words():
    assert not lexicon.is_word("verdedi")
    assert not lexicon.is_word("politiekmilitair")
    assert not lexicon.is_word("defensieuitgaven")


def test_zipf_ranks_common_words_above_rare_ones():
    assert lexicon.zipf("de") > lexicon.zipf("samenwerking") > lexicon.zipf("wapenbeheersing") > 0
    assert lexicon.zipf("xqzvbnonsense") == 0.0


def test_common_word_tells_words_from_hyphenation_fragments():
    assert lexicon.is_common_word("politiek") and lexicon.is_common_word("militair")
    assert not lexicon.is_common_word("lijke")  # the tail of "vertrouwe-lijke"
    assert not lexicon.is_common_word("gingstaak")


def test_the_word_list_is_loaded_once():
    lexicon.is_word("navo")
    assert lexicon._frequencies() is lexicon._frequencies()
    assert len(lexicon._frequencies()) > 200_000


def test_the_word_list_is_copied_to_the_cache_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    original = lexicon._frequencies()
    lexicon._frequencies.cache_clear()
    try:
        copy = lexicon._cache_file()
        assert copy.parent == tmp_path / "brieven"
        first = lexicon._frequencies()  # whichever copy it came from, it is now in the cache
        assert copy.exists() and first == original
        lexicon._frequencies.cache_clear()
        assert lexicon._frequencies() == original  # read from the copy
        copy.write_bytes(b"\x00 not a word list")  # damaged: read from wordfreq, rewritten
        lexicon._frequencies.cache_clear()
        assert lexicon._frequencies() == original and copy.read_bytes() != b"\x00 not a word list"
    finally:
        lexicon._frequencies.cache_clear()
