"""Benchmark of a data steward's writes into a store of observatory size: ``isgraph ingest``
of a new case, of the same case described again, and ``isgraph remove`` of it, each in a
process of its own (as a steward runs them), on the generated store (made once by
``bench/data.py``), which is left as it was found (the case is removed each round).

With ``--baseline DIR`` (a checkout of another commit, e.g. ``git worktree add /tmp/base
e5a91dc``), the same commands run from that source tree too, alternating with this one in
each round, and the ratio (this / baseline) is printed: the machine is shared, so only
ratios within one run compare.

    .venv/bin/python bench/ingest.py [--cases 50000] [--rounds 3] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import store_with

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "tests" / "fixtures" / "catalogue" / "bravo.yaml"
STEPS = (
    ("ingest, a new case", ["ingest", "--submitter", "bench", str(CASE)]),
    ("ingest, the case again", ["ingest", "--submitter", "bench", str(CASE)]),
    ("remove the case", ["remove", "fixture-bravo"]),
)


def run(source: Path, store: Path, args: list[str]) -> float:
    """The seconds ``isgraph`` (from the source tree ``source``) takes to run ``args`` on ``store``."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    command = [sys.executable, "-c", "from isgraph.cli import run; run()", args[0], "--store", str(store), *args[1:]]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=source, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({source}): {done.stderr.strip()}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a source tree to compare with")
    args = parser.parse_args()

    store = store_with(args.cases)
    sources = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    times: dict[tuple[str, str], list[float]] = {}
    print(f"== {args.cases} cases, {args.rounds} rounds, each command in a process of its own", flush=True)
    for round_ in range(args.rounds):
        for who, source in sources.items():
            for name, command in STEPS:
                seconds = run(source, store, command)
                times.setdefault((who, name), []).append(seconds)
                print(f"   round {round_ + 1} {who:<8} {name:<26} {seconds:6.2f} s", flush=True)
    print(f"{'command':<26} {'median s':>9}" + (f" {'baseline s':>11} {'ratio':>6}" if args.baseline else ""))
    for name, _ in STEPS:
        mine = statistics.median(times["this", name])
        line = f"{name:<26} {mine:9.2f}"
        if args.baseline:
            base = statistics.median(times["baseline", name])
            line += f" {base:11.2f} {mine / base:6.2f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
