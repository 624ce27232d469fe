"""How well the topics fit: the hand-judged test set, and the targets on dekamer2017.

    python -m benchmarks.topics                    # both parts
    python -m benchmarks.topics --json

1. tests/data/topics_judged.jsonl (165 paragraphs, judged by hand before the tagger was tuned;
   see README "Topics"): precision and recall per top-level theme, micro and macro averages,
   the share of paragraphs whose themes are exactly right, and subtopic precision/recall.
2. ../shared/corpora/dekamer2017 read as `brieven index` reads it and tagged per letter: the
   share of letters with at least one topic (target >= 90%), the largest share of letters one
   topic has (target <= 30%), and for each topic on >= 20 letters its best F1 against any
   descriptor of ../shared/eval/themes-dev.json (the librarians' letters for 30 descriptors;
   target: median >= 0.5, judged outside the project against all descriptors, so this set
   shows only the topics whose subject is among these 30).
"""
from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from indexer.analysis import load_taxonomy
from indexer.reading import find_letters, read_letter

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "data" / "topics_judged.jsonl"
SHARED = ROOT.parent / "shared"
MIN_LETTERS = 20


def judged_set(taxonomy, path: Path = JUDGED) -> dict:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    tagger = taxonomy.tagger
    tp, fp, fn = Counter(), Counter(), Counter()
    sub = Counter()
    exact = 0
    per_paragraph = []
    for row in rows:
        context = tagger.context(row["title"], row.get("dossier_title"), row.get("ministries") or [])
        slugs = taxonomy.assign(row["text"], row.get("section"), context)
        themes = {s for s in slugs if taxonomy.by_slug(s).parent is None}
        subs = set(slugs) - themes
        truth, truth_subs = set(row["themes"]), set(row["subtopics"])
        exact += themes == truth
        per_paragraph.append(len(slugs))
        for t in themes & truth:
            tp[t] += 1
        for t in themes - truth:
            fp[t] += 1
        for t in truth - themes:
            fn[t] += 1
        sub["tp"] += len(subs & truth_subs)
        sub["fp"] += len(subs - truth_subs)
        sub["fn"] += len(truth_subs - subs)
    themes = sorted(set(tp) | set(fp) | set(fn))
    per_theme = {t: {"precision": _ratio(tp[t], tp[t] + fp[t]), "recall": _ratio(tp[t], tp[t] + fn[t]),
                     "tp": tp[t], "fp": fp[t], "fn": fn[t]} for t in themes}
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {
        "paragraphs": len(rows), "exact": exact / len(rows), "max_topics_per_paragraph": max(per_paragraph),
        "micro_precision": _ratio(T, T + F), "micro_recall": _ratio(T, T + N),
        "macro_precision": statistics.mean(v["precision"] for v in per_theme.values() if v["tp"] + v["fp"]),
        "macro_recall": statistics.mean(v["recall"] for v in per_theme.values() if v["tp"] + v["fn"]),
        "subtopic_precision": _ratio(sub["tp"], sub["tp"] + sub["fp"]),
        "subtopic_recall": _ratio(sub["tp"], sub["tp"] + sub["fn"]),
        "per_theme": per_theme,
    }


def letter_topics(taxonomy, folder: Path) -> dict[str, list[str]]:
    """Each letter's topics, as indexing gives them."""
    from indexer.store import tag_letter
    out = {}
    for path in sorted(find_letters(folder)):
        letter = read_letter(path)
        _, topics = tag_letter(letter, taxonomy)
        out[letter.id] = topics
    return out


def dekamer(taxonomy, folder: Path, themes_file: Path) -> dict:
    topics = letter_topics(taxonomy, folder)
    letters = len(topics)
    by_topic: dict[str, set[str]] = defaultdict(set)
    for letter_id, slugs in topics.items():
        for slug in slugs:
            by_topic[slug].add(letter_id)
    descriptors = {q["query"]: set(q["relevant"]) for q in json.loads(themes_file.read_text(encoding="utf-8"))}
    agreement = {}
    for slug, have in by_topic.items():
        if len(have) < MIN_LETTERS:
            continue
        best = max(((_f1(have, relevant), name) for name, relevant in descriptors.items()), default=(0.0, None))
        agreement[slug] = {"letters": len(have), "best_f1": round(best[0], 3), "descriptor": best[1]}
    largest = max(by_topic.items(), key=lambda kv: len(kv[1]))
    return {
        "letters": letters,
        "with_topic": sum(1 for s in topics.values() if s) / letters,
        "largest_topic": largest[0], "largest_share": len(largest[1]) / letters,
        "topics_on_20": len(agreement),
        "median_best_f1": statistics.median(a["best_f1"] for a in agreement.values()) if agreement else 0.0,
        "median_best_f1_matched": statistics.median(
            [a["best_f1"] for a in agreement.values() if a["best_f1"] >= 0.2] or [0.0]),
        "agreement": dict(sorted(agreement.items(), key=lambda kv: -kv[1]["best_f1"])),
    }


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(have: set, relevant: set) -> float:
    both = len(have & relevant)
    return 2 * both / (len(have) + len(relevant)) if both else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--judged-only", action="store_true")
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    report = {"judged": judged_set(taxonomy)}
    if not args.judged_only:
        report["dekamer"] = dekamer(taxonomy, args.shared / "corpora" / "dekamer2017",
                                    args.shared / "eval" / "themes-dev.json")
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return
    j = report["judged"]
    print(f"Judged paragraphs: {j['paragraphs']}; themes exactly right {j['exact']:.1%}; "
          f"at most {j['max_topics_per_paragraph']} topics a paragraph")
    print(f"themes: micro P {j['micro_precision']:.3f} R {j['micro_recall']:.3f}; "
          f"macro P {j['macro_precision']:.3f} R {j['macro_recall']:.3f}; "
          f"subtopics P {j['subtopic_precision']:.3f} R {j['subtopic_recall']:.3f}")
    print(f"{'theme':28} {'P':>6} {'R':>6}  tp fp fn")
    for theme, v in j["per_theme"].items():
        print(f"{theme:28} {v['precision']:6.2f} {v['recall']:6.2f}  {v['tp']:2} {v['fp']:2} {v['fn']:2}")
    if "dekamer" in report:
        d = report["dekamer"]
        print(f"\ndekamer2017: {d['letters']} letters; with a topic {d['with_topic']:.1%} (>= 90%); "
              f"largest topic {d['largest_topic']} on {d['largest_share']:.1%} (<= 30%)")
        print(f"topics on >= {MIN_LETTERS} letters: {d['topics_on_20']}; median best F1 against the 30 dev "
              f"descriptors {d['median_best_f1']:.3f} (those with a matching descriptor, F1 >= 0.2: "
              f"{d['median_best_f1_matched']:.3f})")
        for slug, a in d["agreement"].items():
            print(f"  {slug:32} {a['letters']:5} letters  F1 {a['best_f1']:.3f}  {a['descriptor']}")


if __name__ == "__main__":
    main()
