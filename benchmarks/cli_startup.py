"""How long the `brieven` command takes, as a user at a terminal sees it: start-up included.

    python -m benchmarks.cli_startup [--runs 15] [--baseline DIR]

Indexes the five seed letters (corpus/*.txt) into a temporary directory, then runs each command
below `--runs` times, round robin (a change in the machine's load touches every command alike):
its wall time, its CPU time (user + system), and which heavy libraries it imported. The Dutch
word list is cached first (one search), as after a user's first search. With `--baseline DIR`
(another checkout, e.g. `git worktree add /tmp/base main`), the same commands run from that code
too, alternately with this one: a paired comparison on the same machine at the same moment (a
command the baseline does not know is left out for it).

Each command runs as `python -c "from indexer.cli import main; main()"`, which is what the
installed `brieven` script does. Prints JSON and a table beside the targets; saves the JSON to
benchmarks/results/<timestamp>-cli-startup.json.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import ROOT, git_commit, machine, save_and_print
from benchmarks.run import RESULTS_DIR, log

HEAVY = ("numpy", "whoosh", "flask", "pypdf", "watchdog", "wordfreq", "waitress")
TARGETS = {"help": 0.3, "search": 0.6}  # seconds of wall time, median
LETTER = "000_57bdeaef467bd125"
COMMANDS = {
    "help": ["--help"],
    "search": ["search", "dialoog met Rusland"],
    "search --json": ["search", "dialoog met Rusland", "--json"],
    "search --per-letter": ["search", "dialoog met Rusland", "--per-letter"],
    "show": ["show", f"{LETTER}#3"],
    "topics": ["topics"],
}
# The installed `brieven` script, which reports the libraries it loaded on its way out.
PROGRAM = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted("
    "{m.split('.')[0] for m in sys.modules})) + '\\n'))\n"
    "from indexer.cli import main\n"
    "sys.argv[0] = 'brieven'\n"
    "main()\n"
)


def run_once(code_root: Path, index_dir: Path, corpus_dir: Path, args: list[str]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEVEN_")}
    env.update(BRIEVEN_INDEX=str(index_dir), BRIEVEN_CORPUS=str(corpus_dir), PYTHONPATH=str(code_root))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PROGRAM, *args], capture_output=True, text=True,
                          env=env, cwd=code_root, timeout=120)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"brieven {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    loaded = proc.stderr.rsplit("MODULES ", 1)[-1].split()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "heavy": sorted(set(loaded) & set(HEAVY))}


def summary(runs: list[dict]) -> dict:
    walls, cpus = [r["wall"] for r in runs], [r["cpu"] for r in runs]
    return {
        "wall_median_s": round(statistics.median(walls), 3),
        "wall_min_s": round(min(walls), 3),
        "wall_max_s": round(max(walls), 3),
        "cpu_median_s": round(statistics.median(cpus), 3),
        "heavy_imports": runs[-1]["heavy"],
        "runs": len(runs),
    }


def benchmark(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="brieven-cli-"))
    try:
        corpus_dir, index_dir = work / "corpus", work / "index"
        corpus_dir.mkdir()
        for letter in sorted((ROOT / "corpus").glob("*.txt")):
            shutil.copy(letter, corpus_dir / letter.name)
        codes = {"this": ROOT} | ({"baseline": Path(args.baseline).resolve()} if args.baseline else {})
        indexes = {}
        for name, root in codes.items():
            indexes[name] = work / f"index-{name}"
            log(f"indexing the seed letters with {name} ({root})")
            run_once(root, indexes[name], corpus_dir, ["index", "--rebuild"])
            run_once(root, indexes[name], corpus_dir, COMMANDS["search"])  # caches the word list
        runs: dict[str, dict[str, list]] = {name: {c: [] for c in COMMANDS} for name in codes}
        unknown: set[tuple[str, str]] = set()  # (code, command): an option the baseline lacks
        for n in range(args.runs):
            for command, cli_args in COMMANDS.items():
                for name, root in codes.items():
                    if (name, command) in unknown:
                        continue
                    try:
                        runs[name][command].append(run_once(root, indexes[name], corpus_dir, cli_args))
                    except RuntimeError:
                        if name == "this":
                            raise
                        unknown.add((name, command))
            log(f"round {n + 1} of {args.runs}")
        figures = {
            "benchmark": "cli_startup",
            "machine": machine(),
            "code": git_commit(),
            "targets_s": TARGETS,
            "commands": {c: "brieven " + " ".join(a) for c, a in COMMANDS.items()},
        }
        for name in codes:
            figures[name] = {c: summary(r) for c, r in runs[name].items() if r}
        if args.baseline:
            figures["baseline_dir"] = str(codes["baseline"])
        figures["machine"]["load_average_end"] = machine()["load_average"]
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(f: dict) -> str:
    lines = [f"{'command':<22}{'wall median':>12}{'min':>8}{'max':>8}{'cpu':>8}  target  heavy libraries loaded"]
    for name in ("this", "baseline"):
        if name not in f:
            continue
        lines.append(f"-- {name}")
        for command, s in f[name].items():
            target = TARGETS.get(command)
            mark = "" if target is None else ("  ok  " if s["wall_median_s"] <= target else "  MISS")
            lines.append(f"{command:<22}{s['wall_median_s']:>11.3f}s{s['wall_min_s']:>8.3f}{s['wall_max_s']:>8.3f}"
                         f"{s['cpu_median_s']:>8.3f}  {(f'≤{target}' if target else ''):<5}{mark} "
                         f"{', '.join(s['heavy_imports']) or '-'}")
    lines.append(f"load average at the start / end: {f['machine']['load_average']} / {f['machine']['load_average_end']}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--baseline", help="another checkout of brieven to compare with, run alternately")
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument("--data-dir", help="unused (the seed letters are the data); accepted like the other benchmarks")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures = benchmark(args)
    save_and_print(figures, args.results_dir, "cli-startup", table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
