"""The store: one interface over where the knowledge graph lives.

Three backends give the same operations (:class:`Store`):

- :class:`isgraph.store.embedded.EmbeddedStore`, the default: pyoxigraph on disk (or in memory);
- :class:`isgraph.store.remote.RemoteStore`: any SPARQL 1.1 server, through the SPARQL
  1.1 Protocol (queries and updates);
- :class:`isgraph.store.process.ProcessStore`: the on-disk store in a process of its own,
  for ``isgraph serve`` (an overrunning query is killed).

:func:`isgraph.store.connect` picks one from a single setting (a path or an endpoint URL);
the rest of isgraph only sees a :class:`Store`. Queries read the default graph as the
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

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import GRAPH
from isgraph.store.limits import Collected, QueryResult

DEFAULT_STORE = Path(".isgraph") / "store"
STAGING = GRAPH["staging/"]
#: Marker graphs of unfinished fast writes: each lists (as ``<graph> a <INCOMPLETE>``) the
#: graphs a write has begun to fill.
UNFINISHED = GRAPH["unfinished/"]
INCOMPLETE = "urn:isgraph:store:incomplete"


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

    def query(
        self, sparql: str, *, default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None
    ) -> QueryResult:
        """Run a SPARQL query; the default graph is the union of the named graphs, unless
        ``default_graphs`` names others (the SPARQL protocol's ``default-graph-uri``);
        ``named_graphs`` restricts what ``GRAPH`` sees (``named-graph-uri``)."""

    def collected(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float = float("inf"),
        max_results: int = 10**9,
    ) -> Collected:
        """A read query's whole result, read under a time limit (seconds) and a size limit
        (rows or triples): past either, :class:`isgraph.store.limits.LimitReached`. A backend
        that can stop a running query (:class:`isgraph.store.process.ProcessStore`) stops it
        at the limit; the others stop reading its result there."""

    def update(self, sparql: str, *, writes: Sequence[str] | None = None) -> None:
        """Run a SPARQL update. ``writes``, when the caller knows it, names every graph the
        update may change (a store with a replica in memory then copies those alone)."""

    def search(self, text: str, properties: Sequence[str], limit: int) -> list[str] | None:
        """The texts (SPARQL terms) of ``properties`` that hold every word of ``text``, from
        the store's full-text index (:mod:`isgraph.store.text_index`), at most ``limit`` plus
        one; None when the store has no such index (a remote server) or ``text`` no word."""

    def keeps_views(self) -> bool:
        """Whether the store keeps the views of :mod:`isgraph.store.views`, which catalogue
        queries may then read (not a remote server: its graphs are its own)."""

    def named_graphs(self) -> list[str]: ...
    def present(self, graphs: Iterable[str]) -> set[str]:
        """The named graphs among ``graphs`` that the store holds (not the views'): without
        listing them all (100,000 graphs at 50,000 cases took 0.5-0.8 s to list)."""

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


_POSITION = re.compile(r"^error at (\d+):(\d+): ?")


def sparql_syntax_error(detail: str, kind: str) -> InputError:
    """A one-line error for SPARQL that does not parse, with its line and column."""
    first = detail.splitlines()[0] if detail else ""
    position = _POSITION.match(first)
    first = _POSITION.sub("", first)
    if len(first) > 120:
        first = first[:117] + "…"
    what = (
        Message("requête SPARQL invalide", "invalid SPARQL query")
        if kind == "query"
        else Message("mise à jour SPARQL invalide", "invalid SPARQL update")
    )
    return InputError(
        Message(f"{what.fr} : {first}", f"{what.en}: {first}"),
        path="SPARQL",
        line=int(position.group(1)) if position else None,
        column=int(position.group(2)) if position else None,
    )


def union(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of the quads, each once."""
    seen: dict[ox.Triple, None] = {}
    for q in quads:
        seen.setdefault(q.triple, None)
    return list(seen)
