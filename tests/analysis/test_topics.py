"""The taxonomy and the evidence-based tagger: string in, topics out; and the search over them."""
from __future__ import annotations

import pytest

from indexer.analysis import load_taxonomy
from indexer.analysis.topics import TaxonomyError
from indexer.searching import SearchRequest


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def test_the_taxonomy_covers_government_in_themes_with_subtopics(taxonomy):
    themes = taxonomy.themes
    assert 25 <= len(themes) <= 35
    assert all(taxonomy.children[t.slug] for t in themes), "every theme has subtopics"
    assert all(t.description for t in taxonomy.topics)
    nato = ["rusland", "china", "oekraine", "turkije", "midden-oosten-noord-afrika", "afghanistan", "trans-atlantisch",
            "cyber", "weerbaarheid-hybride-dreigingen", "terrorisme", "klimaat", "kernwapens-wapenbeheersing",
            "opkomende-technologie", "afschrikking-verdediging", "defensie-uitgaven-lastenverdeling",
            "navo-eu-samenwerking", "partnerschappen", "uitbreiding", "strategisch-concept", "navo-2030"]
    assert {taxonomy.by_slug(s).parent for s in nato} == {"defensie", "buitenland"}


@pytest.mark.parametrize("text", [
    "De uitbreiding van de openingstijden van het loket is welkom.",
    "Wij zullen zorgen voor een goede afhandeling van uw brief.",
    "Het klimaat in de vergadering was goed.",
    "Onze partner in dit project is een gemeente.",
])
def test_an_ambiguous_word_alone_gives_no_topic(taxonomy, text):
    assert taxonomy.assign(text) == []


def test_one_strong_term_is_enough_and_brings_its_theme(taxonomy):
    assert taxonomy.assign("Het aantal asielzoekers is gestegen.") == ["migratie", "asiel"]


def test_one_ordinary_term_is_not_enough_two_are(taxonomy):
    assert taxonomy.assign("Daarover sprak ook de burgemeester.") == []
    assert "gemeenten-provincies" in taxonomy.assign("De burgemeester en de wethouder spraken erover.")


def test_an_ambiguous_word_counts_beside_other_evidence(taxonomy):
    tagger = taxonomy.tagger
    alone = tagger.paragraph("De uitbreiding werd besproken.").scores
    with_context = tagger.paragraph("De NAVO-uitbreiding en de uitbreiding met Montenegro werden besproken.")
    assert not alone and "uitbreiding" in with_context.slugs


def test_the_letters_context_helps_a_paragraph_that_has_some_evidence_and_never_one_without(taxonomy):
    tagger = taxonomy.tagger
    context = tagger.context("Vluchtelingenbeleid", None, ["Justitie"])
    assert tagger.paragraph("Het aantal vluchtelingen is gestegen.", context=context).slugs[:1] == ["migratie"]
    assert tagger.paragraph("Ik zend u hierbij het rapport.", context=context).slugs == []


def test_at_most_four_topics_a_paragraph_strongest_theme_first(taxonomy):
    text = ("De NAVO-ministers van Defensie spraken over de Russische troepenopbouw rond Oekraïne, de afschrikking "
            "en collectieve verdediging aan de oostflank, de lastenverdeling, het Strategisch Concept, "
            "cyberaanvallen en hybride dreigingen, en de asielzoekers uit Afghanistan.")
    slugs = taxonomy.assign(text)
    assert 1 <= len(slugs) <= 4 and slugs[0] == "defensie"
    for slug in slugs:  # a subtopic comes with its theme
        parent = taxonomy.by_slug(slug).parent
        assert parent is None or parent in slugs


def test_a_letters_topics_come_from_its_paragraphs_and_title(taxonomy):
    tagger = taxonomy.tagger
    context = tagger.context("Pensioenhervorming", None, [])
    paragraphs = [tagger.paragraph(t, context=context).scores for t in (
        "De wettelijke pensioenleeftijd wordt verhoogd.", "Het vervroegd pensioen blijft mogelijk.")]
    assert tagger.letter(paragraphs, context)[:2] == ["sociale-zekerheid", "pensioenen"]


def test_a_taxonomy_with_a_missing_parent_is_refused(tmp_path):
    path = tmp_path / "topics.toml"
    path.write_text('[[topic]]\nname = "X"\nslug = "x"\nparent = "nergens"\nterms = ["x"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="nergens"):
        load_taxonomy(path)


# -- over the seed index ---------------------------------------------------------------------
def test_a_theme_filter_includes_its_subtopics(service):
    on_china = {(h.letter_id, h.number) for h in service.search(SearchRequest("", topics=("china",), page_size=100)).hits}
    on_theme = service.search(SearchRequest("", topics=("buitenland",), page_size=100))
    assert on_china and on_china <= {(h.letter_id, h.number) for h in on_theme.hits}
    typed = service.search(SearchRequest("onderwerp:buitenland", page_size=100))
    assert typed.total == on_theme.total


def test_the_topic_facet_shows_themes_and_a_chosen_themes_subtopics(service):
    plain = service.search(SearchRequest("rusland")).facets["topic"]
    assert plain and all(v.parent is None for v in plain)
    chosen = service.search(SearchRequest("rusland", topics=("buitenland",))).facets["topic"]
    subs = [v for v in chosen if v.parent == "buitenland"]
    assert any(v.slug == "rusland" for v in subs)
    assert [v.count for v in subs] == sorted((v.count for v in subs), reverse=True)


def test_the_letter_topic_facet_counts_letters(service):
    result = service.search(SearchRequest("NAVO"))
    letters = {v.slug: v.count for v in result.facets["letter_topic"]}
    assert letters["defensie"] == result.total_letters == 5
    paragraphs = {v.slug: v.count for v in result.facets["topic"]}
    assert paragraphs["defensie"] > letters["defensie"]
    hit = result.hits[0]
    assert "Defensie" in hit.letter_topics and hit.to_dict()["letter_topics"] == hit.letter_topics
