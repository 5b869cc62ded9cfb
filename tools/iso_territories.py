"""Generate isgraph's territories outside France from ISO 3166-1 and ISO 3166-2.

The source is the Debian ``iso-codes`` data as packaged by ``pycountry`` (PyPI), pinned
to :data:`VERSION`::

    pip install pycountry==24.6.1
    python tools/iso_territories.py

The script refuses another version of pycountry (another edition of the standard would
give other bytes), and writes ``data/territories/iso-3166.ttl.gz``: the same version
gives the same bytes. What it writes:

- every country of ISO 3166-1 (``territory/country/<alpha-2>``, an ``isg:Country``) with
  its alpha-2 code (``isg:iso3166Code``), its English name and its name in each official
  language of the European Union where iso-codes translates it, its common and official
  names and the code ISO reserves for it exceptionally (``UK``) as ``skos:altLabel`` (the
  importers read ``addr:country`` fields written in those ways);
- every subdivision of ISO 3166-2 outside France (``territory/subdivision/<code>``, an
  ``isg:CountrySubdivision``) with its code, its name as the standard gives it (in the
  country's language, untagged), its type (``isg:subdivisionType``) and
  ``isg:within`` the subdivision it belongs to or, at the first level, its country;
- the provenance of the graph (PROV-O) and its licence (LGPL-2.1, iso-codes).

France's territories are those of the Code officiel géographique
(``tools/cog_territories.py``): its régions and collectivités d'outre-mer are
``isg:within`` ``territory/country/FR``, and ISO 3166-2:FR is not repeated.
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import re
import sys
from pathlib import Path

import pyoxigraph as ox

VERSION = "24.6.1"
OUTPUT = Path(__file__).resolve().parent.parent / "data" / "territories" / "iso-3166.ttl.gz"
#: The official languages of the European Union: the country names the importers read.
LANGUAGES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
    "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
)  # fmt: skip

ISG = "https://w3id.org/isgraph/ontology#"
T = "https://w3id.org/isgraph/id/territory/"
GRAPH = "https://w3id.org/isgraph/graph/territories/iso-3166"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
#: Codes ISO 3166/MA reserves exceptionally for a country that has another (``UK`` for ``GB``).
RESERVED = {"GB": "UK"}
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
PREFIXES = {
    "isg": ISG,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": PROV,
    "dcterms": DCT,
    "country": T + "country/",
    "subdivision": T + "subdivision/",
}


def triples() -> list[ox.Triple]:
    import pycountry

    if _installed_version() != VERSION:
        raise SystemExit(f"pycountry {VERSION} is needed (pip install pycountry=={VERSION})")
    n = ox.NamedNode
    out: list[ox.Triple] = []
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True) for lang in LANGUAGES
    }
    for country in pycountry.countries:
        subject = n(T + "country/" + country.alpha_2)
        out += [
            ox.Triple(subject, n(RDF_TYPE), n(ISG + "Country")),
            ox.Triple(subject, n(ISG + "iso3166Code"), ox.Literal(country.alpha_2)),
            ox.Triple(subject, n(LABEL), ox.Literal(country.name, language="en")),
        ]
        for attribute in ("common_name", "official_name"):
            if other := getattr(country, attribute, None):
                out.append(ox.Triple(subject, n(ALT_LABEL), ox.Literal(other, language="en")))
        if country.alpha_2 in RESERVED:
            out.append(ox.Triple(subject, n(ALT_LABEL), ox.Literal(RESERVED[country.alpha_2])))
        for lang, translation in translations.items():
            name = translation.gettext(country.name)
            if lang != "en" and name != country.name:
                out.append(ox.Triple(subject, n(LABEL), ox.Literal(name, language=lang)))
    for sub in pycountry.subdivisions:
        if sub.country_code == "FR":
            continue
        subject = n(T + "subdivision/" + sub.code)
        above = T + ("subdivision/" + sub.parent_code if sub.parent_code else "country/" + sub.country_code)
        # iso-codes writes a Welsh name beside the English one: "Cardiff [Caerdydd GB-CRD]"
        name, _, other = sub.name.partition(" [")
        if other:
            out.append(ox.Triple(subject, n(ALT_LABEL), ox.Literal(re.sub(r"\s+[A-Z]{2}-[A-Z0-9]+\]$|\]$", "", other))))
        out += [
            ox.Triple(subject, n(RDF_TYPE), n(ISG + "CountrySubdivision")),
            ox.Triple(subject, n(ISG + "iso3166Code"), ox.Literal(sub.code)),
            ox.Triple(subject, n(LABEL), ox.Literal(name)),
            ox.Triple(subject, n(ISG + "subdivisionType"), ox.Literal(sub.type)),
            ox.Triple(subject, n(ISG + "within"), n(above)),
        ]
    return out


def _installed_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def provenance() -> list[ox.Triple]:
    n = ox.NamedNode
    graph, activity = n(GRAPH), n(GRAPH + "#generation")
    source = n(f"https://pypi.org/project/pycountry/{VERSION}/")
    return [
        ox.Triple(graph, n(RDF_TYPE), n(PROV + "Entity")),
        ox.Triple(graph, n(LABEL), ox.Literal("Pays et subdivisions (ISO 3166-1 et 3166-2)", language="fr")),
        ox.Triple(graph, n(LABEL), ox.Literal("Countries and subdivisions (ISO 3166-1 and 3166-2)", language="en")),
        ox.Triple(graph, n(PROV + "wasDerivedFrom"), source),
        ox.Triple(graph, n(PROV + "wasGeneratedBy"), activity),
        ox.Triple(graph, n(DCT + "license"), n("https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html")),
        ox.Triple(
            graph,
            n(DCT + "rights"),
            ox.Literal("Données ISO 3166 du projet Debian iso-codes, distribuées par pycountry : LGPL-2.1", language="fr"),
        ),
        ox.Triple(
            graph,
            n(DCT + "rights"),
            ox.Literal("ISO 3166 data of the Debian iso-codes project, distributed by pycountry: LGPL-2.1", language="en"),
        ),
        ox.Triple(activity, n(RDF_TYPE), n(PROV + "Activity")),
        ox.Triple(activity, n(PROV + "used"), source),
        ox.Triple(activity, n(LABEL), ox.Literal("tools/iso_territories.py")),
        ox.Triple(source, n(RDF_TYPE), n(PROV + "Entity")),
        ox.Triple(source, n(LABEL), ox.Literal(f"pycountry {VERSION}")),
    ]


def turtle(found: list[ox.Triple]) -> bytes:
    header = (
        f"# Generated by tools/iso_territories.py from pycountry {VERSION} (Debian iso-codes): do not edit by hand.\n"
        "# ISO 3166-1 countries and ISO 3166-2 subdivisions outside France. LGPL-2.1.\n"
    ).encode()
    ordered = sorted(set(found), key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    return header + ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    found = triples() + provenance()
    body = turtle(found)
    args.output.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    print(
        f"{args.output}: {len(set(found))} triples, {len(body) // 1024} KB of Turtle, {args.output.stat().st_size // 1024} KB compressed"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
