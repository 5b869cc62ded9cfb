"""Harvest, federate and actor matching against real servers: two Oxigraph servers on
127.0.0.1 hold two fictional observatories (tests/fixtures/observatories) that share
actors under other spellings and identifiers, and a third source points where nothing
listens. The tests run in order: harvest, federate, matching, then refresh."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.federation.harvest import local_graph
from isgraph.federation.matching import pair_id
from isgraph.federation.sources import load_sources
from isgraph.graph.ingest import read_case
from isgraph.namespaces import GRAPH, ID, case_graph_iri
from isgraph.store import EmbeddedStore

from .conftest import FIXTURES, free_port, run_cli, start_oxigraph, stop

OBSERVATORIES = FIXTURES / "observatories"
NORD = "https://obs-nord.example.org/"
PIC = "https://obs-picardie.example.org/"


def dataset(folder: Path) -> tuple[bytes, dict[str, int]]:
    """The observatory's cases as N-Quads (one graph per case, as isgraph names them), and
    the number of triples of each case, by initiative."""
    quads, sizes = [], {}
    for path in sorted(folder.glob("*.yaml")):
        case = read_case(path)
        graph = ox.NamedNode(case_graph_iri(case.initiative))
        quads += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in case.triples]
        sizes[case.initiative] = len(case.triples)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS), sizes


def load(query_url: str, data: bytes) -> None:
    store_url = query_url.replace("/query", "/store")
    request = urllib.request.Request(store_url, data=data, method="POST", headers={"Content-Type": "application/n-quads"})
    urllib.request.urlopen(request, timeout=30).read()


def update(query_url: str, sparql: str) -> None:
    request = urllib.request.Request(
        query_url.replace("/query", "/update"),
        data=sparql.encode(),
        method="POST",
        headers={"Content-Type": "application/sparql-update"},
    )
    urllib.request.urlopen(request, timeout=30).read()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("observatories")
    processes, urls = [], {}
    try:
        for name in ("nord", "picardie"):
            process, url = start_oxigraph(root / name)
            processes.append(process)
            load(url, dataset(OBSERVATORIES / name)[0])
            urls[name] = url
        yield urls
    finally:
        for process in processes:
            stop(process)


@pytest.fixture(scope="module")
def sources_file(servers: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sources") / "sources.yaml"
    path.write_text(
        f"""sources:
  - name: nord
    title: {{fr: Observatoire Nord (fictif), en: Nord observatory (fictional)}}
    endpoint: {servers["nord"]}
    licence: https://creativecommons.org/licenses/by/4.0/
    contact: observatoire@obs-nord.example.org
  - name: picardie
    endpoint: {servers["picardie"]}
    licence: https://creativecommons.org/licenses/by-sa/4.0/
    contact: mailto:contact@obs-picardie.example.org
  - name: fantome
    endpoint: http://127.0.0.1:{free_port()}/query
    licence: https://creativecommons.org/licenses/by/4.0/
    contact: https://fantome.example.org/contact
    timeout: 2
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def harvested(built_store: Path, sources_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("harvest")
    store = folder / "store"
    shutil.copytree(built_store, store)
    result = run_cli("harvest", sources_file, "--store", store, "--quarantine", folder / "quarantine")
    return {"store": store, "quarantine": folder / "quarantine", "result": result}


def rows(store: Path, sparql: str) -> list[tuple[str, ...]]:
    with EmbeddedStore(store, create=False) as s:
        result = s.query(sparql)
        names = [v.value for v in result.variables]  # type: ignore[union-attr]
        return [tuple(row[n].value if row[n] is not None else "" for n in names) for row in result]  # type: ignore[union-attr]


def test_harvest_reports_each_source(harvested: dict[str, object], sources_file: Path) -> None:
    result = harvested["result"]
    assert result.code == 0, result.stderr  # type: ignore[attr-defined]
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    incomplete = case_graph_iri(NORD + "initiative/cas-incomplet")
    _, nord_sizes = dataset(OBSERVATORIES / "nord")
    _, pic_sizes = dataset(OBSERVATORIES / "picardie")
    kept = nord_sizes[NORD + "initiative/jardins-partages"] + nord_sizes[NORD + "initiative/energie-partagee"]
    assert re.fullmatch(rf"nord: 2 case\(s\) \({kept} triples\), 0 removed, 1 kept apart, in \d+\.\d s", lines[0])
    assert lines[1] == f"  kept apart: <{incomplete}> (6 violation(s)) in {harvested['quarantine']}/nord"
    assert re.fullmatch(
        rf"picardie: 2 case\(s\) \({sum(pic_sizes.values())} triples\), 0 removed, 0 kept apart, in \d+\.\d s", lines[2]
    )
    port = load_sources(sources_file)[2].endpoint
    assert lines[3] == (
        f"fantome: skipped, source unreachable: [Errno 111] Connection refused ({port}); "
        "what was harvested from it before is kept"
    )
    assert len(lines) == 4


def test_harvested_cases_sit_in_their_own_graphs_with_provenance(harvested: dict[str, object], sources_file: Path) -> None:
    store = harvested["store"]
    nord, picardie, _ = load_sources(sources_file)
    _, sizes = dataset(OBSERVATORIES / "nord")
    graphs = rows(store, f'SELECT ?g WHERE {{ GRAPH ?g {{}} FILTER STRSTARTS(STR(?g), "{GRAPH["harvest/"]}") }} ORDER BY ?g')
    expected = sorted(
        [
            local_graph(nord, NORD + "initiative/energie-partagee"),
            local_graph(nord, NORD + "initiative/jardins-partages"),
            local_graph(picardie, PIC + "initiative/potager"),
            local_graph(picardie, PIC + "initiative/solidarite"),
            GRAPH["harvest/nord"],
            GRAPH["harvest/picardie"],
        ]
    )
    assert [g for (g,) in graphs] == expected
    jardins = local_graph(nord, NORD + "initiative/jardins-partages")
    provenance = rows(
        store,
        f"""PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?from ?source ?triples ?licence ?contact ?endpoint WHERE {{ GRAPH <{GRAPH["harvest/nord"]}> {{
          <{jardins}> prov:wasDerivedFrom ?from ; prov:hadPrimarySource ?source ; <http://rdfs.org/ns/void#triples> ?triples ;
                      prov:wasGeneratedBy ?activity .
          ?activity prov:used ?source .
          ?source <http://purl.org/dc/terms/license> ?licence ; <http://www.w3.org/ns/dcat#contactPoint> ?contact ;
                  <http://www.w3.org/ns/dcat#endpointURL> ?endpoint . }} }}""",
    )
    assert provenance == [
        (
            case_graph_iri(NORD + "initiative/jardins-partages"),
            nord.iri,
            str(sizes[NORD + "initiative/jardins-partages"]),
            "https://creativecommons.org/licenses/by/4.0/",
            "mailto:observatoire@obs-nord.example.org",
            nord.endpoint,
        )
    ]
    # the case is there whole: the same triples as at the source
    with EmbeddedStore(store, create=False) as s:
        here = set(s.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{jardins}> {{ ?s ?p ?o }} }}"))  # type: ignore[arg-type]
    assert here == set(read_case(OBSERVATORIES / "nord" / "jardins-partages.yaml").triples)


def test_an_invalid_case_is_kept_apart_with_its_report(harvested: dict[str, object]) -> None:
    store, quarantine = harvested["store"], harvested["quarantine"]
    assert rows(store, f"SELECT ?p WHERE {{ <{NORD}initiative/cas-incomplet> ?p ?o }}") == []
    files = sorted(p.name for p in (quarantine / "nord").iterdir())  # type: ignore[operator]
    assert len(files) == 2 and files[0].endswith(".json") and files[1].endswith(".nt")
    summary = json.loads((quarantine / "nord" / files[0]).read_text(encoding="utf-8"))  # type: ignore[operator]
    assert summary["initiative"] == NORD + "initiative/cas-incomplet"
    assert summary["report"]["conforms"] is False
    missing = sorted(r["shape"].split("Shape-")[1] for r in summary["report"]["results"] if r["severity"] == "Violation")
    assert missing == [
        "accessibilite",
        "changement-social",
        "gouvernance-participative",
        "impacts-directs",
        "logique-de-service",
        "modele-economique-pluriel",
    ]
    kept = ox.parse((quarantine / "nord" / files[1]).read_bytes(), format=ox.RdfFormat.N_TRIPLES)  # type: ignore[operator]
    assert {t.triple for t in kept} == set(read_case(OBSERVATORIES / "nord" / "cas-incomplet.yaml").triples)
    record = rows(
        store,
        """SELECT ?count ?file WHERE { ?r a <https://w3id.org/isgraph/ontology#QuarantinedCase> ;
        <https://w3id.org/isgraph/ontology#violationCount> ?count ; <https://w3id.org/isgraph/ontology#sourceFile> ?file }""",
    )
    assert record == [("6", str(quarantine / "nord" / files[1]))]  # type: ignore[operator]


def test_federate_merges_rows_and_reports_the_unreachable_source(sources_file: Path) -> None:
    result = run_cli("federate", "roles-per-initiative", "--sources", sources_file, "--format", "csv")
    assert result.code == 0, result.stderr
    role = "https://w3id.org/isgraph/role/"
    assert result.stdout.splitlines() == [
        "source,initiative,role,actors",
        f"nord,{NORD}initiative/cas-incomplet,{role}porteur,1",
        f"nord,{NORD}initiative/energie-partagee,{role}partenaire,1",
        f"nord,{NORD}initiative/energie-partagee,{role}porteur,1",
        f"nord,{NORD}initiative/jardins-partages,{role}partenaire,2",
        f"nord,{NORD}initiative/jardins-partages,{role}porteur,1",
        f"picardie,{PIC}initiative/potager,{role}partenaire,1",
        f"picardie,{PIC}initiative/potager,{role}porteur,1",
        f"picardie,{PIC}initiative/solidarite,{role}partenaire,1",
        f"picardie,{PIC}initiative/solidarite,{role}porteur,1",
    ]
    port = load_sources(sources_file)[2].endpoint
    assert result.stderr == f"isgraph: source fantome skipped: source unreachable: [Errno 111] Connection refused ({port})\n"


@pytest.mark.parametrize("form", ["post-direct", "get"])
def test_every_request_form_gives_the_same_rows(sources_file: Path, tmp_path: Path, form: str) -> None:
    """The three forms of the Protocol, each sent to a real server (the default, post-form, above)."""
    text = sources_file.read_text(encoding="utf-8").replace("    licence:", f"    request_form: {form}\n    licence:")
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    assert [s.request_form for s in load_sources(tmp_path / "sources.yaml")] == [form] * 3
    default = run_cli("federate", "roles-per-initiative", "--sources", sources_file, "--format", "csv")
    chosen = run_cli("federate", "roles-per-initiative", "--sources", tmp_path / "sources.yaml", "--format", "csv")
    assert chosen.code == 0 and chosen.stdout == default.stdout and len(chosen.stdout.splitlines()) == 10


def test_federate_gives_standard_sparql_json_with_the_local_store_too(sources_file: Path, built_store: Path) -> None:
    result = run_cli(
        "federate", "roles-per-initiative", "--sources", sources_file, "--with-local", "--store", built_store, "--format", "json"
    )
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["head"]["vars"][0] == "source"
    assert data["head"]["vars"] == ["source", "initiative", "role", "actors"]
    sources = [b["source"]["value"] for b in data["results"]["bindings"]]
    assert sources == ["local"] * 5 + ["nord"] * 5 + ["picardie"] * 4
    assert data["results"]["bindings"][0] == {
        "source": {"type": "literal", "value": "local"},
        "initiative": {"type": "uri", "value": "https://w3id.org/isgraph/id/initiative/graines-de-pays"},
        "role": {"type": "uri", "value": "https://w3id.org/isgraph/role/acteur-mobilise"},
        "actors": {"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    }


class _Misbehaving(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/slow"):
            time.sleep(3)
        body = b"this is not SPARQL results\n\x01"
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client gave up on the slow answer: that is the point, not an error to print


def test_slow_and_malformed_sources_are_skipped_and_lose_nothing(harvested: dict[str, object], tmp_path: Path) -> None:
    server = _QuietServer(("127.0.0.1", 0), _Misbehaving)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    store = tmp_path / "store"
    shutil.copytree(harvested["store"], store)  # type: ignore[arg-type]
    before = rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"""sources:
  - name: nord
    endpoint: http://127.0.0.1:{port}/slow
    licence: https://creativecommons.org/licenses/by/4.0/
    contact: a@example.org
    timeout: 1
  - name: picardie
    endpoint: http://127.0.0.1:{port}/garbage
    licence: https://creativecommons.org/licenses/by/4.0/
    contact: a@example.org
""",
        encoding="utf-8",
    )
    try:
        result = run_cli("harvest", sources, "--store", store, "--quarantine", tmp_path / "q")
        federated = run_cli("federate", "roles-per-initiative", "--sources", sources)
    finally:
        server.shutdown()
    assert result.code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"nord: skipped, no answer within 1 s (http://127.0.0.1:{port}/slow); what was harvested from it before is kept"
    )
    assert lines[1].startswith("picardie: skipped, malformed SPARQL results: ") and lines[1].endswith(
        f"(http://127.0.0.1:{port}/garbage); what was harvested from it before is kept"
    )
    assert rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g") == before
    assert federated.code == 2 and federated.stdout.splitlines()[-1] == "(0 rows)"
    assert f"isgraph: source nord skipped: no answer within 1 s (http://127.0.0.1:{port}/slow)" in federated.stderr


def test_a_dump_source_is_harvested_and_federated_like_an_endpoint(built_store: Path, tmp_path: Path) -> None:
    (tmp_path / "nord.nq").write_bytes(dataset(OBSERVATORIES / "nord")[0])
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - name: nord\n    dump: nord.nq\n    licence: https://creativecommons.org/licenses/by/4.0/\n"
        "    contact: a@example.org\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    result = run_cli("harvest", sources, "--store", store, "--quarantine", tmp_path / "q")
    assert result.code == 0, result.stderr
    assert re.fullmatch(
        r"nord: 2 case\(s\) \(\d+ triples\), 0 removed, 1 kept apart, in \d+\.\d s", result.stdout.splitlines()[0]
    )
    download = rows(store, "SELECT ?url WHERE { ?s <http://www.w3.org/ns/dcat#downloadURL> ?url }")
    assert download == [((tmp_path / "nord.nq").resolve().as_uri(),)]
    federated = run_cli("federate", "roles-per-initiative", "--sources", sources, "--format", "csv")
    assert federated.code == 0 and len(federated.stdout.splitlines()) == 6 and federated.stderr == ""


def test_a_sources_file_with_mistakes_says_where(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - name: nord\n    endpoint: http://127.0.0.1:1/query\n    licence: CC-BY\n"
        "    contact: a@example.org\n    colour: blue\n",
        encoding="utf-8",
    )
    result = run_cli("harvest", sources)
    assert (result.code, result.stderr) == (
        2,
        f'isgraph: unknown key "colour" (allowed keys: contact, dump, endpoint, fail_on, '
        f'licence, name, request_form, timeout, title) (field "sources[1].colour") ({sources}, line 6)\n',
    )
    sources.write_text(sources.read_text().replace("    colour: blue\n", ""), encoding="utf-8")
    result = run_cli("harvest", sources)
    assert (result.code, result.stderr) == (
        2,
        f'isgraph: http(s) IRI of the licence expected (field "sources[1].licence") ({sources}, line 4)\n',
    )
    fixed = sources.read_text().replace("CC-BY", "https://creativecommons.org/licenses/by/4.0/")
    sources.write_text(fixed + "    request_form: telegram\n", encoding="utf-8")
    result = run_cli("harvest", sources)
    assert (result.code, result.stderr) == (
        2,
        f'isgraph: a form among post-form, post-direct, get (field "sources[1].request_form") ({sources}, line 6)\n',
    )


JARDINS = pair_id(NORD + "actor/jardins-emeraude", PIC + "actor/a17")
ENERGIE = pair_id(NORD + "actor/energie-citoyenne", PIC + "actor/a20")
REGIE = pair_id(NORD + "actor/regie-amiens", PIC + "actor/a18")


def test_matching_proposes_the_shared_actors_with_their_evidence(harvested: dict[str, object]) -> None:
    result = run_cli("matches", "--store", harvested["store"], "--format", "json")  # type: ignore[arg-type]
    assert result.code == 0, result.stderr
    found = [
        (c["id"], c["score"], c["first"], c["second"], [e["en"] for e in c["evidence"]])
        for c in json.loads(result.stdout)["candidates"]
    ]
    assert found == [
        (
            JARDINS,
            0.98,
            NORD + "actor/jardins-emeraude",
            PIC + "actor/a17",
            [
                "SIRET 11122233300014 is an establishment of SIREN 111222333",
                'same normalised name "jardins emeraude"',
                "same département: Somme",
            ],
        ),
        (
            ENERGIE,
            0.95,
            NORD + "actor/energie-citoyenne",
            PIC + "actor/a20",
            ['same normalised name "energie citoyenne"', "same département: Somme"],
        ),
        (
            REGIE,
            0.881,
            NORD + "actor/regie-amiens",
            PIC + "actor/a18",
            [
                'close names "regie quartier amiens" / "regie quartier amien" (Levenshtein similarity 0.95)',
                "same département: Somme",
            ],
        ),
    ]  # and never « Solidarité Somme »: same name, two different SIREN numbers
    html = run_cli("matches", "--store", harvested["store"], "--format", "html", "--lang", "fr")  # type: ignore[arg-type]
    assert html.code == 0 and "le SIRET 11122233300014 est un établissement du SIREN 111222333" in html.stdout


def test_decisions_become_sameas_links_and_rejections_are_remembered(harvested: dict[str, object], tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(harvested["store"], store)  # type: ignore[arg-type]
    before = run_cli("query", "actors-in-several-initiatives", "--store", store, "--format", "csv")
    decided = run_cli(
        "matches", "--store", store, "--accept", JARDINS, "--accept", ENERGIE, "--reject", REGIE, "--by", "Camille Steward"
    )
    assert decided.code == 0, decided.stderr
    assert decided.stdout.splitlines() == [
        f"accepted: {JARDINS} <{NORD}actor/jardins-emeraude> <{PIC}actor/a17>",
        f"accepted: {ENERGIE} <{NORD}actor/energie-citoyenne> <{PIC}actor/a20>",
        f"rejected: {REGIE} <{NORD}actor/regie-amiens> <{PIC}actor/a18>",
    ]
    assert rows(store, f"SELECT ?a ?b WHERE {{ GRAPH <{GRAPH['matches/accepted']}> {{ ?a ?p ?b }} }} ORDER BY ?a") == [
        (NORD + "actor/energie-citoyenne", PIC + "actor/a20"),
        (NORD + "actor/jardins-emeraude", PIC + "actor/a17"),
    ]
    assert rows(
        store,
        f"""SELECT ?accepted ?who WHERE {{ GRAPH <{GRAPH["matches/decisions"]}> {{
        ?d <https://w3id.org/isgraph/ontology#accepted> ?accepted ; <http://www.w3.org/ns/prov#wasAttributedTo>/<http://www.w3.org/2000/01/rdf-schema#label> ?who }} }}
        ORDER BY ?accepted""",
    ) == [("false", "Camille Steward"), ("true", "Camille Steward"), ("true", "Camille Steward")]
    pending = run_cli("matches", "--store", store, "--format", "json")
    assert json.loads(pending.stdout)["candidates"] == []
    everything = run_cli("matches", "--store", store, "--format", "json", "--all")
    assert [c["id"] for c in json.loads(everything.stdout)["candidates"]] == [JARDINS, ENERGIE, REGIE]
    # counted once across sources only when asked
    merged = run_cli(
        "query", "actors-in-several-initiatives", "--store", store, "--format", "csv", "-p", "same_as=true", "--lang", "en"
    )
    assert merged.stdout.splitlines() == [
        "actor,actorLabel,initiatives,roles",
        f'{NORD}actor/energie-citoyenne,Énergie Citoyenne SCIC,3,"partenaire, porteur"',
        f"{NORD}actor/jardins-emeraude,Association Les Jardins d'Émeraude,2,porteur",
    ]
    assert run_cli("query", "actors-in-several-initiatives", "--store", store, "--format", "csv").stdout == before.stdout
    unknown = run_cli("matches", "--store", store, "--accept", "000000000000")
    assert unknown.code == 2 and unknown.stderr == ('isgraph: no proposal "000000000000": see "isgraph matches" (matches)\n')


def test_a_new_harvest_refreshes_removes_deleted_cases_and_keeps_the_rest(
    harvested: dict[str, object], servers: dict[str, str], sources_file: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(harvested["store"], store)  # type: ignore[arg-type]
    nord = load_sources(sources_file)[0]
    update(servers["nord"], f"DROP GRAPH <{case_graph_iri(NORD + 'initiative/energie-partagee')}>")
    try:
        result = run_cli("harvest", sources_file, "--store", store, "--quarantine", tmp_path / "q")
    finally:
        load(servers["nord"], dataset(OBSERVATORIES / "nord")[0])
    assert result.code == 0, result.stderr
    gone = local_graph(nord, NORD + "initiative/energie-partagee")
    assert re.fullmatch(
        r"nord: 1 case\(s\) \(\d+ triples\), 1 removed, 1 kept apart, in \d+\.\d s", result.stdout.splitlines()[0]
    )
    assert rows(store, f"SELECT ?s WHERE {{ GRAPH <{gone}> {{ ?s ?p ?o }} }} LIMIT 1") == []
    jardins = local_graph(nord, NORD + "initiative/jardins-partages")
    count = rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{jardins}> {{ ?s ?p ?o }} }}")
    assert count == [(str(len(read_case(OBSERVATORIES / "nord" / "jardins-partages.yaml").triples)),)]  # replaced, no duplicates


def test_a_first_harvest_of_many_cases_uses_the_bulk_loader_and_gives_the_same_graphs(
    harvested: dict[str, object], built_store: Path, sources_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above WRITE_BATCH cases, a first harvest writes with the bulk loader under a marker: the
    case graphs are exactly those of the batched write, and no marker is left."""
    import isgraph.federation.harvest

    monkeypatch.setattr(isgraph.federation.harvest, "WRITE_BATCH", 1)
    store_path = tmp_path / "store"
    shutil.copytree(built_store, store_path)
    with EmbeddedStore(store_path, create=False) as store:
        written: list[str | None] = []
        original = store.add_new_graphs
        monkeypatch.setattr(store, "add_new_graphs", lambda graphs: written.append(original(graphs)) or written[-1])
        outcomes = isgraph.federation.harvest.harvest(store, load_sources(sources_file), quarantine=tmp_path / "quarantine")
    assert [len(o.cases) for o in outcomes] == [2, 2, 0] and len(written) == 2 and all(written)
    case_graphs = (  # and their views, but for the generation that derived them (how many writes before)
        'SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (CONTAINS(STR(?g), "/case/")'
        " && ?p != <https://w3id.org/isgraph/view#generation>) } ORDER BY ?g ?s ?p ?o"
    )
    assert rows(store_path, case_graphs) == rows(harvested["store"], case_graphs)  # type: ignore[arg-type]
    assert not any(g.startswith(GRAPH["unfinished/"]) for (g,) in rows(store_path, "SELECT ?g WHERE { GRAPH ?g {} }"))


@pytest.mark.reasoner
@pytest.mark.parametrize("decision", ["--accept", "--reject"])
def test_hermit_classifies_after_every_kind_of_match_decision(
    harvested: dict[str, object], tmp_path: Path, decision: str
) -> None:
    """Issue 15, finding 2: HermiT found the store inconsistent after any decision."""
    store = tmp_path / "store"
    shutil.copytree(harvested["store"], store)  # type: ignore[arg-type]
    assert run_cli("classify", "--store", store, "--method", "hermit").code == 0  # after a harvest
    decided = run_cli("matches", "--store", store, decision, JARDINS, "--by", "Camille Steward")
    assert decided.code == 0, decided.stderr
    classified = run_cli("classify", "--store", store, "--method", "hermit", "--format", "csv")
    assert classified.code == 0, classified.stderr
    assert classified.stdout == run_cli("classify", "--store", store, "--method", "sparql", "--format", "csv").stdout


@pytest.mark.reasoner
def test_an_inconsistent_match_names_its_cause(harvested: dict[str, object], tmp_path: Path) -> None:
    """Accepting that two actors of disjoint kinds are the same is inconsistent: HermiT's
    refusal names the graph of the decision and the individuals in clash."""
    store = tmp_path / "store"
    shutil.copytree(harvested["store"], store)  # type: ignore[arg-type]
    with EmbeddedStore(store) as s:
        s.add(
            GRAPH["matches/accepted"],
            [
                ox.Triple(
                    ox.NamedNode(ID["actor/association-initielles"]),
                    ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                    ox.NamedNode(ID["actor/initielles/ambassadrices"]),  # an informal group: no organisation
                )
            ],
        )
    refused = run_cli("classify", "--store", store, "--method", "hermit")
    assert refused.code == 1
    assert refused.stderr.startswith(
        "isgraph: the ontology with the data is inconsistent (HermiT); nothing was written; "
        f"caused by: <{GRAPH['case/initielles']}>, <{GRAPH['matches/accepted']}>; "
        f"<{ID['actor/association-initielles']}> is both <"
    )


def test_a_harvest_marks_the_classification_out_of_date_until_classify_renews_it(
    harvested: dict[str, object], tmp_path: Path
) -> None:
    """Issue 15, finding 6: harvest dropped the classification and nothing rebuilt it."""
    from isgraph.reason.classification import outdated_since
    from isgraph.web.html import Links
    from isgraph.web.pages import Pages

    store = tmp_path / "store"
    shutil.copytree(harvested["store"], store)  # type: ignore[arg-type]
    with EmbeddedStore(store) as s:
        assert outdated_since(s) is not None
        page = Pages(s, Links("https://w3id.org/isgraph/")).resource(ID["initiative/initielles"], "en", "?lang=fr")
        assert page is not None and "Qualifies under the profiles" in page and "Out of date: cases have changed since " in page
    classified = run_cli("classify", "--store", store, "--method", "sparql")
    assert classified.code == 0
    assert classified.stderr.startswith("isgraph: the stored classification was out of date (cases have changed since ")
    assert classified.stderr.endswith("): replaced\n")
    with EmbeddedStore(store) as s:
        assert outdated_since(s) is None
        page = Pages(s, Links("https://w3id.org/isgraph/")).resource(ID["initiative/initielles"], "en", "?lang=fr")
        assert page is not None and "Qualifies under the profiles" in page and "Out of date" not in page
