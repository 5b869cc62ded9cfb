"""Putting cases into the store, and taking them out, without losing anything.

``ingest`` validates every case first: if one has a violation, nothing is written
and the report says why. Conforming cases go each into its own named graph
(:func:`isgraph.namespaces.case_graph_iri`) with their provenance (PROV-O: who
submitted it, when, from which file, its SHA-256), all in one atomic replacement:
a crash or a kill leaves every case either fully in or fully out. Ingesting a
case again replaces its graph.
"""

from __future__ import annotations

import datetime
import getpass
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from isgraph.errors import InputError, InvalidDataError, StoreError
from isgraph.graph.ownership import clashes, refuse_clashes
from isgraph.graph.stats import count_cases
from isgraph.messages import Message
from isgraph.namespaces import GRAPH, ID, ISG, PROV, RDF, RDFS, XSD, case_graph_iri
from isgraph.rdf.files import MAX_CASE_TRIPLES, read_file
from isgraph.rdf.parsing import Locator, nowhere, parse_quads
from isgraph.reason.classification import outdated_marker, reclassify
from isgraph.shacl.api import store_validator
from isgraph.shacl.engine import Submission, ValidationReport, Validator
from isgraph.shacl.report import render
from isgraph.store import Store


@dataclass(frozen=True)
class Case:
    """One case file, read: its triples and the graph it goes to."""

    file: str
    graph: str
    initiative: str
    sha256: str
    triples: tuple[ox.Triple, ...]
    locate: Locator = nowhere


@dataclass(frozen=True)
class IngestResult:
    cases: tuple[Case, ...]
    report: ValidationReport
    replaced: tuple[str, ...]
    #: how many cases the store holds once they are in
    in_store: int = 0

    def render(self, fmt: str, lang: str) -> str:
        """What ``isgraph ingest`` prints: each case added or replaced, the counts, and the
        warnings accepted with it, in full (in the report format ``fmt``)."""
        replaced = set(self.replaced)
        lines = [
            f"{(Message('remplacé', 'replaced') if c.graph in replaced else Message('ajouté', 'added')).text(lang)}: "
            f"{c.file} -> <{c.graph}>"
            for c in self.cases
        ]
        accepted = self.report.at_least("Warning")
        warnings = len(accepted.results)
        lines.append(
            Message(
                f"{len(self.cases)} cas ingéré(s) ; {self.in_store} cas dans l'entrepôt ; "
                + (f"{warnings} avertissement(s) accepté(s) :" if warnings else "aucun avertissement"),
                f"{len(self.cases)} case(s) ingested; {self.in_store} case(s) in the store; "
                + (f"{warnings} warning(s) accepted:" if warnings else "no warning"),
            ).text(lang)
        )
        text = "\n".join(lines) + "\n"
        return text + render(accepted, fmt, lang) if warnings else text


def read_case(path: Path, shown_as: str | None = None) -> Case:
    shown = shown_as or str(path)
    prefix = "c" + hashlib.sha1(shown.encode()).hexdigest()[:10]
    read = read_file(path, shown_as=shown, bnode_prefix=prefix, max_triples=MAX_CASE_TRIPLES)
    initiatives = sorted(
        {
            t.subject.value
            for t in read.triples
            if t.predicate.value == RDF["type"]
            and t.object == ox.NamedNode(ISG["Initiative"])
            and isinstance(t.subject, ox.NamedNode)
        }
    )
    if len(initiatives) != 1:
        raise InputError(
            Message(
                f"un fichier de cas doit décrire exactement une isg:Initiative ; celui-ci en décrit {len(initiatives)}",
                f"a case file must describe exactly one isg:Initiative; this one describes {len(initiatives)}",
            ),
            path=shown,
        )
    return Case(shown, case_graph_iri(initiatives[0]), initiatives[0], read.sha256, tuple(read.triples), read.locate)


def submitter_iri(name: str) -> str:
    """An IRI for whoever submits: theirs if they give one, else one minted from their name."""
    if name.startswith(("http://", "https://", "mailto:")):
        return name
    return ID["agent/" + quote(name, safe="-._~")]


def provenance(case: Case, submitter: str, when: datetime.datetime) -> list[ox.Triple]:
    """PROV-O for the case's graph: attributed to the submitter, generated now, from this file."""
    g, agent = ox.NamedNode(case.graph), ox.NamedNode(submitter_iri(submitter))
    return [
        ox.Triple(g, ox.NamedNode(RDF["type"]), ox.NamedNode(PROV["Entity"])),
        ox.Triple(g, ox.NamedNode(PROV["wasAttributedTo"]), agent),
        ox.Triple(
            g,
            ox.NamedNode(PROV["generatedAtTime"]),
            ox.Literal(when.isoformat(timespec="seconds"), datatype=ox.NamedNode(XSD["dateTime"])),
        ),
        ox.Triple(g, ox.NamedNode(ISG["sourceFile"]), ox.Literal(case.file)),
        ox.Triple(g, ox.NamedNode(ISG["sha256"]), ox.Literal(case.sha256)),
        ox.Triple(agent, ox.NamedNode(RDF["type"]), ox.NamedNode(PROV["Agent"])),
        ox.Triple(agent, ox.NamedNode(RDFS["label"]), ox.Literal(submitter)),
    ]


def default_submitter() -> str:
    return os.environ.get("ISGRAPH_SUBMITTER") or getpass.getuser()


def ingest(
    store: Store,
    paths: Sequence[Path],
    *,
    submitter: str | None = None,
    validator: Validator | None = None,
    shown_as: Sequence[str] | None = None,
    fail_on: str = "violation",
) -> IngestResult:
    """Validate the cases in ``paths`` and, if none has a result at or above ``fail_on`` (a
    violation, unless the steward's policy says ``warning`` or ``info``), put them all in
    ``store`` at once. ``shown_as`` names the files in reports and provenance (default: their paths)."""
    names = list(shown_as) if shown_as is not None else [str(p) for p in paths]
    cases = [read_case(p, n) for p, n in zip(paths, names, strict=True)]
    seen: dict[str, Case] = {}
    for case in cases:
        if case.graph in seen:
            raise InputError(
                Message(
                    f"même cas que {seen[case.graph].file} : {case.initiative}",
                    f"same case as {seen[case.graph].file}: {case.initiative}",
                ),
                path=case.file,
            )
        seen[case.graph] = case
    refuse_clashes(clashes({c.graph: c.triples for c in cases}, store, names={c.graph: c.file for c in cases}))
    report = (validator or store_validator(store)).validate([Submission(c.file, c.triples, c.locate) for c in cases])
    if report.fails(fail_on):
        raise RefusedError(report, fail_on)
    who = submitter or default_submitter()
    now = datetime.datetime.now(datetime.UTC)
    existing = store.present(c.graph for c in cases)
    # the stored verdicts of the definition profiles no longer hold: marked so, until the
    # changed cases are classified again (or "isgraph classify" when the store keeps no views)
    store.replace_graphs({**{c.graph: [*c.triples, *provenance(c, who, now)] for c in cases}, **outdated_marker(now)})
    reclassify(store)
    replaced = tuple(c.graph for c in cases if c.graph in existing)
    return IngestResult(tuple(cases), report, replaced, count_cases(store))


class RefusedError(InvalidDataError):
    """Cases with results the steward's policy blocks on: nothing was written; the report says what to fix."""

    def __init__(self, report: ValidationReport, fail_on: str = "violation") -> None:
        blocking = report.at_least(fail_on.capitalize())
        files = sorted({r.source.file for r in blocking.results if r.source})
        count = len(blocking.results)
        what = {"violation": ("violation(s)", "violation(s)"), "warning": ("violation(s) ou avertissement(s)", "violation(s) or warning(s)"),
                "info": ("résultat(s)", "result(s)")}[fail_on]  # fmt: skip
        super().__init__(
            Message(
                f"refusé : {count} {what[0]} dans {', '.join(files)} ; rien n'a été écrit dans l'entrepôt",
                f"refused: {count} {what[1]} in {', '.join(files)}; nothing was written to the store",
            )
        )
        self.report = report
        #: the results the policy blocks on
        self.blocking = blocking


def case_graph(store: Store, name: str) -> str:
    """The graph of a stored case named by its slug (``initielles``), its initiative IRI or its graph IRI."""
    candidates = (
        [name] if name.startswith(GRAPH["case/"]) else [case_graph_iri(name if "://" in name else ID["initiative/" + name])]
    )
    graphs = store.present(candidates)
    for graph in candidates:
        if graph in graphs:
            return graph
    raise InputError(Message(f"aucun cas « {name} » dans l'entrepôt", f'no case "{name}" in the store'), path=store.location)


def remove(store: Store, names: Sequence[str]) -> list[str]:
    """Drop the graphs of the named cases, all at once."""
    graphs = [case_graph(store, n) for n in names]
    store.replace_graphs(outdated_marker(), drop=graphs)
    reclassify(store)
    return graphs


def restore(store: Store, path: Path) -> int:
    """Replace the whole store by a dump (N-Quads or TriG), in one atomic step; the number of quads."""
    suffix = path.suffix.lower()
    formats = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}
    if suffix not in formats:
        raise InputError(Message("une sauvegarde est un fichier .nq ou .trig", "a dump is a .nq or .trig file"), path=path)
    try:
        quads = parse_quads(path.read_bytes(), formats[suffix], shown_as=str(path))
    except OSError as exc:
        raise InputError(Message(f"fichier illisible : {exc.strerror}", f"unreadable file: {exc.strerror}"), path=path) from None
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise StoreError(
                Message("une sauvegarde ne met rien dans le graphe par défaut", "a dump puts nothing in the default graph"),
                path=path,
            )
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    store.replace_graphs(graphs, drop=store.named_graphs())
    return len(quads)
