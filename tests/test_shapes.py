"""The SHACL shapes: named and bilingual, an example of each, exact results, and
the compiled engine equal to pySHACL (the reference semantics)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.namespaces import ID
from isgraph.rdf.parsing import line_locator, read_triples
from isgraph.shacl.compiler import ISGSH, SH, compile_shapes, load_shapes_triples
from isgraph.shacl.engine import Submission, Validator
from tests.pyshacl_engine import pyshacl_keys

from .conftest import ROOT

SHAPES = ROOT / "shapes"
EXAMPLES = SHAPES / "examples"
PREFIXES = {
    "grid:": "https://w3id.org/isgraph/grid/",
    "https://": "https://",
    "level:": "https://w3id.org/isgraph/level/",
    "role:": "https://w3id.org/isgraph/role/",
    "principle:": "https://w3id.org/isgraph/principle/",
}


@dataclass(frozen=True)
class Example:
    shape: str
    valid: bool
    path: Path
    expected: frozenset[tuple[str, str, str, str | None]]

    @property
    def id(self) -> str:
        return f"{self.shape}/{'valid' if self.valid else 'invalid'}/{self.path.stem}"


def _iri(text: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if text.startswith(prefix):
            return namespace + text[len(prefix) :]
    return ID[text]


def _value(text: str) -> str:
    """A value as an expectation line writes it, in N-Triples form."""
    if text.startswith('"'):
        return re.sub(r"\^\^xsd:(\w+)$", r"^^<http://www.w3.org/2001/XMLSchema#\1>", text)
    return f"<{_iri(text)}>"


def _examples() -> list[Example]:
    found = []
    for path in sorted(EXAMPLES.glob("*/*/*.ttl")):
        expected = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#! expect "):
                parts = line[len("#! expect ") :].split(" ", 3)
                value = _value(parts[3]) if len(parts) == 4 else None
                expected.add((_iri(parts[0]), ISGSH[parts[1]], SH[parts[2] + "ConstraintComponent"], value))
        found.append(Example(path.parts[-3], path.parts[-2] == "valid", path, frozenset(expected)))
    return found


EXAMPLE_LIST = _examples()
VALIDATOR = Validator()


def _submission(path: Path, prefix: str = "x") -> Submission:
    triples, _ = read_triples(path, shown_as=path.name, bnode_prefix=prefix)
    return Submission(path.name, tuple(triples), line_locator(path.read_text(encoding="utf-8")))


def test_every_targeted_shape_has_valid_and_invalid_examples() -> None:
    node_shapes = {
        t.subject.value for t in load_shapes_triples(SHAPES) if t.predicate.value in (SH["targetClass"], SH["targetObjectsOf"])
    }
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir()}
    assert {ISGSH[f] for f in folders} == node_shapes
    for folder in folders:
        assert list((EXAMPLES / folder / "valid").glob("*.ttl")), folder
        assert list((EXAMPLES / folder / "invalid").glob("*.ttl")), folder


def test_every_shape_that_reports_is_broken_by_an_example() -> None:
    reporting = {c.shape for c in VALIDATOR.constraints}
    broken = {shape for e in EXAMPLE_LIST for _f, shape, _c, _v in e.expected}
    assert reporting - broken == set()


def test_every_shape_is_named_and_speaks_both_languages() -> None:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in load_shapes_triples(SHAPES))
    shapes = {
        r["s"]
        for r in store.query(
            "SELECT DISTINCT ?s WHERE { { ?s a ?k VALUES ?k { <http://www.w3.org/ns/shacl#NodeShape> "
            "<http://www.w3.org/ns/shacl#PropertyShape> } } UNION { ?x <http://www.w3.org/ns/shacl#property> ?s } }"
        )
    }
    assert len(shapes) > 40
    for shape in shapes:
        assert isinstance(shape, ox.NamedNode), f"anonymous shape {shape}"
        for prop in ("name", "description", "message"):
            langs = {q.object.language for q in store.quads_for_pattern(shape, ox.NamedNode(SH[prop]), None)}
            assert {"fr", "en"} <= langs, (shape.value, prop)


@pytest.mark.parametrize("example", EXAMPLE_LIST, ids=[e.id for e in EXAMPLE_LIST])
def test_example_gives_exactly_its_declared_results(example: Example) -> None:
    report = VALIDATOR.validate([_submission(example.path)])
    got = set()
    for r in report.results:
        value = r.value if (r.value is not None and r.value != f"<{r.focus}>") else None
        got.add((r.focus, r.shape, r.component, value))
    expected = {(f, s, c, None if v == f"<{f}>" else v) for f, s, c, v in example.expected}
    assert got == expected
    if example.valid:
        assert report.results == ()
    else:
        assert not report.conforms or all(r.severity != "Violation" for r in report.results)
        assert all(r.source is not None and r.source.line for r in report.results)


def _disjoint(example: Example, index: int) -> list[ox.Triple]:
    """The example's triples with its own IRIs moved apart, so that all examples fit in one graph."""
    own = f"{ID}ex{index}/"
    reference = {q.subject.value for q in VALIDATOR.context}

    def move(term):  # type: ignore[no-untyped-def]
        if isinstance(term, ox.NamedNode) and term.value.startswith(ID) and term.value not in reference:
            return ox.NamedNode(own + term.value[len(ID) :])
        return term

    triples, _ = read_triples(example.path, shown_as=example.path.name, bnode_prefix=f"e{index}")
    return [ox.Triple(move(t.subject), t.predicate, move(t.object)) for t in triples]


@pytest.mark.slow
def test_compiled_engine_equals_pyshacl_on_every_example() -> None:
    submissions = [Submission(e.id, tuple(_disjoint(e, i))) for i, e in enumerate(EXAMPLE_LIST)]
    ours = {r.key() for r in VALIDATOR.validate(submissions).results}
    reference = pyshacl_keys(VALIDATOR, submissions, load_shapes_triples(SHAPES))
    assert len(ours) > 50
    assert ours == reference


def test_reference_cases_conform_and_equal_pyshacl() -> None:
    from isgraph.shacl.api import read_submissions

    submissions = read_submissions([ROOT / "data" / "cases"])
    report = VALIDATOR.validate(submissions)
    assert report.conforms
    assert sorted((r.severity, r.shape.rsplit("#", 1)[1], r.focus.rsplit("/", 1)[1]) for r in report.results) == [
        ("Info", "ElementToFollowShape", "gouvernance-participative"),
        ("Info", "OrganisationIdentifierShape", "association-initielles"),
        ("Info", "OrganisationIdentifierShape", "graines-de-pays"),
        ("Info", "OrganisationIdentifierShape", "institut-godin"),
    ]
    assert {r.key() for r in report.results} == pyshacl_keys(VALIDATOR, submissions, load_shapes_triples(SHAPES))


def test_unsupported_shape_features_are_refused() -> None:
    triples = [
        *load_shapes_triples(SHAPES),
        # a SPARQL-based target (SHACL Advanced Features): not compiled, so refused
        ox.Triple(ox.NamedNode(ISGSH["ActorShape"]), ox.NamedNode(SH["target"]), ox.BlankNode("target")),
    ]
    with pytest.raises(Exception, match=r"unsupported http://www.w3.org/ns/shacl#target"):
        compile_shapes(triples)
