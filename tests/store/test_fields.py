"""The fast index path writes what Whoosh's own analysis chain would, term for term."""
import functools
import pickle
from pathlib import Path

from whoosh import fields, formats

from indexer.store.fields import DutchText, Identifier, Keywords, SurfaceWords
from indexer.analysis import analyze_positions
from indexer.store.fields import dutch_analyzer, words_analyzer
from indexer.reading import read_letter
from indexer.analysis import load_taxonomy

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CRAFTED = [
    "De defensie-uitgaven en de cyberdreigingen van China's EDT’s: 2030, navo2030.",
    "Dialoog met Rusland, met Rusland, en de Oekraïne; coöperatieve technologieën.",
    "",
    "de het een",  # stopwords only
]


def _paragraphs() -> list[str]:
    texts = list(CRAFTED)
    for path in sorted(CORPUS.glob("*.txt")):
        letter = read_letter(path)
        texts += [p.text for p in letter.paragraphs]
        texts += [p.section for p in letter.paragraphs if p.section]
    return texts


def _words_with_existence():
    """Whoosh's own field for what SurfaceWords indexes: surface words, whether they occur."""
    field = fields.TEXT(analyzer=words_analyzer(), phrase=False)
    field.format = formats.Existence()
    return field


def _postings(field, text: str) -> list:
    return sorted(field.index(text))


def test_text_fields_give_the_postings_of_the_analyzer():
    for fast, slow in [
        (DutchText(analyzer=dutch_analyzer(), phrase=True), fields.TEXT(analyzer=dutch_analyzer(), phrase=True)),
        (DutchText(analyzer=dutch_analyzer(), phrase=False), fields.TEXT(analyzer=dutch_analyzer(), phrase=False)),
        (SurfaceWords(analyzer=words_analyzer()), _words_with_existence()),
    ]:
        for text in _paragraphs():
            assert _postings(fast, text) == _postings(slow, text), text[:60]


def test_identifier_and_keyword_fields_give_whooshs_postings():
    values = ["2030", "000_57bdeaef467bd125#3", "", " spaced ", "Ünïcode\tand tabs"]
    keyword_lists = ["defensie,veiligheid", "a,,b", "a, ,b", " x , y ,x", "", ",", "EDT\tEmerging tech"]
    for fast, slow, texts in [
        (Identifier(stored=True), fields.ID(stored=True), values),
        (Keywords(stored=True, vector=True), fields.KEYWORD(commas=True, stored=True, vector=True, scorable=False),
         keyword_lists + values),
    ]:
        for text in texts:
            assert _postings(fast, text) == _postings(slow, text), text
        assert fast.analyzer == slow.analyzer and fast.vector == slow.vector
    topics = Keywords(stored=True, vector=True)
    for text in keyword_lists:
        assert topics.vector_items(text) == sorted(
            (word, weight, value) for word, _, weight, value
            in topics.vector.word_values(text, topics.analyzer, mode="index")), text


def test_fields_keep_the_analyzer_for_queries_and_highlighting():
    field = DutchText(analyzer=dutch_analyzer(), phrase=True)
    assert list(field.process_text("Defensie-uitgaven", mode="query")) == ["defensieuitgav"]


@functools.lru_cache(maxsize=2)
def _all_terms(taxonomy) -> list[tuple[int, tuple[str, ...], set[str]]]:
    return [(n, term, set(term)) for n, topic in enumerate(taxonomy.topics) for term in topic.terms]


def _topics_by_tokens(taxonomy, text: str, section: str | None) -> list[str]:
    """The topics with a term in a paragraph, spelled out on the analyzer's tokens: the
    reference for the tagger's matching (the evidence it weighs)."""
    positions: dict[int, set[str]] = {}
    offset = 0
    for part in (section or "", text):
        last = -1
        for term, pos, _, _ in analyze_positions(part):
            positions.setdefault(offset + pos, set()).add(term)
            last = max(last, pos)
        offset += last + 2  # a term cannot run from the heading into the text
    found = set()
    present = set().union(*positions.values()) if positions else set()
    for n, term, tokens in _all_terms(taxonomy):
        if n not in found:
            if tokens <= present and any(all(term[i] in positions.get(p + i, ()) for i in range(len(term))) for p in positions):
                found.add(n)
    return [taxonomy.topics[n].slug for n in sorted(found)]


def test_topic_terms_are_matched_on_the_analyzed_tokens():
    taxonomy = load_taxonomy()
    cases = [(text, None) for text in _paragraphs()]
    for path in sorted(CORPUS.glob("*.txt")):
        cases += [(p.text, p.section) for p in read_letter(path).paragraphs]
    written_terms = [w for topic in taxonomy.topics for w in topic.written]
    for n, written in enumerate(written_terms):
        cases.append((f"Over {written}.", None))
        if n % 10 == 0:  # a term in the heading, and one split between heading and text
            head, _, tail = written.partition(" ")
            cases += [("Niets.", written), (tail or head, head)]
    assigned = 0
    for text, section in cases:
        expected = _topics_by_tokens(taxonomy, text, section)
        assert taxonomy.tagger.matched(section, text) == expected, (text[:60], section)
        assigned += bool(expected)
    assert assigned > 10


def test_spelling_vocabulary_counts_the_letters_with_each_word(index_dir):
    from collections import Counter

    from indexer.analysis import surface_words
    from indexer.store import open_index

    expected: Counter = Counter()
    for path in sorted(CORPUS.glob("*.txt")):
        expected.update(set(word for p in read_letter(path).paragraphs for word in surface_words(p.text)))
    assert expected["defensie"] == 5 and expected["nucleaire"] < 5
    with open_index(index_dir).searcher() as searcher:
        reader = searcher.reader()
        found = {t.decode() if isinstance(t, bytes) else t: reader.frequency("words", t)
                 for t in reader.lexicon("words")}
        assert found == expected
        assert searcher.corrector("words").suggest("defensei", limit=1, maxdist=2, prefix=1) == ["defensie"]


def test_analyzer_survives_pickling_as_the_index_schema_does():
    analyzer = pickle.loads(pickle.dumps(dutch_analyzer()))
    assert [t.text for t in analyzer("Oekraïne's bondgenoten")] == ["oekrain", "bondgenot"]


def test_whooshs_analyzer_gives_the_terms_and_positions_of_the_plain_analysis():
    text = "De NAVO-bondgenoten en de defensie-uitgaven van China's klimaatverandering, 2030."
    for mode in ("index", "query"):
        whoosh = [(t.text, t.pos, t.startchar, t.endchar)
                  for t in dutch_analyzer()(text, mode=mode, positions=True, chars=True)]
        assert whoosh == analyze_positions(text, mode=mode)
