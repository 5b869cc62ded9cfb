"""Benchmark of the query catalogue (issue: researchers query the graph).

For each size (1,000, 10,000 and 50,000 generated cases by default): loads the cases
into a fresh embedded on-disk store (after the ontology and territories) and prints
the load rate; times every catalogue query (median of --runs runs after a warm-up);
times the network analysis; and, up to --baseline-up-to cases, does the same with
an rdflib in-memory Dataset (default graph = union, like isgraph's) as the baseline
(one run each, stopped after --baseline-limit seconds: the ratio is then a lower
bound, marked ">"), in the same run, printing both and the ratio.

    .venv/bin/python bench/queries.py [--sizes 1000,10000,50000] [--runs 3] [--baseline-up-to 10000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox


def median_time(run: Callable[[], object], runs: int) -> float:
    """The median time of ``runs`` calls of ``run``, after one warm-up call."""
    run()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _timed_in_child(run, limit: float) -> float | None:  # type: ignore[no-untyped-def]
    """The seconds ``run()`` takes in a forked process, or None past ``limit`` (rdflib cannot be interrupted)."""
    import multiprocessing

    queue = multiprocessing.get_context("fork").SimpleQueue()

    def child() -> None:
        started = time.perf_counter()
        run()
        queue.put(time.perf_counter() - started)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(limit)
    if process.is_alive():
        process.kill()
        process.join()
        return None
    return queue.get() if not queue.empty() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--baseline-up-to", type=int, default=10000, help="run the rdflib baseline for sizes up to this many cases"
    )
    parser.add_argument(
        "--baseline-limit",
        type=float,
        default=30,
        help="seconds after which an rdflib query is stopped (its ratio is then a lower bound)",
    )
    args = parser.parse_args()

    import rdflib

    from isgraph.graph.build import build
    from isgraph.graph.generator import write_cases
    from isgraph.query import catalogue, network
    from isgraph.store import EmbeddedStore

    queries = catalogue.load_catalogue()
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            cases = Path(tmp) / "cases.nq"
            with cases.open("wb") as out:
                write_cases(out, size, seed=1, defects=0.1, fmt="nquads")
            context = Path(tmp) / "context.nq"
            with EmbeddedStore(Path(tmp) / "store") as store:
                build(store=store, reason=False)
                with context.open("wb") as out:
                    store.dump(out, ox.RdfFormat.N_QUADS)
                before = store.count()
                started = time.perf_counter()
                store.load(cases, ox.RdfFormat.N_QUADS)
                seconds = time.perf_counter() - started
                loaded = store.count() - before
                print(
                    f"\n== {size} cases: {loaded:,} quads loaded into the on-disk store in {seconds:.1f} s "
                    f"= {loaded / seconds:,.0f} triples/s",
                    flush=True,
                )
                ours = {}
                for query in queries:
                    text = query.bind()
                    ours[query.name] = median_time(lambda: sum(1 for _ in store.query(text)), args.runs)  # noqa: B023  # called at once
                started = time.perf_counter()
                networks = network.build_networks(store)
                for graph, weight in (
                    (networks.participation, None),
                    (networks.co_participation, "weight"),
                    (networks.territories, None),
                ):
                    network.metrics(graph, weight=weight)
                network_seconds = time.perf_counter() - started
            theirs: dict[str, float] = {}
            stopped: set[str] = set()
            if size <= args.baseline_up_to:
                dataset = rdflib.Dataset(default_union=True)
                started = time.perf_counter()
                dataset.parse(context, format="nquads")
                dataset.parse(cases, format="nquads")
                rdflib_seconds = time.perf_counter() - started
                print(
                    f"   rdflib: {len(dataset):,} quads parsed into memory in {rdflib_seconds:.1f} s "
                    f"= {len(dataset) / rdflib_seconds:,.0f} triples/s",
                    flush=True,
                )
                for query in queries:
                    text = query.bind()
                    seconds = _timed_in_child(lambda t=text, d=dataset: sum(1 for _ in d.query(t)), args.baseline_limit)
                    theirs[query.name] = seconds if seconds is not None else args.baseline_limit
                    stopped.add(query.name) if seconds is None else None
            print(f"   {'query':34s} {'isgraph s':>10s} {'rdflib s':>10s} {'ratio':>8s}")
            for query in queries:
                mine, base = ours[query.name], theirs.get(query.name)
                heavy = " (heavy)" if query.heavy else ""
                bound = ">" if query.name in stopped else " "
                extra = f"{bound}{base:9.3f} {bound}{base / mine:6.1f}x" if base is not None else f"{'-':>10s} {'-':>8s}"
                print(f"   {query.name + heavy:34s} {mine:10.3f} {extra}")
            total = sum(ours.values())
            line = f"   {'whole catalogue':34s} {total:10.3f}"
            if theirs:
                bound = ">" if stopped else " "
                line += f" {bound}{sum(theirs.values()):9.3f} {bound}{sum(theirs.values()) / total:6.1f}x"
                if stopped:
                    line += f"   ({len(stopped)} rdflib queries stopped at {args.baseline_limit:.0f} s)"
            print(line)
            print(f"   network analysis (3 graphs, centralities, components, communities): {network_seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
