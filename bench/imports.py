"""Benchmark of the importers (issue 17): the 7,272 UK co-operatives of the ESSGLOBAL
standard CSV, imported end to end through the command line into a freshly built store
(validation included), then imported again (the same file: nothing to write).

Targets: the first import ≤ 30 s, the second ≤ 15 s with 0 changes. Prints each wall
time, the import's own account, and the ratio to its target (below 1: within it).
Each run starts from a copy of the same built store; ``--runs`` repeats and keeps the
median (the machine is shared).

    .venv/bin/python bench/imports.py [--file ../shared/realdata/sse/coops-uk/standard-Q2-2022.csv] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT.parent / "shared" / "realdata" / "sse" / "coops-uk" / "standard-Q2-2022.csv"
TARGETS = {"import": 30.0, "import again": 15.0}


def isgraph(*args: str) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "isgraph.cli", *args], capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return seconds, done.stdout.splitlines()[0] if done.stdout else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=FILE)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        isgraph("build", "--store", str(base), "--no-reasoner")
        times: dict[str, list[float]] = {name: [] for name in TARGETS}
        for run in range(args.runs):
            store = Path(tmp) / f"store-{run}"
            shutil.copytree(base, store)
            command = (
                "import",
                "essglobal-csv",
                str(args.file),
                "--store",
                str(store),
                "--source",
                "coops-uk",
                "--edition",
                "2022-06-30",
            )
            for name in TARGETS:
                seconds, summary = isgraph(*command)
                times[name].append(seconds)
                print(f"run {run + 1}, {name}: {seconds:.1f} s — {summary}")
            shutil.rmtree(store)
    print()
    for name, target in TARGETS.items():
        median = statistics.median(times[name])
        print(f"{name}: median {median:.1f} s over {args.runs} run(s), target {target:.0f} s, ratio {median / target:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
