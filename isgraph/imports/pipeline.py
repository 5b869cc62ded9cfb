"""One import: records in, validated, written with their provenance, and an account of it.

Where things go (``NAME`` is the source's name, ``--source``):

- each record's case in a named graph of its own, ``graph/import/NAME/case/<key>``, so
  that a record can be replaced or removed alone and no record can change another (the
  ownership rules of cases apply: :mod:`isgraph.graph.ownership`);
- the source's own graph, ``graph/import/NAME``: the source (``dcat:Dataset``, its
  licence and attribution), the file read (name, SHA-256), the import (PROV-O activity,
  times, edition) and, for each case graph, ``prov:wasDerivedFrom`` the file's record
  (``isg:recordNumber``, ``isg:sourceLine``, the source's identifier) and the SHA-256 of
  its triples.

Importing again compares each record with what the store holds (the SHA-256 of its
triples): only new and changed records are validated and written, records gone from the
file are removed, and the same file again writes nothing at all. A record with a
violation is not written (its previous version, if any, stays) and is reported with its
line. Every write is atomic (the first import of a large source uses the bulk loader,
under a marker that the final atomic write drops: all or nothing).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from isgraph.graph.ownership import clashes
from isgraph.imports.records import Columns, Record
from isgraph.messages import Message
from isgraph.namespaces import DCTERMS, GRAPH, ID, ISG, PROV, RDF, RDFS, XSD
from isgraph.progress import Progress
from isgraph.reason.classification import outdated_marker, reclassify
from isgraph.shacl.api import store_validator
from isgraph.shacl.engine import Submission, Validator
from isgraph.store import Store, select

DCAT = "http://www.w3.org/ns/dcat#"
LINE = Message("ligne", "line")
#: Cases written per atomic write (one large transaction is much slower).
WRITE_BATCH = 500
#: Records validated at once (the progress bar moves between batches).
VALIDATE_BATCH = 10_000


@dataclass(frozen=True)
class ImportSource:
    """What is imported: the source's name (a slug), the format, the file, and what the
    publisher says of its licence."""

    name: str
    format: str
    path: Path
    licence: str | None = None
    rights: Message | None = None
    title: Message | None = None
    #: what the report calls the place of a record in the file
    unit: Message = LINE
    #: what each record's graph holds: a case, or facts on an actor
    folder: str = "case"
    #: other files the format read beside ``path``
    more_files: tuple[Path, ...] = ()

    @property
    def graph(self) -> str:
        return GRAPH[f"import/{self.name}"]

    @property
    def iri(self) -> str:
        return ID[f"source/{self.name}"]

    def case_graph(self, key: str) -> str:
        return GRAPH[f"import/{self.name}/{self.folder}/{quote(key, safe='-._~')}"]


@dataclass
class ImportOutcome:
    """What an import did: the records read, what was added, changed, removed, refused."""

    source: ImportSource
    records: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    #: (line, identifier, why) of each record not written
    refused: list[tuple[int, str, Message]] = field(default_factory=list)
    columns: Columns = field(default_factory=Columns)
    edition: datetime.date | None = None
    seconds: float = 0.0

    def render(self, lang: str) -> str:
        """What ``isgraph import`` prints: the counts, each refused record, and per column
        what was mapped, what could not be and what is never imported."""
        fr = lang == "fr"
        s = self.source
        lines = [
            (
                f"isgraph import : {s.path} ({s.format}) → source « {s.name} », édition du {self.edition} : "
                f"{self.records} fiche(s) ; {len(self.added)} ajoutée(s), {len(self.changed)} modifiée(s), "
                f"{len(self.removed)} retirée(s), {self.unchanged} inchangée(s), {len(self.refused)} refusée(s) "
                f"({self.seconds:.1f} s)"
            )
            if fr
            else (
                f'isgraph import: {s.path} ({s.format}) → source "{s.name}", edition of {self.edition}: '
                f"{self.records} record(s); {len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed, {self.unchanged} unchanged, {len(self.refused)} refused "
                f"({self.seconds:.1f} s)"
            )
        ]
        for line, key, why in sorted(self.refused, key=lambda r: r[0])[:20]:
            lines.append(
                f"  refusée : {s.path}, {s.unit.fr} {line} ({key or '?'}) : {why.fr}"
                if fr
                else f"  refused: {s.path}, {s.unit.en} {line} ({key or '?'}): {why.en}"
            )
        if len(self.refused) > 20:
            lines.append(f"  … {len(self.refused) - 20} {'autre(s)' if fr else 'more'}")
        lines.append("  colonnes :" if fr else "  columns:")
        for column in self.columns:
            if column.left_out is not None and not column.mapped:
                lines.append(
                    f"    {column.name} : {column.left_out.text(lang)}"
                    if fr
                    else f"    {column.name}: {column.left_out.text(lang)}"
                )
                continue
            missed = sum(column.unmapped.values())
            text = (
                f"    {column.name} : {column.mapped} valeur(s) reprise(s)"
                if fr
                else f"    {column.name}: {column.mapped} value(s) mapped"
            )
            if missed:
                examples = ", ".join(f"« {v} »" if fr else f'"{v}"' for v, _ in column.unmapped.most_common(3))
                text += (
                    f", {missed} sans correspondance ({len(column.unmapped)} distincte(s), par exemple {examples})"
                    if fr
                    else f", {missed} not mapped ({len(column.unmapped)} distinct, for example {examples})"
                )
            if column.left_out is not None:
                text += f" ; sinon {column.left_out.text(lang)}" if fr else f"; otherwise {column.left_out.text(lang)}"
            lines.append(text)
            for (value, code), count in sorted(column.read_as.items(), key=lambda kv: (-kv[1], kv[0]))[:12]:
                if value.upper() != code:
                    lines.append(f"      « {value} » → {code} ({count})" if fr else f'      "{value}" → {code} ({count})')
        return "\n".join(lines)


def run_import(
    store: Store,
    source: ImportSource,
    records: Sequence[Record],
    columns: Columns,
    *,
    edition: datetime.date,
    validator: Validator | None = None,
    lang: str = "en",
) -> ImportOutcome:
    """Validate the new and changed records, write them, remove the records gone from the
    file, and record the provenance: all or nothing."""
    started = time.monotonic()
    began = datetime.datetime.now(datetime.UTC)
    outcome = ImportOutcome(source, records=len(records), columns=columns, edition=edition)
    file_digest = _files_digest(source)
    present: dict[str, Record] = {}
    first_line: dict[str, int] = {}
    for record in records:
        if not record.key or not record.triples:
            outcome.refused.append(
                (
                    record.row,
                    record.key,
                    Message(
                        "ni identifiant ni nom : la fiche ne peut être un cas",
                        "no identifier or no name: the record cannot be a case",
                    ),
                )
            )
        elif record.key in first_line:
            line = first_line[record.key]
            unit = source.unit
            outcome.refused.append(
                (
                    record.row,
                    record.key,
                    Message(f"identifiant déjà vu ({unit.fr} {line})", f"identifier already seen ({unit.en} {line})"),
                )
            )
        else:
            first_line[record.key] = record.row
            present[source.case_graph(record.key)] = record
    digests = {graph: _digest(r.triples) for graph, r in present.items()}
    stored, stored_file = _stored(store, source)
    to_write = {g: r for g, r in present.items() if stored.get(g) != digests[g]}
    refused = _validate(store, source, to_write, validator, outcome, lang)
    for graph in refused:
        del to_write[graph]
    removed = sorted(set(stored) - set(present))
    # no record may describe what another case owns (the records this import drops aside)
    for clash in clashes({g: r.triples for g, r in to_write.items()}, store, replacing=removed):
        for graph in (clash.owner, clash.other):
            if graph in to_write:
                record = to_write.pop(graph)
                outcome.refused.append((record.row, record.key, clash.message()))
    outcome.added = sorted(g for g in to_write if g not in stored)
    outcome.changed = sorted(g for g in to_write if g in stored)
    outcome.removed = removed
    # a record refused now keeps its previous version, if it had one
    kept = {g: r for g, r in present.items() if g in to_write or g in stored}
    outcome.unchanged = sum(1 for g in present if stored.get(g) == digests[g])
    if not to_write and not removed and stored_file == file_digest:
        outcome.seconds = time.monotonic() - started
        return outcome  # the same file again: nothing to write, not even the provenance
    ended = datetime.datetime.now(datetime.UTC)
    prov = _provenance(
        source, kept, digests | {g: stored[g] for g in kept if g not in to_write}, file_digest, edition, began, ended
    )
    targets = sorted(to_write)
    with Progress(len(targets), "écriture" if lang == "fr" else "writing") as bar:
        if not stored and len(targets) > WRITE_BATCH:
            marker = store.add_new_graphs({**{g: list(to_write[g].triples) for g in targets}, source.graph: prov})
            bar.advance(len(targets))
            store.replace_graphs(outdated_marker(ended), drop=[marker] if marker else [])
        else:
            chunks = [targets[i : i + WRITE_BATCH] for i in range(0, len(targets), WRITE_BATCH)] or [[]]
            for chunk in chunks[:-1]:
                store.replace_graphs({g: list(to_write[g].triples) for g in chunk})
                bar.advance(len(chunk))
            last = {g: list(to_write[g].triples) for g in chunks[-1]}
            store.replace_graphs({**last, source.graph: prov, **outdated_marker(ended)}, drop=removed)
            bar.advance(len(chunks[-1]))
    reclassify(store)
    outcome.seconds = time.monotonic() - started
    return outcome


def previous_edition(store: Store, source_name: str) -> datetime.date | None:
    """The edition the last import of this source recorded (an import without ``--edition``
    keeps it, so that the same file again changes nothing)."""
    rows = select(
        store,
        f"SELECT ?e WHERE {{ GRAPH <{GRAPH[f'import/{source_name}']}> {{ <{ID[f'source/{source_name}']}> <{ISG['edition']}> ?e }} }}",
    )
    try:
        return datetime.date.fromisoformat(rows[0]["e"].value) if rows else None
    except ValueError:
        return None


def _files_digest(source: ImportSource) -> str:
    """The SHA-256 of the file read (of all of them, when the format reads several)."""
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (source.path, *source.more_files)]
    return digests[0] if len(digests) == 1 else hashlib.sha256(" ".join(digests).encode()).hexdigest()


def _digest(triples: Sequence[ox.Triple]) -> str:
    return hashlib.sha256("\n".join(sorted(str(t) for t in triples)).encode("utf-8")).hexdigest()


def _stored(store: Store, source: ImportSource) -> tuple[dict[str, str], str | None]:
    """The case graphs the last import wrote (each with the SHA-256 of its triples), and the
    SHA-256 of the file it read."""
    if not store.present([source.graph]):
        return {}, None
    rows = select(store, f"SELECT ?g ?sha WHERE {{ GRAPH <{source.graph}> {{ ?g <{ISG['sha256']}> ?sha }} }}")
    found = {r["g"].value: r["sha"].value for r in rows}
    prefix = GRAPH[f"import/{source.name}/"]
    return {g: sha for g, sha in found.items() if g.startswith(prefix)}, found.get(f"{source.iri}/file")


def _validate(
    store: Store,
    source: ImportSource,
    records: dict[str, Record],
    validator: Validator | None,
    outcome: ImportOutcome,
    lang: str,
) -> set[str]:
    """The graphs whose records have a violation (reported in ``outcome``)."""
    if not records:
        return set()
    validator = validator or store_validator(store)
    by_name = {f"{source.path.name}:{r.row}": g for g, r in records.items()}
    refused: dict[str, list[Message]] = {}
    graphs = list(records)
    with Progress(len(graphs), "validation") as bar:  # the same word in both languages
        for i in range(0, len(graphs), VALIDATE_BATCH):
            chunk = graphs[i : i + VALIDATE_BATCH]
            report = validator.validate([Submission(f"{source.path.name}:{records[g].row}", records[g].triples) for g in chunk])
            for result in report.at_least("Violation").results:
                if result.source and result.source.file in by_name:
                    refused.setdefault(by_name[result.source.file], []).append(result.message)
            bar.advance(len(chunk))
    for graph, messages in sorted(refused.items(), key=lambda kv: records[kv[0]].row):
        first = messages[0]
        more = len(messages) - 1
        outcome.refused.append(
            (
                records[graph].row,
                records[graph].key,
                Message(
                    first.fr + (f" (et {more} autre(s))" if more else ""), first.en + (f" (and {more} more)" if more else "")
                ),
            )
        )
    return set(refused)


def _provenance(
    source: ImportSource,
    kept: dict[str, Record],
    digests: dict[str, str],
    file_digest: str,
    edition: datetime.date,
    began: datetime.datetime,
    ended: datetime.datetime,
) -> list[ox.Triple]:
    n, lit = ox.NamedNode, ox.Literal
    a = n(RDF["type"])
    src, file, activity = n(source.iri), n(f"{source.iri}/file"), n(f"{source.iri}/import")
    integer = n(XSD["integer"])

    def when(t: datetime.datetime) -> ox.Literal:
        return lit(t.isoformat(timespec="seconds"), datatype=n(XSD["dateTime"]))

    out = [
        ox.Triple(src, a, n(DCAT + "Dataset")),
        ox.Triple(src, a, n(PROV["Entity"])),
        ox.Triple(src, n(RDFS["label"]), lit(source.name)),
        ox.Triple(src, n(ISG["importFormat"]), lit(source.format)),
        ox.Triple(src, n(ISG["edition"]), lit(edition.isoformat(), datatype=n(XSD["date"]))),
        ox.Triple(src, n(DCAT + "distribution"), file),
        ox.Triple(file, a, n(PROV["Entity"])),
        ox.Triple(file, n(RDFS["label"]), lit(source.path.name)),
        ox.Triple(file, n(ISG["sha256"]), lit(file_digest)),
        ox.Triple(activity, a, n(PROV["Activity"])),
        ox.Triple(activity, n(PROV["used"]), file),
        ox.Triple(activity, n(PROV["startedAtTime"]), when(began)),
        ox.Triple(activity, n(PROV["endedAtTime"]), when(ended)),
    ]
    for i, extra in enumerate(source.more_files, 2):
        other = n(f"{source.iri}/file-{i}")
        out += [
            ox.Triple(src, n(DCAT + "distribution"), other),
            ox.Triple(other, a, n(PROV["Entity"])),
            ox.Triple(other, n(RDFS["label"]), lit(extra.name)),
            ox.Triple(other, n(ISG["sha256"]), lit(hashlib.sha256(extra.read_bytes()).hexdigest())),
            ox.Triple(activity, n(PROV["used"]), other),
        ]
    if source.licence:
        out.append(ox.Triple(src, n(DCTERMS["license"]), n(source.licence)))
    for text, cls in ((source.rights, "rights"), (source.title, "title")):
        if text:
            out += [
                ox.Triple(src, n(DCTERMS[cls]), lit(text.fr, language="fr")),
                ox.Triple(src, n(DCTERMS[cls]), lit(text.en, language="en")),
            ]
    for i, (graph, record) in enumerate(sorted(kept.items(), key=lambda kv: kv[1].row), 1):
        g, row = n(graph), n(f"{source.iri}/file#record-{quote(record.key, safe='-._~')}")
        out += [
            ox.Triple(g, a, n(PROV["Entity"])),
            ox.Triple(g, n(PROV["wasDerivedFrom"]), row),
            ox.Triple(g, n(PROV["hadPrimarySource"]), src),
            ox.Triple(g, n(ISG["sha256"]), lit(digests[graph])),
            ox.Triple(row, a, n(PROV["Entity"])),
            ox.Triple(row, n(DCTERMS["isPartOf"]), file),
            ox.Triple(row, n(DCTERMS["identifier"]), lit(record.key)),
            ox.Triple(row, n(ISG["recordNumber"]), lit(str(i), datatype=integer)),
            ox.Triple(row, n(ISG["sourceLine"]), lit(str(record.row), datatype=integer)),
        ]
    return out
