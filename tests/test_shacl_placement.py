"""Where a SPARQL constraint's targets go (isgraph.shacl.placement): after the body, as
``FILTER EXISTS``, only where the parsed body binds ``?this`` in its first block of triples;
the same results either way, on isgraph's shapes and on foreign ones."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from isgraph.graph.generator import generate_cases
from isgraph.resources import resource_dir
from isgraph.shacl import engine
from isgraph.shacl.compiler import CompiledConstraint, compile_shapes, load_shapes_triples
from isgraph.shacl.engine import Submission, Validator
from isgraph.shacl.placement import targets_last_is_sound
from tests.pyshacl_engine import pyshacl_keys

TARGETS = (
    "FILTER EXISTS { ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?targetType . VALUES ?targetType { <urn:x:C> } . }"
)


@pytest.mark.parametrize(
    ("body", "sound"),
    [
        ("?this <urn:x:p> ?v .", True),
        ("?this <urn:x:p> ?v", True),
        ("?a <urn:x:p> ?v . ?this <urn:x:q> ?a", True),
        ("?this <urn:x:p>* ?v MINUS { ?v <urn:x:q> ?this }", True),
        ("MINUS { ?this <urn:x:p> ?v }", False),  # ?this only in the MINUS (MotivationShape)
        ("OPTIONAL { ?this <urn:x:p> ?v }", False),
        ("?s <urn:x:p> ?v OPTIONAL { ?this <urn:x:p> ?v }", False),
        ("BIND (1 AS ?x) ?this <urn:x:p> ?v", False),  # the BIND before the triples
        ("{ ?this <urn:x:p> ?v }", False),  # a group: not looked into
        ("?this <urn:x:p> ?targetType", False),  # the targets' variable in the body
        ("?this <urn:x:p> ?v SERVICE <http://example.org/sparql> { ?a ?b ?c }", False),  # refused by the policy
    ],
)
def test_the_targets_go_after_a_body_that_binds_this_in_its_first_triples(body: str, sound: bool) -> None:
    assert targets_last_is_sound(f"SELECT ?this WHERE {{ {body} {TARGETS} }}") is sound


def test_a_query_that_names_the_targets_variables_elsewhere_keeps_them_first() -> None:
    assert targets_last_is_sound(f"SELECT ?this ?targetType WHERE {{ ?this <urn:x:p> ?v {TARGETS} }}") is False
    assert targets_last_is_sound(f"SELECT ?this WHERE {{ ?this <urn:x:p> ?v {TARGETS} }} VALUES ?targetType {{ 1 }}") is False
    assert targets_last_is_sound(f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this <urn:x:p> ?v }} }} {TARGETS} }}") is False
    assert targets_last_is_sound("SELECT ?this WHERE { ?this <urn:x:p> ?v }") is False  # no targets last


def test_four_of_isgraphs_five_sparql_constraints_take_their_targets_last() -> None:
    validator = Validator()
    sparql = [c for c in validator.constraints if c.component.endswith("SPARQLConstraintComponent")]
    assert all(c.targets_last is not None for c in sparql)
    assert [c for c in validator.constraints if c.targets_last is not None] == sparql  # no other kind of constraint
    assert sorted(validator.constraints[i].shape.rsplit("#", 1)[1] for i in validator.targets_last()) == [
        "ElementToFollowShape",
        "ParticipatoryGovernanceShape",
        "PluralEconomyShape",
        "TerritorialAnchoringShape",
    ]


def _run_with_targets_last(monkeypatch: pytest.MonkeyPatch, validator: Validator, submissions: list[Submission]):  # type: ignore[no-untyped-def]
    """The report of a validation taken as a large one, and the queries it ran."""
    ran: list[str] = []
    solutions = engine._solutions

    def spied(store: ox.Store, query: str):  # type: ignore[no-untyped-def]
        ran.append(query)
        return solutions(store, query)

    with monkeypatch.context() as patch:
        patch.setattr(engine, "PARALLEL_ABOVE", 0)
        patch.setattr(engine, "_solutions", spied)
        return validator.validate(submissions), ran


def test_a_large_validation_runs_them_with_the_targets_last_and_finds_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    validator = Validator()
    submissions = [Submission(graph, tuple(triples)) for graph, triples in generate_cases(40, seed=7, defects=0.6)]
    small = validator.validate(submissions)
    large, ran = _run_with_targets_last(monkeypatch, validator, submissions)
    assert sum("FILTER EXISTS { ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?targetType" in q for q in ran) == 4
    assert large.results == small.results
    shapes = {r.shape.rsplit("#", 1)[1] for r in large.results if r.component.endswith("SPARQLConstraintComponent")}
    assert shapes == {
        "ElementToFollowShape",
        "MotivationShape",
        "ParticipatoryGovernanceShape",
        "PluralEconomyShape",
        "TerritorialAnchoringShape",
    }


@pytest.mark.slow
def test_the_targets_last_agree_with_pyshacl_on_generated_cases_with_defects(monkeypatch: pytest.MonkeyPatch) -> None:
    validator = Validator()
    submissions = [Submission(graph, tuple(triples)) for graph, triples in generate_cases(40, seed=7, defects=0.6)]
    large, _ran = _run_with_targets_last(monkeypatch, validator, submissions)
    assert {r.key() for r in large.results} == pyshacl_keys(validator, submissions, load_shapes_triples(resource_dir("shapes")))


def test_a_foreign_body_that_binds_this_only_in_a_minus_keeps_its_targets_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Placed last, the targets of ``TaskShape`` would filter solutions where ``?this`` is not
    bound, and no task would be reported; ``DoneShape`` binds ``?this`` first and takes them last."""
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
    ex:TaskShape a sh:NodeShape ; sh:targetClass ex:Task ;
      sh:sparql [ sh:select \"\"\"PREFIX ex: <http://example.org/>
        SELECT $this WHERE { FILTER NOT EXISTS { $this ex:owner ?who } }\"\"\" ] .
    ex:DoneShape a sh:NodeShape ; sh:targetClass ex:Task ;
      sh:sparql [ sh:select \"\"\"PREFIX ex: <http://example.org/>
        SELECT $this ?value WHERE { $this ex:done ?value . FILTER (?value != true) }\"\"\" ] ."""
    data = """@prefix ex: <http://example.org/> .
    ex:t1 a ex:Task ; ex:owner ex:ann ; ex:done true . ex:t2 a ex:Task ; ex:done false . ex:x ex:done false ."""
    parse = lambda text: [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]  # noqa: E731
    constraints = compile_shapes(parse(shapes), foreign=True)
    validator = Validator(context=[], constraints=constraints)
    assert [validator.constraints[i].shape for i in validator.targets_last()] == ["http://example.org/DoneShape"]
    submission = Submission("data.ttl", tuple(parse(data)))
    report, ran = _run_with_targets_last(monkeypatch, validator, [submission])
    assert sum("FILTER EXISTS" in q for q in ran) == 1
    assert sorted((r.shape.rsplit("/", 1)[1], r.focus.rsplit("/", 1)[1], r.value or "") for r in report.results) == [
        ("DoneShape", "t2", '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
        ("TaskShape", "t2", "<http://example.org/t2>"),
    ]
    assert {r.key() for r in report.results} == pyshacl_keys(validator, [submission], parse(shapes))
    assert all(isinstance(c, CompiledConstraint) for c in constraints)
