"""Issue 16: "default graph" meant two things. An update's WHERE read the store's own
default graph while every query read the union of the graphs, so an update written as a
query is (``INSERT { … } WHERE { ?i a isg:Initiative }``) matched nothing. Now queries,
updates and the graph store all mean the union of the named graphs, and what is written
to the default graph lands in ``isgraph:graph/default``, itself part of the union."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.sparql.update_dataset import DEFAULT_GRAPH
from tests.conftest import server_with_token
from tests.test_serve import TOKEN, get, post, q

ISG = "https://w3id.org/isgraph/ontology#"


@pytest.fixture(scope="module")
def server(catalogue_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # the default graph is the union: a GET of it reads every territory of France too
    with server_with_token(tmp_path_factory.mktemp("default-graph"), TOKEN, catalogue_store, "--query-timeout", "120") as base:
        yield base


def update(base: str, text: str) -> None:
    status, _, body = post(f"{base}/sparql", text.encode(), "application/sparql-update", Authorization=f"Bearer {TOKEN}")
    assert status == 204, body


def values(base: str, query: str) -> list[str]:
    status, _, body = get(f"{base}/sparql?query={q(query)}", "application/sparql-results+json")
    assert status == 200, body
    rows = json.loads(body)["results"]["bindings"]
    return sorted(next(iter(row.values()))["value"] for row in rows)


def test_an_update_reads_what_a_query_reads(server: str) -> None:
    initiatives = values(server, f"SELECT ?i WHERE {{ ?i a <{ISG}Initiative> }}")
    assert len(initiatives) >= 2
    update(server, f"INSERT {{ ?i <urn:isgraph:test:seen> true }} WHERE {{ ?i a <{ISG}Initiative> }}")
    assert values(server, "SELECT ?i WHERE { ?i <urn:isgraph:test:seen> true }") == initiatives
    # written to the default graph: into isgraph's graph for it, part of the union
    assert values(server, f"SELECT ?i WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?i <urn:isgraph:test:seen> true }} }}") == initiatives
    # GRAPH ?g in an update still ranges over every graph
    update(server, f"INSERT {{ ?g <urn:isgraph:test:holds> ?i }} WHERE {{ GRAPH ?g {{ ?i a <{ISG}Initiative> }} }}")
    assert len(values(server, "SELECT DISTINCT ?g WHERE { ?g <urn:isgraph:test:holds> ?i }")) == len(initiatives)
    update(server, "DELETE WHERE { ?i <urn:isgraph:test:seen> ?x } ; DELETE WHERE { ?g <urn:isgraph:test:holds> ?i }")
    assert values(server, "SELECT ?i WHERE { ?i <urn:isgraph:test:seen> ?x }") == []
    assert values(server, f"SELECT ?i WHERE {{ ?i a <{ISG}Initiative> }}") == initiatives


def test_data_written_to_the_default_graph_is_read_from_it(server: str) -> None:
    update(server, "INSERT DATA { <urn:isgraph:test:a> <urn:isgraph:test:b> 1 }")
    assert values(server, "SELECT ?o WHERE { <urn:isgraph:test:a> <urn:isgraph:test:b> ?o }") == ["1"]
    status, _, body = get(f"{server}/store?default", "application/n-triples")
    assert status == 200 and b'<urn:isgraph:test:a> <urn:isgraph:test:b> "1"' in body
    # the graph store: PUT replaces what was written to the default graph
    request = urllib.request.Request(
        f"{server}/store?default",
        data=b'<urn:isgraph:test:c> <urn:isgraph:test:d> "2" .',
        method="PUT",
        headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
    assert values(server, "SELECT ?o WHERE { ?s <urn:isgraph:test:b> ?o }") == []
    assert values(server, "SELECT ?o WHERE { ?s <urn:isgraph:test:d> ?o }") == ["2"]
    update(server, "CLEAR DEFAULT")
    assert values(server, "SELECT ?o WHERE { ?s <urn:isgraph:test:d> ?o }") == []
    assert values(server, f"SELECT DISTINCT (1 AS ?one) WHERE {{ ?i a <{ISG}Initiative> }}") == ["1"]


def test_the_store_keeps_nothing_in_its_own_default_graph(server: str) -> None:
    update(server, "INSERT DATA { <urn:isgraph:test:e> <urn:isgraph:test:f> 3 }")
    status, _, body = get(f"{server}/dumps/isgraph.nq")
    assert status == 200
    quads = list(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    assert quads and all(isinstance(quad.graph_name, ox.NamedNode) for quad in quads)
    assert (
        ox.Quad(
            ox.NamedNode("urn:isgraph:test:e"),
            ox.NamedNode("urn:isgraph:test:f"),
            ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            ox.NamedNode(DEFAULT_GRAPH),
        )
        in quads
    )
    update(server, "CLEAR DEFAULT")
