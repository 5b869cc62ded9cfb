"""ESSGLOBAL read in isgraph's terms: the taxonomies that ship in ``data/vocabularies/`` (SKOS)
and the mappings of ``ontology/crosswalks.ttl`` (an organisational structure or a legal form
gives a kind of actor, a base membership type the roles of the members).

The "standard" CSV writes ESSGLOBAL concepts under the address of their publisher's
server (``https://dev.lod.coop/essglobal/2.1/standard/activities-ica/ICA260``); the
taxonomies name them ``http://purl.org/essglobal/standard/activities-ica/ICA260``. A
concept is known by its taxonomy and its code, whichever address writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from isgraph.namespaces import ISG, RDF, SKOS
from isgraph.rdf.layout import collect_kind
from isgraph.rdf.parsing import ontology_triples

ESSGLOBAL = "http://purl.org/essglobal/standard/"
_CONCEPT = re.compile(r"^https?://[^\s]+?/essglobal/(?:[\d.]+/)?standard/([a-z-]+)/([A-Za-z0-9]+)$")


@dataclass(frozen=True)
class Crosswalk:
    """The ESSGLOBAL concepts isgraph knows, and what the mapped ones become."""

    concepts: frozenset[str]
    labels: dict[str, str]
    carrier_kind: dict[str, str]
    members_roles: dict[str, tuple[str, ...]]

    def concept(self, text: str) -> str | None:
        """The ESSGLOBAL concept a value names (under any of its addresses), if the shipped
        taxonomies know it."""
        match = _CONCEPT.match(text.strip())
        if not match:
            return None
        iri = f"{ESSGLOBAL}{match.group(1)}/{match.group(2)}"
        return iri if iri in self.concepts else None


@lru_cache(maxsize=2)
def load(data_dir: Path) -> Crosswalk:
    concepts: set[str] = set()
    labels: dict[str, str] = {}
    concept_class = ox.NamedNode(SKOS["Concept"])
    for source in collect_kind(data_dir, "vocabularies"):
        for t in source.triples:
            if not isinstance(t.subject, ox.NamedNode) or not t.subject.value.startswith(ESSGLOBAL):
                continue
            if t.predicate.value == RDF["type"] and t.object == concept_class:
                concepts.add(t.subject.value)
            elif t.predicate.value == SKOS["prefLabel"] and isinstance(t.object, ox.Literal) and t.object.language == "en":
                labels[t.subject.value] = t.object.value
    kinds: dict[str, str] = {}
    roles: dict[str, tuple[str, ...]] = {}
    for t in ontology_triples():
        if not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.NamedNode):
            continue
        if t.predicate.value == ISG["carrierKind"]:
            kinds[t.subject.value] = t.object.value
        elif t.predicate.value == ISG["membersRole"]:
            roles[t.subject.value] = tuple(sorted((*roles.get(t.subject.value, ()), t.object.value)))
    return Crosswalk(frozenset(concepts), labels, kinds, roles)
