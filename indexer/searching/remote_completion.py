"""Search as you type on the OpenSearch backend: the same completions (indexer/searching/
completion.py) built from aggregations instead of the embedded index's postings.

Words and their letter counts come from the `words` field (one value per word on a letter's
first paragraph), topics and dossiers from terms aggregations with a count of their letters,
multi-word synonyms from one phrase search each. Built once per index state, in the
background after a change, as on the embedded index.
"""
from __future__ import annotations

from indexer.analysis import Taxonomy, analyze, spelling_key
from indexer.searching.completion import CompletionKind, Completions, Gathering
from indexer.searching.remote_query import RemoteState, all_terms


def build_completions(client, index: str, state: RemoteState, taxonomy: Taxonomy, synonyms,
                      written_form) -> Completions:
    """`written_form(state, word)`: a folded word as the letters write it."""
    gathered = Gathering()
    offer = gathered.offer

    letters_count = {"letters": {"cardinality": {"field": "letter_id", "precision_threshold": 40000}}}
    for word, letters in all_terms(client, index, "words"):
        if not word.isdigit():
            offer(written_form(state, word), CompletionKind.WORD, letters)
    aggs = {"topics": {"terms": {"field": "topics", "size": max(1, len(taxonomy.topics))}, "aggs": letters_count},
            "dossiers": {"terms": {"field": "dossier", "size": 50000},
                         "aggs": {**letters_count, "title": {"terms": {"field": "dossier_title", "size": 1}}}}}
    response = client.search(index=index, body={"size": 0, "aggs": aggs})["aggregations"]
    topic_letters = {b["key"]: int(b["letters"]["value"]) for b in response["topics"]["buckets"]}
    for topic in taxonomy.topics:
        if topic_letters.get(topic.slug):
            offer(topic.name, CompletionKind.TOPIC, topic_letters[topic.slug])
    for bucket in response["dossiers"]["buckets"]:
        if bucket["title"]["buckets"]:
            dossier = bucket["key"]
            offer(bucket["title"]["buckets"][0]["key"], CompletionKind.DOSSIER, int(bucket["letters"]["value"]),
                  dossier, f"dossier:{dossier}")
    vocabulary = state.vocabulary
    for abbreviation, long_form in state.abbreviations:
        letters = max(1, vocabulary.doc_frequency("words", spelling_key(abbreviation)))
        offer(abbreviation, CompletionKind.ABBREVIATION, letters, long_form)
        offer(long_form, CompletionKind.ABBREVIATION, letters, abbreviation)
    for group in synonyms:
        for member in group:
            terms = analyze(member, mode="query")
            if len(member.split()) > 1 and len(terms) > 1:  # a phrase, found as one
                body = {"size": 0, "query": {"match_phrase": {"text": {"query": " ".join(terms),
                                                                       "analyzer": "whitespace"}}},
                        "aggs": letters_count}
                found = client.search(index=index, body=body)["aggregations"]["letters"]["value"]
                offer(member, CompletionKind.SYNONYM, int(found))
            elif len(terms) == 1:
                gathered.write_as(member)
    return Completions(gathered.entries)
