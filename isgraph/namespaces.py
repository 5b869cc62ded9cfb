"""The IRIs isgraph mints and the vocabularies it uses.

>>> ISG["Initiative"]
'https://w3id.org/isgraph/ontology#Initiative'
>>> case_graph_iri("https://w3id.org/isgraph/id/initiative/initielles")
'https://w3id.org/isgraph/graph/case/initielles'
>>> case_key("https://w3id.org/isgraph/id/initiative/obs-a/recyclerie-du-val")
'obs-a%2Frecyclerie-du-val'
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote


class Namespace(str):
    """A namespace IRI; ``NS["term"]`` gives the term's IRI."""

    def __getitem__(self, local: str) -> str:  # type: ignore[override]  # a term by name, not str's index by position
        return str(self) + local


ISG = Namespace("https://w3id.org/isgraph/ontology#")
ONTOLOGY_IRI = "https://w3id.org/isgraph/ontology"
GRID = Namespace("https://w3id.org/isgraph/grid/")
LEVEL = Namespace("https://w3id.org/isgraph/level/")
ROLE = Namespace("https://w3id.org/isgraph/role/")
PRINCIPLE = Namespace("https://w3id.org/isgraph/principle/")
ID = Namespace("https://w3id.org/isgraph/id/")
GRAPH = Namespace("https://w3id.org/isgraph/graph/")
PROFILE = Namespace("https://w3id.org/isgraph/profile/")
#: The views kept at ingest (:mod:`isgraph.store.views`).
ISV = Namespace("https://w3id.org/isgraph/view#")

RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")

#: Prefixes used when isgraph writes Turtle or TriG, and in SPARQL it runs.
PREFIXES: dict[str, str] = {
    "isg": ISG,
    "grid": GRID,
    "level": LEVEL,
    "role": ROLE,
    "principle": PRINCIPLE,
    "approach": "https://w3id.org/isgraph/approach/",
    "lesson": "https://w3id.org/isgraph/lesson/",
    "misconception": "https://w3id.org/isgraph/misconception/",
    "scope": "https://w3id.org/isgraph/impact-scope/",
    "diffusion": "https://w3id.org/isgraph/diffusion-mode/",
    "profile": "https://w3id.org/isgraph/profile/",
    "requirement": "https://w3id.org/isgraph/requirement/",
    "esid": "https://w3id.org/isgraph/crosswalk/esid/",
    "sidrive": "https://w3id.org/isgraph/crosswalk/si-drive/",
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "foaf": FOAF,
    "org": ORG,
    "schema": SCHEMA,
    "vann": VANN,
}

#: Namespaces whose terms isgraph itself defines (ontology and vocabularies).
OWN_TERM_NAMESPACES: tuple[str, ...] = (
    *(
        PREFIXES[p]
        for p in (
            "isg",
            "grid",
            "level",
            "role",
            "principle",
            "approach",
            "lesson",
            "misconception",
            "scope",
            "diffusion",
            "profile",
            "requirement",
            "esid",
            "sidrive",
        )
    ),
    ISV,
)

_INITIATIVE = ID["initiative/"]


def sparql_prefixes() -> str:
    """The PREFIXES as a SPARQL prologue."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def case_graph_iri(initiative: str) -> str:
    """The named graph that holds one case, derived from its initiative's IRI.

    Initiatives minted by isgraph keep a readable name; any other IRI gets a
    stable digest so that two sources can never collide.
    """
    if initiative.startswith(_INITIATIVE) and "/" not in initiative[len(_INITIATIVE) :]:
        return GRAPH["case/" + quote(initiative[len(_INITIATIVE) :], safe="-._~")]
    return GRAPH["case/sha1-" + hashlib.sha1(initiative.encode("utf-8")).hexdigest()]


_DIGEST = re.compile(r"^sha1-[0-9a-f]{40}$")


def case_key(initiative: str) -> str:
    """One path segment that stands for the whole initiative IRI, from which the IRIs of
    everything a case owns are minted (``characterisation/<key>/1``…): no two initiatives
    give the same key. An initiative of isgraph's ``initiative/`` namespace keeps its
    readable path (its slashes escaped), any other IRI a digest of it."""
    if initiative.startswith(_INITIATIVE) and len(initiative) > len(_INITIATIVE):
        key = quote(initiative[len(_INITIATIVE) :], safe="-._~")
        if not _DIGEST.match(key):
            return key
    return "sha1-" + hashlib.sha1(initiative.encode("utf-8")).hexdigest()
