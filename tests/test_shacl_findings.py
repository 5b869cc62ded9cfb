"""Issue 20: each wrong verdict found on main (fb3163a), where the compiler accepted a shape
and then dropped or misread it without a word, as a test of its own with the exact
results expected (the W3C suite covers them too: tests/test_shacl_core.py)."""

from __future__ import annotations

import pyoxigraph as ox

from isgraph.shacl.compiler import compile_shapes
from isgraph.shacl.engine import Submission, Validator
from tests.pyshacl_engine import pyshacl_keys

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
EX = "http://example.org/"
SH = "http://www.w3.org/ns/shacl#"


def results(shapes: str, data: str) -> list[tuple[str, str, str, str]]:
    """(focus, path, value, component) of each result, sorted, with example.org left out."""
    parse = lambda text: [q.triple for q in ox.parse((PREFIXES + text).encode(), format=ox.RdfFormat.TURTLE)]  # noqa: E731
    validator = Validator(context=[], constraints=compile_shapes(parse(shapes), foreign=True))
    assert not validator.delegated  # all compiled to SPARQL
    report = validator.validate([Submission("data.ttl", tuple(parse(data)))])
    return sorted(
        (r.focus.replace(EX, ""), (r.path or "").replace(EX, ""), (r.value or "").replace(EX, ""), r.component[len(SH) :])
        for r in report.results
    )


def test_a_shape_that_is_a_class_targets_its_instances() -> None:
    shapes = "ex:Person a rdfs:Class , sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ."
    data = (
        'ex:ann a ex:Person ; ex:name "Ann" . ex:bob a ex:Person . ex:Student rdfs:subClassOf ex:Person . ex:cid a ex:Student .'
    )
    assert results(shapes, data) == [
        ("bob", "<name>", "", "MinCountConstraintComponent"),
        ("cid", "<name>", "", "MinCountConstraintComponent"),
    ]


def test_datatype_pattern_and_in_on_a_node_shape_are_checked() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ;
      sh:datatype xsd:string ; sh:pattern "^a" ; sh:in ( "ab" "ax" "b" ) ."""
    data = 'ex:x ex:p "ab" , "b" , "ac" , 1 .'
    assert results(shapes, data) == [
        (
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            "",
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            "DatatypeConstraintComponent",
        ),
        (
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            "",
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            "InConstraintComponent",
        ),
        (
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            "",
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            "PatternConstraintComponent",
        ),
        ('"ac"', "", '"ac"', "InConstraintComponent"),
        ('"b"', "", '"b"', "PatternConstraintComponent"),
    ]


def test_or_inside_a_property_shape_is_checked() -> None:
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; sh:or ( [ sh:datatype xsd:string ] [ sh:class ex:C ] ) ] ."
    data = 'ex:x ex:p "s" , ex:c , ex:d , 2 . ex:c a ex:C .'
    assert results(shapes, data) == [
        ("x", "<p>", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', "OrConstraintComponent"),
        ("x", "<p>", "<d>", "OrConstraintComponent"),
    ]


def test_an_or_member_without_a_path_does_not_borrow_one_from_elsewhere() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:or ( [ sh:class ex:C ] [ sh:class ex:D ] ) .
    ex:T a sh:NodeShape ; sh:targetNode ex:y ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] ."""
    data = "ex:x a ex:D . ex:z ex:p ex:y ."
    assert results(shapes, data) == []


def test_a_property_shape_with_targets_of_its_own_keeps_its_path() -> None:
    shapes = "ex:P a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:friend ; sh:class ex:Person ; sh:minCount 1 ."
    data = "ex:a a ex:T ; ex:friend ex:ann , ex:rock . ex:ann a ex:Person . ex:b a ex:T ."
    assert results(shapes, data) == [
        ("a", "<friend>", "<rock>", "ClassConstraintComponent"),
        ("b", "<friend>", "", "MinCountConstraintComponent"),
    ]


def test_a_property_shape_inside_a_property_shape_is_checked() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
      sh:property [ sh:path ex:child ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ] ."""
    data = 'ex:a ex:child ex:c1 , ex:c2 . ex:c1 ex:name "One" .'
    assert results(shapes, data) == [("c2", "<name>", "", "MinCountConstraintComponent")]


def test_a_literal_focus_node_is_reported_as_itself() -> None:
    shapes = 'ex:S a sh:NodeShape ; sh:targetNode "forty"@en , 42 ; sh:datatype xsd:integer .'
    assert results(shapes, "ex:x ex:p ex:y .") == [('"forty"@en', "", '"forty"@en', "DatatypeConstraintComponent")]


def test_literals_are_checked_and_shown_as_written() -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetNode ex:x ;
      sh:property [ sh:path ex:int ; sh:datatype xsd:int ] ;
      sh:property [ sh:path ex:byte ; sh:datatype xsd:byte ] ;
      sh:property [ sh:path ex:decimal ; sh:maxInclusive 3 ] ."""
    data = 'ex:x ex:int "5"^^xsd:int ; ex:byte "c"^^xsd:byte ; ex:decimal "4.0"^^xsd:decimal .'
    assert results(shapes, data) == [
        ("x", "<byte>", '"c"^^<http://www.w3.org/2001/XMLSchema#byte>', "DatatypeConstraintComponent"),
        ("x", "<decimal>", '"4.0"^^<http://www.w3.org/2001/XMLSchema#decimal>', "MaxInclusiveConstraintComponent"),
    ]


def test_a_count_of_one_and_the_checks_of_each_value_share_one_pass() -> None:
    """sh:minCount 1, sh:maxCount 1 and the value checks of one property shape are one query
    (compiler._counts_and_values): each focus node reports each constraint it breaks, a count
    without a value, as pySHACL does (tests/test_shapes.py compares on generated data)."""
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:T ;
      sh:property [ sh:path ex:level ; sh:minCount 1 ; sh:maxCount 1 ; sh:in ( ex:a ex:b ) ; sh:nodeKind sh:IRI ] ;
      sh:property [ sh:path [ sh:inversePath ex:owns ] ; sh:minCount 1 ; sh:maxCount 1 ] ;
      sh:property [ sh:path ex:code ; sh:maxCount 1 ] ."""
    data = """ex:n0 a ex:T . ex:o0 ex:owns ex:n0 .
      ex:n1 a ex:T ; ex:level ex:a . ex:o1 ex:owns ex:n1 . ex:o2 ex:owns ex:n1 .
      ex:n2 a ex:T ; ex:level ex:z ; ex:code 1 , 2 . ex:o3 ex:owns ex:n2 .
      ex:n3 a ex:T ; ex:level ex:a , ex:b ; ex:code 3 . ex:o4 ex:owns ex:n3 .
      ex:n4 a ex:T ; ex:level ex:a , "a" , ex:z .
      ex:x ex:level "b" ; ex:code 4 , 5 ."""
    assert results(shapes, data) == [
        ("n0", "<level>", "", "MinCountConstraintComponent"),
        ("n1", "^<owns>", "", "MaxCountConstraintComponent"),
        ("n2", "<code>", "", "MaxCountConstraintComponent"),
        ("n2", "<level>", "<z>", "InConstraintComponent"),
        ("n3", "<level>", "", "MaxCountConstraintComponent"),
        ("n4", "<level>", "", "MaxCountConstraintComponent"),
        ("n4", "<level>", '"a"', "InConstraintComponent"),
        ("n4", "<level>", '"a"', "NodeKindConstraintComponent"),
        ("n4", "<level>", "<z>", "InConstraintComponent"),
        ("n4", "^<owns>", "", "MinCountConstraintComponent"),
    ]
    parse = lambda text: [q.triple for q in ox.parse((PREFIXES + text).encode(), format=ox.RdfFormat.TURTLE)]  # noqa: E731
    shapes_graph = parse(shapes)
    compiled = compile_shapes(shapes_graph, foreign=True)
    assert len({c.query for c in compiled if c.path == "<http://example.org/level>"}) == 1
    assert len({c.query for c in compiled if c.path == "^<http://example.org/owns>"}) == 1
    validator = Validator(context=[], constraints=compiled)
    submission = Submission("data.ttl", tuple(parse(data)))
    ours = {r.key() for r in validator.validate([submission]).results}
    assert ours == pyshacl_keys(validator, [submission], shapes_graph)


def test_a_foreign_not_exists_that_reads_an_outer_variable_in_its_filter_keeps_its_meaning() -> None:
    """A ``FILTER NOT EXISTS`` of a foreign SPARQL constraint stays one: as ``MINUS`` (isgraph's
    own shapes, whose blocks share their variables through their triple patterns), the
    block's ``FILTER`` would not see ``?due`` and every task would be reported."""
    shapes = """ex:TaskShape a sh:NodeShape ; sh:targetClass ex:Task ;
      sh:sparql [ sh:select \"\"\"PREFIX ex: <http://example.org/>
        SELECT $this WHERE { $this ex:due ?due . FILTER NOT EXISTS { ?m ex:milestone ?at . FILTER (?at >= ?due) } }\"\"\" ] ."""
    data = "ex:m1 ex:milestone 10 . ex:t1 a ex:Task ; ex:due 5 . ex:t2 a ex:Task ; ex:due 20 . ex:t3 a ex:Task ; ex:due 10 ."
    assert results(shapes, data) == [("t2", "", "<t2>", "SPARQLConstraintComponent")]
    parse = lambda text: [q.triple for q in ox.parse((PREFIXES + text).encode(), format=ox.RdfFormat.TURTLE)]  # noqa: E731
    shapes_graph = parse(shapes)
    validator = Validator(context=[], constraints=compile_shapes(shapes_graph, foreign=True))
    submission = Submission("data.ttl", tuple(parse(data)))
    assert {r.key() for r in validator.validate([submission]).results} == pyshacl_keys(validator, [submission], shapes_graph)
