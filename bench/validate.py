"""Benchmark of batch validation (issue: data stewards validate case submissions).

Prints, for 1,000, 10,000 and 50,000 generated cases: end-to-end time (parse, load,
validate, report) in a fresh process, cases per second and peak memory; pySHACL over
the whole graph at 1,000 cases (10,000 with --full) in the same run, and the ratio;
and the warm latency of validating one case in-process (median of 30).

With ``--against DIR`` (a checkout of an earlier revision, say ``git worktree add DIR
fb3163a``), each size is also validated by that revision, the two alternating so that
both meet the same moments of a shared machine, and the ratio is printed; ``--ingest``
also times ``isgraph ingest`` of the cases as one file each into a fresh store, by both.
``--cli`` also times ``isgraph validate FILE`` as a user runs it (the process starting, the text
report written to /dev/null, the process ending), against the target of issue 19. ``--no-pyshacl`` skips the (slow) pySHACL baseline. ``--halves`` also measures the floor of
validating on both cores (issue 19): the cases cut in two halves beforehand (the cut not
timed, and not checked sound: a floor, not a validation), each half validated by a process
of its own, the two at once. ``--components`` measures the sound cut the issue names: the
connected components of the cases, two cases joined when one describes (as a subject) a
node the other names; what the cut costs, and how large the largest part is.

    .venv/bin/python bench/validate.py [--full] [--sizes 1000,10000,50000] [--no-pyshacl]
    .venv/bin/python bench/validate.py --sizes 10000 --no-pyshacl --against /tmp/before --ingest
    .venv/bin/python bench/validate.py --sizes 10000,50000 --no-pyshacl --against /tmp/before --cli
    .venv/bin/python bench/validate.py --sizes 10000 --no-pyshacl --halves
    .venv/bin/python bench/validate.py --sizes 10000 --no-pyshacl --components
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUN = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
try:
    from isgraph.shacl.api import validate_paths
except ImportError:  # a revision before the packages by concern
    from isgraph.inputs import validate_paths
report = validate_paths([Path(sys.argv[1])])
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "results": len(report.results),
                  "violations": sum(r.severity == "Violation" for r in report.results),
                  "peak_mb": peak_mb()}))
"""

PYSHACL = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from isgraph.shacl.api import read_submissions
from isgraph.shacl.engine import Validator, Submission
from tests.pyshacl_engine import pyshacl_keys
from isgraph.shacl.compiler import load_shapes_triples
import pyoxigraph as ox
quads = list(ox.parse(path=sys.argv[1], format=ox.RdfFormat.N_QUADS))
submission = Submission("all", tuple(q.triple for q in quads))
keys = pyshacl_keys(Validator(), [submission], load_shapes_triples(Path(sys.argv[2])))
print(json.dumps({"seconds": time.perf_counter() - started, "results": len(keys),
                  "peak_mb": peak_mb()}))
"""

# Peak resident memory of this process image: VmHWM (ru_maxrss would also count the
# parent's memory that the child inherited before exec).
PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""


def through_the_cli(path: Path, checkout: Path = ROOT) -> float:
    """Seconds of ``isgraph validate FILE`` as a user runs it: the interpreter starting, the
    validation, the text report written (to /dev/null) and the process ending."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "isgraph.cli", "validate", str(path)],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": str(checkout)},
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"isgraph validate failed ({done.returncode}): {done.stderr.strip()}")
    return seconds


def run(script: str, *args: str, checkout: Path = ROOT) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PEAK + script, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=checkout,  # the pySHACL oracle lives in tests/; a baseline's package in its checkout
        env={**os.environ, "PYTHONPATH": str(checkout)},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


INGEST = """
import json, sys, time
from pathlib import Path
import pyoxigraph as ox
import isgraph
try:
    from isgraph.graph.ingest import ingest
    from isgraph.shacl.engine import Validator
except ImportError:  # a revision before the packages by concern
    from isgraph.ingest import ingest
    from isgraph.validation import Validator
folder, store_path, territories = map(Path, sys.argv[1:4])
isgraph.build(store=store_path, reason=False)
context = [ox.Triple(q.subject, q.predicate, q.object) for q in Validator().context]
context += [q.triple for q in ox.parse(path=str(territories), format=ox.RdfFormat.N_TRIPLES)]
validator = Validator(context=context)  # the generated cases lie in generated territories
with isgraph.open_store(store_path) as store:
    paths = sorted(folder.iterdir())
    started = time.perf_counter()
    ingest(store, paths, submitter="bench", validator=validator)
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak_mb()}))
"""


def one_file_per_case(bundle: Path, folder: Path) -> tuple[Path, Path]:
    """The cases of an N-Quads bundle as one N-Triples file each (what ``ingest`` reads), and
    the other graphs (the generated territories) in one more file beside them."""
    import pyoxigraph as ox

    cases: dict[str, list[ox.Triple]] = {}
    shared: list[ox.Triple] = []
    for quad in ox.parse(path=str(bundle), format=ox.RdfFormat.N_QUADS):
        if str(quad.graph_name).startswith("<https://w3id.org/isgraph/graph/case/"):
            cases.setdefault(str(quad.graph_name), []).append(quad.triple)
        else:
            shared.append(quad.triple)
    folder.mkdir()
    for i, triples in enumerate(cases.values()):
        (folder / f"case-{i:06d}.nt").write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    territories = folder.with_name(folder.name + "-territories.nt")
    territories.write_bytes(ox.serialize(shared, format=ox.RdfFormat.N_TRIPLES) or b"")
    return folder, territories


def halves(bundle: Path) -> tuple[Path, Path]:
    """The cases of an N-Quads bundle in two files, the first half of the case graphs and the
    second, each with the other graphs (the generated territories)."""
    import pyoxigraph as ox

    cases: dict[str, list[ox.Quad]] = {}
    shared: list[ox.Quad] = []
    for quad in ox.parse(path=str(bundle), format=ox.RdfFormat.N_QUADS):
        if str(quad.graph_name).startswith("<https://w3id.org/isgraph/graph/case/"):
            cases.setdefault(str(quad.graph_name), []).append(quad)
        else:
            shared.append(quad)
    graphs = sorted(cases)
    made = []
    for part, chosen in enumerate((graphs[: len(graphs) // 2], graphs[len(graphs) // 2 :])):
        path = bundle.with_name(f"{bundle.stem}-half-{part}.nq")
        quads = shared + [q for g in chosen for q in cases[g]]
        path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
        made.append(path)
    return made[0], made[1]


def components(bundle: Path) -> tuple[float, int, list[int]]:
    """The connected components of a bundle's cases (two case graphs joined when one describes,
    as a subject, a node the other names): seconds to find them, how many cases, and the
    sizes of the components, largest first."""
    import pyoxigraph as ox

    started = time.perf_counter()
    described: set[object] = set()
    named: dict[object, set[str]] = {}
    for quad in ox.parse(path=str(bundle), format=ox.RdfFormat.N_QUADS):
        graph = quad.graph_name
        if not (isinstance(graph, ox.NamedNode) and graph.value.startswith("https://w3id.org/isgraph/graph/case/")):
            continue
        described.add(quad.subject)
        named.setdefault(quad.subject, set()).add(graph.value)
        if not isinstance(quad.object, ox.Literal):
            named.setdefault(quad.object, set()).add(graph.value)
    parent: dict[str, str] = {}

    def root(graph: str) -> str:
        while parent.get(graph, graph) != graph:
            parent[graph] = graph = parent.get(parent[graph], parent[graph])
        return graph

    for node in described:
        first, *others = sorted(named[node])
        for other in others:
            a, b = root(first), root(other)
            if a != b:
                parent[a] = b
    graphs = {g for names in named.values() for g in names}
    sizes: dict[str, int] = {}
    for graph in graphs:
        sizes[root(graph)] = sizes.get(root(graph), 0) + 1
    return time.perf_counter() - started, len(graphs), sorted(sizes.values(), reverse=True)


def at_once(first: Path, second: Path) -> tuple[float, list[dict[str, float]]]:
    """Validate two files, each in a process of its own, the two at once: the time until both are done."""
    started = time.perf_counter()
    running = [
        subprocess.Popen(
            [sys.executable, "-c", PEAK + RUN, str(path)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for path in (first, second)
    ]
    outputs = [process.communicate()[0] for process in running]
    seconds = time.perf_counter() - started
    return seconds, [json.loads(out.strip().splitlines()[-1]) for out in outputs]


def timed_ingest(folder: Path, territories: Path, store: Path, checkout: Path) -> dict[str, float]:
    """``ingest`` of every file of ``folder`` into a fresh store built from the reference data
    (the build is not timed), in a process of its own."""
    return run(INGEST, str(folder), str(store), str(territories), checkout=checkout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="pySHACL baseline at 10,000 cases instead of 1,000")
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--no-pyshacl", action="store_true", help="skip the pySHACL baseline")
    parser.add_argument("--against", type=Path, help="a checkout of an earlier revision to compare with")
    parser.add_argument("--cli", action="store_true", help="also time isgraph validate through the command line, end to end")
    parser.add_argument("--ingest", action="store_true", help="also time isgraph ingest of the cases, one file each")
    parser.add_argument("--halves", action="store_true", help="also validate two halves of the cases at once, a process each")
    parser.add_argument("--components", action="store_true", help="also find the connected components of the cases")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    baseline_size = 10000 if args.full else 1000

    from isgraph.graph.generator import write_cases

    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for n in sorted(set(sizes) | {baseline_size}):
            files[n] = Path(tmp) / f"cases-{n}.nq"
            with files[n].open("wb") as out:
                write_cases(out, n, seed=1)
        print(f"{'cases':>8} {'seconds':>9} {'cases/s':>9} {'peak MB':>9} {'results':>9}")
        measured = {}
        for n in sizes:
            m = measured[n] = run(RUN, str(files[n]))
            print(f"{n:>8} {m['seconds']:>9.2f} {n / m['seconds']:>9.0f} {m['peak_mb']:>9.0f} {m['results']:>9}")
            if args.against:
                before = run(RUN, str(files[n]), checkout=args.against)
                again = run(RUN, str(files[n]))
                ours_best = min(m["seconds"], again["seconds"])
                print(
                    f"{'':>8} before ({args.against}): {before['seconds']:.2f} s, {before['peak_mb']:.0f} MB, "
                    f"{before['results']} results; now {ours_best:.2f} s (best of two): ratio now/before "
                    f"{ours_best / before['seconds']:.2f}"
                )
            if args.cli:
                ours_cli = through_the_cli(files[n])
                line = f"{'':>8} isgraph validate, end to end (start, validate, text report, exit): {ours_cli:.2f} s"
                if args.against:
                    before_cli = through_the_cli(files[n], args.against)
                    ours_cli = min(ours_cli, through_the_cli(files[n]))
                    line += f"; before {before_cli:.2f} s, now {ours_cli:.2f} s (best of two): ratio {ours_cli / before_cli:.2f}"
                target = 5 if n <= 10000 else 25
                print(line + f"; target {target} s at {n} cases: ratio {ours_cli / target:.2f}", flush=True)
            if args.halves:
                first, second = halves(files[n])
                seconds, parts = at_once(first, second)
                print(
                    f"{'':>8} two processes at once, half the cases each (cut beforehand, not timed): {seconds:.2f} s "
                    f"(each {parts[0]['seconds']:.2f} s and {parts[1]['seconds']:.2f} s inside, peak "
                    f"{parts[0]['peak_mb']:.0f} and {parts[1]['peak_mb']:.0f} MB, {parts[0]['results']} + "
                    f"{parts[1]['results']} results); one process: {m['seconds']:.2f} s; ratio {seconds / m['seconds']:.2f}; "
                    f"target 5 s at 10,000 cases: ratio {seconds / (5 * n / 10000):.2f}",
                    flush=True,
                )
            if args.components:
                seconds, cases, sizes = components(files[n])
                print(
                    f"{'':>8} connected components of the cases (one describes a node the other names): "
                    f"{len(sizes)} for {cases} cases, the largest {sizes[0]} ({sizes[0] / cases:.1%}), then "
                    f"{', '.join(map(str, sizes[1:6]))}; found in {seconds:.2f} s (reading the quads in Python); "
                    f"the largest part's share of the work against half: ratio {sizes[0] / (cases / 2):.2f}",
                    flush=True,
                )
            if args.ingest:
                from isgraph.graph.generator import write_cases as write

                clean = Path(tmp) / f"clean-{n}.nq"
                with clean.open("wb") as out:
                    write(out, n, seed=1, defects=0.0)
                folder, territories = one_file_per_case(clean, Path(tmp) / f"files-{n}")
                now = timed_ingest(folder, territories, Path(tmp) / f"store-now-{n}", ROOT)
                line = f"{'':>8} ingest of {n} case files: {now['seconds']:.1f} s, {now['peak_mb']:.0f} MB"
                if args.against:
                    before = timed_ingest(folder, territories, Path(tmp) / f"store-before-{n}", args.against)
                    line += (
                        f"; before {before['seconds']:.1f} s, {before['peak_mb']:.0f} MB: "
                        f"ratio now/before {now['seconds'] / before['seconds']:.2f}"
                    )
                print(line, flush=True)
        if args.no_pyshacl:
            return
        ours = measured.get(baseline_size) or run(RUN, str(files[baseline_size]))
        ref = run(PYSHACL, str(files[baseline_size]), str(ROOT / "shapes"))
        print(
            f"pySHACL, whole graph, {baseline_size} cases: {ref['seconds']:.2f} s, peak {ref['peak_mb']:.0f} MB, "
            f"{ref['results']} results; isgraph {ours['seconds']:.2f} s: {ref['seconds'] / ours['seconds']:.1f}x faster"
        )

    from isgraph.shacl.api import read_submissions
    from isgraph.shacl.engine import Validator

    validator = Validator()
    submissions = read_submissions([ROOT / "data" / "cases" / "initielles.yaml"])
    validator.validate(submissions)
    timings = []
    for _ in range(30):
        started = time.perf_counter()
        validator.validate(read_submissions([ROOT / "data" / "cases" / "initielles.yaml"]))
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"one case (data/cases/initielles.yaml), read and validated in-process, warm: "
        f"median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms"
    )


if __name__ == "__main__":
    main()
