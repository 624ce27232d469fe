"""The ranking's mechanisms as examples: small letters written here, indexed for real, searched
through the service. Each example is a case of a general rule about Dutch letters, not of a
judged query."""
from pathlib import Path

import pytest

from indexer.searching import SearchRequest, SearchService
from indexer.store import update_index

# Letters in the simplest format the reader knows: a date line, a subject line, paragraphs.
LETTERS = {
    # the subject names the word; its paragraph mentions it once, as the other letter's does
    "titel_a": """Brussel, 4 januari 2017

Werkloosheid bij jongeren.

De minister antwoordt dat de cijfers van het afgelopen jaar een daling tonen van de werkloosheid in alle provincies, en dat het beleid wordt voortgezet met aandacht voor scholing.

Het aantal opleidingsplaatsen groeit verder en de begeleiding van schoolverlaters wordt versterkt.
""",
    "titel_b": """Brussel, 5 januari 2017

Begroting van het departement.

De minister antwoordt dat de ramingen van het komende jaar een stijging tonen van de werkloosheid in enkele provincies, en dat het budget wordt aangepast met aandacht voor uitgaven.

Het aantal ambtenaren blijft gelijk en de inkoop van materieel wordt uitgesteld.
""",
    # "klimaat" twice as a word, against a name that has it as its modifier, said four times
    "klimaat_woord": """Brussel, 6 januari 2017

Vragen over subsidies.

De minister zegt dat het klimaat in de regio verandert en dat het klimaat een reden is om de subsidies voor dijken te herzien in het komende jaar.
""",
    "klimaat_naam": """Brussel, 7 januari 2017

Vragen over subsidies.

Het Klimaatfonds betaalt, het Klimaatfonds beslist, het Klimaatfonds controleert en het Klimaatfonds rapporteert over de subsidies voor dijken.
""",
}


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> SearchService:
    root = tmp_path_factory.mktemp("examples")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in LETTERS.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    summary = update_index(root / "index", corpus)
    assert summary.skipped == []
    service = SearchService(root / "index")
    yield service
    service.close()


def ranked(service: SearchService, query: str) -> list[str]:
    """The paragraphs found, best first, as "letter#number"."""
    result = service.search(SearchRequest(query=query, page_size=50))
    return [f"{h.letter_id}#{h.number}" for h in result.hits]


def test_a_word_in_the_subject_line_speaks_for_the_letters_paragraphs(examples):
    # both body paragraphs mention "werkloosheid" once, in sentences of the same length; the
    # letter whose subject is werkloosheid comes first
    assert ranked(examples, "werkloosheid") == ["titel_a#1", "titel_a#2", "titel_b#2"]


def test_the_subject_line_makes_no_paragraph_match_without_the_word(examples):
    # the letter's last paragraph does not say werkloosheid: the title does not make it a hit
    assert "titel_a#3" not in ranked(examples, "werkloosheid")


def test_a_compound_said_again_adds_nothing_for_its_modifier_when_switched_on(examples, monkeypatch):
    # Off by default (it lost on themes-dev, README): counted as often as the word itself, the
    # name "Klimaatfonds" four times outranks a paragraph that says klimaat twice
    assert ranked(examples, "klimaat")[:2] == ["klimaat_naam#2", "klimaat_woord#2"]
    monkeypatch.setattr("indexer.searching.bm25.MODIFIER_WEIGHT", 0.0)
    examples._results.clear()
    # switched on, the name's modifier counts once: the paragraph about klimaat comes first
    assert ranked(examples, "klimaat")[:2] == ["klimaat_woord#2", "klimaat_naam#2"]
