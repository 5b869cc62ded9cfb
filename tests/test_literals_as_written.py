"""Issue 20: datatype checks see literals as they were written. pyoxigraph's store keeps
"5"^^xsd:int as "5"^^xsd:integer (and "300"^^xsd:byte as "300"^^xsd:integer), which
gave a false violation of sh:datatype xsd:int; the validator now records the datatype
each literal of a derived integer type was written with, and the check reads it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.shacl.compiler import DelegatedShape, compile_shapes
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


def test_on_a_longer_path_such_a_datatype_is_checked_by_pyshacl() -> None:
    shapes = SHAPES.replace("sh:path ex:count", "sh:path ( ex:a ex:count )")
    compiled = compile_shapes([q.triple for q in ox.parse(shapes.encode(), format=ox.RdfFormat.TURTLE)], foreign=True)
    (delegated,) = [c for c in compiled if isinstance(c, DelegatedShape)]
    assert delegated.reason.en == (
        "sh:datatype http://www.w3.org/2001/XMLSchema#int: only on a property shape whose path is one predicate"
    )
    data = DATA + 'ex:good ex:a ex:x . ex:x ex:count "5"^^xsd:int , "5"^^xsd:integer .'
    report = Validator(context=[], constraints=compiled).validate(
        [Submission("d.ttl", tuple(q.triple for q in ox.parse(data.encode(), format=ox.RdfFormat.TURTLE)))]
    )
    # the shape is checked whole by pySHACL (ex:small too), on literals as written
    assert sorted((r.focus, r.value, r.by) for r in report.results) == [
        ("http://example.org/good", '"5"^^<http://www.w3.org/2001/XMLSchema#integer>', "pySHACL"),
        ("http://example.org/large", '"300"^^<http://www.w3.org/2001/XMLSchema#byte>', "pySHACL"),
        ("http://example.org/word", '"c"^^<http://www.w3.org/2001/XMLSchema#byte>', "pySHACL"),
    ]


#: For each XSD type whose lexical forms SPARQL can check (by casting, or by the regular
#: expression XSD 1.1 gives): well-formed literals, then ill-formed ones.
LEXICAL_FORMS = {
    "gYear": (["2020", "-0001", "2020Z", "20200"], ["twenty", "20", "2020-01"]),
    "gYearMonth": (["2020-01"], ["2020-13"]),
    "gMonth": (["--12"], ["--13"]),
    "gDay": (["---31"], ["---32"]),
    "gMonthDay": (["--02-29", "--12-31", "--04-30Z"], ["--02-30", "--04-31", "--13-01"]),
    "time": (["12:00:00", "24:00:00"], ["25:00:00"]),
    "duration": (["P1Y", "-P1DT2H"], ["P", "PT"]),
    "dayTimeDuration": (["P1D"], ["P1Y"]),
    "yearMonthDuration": (["P1Y"], ["P1D"]),
    "hexBinary": (["0F", "", "abCD"], ["0", "GG"]),
    "base64Binary": (["AA==", "QUJD", ""], ["!", "A"]),
    "language": (["fr", "en-GB"], ["français", "-fr"]),
    "token": (["a b", ""], [" a", "a  b", "a\\tb"]),
    "normalizedString": (["a  b"], ["a\\nb"]),
    "anyURI": (["x y", "http://example.org/"], []),
}


@pytest.mark.parametrize("datatype", sorted(LEXICAL_FORMS))
def test_ill_formed_literals_of_every_checkable_xsd_type_are_found(datatype: str) -> None:
    good, bad = LEXICAL_FORMS[datatype]
    shapes = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . "
        "@prefix ex: <http://example.org/> .\n"
        f"ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:{datatype} ] ."
    )
    data = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <http://example.org/> .\n" + "".join(
        f'ex:n{i} ex:p "{value}"^^xsd:{datatype} .\n' for i, value in enumerate(good + bad)
    )
    validator = Validator(
        context=[],
        constraints=compile_shapes([q.triple for q in ox.parse(shapes.encode(), format=ox.RdfFormat.TURTLE)], foreign=True),
    )
    report = validator.validate(
        [Submission("data.ttl", tuple(q.triple for q in ox.parse(data.encode(), format=ox.RdfFormat.TURTLE)))]
    )
    flagged = sorted(int(r.focus.rsplit("/n", 1)[1]) for r in report.results)
    assert flagged == list(range(len(good), len(good) + len(bad)))
    assert not validator.delegated  # checked by the compiled queries
