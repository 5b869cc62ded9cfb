"""Benchmark of batch validation (issue: data stewards validate case submissions).

Prints, for 1,000, 10,000 and 50,000 generated cases: end-to-end time (parse, load,
validate, report) in a fresh process, cases per second and peak memory; pySHACL over
the whole graph at 1,000 cases (10,000 with --full) in the same run, and the ratio;
and the warm latency of validating one case in-process (median of 30).

    .venv/bin/python bench/validate.py [--full] [--sizes 1000,10000,50000]
"""

from __future__ import annotations

import argparse
import json
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
from isgraph.shacl.api import validate_paths
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


def run(script: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PEAK + script, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )  # the pySHACL oracle lives in tests/
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="pySHACL baseline at 10,000 cases instead of 1,000")
    parser.add_argument("--sizes", default="1000,10000,50000")
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
