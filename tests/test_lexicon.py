"""The Dutch word list: evidence for whether a split word should be joined."""
from indexer import lexicon


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
