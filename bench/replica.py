"""Benchmark of the server's replica in memory (issue 19: under 4 GB at 50,000 cases).

For each size (10,000 and 50,000 generated cases by default, stores made once by
``bench/data.py``), in a fresh process: the time to load the replica from the on-disk
store and its rate (quads a second, the views' quads included: the replica loads them
alike), the memory the process holds before and after
(resident set, from /proc), against the 4 GB target; then each catalogue query (its
defaults, median of --runs after a warm-up) on the replica and on the durable store, with
the ratio.

    .venv/bin/python bench/replica.py [--sizes 10000,50000] [--runs 3] [--queries all|none|NAME,...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import store_with  # a module beside this one (bench/ is not a package)

TARGET_GB = 4.0


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(cases: int, runs: int, queries: str) -> None:
    from isgraph.query import catalogue
    from isgraph.store.replica import ReplicatedStore

    path = store_with(cases)
    before = resident_mb()
    with ReplicatedStore(path) as store:
        started = time.perf_counter()
        store.start()
        assert store.wait()
        seconds = time.perf_counter() - started
        after = resident_mb()
        quads = store.status.quads
        held = len(store.reading.oxigraph)  # the views' quads too, which the replica loads alike
        print(
            f"   replica: {held:,} quads loaded in {seconds:.1f} s ({held / seconds:,.0f} quads/s), "
            f"{quads:,} of them outside the views",
            flush=True,
        )
        print(
            f"   memory: {before:,.0f} MB before, {after:,.0f} MB after ({after / 1024:.2f} GB; "
            f"target < {TARGET_GB:.0f} GB: ratio {after / 1024 / TARGET_GB:.2f})",
            flush=True,
        )
        if queries == "none":
            return
        chosen = catalogue.load_catalogue()
        if queries != "all":
            chosen = [q for q in chosen if q.name in queries.split(",")]
        for query in chosen:
            text = query.bind()
            times = {}
            for name, target in (("memory", store.reading), ("disk", store.durable)):
                target.collected(text)  # warm-up
                samples = []
                for _ in range(runs):
                    t = time.perf_counter()
                    target.collected(text)
                    samples.append(time.perf_counter() - t)
                times[name] = statistics.median(samples)
            print(
                f"   {query.name:34} memory {times['memory']:7.3f} s   disk {times['disk']:7.3f} s   "
                f"ratio {times['memory'] / times['disk']:.2f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", default="all")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.one:
        measure(args.one, args.runs, args.queries)
        return
    for cases in (int(s) for s in args.sizes.split(",")):
        print(f"== {cases} cases", flush=True)
        store_with(cases)  # made first, so that the measuring process holds nothing else
        # each size in a process of its own: the memory figure is this store's alone
        subprocess.run(
            [sys.executable, __file__, "--one", str(cases), "--runs", str(args.runs), "--queries", args.queries], check=True
        )


if __name__ == "__main__":
    main()
