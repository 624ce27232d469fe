"""From the parsed query language (indexer/searching/query.py) to a Whoosh query, with Dutch expansions.

Each word the user typed becomes a small OR of ways to match it, strongest first:
the word itself in the paragraph (and, weaker, in its section heading); for a closed compound,
its parts found apart; other ways of writing it (synonyms, an abbreviation's long form or the
reverse); for an abbreviation, the words of its long form anywhere; and, weakest, one part of
a compound alone or a paragraph on the topic the word names (these two only for a word the
letters use: they widen a search, they never answer for a word found nowhere). Plain words are combined with a coordination bonus, so paragraphs with
more of them rank higher, plus a proximity bonus when they stand close together.
"""
from __future__ import annotations

from collections.abc import Callable

from whoosh import query as wq
from whoosh.support.levenshtein import distance

from indexer.analysis import analyze, fold, query_compound_parts, stem, stopwords
from indexer.searching import query as ql
from indexer.searching.budget import MIN_FUZZY_CHARS, MIN_PREFIX_CHARS, Budget
from indexer.searching.expansion import Expander
from indexer.searching.letter_evidence import LetterWide
from indexer.store import Snapshot

SECTION_BOOST = 0.5  # a word in the section heading counts, less than in the paragraph itself
PARTS_BOOST = 0.5  # the parts of a compound query word found apart count half
ANY_PART_BOOST = 0.1  # one part of a compound query word alone, weakest
SYNONYM_BOOST = 0.8
# the whole word of an elided compound ("landbouw" in "land- en tuinbouw"): a completion the
# letter implies, weaker than a compound query word's parts found apart. At 0.5 themes-dev lost
# P@10 0.650 -> 0.647 (the "ziekte- en invaliditeitsverzekering" of an institute's name is a
# ziekteverzekering the librarians did not tag); 0.25 loses nothing on either set (README).
ELIDED_BOOST = 0.25
# a person named by the title the letter gave them ("de Hoge Vertegenwoordiger" for the name
# written with it once), or the reverse: the letter's own words for it, weaker than the word
ALIAS_BOOST = 0.5  # another way of writing the word (NATO for NAVO, a harvested long form)
BAG_BOOST = 0.3  # the rarer words of an abbreviation's long form found anywhere in the paragraph
RARE_SHARE = 0.1
TOPIC_SCORE = 0.5  # a paragraph on a topic a query word names, without any query word
TOPIC_EXPANSION = True  # False: a topic's paragraphs without a query word are not found at all
COORDINATION = 1.0  # plain words: a paragraph with all of them scores this much more
# The default operator, decided by `brieven eval` (README, Search quality): any word, with the
# coordination bonus above, ranks better than requiring every word.
REQUIRE_ALL_WORDS = False
PROXIMITY_BOOST = 1.0  # plain words that stand within a few words of each other
PROXIMITY_SLOP = 4
# two words typed side by side that also stand side by side, in that order (a two-word name, an
# adjective with its noun): their score once more, times this, on top of the proximity bonus.
# 0, off: at 0.5 dev.json lost (nDCG@10 0.852 -> 0.835), themes-dev unchanged (README).
ADJACENCY_BOOST = 0.0
MAX_PHRASE_VARIANTS = 8
# two words typed apart that the letters write as one closed compound ("vrije handel",
# vrijhandel): another way of writing them, as a synonym is
CLOSED_BOOST = SYNONYM_BOOST
# A query word in the letter's title (subject line) adds this much, times its score in the title,
# to each paragraph of that letter that matches on its own (searching/letter_evidence.py).
TITLE_BOOST = 0.5


class Compiler:
    def __init__(self, expander: Expander, snapshot: Snapshot | None = None, ranking: bool = True,
                 memo: dict | None = None, budget: Budget | None = None):
        self.expander = expander
        self.snapshot = snapshot  # to ask whether a word occurs at all
        # prefix and fuzzy expansions, and the budget they draw on, shared by the compilers of
        # one search (ranked and unranked), so that each word is expanded and counted once
        self.memo = memo if memo is not None else {}
        self.budget = budget if budget is not None else Budget()
        # ranking=False leaves out what only changes scores (the all-words and proximity
        # bonuses): the same paragraphs match, found faster, for totals and facet counts.
        self.ranking = ranking
        self.positives: list[wq.Query] = []  # what to highlight: never the NOT parts
        self.topics: set[str] = set()  # topics the plain words name
        self.title_terms: list[str] = []  # the searched words, to be looked for in titles

    def compile(self, node: ql.Node | None) -> tuple[wq.Query | None, list[wq.Query]]:
        compiled = self._node(node, negated=False) if node is not None else None
        if compiled is not None and self.topics and TOPIC_EXPANSION:
            # Paragraphs on a topic the query names, without any query word, come after every
            # paragraph with one: a small constant, outside the bonus for having all the words.
            on_topic = wq.ConstantScoreQuery(
                _or([wq.Term("topics", slug) for slug in sorted(self.topics)]), score=TOPIC_SCORE)
            only_optional = isinstance(node, ql.Group) and all(
                o is ql.Occur.SHOULD for o, _ in node.clauses)
            compiled = wq.Or([compiled, on_topic]) if only_optional else wq.AndMaybe(compiled, on_topic)
        if compiled is not None and self.ranking and TITLE_BOOST and self.title_terms:
            in_title = _or([wq.Term("subject", t) for t in dict.fromkeys(self.title_terms)])
            compiled = wq.AndMaybe(compiled, LetterWide(in_title, boost=TITLE_BOOST))
        return compiled, self.positives

    # -- structure ---------------------------------------------------------------------------
    def _node(self, node: ql.Node, negated: bool) -> wq.Query | None:
        if isinstance(node, ql.AnyOf):
            parts = [q for q in (self._node(n, negated) for n in node.nodes) if q]
            return _or(parts)
        if isinstance(node, ql.Group):
            return self._group(node, negated)
        q = self._leaf(node)
        if q is not None and not negated:
            self.positives.append(q)
            if isinstance(node, (ql.Word, ql.Phrase)):
                self.title_terms += analyze(node.text, mode="query")
            if isinstance(node, ql.Word):
                for term in analyze(node.text, mode="query"):
                    if self._found(term):
                        self.topics |= self.expander.topics(term)
        return q

    def _group(self, node: ql.Group, negated: bool) -> wq.Query | None:
        should, must, must_not = [], [], []
        words = []  # the plain words searched (not a word left out by the budget)
        for occur, child in node.clauses:
            q = self._node(child, negated or occur is ql.Occur.MUST_NOT)
            if q is not None:
                {ql.Occur.SHOULD: should, ql.Occur.MUST: must, ql.Occur.MUST_NOT: must_not}[occur].append(q)
                if occur is not ql.Occur.MUST_NOT and isinstance(child, ql.Word):
                    words.append(child.text)
        if not (should or must):
            return wq.AndNot(wq.Every(), _or(must_not)) if must_not else None
        if REQUIRE_ALL_WORDS and len(should) > 1 and not must:
            must, should = should, []
        # Under NIET only what matches counts: a score bonus there would only widen what is
        # excluded, and differently from the unranked query that gives the totals.
        ranking = self.ranking and not negated
        bonus = self._multiword_bonus(words, ranking)
        if len(should) > 1 and COORDINATION and ranking:
            # Whoosh's own coordination bonus is negligible: paragraphs with every plain word
            # get their words' score once more, times COORDINATION.
            bonus.append(wq.And(should, boost=COORDINATION))
        if must:
            core = and_all(must)
            optional = should + bonus
            if optional:
                core = wq.AndMaybe(core, _or(optional))
        else:
            core = _or(should + bonus)
        return wq.AndNot(core, _or(must_not)) if must_not else core

    def _multiword_bonus(self, words: list[str], ranking: bool) -> list[wq.Query]:
        """For plain words typed side by side: a bonus when they also stand close together in
        the paragraph, and the other ways of writing a run of them ("NAVO Rusland Raad")."""
        terms = [t for w in words for t in analyze(w, mode="query")]
        bonus: list[wq.Query] = []
        if len(terms) > 1 and PROXIMITY_BOOST and ranking:
            near = wq.SpanNear2([wq.Term("text", t) for t in terms], slop=PROXIMITY_SLOP, ordered=False)
            bonus.append(wq.Or([near], boost=PROXIMITY_BOOST))
        if len(terms) > 1 and ADJACENCY_BOOST and ranking:
            for pair in dict.fromkeys(zip(terms, terms[1:])):
                if pair[0] != pair[1]:
                    bonus.append(wq.Phrase("text", list(pair), boost=ADJACENCY_BOOST))
        if CLOSED_BOOST:
            bonus.extend(self._closed_compounds(words))
        known = self.expander.known_sequences()
        for start in range(len(terms)):
            for end in range(start + 2, len(terms) + 1):
                run = tuple(terms[start:end])
                if run in known:
                    bonus.append(_phrase(run))
                    bonus.extend(self._alternatives(run))
        return bonus

    def _closed_compounds(self, words: list[str]) -> list[wq.Query]:
        """Two words typed apart that the letters also write as one closed compound ("vrije
        handel": vrijhandel, as in vrijhandelsakkoord): that word, where the index has it (as a
        word or as the part of a compound). Joined as written, or with the first word's ending
        dropped as a compound does (vrije -> vrij)."""
        if self.snapshot is None:
            return []
        found: list[wq.Query] = []
        for first, second in zip(words, words[1:]):
            a, b = fold(first), fold(second)
            if not (a.isalpha() and b.isalpha()) or a in stopwords() or b in stopwords():
                continue
            for joined in dict.fromkeys((a + b, stem(a) + b)):
                term = stem(joined)
                if self.snapshot.doc_frequency("text", term) > 0:
                    found.append(wq.Term("text", term, boost=CLOSED_BOOST))
                    break
        return found

    # -- single items --------------------------------------------------------------------------
    def _leaf(self, node: ql.Node) -> wq.Query | None:
        key = ("leaf", id(node))  # the ranked and the unranked compiler walk the same nodes
        if key not in self.memo:
            terms = analyze(node.text, mode="query") if isinstance(node, ql.Phrase) else [node.text]
            self.memo[key] = self.budget.take_words(_typed(node), len(terms))
        if not self.memo[key]:
            return None
        if isinstance(node, ql.Word):
            return self._word(node.text)
        if isinstance(node, ql.Phrase):
            return self._phrase(node.text)
        if isinstance(node, ql.Prefix):
            return self._prefix(node.text)
        if isinstance(node, ql.Fuzzy):
            return self._fuzzy(node)
        raise TypeError(f"unknown query node {node!r}")

    def _prefix(self, text: str) -> wq.Query | None:
        """The indexed terms starting with the prefix as typed or as stemmed ("belasting*" also
        finds the stem "belast"), the most common first, as many as the budget allows: a short
        prefix would otherwise expand into thousands of terms (as Lucene also caps)."""
        folded = fold(text).replace("-", "")
        prefixes = sorted({folded, stem(folded)} if folded.isalpha() else {folded})
        prefixes = [p for p in prefixes if p]
        if self.snapshot is None:
            return _or([wq.Prefix("text", p) for p in prefixes])

        def frequencies() -> dict[str, int]:
            frequency: dict[str, int] = {}
            for p in prefixes:
                if not any(p != q and p.startswith(q) for q in prefixes):
                    frequency.update(self.snapshot.frequencies_starting("text", p))
            return frequency

        terms = self._expansion(("prefix", folded), _typed(ql.Prefix(text)), len(folded), MIN_PREFIX_CHARS, frequencies)
        return _or([wq.Term("text", t) for t in terms]) if terms else wq.NullQuery

    def _fuzzy(self, node: ql.Fuzzy) -> wq.Query | None:
        """The indexed terms within `distance` edits of the word (the first letter as typed), the
        most common first, as many as the budget allows."""
        terms = analyze(node.text, mode="query")
        if not terms:
            return None
        term, edits = terms[0], node.distance
        if self.snapshot is None:
            return wq.FuzzyTerm("text", term, maxdist=edits, prefixlength=1)

        def frequencies() -> dict[str, int]:
            close = [w for w in self.snapshot.terms_starting("text", term[:1])
                     if abs(len(w) - len(term)) <= edits and distance(w, term, limit=edits) <= edits]
            return {w: self.snapshot.doc_frequency("text", w) for w in close}

        words = self._expansion(("fuzzy", term, edits), _typed(node), len(term), MIN_FUZZY_CHARS, frequencies)
        return _or([wq.Term("text", t) for t in words]) if words else wq.NullQuery

    def _expansion(self, key: tuple, typed: str, chars: int, least: int,
                   frequencies: Callable[[], dict[str, int]]) -> list[str]:
        """The words a prefix or fuzzy word stands for, worked out once per search and within
        its budget: the most common ones (document frequency, then alphabetical), sorted."""
        if key not in self.memo:
            words: list[str] = []
            if self.budget.take_pattern(typed, chars, least):
                self.budget.check()
                frequency = frequencies()
                ranked = sorted(frequency, key=lambda t: (-frequency[t], t))
                words = sorted(self.budget.take_terms(typed, ranked))
            self.memo[key] = words
        return self.memo[key]

    def _word(self, text: str) -> wq.Query | None:
        terms = analyze(text, mode="query")
        if not terms:
            return None  # a stopword
        if len(terms) > 1:  # "9/11", "1,85": the parts side by side
            return _or([_phrase(terms), *self._alternatives(tuple(terms))])
        term = terms[0]
        # the heading a paragraph stands under speaks for it (footnotes have none indexed)
        ways = [wq.Term("text", term), wq.Term("section", term, boost=SECTION_BOOST)]
        if ELIDED_BOOST:
            ways.append(wq.Term("elided", term, boost=ELIDED_BOOST))
        if ALIAS_BOOST:
            ways.append(wq.Term("aliases", term, boost=ALIAS_BOOST))
        # A capitalised word is taken for a name ("Spitsbergen"): not split into parts.
        parts = query_compound_parts(text) if not text[:1].isupper() else []
        if parts:  # "conceptteksten" also finds "concept" and "teksten" apart
            ways.append(wq.And([wq.Term("text", p) for p in parts], boost=PARTS_BOOST))
            if ANY_PART_BOOST and self._found(term):  # each part alone, weakest
                ways.append(wq.Or([wq.Term("text", p) for p in parts], boost=ANY_PART_BOOST))
        ways.extend(self._alternatives((term,)))
        return wq.Or(ways)

    def _phrase(self, text: str) -> wq.Query | None:
        terms = tuple(analyze(text, mode="query"))
        if not terms:
            return None
        variants = [_phrase(terms), *self._alternatives(terms, bag=False)]
        # one word written another way inside the phrase: "artikel 5" also finds "art. 5"
        for i, term in enumerate(terms):
            for alt in self.expander.alternatives((term,)):
                if len(variants) < MAX_PHRASE_VARIANTS:
                    variants.append(_phrase(terms[:i] + alt.terms + terms[i + 1:], SYNONYM_BOOST))
        return _or(variants)

    def _found(self, term: str) -> bool:
        """Does the word occur in the letters at all? (Only then do the weakest expansions apply.)"""
        return self.snapshot is None or self.snapshot.doc_frequency("text", term) > 0

    def _rare(self, term: str) -> bool:
        """In at most RARE_SHARE of the paragraphs: a word that tells what a paragraph is about."""
        if self.snapshot is None:
            return True
        return self.snapshot.doc_frequency("text", term) <= RARE_SHARE * max(1, self.snapshot.doc_count)

    def _alternatives(self, terms: tuple[str, ...], bag: bool = True) -> list[wq.Query]:
        out: list[wq.Query] = []
        for alt in self.expander.alternatives(terms):
            out.append(_phrase(alt.terms, SYNONYM_BOOST))
            if bag and alt.abbreviation_of and len(alt.terms) > 1:
                telling = [t for t in alt.terms if self._rare(t)]
                if telling:  # "technologieën" of EDT's long form; never a word like "NAVO"
                    out.append(wq.Or([wq.Term("text", t) for t in telling], boost=BAG_BOOST))
        return out



def _typed(node: ql.Node) -> str:
    """A query item as the user typed it, for notices."""
    if isinstance(node, ql.Phrase):
        return f'"{node.text}"'
    if isinstance(node, ql.Prefix):
        return f"{node.text}*"
    if isinstance(node, ql.Fuzzy):
        return f"{node.text}~" + ("2" if node.distance == 2 else "")
    return node.text


def _phrase(terms, boost: float = 1.0) -> wq.Query:
    terms = list(terms)
    if len(terms) == 1:
        return wq.Term("text", terms[0], boost=boost)
    return wq.Phrase("text", terms, boost=boost)


def and_all(queries: list[wq.Query | None]) -> wq.Query | None:
    """All of the queries that are not None (None when there are none)."""
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _or(queries: list[wq.Query | None]) -> wq.Query | None:
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)
