"""The pages a browser gets from ``isgraph serve`` (issue 18), read over HTTP from a real
server process: the catalogue as pages, the charts, the map, the grid and the network as
pictures, the steward's page, the SPARQL editor and the documentation pages. The same pages
are driven in a real browser in ``test_browser.py``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.query import catalogue

from .conftest import ROOT, start_isgraph_server, stop
from .html_reading import elements, tables

TOKEN = "steward-token-for-the-tests"
Q = urllib.parse.quote
ISG = "https://w3id.org/isgraph/"


@pytest.fixture(scope="module")
def served(catalogue_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    folder = tmp_path_factory.mktemp("views")
    store = folder / "store"
    shutil.copytree(catalogue_store, store)
    (folder / "token").write_text(TOKEN, encoding="utf-8")
    process, base = start_isgraph_server(store, "--token-file", str(folder / "token"), replica=True)
    try:
        yield {"base": base, "store": store}
    finally:
        stop(process)


@pytest.fixture(scope="module")
def base(served: dict[str, object]) -> str:
    return str(served["base"])


def get(url: str, accept: str = "text/html") -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


def post_form(url: str, fields: dict[str, str], file: tuple[str, bytes] | None = None) -> tuple[int, str]:
    """A multipart form, as a browser sends the steward's page."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    if file is not None:
        name, data = file
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def api_rows(base: str, name: str, params: str = "") -> list[list[str]]:
    _, _, body = get(f"{base}/api/queries/{name}?format=csv&{params}", "text/csv")
    return list(csv.reader(io.StringIO(body)))


# --- the catalogue as pages -------------------------------------------------------------------


def test_the_catalogue_list_is_a_page_in_each_language(base: str) -> None:
    queries = catalogue.load_catalogue()
    for lang in ("fr", "en"):
        status, content_type, page = get(f"{base}/queries?lang={lang}")
        assert (status, content_type) == (200, "text/html; charset=utf-8")
        links = [a["href"] for a in elements(page, "a") if a.get("href", "").startswith("/queries/")]
        assert links == [f"/queries/{q.name}?lang={lang}" for q in queries]
        for query in queries:
            assert query.title.text(lang).replace("'", "&#x27;").replace('"', "&quot;") in page
    french = get(f"{base}/queries?lang=fr")[2]
    # the lesson of principles-per-initiative, in the talk's words
    assert (
        "Une économie plurielle</a> — « l&#x27;innovation sociale s&#x27;inscrit donc dans une perspective d&#x27;économie plurielle »"
        in french
    )
    english = get(f"{base}/queries?lang=en")[2]
    assert "Misconception:" in english and "Lesson:" in english


def test_a_browser_gets_pages_where_a_client_gets_data(base: str) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert get(f"{base}/api/queries", browser)[1] == "text/html; charset=utf-8"
    assert get(f"{base}/api/queries/carrier-kinds", browser)[0:2] == (200, "text/html; charset=utf-8")
    assert json.loads(get(f"{base}/api/queries", "application/json")[2])[0]["name"] == "actor-figures"
    assert get(f"{base}/api/queries/carrier-kinds", "text/csv")[1] == "text/csv; charset=utf-8"
    assert get(f"{base}/api/queries/carrier-kinds")[1] == "text/html; charset=utf-8"  # this helper asks for HTML
    # the pages' own addresses negotiate as the API does
    assert json.loads(get(f"{base}/queries", "application/json")[2]) == json.loads(
        get(f"{base}/api/queries", "application/json")[2]
    )
    assert (
        get(f"{base}/queries/carrier-kinds?format=csv", "*/*")[2] == get(f"{base}/api/queries/carrier-kinds?format=csv", "*/*")[2]
    )


def test_a_query_page_is_a_form_and_its_results_the_api_rows_with_labels(base: str) -> None:
    status, _, page = get(f"{base}/queries/initiatives-per-territory?lang=en")
    assert status == 200
    assert elements(page, "form", class_="params", method="get", action="/queries/initiatives-per-territory")
    assert [s["name"] for s in elements(page, "select")] == ["lang"]
    [results] = [t for t in tables(page) if t and t[0] == ["area", "areaLabel", "kind", "initiatives"]]
    assert results[1:] == [
        ["Picardie", "Picardie", "region", "5"],
        ["Hauts-de-France", "Hauts-de-France", "region", "5"],
        ["Amiens", "Amiens", "municipality", "2"],
        ["Oise", "Oise", "département", "2"],
        ["Somme", "Somme", "département", "2"],
        ["Aisne", "Aisne", "département", "1"],
        ["Etouvie", "Etouvie", "neighbourhood", "1"],
    ]
    assert len(api_rows(base, "initiatives-per-territory", "lang=en")) - 1 == len(results) - 1
    links = {a["href"] for a in elements(page, "a")}
    assert {"/id/territory/region/32", "/id/territory/departement/60", "/id/territory/quartier/80021-etouvie"} <= links
    assert "/api/queries/initiatives-per-territory?lang=en&all=true&format=csv" in links  # the whole answer
    assert "/api/queries/initiatives-per-territory?lang=en&all=true&format=json" in links
    assert "/sparql?example=initiatives-per-territory&lang=en" in links


def test_results_page_through_in_a_stable_order(base: str) -> None:
    every = api_rows(base, "grid-coverage-per-case")[1:]
    seen = []
    for number in (1, 2, 3):
        page = get(f"{base}/queries/grid-coverage-per-case?lang=en&size=2&page={number}")[2]
        [results] = [t for t in tables(page) if t and t[0][0] == "initiative"]
        seen += [row[1:] for row in results[1:]]
        rels = [a.get("rel") for a in elements(page, "a") if a.get("rel") in ("prev", "next")]
        one_pager = [r for r, present in (("prev", number > 1), ("next", number < 3)) if present]
        assert rels == one_pager * 2  # above and below the table
        assert f"page {number} of 3" in page
    assert seen == [row[1:] for row in every]
    assert [len(r) for r in every] == [5] * 5


def test_a_bad_parameter_is_a_clear_error_on_the_page(base: str) -> None:
    status, _, page = get(f"{base}/queries/initiatives-in-territory?territory={Q('not an iri')}&lang=en")
    assert status == 400
    assert elements(page, "p", class_="error", role="alert")
    assert "parameter &quot;territory&quot; (iri): invalid IRI: &#x27;not an iri&#x27;" in page


# --- charts ---------------------------------------------------------------------------------


def test_aggregate_queries_are_charted_beside_their_table(base: str) -> None:
    page = get(f"{base}/queries/grid-coverage-per-case?lang=en")[2]
    [chart] = elements(page, "svg", class_="chart")
    assert (
        chart["role"] == "group"
        and chart["aria-labelledby"] == "chart-grid-coverage-per-case-title chart-grid-coverage-per-case-desc"
    )
    assert '<title id="chart-grid-coverage-per-case-title">Grid coverage per case</title>' in page
    for segment in (
        "Initi&#x27;elles — present : 9",
        "Graines de Pays — present : 8",
        "Graines de Pays — in progress : 1",
        "Bravo (fictif) — not documented : 1",
    ):
        assert f"<title>{segment}</title>" in page, segment
    charted = {q.name for q in catalogue.load_catalogue() if q.chart}
    assert charted == {
        "carrier-kinds",
        "diffusion-modes",
        "grid-coverage-per-case",
        "grid-coverage-per-territory",
        "initiatives-per-territory",
        "principles-per-initiative",
        "principles-per-territory",
        "roles-per-initiative",
    }
    for name in sorted(charted):
        page = get(f"{base}/queries/{name}?lang=fr")[2]
        assert len(elements(page, "svg", class_="chart")) == 1, name
        assert any(t and len(t) > 1 for t in tables(page)), name


def test_a_chart_header_naming_a_missing_column_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "queries" / "carrier-kinds.rq").read_text(encoding="utf-8")
    (tmp_path / "carrier-kinds.rq").write_text(text.replace("category: type", "category: nothing"), encoding="utf-8")
    with pytest.raises(Exception, match=r"the query has no column \?nothing"):
        catalogue.load_catalogue(tmp_path)


# --- the map ------------------------------------------------------------------------------------


def counts_on_map(page: str) -> dict[str, int]:
    return {p["data-code"]: int(p["data-initiatives"]) for p in elements(page, "path") if int(p.get("data-initiatives", "0"))}


def test_the_map_counts_initiatives_per_area_and_takes_the_filters(base: str) -> None:
    status, _, page = get(f"{base}/map?lang=en")
    assert status == 200
    assert counts_on_map(page) == {"02": 1, "60": 2, "80": 2}
    assert len(elements(page, "path")) == 101  # the 96 metropolitan départements and the 5 overseas
    assert {a["href"] for a in elements(page, "a") if a.get("href", "").startswith("/id/territory/departement/")} >= {
        "/id/territory/departement/80",
        "/id/territory/departement/971",
    }
    assert "Outlines: IGN Admin Express COG 2018, INSEE; Licence Ouverte (Etalab)" in page
    regions = get(f"{base}/map?kind=region&lang=fr")[2]
    assert counts_on_map(regions) == {"32": 5} and len(elements(regions, "path")) == 18
    profile = get(f"{base}/map?profile={Q(ISG + 'profile/institutionnaliste')}")[2]
    assert counts_on_map(profile) == {"02": 1, "60": 1, "80": 1}
    element = get(f"{base}/map?kind=region&element={Q(ISG + 'grid/gouvernance-participative')}&level=en-cours")[2]
    assert counts_on_map(element) == {"32": 1}
    [table] = [t for t in tables(get(f"{base}/map?lang=en")[2]) if t and t[0] == ["département", "initiatives"]]
    assert table[1:] == [["Oise (60)", "2"], ["Somme (80)", "2"], ["Aisne (02)", "1"]]


def test_a_bad_map_filter_is_a_clear_error(base: str) -> None:
    status, _, page = get(f"{base}/map?profile={Q(ISG + 'profile/nothing')}&lang=en")
    assert status == 400 and f"map: unknown profile &quot;{ISG}profile/nothing&quot;" in page
    status, _, page = get(f"{base}/map?element={Q(ISG + 'grid/accessibilite')}&lang=fr")
    assert status == 400 and "carte : un élément se filtre avec un niveau" in page


@pytest.mark.skipif(not (ROOT.parent / "shared" / "realdata").is_dir(), reason="../shared/realdata holds the outlines' source")
def test_the_shipped_outlines_are_regenerated_byte_for_byte(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "map_outlines.py"),
            str(ROOT.parent / "shared" / "realdata" / "territory" / "geometry"),
        ],
        capture_output=True,
        check=True,
    )
    assert done.stdout == (ROOT / "isgraph" / "web" / "assets" / "outlines.json").read_bytes()


# --- the grid and the network as pictures ----------------------------------------------------------


def test_a_case_page_draws_its_grid_and_two_characterisations_side_by_side(base: str) -> None:
    page = get(f"{base}/id/initiative/fixture-charlie?lang=en")[2]
    assert page.count("<figcaption>") == 2 and page.index("2020-01-01</figcaption>") < page.index("2024-06-01</figcaption>")
    pictures = elements(page, "svg", class_="grid-picture")
    assert [p["aria-labelledby"] for p in pictures] == ["grid-0-title grid-0-desc", "grid-1-title grid-1-desc"]
    levels = [(e["data-element"].rsplit("/", 1)[-1], e["data-level"]) for e in elements(page, "g", class_="element")]
    assert levels[9:] == [
        ("finalite-sociale", "present"),
        ("aspiration-sociale", "present"),
        ("ancrage-territorial", "present"),
        ("gouvernance-participative", "absent"),
        ("modele-economique-pluriel", "en-cours"),
        ("accessibilite", "present"),
        ("logique-de-service", "present"),
        ("impacts-directs", "present"),
        ("changement-social", "present"),
    ]
    assert levels[:9] == [(name, "present") for name, _ in levels[9:]]
    graines = get(f"{base}/id/initiative/graines-de-pays?lang=fr")[2]
    assert "<title>2.2 Gouvernance élargie et participative (empowerment) — en cours\n« En construction" in graines
    assert "présent</li>" in graines and "non renseigné</li>" in graines  # the legend


def test_case_and_territory_pages_draw_the_network(base: str) -> None:
    page = get(f"{base}/id/initiative/initielles?lang=en")[2]
    [network] = elements(page, "svg", class_="network")
    assert network["role"] == "group"
    names = sorted(a["aria-label"] for a in elements(page, "a") if a.get("aria-label", "").endswith(("(initiative)", "(actor)")))
    assert names == [
        "Initi'elles (initiative)",
        "Initi'elles association (actor)",
        "inhabitants of the neighbourhood (actor)",
        "the ambassadors (actor)",
    ]
    territory = get(f"{base}/id/territory/region/32?lang=en")[2]
    drawn = [a["aria-label"] for a in elements(territory, "a") if a.get("aria-label", "").endswith("(initiative)")]
    assert len(drawn) == 5


# --- the steward's page -----------------------------------------------------------------------------

BROKEN = """id: initiative/atelier-test
label:
  fr: Atelier test
  en: Test workshop
territory: territory/commune/99999
actors:
- id: actor/atelier-test
  type: Association
  label: {fr: Atelier, en: Workshop}
participations:
- actor: actor/atelier-test
  role: porteur
"""


def test_the_steward_reads_a_broken_case_report_and_nothing_is_written(base: str) -> None:
    status, page = post_form(
        f"{base}/steward?lang=en", {"format": "yaml", "name": "atelier", "action": "validate", "text": BROKEN}
    )
    assert status == 422
    assert "Validation report — atelier.yaml" in page
    assert "2 blocking problem(s): the case cannot be ingested as it is." in page
    assert "No characterisation: add a characterisation with its nine elements" in page
    assert "Hint: Add this information: it is required." in page
    highlighted = [d["id"] for d in elements(page, "div", class_="bad")]
    assert highlighted == ["line-1", "line-5", "line-7"]  # the two violations, a warning on line 1, an info on line 7
    assert [d["id"] for d in elements(page, "div") if d.get("id", "").startswith("line-")] == [f"line-{n}" for n in range(1, 13)]
    french = post_form(
        f"{base}/steward?lang=fr", {"format": "yaml", "name": "atelier", "action": "validate"}, ("atelier.yaml", BROKEN.encode())
    )
    assert french[0] == 422 and "Aucune caractérisation" in french[1] and "Conseil : " in french[1]
    assert get(f"{base}/id/initiative/atelier-test")[0] == 404


def test_the_steward_ingests_with_the_token_only(base: str) -> None:
    good = (
        (ROOT / "tests" / "fixtures" / "catalogue" / "bravo.yaml")
        .read_text(encoding="utf-8")
        .replace("fixture-bravo", "fixture-delta")
    )
    fields = {"format": "yaml", "name": "delta", "action": "ingest", "text": good}
    assert post_form(f"{base}/steward?lang=en", {**fields, "token": "wrong-token"})[0] == 401
    assert get(f"{base}/id/initiative/fixture-delta")[0] == 404
    status, page = post_form(f"{base}/steward?lang=en", {**fields, "token": TOKEN})
    assert status == 201, page
    assert "Case put in the graph:" in page and "/id/initiative/fixture-delta" in page
    assert get(f"{base}/id/initiative/fixture-delta?lang=en")[0] == 200
    broken = post_form(f"{base}/steward?lang=en", {**fields, "text": BROKEN, "token": TOKEN})
    assert broken[0] == 422 and get(f"{base}/id/initiative/atelier-test")[0] == 404


def test_the_steward_page_refuses_what_it_cannot_read(base: str) -> None:
    assert post_form(f"{base}/steward?lang=en", {"format": "yaml", "action": "validate", "text": "  "})[0] == 400
    status, page = post_form(f"{base}/steward?lang=en", {"format": "docx", "action": "validate", "text": "x"})
    assert status == 400 and "format among yaml, json, ttl, jsonld, nt, rdf" in page
    status, page = post_form(f"{base}/steward?lang=en", {"format": "yaml", "action": "validate"}, ("case.yaml", b"id: \xff\xfe"))
    assert status == 400 and "the case is not UTF-8" in page
    status, page = post_form(f"{base}/steward?lang=en", {"format": "ttl", "action": "validate", "text": "<a> <b> ."})
    assert status == 422 and elements(page, "div", class_="bad") == [{"id": "line-1", "class": "bad"}]


def test_a_read_only_server_validates_but_offers_no_ingest(catalogue_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(catalogue_store, store)
    process, base = start_isgraph_server(store)
    try:
        page = get(f"{base}/steward?lang=en")[2]
        assert elements(page, "input", name="token") == [] and "This server is read-only" in page
        assert post_form(f"{base}/steward", {"format": "yaml", "action": "ingest", "text": BROKEN, "token": "x" * 20})[0] == 403
    finally:
        stop(process)


# --- the SPARQL editor and the assets ---------------------------------------------------------------


def test_the_sparql_page_is_the_editor_set_up_for_this_endpoint(base: str) -> None:
    page = get(f"{base}/sparql?lang=en&example=carrier-kinds")[2]
    scripts = [s.get("src") for s in elements(page, "script")]
    assert scripts == [None, "/assets/yasgui/yasgui.min.js", "/assets/sparql-editor.js"]
    config = json.loads(page.split('id="isgraph-editor-config">', 1)[1].split("</script>", 1)[0])
    assert config["endpoint"] == f"{base}/sparql" and config["example"] == "carrier-kinds"
    assert [e["name"] for e in config["examples"]] == [q.name for q in catalogue.load_catalogue()]
    assert config["query"].startswith("PREFIX isg: <https://w3id.org/isgraph/ontology#>\n")
    assert all("://" not in src for src in scripts if src)  # nothing from another site
    assert all(not link["href"].startswith(("http:", "https:", "//")) for link in elements(page, "link"))


def test_the_assets_are_the_vendored_files(base: str) -> None:
    readme = (ROOT / "isgraph" / "web" / "assets" / "yasgui" / "README.md").read_text(encoding="utf-8")
    for name in ("yasgui.min.js", "yasgui.min.css"):
        request = urllib.request.urlopen(f"{base}/assets/yasgui/{name}", timeout=30)
        assert f"| {name} | {hashlib.sha256(request.read()).hexdigest()} |" in readme
    for bad in ("/assets/../pyproject.toml", "/assets/%2e%2e/app.py", "/assets/yasgui/../../app.py", "/assets/nothing.js"):
        assert get(base + bad)[0] == 404, bad


# --- documentation pages ----------------------------------------------------------------------------


def test_the_ontology_page_documents_every_term_in_both_languages(base: str) -> None:
    page = get(f"{base}/ontology?lang=en")[2]
    store = ox.Store()
    store.load(path=str(ROOT / "ontology" / "isgraph.ttl"), format=ox.RdfFormat.TURTLE)
    owl = "http://www.w3.org/2002/07/owl#"
    terms = {
        quad.subject.value[len(ISG + "ontology#") :]
        for kind in ("Class", "ObjectProperty", "DatatypeProperty")
        for quad in store.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(owl + kind)
        )
        if quad.subject.value.startswith(ISG + "ontology#")
    }
    anchors = {d["id"] for d in elements(page, "dt")}
    assert terms <= anchors, sorted(terms - anchors)
    assert "The element is realised in the case." in page and "L&#x27;élément est réalisé dans le cas." in page
    assert "example: <code>initiative/graines-de-pays a isg:Initiative</code>" in page
    assert "example: <code>initiative/graines-de-pays isg:territory territory/departement/60</code>" in page
    for profile in (
        "institutionnaliste",
        "entreprise-sociale",
        "entrepreneuriat-social",
        "esid",
        "modernisation-politiques-publiques",
    ):
        assert f'id="profile-{profile}"' in page


def test_the_shapes_page_documents_every_shape_with_its_examples(base: str) -> None:
    page = get(f"{base}/shapes?lang=en")[2]
    shapes = sorted(p.name for p in (ROOT / "shapes" / "examples").iterdir() if p.is_dir())
    headings = [h["id"] for h in elements(page, "h2") if h.get("id")]
    assert headings == sorted(headings) and set(shapes) <= set(headings)
    assert "no-carrier.ttl</summary>" in page and "complete-case.ttl</summary>" in page
    assert 'id="InitiativeShape-characterisation"' in page  # where the steward's report links
    assert "Aucune caractérisation" in page and "No characterisation" in page
    status, content_type, turtle = get(f"{base}/shapes", "text/turtle")
    assert (status, content_type) == (200, "text/turtle; charset=utf-8")
    parsed = {q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)}
    assert (
        ox.Triple(
            ox.NamedNode("https://w3id.org/isgraph/shapes#InitiativeShape"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://www.w3.org/ns/shacl#NodeShape"),
        )
        in parsed
    )


# --- every page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_is_in_the_language_asked_with_a_skip_link(base: str, lang: str) -> None:
    for path in ("/", "/cases", "/queries", "/queries/carrier-kinds", "/map", "/sparql", "/steward", "/ontology", "/shapes",
                 "/id/initiative/initielles", "/id/actor/association-initielles", "/id/territory/departement/80"):  # fmt: skip
        status, _, page = get(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert status == 200, path
        assert page.startswith(f'<!DOCTYPE html><html lang="{lang}">'), path
        assert elements(page, "a", class_="skip") == [{"class": "skip", "href": "#main"}], path
        assert elements(page, "main", id="main"), path
        for svg in elements(page, "svg"):
            # a picture is an image; a picture holding links (chart, map, network) a group of them
            assert svg.get("role") in ("img", "group") and svg.get("aria-labelledby"), (path, svg)
