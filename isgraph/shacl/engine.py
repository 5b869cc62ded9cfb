"""Validating case descriptions against the SHACL shapes.

The engine runs the shapes compiled to SPARQL (:mod:`isgraph.shacl.compiler`) over an
in-memory pyoxigraph store that holds the reference context (ontology, grid,
vocabularies, territories) and the submissions, each in graphs of its own, and
queries their union on two threads. Several submissions are validated together, as
one graph, in one pass: the same semantics as pySHACL over their union. ``validate``
never writes to the store of the knowledge graph.
"""

from __future__ import annotations

import decimal
import gc
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from isgraph import resources
from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import ISG, RDFS, XSD
from isgraph.rdf.layout import collect_ontology
from isgraph.rdf.parsing import Locator, nowhere
from isgraph.shacl import fallback
from isgraph.shacl.compiler import (
    AS_WRITTEN,
    AS_WRITTEN_DATATYPE,
    AS_WRITTEN_OBJECT,
    AS_WRITTEN_PREDICATE,
    AS_WRITTEN_SUBJECT,
    INTEGER_TYPES,
    Compiled,
    CompiledConstraint,
    DelegatedShape,
    compile_foreign,
    compile_shapes,
    load_shapes_triples,
)
from isgraph.store import labels, scratch, scratch_dataset, solutions
from isgraph.store.territories import TERRITORY, TerritoryReference
from isgraph.store.territories import shipped as shipped_territories

SEVERITIES = ("Violation", "Warning", "Info")


def severity_rank(severity: str) -> int:
    """Where a severity stands: Violation 0, Warning 1, Info 2; a shape's own severity (an
    IRI, which SHACL allows and does not rank) after them all, 3."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


#: The policies a steward chooses from: block on violations (the default), on warnings too, or on any result.
FAIL_ON = ("violation", "warning", "info")


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
    #: the other inputs that describe the focus node too (a shared actor described by two cases)
    also: tuple[str, ...] = ()
    #: who checked it when not isgraph's compiled queries: "pySHACL" (:mod:`isgraph.shacl.fallback`)
    by: str | None = None

    def key(self) -> tuple[str, str, str, str, str, str]:
        """What two engines must agree on."""
        return (self.focus, self.path or "", self.value or "", self.shape, self.component, self.severity)


@dataclass(frozen=True)
class ValidationReport:
    results: tuple[ValidationResult, ...]
    inputs: tuple[str, ...] = ()
    cases: dict[str, str] = field(default_factory=dict)
    labels: dict[str, Message] = field(default_factory=dict)
    #: the inputs that could not be read, each problem with its file, line and field
    errors: tuple[InputError, ...] = ()
    #: the shapes validated by pySHACL, each with the reason it could not be compiled
    delegated: tuple[tuple[str, Message], ...] = ()

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (warnings and infos do not block acceptance)."""
        return not any(r.severity == "Violation" for r in self.results)

    def fails(self, fail_on: str = "violation") -> bool:
        """Whether a result reaches the severity a steward's policy blocks on: ``violation``
        (the default), ``warning`` or ``info`` (see :data:`FAIL_ON`)."""
        return bool(self.at_least(fail_on.capitalize()).results)

    def at_least(self, severity: str) -> ValidationReport:
        """Only the results of ``severity`` or worse (at Info, all of them, a shape's own
        severities included)."""
        limit = severity_rank(severity) if severity != "Info" else len(SEVERITIES)
        return ValidationReport(
            tuple(r for r in self.results if severity_rank(r.severity) <= limit),
            self.inputs,
            self.cases,
            self.labels,
            self.errors,
            self.delegated,
        )


@dataclass(frozen=True)
class Submission:
    """Triples to validate, where they came from, and how to find a node's line."""

    name: str
    triples: tuple[ox.Triple, ...]
    locate: Locator = nowhere


@dataclass(frozen=True)
class Bundle:
    """An N-Quads or TriG file of many cases, one per named graph, loaded as it is."""

    path: Path
    name: str

    @property
    def format(self) -> ox.RdfFormat:
        return ox.RdfFormat.TRIG if self.path.suffix.lower() == ".trig" else ox.RdfFormat.N_QUADS


@lru_cache(maxsize=4)
def _compiled(shapes_dir: Path) -> tuple[Compiled, ...]:
    return tuple(compile_shapes(load_shapes_triples(shapes_dir)))


@lru_cache(maxsize=4)
def _context(ontology_dir: Path) -> tuple[ox.Quad, ...]:
    return tuple(ox.Quad(t.subject, t.predicate, t.object) for s in collect_ontology(ontology_dir) for t in s.triples)


Where = tuple[str, Locator]
_NOWHERE: Locator = nowhere
#: The named graph of the i-th input (a submission, or a bundle's default graph); only
#: inside the validator's own store.
_INPUT_GRAPH = "urn:isgraph:validation:input:"
#: Above about this many triples, the queries run on two threads (below, starting them costs
#: more than it saves).
PARALLEL_ABOVE = 20_000

#: the thread that decides, while the inputs load, where the targets of each query go
_ASIDE = ThreadPoolExecutor(1, thread_name_prefix="isgraph-placement")


def _size(inputs: Sequence[Submission | Bundle]) -> int:
    """About how many triples the inputs hold (a bundle's, from the size of its file)."""
    return sum(item.path.stat().st_size // 100 if isinstance(item, Bundle) else len(item.triples) for item in inputs)


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INITIATIVE = ox.NamedNode(ISG["Initiative"])
_ELEMENT = ox.NamedNode(ISG["element"])


class Validator:
    """The shapes, compiled once, and the reference context they need."""

    def __init__(
        self,
        *,
        shapes: Path | None = None,
        ontology: Path | None = None,
        data: Path | None = None,
        context: Sequence[ox.Triple] | None = None,
        constraints: Sequence[Compiled] | None = None,
        foreign: Sequence[Path] = (),
        territories: TerritoryReference | None = None,
    ) -> None:
        """``context`` gives the reference triples directly (a caller that has already read
        them); otherwise they are read from the ontology. ``territories`` is the territory
        reference (by default, without ``context``, the territories of ``data``): each
        validation takes from it the territories its inputs name, and those above them.
        ``constraints`` gives shapes already compiled instead of a folder; ``foreign`` adds
        the shapes of other files to isgraph's (:func:`compile_foreign`)."""
        own = tuple(constraints) if constraints is not None else _compiled((shapes or resources.resource_dir("shapes")).resolve())
        every = own + tuple(compile_foreign(foreign))
        self.constraints = tuple(c for c in every if isinstance(c, CompiledConstraint))
        #: the shapes the compiler set aside, validated by pySHACL
        self.delegated = tuple(c for c in every if isinstance(c, DelegatedShape))
        #: whether a constraint reads the datatypes literals were written with (:func:`_record_as_written`)
        self.reads_as_written = any(AS_WRITTEN in constraint.query for constraint in self.constraints)
        if context is not None:
            self.context = tuple(ox.Quad(t.subject, t.predicate, t.object) for t in context)
            self.territories = territories
        else:
            self.context = _context((ontology or resources.ontology_dir()).resolve())
            self.territories = territories or shipped_territories((data or resources.data_dir()).resolve())
        self._placed: frozenset[int] | None = None

    def validate(self, inputs: Sequence[Submission | Bundle]) -> ValidationReport:
        """Validate the inputs together: the context and all of them form one graph (the
        union, duplicates merged), and each result is attributed to the first input
        that describes its focus node.

        Each input is kept in named graphs of its own (a bundle's graphs as they are,
        parsed and loaded by the store without a round trip through Python), and the
        queries read the union of all graphs."""
        with cycle_collector_paused():
            return self._validate(inputs)

    def _validate(self, inputs: Sequence[Submission | Bundle]) -> ValidationReport:
        store = scratch_dataset()
        try:
            return self._validate_in(store, inputs)
        finally:
            scratch.done_with(store)

    def targets_last(self) -> frozenset[int]:
        """The constraints (by position) whose query runs with its targets after the body
        (:mod:`isgraph.shacl.placement`), decided once."""
        if self._placed is None:
            self._placed = frozenset(i for i, c in enumerate(self.constraints) if c.targets_last_is_sound())
        return self._placed

    def _validate_in(self, store: ox.Store, inputs: Sequence[Submission | Bundle]) -> ValidationReport:
        large = _size(inputs) > PARALLEL_ABOVE
        # which queries take their targets last: read by the SPARQL parser (which builds its
        # lexers first, a third of a second) on another thread while the inputs load, and
        # only for a large validation, where it saves more than that
        placing = _ASIDE.submit(self.targets_last) if large else None
        store.bulk_extend(self.context)
        origins: dict[ox.NamedNode, tuple[int, Where]] = {}
        submissions: list[tuple[ox.NamedNode, Submission]] = []
        as_written = self.reads_as_written
        in_python = as_written or bool(self.delegated)
        recorded: list[ox.Triple] = []
        for index, item in enumerate(inputs):
            own = ox.NamedNode(f"{_INPUT_GRAPH}{index}")
            if isinstance(item, Bundle):
                before = set(store.named_graphs())
                if in_python:  # read in Python, so that its blank nodes are the store's
                    quads = _parsed_bundle(item, own)
                    store.bulk_extend(quads)
                    recorded += (q.triple for q in quads)
                else:
                    _load_bundle(store, item, own)
                for graph in set(store.named_graphs()) - before:
                    if not isinstance(graph, ox.NamedNode):
                        continue
                    label = item.name if graph == own else f"{item.name}#{graph.value}"
                    origins[graph] = (index, (label, _NOWHERE))
            else:
                submissions.append((own, item))
                origins[own] = (index, (item.name, item.locate))
        # all the submissions in one load (one call per submission costs twice as much)
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, own) for own, item in submissions for t in item.triples)
        if as_written:
            _record_as_written(store, [*recorded, *(t for _own, item in submissions for t in item.triples)])
        territories = self.territories.around(_territories_named(store)) if self.territories is not None else []
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in territories)
        written = AsWritten(lambda: itertools.chain(recorded, (t for _own, item in submissions for t in item.triples)))
        delegated = (
            fallback.validate(
                self.delegated,
                itertools.chain(
                    (q.triple for q in self.context),
                    territories,
                    recorded,
                    (t for _own, item in submissions for t in item.triples),
                ),
            )
            if self.delegated
            else []
        )
        return self._run(
            store,
            origins,
            tuple(i.name for i in inputs),
            parallel=large,
            written=written,
            delegated=delegated,
            targets_last=placing.result() if placing is not None else frozenset(),
        )

    def _queries(self, store: ox.Store, targets_last: frozenset[int] = frozenset()) -> list[str]:
        """The query of each constraint (several constraints may share one)."""
        classes = sorted({c for constraint in self.constraints for c in constraint.classes()})
        subclasses = {
            c: [
                r["s"].value
                for r in solutions(
                    store.query(
                        f"SELECT DISTINCT ?s WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{c}> }}",
                        use_default_graph_as_union=True,
                    )
                )
            ]
            for c in classes
        }
        return [c.render(subclasses, targets_last=i in targets_last) for i, c in enumerate(self.constraints)]

    def _run(
        self,
        store: ox.Store,
        origins: dict[ox.NamedNode, tuple[int, Where]],
        inputs: tuple[str, ...],
        *,
        parallel: bool,
        written: AsWritten | None = None,
        delegated: Sequence[fallback.Found] = (),
        targets_last: frozenset[int] = frozenset(),
    ) -> ValidationReport:
        queries = self._queries(store, targets_last)
        distinct = list(dict.fromkeys(queries))
        owner: dict[Term, Where] = {}
        elements: dict[str, str] = {}
        others: dict[Term, tuple[str, ...]] = {}
        seen: set[Term] = set()

        def find_inputs(nodes: set[Term]) -> None:
            """The inputs that describe the focus nodes not seen yet (and their elements)."""
            new = nodes - seen
            seen.update(new)
            found = _owners_and_elements(store, new, origins)
            owner.update(found[0])
            elements.update(found[1])
            others.update(found[2])

        if parallel:  # each answer's focus nodes looked up while the other queries run
            answers = {}
            for query, solutions in _in_two_threads(store, distinct):
                answers[query] = solutions
                find_inputs({r["this"] for r in solutions})
        else:
            answers = {query: _solutions(store, query) for query in distinct}
        rows = [
            [r for r in answers[query] if constraint.selector is None or r["_c"].value == constraint.selector]
            for constraint, query in zip(self.constraints, queries, strict=True)
        ]
        checked = [_term(f.focus) for f in delegated]
        find_inputs({r["this"] for found in rows for r in found} | set(checked))
        cases = _cases(store, origins)
        results = []

        def result(
            constraint: CompiledConstraint | fallback.Found,
            focus: Term,
            path: str | None,
            value: str | None,
            message: Message,
            element: str | None,
            by: str | None = None,
        ) -> ValidationResult:
            where = owner.get(focus)
            source = SourceLocation(where[0], where[1](focus.value, path)) if where else None
            return ValidationResult(
                constraint.severity,
                focus.value if focus.kind == "iri" else written.text(focus.text) if written and not by else focus.text,
                path,
                value,
                constraint.shape,
                constraint.component,
                message,
                element or elements.get(focus.value),
                source,
                cases.get(source.file) if source else None,
                others.get(focus, ()),
                by,
            )

        for constraint, found in zip(self.constraints, rows, strict=True):
            fill = _filler(constraint.messages) if constraint.substitute else None
            for values in found:
                value = values.get("value")
                results.append(
                    result(
                        constraint,
                        values["this"],
                        values["path"].text if "path" in values else constraint.path,  # sh:closed: each its own
                        (written.text(value.text) if written else value.text) if value is not None else None,
                        fill(values) if fill else constraint.messages,
                        constraint.element,
                    )
                )
        for f, focus in zip(delegated, checked, strict=True):  # as pySHACL read them: as written
            results.append(result(f, focus, f.path, None if f.value is None else str(f.value), f.message, None, fallback.PYSHACL))
        results.sort(
            key=lambda r: (
                r.source.file if r.source else "",
                severity_rank(r.severity),
                r.focus,
                r.shape,
                r.component,
                r.value or "",
            )
        )
        return ValidationReport(
            tuple(results),
            inputs,
            cases,
            labels(store, {r.element for r in results if r.element} | set(cases.values())),
            delegated=tuple((d.shape, d.reason) for d in self.delegated),
        )


class Term(NamedTuple):
    """A term of a query solution, kept as text so that it can cross processes."""

    kind: str
    value: str
    text: str


def _kind(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return "iri" if isinstance(term, ox.NamedNode) else "bnode" if isinstance(term, ox.BlankNode) else "literal"


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    return Term(_kind(term), term.value, str(term))


def _solutions(store: ox.Store, query: str) -> list[dict[str, Term]]:
    found = solutions(store.query(query, use_default_graph_as_union=True))
    names = [v.value for v in found.variables]
    unique: dict[tuple[str, str, str], dict[str, Term]] = {}
    # each term made once: the rows of a query repeat their terms (ElementToFollowShape's
    # 13,270 results at 10,000 cases name 9 elements and 2 levels, each with its labels:
    # 0.31–0.37 s of Python against 0.49–0.56 s)
    made: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Term] = {}
    for row in found:
        values = {}
        for name in names:
            term = row[name]
            if term is not None:
                values[name] = made.get(term) or made.setdefault(term, _term(term))
        # a focus node can match two targets, a triple be in two graphs: keep each result once
        unique.setdefault(
            (
                values["this"].text,
                values["value"].text if "value" in values else "",
                values["_c"].value if "_c" in values else "",
            ),
            values,
        )
    return list(unique.values())


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: a validation builds hundreds of thousands of rows
    and results, none in a cycle, and every full collection would walk them all again
    (at 50,000 cases, about 4 s of the queries' time and 2.5 s of the reporting; then
    0.3–0.7 s of the 1.0 s its text report takes, :func:`isgraph.shacl.report.render`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _in_two_threads(store: ox.Store, queries: list[str]) -> Iterator[tuple[str, list[dict[str, Term]]]]:
    """Run the queries on two threads (pyoxigraph evaluates a query without holding the GIL),
    the longest texts first: the SPARQL constraints and the grouped counts, which take the
    longest, so that no long one is left alone at the end (at 10,000 cases, 2.93–2.99 s
    against 3.19–3.23 s in the shapes' order). Each query comes with its solutions as soon as
    it is answered, so that the caller works on them while the others run."""
    with ThreadPoolExecutor(2) as pool:
        asked = {pool.submit(_solutions, store, query): query for query in sorted(queries, key=len, reverse=True)}
        for answered in as_completed(asked):
            yield asked[answered], answered.result()


class AsWritten:
    """A value of a result as the input wrote it: the store rewrites well-formed numbers and
    booleans ("4.0"^^xsd:decimal comes back "4", "5"^^xsd:int as "5"^^xsd:integer). The
    inputs' literals of those types are indexed (only when a result needs it) by datatype
    family and value; a result's value is shown as written when one form alone gives it."""

    def __init__(self, triples: Callable[[], Iterable[ox.Triple]]) -> None:
        self._triples = triples
        self._index: dict[tuple[str, object], set[ox.Literal]] | None = None

    def text(self, value: str) -> str:
        datatype = value.rpartition("^^<")[2][:-1] if value.endswith(">") else ""
        if datatype not in _FAMILIES:  # most values: no need to read them
            return value
        literal = _literal(value)
        key = _numeric_key(literal) if literal is not None else None
        if key is None:
            return value
        if self._index is None:
            self._index = {}
            for t in self._triples():
                if isinstance(t.object, ox.Literal) and (found := _numeric_key(t.object)) is not None:
                    self._index.setdefault(found, set()).add(t.object)
        forms = self._index.get(key, set())
        return str(next(iter(forms))) if len(forms) == 1 else value


_FAMILIES = {
    **dict.fromkeys((*INTEGER_TYPES, XSD["integer"]), "integer"),
    XSD["decimal"]: "decimal",
    XSD["double"]: "double",
    XSD["float"]: "double",
    XSD["boolean"]: "boolean",
}


def _literal(text: str) -> ox.Literal | None:
    if not text.startswith('"'):
        return None
    try:
        (quad,) = ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError):
        return None
    return quad.object if isinstance(quad.object, ox.Literal) else None


def _numeric_key(literal: ox.Literal) -> tuple[str, object] | None:
    """(family, value) of a number or boolean, None for anything else or an ill-formed one."""
    family = _FAMILIES.get(literal.datatype.value)
    try:
        if family == "integer":
            return family, int(literal.value)
        if family == "decimal":
            return family, decimal.Decimal(literal.value)
        if family == "double":
            return family, float(literal.value)
        if family == "boolean" and literal.value in ("true", "false", "1", "0"):
            return family, literal.value in ("true", "1")
    except (ValueError, decimal.InvalidOperation):
        return None
    return None


def _record_as_written(store: ox.Store, triples: Sequence[ox.Triple]) -> None:
    """Record, in a graph of its own, the datatype each literal of a derived integer type was
    written with (the store keeps "5"^^xsd:int as "5"^^xsd:integer), for the datatype checks
    that read it (only compiled when a shape asks for such a type)."""
    graph = ox.NamedNode(AS_WRITTEN)
    names = [ox.NamedNode(n) for n in (AS_WRITTEN_SUBJECT, AS_WRITTEN_PREDICATE, AS_WRITTEN_OBJECT, AS_WRITTEN_DATATYPE)]
    quads: list[ox.Quad] = []
    for t in triples:
        if isinstance(t.object, ox.Literal) and t.object.datatype.value in INTEGER_TYPES:
            record = ox.BlankNode()
            quads += [
                ox.Quad(record, name, value, graph)
                for name, value in zip(names, (t.subject, t.predicate, t.object, t.object.datatype), strict=True)
            ]
    store.bulk_extend(quads)


def _parsed_bundle(bundle: Bundle, own: ox.NamedNode) -> list[ox.Quad]:
    """A bundle's quads read in Python (its default graph into ``own``)."""
    try:
        return [
            q if isinstance(q.graph_name, ox.NamedNode | ox.BlankNode) else ox.Quad(q.subject, q.predicate, q.object, own)
            for q in ox.parse(path=str(bundle.path), format=bundle.format)
        ]
    except SyntaxError as exc:
        raise _bundle_syntax_error(bundle, exc) from None


def _load_bundle(store: ox.Store, bundle: Bundle, own: ox.NamedNode) -> None:
    """Load a bundle as it is: its named graphs, and its default graph into ``own``, in one
    transaction (into a store in memory, lighter than the bulk loader and no slower: 437 MB
    against 593 MB at the peak of validating 10,000 cases, docs/benchmarks.md).

    The store loads leniently, without checking IRIs and language tags (a quarter faster),
    while a second thread reads the same file strictly, on the core the load leaves idle (the
    store parses and indexes without holding the GIL): at 10,000 cases the two end together
    in 1.65 s against 2.15 s for a strict load. Whatever the strict reading rejects is the
    bundle's error, at the place a strict load would give, and the store is then dropped."""
    with ThreadPoolExecutor(1) as pool:
        checked = pool.submit(_strict_error, bundle)
        try:
            store.load(path=str(bundle.path), format=bundle.format, to_graph=own, lenient=True)
            loaded: SyntaxError | None = None
        except SyntaxError as exc:
            loaded = exc
        error = checked.result() or loaded
    if error is not None:
        raise _bundle_syntax_error(bundle, error)


def _strict_error(bundle: Bundle) -> SyntaxError | None:
    """The first error of a strict reading of the bundle, if any."""
    try:
        for _quad in ox.parse(path=str(bundle.path), format=bundle.format):
            pass
    except SyntaxError as exc:
        return exc
    return None


def _bundle_syntax_error(bundle: Bundle, exc: SyntaxError) -> InputError:
    return InputError(
        Message(f"erreur de syntaxe : {exc.msg}", f"syntax error: {exc.msg}"),
        path=bundle.name,
        line=exc.lineno,
        column=exc.offset,
    )


def _owners_and_elements(
    store: ox.Store, nodes: set[Term], origins: dict[ox.NamedNode, tuple[int, Where]]
) -> tuple[dict[Term, Where], dict[str, str], dict[Term, tuple[str, ...]]]:
    """For each node, the first input (and in it, the first graph by name) that describes
    it, and the other inputs that describe it too; and the grid element of each node that is
    an element assessment (the first by IRI if it names several). One pass over the triples
    of each node."""
    owners: dict[Term, Where] = {}
    others: dict[Term, tuple[str, ...]] = {}
    elements: dict[str, str] = {}
    for node in nodes:
        if node.kind == "literal":  # a literal focus node (sh:targetNode, sh:targetObjectsOf) has no triples
            continue
        subject = ox.NamedNode(node.value) if node.kind == "iri" else ox.BlankNode(node.value)
        graphs: set[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = set()
        for quad in store.quads_for_pattern(subject, None, None, None):
            graphs.add(quad.graph_name)
            if quad.predicate == _ELEMENT and node.kind == "iri":
                element = str(quad.object) if isinstance(quad.object, ox.Triple) else quad.object.value
                elements[node.value] = min(element, elements.get(node.value, element))
        known = [
            (origins[graph][0], graph.value, origins[graph][1])
            for graph in graphs
            if isinstance(graph, ox.NamedNode) and graph in origins
        ]
        if known:
            first = min(known, key=lambda found: found[:2])
            owners[node] = first[2]
            also = sorted({where[0] for _, _, where in known} - {first[2][0]})
            if also:
                others[node] = tuple(also)
    return owners, elements, others


def _territories_named(store: ox.Store) -> list[str]:
    """The reference territories the inputs name (their IRIs under :data:`TERRITORY`) as the
    value of a property whose range is a territory (isgraph's, and any the ontology in the
    context declares so): found through the predicate index, not by reading every triple."""
    known = " ".join(f"<{ISG[p]}>" for p in _TERRITORY_PROPERTIES)
    query = f"""SELECT DISTINCT ?t WHERE {{
        {{ SELECT DISTINCT ?p WHERE {{ {{ VALUES ?p {{ {known} }} }} UNION
            {{ ?p <{RDFS["range"]}> ?c . ?c <{RDFS["subClassOf"]}>* <{ISG["Territory"]}> }} }} }}
        GRAPH ?g {{ ?s ?p ?t }} FILTER (ISIRI(?t) && STRSTARTS(STR(?t), "{TERRITORY}")) }}"""
    return [row["t"].value for row in solutions(store.query(query))]


#: isgraph's properties whose values are territories.
_TERRITORY_PROPERTIES = ("territory", "locatedIn", "serves", "diffusedTo", "within", "formerlyWithin", "replacedBy")


def _cases(store: ox.Store, origins: dict[ox.NamedNode, tuple[int, Where]]) -> dict[str, str]:
    """The initiative each input (or each graph of a bundle) describes: input name → initiative IRI
    (the first by IRI when a graph describes several)."""
    found: dict[str, str] = {}
    for graph, initiative in solutions(
        store.query(f"SELECT ?g ?i WHERE {{ GRAPH ?g {{ ?i <{_RDF_TYPE.value}> <{_INITIATIVE.value}> }} FILTER ISIRI(?i) }}")
    ):
        origin = origins.get(graph)
        if origin is not None and (origin[1][0] not in found or initiative.value < found[origin[1][0]]):
            found[origin[1][0]] = initiative.value
    return found


_PLACEHOLDER = re.compile(r"(\{[?$](\w+)\})")


def _filler(messages: Message) -> Callable[[dict[str, Term]], Message]:
    """A function that fills the ``{?name}`` placeholders of ``messages`` from a solution
    (a placeholder without a value stays as it is); each distinct filling is made once."""
    names = sorted({m.group(2) for m in _PLACEHOLDER.finditer(messages.fr + messages.en)})
    made: dict[tuple[str | None, ...], Message] = {}

    def fill(values: dict[str, Term]) -> Message:
        key = tuple(values[name].value if name in values else None for name in names)
        message = made.get(key)
        if message is None:
            given = dict(zip(names, key, strict=True))

            def one(text: str) -> str:
                return _PLACEHOLDER.sub(lambda m: m.group(1) if (v := given[m.group(2)]) is None else v, text)

            message = made[key] = Message(one(messages.fr), one(messages.en))
        return message

    return fill
