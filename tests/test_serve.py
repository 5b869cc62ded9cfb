"""``isgraph serve`` as a real process on 127.0.0.1, talked to with real clients:
SPARQLWrapper, plain HTTP with every content type, and a real Oxigraph server whose
federated query calls isgraph's endpoint with SERVICE."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from isgraph.graph.ingest import read_case
from isgraph.namespaces import case_graph_iri
from isgraph.query import catalogue

from .conftest import FIXTURES, ROOT, run_cli, start_isgraph_server, start_oxigraph, stop

TOKEN = "test-token-0123456789abcdef"
INITIELLES = "https://w3id.org/isgraph/id/initiative/initielles"
LABELS = (
    "PREFIX isg: <https://w3id.org/isgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    'SELECT ?i ?l WHERE { ?i a isg:Initiative ; rdfs:label ?l FILTER (LANG(?l) = "fr") } ORDER BY ?i'
)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")
    request = urllib.request.Request(
        url.replace("/query", "/store") + "?graph=http://example.org/g",
        method="POST",
        data=b'<http://example.org/s> <http://example.org/p> "remote" .',
        headers={"Content-Type": "application/n-triples"},
    )
    urllib.request.urlopen(request, timeout=10).read()
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def served(catalogue_store: Path, oxigraph: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    folder = tmp_path_factory.mktemp("served")
    store = folder / "store"
    shutil.copytree(catalogue_store, store)
    token = folder / "token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    port = urllib.parse.urlsplit(oxigraph).port
    process, base = start_isgraph_server(
        store,
        "--token-file",
        str(token),
        "--query-timeout",
        "3",
        "--max-results",
        "1000",
        "--allow-service",
        f"127.0.0.1:{port}",
        replica=True,
    )
    try:
        yield {"base": base, "store": store, "process": process}
    finally:
        stop(process)


@pytest.fixture(scope="module")
def base(served: dict[str, object]) -> str:
    return str(served["base"])


def get(url: str, accept: str | None = None, **headers: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={**({"Accept": accept} if accept else {}), **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def post(url: str, body: bytes, content_type: str, accept: str | None = None, **headers: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type, **({"Accept": accept} if accept else {}), **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def q(sparql: str) -> str:
    return urllib.parse.quote(sparql, safe="")


def expected_labels(served: dict[str, object]) -> list[tuple[str, str]]:
    return [
        ("https://w3id.org/isgraph/id/initiative/fixture-alpha", "Alpha (fictif)"),
        ("https://w3id.org/isgraph/id/initiative/fixture-bravo", "Bravo (fictif)"),
        ("https://w3id.org/isgraph/id/initiative/fixture-charlie", "Charlie (fictif)"),
        ("https://w3id.org/isgraph/id/initiative/graines-de-pays", "Graines de Pays"),
        (INITIELLES, "Initi'elles"),
    ]


def test_sparqlwrapper_reads_every_results_format(base: str, served: dict[str, object]) -> None:
    wrapper = SPARQLWrapper(f"{base}/sparql")
    wrapper.setQuery(LABELS)
    wrapper.setReturnFormat(JSON)
    data = wrapper.query().convert()
    assert [(b["i"]["value"], b["l"]["value"]) for b in data["results"]["bindings"]] == expected_labels(served)
    wrapper.setReturnFormat(XML)
    document = wrapper.query().convert()
    assert [r.getElementsByTagName("literal")[0].firstChild.data for r in document.getElementsByTagName("result")] == [
        label for _, label in expected_labels(served)
    ]
    wrapper.setReturnFormat(CSV)
    assert list(csv.reader(io.StringIO(wrapper.query().convert().decode()))) == [["i", "l"], *map(list, expected_labels(served))]
    wrapper.setMethod(POST)
    wrapper.setReturnFormat(JSON)
    assert len(wrapper.query().convert()["results"]["bindings"]) == 5
    wrapper.setQuery(f"CONSTRUCT {{ <{INITIELLES}> ?p ?o }} WHERE {{ <{INITIELLES}> ?p ?o }}")
    wrapper.setReturnFormat(TURTLE)
    graph = [q_.triple for q_ in ox.parse(wrapper.query().convert(), format=ox.RdfFormat.TURTLE)]
    assert (
        ox.Triple(
            ox.NamedNode(INITIELLES),
            ox.NamedNode("https://w3id.org/isgraph/ontology#territory"),
            ox.NamedNode("https://w3id.org/isgraph/id/territory/quartier/80021-etouvie"),
        )
        in graph
    )
    wrapper.setQuery("ASK { ?s a <https://w3id.org/isgraph/ontology#Initiative> }")
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert() == {"head": {}, "boolean": True}


def test_the_three_ways_of_sending_a_query_agree(base: str) -> None:
    accept = "application/sparql-results+json"
    by_get = get(f"{base}/sparql?query={q(LABELS)}", accept)
    form = post(f"{base}/sparql", urllib.parse.urlencode({"query": LABELS}).encode(), "application/x-www-form-urlencoded", accept)
    direct = post(f"{base}/sparql", LABELS.encode(), "application/sparql-query", accept)
    assert by_get[0] == form[0] == direct[0] == 200
    assert by_get[2] == form[2] == direct[2]
    assert by_get[1] == "application/sparql-results+json"


def test_query_responses_say_how_long_the_store_took(base: str) -> None:
    """Server-Timing (W3C): the store's share of a response's time, so that a client can tell it
    from what HTTP adds; within the client's own measure of the whole request."""
    pattern = re.compile(r'^store;dur=(\d+\.\d);desc="query evaluation"$')
    for url in (
        f"{base}/sparql?query={q(LABELS)}",
        f"{base}/api/queries/case-overview?case={q(INITIELLES)}",
        f"{base}/sparql?query={q('ASK { ?s ?p ?o }')}",
    ):
        started = time.monotonic()
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            header = response.headers.get("Server-Timing", "")
        elapsed_ms = (time.monotonic() - started) * 1000
        match = pattern.match(header)
        assert match, header
        assert 0 <= float(match.group(1)) <= elapsed_ms
    assert "Server-Timing" not in urllib.request.urlopen(f"{base}/api/queries", timeout=60).headers


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", "text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
        ("application/json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("text/html;q=0.9, text/csv;q=0.5, */*;q=0.1", "text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    ],
)
def test_results_in_every_format(
    base: str, served: dict[str, object], accept: str, media: str, fmt: ox.QueryResultsFormat
) -> None:
    status, content_type, body = get(f"{base}/sparql?query={q(LABELS)}", accept)
    assert (status, content_type) == (200, media)
    if fmt == ox.QueryResultsFormat.CSV:  # lossy: read as plain CSV
        assert list(csv.reader(io.StringIO(body.decode()))) == [["i", "l"], *map(list, expected_labels(served))]
        return
    parsed = ox.parse_query_results(body, format=fmt)
    assert [(r["i"].value, r["l"].value) for r in parsed] == expected_labels(served)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_graphs_in_every_format(base: str, accept: str, fmt: ox.RdfFormat) -> None:
    sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{case_graph_iri(INITIELLES)}> {{ ?s ?p ?o }} }}"
    status, content_type, body = get(f"{base}/sparql?query={q(sparql)}", accept)
    assert status == 200 and content_type.split(";")[0] == accept
    got = {q_.triple for q_ in ox.parse(body, format=fmt)}
    expected = set(read_case(ROOT / "data" / "cases" / "initielles.yaml").triples)
    assert expected <= got
    assert {t.predicate.value for t in got - expected} == {
        "https://w3id.org/isgraph/ontology#sourceFile",
        "https://w3id.org/isgraph/ontology#sha256",
    }


def test_no_acceptable_format_is_406(base: str) -> None:
    status, _, body = get(f"{base}/sparql?query={q(LABELS)}", "image/png")
    assert (status, body.decode()) == (406, "no acceptable format: formats offered JSON, XML, CSV, TSV\n")


def test_protocol_errors_are_one_clear_line(base: str) -> None:
    assert get(f"{base}/sparql", "application/json")[0:3:2] == (400, b'missing "query" parameter\n')
    status, _, body = get(f"{base}/sparql?query={q('SELECT * WHERE { ?s ?p }')}", "application/json")
    assert status == 400 and body.decode().startswith("invalid SPARQL query: ") and body.count(b"\n") == 1
    assert post(f"{base}/sparql", b"x", "text/plain")[0:3:2] == (415, b"unsupported content type: text/plain\n")
    status, _, body = get(f"{base}/sparql", "application/json", **{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert (status, body.decode()) == (400, "paramètre « query » manquant\n")
    status, _, body = get(f"{base}/sparql?lang=fr", "application/json")
    assert (status, body.decode()) == (400, "paramètre « query » manquant\n")


def test_updates_need_the_token(base: str) -> None:
    update = 'INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/n> <http://example.org/says> "ok" } }'
    assert post(f"{base}/sparql", update.encode(), "application/sparql-update")[0:3:2] == (
        401,
        b"token required (Authorization: Bearer \xe2\x80\xa6) to write\n",
    )
    assert (
        post(f"{base}/sparql", update.encode(), "application/sparql-update", Authorization="Bearer wrong-token-0123456789")[0]
        == 401
    )
    form = urllib.parse.urlencode({"update": update}).encode()
    assert post(f"{base}/sparql", form, "application/x-www-form-urlencoded", Authorization=f"Bearer {TOKEN}")[0] == 204
    ask = 'ASK { <http://example.org/n> <http://example.org/says> "ok" }'
    assert json.loads(get(f"{base}/sparql?query={q(ask)}", "application/json")[2]) == {"head": {}, "boolean": True}
    drop = "DROP GRAPH <http://example.org/notes>"
    assert post(f"{base}/sparql", drop.encode(), "application/sparql-update", Authorization=f"Bearer {TOKEN}")[0] == 204
    load = "LOAD <http://example.org/data.ttl>"
    assert post(f"{base}/sparql", load.encode(), "application/sparql-update", Authorization=f"Bearer {TOKEN}")[0:3:2] == (
        400,
        b"LOAD refused: the server does not fetch data from the web (update)\n",
    )


def test_a_server_without_token_is_read_only(built_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    process, base = start_isgraph_server(store, env={"ISGRAPH_TOKEN": ""})
    try:
        status, _, body = post(f"{base}/sparql", b"CLEAR ALL", "application/sparql-update", Authorization=f"Bearer {TOKEN}")
        assert (status, body) == (403, b"read-only server: no writes allowed\n")
        assert post(f"{base}/api/ingest", b"x", "text/turtle")[0] == 403
    finally:
        stop(process)


def store_processes(pid: int) -> set[int]:
    """The store processes ``pid`` started (Linux; not multiprocessing's resource tracker)."""
    found = {int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in (task / "children").read_text().split()}
    return {child for child in found if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()}


def test_time_and_size_limits_stop_a_query_with_a_clear_error(base: str, served: dict[str, object]) -> None:
    big = "SELECT * WHERE { ?s ?p ?o }"
    assert get(f"{base}/sparql?query={q(big)}", "application/json")[0:3:2] == (
        413,
        b"result too large (over 1000 rows or triples): add LIMIT or narrow the query\n",
    )
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # 10^11 rows: it would never end
    server = served["process"].pid  # type: ignore[attr-defined]
    before = store_processes(server)
    started = time.monotonic()
    status, _, body = get(f"{base}/sparql?query={q(slow)}", "application/json")
    assert (status, body) == (503, b"query time limit reached (3 s): narrow the query\n")
    assert time.monotonic() - started < 4.5
    # the query was stopped for real: the store's process was killed and another took its place
    ask = "ASK { ?s a <https://w3id.org/isgraph/ontology#Initiative> }"
    assert json.loads(get(f"{base}/sparql?query={q(ask)}", "application/json")[2]) == {"head": {}, "boolean": True}
    after = store_processes(server)
    assert len(before) == len(after) == 1 and before != after


def test_the_store_process_yields_the_processor_to_the_front_end(served: dict[str, object]) -> None:
    from isgraph.store.process import QUERY_NICENESS

    server = served["process"].pid  # type: ignore[attr-defined]
    (child,) = store_processes(server)
    assert os.getpriority(os.PRIO_PROCESS, child) == min(19, os.getpriority(os.PRIO_PROCESS, server) + QUERY_NICENESS)


def test_service_only_to_allowed_hosts(base: str, oxigraph: str) -> None:
    allowed = f"SELECT ?o WHERE {{ SERVICE <{oxigraph}> {{ <http://example.org/s> <http://example.org/p> ?o }} }}"
    status, _, body = get(f"{base}/sparql?query={q(allowed)}", "application/json")
    assert status == 200, body
    assert [b["o"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["remote"]
    for target in ("http://example.org/sparql", "http://127.0.0.1:1/query"):
        refused = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
        status, _, body = get(f"{base}/sparql?query={q(refused)}", "application/json")
        host = urllib.parse.urlsplit(target).netloc
        assert (status, body.decode()) == (
            400,
            f"SERVICE refused: {host} is not among the allowed hosts ({urllib.parse.urlsplit(oxigraph).netloc}) (query)\n",
        )
    variable = "SELECT * WHERE { BIND(<http://example.org/q> AS ?x) SERVICE ?x { ?s ?p ?o } }"
    assert get(f"{base}/sparql?query={q(variable)}")[0:3:2] == (
        400,
        b"SERVICE refused: the address called must be a fixed, absolute http(s) IRI (query)\n",
    )


def test_a_real_oxigraph_server_federates_with_isgraph(base: str, oxigraph: str, served: dict[str, object]) -> None:
    federated = (
        f"PREFIX isg: <https://w3id.org/isgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"SELECT ?i ?l ?o WHERE {{ <http://example.org/s> <http://example.org/p> ?o . "
        f'SERVICE <{base}/sparql> {{ ?i a isg:Initiative ; rdfs:label ?l FILTER (LANG(?l) = "fr") }} }} ORDER BY ?i'
    )
    status, _, body = get(f"{oxigraph}?query={q(federated)}", "application/sparql-results+json")
    assert status == 200, body
    rows = [(b["i"]["value"], b["l"]["value"], b["o"]["value"]) for b in json.loads(body)["results"]["bindings"]]
    assert rows == [(i, label, "remote") for i, label in expected_labels(served)]


def test_a_case_page_for_a_browser(base: str) -> None:
    status, content_type, body = get(f"{base}/id/initiative/initielles?lang=fr", "text/html,application/xhtml+xml;q=0.9")
    page = body.decode()
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert "<h1>Initi&#x27;elles</h1>" in page
    for statement in (
        "accessibilité au dépistage du cancer du sein sur le quartier d&#x27;Etouvie (Amiens)",
        "organisée en 5 comités comprenant les ambassadrices (autonomes dans leurs activités)",
        "réciprocaires",
        "Association Initi&#x27;elles",
        "Etouvie",
        "Grille de caractérisation",
    ):
        assert statement in page
    assert '<a href="/id/territory/quartier/80021-etouvie">Etouvie</a>' in page
    assert '<a href="/id/actor/association-initielles">Association Initi&#x27;elles</a>' in page


def test_a_case_for_a_client_is_its_whole_graph(base: str) -> None:
    expected = set(read_case(ROOT / "data" / "cases" / "initielles.yaml").triples)
    for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD)):
        status, content_type, body = get(f"{base}/id/initiative/initielles", accept)
        assert status == 200 and content_type.startswith(accept)
        got = {q_.triple for q_ in ox.parse(body, format=fmt)}
        assert expected <= got
        assert {t.predicate.value for t in got - expected} <= {
            "https://w3id.org/isgraph/ontology#sourceFile",
            "https://w3id.org/isgraph/ontology#sha256",
        }
    assert get(f"{base}/id/initiative/initielles")[1].startswith("text/turtle")  # a client that accepts anything


def test_actor_territory_and_ontology_pages(base: str) -> None:
    actor = get(f"{base}/id/actor/association-initielles?lang=en", "text/html")[2].decode()
    assert "Initiatives it takes part in" in actor and '<a href="/id/initiative/initielles">Initi&#x27;elles</a>' in actor
    territory = get(f"{base}/id/territory/departement/80?lang=fr", "text/html")[2].decode()
    assert "Somme" in territory and "Initiatives situées ici" in territory
    assert '<a href="/id/initiative/initielles">Initi&#x27;elles</a>' in territory
    assert '<a href="/id/territory/region/32">Hauts-de-France</a>' in territory
    ontology = get(f"{base}/ontology?lang=en", "text/html")[2].decode()
    assert 'id="Initiative"' in ontology and "characterisation" in ontology.lower()
    term = get(f"{base}/resource?iri={q('https://w3id.org/isgraph/ontology#Initiative')}&lang=fr", "text/html")
    assert term[0] == 200 and "initiative" in term[2].decode().lower()
    turtle = get(f"{base}/ontology", "text/turtle")
    assert turtle[0] == 200, turtle
    assert ox.Triple(
        ox.NamedNode("https://w3id.org/isgraph/ontology#Initiative"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),
    ) in {q_.triple for q_ in ox.parse(turtle[2], format=ox.RdfFormat.TURTLE)}
    assert get(f"{base}/id/initiative/nothing-here", "text/html")[0:3:2] == (
        404,
        b"the graph states nothing about https://w3id.org/isgraph/id/initiative/nothing-here\n",
    )


def test_the_catalogue_as_an_http_api(base: str, served: dict[str, object]) -> None:
    listed = json.loads(get(f"{base}/api/queries")[2])
    assert [q_["name"] for q_ in listed] == [q_.name for q_ in catalogue.load_catalogue()]
    overview = next(q_ for q_ in listed if q_["name"] == "case-overview")
    assert overview["title"] == {"fr": "Fiche d'un cas", "en": "A case at a glance"}
    assert [p["name"] for p in overview["params"]] == ["case", "lang"]
    status, content_type, body = get(f"{base}/api/queries/case-overview?case=id:initiative/initielles&lang=en&format=csv")
    assert status == 200 and content_type == "text/csv; charset=utf-8"
    cli = run_cli(
        "query",
        "case-overview",
        "--store",
        _copy(served),
        "-p",
        "case=id:initiative/initielles",
        "-p",
        "lang=en",
        "--format",
        "csv",
    )
    assert body.decode().replace("\r\n", "\n") == cli.stdout  # the CLI is read in text mode
    assert get(f"{base}/api/queries/case-overview?bad=1")[0:3:2] == (
        400,
        b'unknown parameter "bad" (case-overview takes: case, lang) (case-overview)\n',
    )
    injection = get(f"{base}/api/queries/case-overview?case={q('x> } ; DROP ALL ; SELECT * {<y')}")
    assert injection[0] == 400 and injection[2].startswith(b'parameter "case" (iri): invalid IRI')
    assert get(f"{base}/api/queries/no-such-query")[0:3:2] == (404, b'unknown query "no-such-query"\n')
    document = json.loads(get(f"{base}/api/openapi.json")[2])
    assert document["openapi"] == "3.1.0"
    operation = document["paths"]["/api/queries/initiatives-in-territory"]["get"]
    assert [(p["name"], p["schema"]) for p in operation["parameters"]] == [
        ("territory", {"type": "string", "format": "iri", "default": "id:territory/region/32"}),
        ("lang", {"type": "string", "default": "fr"}),
        ("format", {"type": "string", "enum": ["json", "xml", "csv", "tsv"]}),
    ]
    assert len([p for p in document["paths"] if p.startswith("/api/queries/")]) == len(listed)


SAME_QUERIES = (
    ("case-overview", {"case": "id:initiative/initielles"}),
    ("initiatives-in-territory", {}),
    ("roles-per-initiative", {}),
    ("carrier-kinds", {}),
    ("lessons-and-misconceptions", {}),
    ("case-overview", {"case": "id:initiative/graines-de-pays", "lang": "en"}),
)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_command_line_and_the_api_give_the_same_rows(base: str, served: dict[str, object], lang: str) -> None:
    """The same library function with the same defaults behind both: identical rows, labels
    included, whatever the language the user speaks (a query's labels follow its own ``lang``
    parameter, ``fr`` unless given)."""
    copy = _copy(served)

    def rows(document: bytes | str) -> list[str]:
        return sorted(json.dumps(row, sort_keys=True) for row in json.loads(document)["results"]["bindings"])

    for name, params in SAME_QUERIES:
        options = [item for key, value in params.items() for item in ("-p", f"{key}={value}")]
        cli = run_cli("--lang", lang, "query", name, "--store", copy, *options, "--format", "json")
        assert cli.code == 0, cli.stderr
        status, _, body = get(
            f"{base}/api/queries/{name}?{urllib.parse.urlencode(params)}",
            "application/sparql-results+json",
            **{"Accept-Language": lang},
        )
        assert status == 200, body
        assert rows(cli.stdout) == rows(body), name
        assert rows(body), name  # each of these queries has rows on the served graph
    labels = json.loads(run_cli("--lang", lang, "query", "case-overview", "--store", copy, "--format", "json").stdout)
    assert {b["actorLabel"]["xml:lang"] for b in labels["results"]["bindings"] if "actorLabel" in b} == {"fr"}


def _copy(served: dict[str, object]) -> Path:
    """The served store can't be opened while the server holds it: read its dump instead."""
    target = Path(str(served["store"])).parent / "read-copy"
    if not target.exists():
        dump = Path(str(served["store"])).parent / "dump.nq"
        dump.write_bytes(get(f"{served['base']}/dumps/isgraph.nq")[2])
        assert run_cli("restore", "--store", target, dump).code == 0
    return target


def test_dataset_description_and_dumps(base: str, served: dict[str, object]) -> None:
    status, _, body = get(f"{base}/.well-known/void", "text/turtle")
    assert status == 200
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.TURTLE)

    def one(sparql: str) -> list[str]:
        return [t.value for row in store.query(sparql) for t in row]  # type: ignore[union-attr]

    void, dcat = "http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#"
    assert one(f"SELECT ?e WHERE {{ <{base}/dataset> <{void}sparqlEndpoint> ?e }}") == [f"{base}/sparql"]
    assert sorted(one(f"SELECT ?d WHERE {{ <{base}/dataset> <{void}dataDump> ?d }}")) == [
        f"{base}/dumps/isgraph.nq",
        f"{base}/dumps/isgraph.trig",
    ]
    assert sorted(one(f"SELECT ?m WHERE {{ <{base}/dataset> <{dcat}distribution>/<{dcat}mediaType> ?m }}")) == [
        "https://www.iana.org/assignments/media-types/application/n-quads",
        "https://www.iana.org/assignments/media-types/application/trig",
    ]
    assert one(
        f"SELECT ?n WHERE {{ <{base}/dataset> <{void}classPartition> [ <{void}class> "
        f"<https://w3id.org/isgraph/ontology#Initiative> ; <{void}entities> ?n ] }}"
    ) == ["5"]
    assert one(f"SELECT ?s WHERE {{ ?s <{dcat}servesDataset> <{base}/dataset> }}") == [f"{base}/sparql"]
    nquads = get(f"{base}/dumps/isgraph.nq")
    trig = get(f"{base}/dumps/isgraph.trig")
    assert (nquads[0], nquads[1], trig[1]) == (200, "application/n-quads", "application/trig")
    from_nq = set(ox.parse(nquads[2], format=ox.RdfFormat.N_QUADS))
    assert from_nq == set(ox.parse(trig[2], format=ox.RdfFormat.TRIG))
    triples = one(f"SELECT ?n WHERE {{ <{base}/dataset> <{void}triples> ?n }}")
    assert triples == [str(len(from_nq))]


def test_another_observatory_harvests_and_federates_this_one(base: str, built_store: Path, tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"sources:\n  - name: voisin\n    endpoint: {base}/sparql\n"
        "    licence: https://creativecommons.org/licenses/by/4.0/\n    contact: a@example.org\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    result = run_cli("harvest", sources, "--store", store, "--quarantine", tmp_path / "q")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("voisin: 5 case(s) (")
    federated = run_cli("federate", "single-actor-cases", "--sources", sources, "--format", "csv")
    assert federated.stdout.splitlines() == [
        "source,initiative,actors",
        "voisin,https://w3id.org/isgraph/id/initiative/fixture-charlie,1",
    ]


def test_ingest_over_http(base: str) -> None:
    form = (FIXTURES / "observatories" / "picardie" / "potager.yaml").read_bytes()
    assert post(f"{base}/api/ingest", form, "application/yaml")[0] == 401
    status, _, body = post(
        f"{base}/api/ingest?name=potager",
        form,
        "application/yaml",
        Authorization=f"Bearer {TOKEN}",
        **{"X-Submitter": "Observatoire Picardie"},
    )
    assert status == 201, body
    answer = json.loads(body)
    graph = case_graph_iri("https://obs-picardie.example.org/initiative/potager")
    assert answer["cases"] == [{"graph": graph, "initiative": "https://obs-picardie.example.org/initiative/potager"}]
    assert answer["report"]["conforms"] is True
    who = (
        f"SELECT ?file ?who WHERE {{ GRAPH <{graph}> {{ <{graph}> <https://w3id.org/isgraph/ontology#sourceFile> ?file ; "
        f"<http://www.w3.org/ns/prov#wasAttributedTo>/<http://www.w3.org/2000/01/rdf-schema#label> ?who }} }}"
    )
    rows = json.loads(get(f"{base}/sparql?query={q(who)}", "application/json")[2])["results"]["bindings"]
    assert [(r["file"]["value"], r["who"]["value"]) for r in rows] == [("http:potager.yaml", "Observatoire Picardie")]
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = get(f"{base}/sparql?query={q(count)}", "text/csv")[2]
    broken = (FIXTURES / "observatories" / "nord" / "cas-incomplet.yaml").read_bytes()
    status, _, body = post(f"{base}/api/ingest", broken, "application/yaml", Authorization=f"Bearer {TOKEN}")
    assert status == 422
    refused = json.loads(body)
    assert refused["error"]["en"] == "refused: 6 violation(s) in http:submission.yaml; nothing was written to the store"
    assert sum(r["severity"] == "Violation" for r in refused["report"]["results"]) == 6
    assert get(f"{base}/sparql?query={q(count)}", "text/csv")[2] == before
    status, _, body = post(f"{base}/api/ingest", b"id: [unclosed", "application/yaml", Authorization=f"Bearer {TOKEN}")
    assert (status, body.decode()) == (
        400,
        "unreadable YAML: did not find expected ',' or ']' (http:submission.yaml, line 2, column 1)\n",
    )
    assert get(f"{base}/sparql?query={q(count)}", "text/csv")[2] == before


def test_the_ingest_api_takes_the_stewards_policy(base: str) -> None:
    """A case with warnings only is accepted by default and refused with ``fail_on=warning``."""
    from .test_integrity import form

    warned = form("initiative/policy-check", "policy").encode()
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = get(f"{base}/sparql?query={q(count)}", "text/csv")[2]
    status, _, body = post(
        f"{base}/api/ingest?name=policy&fail_on=warning", warned, "application/yaml", Authorization=f"Bearer {TOKEN}"
    )
    assert status == 422, body
    assert json.loads(body)["error"]["en"] == (
        "refused: 3 violation(s) or warning(s) in http:policy.yaml; nothing was written to the store"
    )
    assert get(f"{base}/sparql?query={q(count)}", "text/csv")[2] == before
    assert post(f"{base}/api/ingest?fail_on=never", warned, "application/yaml", Authorization=f"Bearer {TOKEN}")[0:3:2] == (
        400,
        b"fail_on: a severity among violation, warning, info\n",
    )


def test_sparql_declares_isgraphs_prefixes_as_the_command_line_does(base: str, served: dict[str, object]) -> None:
    """Issue 16: a query using isg: without a PREFIX line worked on the CLI and failed on the endpoint."""
    bare = 'ASK { id:initiative/initielles a isg:Initiative ; rdfs:label "Initi\'elles"@fr }'
    bare = bare.replace("id:initiative/initielles", "<https://w3id.org/isgraph/id/initiative/initielles>")
    status, _, body = get(f"{base}/sparql?query={q(bare)}", "application/sparql-results+json")
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True}), body
    own = "PREFIX isg: <http://example.org/mine#> SELECT (isg:x AS ?x) {}"  # the query's own declaration wins
    assert json.loads(get(f"{base}/sparql?query={q(own)}", "application/sparql-results+json")[2])["results"]["bindings"] == [
        {"x": {"type": "uri", "value": "http://example.org/mine#x"}}
    ]
    broken = "SELECT ?x WHERE { ?x ?y }"
    status, _, body = get(f"{base}/sparql?query={q(broken)}", "application/sparql-results+json")
    assert (status, body.decode()) == (400, 'invalid SPARQL query: unexpected "}" (query, line 1, column 25)\n')
    cli = run_cli("sparql", broken, "--store", _copy(served))
    assert body.decode() == cli.stderr.removeprefix("isgraph: ")  # the query's own line and column


@pytest.mark.parametrize("form", ["post-form", "post-direct", "get"])
def test_the_command_line_uses_a_running_server_with_endpoint(base: str, form: str) -> None:
    """`isgraph query` and `isgraph sparql` answered by this server (its replica once loaded),
    in each request form: the same rows as the server's own API gives at that moment."""
    answered = run_cli("query", "carrier-kinds", "--endpoint", f"{base}/sparql", "--request-form", form, "--format", "csv")
    status, _, api = get(f"{base}/api/queries/carrier-kinds?format=csv", "text/csv")
    assert answered.code == 0 and status == 200, answered.stderr
    assert list(csv.reader(io.StringIO(answered.stdout))) == list(csv.reader(io.StringIO(api.decode())))
    assert len(answered.stdout.splitlines()) > 2
    ask = run_cli("sparql", "ASK { ?i a isg:Initiative }", "--endpoint", f"{base}/sparql", "--request-form", form)
    assert (ask.code, ask.stdout.strip()) == (0, "yes")
