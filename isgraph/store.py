"""The store: one interface over where the knowledge graph lives.

Two backends give the same operations (:class:`Store`):

- :class:`EmbeddedStore`, the default: pyoxigraph on disk (or in memory);
- :class:`isgraph.remote.RemoteStore`: any SPARQL 1.1 server, through the SPARQL
  1.1 Protocol (queries and updates).

:func:`connect` picks one from a single setting (a path or an endpoint URL); the
rest of isgraph only sees a :class:`Store`. Queries read the default graph as the
union of the named graphs (a remote server must be configured so, for example
``oxigraph serve --union-default-graph``).

Every write that replaces or drops named graphs is atomic: it is one SPARQL update (one
transaction) that deletes the old triples and inserts the new ones; when the new triples
hold blank nodes (which ``INSERT DATA`` would relabel), they go into staging graphs first
and one update moves them over the graphs they replace. A crash or a kill leaves either
the old graphs or the new ones.

Graphs that do not exist yet can also be written fast, with the embedded store's bulk
loader (:meth:`Store.add_new_graphs`, about three times faster than a transaction). That
write is not atomic, so a marker graph names the graphs it writes; the caller drops the
marker in its final atomic write, and a store opened with a marker left (a crash or a
kill in between) drops the graphs it names: all or nothing again.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox

from .errors import InputError, StoreError
from .messages import Message
from .namespaces import GRAPH, PREFIXES

DEFAULT_STORE = Path(".isgraph") / "store"
STAGING = GRAPH["staging/"]
#: Marker graphs of unfinished fast writes: each lists (as ``<graph> a <INCOMPLETE>``) the
#: graphs a write has begun to fill.
UNFINISHED = GRAPH["unfinished/"]
INCOMPLETE = "urn:isgraph:store:incomplete"

#: What a query gives: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]


class Store(Protocol):
    """What isgraph needs from a place that keeps the knowledge graph."""

    location: str

    def add(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Add triples to a named graph."""

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]], *, drop: Iterable[str] = ()) -> None:
        """Replace each named graph by the given triples and drop the graphs in ``drop``, all at once."""

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Drop named graphs, all at once."""

    def add_new_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> str | None:
        """Write graphs that do not exist yet as fast as the backend can. Returns the name of a
        marker graph that the caller must drop in its final :meth:`replace_graphs` (until
        then, a store reopened after a crash drops these graphs), or None when the write was
        already atomic."""

    def query(self, sparql: str, *, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None) -> QueryResult:
        """Run a SPARQL query; the default graph is the union of the named graphs, unless
        ``default_graphs`` names others (the SPARQL protocol's ``default-graph-uri``);
        ``named_graphs`` restricts what ``GRAPH`` sees (``named-graph-uri``)."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL update."""

    def named_graphs(self) -> list[str]: ...
    def quads(self) -> Iterator[ox.Quad]: ...
    def count(self) -> int:
        """The number of quads in the named graphs."""

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write every named graph (dataset formats) or their union (graph formats)."""

    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...


def staging_names(graphs: Iterable[str]) -> dict[str, str]:
    """A staging graph for each graph to replace."""
    return {target: f"{STAGING}{i}" for i, target in enumerate(graphs)}


def moves(staging: Mapping[str, str], drop: Iterable[str]) -> str:
    """The one SPARQL update that puts staged graphs in place and drops others."""
    steps = [f"DROP SILENT GRAPH <{g}>" for g in sorted(set(drop) - set(staging))]
    steps += [f"MOVE SILENT <{s}> TO <{target}>" for target, s in staging.items()]
    return " ;\n".join(steps)


class EmbeddedStore:
    """A pyoxigraph store, on disk at ``path`` or in memory when ``path`` is None."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True) -> None:
        self.location = str(path) if path is not None else ":memory:"
        if path is None:
            self._ox: ox.Store | None = ox.Store()
            return
        path = Path(path)
        if not create and not path.is_dir():
            raise StoreError(Message("aucun entrepôt ici : lancez d'abord « isgraph build »",
                                     "no store here: run \"isgraph build\" first"), path=path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._ox = ox.Store(str(path))
        except OSError as exc:
            detail = str(exc).splitlines()[0]
            if "lock" in detail.lower():
                raise StoreError(Message("l'entrepôt est utilisé par un autre processus",
                                         "the store is in use by another process"), path=path) from None
            raise StoreError(Message(f"impossible d'ouvrir l'entrepôt : {detail}",
                                     f"cannot open the store: {detail}"), path=path) from None
        self._drop_leftovers()
        self._drop_unfinished()

    @property
    def oxigraph(self) -> ox.Store:
        if self._ox is None:
            raise StoreError(Message("entrepôt fermé", "store closed"), path=self.location)
        return self._ox

    def _drop_leftovers(self) -> None:
        """Staging graphs left by a write that was killed are never part of the graph."""
        leftovers = [g.value for g in self.oxigraph.named_graphs()
                     if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING)]
        if leftovers:
            self._write(lambda s: s.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in leftovers)))

    def _drop_unfinished(self) -> None:
        """The graphs of a fast write that never finished, and its marker, go (one transaction)."""
        markers = [g for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(UNFINISHED)]
        if not markers:
            return
        begun = {q.subject.value for m in markers
                 for q in self.oxigraph.quads_for_pattern(None, None, ox.NamedNode(INCOMPLETE), m)}
        self.drop_graphs(sorted(begun | {m.value for m in markers}))

    def add_new_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> str | None:
        existing = {g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode)}
        if set(graphs) & existing:
            raise ValueError("add_new_graphs: some graphs exist already")
        marker = f"{UNFINISHED}{uuid.uuid4().hex}"
        a, incomplete = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(INCOMPLETE)
        self._write(lambda s: s.extend(ox.Quad(ox.NamedNode(g), a, incomplete, ox.NamedNode(marker)) for g in graphs))
        self._write(lambda s: s.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                                            for g, triples in graphs.items() for t in triples))
        return marker

    def _write(self, action) -> None:  # type: ignore[no-untyped-def]
        try:
            action(self.oxigraph)
        except OSError as exc:
            raise StoreError(Message(f"écriture impossible : {exc}", f"cannot write: {exc}"),
                             path=self.location) from None

    def add(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        g = ox.NamedNode(graph)
        self._write(lambda s: s.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples))

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]], *, drop: Iterable[str] = ()) -> None:
        self._drop_leftovers()
        if not any(isinstance(term, ox.BlankNode) for triples in graphs.values() for t in triples
                   for term in (t.subject, t.object)):
            # one update, one transaction: drop the old graphs, insert the new triples (faster
            # than staging; INSERT DATA would give blank nodes new labels, hence the test)
            existing = {g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode)}
            replaced = sorted(set(graphs) & existing)
            steps = [f"DROP SILENT GRAPH <{g}>" for g in sorted((set(drop) - set(graphs)) & existing)]
            if replaced:  # one DELETE is much faster than a DROP per graph; the names stay, refilled below
                steps.append("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { VALUES ?g { "
                             + " ".join(f"<{g}>" for g in replaced) + " } GRAPH ?g { ?s ?p ?o } }")
            body = " ".join(f"GRAPH <{g}> {{ {' . '.join(map(str, triples))} }}" for g, triples in graphs.items() if triples)
            if body:
                steps.append(f"INSERT DATA {{ {body} }}")
            if steps:
                self._write(lambda s: s.update(" ;\n".join(steps)))
            return
        staging = staging_names(graphs)
        update = moves(staging, drop)

        def write(store: ox.Store) -> None:
            store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(staging[target]))
                         for target, triples in graphs.items() for t in triples)
            if update:
                store.update(update)

        self._write(write)

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        self.replace_graphs({}, drop=graphs)

    def load(self, path: Path, fmt: ox.RdfFormat) -> None:
        """Bulk-load a dataset file as it is, named graphs kept (fast, not atomic: for benchmarks
        and fresh stores; :func:`isgraph.ingest.restore` is the atomic way)."""
        self._write(lambda s: s.bulk_load(path=str(path), format=fmt))

    def query(self, sparql: str, *, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None) -> QueryResult:
        dataset: dict[str, object] = {"use_default_graph_as_union": not default_graphs}
        if default_graphs:
            dataset["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            dataset["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self.oxigraph.query(sparql, **dataset)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise sparql_syntax_error(str(exc), "query") from None

    def update(self, sparql: str) -> None:
        try:
            self._write(lambda s: s.update(sparql))
        except SyntaxError as exc:
            raise sparql_syntax_error(str(exc), "update") from None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> Iterator[ox.Quad]:
        return (q for q in self.oxigraph if not isinstance(q.graph_name, ox.DefaultGraph))

    def count(self) -> int:
        return len(self.oxigraph) - sum(1 for _ in self.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        if fmt.supports_datasets:
            self.oxigraph.dump(output, format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)
        else:
            ox.serialize(union(self.quads()), output, format=fmt, prefixes=PREFIXES)

    def close(self) -> None:
        if self._ox is not None:
            self._ox.flush()
        self._ox = None

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_POSITION = re.compile(r"^error at (\d+):(\d+): ?")


def sparql_syntax_error(detail: str, kind: str) -> InputError:
    """A one-line error for SPARQL that does not parse, with its line and column."""
    first = detail.splitlines()[0] if detail else ""
    position = _POSITION.match(first)
    first = _POSITION.sub("", first)
    if len(first) > 120:
        first = first[:117] + "…"
    what = Message("requête SPARQL invalide", "invalid SPARQL query") if kind == "query" else Message(
        "mise à jour SPARQL invalide", "invalid SPARQL update")
    return InputError(Message(f"{what.fr} : {first}", f"{what.en}: {first}"), path="SPARQL",
                      line=int(position.group(1)) if position else None,
                      column=int(position.group(2)) if position else None)


def union(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of the quads, each once."""
    seen: dict[ox.Triple, None] = {}
    for q in quads:
        seen.setdefault(q.triple, None)
    return list(seen)


def connect(store: str | Path | None = DEFAULT_STORE, *, endpoint: str | None = None,
            update_endpoint: str | None = None, create: bool = True) -> Store:
    """The store a setting names: a SPARQL ``endpoint`` URL if given, else the embedded
    store at ``store`` (in memory when None). ``ISGRAPH_ENDPOINT`` sets the endpoint too."""
    endpoint = endpoint or os.environ.get("ISGRAPH_ENDPOINT") or None
    if endpoint:
        from .remote import RemoteStore

        return RemoteStore(endpoint, update_endpoint=update_endpoint or os.environ.get("ISGRAPH_UPDATE_ENDPOINT"))
    return EmbeddedStore(store, create=create)


def open_store(path: str | Path | None = DEFAULT_STORE, *, create: bool = True) -> EmbeddedStore:
    """Open the embedded store at ``path`` (in memory when None)."""
    return EmbeddedStore(path, create=create)
