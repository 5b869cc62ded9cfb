"""One run of every figure of issue 19 at observatory scale, each with its target, and the
catalogue's ratio to pyoxigraph on disk and to Virtuoso.

For --cases N generated cases (50,000 by default; the store of ``bench/data.py``):

1. **The replica in memory** the server answers from: the time to load it, quads a second,
   the memory the process holds (target < 4 GB).
2. **Every catalogue query's first page** (100 rows, its defaults; the median of --rounds
   after a warm-up) on the replica, on the same store on disk, and on Virtuoso 7.2
   (Debian's, on 127.0.0.1, loaded with the store's dump and asked the definition through
   isgraph's remote store, as ``--endpoint`` asks it). Target < 1 s on the replica; the
   ratios replica/disk and replica/Virtuoso (below 1: the replica is faster). A query whose
   rows Virtuoso gets wrong (``tests/test_virtuoso.py``) is marked.
3. **The other figures**, each printed by its own script in a process of its own: the
   whole answers streamed (``bench/paging.py --only-whole``), loading (``bench/load.py``),
   the full-text search (``bench/search.py``), the network (``bench/network.py``), batch
   validation (``bench/validate.py --cli``: in process, and through the command line against
   its target) and classification (``bench/classify.py``).

    .venv/bin/python bench/scale.py [--cases 50000] [--rounds 3] [--no-virtuoso] [--no-others]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from replica import resident_mb
from virtuoso import Virtuoso, available  # type: ignore[import-not-found]  # tools/ is not a package: found through sys.path

from data import store_with  # modules beside this one (bench/ is not a package)
from queries import median_time

ROOT = Path(__file__).resolve().parents[1]
PAGE = 100
PAGE_TARGET = 1.0
MEMORY_TARGET_GB = 4.0
#: Virtuoso 7.2.5's wrong answers, whatever the rewrite (tests/test_virtuoso.py, docs/stores.md).
VIRTUOSO_DEFECTS = {"esid-criteria", "level-changes", "search-labels"}


def catalogue(cases: int, rounds: int, virtuoso: bool) -> None:
    from isgraph.query import catalogue as queries
    from isgraph.store import connect
    from isgraph.store.base import Store
    from isgraph.store.replica import ReplicatedStore

    path = store_with(cases)
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(ReplicatedStore(path))
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        before = resident_mb()
        started = time.perf_counter()
        store.start()
        assert store.wait()
        seconds = time.perf_counter() - started
        held = resident_mb() / 1024
        print(f"1. replica: {store.status.quads:,} quads (views apart) loaded in {seconds:.1f} s", flush=True)
        print(
            f"   memory: {before:,.0f} MB before, {held:.2f} GB after; target < {MEMORY_TARGET_GB:.0f} GB: "
            f"ratio {held / MEMORY_TARGET_GB:.2f}",
            flush=True,
        )
        engines: dict[str, Store] = {"replica": store.reading, "disk": store.durable}
        if virtuoso:
            dump = tmp / "kg.nq"
            with dump.open("wb") as out:
                store.durable.dump(out, ox.RdfFormat.N_QUADS)
            server = stack.enter_context(Virtuoso(tmp / "virtuoso", memory_gb=4.0))
            loaded = server.load(dump)
            print(f"   Virtuoso 7.2 loaded with the same quads (views apart) in {loaded:.0f} s", flush=True)
            engines["virtuoso"] = connect(endpoint=server.endpoint, query_timeout=3600)
        names = list(engines)
        print(f"2. first pages ({PAGE} rows, median of {rounds}); target < {PAGE_TARGET:.0f} s on the replica", flush=True)
        print(
            f"   {'query':36}"
            + "".join(f"{n:>10}" for n in names)
            + "  ratio/target"
            + "".join(f"  replica/{n}" for n in names[1:]),
            flush=True,
        )
        under = 0
        chosen = queries.load_catalogue()
        for query in chosen:
            times = {}
            for name, engine in engines.items():
                text = query.bind(None, engine, limit=PAGE + 1)
                times[name] = median_time(functools.partial(engine.collected, text), rounds)
            under += times["replica"] < PAGE_TARGET
            mark = " (Virtuoso's rows wrong)" if virtuoso and query.name in VIRTUOSO_DEFECTS else ""
            print(
                f"   {query.name:36}"
                + "".join(f"{times[n]:10.3f}" for n in names)
                + f"  {times['replica'] / PAGE_TARGET:12.2f}"
                + "".join(f"  {times['replica'] / times[n]:>{len(n) + 8}.2f}" for n in names[1:])
                + mark,
                flush=True,
            )
        print(f"   {under} of {len(chosen)} first pages under {PAGE_TARGET:.0f} s on the replica", flush=True)


def others(cases: int) -> None:
    size = str(cases)
    scripts = [
        ("paging.py", "--cases", size, "--only-whole"),
        ("load.py", "--cases", size),
        ("search.py", "--sizes", size),
        ("network.py", "--sizes", size, "--reference-up-to", "10000"),
        ("validate.py", "--sizes", size, "--no-pyshacl", "--cli"),
        ("classify.py", "--hermit-sizes", "", "--sizes", size),
    ]
    print("3. the other figures, each by its own script", flush=True)
    for script, *args in scripts:
        print(f"   $ .venv/bin/python bench/{script} {shlex.join(args)}", flush=True)
        done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True, check=False)
        for line in (done.stdout + done.stderr).splitlines():
            print(f"     {line}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-virtuoso", action="store_true", help="leave Virtuoso out")
    parser.add_argument("--no-others", action="store_true", help="the replica and the catalogue alone")
    args = parser.parse_args()
    virtuoso = not args.no_virtuoso
    if virtuoso and not available():
        raise SystemExit("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin), or say --no-virtuoso")
    print(f"== {args.cases} generated cases", flush=True)
    catalogue(args.cases, args.rounds, virtuoso)
    if not args.no_others:
        others(args.cases)


if __name__ == "__main__":
    main()
