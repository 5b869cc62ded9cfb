"""Ingest that loses nothing: validated first, one named graph per case with its
provenance, idempotent, atomic under a kill, removable; dump and restore round-trip."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.namespaces import GRAPH
from isgraph.rdf.files import read_file
from isgraph.reason.classification import OUTDATED
from isgraph.store import connect

from .conftest import FIXTURES, ROOT, dump_nquads, run_cli

BRAVO = FIXTURES / "catalogue" / "bravo.yaml"
BRAVO_GRAPH = GRAPH["case/fixture-bravo"]


@pytest.fixture
def store(built_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(built_store, path)
    return path


def _graph(store: Path, graph: str) -> list[ox.Quad]:
    with connect(store, create=False) as s:
        return sorted((q for q in s.quads() if q.graph_name == ox.NamedNode(graph)), key=str)


def test_ingest_puts_each_case_in_its_graph_with_its_provenance(store: Path) -> None:
    result = run_cli("ingest", "--store", store, "--submitter", "Test Steward", BRAVO)
    assert result.code == 0, result.stderr
    assert result.stdout == (
        f"added: {BRAVO.relative_to(ROOT)} -> <{BRAVO_GRAPH}>\n".replace(str(BRAVO.relative_to(ROOT)), str(BRAVO))
        + "1 case(s) ingested; 3 case(s) in the store; no warning\n"
    )
    quads = _graph(store, BRAVO_GRAPH)
    about_graph = {(q.predicate.value, q.object.value) for q in quads if q.subject == ox.NamedNode(BRAVO_GRAPH)}
    when = next(v for p, v in about_graph if p.endswith("generatedAtTime"))
    assert about_graph == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/prov#Entity"),
        ("http://www.w3.org/ns/prov#wasAttributedTo", "https://w3id.org/isgraph/id/agent/Test%20Steward"),
        ("http://www.w3.org/ns/prov#generatedAtTime", when),
        ("https://w3id.org/isgraph/ontology#sourceFile", str(BRAVO)),
        ("https://w3id.org/isgraph/ontology#sha256", __import__("hashlib").sha256(BRAVO.read_bytes()).hexdigest()),
    }
    assert time.time() - __import__("datetime").datetime.fromisoformat(when).timestamp() < 120
    agent = {
        (q.predicate.value, q.object.value)
        for q in quads
        if q.subject == ox.NamedNode("https://w3id.org/isgraph/id/agent/Test%20Steward")
    }
    assert agent == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/prov#Agent"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "Test Steward"),
    }
    # nothing lost, nothing added: the graph holds exactly the form's triples plus the 7 of provenance
    form = read_file(BRAVO, shown_as="bravo", bnode_prefix="b").triples
    assert len(quads) == len(form) + 7
    assert {q.triple for q in quads} - set(form) == {
        q.triple for q in quads if q.subject.value in (BRAVO_GRAPH, "https://w3id.org/isgraph/id/agent/Test%20Steward")
    }


def test_ingesting_again_replaces_the_graph_without_duplicates(store: Path) -> None:
    assert run_cli("ingest", "--store", store, BRAVO).code == 0
    first = [q for q in _graph(store, BRAVO_GRAPH) if "generatedAtTime" not in q.predicate.value]
    again = run_cli("ingest", "--store", store, BRAVO)
    assert again.code == 0 and again.stdout.startswith("replaced: ")
    assert [q for q in _graph(store, BRAVO_GRAPH) if "generatedAtTime" not in q.predicate.value] == first


def test_a_case_with_violations_is_refused_and_nothing_is_written(store: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    charlie = (FIXTURES / "catalogue" / "charlie.yaml").read_text(encoding="utf-8")
    broken.write_text(charlie.replace("territory: territory/departement/02\n", ""), encoding="utf-8")
    before = dump_nquads(store)
    result = run_cli("ingest", "--store", store, BRAVO, broken)
    assert result.code == 1
    assert result.stderr == f"isgraph: refused: 1 violation(s) in {broken}; nothing was written to the store\n"
    assert "[Violation]" in result.stdout and "territory" in result.stdout
    assert dump_nquads(store) == before
    unreadable = tmp_path / "unreadable.yaml"
    unreadable.write_text("id: initiative/x\nlabel: [unclosed\n", encoding="utf-8")
    result = run_cli("ingest", "--store", store, BRAVO, unreadable)
    assert result.code == 2 and result.stderr.startswith("isgraph: unreadable YAML") and f"({unreadable}, line 3" in result.stderr
    assert dump_nquads(store) == before


def test_remove_drops_a_case_and_only_it(store: Path) -> None:
    before = dump_nquads(store)
    assert run_cli("ingest", "--store", store, BRAVO).code == 0
    removed = run_cli("remove", "--store", store, "fixture-bravo")
    assert (removed.code, removed.stdout) == (0, f"removed: <{BRAVO_GRAPH}>\n")
    # everything is as before, but the verdicts of the profiles are out of date until "isgraph classify" remakes them
    outdated = f"<{OUTDATED}> .".encode()
    after = dump_nquads(store).splitlines()
    assert [line for line in after if not line.endswith(outdated)] == before.splitlines()
    assert len([line for line in after if line.endswith(outdated)]) == 1
    assert run_cli("classify", "--store", store).code == 0
    assert dump_nquads(store) == before
    missing = run_cli("remove", "--store", store, "fixture-bravo")
    assert (missing.code, missing.stderr) == (2, f'isgraph: no case "fixture-bravo" in the store ({store})\n')


def test_dump_then_restore_gives_the_same_store(catalogue_store: Path, tmp_path: Path) -> None:
    for suffix, fmt in ((".nq", "nquads"), (".trig", "trig")):
        out = tmp_path / f"dump{suffix}"
        assert run_cli("dump", "--store", catalogue_store, "--format", fmt, "--output", out).code == 0
        fresh = tmp_path / f"fresh{suffix}"
        restored = run_cli("restore", "--store", fresh, out)
        assert restored.code == 0, restored.stderr
        assert dump_nquads(fresh) == dump_nquads(catalogue_store)
    bad = tmp_path / "bad.nq"
    bad.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:a> <urn:b> .\n", encoding="utf-8")
    before = dump_nquads(tmp_path / "fresh.nq")
    result = run_cli("restore", "--store", tmp_path / "fresh.nq", bad)
    assert result.code == 2 and f"({bad}, line 2" in result.stderr and result.stderr.count("\n") == 1
    assert dump_nquads(tmp_path / "fresh.nq") == before


def _many_cases(folder: Path, count: int) -> list[Path]:
    """``count`` distinct, valid cases: copies of the Initi'elles form under new identifiers."""
    text = (ROOT / "data" / "cases" / "initielles.yaml").read_text(encoding="utf-8")
    folder.mkdir()
    files = []
    for i in range(count):
        path = folder / f"k{i:04d}.yaml"
        path.write_text(
            text.replace("initiative/initielles", f"initiative/k{i:04d}")
            .replace("/initielles/", f"/k{i:04d}/")
            .replace("/initielles\n", f"/k{i:04d}\n")
            .replace("association-initielles", f"association-k{i:04d}"),
            encoding="utf-8",
        )
        files.append(path)
    return files


@pytest.mark.slow
def test_a_kill_in_the_middle_of_an_ingest_leaves_every_case_fully_in_or_fully_out(store: Path, tmp_path: Path) -> None:
    files = _many_cases(tmp_path / "cases", 400)
    expected_per_graph = None
    outcomes = set()
    for delay in (1.0, 2.5, 4.0, 6.0):
        process = subprocess.Popen(
            [sys.executable, "-m", "isgraph.cli", "ingest", "--store", str(store), *map(str, files)],
            cwd=ROOT,
            env={**os.environ, "ISGRAPH_LANG": "en"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with connect(store, create=False) as s:
            counts: dict[str, int] = {}
            for q in s.quads():
                if q.graph_name.value.startswith(GRAPH["case/k"]):
                    counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
            assert not any(g.startswith(GRAPH["staging/"]) for g in s.named_graphs())
        assert len(counts) in (0, len(files))
        if counts:
            expected_per_graph = expected_per_graph or next(iter(counts.values()))
            assert set(counts.values()) == {expected_per_graph}
        outcomes.add(len(counts))
        if counts:
            assert run_cli("remove", "--store", store, *[f.stem for f in files]).code == 0
    finished = run_cli("ingest", "--store", store, *files)
    assert finished.code == 0, finished.stderr
    with connect(store, create=False) as s:
        assert len([g for g in s.named_graphs() if g.startswith(GRAPH["case/k"])]) == len(files)
    assert 0 in outcomes  # at least one kill landed before the cases were in
