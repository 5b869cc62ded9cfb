"""Benchmark of the pages for browsers (issue 18): over a store of generated cases (10,000
by default, with the ontology, the territories and a classification under every profile),
served by ``isgraph serve`` on 127.0.0.1, the time to render the case page, the catalogue
list and the map (target: <= 1 s each), and, for reference, the other kinds of page.

Each page is asked --rounds times (one request at a time, after one warm-up request);
the figure is the median time to the last byte over loopback, which includes the
server's whole work (queries, layout, SVG, HTML) and a millisecond or so of HTTP.
Case pages are asked for different cases each round. Prints each figure, the target and
the ratio figure/target (below 1 meets it).

    .venv/bin/python bench/pages.py [--cases 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

import server as server_process  # a module beside this one (bench/ is not a package)

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.0
ISG = "https://w3id.org/isgraph/"


def fetch(url: str) -> float:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()
        assert response.status == 200, url
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from isgraph.graph.build import build
    from isgraph.graph.generator import write_cases
    from isgraph.reason.classification import classify, store_inferences
    from isgraph.store import EmbeddedStore, solutions

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cases = tmp / "cases.nq"
        with cases.open("wb") as out:
            write_cases(out, args.cases, seed=1, defects=0.0, fmt="nquads")
        store_path = tmp / "store"
        with EmbeddedStore(store_path) as store:
            build(store=store, reason=False)
            store.load(cases, ox.RdfFormat.N_QUADS)
            store_inferences(store, classify(store, method="sparql"))
            initiatives = [
                row["i"].value  # type: ignore[union-attr]
                for row in solutions(store.query(f"SELECT ?i WHERE {{ ?i a <{ISG}ontology#Initiative> }} ORDER BY ?i"))
            ]
            print(f"== {args.cases} cases, {store.count():,} quads, {len(initiatives)} initiatives", flush=True)
        server, base = server_process.start(store_path, "--query-timeout", "600")
        try:
            step = max(1, len(initiatives) // (args.rounds + 1))
            case_paths = ["/" + iri[len(ISG) :] for iri in initiatives[::step]][: args.rounds + 1]
            q = urllib.parse.quote
            pages: list[tuple[str, list[str], float | None]] = [
                ("case page", case_paths, TARGET),
                ("catalogue list", ["/queries"], TARGET),
                ("map (départements)", ["/map"], TARGET),
                ("map (régions)", ["/map?kind=region"], TARGET),
                ("map (profile filter)", [f"/map?profile={q(ISG + 'profile/institutionnaliste')}"], TARGET),
                (
                    "map (element at a level)",
                    [f"/map?element={q(ISG + 'grid/gouvernance-participative')}&level=en-cours"],
                    TARGET,
                ),
                ("query page: grid-coverage-per-case", ["/queries/grid-coverage-per-case"], None),
                ("territory page: département 60", ["/id/territory/departement/60"], None),
                ("ontology page", ["/ontology"], None),
                ("shapes page", ["/shapes"], None),
                ("steward page", ["/steward"], None),
                ("SPARQL editor page", ["/sparql"], None),
            ]
            print(f"{'page':<40} {'median s':>9} {'max s':>8} {'target s':>9} {'ratio':>7}")
            for name, paths, target in pages:
                fetch(base + paths[0] + ("&" if "?" in paths[0] else "?") + "lang=fr")  # warm-up
                times = [
                    fetch(base + paths[(i + 1) % len(paths)] + ("&" if "?" in paths[0] else "?") + "lang=fr")
                    for i in range(args.rounds)
                ]
                median = statistics.median(times)
                shown = f"{target:9.2f} {median / target:7.2f}" if target else f"{'':>9} {'':>7}"
                print(f"{name:<40} {median:9.3f} {max(times):8.3f} {shown}", flush=True)
        finally:
            server_process.stop(server)


if __name__ == "__main__":
    main()
