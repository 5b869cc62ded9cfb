"""Harvesting other observatories' cases, with provenance, without losing anything.

For each source of the sources file (:mod:`isgraph.sources`):

1. its cases are fetched: from a SPARQL endpoint, the named graphs that hold an
   ``isg:Initiative``, in batches of graphs (so that a server's result limit is
   never hit); from a dump (N-Quads or TriG, a URL or a file), the same graphs;
2. they are validated with the shapes; a case with violations is **kept apart**:
   written with its report to the quarantine folder, recorded in the provenance,
   never put among the cases that queries see;
3. the conforming cases replace, in one atomic write, everything harvested from
   that source before: each in the graph ``graph/harvest/SOURCE/case/…``, and the
   provenance in ``graph/harvest/SOURCE`` (PROV-O and DCAT: the source, when,
   which query or file, how many triples). A case gone from the source is removed.

A source that is down, slow or answers garbage is reported and skipped: what was
harvested from it before stays as it was.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .classification import INFERENCES
from .fetch import SourceError, dump_quads, malformed, select_rows, sparql_select
from .messages import Message
from .namespaces import DCTERMS, GRAPH, ISG, PROV, RDF, RDFS, XSD, case_graph_iri
from .report_formats import render
from .sources import Source
from .store import Store
from .validation import Submission, ValidationReport, Validator

DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
#: Case graphs fetched per request from an endpoint.
BATCH = 200
#: Case graphs written per transaction.
WRITE_BATCH = 500
GRAPHS_QUERY = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?case a <{ISG['Initiative']}> }} }} ORDER BY ?g"
QUADS_QUERY = "SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"


@dataclass
class SourceOutcome:
    """What harvesting one source did."""

    source: Source
    error: Message | None = None
    cases: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    quarantined: dict[str, int] = field(default_factory=dict)  # original graph -> violations
    triples: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class FetchedCase:
    original_graph: str
    initiative: str | None
    triples: tuple[ox.Triple, ...]


def fetch_endpoint(source: Source) -> tuple[list[FetchedCase], str]:
    """The cases of a SPARQL endpoint, and the queries that fetched them. The graphs come in
    batches, two requests at a time."""
    _, listing = select_rows(source.endpoint or "", GRAPHS_QUERY, timeout=source.timeout)
    graphs = [row[0] for row in listing if isinstance(row[0], ox.NamedNode)]
    batches = [graphs[start:start + BATCH] for start in range(0, len(graphs), BATCH)]

    def fetch(index: int) -> list[ox.Quad]:
        query = QUADS_QUERY.format(graphs=" ".join(str(g) for g in batches[index]))
        return _quads(sparql_select(source.endpoint or "", query, timeout=source.timeout), f"h{index}x", source)

    by_graph: dict[str, list[ox.Triple]] = {g.value: [] for g in graphs}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for quads in pool.map(fetch, range(len(batches))):
            for quad in quads:
                by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)  # type: ignore[union-attr]
    return _cases(by_graph), GRAPHS_QUERY + "\n" + QUADS_QUERY.format(graphs="…")


def _quads(data: bytes, prefix: str, source: Source) -> list[ox.Quad]:
    """SPARQL TSV results (?g ?s ?p ?o) as quads: each row rewritten as a TriG statement (TSV
    writes its terms as Turtle does) and parsed by pyoxigraph; blank nodes get ``prefix``."""
    lines = data.decode("utf-8", "replace").split("\n")
    if lines[0].strip() != "?g\t?s\t?p\t?o":
        raise malformed(f"header {lines[0][:60]!r}", source.access)
    out = []
    for line in lines[1:]:
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != 4:
            raise SourceError(Message("ligne de résultat incomplète", "incomplete result row"), path=source.access)
        g, s, p, o = ("_:" + prefix + c[2:] if c.startswith("_:") else c for c in cells)
        out.append(f"{g} {{ {s} {p} {o} . }}")
    try:
        return list(ox.parse("\n".join(out).encode("utf-8"), format=ox.RdfFormat.TRIG))
    except SyntaxError as exc:
        raise malformed(str(exc), source.access) from None


def fetch_dump(source: Source) -> list[FetchedCase]:
    quads = dump_quads(source.dump or "", timeout=source.timeout)
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    initiative = ox.NamedNode(ISG["Initiative"])
    return _cases({g: ts for g, ts in by_graph.items() if any(t.object == initiative for t in ts)})


def _cases(by_graph: dict[str, list[ox.Triple]]) -> list[FetchedCase]:
    rdf_type, initiative = ox.NamedNode(RDF["type"]), ox.NamedNode(ISG["Initiative"])
    out = []
    for graph, triples in sorted(by_graph.items()):
        found = sorted({t.subject.value for t in triples if t.predicate == rdf_type and t.object == initiative
                        and isinstance(t.subject, ox.NamedNode)})
        out.append(FetchedCase(graph, found[0] if len(found) == 1 else None, tuple(triples)))
    return out


def local_graph(source: Source, initiative: str) -> str:
    """Where a harvested case goes: stable, so that a new harvest replaces it."""
    return source.graph_prefix + "case/" + case_graph_iri(initiative)[len(GRAPH["case/"]):]


def harvest(store: Store, sources: Sequence[Source], *, quarantine: Path,
            validator: Validator | None = None) -> list[SourceOutcome]:
    """Harvest every source; one outcome each, in order."""
    validator = validator or store_validator(store)
    return [harvest_source(store, source, quarantine=quarantine, validator=validator) for source in sources]


def store_validator(store: Store) -> Validator:
    """The shapes with the store's own ontology and territories as context, so that a case may
    name any territory the store knows; the project's files when the store has no ontology yet."""
    graphs = [g for g in store.named_graphs() if g.startswith((GRAPH["ontology/"], GRAPH["territories/"]))]
    if not any(g.startswith(GRAPH["ontology/"]) for g in graphs):
        return Validator()
    values = " ".join(f"<{g}>" for g in graphs)
    context = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    return Validator(context=list(context))  # type: ignore[arg-type]


def harvest_source(store: Store, source: Source, *, quarantine: Path, validator: Validator) -> SourceOutcome:
    outcome = SourceOutcome(source)
    started = time.monotonic()
    began = datetime.datetime.now(datetime.timezone.utc)
    try:
        if source.endpoint:
            fetched, how = fetch_endpoint(source)
        else:
            fetched, how = fetch_dump(source), source.access
    except SourceError as exc:
        outcome.error = Message(exc.render("fr"), exc.render("en"))
        outcome.seconds = time.monotonic() - started
        return outcome
    names = {c.original_graph: f"{source.name}:{c.original_graph}" for c in fetched}
    report = validator.validate([Submission(names[c.original_graph], c.triples) for c in fetched if c.initiative])
    violations: dict[str, int] = {}
    for result in report.results:
        if result.severity == "Violation" and result.source:
            violations[result.source.file] = violations.get(result.source.file, 0) + 1
    kept: dict[str, FetchedCase] = {}
    refused: list[tuple[FetchedCase, int]] = []
    for case in fetched:
        count = violations.get(names[case.original_graph], 0) if case.initiative else -1
        if count:
            refused.append((case, count))
        elif (target := local_graph(source, case.initiative or "")) not in kept:
            kept[target] = case
        else:
            refused.append((case, -2))  # the same initiative in two graphs of the source
    ended = datetime.datetime.now(datetime.timezone.utc)
    files = _write_quarantine(quarantine, source, refused, report)
    previous = [g for g in store.named_graphs() if g.startswith(source.graph_prefix + "case/")]
    targets = sorted(kept)
    # each write is atomic: cases go in WRITE_BATCH at a time (one large transaction is much
    # slower), the provenance and the removals last
    chunks = [targets[i:i + WRITE_BATCH] for i in range(0, len(targets), WRITE_BATCH)] or [[]]
    for chunk in chunks[:-1]:
        store.replace_graphs({t: list(kept[t].triples) for t in chunk})
    graphs = {t: list(kept[t].triples) for t in chunks[-1]}
    graphs[source.graph_prefix.rstrip("/")] = provenance(source, kept, refused, files, how, began, ended)
    store.replace_graphs(graphs, drop=[*(set(previous) - set(kept)), INFERENCES])
    outcome.cases = sorted(kept)
    outcome.removed = sorted(set(previous) - set(kept))
    outcome.quarantined = {case.original_graph: count for case, count in refused}
    outcome.triples = sum(len(c.triples) for c in kept.values())
    outcome.seconds = time.monotonic() - started
    return outcome


def _write_quarantine(folder: Path, source: Source, refused: list[tuple[FetchedCase, int]],
                      report: ValidationReport) -> dict[str, Path]:
    """Each refused case as N-Triples with its report (JSON), in ``folder/SOURCE/``; the old ones go."""
    target = folder / source.name
    if target.exists():
        shutil.rmtree(target)
    files: dict[str, Path] = {}
    if not refused:
        return files
    target.mkdir(parents=True)
    by_file: dict[str, list] = {}  # type: ignore[type-arg]
    for result in report.results:
        if result.source:
            by_file.setdefault(result.source.file, []).append(result)
    for case, count in refused:
        stem = hashlib.sha1(case.original_graph.encode("utf-8")).hexdigest()[:16]
        path = target / f"{stem}.nt"
        path.write_bytes(ox.serialize(case.triples, format=ox.RdfFormat.N_TRIPLES))
        name = f"{source.name}:{case.original_graph}"
        own = ValidationReport(tuple(by_file.get(name, ())), (name,),
                               {name: report.cases[name]} if name in report.cases else {}, report.labels)
        reason = {-1: Message("ce graphe ne décrit pas exactement une isg:Initiative",
                              "this graph does not describe exactly one isg:Initiative"),
                  -2: Message("la même initiative est dans un autre graphe de la source",
                              "the same initiative is in another graph of the source")}.get(count)
        summary = {"source": source.name, "graph": case.original_graph, "initiative": case.initiative,
                   "reason": reason.as_dict() if reason else None,
                   "report": json.loads(render(own, "json", "en")) if count > 0 else None}
        (target / f"{stem}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        files[case.original_graph] = path
    return files


def provenance(source: Source, kept: dict[str, FetchedCase], refused: list[tuple[FetchedCase, int]],
               files: dict[str, Path], how: str, began: datetime.datetime, ended: datetime.datetime) -> list[ox.Triple]:
    """PROV-O and DCAT: the source, this harvest, and where each case came from."""
    n, lit = ox.NamedNode, ox.Literal
    a = n(RDF["type"])
    src = n(source.iri)
    activity = n(f"{source.iri}/harvest")
    when = lambda t: lit(t.isoformat(timespec="seconds"), datatype=n(XSD["dateTime"]))  # noqa: E731
    integer = n(XSD["integer"])
    triples = [
        ox.Triple(src, a, n(DCAT + "Dataset")), ox.Triple(src, a, n(PROV["Entity"])),
        ox.Triple(src, n(RDFS["label"]), lit(source.name)),
        ox.Triple(src, n(DCTERMS["license"]), n(source.licence)),
        ox.Triple(src, n(DCAT + "contactPoint"), n(source.contact)),
        ox.Triple(src, n(DCAT + ("endpointURL" if source.endpoint else "downloadURL")), n(source.access)),
        ox.Triple(activity, a, n(PROV["Activity"])),
        ox.Triple(activity, n(PROV["used"]), src),
        ox.Triple(activity, n(PROV["startedAtTime"]), when(began)),
        ox.Triple(activity, n(PROV["endedAtTime"]), when(ended)),
        ox.Triple(activity, n(ISG["harvestQuery" if source.endpoint else "sourceFile"]), lit(how)),
        ox.Triple(activity, n(VOID + "triples"), lit(str(sum(len(c.triples) for c in kept.values())), datatype=integer)),
    ]
    if source.title:
        triples += [ox.Triple(src, n(DCTERMS["title"]), lit(source.title.fr, language="fr")),
                    ox.Triple(src, n(DCTERMS["title"]), lit(source.title.en, language="en"))]
    for target, case in sorted(kept.items()):
        g = n(target)
        triples += [ox.Triple(g, a, n(PROV["Entity"])),
                    ox.Triple(g, n(PROV["wasDerivedFrom"]), n(case.original_graph)),
                    ox.Triple(g, n(PROV["hadPrimarySource"]), src),
                    ox.Triple(g, n(PROV["wasGeneratedBy"]), activity),
                    ox.Triple(g, n(PROV["generatedAtTime"]), when(ended)),
                    ox.Triple(g, n(VOID + "triples"), lit(str(len(case.triples)), datatype=integer))]
    for case, count in refused:
        record = n(f"{source.iri}/quarantine/{hashlib.sha1(case.original_graph.encode()).hexdigest()[:16]}")
        triples += [ox.Triple(activity, n(ISG["quarantined"]), record),
                    ox.Triple(record, a, n(ISG["QuarantinedCase"])),
                    ox.Triple(record, n(PROV["wasDerivedFrom"]), n(case.original_graph)),
                    ox.Triple(record, n(ISG["violationCount"]), lit(str(max(count, 0)), datatype=integer)),
                    ox.Triple(record, n(ISG["sourceFile"]), lit(str(files[case.original_graph])))]
    return triples
