"""Validating case descriptions against the SHACL shapes.

The engine runs the shapes compiled to SPARQL (:mod:`isgraph.shacl`) over an
in-memory pyoxigraph store that holds the reference context (ontology, grid,
vocabularies, territories) and the submissions. Several submissions are
validated together, as one graph, in one pass: the same semantics as pySHACL
over their union. ``validate`` never writes to the store of the knowledge graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .layout import collect_data, collect_ontology
from .messages import Message
from .namespaces import ISG, RDF
from .shacl import CompiledConstraint, compile_shapes, load_shapes_triples

SEVERITIES = ("Violation", "Warning", "Info")
_CONTEXT = ox.NamedNode("urn:isgraph:validation:context")


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

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (warnings and infos do not block acceptance)."""
        return not any(r.severity == "Violation" for r in self.results)

    def at_least(self, severity: str) -> ValidationReport:
        """Only the results of ``severity`` or worse."""
        keep = SEVERITIES[: SEVERITIES.index(severity) + 1]
        return ValidationReport(tuple(r for r in self.results if r.severity in keep), self.inputs, self.cases)


@dataclass(frozen=True)
class Submission:
    """Triples to validate, where they came from, and how to find a node's line."""

    name: str
    triples: tuple[ox.Triple, ...]
    locate: Callable[[str], int | None] = lambda iri: None


@lru_cache(maxsize=4)
def _compiled(shapes_dir: Path) -> tuple[CompiledConstraint, ...]:
    return tuple(compile_shapes(load_shapes_triples(shapes_dir)))


@lru_cache(maxsize=4)
def _context(ontology_dir: Path, data_dir: Path) -> tuple[ox.Quad, ...]:
    sources = collect_ontology(ontology_dir) + [s for s in collect_data(data_dir) if s.kind == "territories"]
    return tuple(ox.Quad(t.subject, t.predicate, t.object, _CONTEXT) for s in sources for t in s.triples)


class Validator:
    """The shapes, compiled once, and the reference context they need."""

    def __init__(self, *, shapes: Path | None = None, ontology: Path | None = None, data: Path | None = None) -> None:
        self.constraints = _compiled((shapes or resources.resource_dir("shapes")).resolve())
        self.context = _context((ontology or resources.ontology_dir()).resolve(),
                                (data or resources.data_dir()).resolve())

    def validate(self, submissions: Sequence[Submission]) -> ValidationReport:
        store = ox.Store()
        store.extend(self.context)
        graphs = [ox.NamedNode(f"urn:isgraph:validation:submission:{i}") for i in range(len(submissions))]
        for graph, submission in zip(graphs, submissions):
            store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in submission.triples)
        return self._run(store, [_CONTEXT, *graphs], submissions)

    def _run(self, store: ox.Store, dataset: list[ox.NamedNode], submissions: Sequence[Submission]) -> ValidationReport:
        owner = _owners(submissions)
        cases = _cases(submissions)
        elements = {r["a"].value: r["e"].value for r in store.query(
            f"SELECT ?a ?e WHERE {{ ?a <{ISG['element']}> ?e }}", default_graph=dataset)}
        results = []
        for constraint in self.constraints:
            solutions = store.query(constraint.query, default_graph=dataset)
            names = [v.value for v in solutions.variables]
            for row in solutions:
                values = {n: row[n] for n in names if row[n] is not None}
                focus = values["this"]
                value = values.get("value")
                message = _substitute(constraint.messages, values) if constraint.substitute else constraint.messages
                index = owner.get(focus.value)
                source = None
                if index is not None:
                    submission = submissions[index]
                    source = SourceLocation(submission.name, submission.locate(focus.value))
                results.append(ValidationResult(
                    constraint.severity, focus.value if isinstance(focus, ox.NamedNode) else str(focus),
                    constraint.path, str(value) if value is not None else None, constraint.shape,
                    constraint.component, message, constraint.element or elements.get(focus.value), source,
                    cases.get(index) if index is not None else None))
        results.sort(key=lambda r: (r.source.file if r.source else "", SEVERITIES.index(r.severity),
                                    r.focus, r.shape, r.component, r.value or ""))
        return ValidationReport(tuple(results), tuple(s.name for s in submissions),
                                {s.name: cases[i] for i, s in enumerate(submissions) if i in cases})


def _owners(submissions: Sequence[Submission]) -> dict[str, int]:
    """For each subject, the first submission that describes it."""
    owner: dict[str, int] = {}
    for index, submission in enumerate(submissions):
        for t in submission.triples:
            if isinstance(t.subject, ox.NamedNode):
                owner.setdefault(t.subject.value, index)
    return owner


def _cases(submissions: Sequence[Submission]) -> dict[int, str]:
    rdf_type, initiative = ox.NamedNode(RDF["type"]), ox.NamedNode(ISG["Initiative"])
    found: dict[int, str] = {}
    for index, submission in enumerate(submissions):
        for t in submission.triples:
            if t.predicate == rdf_type and t.object == initiative and isinstance(t.subject, ox.NamedNode):
                found.setdefault(index, t.subject.value)
    return found


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _substitute(messages: Message, values: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]) -> Message:
    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)].value if m.group(1) in values else m.group(0), text)

    return Message(fill(messages.fr), fill(messages.en))
