"""Benchmark of updates that read the union of the graphs (issue 16: one meaning of the
default graph). An ``INSERT … WHERE`` that names no dataset is given ``USING`` and
``USING NAMED`` for every graph of the store (isgraph/sparql/update_dataset.py); this
measures, on in-memory stores of N one-triple graphs, the time to list the graphs, to
rewrite the update, and to run it, against the same update written with ``GRAPH ?g``.

    .venv/bin/python bench/update_union.py [--graphs 10000,50000]
"""

from __future__ import annotations

import argparse
import time

import pyoxigraph as ox

from isgraph.sparql.parser import read
from isgraph.sparql.update_dataset import rewrite
from isgraph.store import EmbeddedStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", default="10000,50000")
    args = parser.parse_args()
    for n in (int(x) for x in args.graphs.split(",")):
        store = EmbeddedStore()
        store.replace_graphs(
            {f"urn:g{i}": [ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)))] for i in range(n)}
        )
        request = read('INSERT { ?s <urn:q> true } WHERE { ?s <urn:p> "7" }', "update")
        started = time.perf_counter()
        graphs = store.named_graphs()
        listed = time.perf_counter()
        text = rewrite(request, graphs)
        rewritten = time.perf_counter()
        store.update(text)
        done = time.perf_counter()
        store.update('INSERT { ?s <urn:q2> true } WHERE { GRAPH ?g { ?s <urn:p> "7" } }')
        plain = time.perf_counter() - done
        print(
            f"{n:>7,} graphs: list {listed - started:.2f} s, rewrite {rewritten - listed:.2f} s "
            f"({len(text) / 1e6:.1f} MB), update {done - rewritten:.2f} s; "
            f"total {done - started:.2f} s against {plain * 1000:.1f} ms with GRAPH ?g"
        )


if __name__ == "__main__":
    main()
