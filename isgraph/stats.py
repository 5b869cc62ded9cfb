"""Counts that summarise what the store holds."""

from __future__ import annotations

from dataclasses import dataclass

from .namespaces import sparql_prefixes
from .store import Store

_COUNTS = sparql_prefixes() + """
SELECT
  (COUNT(DISTINCT ?case) AS ?cases)
  (COUNT(DISTINCT ?actor) AS ?actors)
  (COUNT(DISTINCT ?territory) AS ?territories)
WHERE {
  { ?case a isg:Initiative }
  UNION { ?actor a ?actorClass . ?actorClass rdfs:subClassOf* isg:Actor }
  UNION { ?territory a ?territoryClass . ?territoryClass rdfs:subClassOf* isg:Territory }
}
"""


@dataclass(frozen=True)
class Counts:
    cases: int
    actors: int
    territories: int
    triples: int
    graphs: int


def count(store: Store) -> Counts:
    row = next(iter(store.query(_COUNTS)))  # type: ignore[arg-type]
    return Counts(int(row["cases"].value), int(row["actors"].value), int(row["territories"].value),
                  store.count(), len(store.named_graphs()))
