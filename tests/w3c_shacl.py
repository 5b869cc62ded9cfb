"""A runner for the W3C SHACL Core test suite (tests/w3c/shacl-core, copied from w3c/data-shapes).

Each test is an ``sht:Validate`` entry of a manifest: a data graph, a shapes graph (most
often the test file itself) and the expected report (``mf:result``): ``sh:conforms``
and every result with its focus node, path, value, source shape, constraint component
and severity. The runner compiles the shapes as foreign shapes (no messages needed),
validates the data with isgraph's engine, and compares the whole report. A test ends
in one of three ways: ``pass`` (the same report; its detail names the shapes the
compiler handed to pySHACL, and why), ``refused`` (the compiler refuses a construct it does
not support, with the reason) or ``wrong`` (a different report).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.shacl.compiler import _Shapes, compile_shapes
from isgraph.shacl.engine import Submission, Validator
from tests.w3c_protocol import _items, _one

SUITE = Path(__file__).parent / "w3c" / "shacl-core"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

Key = tuple[str, str, str, str, str, str]


@dataclass(frozen=True)
class CoreTest:
    name: str
    file: Path
    data: Path
    shapes: Path
    conforms: bool
    expected: frozenset[Key]


@dataclass(frozen=True)
class Outcome:
    verdict: str  # pass, refused or wrong
    detail: str = ""


@cache
def _parsed(path: Path) -> tuple[ox.Triple, ...]:
    """The file's triples as written, parsed once: the data graph and the expected report share
    its blank nodes (a store would rewrite some literals: "1"^^xsd:boolean becomes "true")."""
    return tuple(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))


@cache
def _graph(path: Path) -> ox.Store:
    """The file in a store, to walk its structure."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in _parsed(path))
    return store


def _local(iri: str) -> Path:
    return Path(urllib.parse.unquote(urllib.parse.urlsplit(iri).path))


def read_suite(manifest: Path = SUITE / "manifest.ttl") -> list[CoreTest]:
    """Every test of the suite, following ``mf:include``."""
    store = _graph(manifest)
    tests = []
    for included in store.quads_for_pattern(None, ox.NamedNode(MF + "include"), None):
        tests += read_suite(_local(included.object.value))
    for entries in store.quads_for_pattern(None, ox.NamedNode(MF + "entries"), None):
        for entry in _items(store, entries.object):
            assert isinstance(entry, ox.NamedNode)
            action = _one(store, entry, MF + "action")
            data, shapes = _one(store, action, SHT + "dataGraph"), _one(store, action, SHT + "shapesGraph")
            assert isinstance(data, ox.NamedNode) and isinstance(shapes, ox.NamedNode)
            report = _one(store, entry, MF + "result")
            conforms = _one(store, report, SH + "conforms")
            assert isinstance(conforms, ox.Literal)
            expected = frozenset(
                _expected(store, result.object, manifest)
                for result in store.quads_for_pattern(report, ox.NamedNode(SH + "result"), None)  # type: ignore[arg-type]  # a node
            )
            tests.append(
                CoreTest(
                    f"{manifest.parent.name}/{entry.value.rsplit('/', 1)[-1]}",
                    manifest,
                    _local(data.value),
                    _local(shapes.value),
                    conforms.value == "true",
                    expected,
                )
            )
    return tests


def term_text(term: object) -> str:
    """A term as the engine's results write it: an IRI bare, anything else in N-Triples."""
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _path_text(store: ox.Store, node: object) -> str:
    """A ``sh:resultPath`` as the compiler writes a path (by the compiler's own reading)."""
    return _Shapes(q.triple for q in store).path(node)  # type: ignore[arg-type]  # a path node


def _written(path: Path, subject: object, predicate: str) -> object | None:
    """The object of a triple of the file as written (the store rewrites "4.0"^^xsd:decimal)."""
    for t in _parsed(path):
        if t.subject == subject and t.predicate.value == predicate:
            return t.object
    return None


def _expected(store: ox.Store, result: object, path_of_file: Path) -> Key:
    path = _one(store, result, SH + "resultPath")
    value = _written(path_of_file, result, SH + "value")
    severity = _one(store, result, SH + "resultSeverity")
    return (
        term_text(_written(path_of_file, result, SH + "focusNode")),
        "" if path is None else _path_text(store, path),
        "" if value is None else str(value),
        term_text(_one(store, result, SH + "sourceShape")),
        term_text(_one(store, result, SH + "sourceConstraintComponent")),
        _severity(str(getattr(severity, "value", ""))),
    )


#: What a report's results point at (shapes, data, paths), not part of the report.
_POINTERS = {SH + p for p in ("sourceShape", "focusNode", "value", "resultPath", "sourceConstraint")}


def _severity(iri: str) -> str:
    """As the engine writes a severity: Violation, Warning, Info, or a shape's own IRI."""
    return iri[len(SH) :] if iri.startswith(SH) else iri


def _without_report(path: Path) -> list[ox.Triple]:
    """The shapes graph: the file without its manifest and expected report."""
    store = _graph(path)
    drop: set[object] = set()
    stack: list[object] = [
        q.subject for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(MF + "Manifest"))
    ]
    stack += [q.subject for q in store.quads_for_pattern(None, ox.NamedNode(MF + "action"), None)]
    while stack:
        node = stack.pop()
        if node in drop:
            continue
        drop.add(node)
        for quad in store.quads_for_pattern(node, None, None):  # type: ignore[arg-type]  # a node
            if quad.predicate.value in _POINTERS:
                continue  # the report names shapes and data nodes: they are not part of it
            if isinstance(quad.object, ox.BlankNode) or quad.predicate.value.startswith(MF):
                stack.append(quad.object)
    return [t for t in _parsed(path) if t.subject not in drop]


def run(test: CoreTest) -> Outcome:
    data = list(_parsed(test.data))
    try:
        constraints = compile_shapes(_without_report(test.shapes), foreign=True)
    except InputError as exc:
        return Outcome("refused", exc.message.en)
    report = Validator(context=[], constraints=constraints).validate([Submission(test.data.name, tuple(data))])
    found = frozenset(_normalised(r.key()) for r in report.results)
    conforms = not report.results  # as SHACL defines it: no result of any severity
    if found == test.expected and conforms == test.conforms:
        return Outcome("pass", "; ".join(f"shape {shape_name(shape)}: {reason.en}" for shape, reason in report.delegated))
    missing, extra = sorted(test.expected - found), sorted(found - test.expected)
    return Outcome("wrong", f"conforms {conforms} (expected {test.conforms}); missing {missing}; extra {extra}")


def shape_name(shape: str) -> str:
    """A shape as a reader knows it: its IRI, or ``_:`` and its blank node."""
    return shape if "://" in shape or shape.startswith("urn:") else f"_:{shape}"


def _normalised(key: Key) -> Key:
    focus, path, value, shape, component, severity = key
    return (focus, path, value, shape_name(shape), component, severity)


def coverage(tests: list[CoreTest]) -> str:
    """The table of docs/shacl-core.md: each test and its outcome."""
    lines = ["| test | outcome |", "|---|---|"]
    for test in sorted(tests, key=lambda t: t.name):
        outcome = run(test)
        said = (
            ("passes" + (f", validated by pySHACL: {outcome.detail}" if outcome.detail else ""))
            if outcome.verdict == "pass"
            else f"refused: {outcome.detail}"
            if outcome.verdict == "refused"
            else "WRONG"
        )
        escaped = re.sub(r"_:[0-9a-f]{16,}", "_:…", said).replace("|", "\\|")  # blank nodes differ from run to run
        lines.append(f"| `{test.name}` | {escaped} |")
    return "\n".join(lines) + "\n"
