"""The index's documents: one per paragraph, carrying its letter's metadata.

`letter_documents` is the layout every writer (a rebuild's bulk writer, Whoosh's writer for
updates) receives; the search service reads the same fields back as stored fields.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from indexer.analysis import (
    Taxonomy,
    acronyms,
    aliases,
    elisions,
    fingerprints,
    initialled,
    joined,
    modifiers,
    name_runs,
    written_forms,
)
from indexer.reading import Kind, Letter, ministry_slug


def term_text(term) -> str:
    """A term from a Whoosh lexicon as text (Whoosh hands out bytes or str)."""
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def tag_letter(letter: Letter, taxonomy: Taxonomy) -> tuple[list[list[str]], list[str]]:
    """Each paragraph's topics (its text, heading and the letter's context) and the letter's
    own: those its body paragraphs carry, with its title, dossier title and ministries."""
    tagger = taxonomy.tagger
    context = tagger.context(letter.title, letter.dossier_title, letter.ministries)
    taggings = [tagger.paragraph(p.text, p.section, context) for p in letter.paragraphs]
    body = [t.scores for t, p in zip(taggings, letter.paragraphs) if p.kind is Kind.BODY]
    return [t.slugs for t in taggings], tagger.letter(body, context)


def letter_documents(letter: Letter, taxonomy: Taxonomy, stamp: str = "") -> Iterator[dict]:
    """The Whoosh documents of a letter: one per paragraph, with the letter's metadata and
    topics. The paragraphs are tagged first (a letter's topics need them all); their analysis
    stays in `term_positions`' cache for the text field."""
    meta = {
        "source": letter.source,
        "signatories": [{"role": s.role, "name": s.name} for s in letter.signatories],
        "refers_to": letter.refers_to,
        "dossier": letter.dossier,
        "document_number": letter.document_number,
        "kamerstuk": letter.kamerstuk,
        "dossier_title": letter.dossier_title,
        "sender": letter.sender,
        "ministries": letter.ministries,
        "notes": letter.notes,
    }
    paragraph_topics, letter_topics = tag_letter(letter, taxonomy)
    meta["topics"] = letter_topics  # the letter's own topics (slugs), shown with each paragraph
    # stored on every paragraph, so only what the letter has (readers default the rest)
    meta = json.dumps({key: value for key, value in meta.items() if value}, ensure_ascii=False)
    ministries = ",".join(ministry_slug(m) for m in letter.ministries)
    texts = [p.text for p in letter.paragraphs]
    runs = [name_runs(text) for text in texts]  # capitalised words: names, titles
    named_as = aliases(texts, runs)
    prints = fingerprints(texts)
    for p, topics, other_words, print_ in zip(letter.paragraphs, paragraph_topics, named_as, prints):
        doc = {
            "doc_id": f"{letter.id}#{p.number}",
            "letter_id": letter.id,
            "paragraph": p.number,
            "kind": p.kind.value,
            "text": p.text,
            "title": letter.title,
            "topics": ",".join(topics),
            "date_inferred": letter.date_inferred,
            "day": letter.date.toordinal() if letter.date else 0,
            "letter_meta": meta,
        }
        doc["fingerprint"] = print_
        if other_words:
            doc["aliases"] = " ".join(other_words)
        completed = elisions(p.text)
        if completed:
            doc["elided"] = " ".join(completed.values())
        less = modifiers(p.text)
        if less:
            doc["modifiers"] = ",".join(less)
        if letter.dossier:
            doc["dossier"] = letter.dossier
        if ministries:
            doc["ministries"] = ministries
        if p.number == 1:
            if letter.title:
                doc["subject"] = letter.title
            doc["letter_file"] = f"{letter.id}\t{letter.sha256}\t{stamp}"
            doc["letter_sha256"] = letter.sha256
            if letter_topics:  # once per letter: the letter facet counts letters, not paragraphs
                doc["letter_topics"] = ",".join(letter_topics)
            # The letter's vocabulary for spelling suggestions, once per letter rather than per
            # paragraph (a fifth fewer postings): the suggester ranks a word by the number of
            # letters that have it, and needs to know whether the index has it at all, not
            # which paragraph has it.
            doc["words"] = joined(texts)
            written = written_forms(doc["words"])
            if written:
                doc["written"] = ",".join(written)
        if p.number == 1:
            # names with their initials, and the acronyms written (an entry without a name)
            named = dict.fromkeys([encode_abbreviation(*n) for found in runs for n in initialled(found)]
                                  + [a for text in texts for a in acronyms(text)])
            if named:
                doc["names"] = ",".join(named)
        if p.number == 1 and letter.abbreviations:
            doc["abbreviations"] = ",".join(encode_abbreviation(a, long) for a, long in letter.abbreviations)
        if p.section:
            doc["section_label"] = p.section
            if p.kind is Kind.BODY:
                doc["section"] = p.section
        if letter.date is not None:
            doc["date"] = datetime(letter.date.year, letter.date.month, letter.date.day)
            doc["year"] = str(letter.date.year)
        yield doc


def encode_abbreviation(abbr: str, long: str) -> str:
    """One term of the abbreviations field; commas would split it, so they become spaces."""
    return f"{abbr}\t{long}".replace(",", " ")


def decode_abbreviation(term: str) -> tuple[str, str]:
    abbr, _, long = term.partition("\t")
    return abbr, long
