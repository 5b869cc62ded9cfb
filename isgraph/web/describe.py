"""What the graph says about one IRI, for a client that dereferences it.

- a case (an initiative with its named graph): the whole case graph, so that one
  request gives its characterisation, actors, participations and resources;
- the ontology IRI: every ontology graph (its terms are ``ontology#Term``);
- anything else: the triples it is the subject of, blank nodes followed
  (a concise bounded description), each triple once.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import GRAPH, ISG, ONTOLOGY_IRI, case_graph_iri
from ..store import Store


def description(store: Store, iri: str) -> list[ox.Triple]:
    """The triples that describe ``iri`` (empty when the graph knows nothing of it)."""
    node = str(ox.NamedNode(iri))
    if iri == ONTOLOGY_IRI:
        return _triples(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                               f"FILTER (STRSTARTS(STR(?g), \"{GRAPH['ontology/']}\")) }}")
    case_graphs = [g for g in _graphs_of_initiative(store, iri)]
    if case_graphs:
        values = " ".join(f"<{g}>" for g in case_graphs)
        return _triples(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    return _triples(store, f"DESCRIBE {node}")


def _graphs_of_initiative(store: Store, iri: str) -> list[str]:
    node = str(ox.NamedNode(iri))
    rows = store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {node} a <{ISG['Initiative']}> }} }}")
    found = sorted(row["g"].value for row in rows)  # type: ignore[index,union-attr]
    own = case_graph_iri(iri)
    return sorted(found, key=lambda g: (g != own, g))


def _triples(store: Store, sparql: str) -> list[ox.Triple]:
    seen: dict[ox.Triple, None] = {}
    for triple in store.query(sparql):  # type: ignore[union-attr]
        seen.setdefault(triple, None)  # type: ignore[arg-type]
    return list(seen)
