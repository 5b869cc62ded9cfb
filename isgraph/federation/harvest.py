"""Harvesting other observatories' cases, with provenance, without losing anything.

For each source of the sources file (:mod:`isgraph.federation.sources`):

1. its cases are fetched: from a SPARQL endpoint, the named graphs that hold an
   ``isg:Initiative``, in batches of graphs (so that a server's result limit is
   never hit); from a dump (N-Quads or TriG, a URL or a file), the same graphs;
2. they are validated with the shapes; a case with violations is **kept apart**:
   written with its report to the quarantine folder, recorded in the provenance,
   never put among the cases that queries see;
3. the conforming cases replace everything harvested from that source before: each
   in the graph ``graph/harvest/SOURCE/case/…``, and the provenance in
   ``graph/harvest/SOURCE`` (PROV-O and DCAT: the source, when, which query or file,
   how many triples). A case gone from the source is removed. Every case is written
   whole or not at all: in atomic batches, or, on a first harvest (nothing to
   replace), with the store's bulk loader under a marker that the final atomic write
   removes (:meth:`isgraph.store.Store.add_new_graphs`).

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

from isgraph.federation.fetch import SourceError, dump_quads, malformed, select_rows, sparql_select
from isgraph.federation.sources import Source
from isgraph.graph.ownership import clashes
from isgraph.messages import Message
from isgraph.namespaces import DCTERMS, GRAPH, ISG, PROV, RDF, RDFS, XSD, case_graph_iri
from isgraph.progress import Progress
from isgraph.rdf.writing import serialize
from isgraph.reason.classification import outdated_marker, reclassify
from isgraph.shacl.api import store_validator
from isgraph.shacl.engine import Submission, ValidationReport, ValidationResult, Validator
from isgraph.shacl.report import render
from isgraph.store import Store

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
    #: original graph -> its violations, or why it was kept apart: -1 not exactly one initiative,
    #: -2 the same initiative in another graph, -3 it describes what another case owns
    quarantined: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    seconds: float = 0.0
    #: the severity that kept a case apart
    fail_on: str = "violation"

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
    _, listing = select_rows(source.endpoint or "", GRAPHS_QUERY, timeout=source.timeout, form=source.request_form)
    graphs = [row[0] for row in listing if isinstance(row[0], ox.NamedNode)]
    batches = [graphs[start : start + BATCH] for start in range(0, len(graphs), BATCH)]

    def fetch(index: int) -> tuple[dict[str, list[ox.Triple]], dict[str, set[str]]]:
        query = QUADS_QUERY.format(graphs=" ".join(str(g) for g in batches[index]))
        answer = sparql_select(source.endpoint or "", query, timeout=source.timeout, form=source.request_form)
        return _grouped(answer, f"h{index}x", source)

    by_graph: dict[str, list[ox.Triple]] = {g.value: [] for g in graphs}
    initiatives: dict[str, set[str]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for found, named in pool.map(fetch, range(len(batches))):  # the batches' graphs are disjoint
            by_graph.update(found)
            initiatives.update(named)
    return _cases(by_graph, initiatives), GRAPHS_QUERY + "\n" + QUADS_QUERY.format(graphs="…")


_RDF_TYPE = ox.NamedNode(RDF["type"])
_INITIATIVE = ox.NamedNode(ISG["Initiative"])


def _grouped(data: bytes, prefix: str, source: Source) -> tuple[dict[str, list[ox.Triple]], dict[str, set[str]]]:
    """SPARQL TSV results (?g ?s ?p ?o), read by pyoxigraph's results parser: the triples of
    each graph, and the initiatives each graph types. Blank nodes get ``prefix`` (a label
    means the same node only within one result set)."""
    by_graph: dict[str, list[ox.Triple]] = {}
    initiatives: dict[str, set[str]] = {}
    try:
        found = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
        if not isinstance(found, ox.QuerySolutions):
            raise malformed("a boolean where solutions were expected", source.access)
        if [v.value for v in found.variables] != ["g", "s", "p", "o"]:
            raise malformed(f"variables {' '.join(v.value for v in found.variables)[:60]!r}", source.access)
        for g, s, p, o in found:
            if not isinstance(g, ox.NamedNode):
                raise malformed(f"graph {g}", source.access)
            if isinstance(s, ox.BlankNode):
                s = ox.BlankNode(prefix + s.value)
            if isinstance(o, ox.BlankNode):
                o = ox.BlankNode(prefix + o.value)
            triples = by_graph.get(g.value)
            if triples is None:
                triples = by_graph[g.value] = []
            triples.append(ox.Triple(s, p, o))
            if o == _INITIATIVE and p == _RDF_TYPE and isinstance(s, ox.NamedNode):
                initiatives.setdefault(g.value, set()).add(s.value)
    except (SyntaxError, ValueError, TypeError) as exc:
        raise malformed(str(exc), source.access) from None
    return by_graph, initiatives


def fetch_dump(source: Source) -> list[FetchedCase]:
    quads = dump_quads(source.dump or "", timeout=source.timeout)
    by_graph: dict[str, list[ox.Triple]] = {}
    initiatives: dict[str, set[str]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            triple = quad.triple
            by_graph.setdefault(quad.graph_name.value, []).append(triple)
            if triple.object == _INITIATIVE and triple.predicate == _RDF_TYPE:  # as the endpoints' listing
                named = initiatives.setdefault(quad.graph_name.value, set())
                if isinstance(triple.subject, ox.NamedNode):
                    named.add(triple.subject.value)
    return _cases({g: ts for g, ts in by_graph.items() if g in initiatives}, initiatives)


def _cases(by_graph: dict[str, list[ox.Triple]], initiatives: dict[str, set[str]]) -> list[FetchedCase]:
    """One fetched case per graph; its initiative when the graph types exactly one."""
    return [
        FetchedCase(graph, next(iter(initiatives[graph])) if len(initiatives.get(graph, ())) == 1 else None, tuple(triples))
        for graph, triples in sorted(by_graph.items())
    ]


def local_graph(source: Source, initiative: str) -> str:
    """Where a harvested case goes: stable, so that a new harvest replaces it."""
    return source.graph_prefix + "case/" + case_graph_iri(initiative)[len(GRAPH["case/"]) :]


def harvest(
    store: Store,
    sources: Sequence[Source],
    *,
    quarantine: Path,
    validator: Validator | None = None,
    fail_on: str | None = None,
) -> list[SourceOutcome]:
    """Harvest every source; one outcome each, in order. A case with a result at or above the
    source's ``fail_on`` (else ``fail_on``, else a violation) is kept apart."""
    validator = validator or store_validator(store)
    outcomes = []
    with Progress(len(sources), "isgraph harvest") as bar:  # one step per source, on a terminal
        for source in sources:
            policy = source.fail_on or fail_on or "violation"
            outcomes.append(harvest_source(store, source, quarantine=quarantine, validator=validator, fail_on=policy))
            bar.advance()
    return outcomes


def harvest_source(
    store: Store, source: Source, *, quarantine: Path, validator: Validator, fail_on: str = "violation"
) -> SourceOutcome:
    outcome = SourceOutcome(source, fail_on=fail_on)
    started = time.monotonic()
    began = datetime.datetime.now(datetime.UTC)
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
    violations: dict[str, int] = {}  # the results the policy blocks on, per case
    for result in report.at_least(fail_on.capitalize()).results:
        if result.source:
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
    existing = set(store.named_graphs())
    previous = sorted(g for g in existing if g.startswith(source.graph_prefix + "case/"))
    # a case that describes what another case owns is kept apart, with the clash named
    reasons: dict[str, Message] = {}
    found = clashes({t: c.triples for t, c in kept.items()}, store, replacing=previous)
    for target, clash in ((t, c) for c in found for t in kept if t in (c.owner, c.other)):
        reasons.setdefault(kept[target].original_graph, clash.message())
    for target in [t for t in kept if kept[t].original_graph in reasons]:
        refused.append((kept.pop(target), -3))
    ended = datetime.datetime.now(datetime.UTC)
    files = _write_quarantine(quarantine, source, refused, report, reasons)
    targets = sorted(kept)
    record = source.graph_prefix.rstrip("/")
    prov = provenance(source, kept, refused, files, how, began, ended)
    if not previous and record not in existing and len(targets) > WRITE_BATCH:
        # a first harvest replaces nothing: the cases and the provenance go in with the bulk
        # loader, under a marker that one last atomic write drops (a crash before it: the
        # store drops them on opening)
        marker = store.add_new_graphs({**{t: list(kept[t].triples) for t in targets}, record: prov})
        store.replace_graphs(outdated_marker(ended), drop=[marker] if marker else [])
    else:
        # each write is atomic: cases go in WRITE_BATCH at a time (one large transaction is
        # much slower), the provenance and the removals last
        chunks = [targets[i : i + WRITE_BATCH] for i in range(0, len(targets), WRITE_BATCH)] or [[]]
        for chunk in chunks[:-1]:
            store.replace_graphs({t: list(kept[t].triples) for t in chunk})
        graphs = {t: list(kept[t].triples) for t in chunks[-1]}
        graphs[record] = prov
        store.replace_graphs({**graphs, **outdated_marker(ended)}, drop=sorted(set(previous) - set(kept)))
    reclassify(store)
    outcome.cases = sorted(kept)
    outcome.removed = sorted(set(previous) - set(kept))
    outcome.quarantined = {case.original_graph: count for case, count in refused}
    outcome.triples = sum(len(c.triples) for c in kept.values())
    outcome.seconds = time.monotonic() - started
    return outcome


def _write_quarantine(
    folder: Path,
    source: Source,
    refused: list[tuple[FetchedCase, int]],
    report: ValidationReport,
    reasons: dict[str, Message] | None = None,
) -> dict[str, Path]:
    """Each refused case as N-Triples with its report (JSON), in ``folder/SOURCE/``; the old ones go."""
    target = folder / source.name
    if target.exists():
        shutil.rmtree(target)
    files: dict[str, Path] = {}
    if not refused:
        return files
    target.mkdir(parents=True)
    by_file: dict[str, list[ValidationResult]] = {}
    for result in report.results:
        if result.source:
            by_file.setdefault(result.source.file, []).append(result)
    for case, count in refused:
        stem = hashlib.sha1(case.original_graph.encode("utf-8")).hexdigest()[:16]
        path = target / f"{stem}.nt"
        path.write_bytes(serialize(case.triples, ox.RdfFormat.N_TRIPLES))
        name = f"{source.name}:{case.original_graph}"
        own = ValidationReport(
            tuple(by_file.get(name, ())),
            (name,),
            {name: report.cases[name]} if name in report.cases else {},
            report.labels,
            delegated=report.delegated,
        )
        reason = {
            -1: Message(
                "ce graphe ne décrit pas exactement une isg:Initiative", "this graph does not describe exactly one isg:Initiative"
            ),
            -2: Message(
                "la même initiative est dans un autre graphe de la source",
                "the same initiative is in another graph of the source",
            ),
        }.get(count) or (reasons or {}).get(case.original_graph)
        summary = {
            "source": source.name,
            "graph": case.original_graph,
            "initiative": case.initiative,
            "reason": reason.as_dict() if reason else None,
            "report": json.loads(render(own, "json", "en")) if count > 0 else None,
        }
        (target / f"{stem}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        files[case.original_graph] = path
    return files


def provenance(
    source: Source,
    kept: dict[str, FetchedCase],
    refused: list[tuple[FetchedCase, int]],
    files: dict[str, Path],
    how: str,
    began: datetime.datetime,
    ended: datetime.datetime,
) -> list[ox.Triple]:
    """PROV-O and DCAT: the source, this harvest, and where each case came from."""
    n, lit = ox.NamedNode, ox.Literal
    a = n(RDF["type"])
    src = n(source.iri)
    activity = n(f"{source.iri}/harvest")

    def when(t: datetime.datetime) -> ox.Literal:
        return lit(t.isoformat(timespec="seconds"), datatype=n(XSD["dateTime"]))

    integer = n(XSD["integer"])
    triples = [
        ox.Triple(src, a, n(DCAT + "Dataset")),
        ox.Triple(src, a, n(PROV["Entity"])),
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
        triples += [
            ox.Triple(src, n(DCTERMS["title"]), lit(source.title.fr, language="fr")),
            ox.Triple(src, n(DCTERMS["title"]), lit(source.title.en, language="en")),
        ]
    for target, case in sorted(kept.items()):
        g = n(target)
        triples += [
            ox.Triple(g, a, n(PROV["Entity"])),
            ox.Triple(g, n(PROV["wasDerivedFrom"]), n(case.original_graph)),
            ox.Triple(g, n(PROV["hadPrimarySource"]), src),
            ox.Triple(g, n(PROV["wasGeneratedBy"]), activity),
            ox.Triple(g, n(PROV["generatedAtTime"]), when(ended)),
            ox.Triple(g, n(VOID + "triples"), lit(str(len(case.triples)), datatype=integer)),
        ]
    for case, count in refused:
        record = n(f"{source.iri}/quarantine/{hashlib.sha1(case.original_graph.encode()).hexdigest()[:16]}")
        triples += [
            ox.Triple(activity, n(ISG["quarantined"]), record),
            ox.Triple(record, a, n(ISG["QuarantinedCase"])),
            ox.Triple(record, n(PROV["wasDerivedFrom"]), n(case.original_graph)),
            ox.Triple(record, n(ISG["violationCount"]), lit(str(max(count, 0)), datatype=integer)),
            ox.Triple(record, n(ISG["sourceFile"]), lit(str(files[case.original_graph]))),
        ]
    return triples


#: Why a case was kept apart, when not for its violations (the codes of ``SourceOutcome.quarantined``).
_WHY = {
    -1: Message("pas exactement une initiative", "not exactly one initiative"),
    -2: Message("la même initiative dans un autre graphe", "the same initiative in another graph"),
    -3: Message("décrit ce qu'un autre cas possède", "describes what another case owns"),
}


def render_outcomes(outcomes: Sequence[SourceOutcome], quarantine: Path, lang: str) -> str:
    """What ``isgraph harvest`` prints: per source, what was harvested, removed and kept apart
    (and where), or why the source was skipped."""
    lines = []
    for o in outcomes:
        if o.error is not None:
            lines.append(
                Message(
                    f"{o.source.name} : ignorée, {o.error.fr} ; ce qui en avait été moissonné est conservé",
                    f"{o.source.name}: skipped, {o.error.en}; what was harvested from it before is kept",
                ).text(lang)
            )
            continue
        lines.append(
            Message(
                f"{o.source.name} : {len(o.cases)} cas ({o.triples} triplets), {len(o.removed)} retiré(s), "
                f"{len(o.quarantined)} mis à l'écart, en {o.seconds:.1f} s",
                f"{o.source.name}: {len(o.cases)} case(s) ({o.triples} triples), {len(o.removed)} removed, "
                f"{len(o.quarantined)} kept apart, in {o.seconds:.1f} s",
            ).text(lang)
        )
        for graph, count in sorted(o.quarantined.items()):
            why = _WHY.get(count) or (
                Message(f"{count} violation(s)", f"{count} violation(s)")
                if o.fail_on == "violation"
                else Message(f"{count} résultat(s) au moins {o.fail_on}", f"{count} result(s) at {o.fail_on} or above")
            )
            folder = quarantine / o.source.name
            lines.append(
                "  "
                + Message(
                    f"mis à l'écart : <{graph}> ({why.fr}) dans {folder}", f"kept apart: <{graph}> ({why.en}) in {folder}"
                ).text(lang)
            )
    return "\n".join(lines)
