"""Benchmark of the classification under the definition profiles (issue: which cases
are social innovation, under which definition, and why).

Prints the HermiT time (through owlready2) at 100 cases and at larger sizes until one
does not finish within --hermit-limit seconds (10 minutes by default), and the
scalable SPARQL path's time at 1,000, 10,000 and 50,000 cases, each on a fresh
embedded on-disk store holding the ontology, the territories and the generated cases:
from the views kept at ingest, with its ratio to the scans of the whole store (the path
of a store without views, proven equal here too), and, after one shared organisation
becomes a public body, the time the write and the stored verdicts take to follow.

    .venv/bin/python bench/classify.py [--hermit-sizes 100,200,400,1000] [--sizes 1000,10000,50000]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile

RUN = """
import json, sys, time
from pathlib import Path
import pyoxigraph as ox
from isgraph.graph.build import build
from isgraph.reason.classification import (
    classify, classify_with_scans, load_profiles, outdated_marker, reclassify, store_inferences)
from isgraph.graph.generator import write_cases
from isgraph.namespaces import GRAPH, ID, ISG, RDF
from isgraph.store import EmbeddedStore
size, method, folder = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
cases = folder / "cases.nq"
with cases.open("wb") as out:
    write_cases(out, size, seed=11, defects=0.0, fmt="nquads")
with EmbeddedStore(folder / "store") as store:
    build(store=store, reason=False)
    store.load(cases, ox.RdfFormat.N_QUADS)  # the views are derived here, as at any ingest
with EmbeddedStore(folder / "store") as store:
    started = time.perf_counter()
    result = classify(store, method=method)
    seconds = time.perf_counter() - started
    out = {"seconds": seconds, "verdicts": len(result.verdicts), "qualifying": sum(v.qualifies for v in result.verdicts)}
    if method == "sparql":
        started = time.perf_counter()
        scans = classify_with_scans(store, load_profiles(store))
        out["scans"] = time.perf_counter() - started
        assert [v.key() for v in scans.verdicts] == [v.key() for v in result.verdicts]
        store_inferences(store, result)
        # one case changes (an organisation of case 0 becomes a public body): the time the
        # write takes (its views included) and the time the stored verdicts take to follow
        org = next(q.object for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(ISG["participant"]), None,
                   ox.NamedNode(GRAPH["case/gen-0"])) if q.object.value.startswith(ID["gen/actor/org-"]))
        started = time.perf_counter()
        store.replace_graphs({GRAPH["case/gen-public"]: [ox.Triple(org, ox.NamedNode(RDF["type"]),
                              ox.NamedNode(ISG["PublicBody"]))], **outdated_marker()})
        out["write"] = time.perf_counter() - started
        started = time.perf_counter()
        assert reclassify(store)
        out["reclassify"] = time.perf_counter() - started
print(json.dumps(out))
"""


def run(size: int, method: str, limit: float) -> dict[str, float] | None:
    """Run one measure in a fresh process; past ``limit``, stop it and its reasoner (Java) too."""
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [sys.executable, "-c", RUN, str(size), method, folder], stdout=subprocess.PIPE, text=True, start_new_session=True
        )
        try:
            out, _ = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None
        if process.returncode != 0:
            raise SystemExit(f"the measure at {size} cases failed")
        return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hermit-sizes", default="100,200,400,1000")
    parser.add_argument("--hermit-limit", type=float, default=600)
    parser.add_argument("--sizes", default="1000,10000,50000")
    args = parser.parse_args()
    print(f"{'classifier':10s} {'cases':>7s} {'seconds':>9s} {'verdicts':>9s} {'qualifying':>10s}", flush=True)
    for size in (int(s) for s in args.hermit_sizes.split(",") if s):
        found = run(size, "hermit", args.hermit_limit)
        if found is None:
            print(f"{'HermiT':10s} {size:7d} {'> ' + str(int(args.hermit_limit)):>9s}  (stopped: not finished in time)")
            break
        print(f"{'HermiT':10s} {size:7d} {found['seconds']:9.1f} {found['verdicts']:9d} {found['qualifying']:10d}", flush=True)
    targets = {10000: 5.0, 50000: 25.0}
    for size in (int(s) for s in args.sizes.split(",") if s):
        found = run(size, "sparql", 3600)
        assert found is not None
        target = f"  target ≤ {targets[size]:.0f} s" if size in targets else ""
        print(
            f"{'SPARQL':10s} {size:7d} {found['seconds']:9.1f} {found['verdicts']:9d} {found['qualifying']:10d}"
            f"  (from the views; the scans of the whole store: {found['scans']:.1f} s, ratio {found['seconds'] / found['scans']:.2f};"
            f" after one case changes: write {found['write']:.2f} s, stored verdicts followed in {found['reclassify']:.2f} s){target}",
            flush=True,
        )


if __name__ == "__main__":
    main()
