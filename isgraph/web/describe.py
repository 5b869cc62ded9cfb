"""What the graph says about one IRI, for a client that dereferences it.

- a case (an initiative with its named graph): the whole case graph, so that one
  request gives its characterisation, actors, participations and resources;
- the ontology IRI: every ontology graph (its terms are ``ontology#Term``);
- anything else: the triples it is the subject of, blank nodes followed
  (a concise bounded description), each triple once.
"""

from __future__ import annotations

import pyoxigraph as ox

from isgraph.namespaces import GRAPH, ISG, ONTOLOGY_IRI
from isgraph.store import Store, construct


def description(store: Store, iri: str) -> list[ox.Triple]:
    """The triples that describe ``iri`` (empty when the graph knows nothing of it), each once."""
    node = str(ox.NamedNode(iri))
    if iri == ONTOLOGY_IRI:
        # the ontology graphs by name (a filter on every graph would read the 300,000 triples of the territories)
        graphs = " ".join(f"<{g}>" for g in store.named_graphs() if g.startswith(GRAPH["ontology/"]))
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    elif store.query(f"ASK {{ GRAPH ?g {{ {node} a <{ISG['Initiative']}> }} }}"):
        sparql = (
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {node} a <{ISG['Initiative']}> }} }} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} }}"
        )
    else:
        sparql = f"DESCRIBE {node}"
    return list(dict.fromkeys(construct(store, sparql)))
