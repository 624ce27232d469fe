""""Bedoelde u ...?": a query's unknown words replaced by the closest words the letters use, as
the letters write them ("Oekriane" -> "Oekraïne": the vocabulary is folded, the written forms
come from IndexState.written)."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from indexer.analysis import fold
from indexer.searching import query as ql
from indexer.searching.budget import Budget
from indexer.store import Snapshot

SUGGEST_BELOW = 5  # offer a suggestion only when the query finds fewer paragraphs than this
MAX_EDITS = 2
MAX_CORRECTED = 8  # unknown words looked up at most: each costs a walk through the vocabulary


def suggest(snapshot: Snapshot, text: str, node: ql.Node, budget: Budget | None = None,
            written: Callable[[str], str] = str) -> str | None:
    """Replace each word the index has never seen by the most frequent close word it has (the
    first MAX_CORRECTED of them, while the search's budget lasts: a suggestion is a help, so
    running out of time only makes it shorter), written as the letters write it (`written`:
    a folded word -> its written form)."""
    suggestion, changed, looked_up = text, False, 0
    for word in _plain_words(node):
        folded = fold(word)
        if not folded.isalpha() or snapshot.doc_frequency("words", folded):
            continue
        if looked_up >= MAX_CORRECTED or (budget is not None and budget.expires()):
            break
        looked_up += 1
        option = snapshot.spelling("words", folded, maxdist=MAX_EDITS, prefix=1)
        if option:
            suggestion = suggestion.replace(word, _same_case(word, written(option)), 1)
            changed = True
    return suggestion if changed else None


def _same_case(typed: str, word: str) -> str:
    """The word as written, in capitals when typed so, with a capital when typed with one."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


def _plain_words(node: ql.Node) -> Iterator[str]:
    if isinstance(node, ql.Word):
        yield node.text
    elif isinstance(node, ql.Group):
        for occur, child in node.clauses:
            if occur is not ql.Occur.MUST_NOT:
                yield from _plain_words(child)
    elif isinstance(node, ql.AnyOf):
        for child in node.nodes:
            yield from _plain_words(child)
