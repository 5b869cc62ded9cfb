"""Which files make up the knowledge graph, and which named graph each goes to.

- ``ontology/<name>.ttl``        -> ``graph/ontology/<name>``
- ``data/territories/<name>.*``  -> ``graph/territories/<name>``
- ``data/sources/<name>.*``      -> ``graph/sources/<name>``
- ``data/cases/<file>``          -> one graph per case, named after its initiative
  (:func:`isgraph.namespaces.case_graph_iri`); a case file holds exactly one
  ``isg:Initiative``.

Each graph also records where it came from: ``isg:sourceFile`` and ``isg:sha256``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import GRAPH, ISG, RDF, case_graph_iri
from isgraph.rdf.files import content_digest, read_file

DATA_KINDS = ("territories", "vocabularies", "sources", "cases")
_IGNORED_SUFFIXES = {".md", ".txt"}


@dataclass(frozen=True)
class GraphSource:
    """One file, parsed, with the named graph it goes to."""

    graph: str
    kind: str
    shown_as: str
    sha256: str
    triples: tuple[ox.Triple, ...]

    def with_provenance(self) -> list[ox.Triple]:
        """The file's triples plus the record of where they came from."""
        g = ox.NamedNode(self.graph)
        return [
            *self.triples,
            ox.Triple(g, ox.NamedNode(ISG["sourceFile"]), ox.Literal(self.shown_as)),
            ox.Triple(g, ox.NamedNode(ISG["sha256"]), ox.Literal(self.sha256)),
        ]


def _files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix.lower() not in _IGNORED_SUFFIXES
    )


def base_name(path: Path) -> str:
    """A file's name without its extensions: ``cog-2026`` for ``cog-2026.ttl.gz``."""
    return Path(path.stem).stem if path.suffix.lower() == ".gz" else path.stem


def _prefix(graph: str) -> str:
    return "g" + hashlib.sha1(graph.encode("utf-8")).hexdigest()[:10]


def _read(path: Path, root: Path, kind: str, graph: str | None) -> GraphSource:
    shown_as = path.relative_to(root.parent).as_posix()
    prefix = _prefix(graph or shown_as)
    read = read_file(path, shown_as=shown_as, bnode_prefix=prefix, check_terms=kind != "ontology")
    triples, digest = read.triples, read.sha256
    if graph is None:
        graph = case_graph_iri(_initiative_of(triples, shown_as))
    return GraphSource(graph, kind, shown_as, digest, tuple(triples))


def _initiative_of(triples: list[ox.Triple], shown_as: str) -> str:
    initiative_type = ox.NamedNode(ISG["Initiative"])
    rdf_type = ox.NamedNode(RDF["type"])
    found = sorted(
        {
            t.subject.value
            for t in triples
            if t.predicate == rdf_type and t.object == initiative_type and isinstance(t.subject, ox.NamedNode)
        }
    )
    if len(found) != 1:
        raise InputError(
            Message(
                f"un fichier de cas doit décrire exactement une isg:Initiative (avec un IRI) ; celui-ci en décrit {len(found)}",
                f"a case file must describe exactly one isg:Initiative (with an IRI); this one describes {len(found)}",
            ),
            path=shown_as,
        )
    return found[0]


def collect_ontology(ontology_dir: Path) -> list[GraphSource]:
    """The ontology files, one named graph each."""
    if not ontology_dir.is_dir():
        raise InputError(Message("dossier de l'ontologie introuvable", "ontology folder not found"), path=ontology_dir)
    return [_read(p, ontology_dir, "ontology", GRAPH["ontology/" + p.stem]) for p in _files(ontology_dir)]


def collect_data(data_dir: Path) -> list[GraphSource]:
    """The territories, sources and cases under ``data_dir``."""
    if not data_dir.is_dir():
        raise InputError(Message("dossier de données introuvable", "data folder not found"), path=data_dir)
    for entry in _files(data_dir):
        raise InputError(
            Message(
                "fichier hors des sous-dossiers attendus : rangez-le dans cases/, territories/, vocabularies/ ou sources/",
                "file outside the expected subfolders: put it in cases/, territories/, vocabularies/ or sources/",
            ),
            path=entry.relative_to(data_dir.parent).as_posix(),
        )
    for entry in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if entry.name not in DATA_KINDS:
            raise InputError(
                Message(
                    "sous-dossier inconnu : les données vont dans cases/, territories/, vocabularies/ ou sources/",
                    "unknown subfolder: data goes in cases/, territories/, vocabularies/ or sources/",
                ),
                path=entry.relative_to(data_dir.parent).as_posix(),
            )
    sources = [source for kind in DATA_KINDS for source in collect_kind(data_dir, kind)]
    _refuse_duplicate_graphs(sources)
    return sources


def digests(data_dir: Path, kind: str) -> dict[str, str]:
    """The named graph and the SHA-256 of each file of one kind, without parsing them."""
    folder = data_dir / kind
    if not folder.is_dir():
        return {}
    return {GRAPH[f"{kind}/{base_name(path)}"]: content_digest(path) for path in _files(folder)}


def collect_kind(data_dir: Path, kind: str) -> list[GraphSource]:
    """The files of one kind (``territories``, ``sources`` or ``cases``) under ``data_dir``."""
    folder = data_dir / kind
    if not folder.is_dir():
        return []
    return [
        _read(
            path, data_dir, "case" if kind == "cases" else kind, None if kind == "cases" else GRAPH[f"{kind}/{base_name(path)}"]
        )
        for path in _files(folder)
    ]


def _refuse_duplicate_graphs(sources: list[GraphSource]) -> None:
    seen: dict[str, GraphSource] = {}
    for source in sources:
        other = seen.get(source.graph)
        if other is not None:
            raise InputError(
                Message(
                    f"même graphe nommé que {other.shown_as} (même initiative ou même nom de fichier) : {source.graph}",
                    f"same named graph as {other.shown_as} (same initiative or same file name): {source.graph}",
                ),
                path=source.shown_as,
            )
        seen[source.graph] = source
