"""Issue 20: where a shape cannot be translated into SPARQL soundly, pySHACL validates that
shape, every other shape stays compiled, and the report says so; nothing of it reaches
the network."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from isgraph.shacl.compiler import CompiledConstraint, DelegatedShape, compile_shapes
from isgraph.shacl.engine import Submission, ValidationReport, Validator
from isgraph.shacl.report import render
from tests.conftest import ROOT, run_cli
from tests.test_sparql_policy import Listener

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .
"""
#: ex:Ages cannot be compiled (the store rewrites "5"^^xsd:int as xsd:integer, and on a
#: path of two steps the datatype as written is not known to SPARQL); ex:Named can. Both
#: target the same nodes.
SHAPES = (
    PREFIXES
    + """
ex:Ages a sh:NodeShape ; sh:targetClass ex:T ;
  sh:property [ sh:path ( ex:child ex:age ) ; sh:datatype xsd:int ] .
ex:Named a sh:NodeShape ; sh:targetClass ex:T ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""
)
DATA = (
    PREFIXES
    + """
ex:a a ex:T ; ex:child ex:c1 , ex:c2 .
ex:c1 ex:age "7"^^xsd:int .
ex:c2 ex:age "seven"^^xsd:int .
ex:b a ex:T ; ex:name "B" ; ex:child [ ex:age "07"^^xsd:int ] .
"""
)
AGES = "(<http://example.org/child>/<http://example.org/age>)"
REASON = "sh:datatype http://www.w3.org/2001/XMLSchema#int: only on a property shape whose path is one predicate"


def parsed(text: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]


def validate(shapes: str, data: str) -> ValidationReport:
    validator = Validator(context=[], constraints=compile_shapes(parsed(shapes), foreign=True))
    return validator.validate([Submission("data.ttl", tuple(parsed(data)))])


def test_one_shape_goes_to_pyshacl_and_the_others_stay_compiled() -> None:
    compiled = compile_shapes(parsed(SHAPES), foreign=True)
    assert [type(c).__name__ for c in compiled] == ["CompiledConstraint", "DelegatedShape"]
    assert isinstance(compiled[0], CompiledConstraint) and isinstance(compiled[1], DelegatedShape)
    assert compiled[1].shape == "http://example.org/Ages"
    report = validate(SHAPES, DATA)
    # each shape is checked by one engine only: no result twice
    assert sorted(
        (r.focus, r.path, r.value, r.shape.startswith("http"), r.component.rsplit("#")[1], r.by or "") for r in report.results
    ) == [
        (
            "http://example.org/a",
            AGES,
            '"seven"^^<http://www.w3.org/2001/XMLSchema#int>',
            False,
            "DatatypeConstraintComponent",
            "pySHACL",
        ),
        ("http://example.org/a", "<http://example.org/name>", None, False, "MinCountConstraintComponent", ""),
    ]
    (age,) = [r for r in report.results if r.by]
    # a message in both languages, generated as for any foreign shape
    assert age.message.en == f"does not conform to shape <http://example.org/Ages> on path {AGES}"
    assert age.message.fr == f"ne respecte pas la forme <http://example.org/Ages> pour le chemin {AGES}"
    assert age.source is not None and age.source.file == "data.ttl"
    ((shape, reason),) = report.delegated
    assert (shape, reason.en) == ("http://example.org/Ages", REASON)


def test_pyshacl_sees_literals_as_written() -> None:
    shapes = (
        PREFIXES + "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ( ex:p ex:q ) ; sh:datatype xsd:byte ] ."
    )
    data = PREFIXES + 'ex:a ex:p ex:b . ex:b ex:q "05"^^xsd:byte , "7"^^xsd:integer , "300"^^xsd:byte , "9"^^xsd:long .'
    report = validate(shapes, data)
    path = "(<http://example.org/p>/<http://example.org/q>)"
    assert sorted((r.path, r.value, r.by) for r in report.results) == [
        (path, '"300"^^<http://www.w3.org/2001/XMLSchema#byte>', "pySHACL"),
        (path, '"7"^^<http://www.w3.org/2001/XMLSchema#integer>', "pySHACL"),
        (path, '"9"^^<http://www.w3.org/2001/XMLSchema#long>', "pySHACL"),
    ]


def test_a_recursive_shape_is_validated_whole() -> None:
    # a list: each cell has a string head and a tail that is itself a list
    shapes = (
        PREFIXES
        + """
ex:List a sh:NodeShape ; sh:targetClass ex:List ;
  sh:property [ sh:path ex:head ; sh:datatype xsd:string ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:tail ; sh:node ex:List ] ."""
    )
    data = (
        PREFIXES + 'ex:l1 a ex:List ; ex:head "a" ; ex:tail ex:l2 . ex:l2 ex:head "b" , "c" ; ex:tail ex:l3 . ex:l3 ex:head 3 .'
    )
    report = validate(shapes, data)
    assert [shape for shape, _reason in report.delegated] == ["http://example.org/List"]
    assert report.delegated[0][1].en == "shapes nested more than 8 deep, or recursive"
    assert sorted((r.focus, r.component.rsplit("#")[1], r.value, r.by) for r in report.results) == [
        ("http://example.org/l1", "NodeConstraintComponent", "<http://example.org/l2>", "pySHACL")
    ]


def test_every_report_format_says_which_shape_pyshacl_checked_and_why() -> None:
    report = validate(SHAPES, DATA)
    text = render(report, "text", "en").splitlines()
    assert text[-2] == (f"Shape http://example.org/Ages validated by pySHACL, as it was not translated to SPARQL ({REASON})")
    assert any(line.endswith(" · validated by pySHACL") for line in text)
    assert (
        render(report, "text", "fr")
        .splitlines()[-2]
        .startswith("Forme http://example.org/Ages validée par pySHACL, car non traduite en SPARQL (sh:datatype ")
    )
    as_json = json.loads(render(report, "json", "en"))
    assert as_json["validated_by_pyshacl"] == [{"shape": "http://example.org/Ages", "reason": report.delegated[0][1].as_dict()}]
    assert sorted(r.get("validated_by", "") for r in as_json["results"]) == ["", "pySHACL"]
    assert sorted(line.rsplit(",", 1)[1] for line in render(report, "csv", "en").splitlines()[1:]) == ["", "pySHACL"]
    turtle = render(report, "turtle", "en")
    comments = {
        q.object.value
        for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)
        if q.predicate.value == "http://www.w3.org/2000/01/rdf-schema#comment"
    }
    assert comments == {"validated by pySHACL", text[-2]}
    assert "validated by pySHACL" in render(report, "html", "en")


def test_isgraphs_own_shapes_are_all_compiled() -> None:
    assert Validator().delegated == ()


def test_nothing_handed_to_pyshacl_reaches_the_network() -> None:
    listener = Listener()
    try:
        where = f"http://127.0.0.1:{listener.port}"
        # imports in both graphs, a class and a datatype named by the listener's address
        shapes = SHAPES + f"<{where}/shapes> owl:imports <{where}/more-shapes> .\n"
        shapes += (
            f"ex:Far a sh:NodeShape ; sh:targetNode <{where}/node> ; sh:class <{where}/C> ; sh:datatype <{where}/D> ; "
            "sh:node ex:Far ."
        )
        data = DATA + f"<{where}/data> owl:imports <{where}/more-data> . <{where}/node> a <{where}/C> .\n"
        report = validate(shapes, data)
        assert {shape for shape, _reason in report.delegated} == {"http://example.org/Ages", "http://example.org/Far"}
        # its datatype is not met, so the shape it refers to (itself) is not either
        assert sorted(r.component.rsplit("#")[1] for r in report.results if r.shape == "http://example.org/Far") == [
            "DatatypeConstraintComponent",
            "NodeConstraintComponent",
        ]
        assert listener.connections == 0
    finally:
        listener.close()


def test_the_command_line_says_so(tmp_path: Path) -> None:
    policy = tmp_path / "policy.ttl"
    policy.write_text(
        PREFIXES
        + """@prefix isg: <https://w3id.org/isgraph/ontology#> .
ex:Sizes a sh:NodeShape ; sh:targetClass isg:Initiative ;
  sh:property [ sh:path ( ex:team ex:size ) ; sh:datatype xsd:int ] .
""",
        encoding="utf-8",
    )
    case = ROOT / "data" / "cases" / "initielles.yaml"
    run = run_cli("validate", case, "--shapes", policy, "--lang", "en")
    assert run.code == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout.splitlines()[-2:] == [
        f"Shape http://example.org/Sizes validated by pySHACL, as it was not translated to SPARQL ({REASON})",
        "Summary: conforms — 0 violation(s), 0 warning(s), 2 info(s), 1 file(s)",
    ]
