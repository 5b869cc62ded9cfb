"""Issue 16: ``/dataset`` did not meet DCAT-AP 2.1.1, the profile European and French
open-data portals harvest. Checked against the official shapes, it had six violations:
the catalogue had no publisher and no description, the dataset no description, the
SPARQL service no title, and the two dump distributions no ``dcat:accessURL``. Each is
tested here, with what the server's settings give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from isgraph.store import EmbeddedStore
from isgraph.web.dataset import description
from isgraph.web.settings import ServerSettings
from tests.conftest import run_cli, start_isgraph_server, stop
from tests.test_serve import get

URL = "http://127.0.0.1:8000"
CATALOG, DATASET, SERVICE = f"<{URL}/catalog>", f"<{URL}/dataset>", f"<{URL}/sparql>"
PREFIXES = (
    "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
)


def graph(settings: ServerSettings) -> ox.Store:
    found = ox.Store()
    found.extend(ox.Quad(t.subject, t.predicate, t.object) for t in description(EmbeddedStore(), settings))
    return found


def rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(term.value for term in solution) for solution in store.query(PREFIXES + query))  # type: ignore[union-attr]


def test_the_six_findings_are_met_from_the_settings() -> None:
    settings = ServerSettings(
        publisher="Observatoire de l'innovation sociale",
        publisher_iri="https://example.org/observatoire",
        licence="https://creativecommons.org/licenses/by/4.0/",
    )
    store = graph(settings)
    assert rows(store, f"SELECT ?name WHERE {{ {CATALOG} dct:publisher [ a foaf:Agent ; foaf:name ?name ] }}") == [
        ("Observatoire de l'innovation sociale",)
    ]
    assert rows(store, f"SELECT ?p WHERE {{ {CATALOG} dct:publisher ?p }}") == [("https://example.org/observatoire",)]
    for thing in (CATALOG, DATASET):
        found = rows(store, f"SELECT (LANG(?d) AS ?l) WHERE {{ {thing} dct:description ?d }}")
        assert found == [("en",), ("fr",)], thing
    assert rows(store, f"SELECT ?t WHERE {{ {SERVICE} dct:title ?t FILTER(LANG(?t) = 'en') }}") == [
        ("Knowledge graph of social innovation (isgraph) — SPARQL",)
    ]
    assert rows(store, "SELECT ?a ?d WHERE { [] a dcat:Distribution ; dcat:accessURL ?a ; dcat:downloadURL ?d }") == [
        (f"{URL}/dumps/isgraph.nq", f"{URL}/dumps/isgraph.nq"),
        (f"{URL}/dumps/isgraph.trig", f"{URL}/dumps/isgraph.trig"),
    ]
    assert rows(store, "SELECT ?l WHERE { ?l a dct:LicenseDocument }") == [("https://creativecommons.org/licenses/by/4.0/",)]
    assert rows(store, "SELECT ?m WHERE { ?m a dct:MediaType }") == [
        ("https://www.iana.org/assignments/media-types/application/n-quads",),
        ("https://www.iana.org/assignments/media-types/application/trig",),
    ]


def test_without_a_publisher_the_catalogue_names_none() -> None:
    """DCAT-AP requires a publisher: a server that was not told one does not invent it."""
    assert rows(graph(ServerSettings()), "SELECT ?p WHERE { ?c dct:publisher ?p }") == []


def test_isgraph_serve_takes_them_from_its_options(catalogue_store: Path, tmp_path: Path) -> None:
    shutil.copytree(catalogue_store, tmp_path / "store")
    process, base = start_isgraph_server(
        tmp_path / "store",
        "--title",
        "fr=Observatoire des Hauts-de-France",
        "--title",
        "en=Hauts-de-France observatory",
        "--description",
        "fr=Les cas de la région.",
        "--description",
        "en=The region's cases.",
        "--publisher",
        "Observatoire régional",
        "--licence",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    )
    try:
        status, _, body = get(f"{base}/dataset", "application/n-triples")
    finally:
        stop(process)
    assert status == 200
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.N_TRIPLES)
    catalog = f"<{base}/catalog>"
    assert rows(store, f"SELECT ?t WHERE {{ {catalog} dct:title ?t }}") == [
        ("Hauts-de-France observatory",),
        ("Observatoire des Hauts-de-France",),
    ]
    assert rows(store, f"SELECT ?d WHERE {{ {catalog} dct:description ?d }}") == [
        ("Les cas de la région.",),
        ("The region's cases.",),
    ]
    assert rows(store, f"SELECT ?n WHERE {{ {catalog} dct:publisher/foaf:name ?n }}") == [("Observatoire régional",)]
    assert rows(store, f"SELECT ?l WHERE {{ <{base}/dataset> dct:license ?l }}") == [
        ("https://www.etalab.gouv.fr/licence-ouverte-open-licence/",)
    ]


def test_a_title_in_one_language_only_is_refused(catalogue_store: Path) -> None:
    refused = run_cli("serve", "--store", catalogue_store, "--title", "fr=Observatoire", "--lang", "en")
    assert (refused.code, refused.stderr) == (2, "isgraph: --title: give French and English\n")
    refused = run_cli("serve", "--store", catalogue_store, "--description", "de=Beobachtungsstelle", "--lang", "en")
    assert (refused.code, refused.stderr) == (2, "isgraph: --description expects fr=TEXTE or en=TEXT\n")
