"""The views' terms are the store's own: no write may put one outside the views.

The queries on the views (:mod:`isgraph.store.views`) read ``isv:`` triples from the union
of the graphs. A case that stated ``<another initiative> isv:mix "…"`` in its own graph
would change the other case's answers. So a write that would leave an ``isv:`` predicate
in a graph outside the views (``graph/view/…``), or in the default graph, is refused and
leaves the store as it was:

- triples given as such (ingest, harvest, imports, the Graph Store Protocol) are checked
  before anything is written (:func:`trespass`);
- a SPARQL update is followed, in the same request and so the same transaction, by a check
  of the graphs it writes (all of them when its text cannot say which): if one holds such a
  triple, the check creates a graph that the next operation creates again, which fails, and
  the store undoes the whole request (:func:`guarded`). The refusal is the store's own
  transaction; the random name of that graph, found in the store's error, only tells the
  caller which message to give (:func:`update_refused`);
- a bulk load (not atomic: for fresh stores and benchmarks) takes the triples out again
  after it (:func:`take_out`).

The ontology names the views' terms as subjects only (``isv:mix a owl:DatatypeProperty``),
which stays allowed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import ISV
from isgraph.sparql.parser import is_rule, read
from isgraph.store.views import VIEWS

_MARKER = "urn:isgraph:views-trespassed:"


def refuse(graphs: Mapping[str, Iterable[ox.Triple]]) -> None:
    """An InputError, before anything is written, when a triple of ``graphs`` (named graph →
    triples) has a term of the views as its predicate in a graph outside them."""
    for graph, triples in graphs.items():
        if not graph.startswith(VIEWS):
            for t in triples:
                if t.predicate.value.startswith(ISV):
                    raise _refused(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)), after_load=False)


def take_out(store: ox.Store) -> None:
    """Take out of every graph outside the views, the default graph's included, the triples
    whose predicate is a term of the views; an InputError naming the first, if any (after a
    bulk load, which cannot be undone)."""
    found = [
        q for q in store.quads_for_pattern(None, None, None) if q.predicate.value.startswith(ISV) and not _in_views(q.graph_name)
    ]
    for quad in found:
        store.remove(quad)
    if found:
        raise _refused(found[0], after_load=True)


def update_refused() -> InputError:
    """The error of an update that the check of :func:`guarded` failed (and the store undid)."""
    return InputError(
        Message(
            "la mise à jour écrirait un terme des vues d'isgraph (isv:), qu'il dérive lui-même, hors des vues ; rien n'a été écrit",
            "the update would write a term of isgraph's views (isv:), which it derives itself, outside them; nothing was written",
        ),
        path="update",
    )


def _refused(quad: ox.Quad, *, after_load: bool) -> InputError:
    """The error that names the term, the subject and the graph, and says what became of the write."""
    graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
    where = ("", "") if graph is not None else (" du graphe par défaut", " of the default graph")
    outcome = (
        ("ces triplets ont été retirés après le chargement", "those triples were taken out after the load")
        if after_load
        else ("rien n'a été écrit", "nothing was written")
    )
    return InputError(
        Message(
            f"« {quad.predicate.value} » est un terme des vues d'isgraph, qu'il dérive lui-même :"
            f" il ne s'écrit pas hors des vues (sujet {quad.subject}{where[0]}) ; {outcome[0]}",
            f'"{quad.predicate.value}" is a term of isgraph\'s views, which it derives itself:'
            f" it cannot be written outside them (subject {quad.subject}{where[1]}); {outcome[1]}",
        ),
        path=graph,
    )


def guarded(update: str, graphs: Sequence[str] | None) -> tuple[str, str | None]:
    """``update`` as the store is to run it, and the graph whose creation fails it when it
    leaves a term of the views outside them in ``graphs`` (None: any graph) or the default
    graph (None when the update has no operation to guard). The check is added after its
    last operation, as read by isgraph's parser (a trailing ``;`` or comment stays before it).
    An update whose text says every predicate it may insert and where, none of them a term
    of the views outside the views' graphs, is not checked: the check reads every triple of
    the graphs it writes (4-6 s in the 1.5 million of the verdicts of 50,000 cases, for an
    update that replaced the verdicts of one case)."""
    request = read(update, "update", max_length=len(update), max_depth=10**6)
    operations = [node for node in request.tree.children if hasattr(node, "meta") and not is_rule(node, "prologue")]
    if not operations:
        return request.text, None
    if request.inserts is not None and not any(
        p.startswith(ISV) and (g is None or not g.startswith(VIEWS)) for g, p in request.inserts
    ):
        return request.text, None
    marker = f"{_MARKER}{uuid.uuid4().hex}"
    if graphs is None:
        where = f'GRAPH ?g {{ ?s ?p ?o }} FILTER (!STRSTARTS(STR(?g), "{VIEWS}"))'
    else:
        named = " ".join(str(ox.NamedNode(g)) for g in graphs if not g.startswith(VIEWS))
        where = f"VALUES ?g {{ {named} }} GRAPH ?g {{ ?s ?p ?o }}"
    check = (
        f"INSERT {{ GRAPH <{marker}> {{ <{marker}> <{marker}> <{marker}> }} }}"
        f' WHERE {{ {{ {where} }} UNION {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?p), "{ISV}")) }} ;\n'
        f"CREATE GRAPH <{marker}> ;\nDROP GRAPH <{marker}>"
    )
    end = operations[-1].meta.end_pos
    return f"{request.text[:end]}\n;\n{check}\n", marker


def _in_views(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    return isinstance(graph, ox.NamedNode) and graph.value.startswith(VIEWS)
