"""Dutch analysis: what a Dutch word is indexed and searched under, and what a paragraph is about.

Plain Python over the rules in indexer/data/ (stopwords, stem overrides, compounds, topics): the
analyzer (`dutch`: folding, possessives, hyphenated and closed compounds, stemming), compound
splitting (`compounds`), the Dutch word list that is evidence for both and for dehyphenation
(`lexicon`), the topic taxonomy (`topics`: themes and subtopics of government policy) and
the tagging of paragraphs and letters by the evidence for each topic (`evidence`). It knows nothing of Whoosh: the index wraps it.

Exports: analyze, analyse_common_words, analyze_positions, marked_words, term_positions, word_terms, surface_terms, surface_words,
written_forms, joined, spelling_key, fingerprint, differing_bits, initialled_names, acronyms, aliases, fingerprints, initialled, name_runs,
fold, stem, stopwords, query_compound_parts, modifier_terms, modifiers, elisions, WORD_PATTERN; split_compound; is_word,
is_common_word, zipf; Taxonomy, Topic, TaxonomyError, load_taxonomy; Tagger, Tagging, LetterContext.
"""
from indexer.analysis.compounds import split_compound
from indexer.analysis.fingerprint import differing_bits, fingerprint, fingerprints
from indexer.analysis.names import acronyms, aliases, initialled, names as initialled_names, runs as name_runs
from indexer.analysis.dutch import (
    WORD_PATTERN,
    analyze,
    analyse_common_words,
    analyze_positions,
    marked_words,
    elisions,
    fold,
    joined,
    modifier_terms,
    modifiers,
    query_compound_parts,
    stem,
    stopwords,
    surface_terms,
    surface_words,
    term_positions,
    spelling_key,
    word_terms,
    written_forms,
)
from indexer.analysis.lexicon import is_common_word, is_word, zipf
from indexer.analysis.topics import Taxonomy, TaxonomyError, Topic, load_taxonomy
from indexer.analysis.evidence import LetterContext, Tagger, Tagging

__all__ = [
    "split_compound", "fingerprint", "differing_bits", "initialled_names", "acronyms", "aliases", "fingerprints", "initialled", "name_runs", "WORD_PATTERN", "analyze", "analyse_common_words", "analyze_positions", "marked_words", "fold", "joined",
    "query_compound_parts", "elisions", "modifier_terms", "modifiers", "stem", "stopwords", "surface_terms", "surface_words",
    "term_positions", "word_terms", "written_forms", "spelling_key", "is_common_word", "is_word", "zipf", "Taxonomy",
    "TaxonomyError", "Topic", "load_taxonomy", "LetterContext", "Tagger", "Tagging",
]
