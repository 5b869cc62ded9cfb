"""The shapes the compiler cannot translate into SPARQL soundly, validated by pySHACL.

The compiler sets such a shape aside (:class:`~isgraph.shacl.compiler.DelegatedShape`: a
recursive shape, an ill-formed path, a datatype whose lexical forms SPARQL cannot check)
rather than refusing the whole shapes graph. Here pySHACL validates it over the same
triples as the compiled queries, read as they were written (literals are not rewritten,
blank nodes keep their names), with the targets of every other shape taken out of the
shapes graph it is given, so that each shape is checked by one engine only. pySHACL runs
without inference, imports or JavaScript, and a shape that holds a SPARQL constraint is
never handed to it (rdflib would follow a ``SERVICE``): nothing here reaches the network.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import RDF, XSD
from isgraph.shacl.compiler import SH, DelegatedShape, describe_path

#: How a report says who checked a result that pySHACL gave.
PYSHACL = "pySHACL"
_TARGETS = {SH[k] for k in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")}

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Found(NamedTuple):
    """One result pySHACL gave."""

    focus: Term
    path: str | None
    value: Term | None
    shape: str
    component: str
    severity: str
    message: Message


def validate(delegated: Sequence[DelegatedShape], data: Iterable[ox.Triple]) -> list[Found]:
    """The results of the delegated shapes over ``data`` (the whole graph validated)."""
    with _quiet():
        return _validate(delegated, data)


@contextmanager
def _quiet() -> Iterator[None]:
    """rdflib logs a traceback for each ill-typed literal it reads, and pySHACL warns of the
    recursion it backs out of: a report says what matters, and the terminal stays clean."""
    logger = logging.getLogger("rdflib.term")
    disabled = logger.disabled
    logger.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.disabled = disabled


def _validate(delegated: Sequence[DelegatedShape], data: Iterable[ox.Triple]) -> list[Found]:
    import pyshacl
    import rdflib

    graph = rdflib.Graph()
    for triple in data:
        graph.add(_triple(triple))
    found: list[Found] = []
    groups: dict[int, list[DelegatedShape]] = {}
    for shape in delegated:  # the shapes of one shapes graph, validated together
        groups.setdefault(id(shape.graph), []).append(shape)
    for group in groups.values():
        shapes_graph = rdflib.Graph()
        for triple in _for_pyshacl(group):
            shapes_graph.add(_triple(triple))
        try:
            _conforms, report, _text = pyshacl.validate(
                graph,
                shacl_graph=shapes_graph,
                inference="none",
                advanced=False,
                js=False,
                do_owl_imports=False,
                allow_warnings=True,
                allow_infos=True,
            )
        except Exception as exc:  # pySHACL's errors have no common base: each is reported as the shape's
            raise InputError(
                Message(f"pySHACL n'a pas pu valider : {exc}", f"pySHACL could not validate: {exc}"), path=group[0].where
            ) from None
        found += _results(report, group)
    return found


def _for_pyshacl(group: list[DelegatedShape]) -> Iterable[ox.Triple]:
    """The shapes graph with the targets of the shapes compiled to SPARQL taken out (and their
    class types: a shape that is a class targets its instances)."""
    compiled = group[0].compiled
    for t in group[0].graph:
        if t.subject in compiled and (
            t.predicate.value in _TARGETS
            or (t.predicate.value == RDF["type"] and not (isinstance(t.object, ox.NamedNode) and t.object.value.startswith(SH)))
        ):
            continue
        yield t


def _triple(t: ox.Triple) -> tuple[Any, Any, Any]:
    return (_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object))


def _to_rdflib(term: object) -> Any:
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language, normalize=False)
        if term.datatype.value == XSD["string"]:
            return rdflib.Literal(term.value, normalize=False)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)
    raise InputError(
        Message(
            "un triplet cité (RDF-star) ne peut pas être validé par pySHACL",
            "a quoted triple (RDF-star) cannot be validated by pySHACL",
        )
    )


def _to_ox(term: Any) -> Term:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD["string"])))


def _results(report: Any, group: list[DelegatedShape]) -> list[Found]:
    import rdflib

    sh = rdflib.Namespace(SH)

    def one(node: Any, predicate: str) -> Any:
        value = report.value(
            _to_rdflib(node) if isinstance(node, ox.NamedNode | ox.BlankNode) else node, rdflib.URIRef(predicate)
        )
        return None if value is None else _to_ox(value)

    found = []
    # the results of the report, not the details pySHACL adds under them (sh:detail)
    results = [r for root in report.subjects(rdflib.RDF.type, sh.ValidationReport) for r in report.objects(root, sh.result)]
    for result in results:
        shape = _to_ox(report.value(result, sh.sourceShape))
        assert isinstance(shape, ox.NamedNode | ox.BlankNode)
        path = report.value(result, sh.resultPath)
        value = report.value(result, sh.value)
        severity = str(report.value(result, sh.resultSeverity))
        owner = next((d for d in group if shape == d.node), group[0])
        found.append(
            Found(
                _to_ox(report.value(result, sh.focusNode)),
                None if path is None else describe_path(one, _to_ox(path)),
                None if value is None else _to_ox(value),
                shape.value,
                str(report.value(result, sh.sourceConstraintComponent)),
                severity[len(SH) :] if severity in (SH["Violation"], SH["Warning"], SH["Info"]) else severity,
                owner.message(shape),
            )
        )
    return found
