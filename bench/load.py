"""Benchmark of loading (issue 19, deliverable 5: at least 300,000 triples a second into the
serving replica and into a fresh store). Prints each figure in quads a second and its ratio
to the target (figure/target: 1 or more meets it).

- **A fresh store on disk**: the generated cases (N-Quads, ``bench/data.py``) bulk-loaded
  as ``EmbeddedStore.load`` does it, in one stream; then the same file cut at line
  boundaries into 2 and 4 parts loaded by as many threads (pyoxigraph releases the
  interpreter while it loads). Cut loading is only sound for a file without blank nodes:
  pyoxigraph names a file's blank nodes afresh at every call, so a blank node written in
  two parts would become two. The generated cases have none.
- **isgraph's own load** of a fresh store on disk (``isgraph.store.loading.bulk_load``, what
  ``EmbeddedStore.load`` runs): the file read, looked through for blank nodes, cut in two.
- **A fresh store in memory**: ``load`` and ``bulk_load`` of the same bytes.
- **The serving replica**, from the on-disk store of the same cases (``store_with``): the
  replica's own loader (``ReplicatedStore``, graph by graph, two reading threads), then
  its two halves timed apart: the on-disk store dumped whole as N-Quads, and that dump
  loaded into memory.

    .venv/bin/python bench/load.py [--cases 10000] [--no-fresh] [--no-replica]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import cases_file, store_with  # a module beside this one (bench/ is not a package)

TARGET = 300_000


def parts(data: bytes, count: int) -> list[bytes]:
    """``data`` cut into ``count`` parts of about the same size, each ending with a whole line."""
    cuts = [0]
    for i in range(1, count):
        cuts.append(data.index(b"\n", max(cuts[-1], len(data) * i // count)) + 1)
    cuts.append(len(data))
    return [data[a:b] for a, b in itertools.pairwise(cuts)]


def in_threads(load: Callable[[bytes], None], pieces: list[bytes]) -> None:
    threads = [threading.Thread(target=load, args=(piece,)) for piece in pieces]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def report(label: str, quads: int, seconds: float) -> None:
    rate = quads / seconds
    print(f"   {label:58} {seconds:7.2f} s {rate:>10,.0f} quads/s   ratio {rate / TARGET:.2f}", flush=True)


def fresh_stores(cases: int) -> None:
    data = cases_file(cases).read_bytes()
    quads = sum(1 for _ in ox.parse(data, format=ox.RdfFormat.N_QUADS))
    print(f"{cases} cases: {quads:,} quads, {len(data) / 1e6:.0f} MB of N-Quads (target {TARGET:,} quads/s)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for count in (1, 2, 4):
            store = ox.Store(str(Path(tmp) / f"disk-{count}"))
            started = time.perf_counter()
            in_threads(functools.partial(store.bulk_load, format=ox.RdfFormat.N_QUADS), parts(data, count))
            seconds = time.perf_counter() - started
            assert len(store) == quads
            label = "fresh store on disk, bulk_load, one stream" if count == 1 else f"... cut in {count}, {count} threads"
            report(label, quads, seconds)
            del store
            shutil.rmtree(Path(tmp) / f"disk-{count}")
        from isgraph.store.loading import bulk_load

        store = ox.Store(str(Path(tmp) / "isgraph"))
        started = time.perf_counter()
        count = bulk_load(store, cases_file(cases), ox.RdfFormat.N_QUADS, on_disk=True)
        seconds = time.perf_counter() - started
        assert len(store) == quads
        report(f"isgraph's own load (isgraph.store.loading), {count} parts", quads, seconds)
        del store
    for method in ("load", "bulk_load"):
        memory = ox.Store()
        started = time.perf_counter()
        getattr(memory, method)(data, format=ox.RdfFormat.N_QUADS)
        report(f"fresh store in memory, {method}", quads, time.perf_counter() - started)
        del memory


def replica(cases: int) -> None:
    from isgraph.store.replica import ReplicatedStore

    path = store_with(cases)
    with ReplicatedStore(path) as store:  # opened first: a store made before its views were derives them here
        pass
    disk = ox.Store.read_only(str(path))
    count = len(disk)  # every quad, the views' too: the replica loads them all
    del disk
    with ReplicatedStore(path) as store:
        started = time.perf_counter()
        store.start()
        assert store.wait()
        report(f"replica (ReplicatedStore, {count:,} quads, views included)", count, time.perf_counter() - started)
    disk = ox.Store.read_only(str(path))
    started = time.perf_counter()
    dump = disk.dump(format=ox.RdfFormat.N_QUADS)
    report("... its first half alone: the store on disk dumped whole", count, time.perf_counter() - started)
    memory = ox.Store()
    started = time.perf_counter()
    memory.load(dump, format=ox.RdfFormat.N_QUADS)
    report("... its second half alone: that dump loaded into memory", count, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--fresh", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--replica", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    if args.fresh:
        fresh_stores(args.cases)
    if args.replica:
        replica(args.cases)


if __name__ == "__main__":
    main()
