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
  the store undoes the whole request (:func:`guarded`);
- a bulk load (not atomic: for fresh stores and benchmarks) takes the triples out again
  after it (:func:`trespassers`).

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


def trespass(graphs: Mapping[str, Iterable[ox.Triple]]) -> ox.Quad | None:
    """The first triple of ``graphs`` (named graph → triples) whose predicate is a term of
    the views, in a graph outside them."""
    for graph, triples in graphs.items():
        if not graph.startswith(VIEWS):
            for t in triples:
                if t.predicate.value.startswith(ISV):
                    return ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
    return None


def trespassers(store: ox.Store, graphs: Iterable[str] | None) -> list[ox.Quad]:
    """The quads of ``graphs`` (None: every graph) that :func:`trespass` refuses, the
    default graph's included."""
    if graphs is None:
        found = store.quads_for_pattern(None, None, None)
    else:
        found = (q for g in (*graphs, None) for q in store.quads_for_pattern(None, None, None, _graph(g)))
    return [q for q in found if q.predicate.value.startswith(ISV) and not _in_views(q.graph_name)]


def refused(quad: ox.Quad, done: str = "nothing") -> InputError:
    """The error that says which term, in which graph, and what became of the write."""
    graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
    where = ("", "") if graph is not None else (" du graphe par défaut", " of the default graph")
    outcome = {
        "nothing": ("rien n'a été écrit", "nothing was written"),
        "taken out": ("ces triplets ont été retirés après le chargement", "those triples were taken out after the load"),
    }[done]
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
    last operation, as read by isgraph's parser (a trailing ``;`` or comment stays before it)."""
    request = read(update, "update", max_length=len(update), max_depth=10**6)
    operations = [node for node in request.tree.children if hasattr(node, "meta") and not is_rule(node, "prologue")]
    if not operations:
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


def _graph(name: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if name is None else ox.NamedNode(name)


def _in_views(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    return isinstance(graph, ox.NamedNode) and graph.value.startswith(VIEWS)
