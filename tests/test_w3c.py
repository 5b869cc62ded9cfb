"""Issue 16: the W3C SPARQL 1.1 Protocol manifest (34 tests) and Graph Store HTTP Protocol
manifests (13 tests), run by the project's runner (tests/w3c_protocol.py) against
``isgraph serve`` with the token, on an empty store.
The manifests are copied in ``tests/w3c/`` (licence and origin in its README)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from isgraph.store import EmbeddedStore
from tests.conftest import server_with_token, start_isgraph_server, stop
from tests.test_serve import TOKEN, post
from tests.w3c_protocol import Exchange, ProtocolTest, check, read_manifest, send

W3C = Path(__file__).parent / "w3c"
PROTOCOL = read_manifest(W3C / "protocol" / "manifest.ttl")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with server_with_token(tmp_path_factory.mktemp("w3c"), TOKEN, None) as base:
        yield base


def reset(base: str, test: ProtocolTest) -> None:
    """An empty store, then the test's graphs."""
    update = "DROP ALL"
    for graph, file in sorted(test.graphs.items()):
        update += f" ; INSERT DATA {{ GRAPH <{graph}> {{ {file.read_text(encoding='utf-8')} }} }}"
    status, _, body = post(f"{base}/sparql", update.encode(), "application/sparql-update", Authorization=f"Bearer {TOKEN}")
    assert status == 204, body


def test_the_manifest_is_whole() -> None:
    assert len(PROTOCOL) == 34 and all(test.exchanges for test in PROTOCOL)


@pytest.mark.parametrize("test", PROTOCOL, ids=[t.name for t in PROTOCOL])
def test_sparql_protocol(endpoint: str, test: ProtocolTest) -> None:
    reset(endpoint, test)
    run(endpoint, test)


def run(endpoint: str, test: ProtocolTest) -> None:
    names: dict[str, str] = {}
    for number, exchange in enumerate(test.exchanges, 1):
        answer = send(endpoint, exchange, {"Authorization": f"Bearer {TOKEN}"}, names)
        problem = check(exchange, answer)
        assert problem is None, f"{test.title}, request {number}: {problem}"
        if exchange.location is not None and answer.location:
            names[exchange.location] = answer.location


GRAPH_STORE = [
    test
    for manifest in ("manifest-direct.ttl", "manifest-indirect.ttl")
    for test in read_manifest(W3C / "graph-store-protocol" / manifest)
]


def test_the_graph_store_manifests_are_whole() -> None:
    assert len(GRAPH_STORE) == 13 and all(test.exchanges for test in GRAPH_STORE)


@pytest.mark.parametrize("test", GRAPH_STORE, ids=[t.name for t in GRAPH_STORE])
def test_graph_store_protocol(endpoint: str, test: ProtocolTest) -> None:
    reset(endpoint, test)
    run(endpoint, test)


@pytest.fixture(scope="module")
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("w3c-read-only")
    with EmbeddedStore(folder / "store") as store:  # the protocol tests' graphs, which no write of theirs can load here
        for test in PROTOCOL:
            for graph, file in test.graphs.items():
                store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {file.read_text(encoding='utf-8')} }} }}")
    process, base = start_isgraph_server(folder / "store", env={"ISGRAPH_TOKEN": ""})
    try:
        yield base
    finally:
        stop(process)


def is_write(exchange: Exchange) -> bool:
    kind = exchange.headers.get("content-type", "")
    if exchange.path.startswith("/gsp"):
        return exchange.method not in ("GET", "HEAD")
    return (
        "sparql-update" in kind
        or "update=" in exchange.path
        or (kind.startswith("application/x-www-form-urlencoded") and (exchange.body or b"").startswith(b"update="))
    )


@pytest.mark.parametrize("test", PROTOCOL + GRAPH_STORE, ids=[t.name for t in PROTOCOL + GRAPH_STORE])
def test_without_the_token_writes_are_refused_and_reads_answered(read_only: str, test: ProtocolTest) -> None:
    """A server started without a token is read-only: every write of the manifests gets 403
    (or the 4xx the manifest expects of a malformed one), and every read still passes."""
    writes = [exchange for exchange in test.exchanges if is_write(exchange)]
    if not writes:
        run(read_only, test)
        return
    for exchange in writes:
        answer = send(read_only, exchange, {})
        expected = {403} if "2xx" in exchange.statuses or "201" in exchange.statuses else set(range(400, 500))
        assert answer.status in expected, (exchange.method, exchange.path, answer.status, answer.body[:200])
