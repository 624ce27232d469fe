"""Ranking ablations on both development sets: each mechanism switched off, one at a time.

    .venv/bin/python -m benchmarks.ablations --seeds INDEX --themes INDEX [--only NAME ...]

INDEX directories are built beforehand with `brieven index` (the seed letters of corpus/, and
../shared/corpora/dekamer2017). A mechanism is switched off by setting the module constant
that governs it (the same constants the README's table names), in this process only; each
variant gets a fresh search service, so no cached answer is reused. Prints one line per
variant: dev.json nDCG@10 / recall@20 and themes-dev nDCG@20 / P@10 / MAP@100. The Lucene-style
baseline is `brieven eval` (it does not change with these switches).
"""
from __future__ import annotations

import argparse
import ast
import importlib
import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from indexer.quality import evaluate, load_judgements
from indexer.searching import SearchService

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


@contextlib.contextmanager
def setting(module, name: str, value) -> Iterator[None]:
    before = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, before)


def variants() -> dict[str, Callable[[], contextlib.AbstractContextManager]]:
    """Name -> a context in which that mechanism is off (or changed)."""
    from indexer.quality import evaluation
    from indexer.searching import bm25, compiler, feedback, index_state

    def off(module, name, value=0.0):
        return lambda: setting(module, name, value)

    return {
        "everything": contextlib.nullcontext,
        "no section heading": off(compiler, "SECTION_BOOST"),
        "no compound parts": off(compiler, "PARTS_BOOST"),
        "no single compound part": off(compiler, "ANY_PART_BOOST"),
        "no synonyms": off(compiler, "SYNONYM_BOOST"),
        "no elided compounds": off(compiler, "ELIDED_BOOST"),
        "no closed compound of two words": off(compiler, "CLOSED_BOOST"),
        "no acronyms from names": off(index_state, "ACRONYMS_FROM_NAMES", False),
        "no title/name aliases": off(compiler, "ALIAS_BOOST"),
        "no coordination": off(compiler, "COORDINATION"),
        "no proximity": off(compiler, "PROXIMITY_BOOST"),
        "adjacency bonus 0.5 (on)": off(compiler, "ADJACENCY_BOOST", 0.5),
        "topic paragraphs scored 0": off(compiler, "TOPIC_SCORE"),
        "no topic expansion": off(compiler, "TOPIC_EXPANSION", False),
        "no title evidence": off(compiler, "TITLE_BOOST"),
        "repeated modifier counts 0 (on)": off(bm25, "MODIFIER_WEIGHT", 0.0),
        "near-duplicates as one (site)": off(evaluation, "COLLAPSE", True),
        "RM3 feedback 0.5 (on)": off(feedback, "FEEDBACK_WEIGHT", 0.5),
        "BM25 b=0.75": lambda: _bm25(bm25, 0.75),
    }


@contextlib.contextmanager
def _bm25(module, b: float) -> Iterator[None]:
    with setting(module, "BM25_B", b):
        yield


def measure(index: Path, qrels: Path) -> dict[str, float]:
    from indexer.searching.bm25 import BM25
    import indexer.searching.bm25 as bm25_module

    service = SearchService(index, bm25=BM25(B=bm25_module.BM25_B))
    try:
        return evaluate(service, load_judgements(qrels), baseline=False).mean()
    finally:
        service.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True, help="index of the seed letters")
    parser.add_argument("--themes", type=Path, required=True, help="index of dekamer2017")
    parser.add_argument("--dev", type=Path, default=EVAL / "dev.json")
    parser.add_argument("--themes-qrels", type=Path, default=EVAL / "themes-dev.json")
    parser.add_argument("--only", nargs="*", help="variant names to run (default: all)")
    parser.add_argument("--set", nargs="*", default=[], metavar="MODULE.NAME=VALUE",
                        help="extra variants: one constant of indexer.searching.MODULE set to VALUE")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = {}
    chosen = variants()
    for spec in args.set:
        target, _, value = spec.partition("=")
        module_name, _, constant = target.rpartition(".")
        module = importlib.import_module(f"indexer.searching.{module_name}")
        chosen[spec] = (lambda m, c, v: lambda: setting(m, c, v))(module, constant, ast.literal_eval(value))
    for name, context in chosen.items():
        if (args.only is not None or args.set) and name not in (args.only or []) + args.set and name != "everything":
            continue
        with context():
            dev = measure(args.seeds, args.dev)
            themes = measure(args.themes, args.themes_qrels)
        rows[name] = {"dev": dev, "themes": themes}
        if not args.json:
            print(f"{name:<32} dev nDCG@10 {dev['ndcg']:.3f} R@20 {dev['recall']:.3f} | themes "
                  f"nDCG@20 {themes['ndcg']:.3f} P@10 {themes['precision']:.3f} "
                  f"MAP@100 {themes['map']:.3f}", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
