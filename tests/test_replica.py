"""The server's replica in memory (issue 19): it holds exactly the durable store's quads
(blank nodes' labels included) after it loads, after every kind of write, and when writes
arrive while it loads; reads never see a stale store; a crash loses nothing acknowledged."""

from __future__ import annotations

import io
import json
import os
import signal
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.graph.generator import write_cases
from isgraph.sparql.parser import read
from isgraph.store import EmbeddedStore
from isgraph.store.process import ProcessStore
from isgraph.store.replica import ReplicatedStore
from isgraph.store.views import VIEWS
from tests.conftest import start_isgraph_server, stop

EX = "http://example.org/"


def nquads(quads: Iterator[ox.Quad]) -> list[str]:
    return sorted(str(q) for q in quads)


def same(store: ReplicatedStore) -> None:
    """The replica answers, and holds the durable store's quads and graphs exactly."""
    assert store.wait(60)
    replica = store.reading
    assert replica is not store.durable
    assert nquads(replica.quads()) == nquads(store.durable.quads())
    assert replica.named_graphs() == store.durable.named_graphs()
    graphs = store.durable.named_graphs()
    assert store.present([*graphs, f"{EX}none", VIEWS + "case/x"]) == set(graphs)
    # the views too (isgraph.store.views), which each derives after each write
    assert nquads(q for q in replica.oxigraph if q.graph_name.value.startswith(VIEWS)) == nquads(  # type: ignore[union-attr]
        q
        for q in store.durable.oxigraph
        if q.graph_name.value.startswith(VIEWS)  # type: ignore[union-attr]
    )


def with_blank_nodes(graph: str, n: int = 3) -> list[ox.Triple]:
    """Triples that share blank nodes: a blank node ``_:shared`` also in another graph."""
    shared = ox.BlankNode("shared")
    triples = [ox.Triple(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.BlankNode(f"b{graph[-1]}{i}")) for i in range(n)]
    return [*triples, ox.Triple(shared, ox.NamedNode(f"{EX}in"), ox.NamedNode(graph))]


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """An on-disk store of 120 generated cases and two graphs with blank nodes (one shared)."""
    path = tmp_path / "store"
    data = io.BytesIO()
    write_cases(data, 120, seed=3, defects=0.0, fmt="nquads")
    (tmp_path / "cases.nq").write_bytes(data.getvalue())
    with EmbeddedStore(path) as store:
        store.load(tmp_path / "cases.nq", ox.RdfFormat.N_QUADS)
        store.replace_graphs({f"{EX}g1": with_blank_nodes(f"{EX}g1"), f"{EX}g2": with_blank_nodes(f"{EX}g2")})
        store.oxigraph.add_graph(ox.NamedNode(f"{EX}empty"))
    return path


def test_the_replica_holds_the_durable_stores_quads_labels_included(generated: Path) -> None:
    with ReplicatedStore(generated) as store:
        assert store.reading is store.durable  # before it loads, the durable store answers
        store.start()
        same(store)
        assert store.status.state == "ready"
        assert store.status.quads == store.durable.count()  # the views are not counted
        assert f"{EX}empty" in store.reading.named_graphs()
        shared = "_:shared"
        assert sum(1 for q in nquads(store.reading.quads()) if q.startswith(shared)) == 2


@pytest.mark.parametrize(
    ("write", "reloads"),
    [
        ("replace", False),
        ("drop", False),
        ("add", False),
        ("INSERT DATA { GRAPH <http://example.org/g3> { <http://example.org/a> <http://example.org/p> _:fresh } }", False),
        ("DELETE { GRAPH <http://example.org/g1> { ?s ?p ?o } } WHERE { GRAPH <http://example.org/g1> { ?s ?p ?o } }", False),
        ("MOVE <http://example.org/g1> TO <http://example.org/g4>", False),
        ("CREATE GRAPH <http://example.org/new-and-empty>", False),
        ("DROP GRAPH <http://example.org/empty>", False),
        (
            "INSERT { GRAPH ?g { ?g <http://example.org/seen> true } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g = <http://example.org/g2>) }",
            True,
        ),
        (
            "INSERT DATA { GRAPH <https://w3id.org/isgraph/graph/case/gen-0> {"
            " <https://w3id.org/isgraph/id/gen/contribution/0/9> <https://w3id.org/isgraph/ontology#contributionTo>"
            " <https://w3id.org/isgraph/id/gen/initiative/0> ; <https://w3id.org/isgraph/ontology#principle>"
            " <https://w3id.org/isgraph/principle/administration-domestique> } }",
            False,
        ),
        ("CLEAR ALL", True),
    ],
)
def test_every_kind_of_write_reaches_both(generated: Path, write: str, reloads: bool) -> None:
    with ReplicatedStore(generated) as store:
        store.start()
        assert store.wait(60)
        before = store.reading
        if write == "replace":
            store.replace_graphs(
                {
                    f"{EX}g1": with_blank_nodes(f"{EX}g1", 5),
                    f"{EX}g5": [ox.Triple(ox.NamedNode(f"{EX}x"), ox.NamedNode(f"{EX}p"), ox.Literal("é"))],
                }
            )
        elif write == "drop":
            store.drop_graphs([f"{EX}g2", f"{EX}absent"])
        elif write == "add":
            store.add(f"{EX}g2", [ox.Triple(ox.BlankNode("added"), ox.NamedNode(f"{EX}p"), ox.Literal("1"))])
        else:
            store.update(write)
        # a write the replica takes in place keeps it; one whose graphs the text cannot name reloads it
        assert (store.reading is not before) == reloads
        same(store)


def test_an_updates_graphs_are_read_from_its_parse_tree() -> None:
    assert read(
        "PREFIX e: <http://e.example/> DELETE { GRAPH e:a { ?s ?p ?o } } INSERT { GRAPH <http://e.example/b> { ?s ?p 1 } } WHERE { GRAPH ?g { ?s ?p ?o } }",
        "update",
    ).writes == ("http://e.example/a", "http://e.example/b")
    assert read("WITH <http://w.example/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update").writes == ("http://w.example/",)
    assert read(
        "MOVE <http://e.example/a> TO GRAPH <http://e.example/b> ; COPY <http://e.example/c> TO <http://e.example/d>", "update"
    ).writes == ("http://e.example/a", "http://e.example/b", "http://e.example/d")
    assert read("LOAD <http://e.example/x> INTO GRAPH <http://e.example/l>", "update").writes == ("http://e.example/l",)
    # the text cannot say: a variable, the store's default graph, NAMED or ALL
    assert read("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", "update").writes is None
    assert read("INSERT DATA { <http://e.example/s> <http://e.example/p> 1 }", "update").writes is None
    assert read("DROP GRAPH <http://e.example/a> ; CLEAR NAMED", "update").writes is None
    assert read("COPY DEFAULT TO <http://e.example/b>", "update").writes == ("http://e.example/b",)
    assert read("ADD <http://e.example/a> TO DEFAULT", "update").writes is None
    assert read("SELECT * {}", "query").writes == ()


def test_writes_while_it_loads_are_not_lost(generated: Path) -> None:
    """Writes land before, during and after the graphs they touch are read: once loaded,
    the replica equals the durable store (tried with every kind of write, repeatedly)."""
    for attempt in range(3):
        with ReplicatedStore(generated) as store:
            store.start()
            for i in range(20):
                store.replace_graphs({f"{EX}w{attempt}-{i}": with_blank_nodes(f"{EX}w{i % 9}")})
                store.update(f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}n{i}> <{EX}p> _:x{i} }} }}")
                store.drop_graphs([f"{EX}w{attempt}-{i - 1}"])
            if attempt == 1:  # a write the text cannot name, during the load: it starts over
                store.update(
                    "DELETE { GRAPH ?g { ?s <http://example.org/in> ?o } } WHERE { GRAPH ?g { ?s <http://example.org/in> ?o } }"
                )
            same(store)


def test_reads_are_never_stale_while_it_loads(generated: Path) -> None:
    with ReplicatedStore(generated) as store:
        store.start()
        store.replace_graphs({f"{EX}fresh": [ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("now"))]})
        answer = list(store.query(f"SELECT ?o WHERE {{ GRAPH <{EX}fresh> {{ ?s ?p ?o }} }}"))
        assert [row["o"].value for row in answer] == ["now"]
        same(store)
        answer = list(store.query(f"SELECT ?o WHERE {{ GRAPH <{EX}fresh> {{ ?s ?p ?o }} }}"))
        assert [row["o"].value for row in answer] == ["now"]


def test_a_write_the_replica_misses_reloads_it(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ReplicatedStore(generated) as store:
        store.start()
        assert store.wait(60)
        replica = store.reading

        def broken(*args: object, **kwargs: object) -> None:
            raise OSError("out of memory (simulated)")

        monkeypatch.setattr(replica, "replace_graphs", broken)
        store.replace_graphs({f"{EX}g9": [ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("kept"))]})
        assert store.reading is store.durable  # the durable store answers while it reloads
        same(store)
        assert [row["o"].value for row in store.query(f"SELECT ?o {{ GRAPH <{EX}g9> {{ ?s ?p ?o }} }}")] == ["kept"]


def test_the_store_process_reports_the_loading_and_answers_from_memory(generated: Path) -> None:
    heard: list[str] = []
    with ProcessStore(generated, query_timeout=60, on_status=lambda s: heard.append(s.state)) as store:
        assert store.wait_for_replica(60)
        assert heard[0] == "loading" and heard[-1] == "ready"
        assert store.replica_status.quads == store.count()
        store.replace_graphs({f"{EX}via-process": [ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("x"))]})
        rows = list(store.query(f"SELECT ?o {{ GRAPH <{EX}via-process> {{ ?s ?p ?o }} }}"))
        assert [r["o"].value for r in rows] == ["x"]
        assert store.present([f"{EX}via-process", f"{EX}none"]) == {f"{EX}via-process"}
    with ProcessStore(generated, query_timeout=60, replica=False) as store:
        assert store.replica_status.state == "off"
        assert not store.wait_for_replica(0.1)


def status(base: str) -> dict[str, object]:
    with urllib.request.urlopen(f"{base}/status", timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


@pytest.mark.server
def test_a_crash_loses_nothing_acknowledged(generated: Path, tmp_path: Path) -> None:
    """Writes acknowledged by the server survive a SIGKILL of the server; its store process
    then stops by itself and leaves the store to the next user."""
    (tmp_path / "token").write_text("a-secret-of-many-characters", encoding="utf-8")
    process, base = start_isgraph_server(generated, "--token-file", str(tmp_path / "token"), replica=True)
    try:
        deadline = time.monotonic() + 60
        while status(base)["replica"]["state"] != "ready":  # type: ignore[index]
            assert time.monotonic() < deadline
            time.sleep(0.1)
        put = urllib.request.Request(
            f"{base}/store?graph={EX}acknowledged",
            data=b"<http://example.org/s> <http://example.org/p> 'put' .",
            method="PUT",
            headers={"Content-Type": "text/turtle", "Authorization": "Bearer a-secret-of-many-characters"},
        )
        with urllib.request.urlopen(put, timeout=30) as response:
            assert response.status == 201
        update = urllib.request.Request(
            f"{base}/sparql",
            data=f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}u> <{EX}p> 'acknowledged' }} }}".encode(),
            method="POST",
            headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer a-secret-of-many-characters"},
        )
        with urllib.request.urlopen(update, timeout=30) as response:
            assert response.status == 204
        ask = f"{base}/sparql?query=" + urllib.parse.quote(f"ASK {{ GRAPH <{EX}g1> {{ <{EX}u> ?p 'acknowledged' }} }}")
        with urllib.request.urlopen(
            urllib.request.Request(ask, headers={"Accept": "application/sparql-results+json"}), timeout=30
        ) as r:
            assert json.loads(r.read())["boolean"] is True  # answered by the replica at once
        children = [int(pid) for pid in os.popen(f"pgrep -P {process.pid}").read().split()]
        assert children
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 30
        while any(
            Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower() for pid in children
        ):
            assert time.monotonic() < deadline, "the store process outlived the server"
            time.sleep(0.1)
    finally:
        stop(process)
    with EmbeddedStore(generated, create=False) as store:
        assert f"{EX}acknowledged" in store.named_graphs()
        found = store.oxigraph.quads_for_pattern(None, None, ox.Literal("acknowledged"), ox.NamedNode(f"{EX}g1"))
        assert len(list(found)) == 1


def test_concurrent_readers_see_whole_writes(generated: Path) -> None:
    """A reader running beside the writes sees each replaced graph whole: old or new, never half."""
    with ReplicatedStore(generated) as store:
        store.start()
        assert store.wait(60)
        sizes: set[int] = set()
        stop_reading = threading.Event()

        def reader() -> None:
            while not stop_reading.is_set():
                rows = list(store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{EX}whole> {{ ?s ?p ?o }} }}"))
                sizes.add(int(rows[0]["n"].value))

        thread = threading.Thread(target=reader)
        thread.start()
        for i in range(30):
            n = 10 if i % 2 else 20
            store.replace_graphs(
                {
                    f"{EX}whole": [
                        ox.Triple(ox.NamedNode(f"{EX}s{j}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i))) for j in range(n)
                    ]
                }
            )
        stop_reading.set()
        thread.join()
        assert sizes <= {0, 10, 20}
