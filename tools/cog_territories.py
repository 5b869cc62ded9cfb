"""Generate isgraph's territory reference from the 2026 Code officiel géographique.

The source is the npm package ``@etalab/decoupage-administratif`` 6.0.0, which Etalab
builds from INSEE's COG 2026, the DGCL's list of EPCI, INSEE's populations and La
Poste's postcodes. Get it by name and version, from any npm registry::

    npm pack @etalab/decoupage-administratif@6.0.0

(or download https://registry.npmjs.org/@etalab/decoupage-administratif/-/decoupage-administratif-6.0.0.tgz),
then::

    python tools/cog_territories.py decoupage-administratif-6.0.0.tgz

The script checks the package against the integrity hash the registry publishes
(:data:`INTEGRITY`) before reading it, and writes ``data/territories/cog-2026.ttl.gz``:
the same package gives the same bytes. What it writes:

- every région and département, every collectivité d'outre-mer (COM);
- every commune (``territory/commune/<INSEE>``), commune déléguée
  (``territory/commune-deleguee/<INSEE>``), commune associée
  (``territory/commune-associee/<INSEE>``) and arrondissement municipal
  (``territory/arrondissement-municipal/<INSEE>``), with its INSEE code, SIREN,
  postcodes and population;
- every EPCI (``territory/epci/<SIREN>``) with its SIREN, kind and population;
- the communes' former codes (``anciensCodes``): ``territory/commune/<former code>`` is
  an ``isg:FormerCommune``, ``isg:replacedBy`` the commune of today;
- the hierarchy: commune ``isg:within`` its EPCI and its département (or COM),
  département ``isg:within`` its région, région and COM ``isg:within``
  ``territory/country/FR`` (described with the countries of ISO 3166, by
  ``tools/iso_territories.py``); déléguées, associées and arrondissements
  municipaux ``isg:within`` their commune;
- the provenance of the graph (PROV-O) and its licence.

The 2016 merger of the régions stays in the hand-written ``data/territories/france.ttl``.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import pyoxigraph as ox

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
#: The integrity hash npm publishes for the package (``npm view … dist.integrity``).
INTEGRITY = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
OUTPUT = Path(__file__).resolve().parent.parent / "data" / "territories" / "cog-2026.ttl.gz"

ISG = "https://w3id.org/isgraph/ontology#"
T = "https://w3id.org/isgraph/id/territory/"
GRAPH = "https://w3id.org/isgraph/graph/territories/cog-2026"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
PREFIXES = {
    "isg": ISG,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "prov": PROV,
    "dcterms": DCT,
    "region": T + "region/",
    "dep": T + "departement/",
    "com": T + "com/",
    "commune": T + "commune/",
    "deleguee": T + "commune-deleguee/",
    "associee": T + "commune-associee/",
    "arm": T + "arrondissement-municipal/",
    "epci": T + "epci/",
}
#: The kind of each entry of communes.json: its class and the folder of its IRI.
KINDS = {
    "commune-actuelle": ("Commune", "commune"),
    "commune-deleguee": ("CommuneDeleguee", "commune-deleguee"),
    "commune-associee": ("CommuneAssociee", "commune-associee"),
    "arrondissement-municipal": ("ArrondissementMunicipal", "arrondissement-municipal"),
}


def check_integrity(data: bytes) -> None:
    algorithm, _, expected = INTEGRITY.partition("-")
    found = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if found != expected:
        raise SystemExit(f"the package is not {PACKAGE}@{VERSION}: {algorithm} {found} instead of {expected}")


def read_package(data: bytes) -> dict[str, list[dict[str, object]]]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        found = {}
        for name in ("regions", "departements", "communes", "epci"):
            member = archive.extractfile(f"package/data/{name}.json")
            if member is None:
                raise SystemExit(f"package/data/{name}.json missing from the package")
            found[name] = json.load(member)
        return found


def iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(T + path)


def triples(package: dict[str, list[dict[str, object]]]) -> list[ox.Triple]:
    out: list[ox.Triple] = []

    def add(subject: ox.NamedNode, predicate: str, value: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(subject, ox.NamedNode(predicate), value))

    def text(value: object) -> ox.Literal:
        return ox.Literal(str(value))

    def integer(value: object) -> ox.Literal:
        return ox.Literal(str(int(str(value))), datatype=ox.NamedNode(XSD + "integer"))

    def described(subject: ox.NamedNode, cls: str, name: object, code: object) -> None:
        add(subject, RDF_TYPE, ox.NamedNode(ISG + cls))
        add(subject, LABEL, ox.Literal(str(name), language="fr"))
        add(subject, ISG + "inseeCode", text(code))

    overseas = {str(r["code"]) for r in package["regions"] if r["zone"] == "com"}

    def above(entry: dict[str, object]) -> ox.NamedNode:
        """The département of a commune, or its collectivité d'outre-mer."""
        code = str(entry["departement"])
        return iri(f"com/{code}") if code in overseas else iri(f"departement/{code}")

    for region in package["regions"]:
        folder, cls = ("com", "OverseasCollectivity") if str(region["code"]) in overseas else ("region", "Region")
        described(iri(f"{folder}/{region['code']}"), cls, region["nom"], region["code"])
        add(iri(f"{folder}/{region['code']}"), ISG + "within", iri("country/FR"))
    for dep in package["departements"]:
        if str(dep["code"]) in overseas:
            continue  # the same collectivité, already described
        subject = iri(f"departement/{dep['code']}")
        described(subject, "Departement", dep["nom"], dep["code"])
        add(subject, ISG + "within", iri(f"region/{dep['region']}"))
    epci_of: dict[str, ox.NamedNode] = {}
    for epci in package["epci"]:
        subject = iri(f"epci/{epci['code']}")
        add(subject, RDF_TYPE, ox.NamedNode(ISG + "Epci"))
        add(subject, LABEL, ox.Literal(str(epci["nom"]), language="fr"))
        add(subject, ISG + "authoritySiren", text(epci["code"]))
        add(subject, ISG + "epciKind", text(epci["type"]))
        add(subject, ISG + "population", integer(epci["populationMunicipale"]))
        for member in epci["membres"]:  # type: ignore[attr-defined]
            epci_of[str(member["code"])] = subject
    names: dict[str, str] = {}
    for entry in package["communes"]:
        cls, folder = KINDS[str(entry["type"])]
        subject = iri(f"{folder}/{entry['code']}")
        described(subject, cls, entry["nom"], entry["code"])
        if entry["type"] == "commune-actuelle":
            add(subject, ISG + "within", above(entry))
            if str(entry["code"]) in epci_of:
                add(subject, ISG + "within", epci_of[str(entry["code"])])
            for former in entry.get("anciensCodes", []):  # type: ignore[attr-defined]
                add(iri(f"commune/{former}"), ISG + "replacedBy", subject)
        elif entry["type"] == "arrondissement-municipal":
            add(subject, ISG + "within", iri(f"commune/{entry['commune']}"))
        else:  # a commune déléguée or associée: within the commune of today it belongs to
            add(subject, ISG + "within", iri(f"commune/{entry['chefLieu']}"))
            names.setdefault(str(entry["code"]), str(entry["nom"]))
        if "siren" in entry:
            add(subject, ISG + "authoritySiren", text(entry["siren"]))
        for postcode in entry.get("codesPostaux", []):  # type: ignore[attr-defined]
            add(subject, ISG + "postcode", text(postcode))
        if "population" in entry:
            add(subject, ISG + "population", integer(entry["population"]))
    for entry in package["communes"]:
        for former in entry.get("anciensCodes", []):  # type: ignore[attr-defined]
            subject = iri(f"commune/{former}")
            add(subject, RDF_TYPE, ox.NamedNode(ISG + "FormerCommune"))
            add(subject, ISG + "inseeCode", text(former))
            if str(former) in names:  # its name, kept by the commune déléguée or associée of that code
                add(subject, LABEL, ox.Literal(names[str(former)], language="fr"))
    return out


def provenance(digest: str) -> list[ox.Triple]:
    graph = ox.NamedNode(GRAPH)
    source = ox.NamedNode(f"https://registry.npmjs.org/{PACKAGE}/-/decoupage-administratif-{VERSION}.tgz")
    activity = ox.NamedNode(GRAPH + "#generation")
    n = ox.NamedNode
    return [
        ox.Triple(graph, n(RDF_TYPE), n(PROV + "Entity")),
        ox.Triple(graph, n(LABEL), ox.Literal("Code officiel géographique 2026 (territoires)", language="fr")),
        ox.Triple(graph, n(LABEL), ox.Literal("Official geographic code 2026 (territories)", language="en")),
        ox.Triple(graph, n(PROV + "wasDerivedFrom"), source),
        ox.Triple(graph, n(PROV + "wasGeneratedBy"), activity),
        ox.Triple(graph, n(DCT + "license"), n("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")),
        ox.Triple(
            graph,
            n(DCT + "rights"),
            ox.Literal(
                "Code officiel géographique 2026 (INSEE), liste des EPCI (DGCL), populations (INSEE), "
                "codes postaux (La Poste), assemblés par Etalab : Licence Ouverte / Open Licence",
                language="fr",
            ),
        ),
        ox.Triple(
            graph,
            n(DCT + "rights"),
            ox.Literal(
                "Official geographic code 2026 (INSEE), EPCI list (DGCL), populations (INSEE), "
                "postcodes (La Poste), packaged by Etalab: Licence Ouverte / Open Licence",
                language="en",
            ),
        ),
        ox.Triple(activity, n(RDF_TYPE), n(PROV + "Activity")),
        ox.Triple(activity, n(PROV + "used"), source),
        ox.Triple(source, n(RDF_TYPE), n(PROV + "Entity")),
        ox.Triple(source, n(LABEL), ox.Literal(f"{PACKAGE}@{VERSION}")),
        ox.Triple(source, n(ISG + "sha256"), ox.Literal(digest)),
        ox.Triple(activity, n(LABEL), ox.Literal("tools/cog_territories.py")),
    ]


def turtle(found: list[ox.Triple]) -> bytes:
    header = (
        "# Generated by tools/cog_territories.py from the npm package "
        f"{PACKAGE}@{VERSION} (Etalab): do not edit by hand.\n"
        "# Code officiel géographique 2026 (INSEE), EPCI (DGCL), populations (INSEE), postcodes (La Poste).\n"
        "# Licence Ouverte / Open Licence (Etalab).\n"
    ).encode()
    ordered = sorted(set(found), key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    return header + ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path, help=f"the {PACKAGE}@{VERSION} tarball (npm pack)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = args.package.read_bytes()
    check_integrity(data)
    package = read_package(data)
    found = triples(package) + provenance(hashlib.sha256(data).hexdigest())
    body = turtle(found)
    # mtime 0 and no file name: the same package gives the same bytes
    args.output.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    print(
        f"{args.output}: {len(set(found))} triples, {len(body) // 1024} KB of Turtle, {args.output.stat().st_size // 1024} KB compressed"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
