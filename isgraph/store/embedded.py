"""The embedded store: pyoxigraph on disk, or in memory (see :mod:`isgraph.store.base`)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from isgraph.errors import StoreError
from isgraph.messages import Message
from isgraph.namespaces import PREFIXES, RDF
from isgraph.sparql.parser import graphs_written
from isgraph.store import reserved
from isgraph.store.answers import write_answer
from isgraph.store.base import INCOMPLETE, STAGING, UNFINISHED, moves, sparql_syntax_error, staging_names, union
from isgraph.store.labels import label_terms
from isgraph.store.limits import QueryResult, ReadsUnderLimits
from isgraph.store.loading import bulk_load
from isgraph.store.text_index import FOLDER as TEXT_FOLDER
from isgraph.store.text_index import TextIndex
from isgraph.store.views import FOLDER as VIEWS_FOLDER
from isgraph.store.views import VIEWS, Views

#: Told, as a store opens, what of its own it makes again (``"text"``: its full-text index;
#: ``"views"``: its views), first with None, then with the seconds it took: a store made by an
#: earlier version of isgraph, or whose last write was cut short, may take minutes.
OnRemake = Callable[[str, float | None], None]


class EmbeddedStore(ReadsUnderLimits):
    """A pyoxigraph store, on disk at ``path`` or in memory when ``path`` is None."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True, on_remake: OnRemake | None = None) -> None:
        self.location = str(path) if path is not None else ":memory:"
        #: the full-text index: made at once on disk, at the first search in memory
        self._text: TextIndex | None = None
        #: the views kept at ingest: derived at once on disk, at the first question asked of them in memory
        self._views: Views | None = None
        #: one write at a time, so that the index is marked fresh only when no write is under way
        self._writing = threading.Lock()
        if path is None:
            self._ox: ox.Store | None = ox.Store()
            return
        path = Path(path)
        existed = path.is_dir() and any(path.iterdir())
        if not create and not path.is_dir():
            raise StoreError(
                Message("aucun entrepôt ici : lancez d'abord « isgraph build »", 'no store here: run "isgraph build" first'),
                path=path,
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._ox = ox.Store(str(path))
        except OSError as exc:
            detail = str(exc).splitlines()[0]
            if "lock" in detail.lower():
                raise StoreError(
                    Message("l'entrepôt est utilisé par un autre processus", "the store is in use by another process"), path=path
                ) from None
            raise StoreError(
                Message(f"impossible d'ouvrir l'entrepôt : {detail}", f"cannot open the store: {detail}"), path=path
            ) from None
        said = on_remake if on_remake is not None and existed else _quiet  # a new store is made, not made again
        text = self._text = TextIndex(path / TEXT_FOLDER / "index.sqlite")
        views = self._views = Views(self.oxigraph, path / VIEWS_FOLDER)
        # a write marks both stale before it begins: one that was killed leaves them so
        cut_short = not text.fresh or not views.fresh
        if not text.fresh:  # new, or a write was cut short before it was indexed
            _remade("text", lambda: text.rebuild(self.oxigraph), said)
        if not views.fresh:  # new, made before views, or a write was cut short before its views
            _remade("views", views.rebuild, said)
        if cut_short:
            self._drop_leftovers()  # indexed again like any write
        self._drop_unfinished()

    @classmethod
    def around(cls, store: ox.Store, *, views_of: EmbeddedStore | None = None) -> EmbeddedStore:
        """The interface over a pyoxigraph store in memory that is already filled; ``views_of``:
        the store it copies, whose fresh views it holds and keeps from then on, numbered on
        from theirs (the replica: :mod:`isgraph.store.replica`)."""
        embedded = cls(None)
        embedded._ox = store
        if views_of is not None:
            generation = views_of._views.generation if views_of._views is not None else None
            embedded._views = Views(store, fresh=True, generation=generation)
        return embedded

    def keeps_views(self) -> bool:
        """Whether the views kept at ingest can be read here: always (in memory, they are
        derived at the first question asked of them)."""
        with self._writing:
            if self._views is None:
                self._views = Views(self.oxigraph)
                self._views.rebuild()
        return True

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> EmbeddedStore:
        """A store in memory holding ``quads`` (for example a dump read from a source)."""
        store = cls(None)
        store._write(lambda s: s.extend(quads), None)
        return store

    @property
    def oxigraph(self) -> ox.Store:
        if self._ox is None:
            raise StoreError(Message("entrepôt fermé", "store closed"), path=self.location)
        return self._ox

    def _drop_leftovers(self) -> None:
        """Staging graphs left by a write that was killed are never part of the graph (a
        write that fails takes away its own: :meth:`replace_graphs`)."""
        leftovers = [g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING)]
        if leftovers:
            self._write(lambda s: s.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in leftovers)), leftovers)

    def _drop_unfinished(self) -> None:
        """The graphs of a fast write that never finished, and its marker, go (one transaction).
        (Its marker says each graph it begins is incomplete: found by that, not by listing
        every graph.)"""
        said = self.oxigraph.quads_for_pattern(None, ox.NamedNode(RDF["type"]), ox.NamedNode(INCOMPLETE), None)
        begun = {
            graph.value
            for q in said
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(UNFINISHED)
            for graph in (q.subject, q.graph_name)  # the graph begun, and its marker
            if isinstance(graph, ox.NamedNode)
        }
        if begun:
            self.drop_graphs(sorted(begun))

    def add_new_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> str | None:
        if self._held(graphs):
            raise ValueError("add_new_graphs: some graphs exist already")
        reserved.refuse(graphs)
        marker = f"{UNFINISHED}{uuid.uuid4().hex}"
        a, incomplete = ox.NamedNode(RDF["type"]), ox.NamedNode(INCOMPLETE)
        self._write(lambda s: s.extend(ox.Quad(ox.NamedNode(g), a, incomplete, ox.NamedNode(marker)) for g in graphs), [marker])
        self._write(
            lambda s: s.bulk_extend(
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, triples in graphs.items() for t in triples
            ),
            graphs,
        )
        return marker

    def _write(self, action: Callable[[ox.Store], object], graphs: Iterable[str] | None, *, atomic: bool = False) -> None:
        """Run a write on the store, then index the graphs it changes again (``graphs``; None:
        any graph, so all of them): see :mod:`isgraph.store.text_index`. An ``atomic`` write
        that fails has changed nothing: its views are not derived again."""
        store = self.oxigraph
        graphs = None if graphs is None else list(graphs)
        with self._writing:
            if self._text is not None:
                self._text.mark_stale()
            views, before, labelled = self._views, None, set()
            if views is not None:
                before = views.affected(graphs)
                labelled = views.labelled(graphs) if before is not None and graphs is not None else set()
                views.mark_stale()
            failed = True
            try:
                action(store)
                failed = False
            except OSError as exc:
                raise StoreError(Message(f"écriture impossible : {exc}", f"cannot write: {exc}"), path=self.location) from None
            finally:
                if self._text is not None:
                    if graphs is None:
                        self._text.rebuild(store)
                    else:
                        self._text.reindex(store, graphs)
                if views is not None:
                    if failed and atomic:
                        views.refresh(set())  # nothing changed: the stale mark goes
                    else:
                        after = views.affected(graphs)
                        if before is None or after is None or graphs is None:
                            views.refresh(None)
                        else:
                            views.refresh(before | after, labelled | views.labelled(graphs))

    def search(self, text: str, properties: Sequence[str], limit: int) -> list[str] | None:
        """The texts of ``properties`` that hold the words of ``text``, from the store's
        full-text index (:meth:`isgraph.store.text_index.TextIndex.search`)."""
        with self._writing:  # made once, between writes
            if self._text is None:
                self._text = TextIndex(None)
                self._text.rebuild(self.oxigraph)
        return self._text.search(text, properties, limit)

    def add(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        triples = list(triples)
        reserved.refuse({graph: triples})
        g = ox.NamedNode(graph)
        self._write(lambda s: s.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples), [graph])

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]], *, drop: Iterable[str] = ()) -> None:
        reserved.refuse(graphs)
        drop = list(drop)
        existing = self._held([*graphs, *drop])
        if not existing:
            # nothing to replace: one insertion, itself one transaction (a SPARQL update of
            # 300,000 triples, or a move out of staging graphs, takes ten times longer)
            self._write(
                lambda s: s.extend(
                    ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, triples in graphs.items() for t in triples
                ),
                [*graphs, *drop],
            )
            return
        if not any(
            isinstance(term, ox.BlankNode) for triples in graphs.values() for t in triples for term in (t.subject, t.object)
        ):
            # one update, one transaction: drop the old graphs, insert the new triples (faster
            # than staging; INSERT DATA would give blank nodes new labels, hence the test)
            replaced = sorted(set(graphs) & existing)
            steps = [f"DROP SILENT GRAPH <{g}>" for g in sorted((set(drop) - set(graphs)) & existing)]
            if replaced:  # one DELETE is much faster than a DROP per graph; the names stay, refilled below
                steps.append(
                    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { VALUES ?g { "
                    + " ".join(f"<{g}>" for g in replaced)
                    + " } GRAPH ?g { ?s ?p ?o } }"
                )
            body = " ".join(f"GRAPH <{g}> {{ {' . '.join(map(str, triples))} }}" for g, triples in graphs.items() if triples)
            if body:
                steps.append(f"INSERT DATA {{ {body} }}")
            if steps:
                self._write(lambda s: s.update(" ;\n".join(steps)), [*graphs, *drop])
            return
        staging = staging_names(graphs)
        update = moves(staging, drop)

        def write(store: ox.Store) -> None:
            store.extend(  # one transaction: all staged, or none
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(staging[target]))
                for target, triples in graphs.items()
                for t in triples
            )
            try:
                if update:
                    store.update(update)
            except BaseException:  # what was staged goes (a kill leaves it to the next opening)
                store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in staging.values()))
                raise

        self._write(write, [*graphs, *drop, *staging.values()])

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        self.replace_graphs({}, drop=graphs)

    def load(self, path: Path, fmt: ox.RdfFormat) -> None:
        """Bulk-load a dataset file as it is, named graphs kept (fast, not atomic: for benchmarks
        and fresh stores; :func:`isgraph.graph.ingest.restore` is the atomic way). On disk, a
        file of N-Quads or N-Triples without blank nodes is cut in two and loaded by two
        threads (:func:`isgraph.store.loading.bulk_load`)."""

        def load(store: ox.Store) -> None:
            bulk_load(store, path, fmt, on_disk=self.location != ":memory:")
            reserved.take_out(store)

        self._write(load, None)

    def query(
        self, sparql: str, *, default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None
    ) -> QueryResult:
        try:
            return self.oxigraph.query(
                sparql,
                use_default_graph_as_union=not default_graphs,
                default_graph=[ox.NamedNode(g) for g in default_graphs] if default_graphs else None,
                named_graphs=[ox.NamedNode(g) for g in named_graphs] if named_graphs else None,
            )
        except SyntaxError as exc:
            raise sparql_syntax_error(str(exc), "query") from None

    def write_answer(
        self,
        sparql: str | Sequence[str],
        path: str | IO[bytes],
        media: str,
        *,
        labels: str | None = None,
        timeout: float = float("inf"),
    ) -> None:
        """Write a SELECT query's whole answer to ``path`` (a file, or a binary stream) in the results format
        ``media``, serialised by the store itself (:func:`isgraph.store.answers.write_answer`);
        ``sparql`` may be the parts of the answer, whose rows follow each other (each is then
        written on a thread of its own). With ``labels`` (a language), the label columns the
        query leaves unbound are filled in it. A query here cannot be stopped: ``timeout`` is
        for the store in a process of its own."""
        labeller = (lambda iris: label_terms(self, iris, labels)) if labels is not None else None
        parts = [sparql] if isinstance(sparql, str) else sparql
        write_answer(parts, self.query, path, media, labeller, writes=self._writing)

    def update(self, sparql: str, *, writes: Sequence[str] | None = None) -> None:
        """Run a SPARQL update, in one transaction with the check that it leaves no term of
        the views outside them (:func:`isgraph.store.reserved.guarded`)."""
        touched = graphs_written(sparql) if writes is None else writes
        text, marker = reserved.guarded(sparql, touched)
        try:
            self._write(lambda s: s.update(text), touched, atomic=True)
        except SyntaxError as exc:
            raise sparql_syntax_error(str(exc), "update") from None
        except (RuntimeError, StoreError) as exc:
            if marker is not None and marker in (exc.message.en if isinstance(exc, StoreError) else str(exc)):
                raise reserved.update_refused() from None
            raise

    # The views (isgraph.store.views) are the store's own derived graphs: SPARQL reads them,
    # but they are neither listed, counted nor dumped (a store that loads a dump derives its own).
    def named_graphs(self) -> list[str]:
        return [g for g in self.every_graph() if not g.startswith(VIEWS)]

    def present(self, graphs: Iterable[str]) -> set[str]:
        return {g for g in self._held(graphs) if not g.startswith(VIEWS)}

    def _held(self, graphs: Iterable[str]) -> set[str]:
        """The named graphs among ``graphs`` that the store holds, the views' included."""
        store = self.oxigraph
        return {g for g in graphs if store.contains_named_graph(ox.NamedNode(g))}

    def every_graph(self) -> list[str]:
        """The named graphs, the views' included."""
        return sorted(g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> Iterator[ox.Quad]:
        return (q for q in self.oxigraph if isinstance(q.graph_name, ox.NamedNode) and not q.graph_name.value.startswith(VIEWS))

    def count(self) -> int:
        # (the views' graphs chosen by name first, then read by their own index: the same filter
        # on every quad's graph read every quad, twelve times slower)
        views = self.oxigraph.query(
            f'SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?g WHERE {{ GRAPH ?g {{ }} FILTER STRSTARTS(STR(?g), "{VIEWS}") }} }}'
            " GRAPH ?g { ?s ?p ?o } }"
        )
        assert isinstance(views, ox.QuerySolutions)
        in_views = int(next(iter(views))["n"].value)
        default = sum(1 for _ in self.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return len(self.oxigraph) - default - in_views

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        if not fmt.supports_datasets:
            ox.serialize(union(self.quads()), output, format=fmt, prefixes=PREFIXES)
        elif any(g.startswith(VIEWS) for g in self.every_graph()):
            ox.serialize(self.quads(), output, format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)
        else:
            self.oxigraph.dump(output, format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)

    def close(self) -> None:
        if self._ox is not None:
            self._ox.flush()
        self._ox = None
        self._views = None  # it holds the store: RocksDB's lock goes with the last hold
        if self._text is not None:
            self._text.close()
            self._text = None

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _remade(what: str, remake: Callable[[], None], said: OnRemake) -> None:
    """``remake()``, told to ``said`` before and after (with the seconds it took)."""
    said(what, None)
    started = time.perf_counter()
    remake()
    said(what, time.perf_counter() - started)


def _quiet(what: str, seconds: float | None) -> None:
    """Told nothing (a new store, or no one listening)."""
