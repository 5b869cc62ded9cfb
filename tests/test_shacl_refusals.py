"""Issue 20: nothing is ever silently skipped. Every construct of a shapes graph is either
compiled or refused with a clear error naming the feature and the shape; this walks the
supported ones (each compiles into at least one constraint), the unsupported or
misplaced ones (each is refused, with its name), and those SPARQL cannot check soundly
(each shape is handed to pySHACL whole, with the reason)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from isgraph.errors import InputError
from isgraph.resources import resource_dir
from isgraph.shacl.compiler import (
    CompiledConstraint,
    DelegatedShape,
    _not_exists_as_minus,
    compile_shapes,
    load_shapes_triples,
    readable,
)
from isgraph.sparql.policy import Policy

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""

#: On a node shape: each compiles.
NODE = [
    "sh:class ex:C",
    "sh:datatype xsd:integer",
    # the lexical forms of every XSD type SPARQL can cast to, or that a regular expression defines
    *(
        f"sh:datatype xsd:{name}"
        for name in (
            "time",
            "gYear",
            "gYearMonth",
            "gMonth",
            "gDay",
            "gMonthDay",
            "duration",
            "dayTimeDuration",
            "yearMonthDuration",
            "hexBinary",
            "base64Binary",
            "language",
            "token",
            "normalizedString",
            "anyURI",
        )
    ),
    "sh:nodeKind sh:IRI",
    "sh:minInclusive 1",
    "sh:maxInclusive 1",
    "sh:minExclusive 1",
    "sh:maxExclusive 1",
    "sh:minLength 1",
    "sh:maxLength 1",
    'sh:pattern "^a" ; sh:flags "i"',
    'sh:languageIn ( "fr" )',
    "sh:in ( ex:a ex:b )",
    "sh:hasValue ex:a",
    "sh:equals ex:p",
    "sh:disjoint ex:p",
    "sh:node [ sh:class ex:C ]",
    "sh:not [ sh:class ex:C ]",
    "sh:and ( [ sh:class ex:C ] [ sh:class ex:D ] )",
    "sh:or ( [ sh:class ex:C ] [ sh:class ex:D ] )",
    "sh:xone ( [ sh:class ex:C ] [ sh:class ex:D ] )",
    "sh:closed true ; sh:ignoredProperties ( ex:q ) ; sh:property [ sh:path ex:p ; sh:minCount 1 ]",
    "sh:property [ sh:path ex:p ; sh:minCount 2 ]",
    'sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ex:q }" ]',
    "sh:severity ex:Mine ; sh:class ex:C",
]
#: On a property shape (its path ex:p): each compiles.
PROPERTY = [
    "sh:datatype xsd:unsignedByte",
    "sh:minCount 2",
    "sh:maxCount 2",
    "sh:uniqueLang true",
    "sh:lessThan ex:q",
    "sh:lessThanOrEquals ex:q",
    "sh:equals ex:q",
    "sh:disjoint ex:q",
    "sh:node [ sh:property [ sh:path ex:q ; sh:minCount 3 ] ]",
    "sh:or ( [ sh:datatype xsd:string ] [ sh:class ex:C ] )",
    "sh:property [ sh:path ex:q ; sh:maxCount 1 ]",
    "sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 2",
]
#: Paths: each compiles.
PATHS = [
    "ex:p",
    "( ex:p ex:q )",
    "[ sh:inversePath ex:p ]",
    "[ sh:alternativePath ( ex:p ex:q ) ]",
    "[ sh:zeroOrMorePath ex:p ]",
    "[ sh:oneOrMorePath ex:p ]",
    "[ sh:zeroOrOnePath ex:p ]",
]
#: Refused, and the message says why: (the shape's body, words of the message).
REFUSED = [
    ("sh:target [ a sh:SPARQLTarget ]", "unsupported http://www.w3.org/ns/shacl#target"),
    ("sh:rule [ ]", "unsupported http://www.w3.org/ns/shacl#rule"),
    ('sh:severity "high" ; sh:class ex:C', "sh:severity must be an IRI"),
    ("sh:minCount 1", "sh:minCount is not supported on this kind of shape"),
    ("sh:uniqueLang true", "sh:uniqueLang is not supported on this kind of shape"),
    ("sh:lessThan ex:p", "sh:lessThan is not supported on this kind of shape"),
    ("sh:property [ sh:path [ ] ; sh:minCount 1 ]", "a path must be one of"),
    ("sh:targetNode [ ] ; sh:class ex:C", "sh:targetNode must name an IRI or a literal"),
    # neither SPARQL nor rdflib (so pySHACL) can tell an ill-formed one
    ("sh:datatype xsd:NCName", "sh:datatype http://www.w3.org/2001/XMLSchema#NCName: its lexical forms cannot be checked"),
    ("sh:datatype xsd:dateTimeStamp", "the store rewrites it as xsd:dateTime, and rdflib (so pySHACL) does not check it"),
    # a constraint component of one's own: its parameters would be read by nobody
    (
        "sh:class ex:C . ex:Mine a sh:ConstraintComponent ; sh:parameter [ sh:path ex:mine ]",
        "constraint components of one's own (SHACL-SPARQL) are not supported",
    ),
    # a shapes file must not make validation reach the network, nor hide an update
    (
        'sh:sparql [ sh:select "SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { $this ex:p ?o } }" ]',
        "sh:select: SERVICE refused: 127.0.0.1:9 is not among the allowed hosts (none)",
    ),
    (
        'sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?o } ; DROP ALL" ]',
        "sh:select must be a SELECT",
    ),
    # a shape pySHACL would run a SPARQL constraint of: not handed over
    (
        'sh:node ex:Shape ; sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?o }" ]',
        "shapes nested more than 8 deep, or recursive, and the shape holds sh:sparql, which isgraph does not hand to pySHACL",
    ),
]
#: Not translated into SPARQL soundly: the shape is handed to pySHACL, with the reason.
DELEGATED = [
    # the store rewrites "5"^^xsd:int: the datatype as written is known for one-predicate paths only
    (
        "sh:datatype xsd:int",
        "sh:datatype http://www.w3.org/2001/XMLSchema#int: only on a property shape whose path is one predicate",
    ),
    ("sh:node ex:Shape", "shapes nested more than 8 deep, or recursive"),
    (
        "sh:property [ sh:path [ sh:inversePath ex:p ; sh:alternativePath ( ex:q ) ] ; sh:minCount 1 ]",
        "an ill-formed path (at once alternative, inverse)",
    ),
    (
        "sh:node [ sh:property [ sh:path ex:q ; sh:maxCount 8 ] ]",
        "inside another shape, counting 9 values (more than 8) is not translated",
    ),
]


def shapes(body: str) -> list[ox.Triple]:
    text = f"{PREFIXES}ex:Shape a sh:NodeShape ; sh:targetClass ex:T ; {body} ."
    return [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]


@pytest.mark.parametrize("body", NODE)
def test_on_a_node_shape_it_compiles(body: str) -> None:
    assert compile_shapes(shapes(body), foreign=True)


@pytest.mark.parametrize("body", PROPERTY)
def test_on_a_property_shape_it_compiles(body: str) -> None:
    assert compile_shapes(shapes(f"sh:property [ sh:path ex:p ; {body} ]"), foreign=True)


@pytest.mark.parametrize("path", PATHS)
def test_every_path_compiles(path: str) -> None:
    (constraint,) = compile_shapes(shapes(f"sh:property [ sh:path {path} ; sh:minCount 1 ]"), foreign=True)
    assert constraint.path is not None and constraint.path in constraint.query


@pytest.mark.parametrize(("body", "reason"), REFUSED)
def test_what_is_not_compiled_is_refused_with_its_name(body: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        compile_shapes(shapes(body), foreign=True)
    assert reason in caught.value.message.en and "shape " in caught.value.message.en


@pytest.mark.parametrize(("body", "reason"), DELEGATED)
def test_what_sparql_cannot_check_soundly_is_handed_to_pyshacl(body: str, reason: str) -> None:
    (delegated,) = compile_shapes(shapes(body), foreign=True)
    assert isinstance(delegated, DelegatedShape) and delegated.shape == "http://example.org/Shape"
    assert delegated.reason.en == reason and delegated.reason.fr not in ("", reason)


def test_a_deactivated_shape_compiles_to_nothing() -> None:
    assert compile_shapes(shapes("sh:deactivated true ; sh:class ex:C"), foreign=True) == []
    # "1"^^xsd:boolean is not SHACL's true: the shape stays active
    assert compile_shapes(shapes('sh:deactivated "1"^^xsd:boolean ; sh:class ex:C'), foreign=True)


def test_isgraphs_own_shapes_still_need_their_messages() -> None:
    with pytest.raises(InputError) as caught:
        compile_shapes(shapes("sh:class ex:C"))
    assert caught.value.message.en == "shape http://example.org/Shape: sh:message needed in French and in English"


def test_isgraphs_own_sparql_constraints_pass_the_policy_that_foreign_ones_meet() -> None:
    """The compiler reads the SPARQL constraints of foreign shapes with isgraph's parser and
    policy, and not those of isgraph's own shapes, at each start: read as foreign, they compile
    to the same queries but for their ``FILTER NOT EXISTS`` blocks, which only isgraph's own
    run as ``MINUS``; and the queries isgraph's own run pass the policy too."""
    own = load_shapes_triples(resource_dir("shapes"))
    as_own = compile_shapes(own)
    as_foreign = compile_shapes(own, foreign=True)  # each SPARQL constraint read by the parser and policy
    sparql = [c for c in as_own if isinstance(c, CompiledConstraint) and c.component.endswith("SPARQLConstraintComponent")]
    assert len(sparql) == 5
    assert sum("FILTER NOT EXISTS" in c.query for c in sparql) == 0
    kept = [c for c in as_foreign if isinstance(c, CompiledConstraint) and c.component.endswith("SPARQLConstraintComponent")]
    assert sum("FILTER NOT EXISTS" in c.query for c in kept) == 4  # all but ElementToFollowShape
    assert [
        _not_exists_as_minus(c.query) if c.component.endswith("SPARQLConstraintComponent") else c.query
        for c in as_foreign
        if isinstance(c, CompiledConstraint)
    ] == [c.query for c in as_own if isinstance(c, CompiledConstraint)]
    for c in sparql:
        Policy().query(readable(c.query), where="shapes/")
