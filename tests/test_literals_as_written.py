"""Issue 20: datatype checks see literals as they were written. pyoxigraph's store keeps
"5"^^xsd:int as "5"^^xsd:integer (and "300"^^xsd:byte as "300"^^xsd:integer), which
gave a false violation of sh:datatype xsd:int; the validator now records the datatype
each literal of a derived integer type was written with, and the check reads it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.errors import InputError
from isgraph.shacl.compiler import compile_shapes
from isgraph.shacl.engine import Bundle, Submission, Validator

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:count ; sh:datatype xsd:int ] ;
  sh:property [ sh:path ex:small ; sh:datatype xsd:byte ] .
"""
DATA = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <http://example.org/> .
ex:good a ex:C ; ex:count "5"^^xsd:int ; ex:small "-7"^^xsd:byte .
ex:integer a ex:C ; ex:count "5"^^xsd:integer .
ex:large a ex:C ; ex:small "300"^^xsd:byte .
ex:word a ex:C ; ex:small "c"^^xsd:byte .
[] a ex:C ; ex:count "6"^^xsd:int .
"""


def validator() -> Validator:
    shapes = [q.triple for q in ox.parse(SHAPES.encode(), format=ox.RdfFormat.TURTLE)]
    return Validator(context=[], constraints=compile_shapes(shapes, foreign=True))


def values(report: object) -> list[tuple[str, str | None]]:
    return sorted((r.focus, r.value) for r in report.results)  # type: ignore[attr-defined]


#: the values as written, not as the store keeps them
EXPECTED = [
    ("http://example.org/integer", '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ("http://example.org/large", '"300"^^<http://www.w3.org/2001/XMLSchema#byte>'),
    ("http://example.org/word", '"c"^^<http://www.w3.org/2001/XMLSchema#byte>'),
]


def test_a_literal_is_checked_with_the_datatype_it_was_written_with() -> None:
    data = tuple(q.triple for q in ox.parse(DATA.encode(), format=ox.RdfFormat.TURTLE))
    assert values(validator().validate([Submission("data.ttl", data)])) == EXPECTED


def test_in_a_bundle_too(tmp_path: Path) -> None:
    bundle = tmp_path / "cases.nq"
    quads = ox.parse(DATA.encode(), format=ox.RdfFormat.TURTLE)
    bundle.write_bytes(
        ox.serialize(
            [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:g")) for q in quads], format=ox.RdfFormat.N_QUADS
        )
    )
    assert values(validator().validate([Bundle(bundle, "cases.nq")])) == EXPECTED


def test_a_decimal_is_reported_as_written() -> None:
    """ "4.0"^^xsd:decimal came back from the store as "4"."""
    shapes = SHAPES.replace("sh:path ex:count ; sh:datatype xsd:int", "sh:path ex:count ; sh:maxInclusive 3")
    validator = Validator(
        context=[],
        constraints=compile_shapes([q.triple for q in ox.parse(shapes.encode(), format=ox.RdfFormat.TURTLE)], foreign=True),
    )
    data = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <http://example.org/> .
ex:a a ex:C ; ex:count "4.0"^^xsd:decimal ."""
    report = validator.validate(
        [Submission("d.ttl", tuple(q.triple for q in ox.parse(data.encode(), format=ox.RdfFormat.TURTLE)))]
    )
    assert values(report) == [("http://example.org/a", '"4.0"^^<http://www.w3.org/2001/XMLSchema#decimal>')]


def test_on_a_longer_path_such_a_datatype_is_refused() -> None:
    shapes = SHAPES.replace("sh:path ex:count", "sh:path ( ex:a ex:count )")
    with pytest.raises(InputError) as caught:
        compile_shapes([q.triple for q in ox.parse(shapes.encode(), format=ox.RdfFormat.TURTLE)], foreign=True)
    assert caught.value.message.en.endswith(
        "sh:datatype http://www.w3.org/2001/XMLSchema#int: only on a property shape whose path is one predicate"
    )
