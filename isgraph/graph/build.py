"""The main job: load the ontology, the grid, the territories and every case into
the store, after validating every case against the shapes and checking that the
ontology with the data is consistent.

Everything is read and checked before the store is touched, and the graphs are
replaced in one atomic step: bad input leaves the store exactly as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from isgraph import resources
from isgraph.errors import InconsistentError, InvalidDataError
from isgraph.graph.ownership import clashes, refuse_clashes
from isgraph.graph.stats import Counts, count
from isgraph.messages import Message
from isgraph.namespaces import GRAPH, ISG, RDF
from isgraph.progress import Progress
from isgraph.rdf.layout import GraphSource, collect_data, collect_ontology
from isgraph.reason.classification import (
    INFERENCES,
    Classification,
    classify_with_sparql,
    from_types,
    inference_triples,
    load_profiles,
    read_facts,
    with_labels,
)
from isgraph.reason.hermit import ConsistencyReport, check_consistency, explanation
from isgraph.reason.report import render_classification
from isgraph.shacl.engine import Submission, ValidationReport, Validator
from isgraph.store import DEFAULT_STORE, EmbeddedStore, Store, open_store, select
from isgraph.store.territories import TerritoryReference, read_territories


@dataclass(frozen=True)
class BuildSummary:
    store: str
    files: int
    counts: Counts
    consistency: ConsistencyReport | None
    seconds: float
    validation: ValidationReport | None = None
    classification: Classification | None = None


def read_sources(*, data: Path | None = None, ontology: Path | None = None) -> list[GraphSource]:
    """Parse the ontology and data folders (the packaged ones by default)."""
    return collect_ontology(ontology or resources.ontology_dir()) + collect_data(data or resources.data_dir())


def prove_consistent(sources: list[GraphSource], territories: TerritoryReference | None = None) -> ConsistencyReport:
    """Run HermiT over all sources, realising every case's initiative (for the
    classification under the definition profiles); InconsistentError names what is at fault."""
    base = [t for s in sources if s.kind not in ("case", "territories") for t in s.with_provenance()]
    base += _named_territories(sources, territories or read_territories(sources))
    units = {s.shown_as: s.with_provenance() for s in sources if s.kind == "case"}
    report = check_consistency(base, units, realise=[_initiative(s) for s in sources if s.kind == "case"])
    if report.ok:
        return report
    raise _inconsistency(report)


def _inconsistency(report: ConsistencyReport) -> InconsistentError:
    if report.consistent:
        classes = ", ".join(f"<{c}>" for c in report.unsatisfiable)
        return InconsistentError(
            Message(f"classes insatisfiables dans l'ontologie : {classes}", f"unsatisfiable classes in the ontology: {classes}")
        )
    fr, en = explanation(report)
    fr.insert(0, "l'ontologie et les données sont incohérentes (HermiT)")
    en.insert(0, "the ontology with the data is inconsistent (HermiT)")
    return InconsistentError(Message(" ; ".join(fr), "; ".join(en)))


def validate_cases(sources: list[GraphSource], territories: TerritoryReference | None = None) -> ValidationReport:
    """Validate every case against the shapes; InvalidDataError if any has a violation."""
    context = [t for s in sources if s.kind == "ontology" for t in s.triples]
    validator = Validator(context=context, territories=territories or read_territories(sources))
    report = validator.validate([Submission(s.shown_as, s.triples) for s in sources if s.kind == "case"])
    violations = [r for r in report.results if r.severity == "Violation"]
    if violations:
        files = sorted({r.source.file for r in violations if r.source})
        raise InvalidDataError(
            Message(
                f"{len(violations)} violation(s) des formes dans {', '.join(files)} : voir « isgraph validate {' '.join(files)} »",
                f'{len(violations)} shape violation(s) in {", ".join(files)}: see "isgraph validate {" ".join(files)}"',
            )
        )
    return report


def _initiative(source: GraphSource) -> str:
    return next(
        t.subject.value
        for t in source.triples
        if t.predicate.value == RDF["type"]
        and t.object == ox.NamedNode(ISG["Initiative"])
        and isinstance(t.subject, ox.NamedNode)
    )


def _named_territories(sources: list[GraphSource], territories: TerritoryReference) -> list[ox.Triple]:
    """The territories the cases name, and those above them: what the reasoner and the
    classification need of the reference (some 312,000 triples, generated and checked
    apart: tests/test_territories.py)."""
    return territories.around(
        {t.object.value for s in sources if s.kind == "case" for t in s.triples if isinstance(t.object, ox.NamedNode)}
    )


def classify_sources(
    sources: list[GraphSource], report: ConsistencyReport | None, territories: TerritoryReference | None = None
) -> Classification:
    """Every case under every profile: from HermiT's inferences when the reasoner ran, else by SPARQL."""
    started = time.perf_counter()
    scratch = EmbeddedStore(None)
    scratch.replace_graphs(
        {s.graph: s.triples for s in sources if s.kind != "territories"}
        | {GRAPH["territories/named"]: _named_territories(sources, territories or read_territories(sources))}
    )
    profiles = load_profiles(scratch)
    if report is None:
        return with_labels(scratch, classify_with_sparql(scratch, profiles))
    return with_labels(
        scratch,
        from_types(
            profiles,
            read_facts(scratch, {r.needs_property for p in profiles for r in p.requirements if r.needs_property}),
            report.types,
            report.seconds + time.perf_counter() - started,
        ),
    )


def load(store: Store, sources: list[GraphSource], classification: Classification | None = None) -> None:
    """Replace, in one step, the named graph of every source (and the graph of inferences).
    A graph whose file has not changed since it was loaded (the same SHA-256, which the
    graph records) is left as it is: a rebuild does not rewrite 300,000 territory triples."""
    recorded = {
        row["g"].value: row["sha"].value
        for row in select(store, f"SELECT ?g ?sha WHERE {{ GRAPH ?g {{ ?g <{ISG['sha256']}> ?sha }} }}")
    }
    graphs = {s.graph: s.with_provenance() for s in sources if recorded.get(s.graph) != s.sha256}
    if classification is not None:
        graphs[INFERENCES] = inference_triples(classification)
    # graphs the store does not have yet go in by the backend's fast loader; a crash before
    # the last step below leaves a marker that drops them when the store is next opened
    existing = store.present(graphs)
    new = {g: triples for g, triples in graphs.items() if g not in existing}
    marker = store.add_new_graphs(new) if new else None
    store.replace_graphs({g: t for g, t in graphs.items() if g not in new}, drop=[marker] if marker else [])


def build(
    *,
    store: Store | str | Path | None = DEFAULT_STORE,
    data: Path | None = None,
    ontology: Path | None = None,
    reason: bool = True,
) -> BuildSummary:
    """Build the knowledge graph into ``store`` (a Store, a path, or None for memory)."""
    started = time.perf_counter()
    with Progress(6, "isgraph build") as bar:  # its six steps, on a terminal
        sources = read_sources(data=data, ontology=ontology)
        cases = {s.graph: s.triples for s in sources if s.kind == "case"}
        names = {s.graph: s.shown_as for s in sources if s.kind == "case"}
        refuse_clashes(clashes(cases, names=names))
        territories = read_territories(sources)  # read once: the reasoner, the validation and the classification share it
        bar.advance()
        report = prove_consistent(sources, territories) if reason else None
        bar.advance()
        validation = validate_cases(sources, territories)
        bar.advance()
        classification = classify_sources(sources, report, territories)
        bar.advance()
        owned = store is None or isinstance(store, (str, Path))
        target: Store = open_store(store) if store is None or isinstance(store, (str, Path)) else store
        try:
            refuse_clashes(clashes(cases, target, names=names))  # and the cases already in the store
            load(target, sources, classification)
            bar.advance()
            counts = count(target)
            location = target.location
            bar.advance()
        finally:
            if owned:
                target.close()
    return BuildSummary(location, len(sources), counts, report, time.perf_counter() - started, validation, classification)


def render_build(summary: BuildSummary, lang: str) -> str:
    """The summary ``isgraph build`` prints, in ``lang``."""
    c, r = summary.counts, summary.consistency
    if r is None:
        checked = Message("cohérence : non vérifiée (--no-reasoner)", "consistency: not checked (--no-reasoner)")
    else:
        checked = Message(
            f"cohérence : ontologie et données cohérentes, aucune classe insatisfiable (HermiT, {r.seconds:.1f} s)",
            f"consistency: ontology and data consistent, no unsatisfiable class (HermiT, {r.seconds:.1f} s)",
        )
    v = summary.validation
    counted = {s: sum(1 for r in v.results if r.severity == s) for s in ("Violation", "Warning", "Info")} if v else {}
    validated = Message(
        f"validation : {len(v.inputs) if v else 0} cas conformes aux formes "
        f"({counted.get('Warning', 0)} avertissement(s), {counted.get('Info', 0)} info(s))",
        f"validation: {len(v.inputs) if v else 0} cases conform to the shapes "
        f"({counted.get('Warning', 0)} warning(s), {counted.get('Info', 0)} info(s))",
    )
    lines = [
        Message(
            f"isgraph build : {summary.files} fichiers chargés dans {summary.store}",
            f"isgraph build: {summary.files} files loaded into {summary.store}",
        ),
        validated,
        checked,
        Message(
            f"cas : {c.cases} · acteurs : {c.actors} · territoires : {c.territories} · "
            f"triplets : {c.triples} · graphes nommés : {c.graphs}",
            f"cases: {c.cases} · actors: {c.actors} · territories: {c.territories} · "
            f"triples: {c.triples} · named graphs: {c.graphs}",
        ),
        Message(f"durée : {summary.seconds:.1f} s", f"time: {summary.seconds:.1f} s"),
    ]
    text = "\n".join(("  " if i else "") + line.text(lang) for i, line in enumerate(lines))
    if summary.classification is not None:
        heading = Message("classement sous les profils de définition :", "classification under the definition profiles:")
        table = render_classification(summary.classification, "table", lang, summary.classification.labels)
        text += "\n  " + heading.text(lang) + "\n" + "".join(f"    {line}\n" if line else "\n" for line in table.splitlines())
    return text.rstrip("\n")
