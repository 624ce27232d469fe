"""Search quality: abbreviations, synonyms, topics and compounds at work, and the ranking bar."""
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.quality import evaluate, load_judgements
from indexer.quality.evaluation import JudgedQuery, Judgement, Level, score_ranking
from indexer.searching import SearchRequest
from indexer.searching import SearchService

QRELS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev.json"


def test_an_abbreviation_finds_its_long_form_and_the_reverse(service):
    nrr = service.search(SearchRequest("NRR", page_size=20))
    assert any("NAVO-Rusland Raad" in h.text for h in nrr.hits)
    long = service.search(SearchRequest('"NATO Readiness Initiative"'))
    assert long.total >= 1
    edt = service.search(SearchRequest("EDT", page_size=5))
    assert any("<mark>" in h.snippet and "ontwrichtende" in h.text.lower() for h in edt.hits)


def test_synonyms_from_the_data_file(service):
    nato = service.search(SearchRequest("NATO", page_size=5))
    assert nato.total > 50, "NATO also finds NAVO"
    assert "<mark>NAVO</mark>" in " ".join(h.snippet for h in nato.hits)
    art = service.search(SearchRequest('"artikel 5"', page_size=20))
    assert any("art. 5" in h.text for h in art.hits)


def test_synonyms_apply_at_query_time_without_a_reindex(index_dir):
    plain = SearchService(index_dir, synonyms=[])
    assert plain.search(SearchRequest("Svalbard")).total == 0
    edited = SearchService(index_dir, synonyms=[["Svalbard", "Borrell"]])
    assert edited.search(SearchRequest("Svalbard")).total >= 1


def test_a_compound_query_word_finds_its_parts_apart_ranked_after_the_word(service):
    result = service.search(SearchRequest("conceptteksten", page_size=20))
    texts = [h.text for h in result.hits]
    assert "concept-teksten" in texts[0]
    assert any("concept" in t.lower() and "tekst" in t.lower() and "concept-teksten" not in t for t in texts)


def test_a_topic_word_also_finds_paragraphs_on_that_topic_last(service):
    result = service.search(SearchRequest("rusland", page_size=100))
    with_word = [i for i, h in enumerate(result.hits) if "rusland" in (h.text + str(h.section)).lower()]
    without = [i for i, h in enumerate(result.hits) if i not in with_word]
    assert with_word and without, "the Rusland topic brings paragraphs without the word"
    assert max(with_word) < min(without)
    assert all("Rusland" in result.hits[i].topics for i in without)


def test_weak_expansions_never_answer_for_a_word_found_nowhere(service):
    # "zeespiegelstijging" splits into zee + spiegel + stijging, and the letters use those words,
    # but not the compound: no paragraph is offered for it.
    assert service.search(SearchRequest("zeespiegelstijging")).total == 0


@pytest.mark.skipif(not QRELS.exists(), reason="shared/eval/dev.json is not beside the repository")
def test_ranking_quality_bar_on_the_dev_set(service):
    report = evaluate(service, load_judgements(QRELS))
    ours, base = report.mean(), report.to_dict()["baseline"]["mean"]
    print(json.dumps({"ours": ours, "baseline": base}))
    assert ours["ndcg"] >= 0.85 and ours["recall"] >= 0.85
    assert ours["ndcg"] - base["ndcg"] >= 0.10


# -- letter-level judgements (themes) ---------------------------------------------------------
def test_letter_level_scores_reduce_paragraphs_to_letters_in_order_of_first_appearance():
    judged = JudgedQuery("t", "thema", "", [Judgement("a", None, 1), Judgement("c", None, 1),
                                              Judgement("z", None, 1)], Level.LETTER)
    ranking = [("a", "p1"), ("a", "p2"), ("b", "p"), ("c", "p"), ("a", "p3")]  # letters: a, b, c
    score = score_ranking(ranking, judged)
    assert score.found == ["a:1", "b:0", "c:1"]
    assert score.scores["precision"] == pytest.approx(2 / 10)
    assert score.scores["map"] == pytest.approx((1 / 1 + 2 / 3) / 3)  # z is never found
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert score.scores["ndcg"] == pytest.approx((1 + 1 / math.log2(4)) / ideal)


def test_a_theme_file_is_scored_at_the_letter_level_beside_the_baseline(service, tmp_path, index_dir):
    themes = tmp_path / "themes.json"
    themes.write_text(json.dumps([
        {"id": "t1", "query": "Rusland", "relevant": ["000_57bdeaef467bd125", "003_c499737f92fb39c0"]},
        {"id": "t2", "query": "defensie-uitgaven", "relevant": ["002_95be2f4c36980282"]},
    ]), encoding="utf-8")
    report = evaluate(service, load_judgements(themes))
    assert report.level is Level.LETTER and set(report.mean()) == {"ndcg", "precision", "map"}
    assert 0 < report.mean()["ndcg"] <= 1 and report.baseline
    out = CliRunner().invoke(main, ["--index", str(index_dir), "eval", str(themes)])
    assert out.exit_code == 0, out.output
    assert "nDCG@20" in out.output and "MAP@100" in out.output and "t2" in out.output


def test_a_file_that_is_not_judgements_is_a_usage_error(index_dir, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "x"}]', encoding="utf-8")
    out = CliRunner().invoke(main, ["--index", str(index_dir), "eval", str(bad)])
    assert out.exit_code == 2 and "geen bestand met beoordelingen" in out.output
