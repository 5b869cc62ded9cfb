"""Validating case descriptions against the SHACL shapes.

The engine runs the shapes compiled to SPARQL (:mod:`isgraph.shacl`) over an
in-memory pyoxigraph store that holds the reference context (ontology, grid,
vocabularies, territories) and the submissions. Several submissions are
validated together, as one graph, in one pass: the same semantics as pySHACL
over their union. ``validate`` never writes to the store of the knowledge graph.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .errors import InputError
from .layout import collect_data, collect_ontology
from .messages import Message
from .namespaces import ISG
from .shacl import CompiledConstraint, compile_shapes, load_shapes_triples

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class SourceLocation:
    file: str
    line: int | None = None


@dataclass(frozen=True)
class ValidationResult:
    """One validation result, with everything a steward needs to act on it."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    shape: str
    component: str
    message: Message
    element: str | None = None
    source: SourceLocation | None = None
    case: str | None = None

    def key(self) -> tuple[str, str, str, str, str, str]:
        """What two engines must agree on."""
        return (self.focus, self.path or "", self.value or "", self.shape, self.component, self.severity)


@dataclass(frozen=True)
class ValidationReport:
    results: tuple[ValidationResult, ...]
    inputs: tuple[str, ...] = ()
    cases: dict[str, str] = field(default_factory=dict)
    labels: dict[str, Message] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (warnings and infos do not block acceptance)."""
        return not any(r.severity == "Violation" for r in self.results)

    def at_least(self, severity: str) -> ValidationReport:
        """Only the results of ``severity`` or worse."""
        keep = SEVERITIES[: SEVERITIES.index(severity) + 1]
        return ValidationReport(tuple(r for r in self.results if r.severity in keep), self.inputs, self.cases,
                                self.labels)


@dataclass(frozen=True)
class Submission:
    """Triples to validate, where they came from, and how to find a node's line."""

    name: str
    triples: tuple[ox.Triple, ...]
    locate: Callable[[str], int | None] = lambda iri: None


@dataclass(frozen=True)
class Bundle:
    """An N-Quads or TriG file of many cases, one per named graph, loaded as it is."""

    path: Path
    name: str

    @property
    def format(self) -> ox.RdfFormat:
        return ox.RdfFormat.TRIG if self.path.suffix.lower() == ".trig" else ox.RdfFormat.N_QUADS


@lru_cache(maxsize=4)
def _compiled(shapes_dir: Path) -> tuple[CompiledConstraint, ...]:
    return tuple(compile_shapes(load_shapes_triples(shapes_dir)))


@lru_cache(maxsize=4)
def _context(ontology_dir: Path, data_dir: Path) -> tuple[ox.Quad, ...]:
    sources = collect_ontology(ontology_dir) + [s for s in collect_data(data_dir) if s.kind == "territories"]
    return tuple(ox.Quad(t.subject, t.predicate, t.object) for s in sources for t in s.triples)


Where = tuple[str, Callable[[str], int | None]]
_NOWHERE: Callable[[str], int | None] = lambda iri: None  # noqa: E731
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INITIATIVE = ox.NamedNode(ISG["Initiative"])
#: Above this many triples, the queries run in two forked processes (two cores).
PARALLEL_ABOVE = 200_000


class Validator:
    """The shapes, compiled once, and the reference context they need."""

    def __init__(self, *, shapes: Path | None = None, ontology: Path | None = None, data: Path | None = None,
                 context: Sequence[ox.Triple] | None = None) -> None:
        """``context`` gives the reference triples directly (a caller that has already read
        them); otherwise they are read from the ontology and the data's territories."""
        self.constraints = _compiled((shapes or resources.resource_dir("shapes")).resolve())
        if context is not None:
            self.context = tuple(ox.Quad(t.subject, t.predicate, t.object) for t in context)
        else:
            self.context = _context((ontology or resources.ontology_dir()).resolve(),
                                    (data or resources.data_dir()).resolve())

    def validate(self, inputs: Sequence[Submission | Bundle]) -> ValidationReport:
        """Validate the inputs together: the context and all of them form one graph (the
        union, duplicates merged), and each result is attributed to the first input
        that describes its focus node."""
        store = ox.Store()
        store.bulk_extend(self.context)
        owner: dict[str, Where] = {}
        cases: dict[str, str] = {}
        for item in inputs:
            if isinstance(item, Bundle):
                store.bulk_extend(_bundle_triples(item, owner, cases))
                continue
            where = (item.name, item.locate)
            for t in item.triples:
                if isinstance(t.subject, ox.NamedNode):
                    owner.setdefault(t.subject.value, where)
                if t.predicate == _RDF_TYPE and t.object == _INITIATIVE:
                    cases.setdefault(item.name, t.subject.value)
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in item.triples)
        return self._run(store, owner, cases, tuple(i.name for i in inputs))

    def _queries(self, store: ox.Store) -> list[str]:
        classes = sorted({c for constraint in self.constraints for c in constraint.classes()})
        subclasses = {c: [r["s"].value for r in store.query(
            f"SELECT DISTINCT ?s WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{c}> }}")]
            for c in classes}
        return [c.render(subclasses) for c in self.constraints]

    def _run(self, store: ox.Store, owner: dict[str, Where], cases: dict[str, str],
             inputs: tuple[str, ...]) -> ValidationReport:
        queries = self._queries(store)
        if len(store) > PARALLEL_ABOVE and "fork" in multiprocessing.get_all_start_methods():
            rows = _in_two_processes(store, queries)
        else:
            rows = [_solutions(store, q) for q in queries]
        focus_nodes = {r["this"].value for found in rows for r in found}
        elements = _elements(store, focus_nodes)
        results = []
        for constraint, found in zip(self.constraints, rows, strict=True):
            for values in found:
                focus = values["this"]
                value = values.get("value")
                message = _substitute(constraint.messages, values) if constraint.substitute else constraint.messages
                where = owner.get(focus.value)
                source = SourceLocation(where[0], where[1](focus.value)) if where else None
                results.append(ValidationResult(
                    constraint.severity, focus.value if focus.kind == "iri" else f"_:{focus.value}",
                    constraint.path, value.text if value is not None else None, constraint.shape,
                    constraint.component, message, constraint.element or elements.get(focus.value), source,
                    cases.get(source.file) if source else None))
        results.sort(key=lambda r: (r.source.file if r.source else "", SEVERITIES.index(r.severity),
                                    r.focus, r.shape, r.component, r.value or ""))
        return ValidationReport(tuple(results), inputs, cases,
                                _labels(store, {r.element for r in results if r.element} | set(cases.values())))


@dataclass(frozen=True)
class Term:
    """A term of a query solution, kept as text so that it can cross processes."""

    kind: str
    value: str
    text: str


def _solutions(store: ox.Store, query: str) -> list[dict[str, Term]]:
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]
    unique: dict[tuple[str, str], dict[str, Term]] = {}
    for row in solutions:
        values = {n: Term("iri" if isinstance(row[n], ox.NamedNode) else "other", row[n].value, str(row[n]))
                  for n in names if row[n] is not None}
        # a focus node can match two targets: keep each (focus, value) once
        unique.setdefault((values["this"].text, values["value"].text if "value" in values else ""), values)
    return list(unique.values())


_FORKED: tuple[ox.Store, list[str]] | None = None


def _forked_query(index: int) -> list[dict[str, Term]]:
    assert _FORKED is not None
    store, queries = _FORKED
    return _solutions(store, queries[index])


def _in_two_processes(store: ox.Store, queries: list[str]) -> list[list[dict[str, Term]]]:
    """Run the queries in two forked processes that share the loaded store (copy on write)."""
    global _FORKED
    _FORKED = (store, queries)
    try:
        with multiprocessing.get_context("fork").Pool(2) as pool:
            return pool.map(_forked_query, range(len(queries)), chunksize=1)
    finally:
        _FORKED = None


def _bundle_triples(bundle: Bundle, owner: dict[str, Where], cases: dict[str, str]) -> Iterator[ox.Quad]:
    """The triples of a bundle for the default graph, noting which graph describes each subject."""
    names: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, Where] = {}
    try:
        for quad in ox.parse(path=str(bundle.path), format=bundle.format):
            graph = quad.graph_name
            where = names.get(graph)
            if where is None:
                label = f"{bundle.name}#{graph.value}" if isinstance(graph, ox.NamedNode) else bundle.name
                where = names[graph] = (label, _NOWHERE)
            subject = quad.subject
            if isinstance(subject, ox.NamedNode):
                owner.setdefault(subject.value, where)
            if quad.object == _INITIATIVE and quad.predicate == _RDF_TYPE:
                cases.setdefault(where[0], subject.value)
            yield ox.Quad(subject, quad.predicate, quad.object)
    except SyntaxError as exc:
        raise InputError(Message(f"erreur de syntaxe : {exc.msg}", f"syntax error: {exc.msg}"),
                         path=bundle.name, line=exc.lineno, column=exc.offset) from None


def _values(nodes: Sequence[str]) -> Iterator[str]:
    for start in range(0, len(nodes), 2000):
        yield " ".join(f"<{n}>" for n in nodes[start:start + 2000])


def _elements(store: ox.Store, nodes: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for values in _values(sorted(nodes)):
        for row in store.query(f"SELECT ?a ?e WHERE {{ VALUES ?a {{ {values} }} ?a <{ISG['element']}> ?e }}"):
            found[row["a"].value] = row["e"].value
    return found


def _labels(store: ox.Store, iris: set[str]) -> dict[str, Message]:
    """French and English labels (skos:prefLabel or rdfs:label) of the elements and cases reported."""
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    found: dict[str, dict[str, str]] = {}
    for row in store.query(f"""
            SELECT ?x ?label WHERE {{ VALUES ?x {{ {values} }}
                ?x <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2000/01/rdf-schema#label> ?label }}"""):
        found.setdefault(row["x"].value, {}).setdefault(row["label"].language or "", row["label"].value)
    return {iri: Message(texts.get("fr") or texts.get("en") or next(iter(texts.values())),
                         texts.get("en") or texts.get("fr") or next(iter(texts.values())))
            for iri, texts in found.items()}


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _substitute(messages: Message, values: dict[str, Term]) -> Message:
    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)].value if m.group(1) in values else m.group(0), text)

    return Message(fill(messages.fr), fill(messages.en))
