"""The store: one interface over where the knowledge graph lives.

The embedded default is a pyoxigraph store on disk (or in memory when no path is
given). Every write that replaces named graphs is atomic: the new triples go into
staging graphs in one transaction, then one SPARQL update moves them over the
graphs they replace, so a crash leaves either the old graphs or the new ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox

from .errors import StoreError
from .messages import Message
from .namespaces import GRAPH, PREFIXES

DEFAULT_STORE = Path(".isgraph") / "store"
_STAGING = GRAPH["staging/"]


class Store(Protocol):
    """What isgraph needs from a place that keeps the knowledge graph."""

    location: str

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None: ...
    def query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples: ...
    def named_graphs(self) -> list[str]: ...
    def quads(self) -> Iterator[ox.Quad]: ...
    def count(self) -> int: ...
    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None: ...
    def close(self) -> None: ...


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

    @property
    def oxigraph(self) -> ox.Store:
        if self._ox is None:
            raise StoreError(Message("entrepôt fermé", "store closed"), path=self.location)
        return self._ox

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """Replace each named graph by the given triples, all at once."""
        store = self.oxigraph
        leftovers = [g for g in self.named_graphs() if g.startswith(_STAGING)]
        if leftovers:
            store.update("".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in leftovers))
        staging = {target: _STAGING + str(i) for i, target in enumerate(graphs)}
        try:
            store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(staging[target]))
                         for target, triples in graphs.items() for t in triples)
            if staging:
                store.update(" ;\n".join(f"MOVE SILENT <{s}> TO <{target}>" for target, s in staging.items()))
        except OSError as exc:
            raise StoreError(Message(f"écriture impossible : {exc}", f"cannot write: {exc}"),
                             path=self.location) from None

    def query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        return self.oxigraph.query(sparql, use_default_graph_as_union=True)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.oxigraph)

    def count(self) -> int:
        return len(self.oxigraph)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write every named graph (dataset formats) or their union (graph formats)."""
        if fmt.supports_datasets:
            self.oxigraph.dump(output, format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)
        else:
            ox.serialize(_union(self.quads()), output, format=fmt, prefixes=PREFIXES)

    def close(self) -> None:
        if self._ox is not None:
            self._ox.flush()
        self._ox = None

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _union(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    seen: dict[ox.Triple, None] = {}
    for q in quads:
        seen.setdefault(q.triple, None)
    return list(seen)


def open_store(path: str | Path | None = DEFAULT_STORE, *, create: bool = True) -> EmbeddedStore:
    """Open the embedded store at ``path`` (in memory when None)."""
    return EmbeddedStore(path, create=create)
