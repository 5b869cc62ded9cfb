"""Turning the files and folders a user names into submissions to validate."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from isgraph import resources
from isgraph.errors import InputError, InputErrors
from isgraph.messages import Message
from isgraph.namespaces import GRAPH, ISG, RDF
from isgraph.rdf.files import ACCEPTED, MAX_CASE_TRIPLES, read_file
from isgraph.shacl.engine import Bundle, Submission, ValidationReport, Validator
from isgraph.store import Store, construct
from isgraph.store.territories import with_store

DATASET_SUFFIXES = (".nq", ".trig")
_RDF_TYPE = ox.NamedNode(RDF["type"])
_INITIATIVE = ox.NamedNode(ISG["Initiative"])


def expand(paths: Sequence[Path]) -> list[Path]:
    """The files named, and the accepted files found (recursively) in the folders named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in (*ACCEPTED, *DATASET_SUFFIXES)
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.exists():
            files.append(path)
        else:
            raise InputError(Message("fichier introuvable", "file not found"), path=path)
    if not files:
        raise InputError(Message("aucun fichier à valider", "no file to validate"), path=", ".join(str(p) for p in paths))
    return files


def read_submissions(paths: Sequence[Path]) -> list[Submission | Bundle]:
    """The submissions in ``paths``; the first input that cannot be read stops with its error."""
    inputs, errors = read_all(paths)
    if errors:
        raise errors[0]
    return inputs


def read_all(paths: Sequence[Path]) -> tuple[list[Submission | Bundle], list[InputError]]:
    """Every submission in ``paths`` that can be read, and every problem of those that cannot
    (each problem of a form, all at once): reading never stops at the first."""
    out: list[Submission | Bundle] = []
    errors: list[InputError] = []
    for path in expand(paths):
        shown = str(path)
        if path.suffix.lower() in DATASET_SUFFIXES:
            out.append(Bundle(path, shown))
            continue
        try:
            prefix = "v" + hashlib.sha1(shown.encode()).hexdigest()[:8]
            read = read_file(path, shown_as=shown, bnode_prefix=prefix, max_triples=MAX_CASE_TRIPLES)
        except InputErrors as exc:
            errors.extend(exc.errors)
            continue
        except InputError as exc:
            errors.append(exc)
            continue
        if not any(t.predicate == _RDF_TYPE and t.object == _INITIATIVE for t in read.triples):
            errors.append(
                InputError(
                    Message("aucun cas décrit (aucune isg:Initiative)", "no case described (no isg:Initiative)"), path=shown
                )
            )
            continue
        out.append(Submission(shown, tuple(read.triples), read.locate))
    return out, errors


def stored_submissions(store: Store) -> list[Submission]:
    """Every case graph of the store, as a submission named after its source file."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in store.quads():
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value.startswith(GRAPH["case/"]):
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    return [_named_after_source(graph, triples) for graph, triples in sorted(by_graph.items())]


def _named_after_source(graph: str, triples: list[ox.Triple]) -> Submission:
    sources = [
        t.object.value
        for t in triples
        if t.subject == ox.NamedNode(graph)
        and t.predicate == ox.NamedNode(ISG["sourceFile"])
        and isinstance(t.object, ox.Literal)
    ]
    return Submission(sources[0] if sources else graph, tuple(triples))


def validate_paths(paths: Sequence[Path], *, validator: Validator | None = None) -> ValidationReport:
    """Validate files and folders (forms, RDF files, N-Quads/TriG bundles of cases) together; the
    files that cannot be read are in the report's ``errors``, with every problem of each."""
    inputs, errors = read_all(paths)
    report = (validator or Validator()).validate(inputs)
    if not errors:
        return report
    unreadable = tuple(dict.fromkeys(e.path or "" for e in errors))
    return dataclasses.replace(report, inputs=(*report.inputs, *unreadable), errors=tuple(errors))


def validate_stored(store: Store, *, validator: Validator | None = None) -> ValidationReport:
    """Validate every case graph of the store together."""
    return (validator or store_validator(store)).validate(stored_submissions(store))


def store_validator(store: Store, *, foreign: Sequence[Path] = ()) -> Validator:
    """The shapes with the store's own ontology (the project's files when the store has none
    yet) and the territory reference every command shares: what ships, plus the territory
    graphs of the store that differ from it (:func:`isgraph.store.territories.with_store`)."""
    territories = with_store(store, resources.data_dir().resolve())
    graphs = [g for g in store.named_graphs() if g.startswith(GRAPH["ontology/"])]
    if not graphs:
        return Validator(territories=territories, foreign=foreign)
    values = " ".join(f"<{g}>" for g in graphs)
    context = construct(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    return Validator(context=context, territories=territories, foreign=foreign)
