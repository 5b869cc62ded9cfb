"""One Store interface, two backends: the embedded pyoxigraph store and a real SPARQL
1.1 server (the oxigraph CLI on 127.0.0.1) give the same answers to the same operations."""

from __future__ import annotations

import io
import logging
import shutil
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.errors import StoreError
from isgraph.namespaces import GRAPH
from isgraph.query import catalogue
from isgraph.query.results import rows_as_text
from isgraph.store import EmbeddedStore, Store, connect, embedded
from isgraph.store import base as store_base
from isgraph.store.remote import RemoteStore

from .conftest import FIXTURES, dump_nquads, run_cli

A, B, C = (ox.NamedNode(f"urn:test:{x}") for x in "abc")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TRICKY = ox.Literal('line one\nline "two" \\ é <>{}', language="fr")


def _exercise(store: Store) -> list[object]:
    """The same sequence of operations, and what each returns."""
    seen: list[object] = []
    store.replace_graphs(
        {
            "urn:g:1": [ox.Triple(A, LABEL, TRICKY), ox.Triple(A, LABEL, ox.Literal("x"))],
            "urn:g:2": [ox.Triple(B, LABEL, ox.Literal("b"))],
        }
    )
    seen.append((store.named_graphs(), store.count()))
    seen.append(sorted(store.present(["urn:g:2", "urn:g:9", "urn:g:1", "urn:g:1"])))
    store.add("urn:g:2", [ox.Triple(C, LABEL, ox.Literal("c"))])
    seen.append(store.count())
    rows = store.query("SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } ORDER BY ?s ?o")
    seen.append(rows_as_text(rows))
    seen.append(bool(store.query("ASK { <urn:test:a> ?p ?o }")))
    seen.append(sorted(str(t) for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:g:2> { ?s ?p ?o } }")))
    store.update("INSERT DATA { GRAPH <urn:g:3> { <urn:test:c> <urn:test:b> 3 } }")
    store.replace_graphs({"urn:g:1": [ox.Triple(A, LABEL, ox.Literal("y"))]}, drop=["urn:g:2"])
    seen.append((store.named_graphs(), store.count()))
    seen.append(sorted(str(q) for q in store.quads()))
    marker = store.add_new_graphs({"urn:g:4": [ox.Triple(C, LABEL, ox.Literal("new"))]})
    store.replace_graphs({}, drop=[marker] if marker else [])
    seen.append((store.named_graphs(), store.count()))
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    seen.append(sorted(out.getvalue().decode().splitlines()))
    store.drop_graphs(["urn:g:1", "urn:g:3"])
    seen.append((store.named_graphs(), store.count()))
    return seen


def test_the_embedded_store_and_a_sparql_server_behave_the_same(sparql_server: str, tmp_path: Path) -> None:
    with EmbeddedStore(None) as memory, EmbeddedStore(tmp_path / "disk") as disk, RemoteStore(sparql_server) as remote:
        expected = _exercise(memory)
        assert _exercise(disk) == expected
        assert _exercise(remote) == expected
    assert expected[0] == (["urn:g:1", "urn:g:2"], 3)
    assert expected[1] == ["urn:g:1", "urn:g:2"]  # present: those it holds, among those named
    assert expected[4] is True
    assert expected[6] == (["urn:g:1", "urn:g:3"], 2)
    assert expected[8] == (["urn:g:1", "urn:g:3", "urn:g:4"], 3)  # add_new_graphs, its marker dropped
    assert expected[-1] == (["urn:g:4"], 1)


def test_one_setting_chooses_the_backend(sparql_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(connect(tmp_path / "s"), EmbeddedStore)
    assert isinstance(connect(tmp_path / "s", endpoint=sparql_server), RemoteStore)
    monkeypatch.setenv("ISGRAPH_ENDPOINT", sparql_server)
    assert isinstance(connect(tmp_path / "s"), RemoteStore)


def test_the_whole_catalogue_gives_the_same_rows_on_a_sparql_server(
    catalogue_store: Path, sparql_server: str, tmp_path: Path
) -> None:
    dump = tmp_path / "kg.nq"
    assert run_cli("dump", "--store", catalogue_store, "--output", dump).code == 0
    restored = run_cli("restore", "--endpoint", sparql_server, dump)
    assert restored.code == 0, restored.stderr
    with connect(catalogue_store, create=False) as embedded, connect(endpoint=sparql_server) as remote:
        assert remote.count() == embedded.count()
        for query in catalogue.load_catalogue():
            # as the command line and the server answer: label columns filled (the embedded
            # store's actors keep theirs in their rows, the server's are looked up)
            local = rows_as_text(catalogue.answer(embedded, query).as_result())
            served = rows_as_text(catalogue.answer(remote, query).as_result())
            if query.name in ("actors-in-several-initiatives", "principles-per-initiative", "esid-criteria"):
                local, served = sorted(map(_sorted_lists, local)), sorted(map(_sorted_lists, served))
            assert served == local, query.name
            assert local or query.name == "none", query.name


def _sorted_lists(row: tuple[str, ...]) -> tuple[str, ...]:
    """Each literal's comma-separated items sorted (the quotes of the term left around them)."""
    return tuple(f'"{", ".join(sorted(v[1:-1].split(", ")))}"' if len(v) > 1 and v[0] == v[-1] == '"' else v for v in row)


def test_ingest_remove_and_queries_through_the_command_line_on_a_server(sparql_server: str) -> None:
    built = run_cli("build", "--endpoint", sparql_server, "--no-reasoner")
    assert built.code == 0, built.stderr
    assert "cases: 2 · actors: 11 · territories: 48400 · triples: 349409 · named graphs: 25" in built.stdout
    bravo = FIXTURES / "catalogue" / "bravo.yaml"
    assert run_cli("ingest", "--endpoint", sparql_server, bravo).code == 0
    table = run_cli("query", "single-actor-cases", "--endpoint", sparql_server)
    assert table.code == 0 and table.stdout.endswith("(0 rows)\n")
    pairs = run_cli("query", "actor-pairs", "--endpoint", sparql_server, "--param", "min=1", "--format", "csv")
    assert "https://w3id.org/isgraph/id/actor/fixture/atelier,https://w3id.org/isgraph/id/actor/fixture/ville,1" in pairs.stdout
    assert run_cli("remove", "--endpoint", sparql_server, "fixture-bravo").code == 0
    with connect(endpoint=sparql_server) as remote:
        assert remote.count() == 349409 + 1  # the verdicts stay, marked out of date until "isgraph classify" remakes them


def test_an_unreachable_server_is_a_clear_error() -> None:
    result = run_cli("query", "actor-pairs", "--endpoint", "http://127.0.0.1:9/query")
    assert result.code == 2
    assert result.stderr.startswith("isgraph: cannot reach the SPARQL server:")
    assert result.stderr.endswith("(http://127.0.0.1:9/query)\n") and result.stderr.count("\n") == 1
    with pytest.raises(StoreError):
        RemoteStore("ftp://example.org/sparql")


def test_a_killed_write_leaves_no_staging_graph(tmp_path: Path) -> None:
    """A write marks the views stale before it begins; killed after staging its graphs and
    before moving them, it leaves them there, which the store drops when it is next opened."""
    path = tmp_path / "s"
    with EmbeddedStore(path) as store:
        store.replace_graphs({"urn:g:kept": [ox.Triple(C, LABEL, ox.Literal("kept"))]})
        assert store._views is not None
        store._views.mark_stale()  # as the write that is killed
        store.oxigraph.extend([ox.Quad(A, LABEL, ox.Literal("half-written"), ox.NamedNode(GRAPH["staging/0"]))])
    with EmbeddedStore(path) as store:
        assert store.named_graphs() == ["urn:g:kept"] and store.count() == 1
    assert dump_nquads(path) == b'<urn:test:c> <http://www.w3.org/2000/01/rdf-schema#label> "kept" <urn:g:kept> .'


def test_a_write_that_fails_after_staging_takes_its_staged_graphs_away(monkeypatch: pytest.MonkeyPatch) -> None:
    """A write with blank nodes stages its graphs, then moves them in one update: when that
    update fails, what was staged goes, and the graphs are as they were."""
    store = EmbeddedStore(None)
    store.replace_graphs({"urn:g:1": [ox.Triple(C, LABEL, ox.Literal("before"))]})
    moves = store_base.moves

    def failing(staging: Mapping[str, str], drop: Iterable[str]) -> str:
        return moves(staging, drop) + " ; not an update"

    monkeypatch.setattr(embedded, "moves", failing)
    with pytest.raises(SyntaxError):
        store.replace_graphs({"urn:g:1": [ox.Triple(ox.BlankNode(), LABEL, ox.Literal("after"))]})
    assert store.every_graph() == ["urn:g:1"]
    assert [(q.subject, q.object) for q in store.quads()] == [(C, ox.Literal("before"))]


def test_a_fast_write_that_never_finished_is_undone_on_opening(tmp_path: Path) -> None:
    """add_new_graphs writes with the bulk loader, which is not atomic: until the caller's final
    write drops its marker, a reopened store drops the graphs it began; afterwards they stay."""
    path = tmp_path / "s"
    new = {"urn:g:new1": [ox.Triple(A, LABEL, ox.Literal("one"))], "urn:g:new2": [ox.Triple(B, LABEL, ox.Literal("two"))]}
    with EmbeddedStore(path) as store:
        store.replace_graphs({"urn:g:old": [ox.Triple(C, LABEL, ox.Literal("kept"))]})
        with pytest.raises(ValueError, match="exist already"):
            store.add_new_graphs({"urn:g:old": []})
        marker = store.add_new_graphs(new)
        assert marker is not None and marker.startswith("https://w3id.org/isgraph/graph/unfinished/")
        assert store.named_graphs() == sorted(["urn:g:old", "urn:g:new1", "urn:g:new2", marker])
    with EmbeddedStore(path) as store:  # closed before the final write, as by a crash
        assert store.named_graphs() == ["urn:g:old"] and store.count() == 1
        marker = store.add_new_graphs(new)
        store.replace_graphs({"urn:g:old": [ox.Triple(C, LABEL, ox.Literal("replaced"))]}, drop=[marker])
    with EmbeddedStore(path) as store:
        assert store.named_graphs() == ["urn:g:new1", "urn:g:new2", "urn:g:old"] and store.count() == 3


def test_a_store_process_that_dies_answers_at_once_and_starts_again(
    built_store: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 16: a crash of the store process was reported as a time-out after the full
    limit, and every query beside it stalled until then."""
    from isgraph.store.process import ProcessStore, StoreCrashed

    shutil.copytree(built_store, tmp_path / "store")
    # deeper than pyoxigraph's parser can go (the server's policy never lets it through)
    crash = "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }"
    with (
        caplog.at_level(logging.WARNING, logger="isgraph.store"),
        ProcessStore(tmp_path / "store", query_timeout=120, replica=False) as store,
    ):
        first = store.pid
        started = time.monotonic()
        with pytest.raises(StoreCrashed) as caught:
            store.collected(crash)
        assert time.monotonic() - started < 20
        assert caught.value.message.en == (
            "the store process stopped (signal SIGSEGV) during this request; it has been restarted"
        )
        # the next request waits for the new process
        assert store.collected("ASK { ?s a <https://w3id.org/isgraph/ontology#Initiative> }").boolean is True
        assert store.pid != first
    assert [r.getMessage() for r in caplog.records] == [
        "isgraph: the store process stopped (signal SIGSEGV) with 1 requests in flight; restarting it"
    ]
