"""pySHACL, the reference semantics: the same shapes and context, run by pySHACL,
so that tests and benchmarks can check that the compiled engine agrees with it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from isgraph.shacl.compiler import SH
from isgraph.shacl.engine import Submission, Validator
from isgraph.store.territories import TERRITORY


def _to_rdflib(term):  # type: ignore[no-untyped-def]
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _graph(triples: Iterable[ox.Triple]):  # type: ignore[no-untyped-def]
    import rdflib

    graph = rdflib.Graph()
    for t in triples:
        graph.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    return graph


def _path(graph, node) -> str:  # type: ignore[no-untyped-def]
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    inverse = graph.value(node, rdflib.URIRef(SH["inversePath"]))
    if inverse is not None:
        return "^" + _path(graph, inverse)
    return "(" + "/".join(_path(graph, step) for step in rdflib.collection.Collection(graph, node)) + ")"


def _nt(term) -> str:  # type: ignore[no-untyped-def]
    import rdflib

    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or "http://www.w3.org/2001/XMLSchema#string"))))
    return f"<{term}>"


def pyshacl_keys(validator: Validator, submissions: Sequence[Submission], shapes: Iterable[ox.Triple]) -> set[tuple[str, ...]]:
    """The results pySHACL gives over the union of the context and the submissions, as comparable keys."""
    import pyshacl
    import rdflib

    named = {
        term.value
        for s in submissions
        for t in s.triples
        for term in (t.subject, t.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(TERRITORY)
    }
    # the territories the cases name and those above them, as the engine takes them
    # (tests/test_territories.py proves it gives the results of the whole reference)
    territories = validator.territories.around(named) if validator.territories is not None else []
    data = _graph([q.triple for q in validator.context] + territories + [t for s in submissions for t in s.triples])
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=_graph(shapes), inference="none", allow_warnings=True)
    sh = rdflib.Namespace(SH)
    keys = set()
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        path = report.value(result, sh.resultPath)
        value = report.value(result, sh.value)
        severity = str(report.value(result, sh.resultSeverity)).rsplit("#", 1)[1]
        keys.add(
            (
                str(report.value(result, sh.focusNode)),
                _path(report, path) if path is not None else "",
                _nt(value) if value is not None else "",
                str(report.value(result, sh.sourceShape)),
                str(report.value(result, sh.sourceConstraintComponent)),
                severity,
            )
        )
    return keys
