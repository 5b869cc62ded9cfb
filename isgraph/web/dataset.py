"""The dataset described for machines: VoID (what it holds, where to query it, where
to download it) and DCAT (a catalogue with one dataset, its distributions and its
SPARQL service), with what DCAT-AP 2.1.1 requires of each (the profile European and
French open-data portals harvest): titles and descriptions in both languages, the
publisher (``--publisher``), an access URL for every distribution, a title for the
service, and the classes DCAT-AP expects of licences and media types."""

from __future__ import annotations

import pyoxigraph as ox

from isgraph.namespaces import DCTERMS, FOAF, ID, ISG, RDF, XSD
from isgraph.store import Store, select_values
from isgraph.web.settings import ServerSettings

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF_PAGE = "http://xmlns.com/foaf/0.1/page"
#: The dumps a server offers: path -> (media type, format).
DUMPS = {
    "/dumps/isgraph.nq": ("application/n-quads", ox.RdfFormat.N_QUADS),
    "/dumps/isgraph.trig": ("application/trig", ox.RdfFormat.TRIG),
}
VOCABULARIES = (
    "https://w3id.org/isgraph/ontology#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/org#",
)


def _count(store: Store, where: str) -> int:
    return int(select_values(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")[0]["n"])


def description(store: Store, settings: ServerSettings) -> list[ox.Triple]:
    url = settings.url
    n = ox.NamedNode
    dataset, service, catalog = n(f"{url}/dataset"), n(f"{url}/sparql"), n(f"{url}/catalog")
    integer = n(XSD["integer"])
    a = n(RDF["type"])
    triples = [
        ox.Triple(catalog, a, n(DCAT + "Catalog")),
        ox.Triple(catalog, n(DCAT + "dataset"), dataset),
        ox.Triple(catalog, n(DCAT + "service"), service),
        ox.Triple(dataset, a, n(VOID + "Dataset")),
        ox.Triple(dataset, a, n(DCAT + "Dataset")),
        ox.Triple(dataset, n(VOID + "sparqlEndpoint"), service),
        ox.Triple(dataset, n(VOID + "uriSpace"), ox.Literal(str(ID))),
        ox.Triple(dataset, n(VOID + "triples"), ox.Literal(str(store.count()), datatype=integer)),
        ox.Triple(dataset, n(VOID + "rootResource"), n(f"{url}/cases")),
        ox.Triple(dataset, n(FOAF_PAGE), n(f"{url}/")),
        ox.Triple(service, a, n(DCAT + "DataService")),
        ox.Triple(service, n(DCAT + "endpointURL"), service),
        ox.Triple(service, n(DCAT + "servesDataset"), dataset),
        ox.Triple(service, n(DCTERMS["conformsTo"]), n("https://www.w3.org/TR/sparql11-protocol/")),
        ox.Triple(service, n(DCAT + "endpointDescription"), n(f"{url}/api/openapi.json")),
    ]
    for lang, text in settings.title.items():
        for thing in (dataset, catalog):
            triples.append(ox.Triple(thing, n(DCTERMS["title"]), ox.Literal(text, language=lang)))
        triples.append(ox.Triple(service, n(DCTERMS["title"]), ox.Literal(f"{text} — SPARQL", language=lang)))
    for lang, text in settings.description.items():
        for thing in (dataset, catalog):
            triples.append(ox.Triple(thing, n(DCTERMS["description"]), ox.Literal(text, language=lang)))
    if settings.publisher:
        publisher: ox.NamedNode | ox.BlankNode = (
            n(settings.publisher_iri) if settings.publisher_iri else ox.BlankNode("publisher")
        )
        triples += [
            ox.Triple(catalog, n(DCTERMS["publisher"]), publisher),
            ox.Triple(dataset, n(DCTERMS["publisher"]), publisher),
            ox.Triple(publisher, a, n(FOAF["Agent"])),
            ox.Triple(publisher, n(FOAF["name"]), ox.Literal(settings.publisher)),
        ]
    if settings.licence:
        triples += [
            ox.Triple(dataset, n(DCTERMS["license"]), n(settings.licence)),
            ox.Triple(n(settings.licence), a, n(DCTERMS["LicenseDocument"])),
        ]
    for vocabulary in VOCABULARIES:
        triples.append(ox.Triple(dataset, n(VOID + "vocabulary"), n(vocabulary)))
    for i, cls in enumerate((ISG["Initiative"], ISG["Actor"], ISG["Territory"], ISG["Participation"])):
        partition = ox.BlankNode(f"class{i}")
        where = f"?x a ?c . ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}>"
        triples += [
            ox.Triple(dataset, n(VOID + "classPartition"), partition),
            ox.Triple(partition, n(VOID + "class"), n(cls)),
            ox.Triple(partition, n(VOID + "entities"), ox.Literal(str(_count(store, where)), datatype=integer)),
        ]
    for i, (path, (media, _)) in enumerate(DUMPS.items()):
        download = n(url + path)
        distribution = ox.BlankNode(f"dump{i}")
        triples += [
            ox.Triple(dataset, n(VOID + "dataDump"), download),
            ox.Triple(dataset, n(DCAT + "distribution"), distribution),
            ox.Triple(distribution, a, n(DCAT + "Distribution")),
            ox.Triple(distribution, n(DCAT + "accessURL"), download),
            ox.Triple(distribution, n(DCAT + "downloadURL"), download),
            ox.Triple(distribution, n(DCAT + "mediaType"), n(f"https://www.iana.org/assignments/media-types/{media}")),
            ox.Triple(n(f"https://www.iana.org/assignments/media-types/{media}"), a, n(DCTERMS["MediaType"])),
        ]
        if settings.licence:
            triples.append(ox.Triple(distribution, n(DCTERMS["license"]), n(settings.licence)))
    return triples
