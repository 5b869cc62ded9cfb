"""Benchmark of the views kept at ingest (issue 19, deliverable 3).

On the generated store (made once by ``bench/data.py``), copied into memory with its views:

- each catalogue query that has a text on the views: its first page (100 rows, as the
  server reads it) asked as its definition and as its text on the views, the median of
  --rounds after one warm-up, and their ratio (definition / views);
- deriving every view again, in memory;
- one case written again, on the disk store: finding the views it reaches, before and
  after, and deriving them (what every ingest, removal or harvest of one case adds).

    .venv/bin/python bench/views.py [--cases 50000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox

from data import store_with


def timed(store: ox.Store, sparql: str, rounds: int) -> tuple[float, int]:
    """The median time of ``rounds`` evaluations (after one), and the rows."""
    rows = len(list(store.query(sparql, use_default_graph_as_union=True)))  # type: ignore[arg-type]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        list(store.query(sparql, use_default_graph_as_union=True))  # type: ignore[call-overload]
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from isgraph.query import catalogue
    from isgraph.store import EmbeddedStore
    from isgraph.store.views import Views

    path = store_with(args.cases)
    started = time.monotonic()
    with EmbeddedStore(path) as disk:  # derives the views if the store has none yet
        opened = time.monotonic() - started
        memory = ox.Store()
        memory.bulk_extend(disk.oxigraph)
        store = EmbeddedStore.around(memory, views_of=disk)
    print(f"== {args.cases} cases: store opened in {opened:.0f} s, {len(memory):,} quads in memory", flush=True)

    print(f"{'first page (100 rows)':<30} {'definition s':>13} {'views s':>8} {'ratio':>6} {'< 1 s':>6}")
    for query in catalogue.load_catalogue():
        if query.with_views is None:
            continue
        definition, rows = timed(memory, query.bind({}, None, limit=101), args.rounds)
        on_views, same_rows = timed(memory, query.bind({}, store, limit=101), args.rounds)
        assert rows == same_rows, query.name
        print(
            f"{query.name:<30} {definition:13.3f} {on_views:8.3f} {definition / on_views:6.1f} {'yes' if on_views < 1 else 'no':>6}",
            flush=True,
        )

    views = Views(memory)
    started = time.monotonic()
    views.rebuild()
    print(f"every view derived again, in memory: {time.monotonic() - started:.1f} s", flush=True)

    with EmbeddedStore(path) as disk:
        case = next(g for g in disk.named_graphs() if g.startswith("https://w3id.org/isgraph/graph/case/gen-"))
        triples = [q.triple for q in disk.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(case))]
        on_disk = Views(disk.oxigraph)
        started = time.perf_counter()
        reached = on_disk.affected([case])
        found = time.perf_counter() - started
        started = time.perf_counter()
        on_disk.refresh(reached)
        derived = time.perf_counter() - started
        started = time.perf_counter()
        disk.replace_graphs({case: triples})
        whole = time.perf_counter() - started
        print(
            f"one case written again on disk: views reached found in {found * 1000:.0f} ms ({len(reached or ())} case),"
            f" derived in {derived * 1000:.0f} ms (ranks read once); the whole write {whole * 1000:.0f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
