"""The steward sets the policy: ``--fail-on violation|warning|info`` for validate, ingest and
harvest (and ``fail_on`` for each source), and ingest shows in full the warnings it accepts.
(Issue 15, finding 5.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from .conftest import dump_nquads, run_cli
from .test_integrity import form


def _warned(folder: Path) -> Path:
    """A case that contradicts itself (plural economy and broad governance said present, with one
    principle and no governance member): three warnings, no violation."""
    path = folder / "warned.yaml"
    path.write_text(form("initiative/contradiction", "contradiction"), encoding="utf-8")
    return path


def test_validate_fails_on_the_severity_asked(tmp_path: Path) -> None:
    case = _warned(tmp_path)
    assert run_cli("validate", case).code == 0
    assert run_cli("validate", case, "--fail-on", "violation").code == 0
    strict = run_cli("validate", case, "--fail-on", "warning")
    assert strict.code == 1
    assert strict.stdout.endswith("Summary: conforms — 0 violation(s), 3 warning(s), 1 info(s), 1 file(s)\n")
    assert run_cli("validate", case, "--fail-on", "never").code == 2


def test_ingest_shows_the_warnings_it_accepts_or_refuses_them_when_asked(built_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    case = _warned(tmp_path)
    before = dump_nquads(store)
    refused = run_cli("ingest", "--store", store, case, "--fail-on", "warning")
    assert refused.code == 1
    assert refused.stderr == f"isgraph: refused: 3 violation(s) or warning(s) in {case}; nothing was written to the store\n"
    assert refused.stdout.count("[Warning]") == 3
    assert dump_nquads(store) == before
    accepted = run_cli("ingest", "--store", store, case)
    assert accepted.code == 0, accepted.stderr
    lines = accepted.stdout.splitlines()
    assert lines[1] == "1 case(s) ingested; 3 case(s) in the store; 3 warning(s) accepted:"
    assert accepted.stdout.count("[Warning]") == 3
    assert '"Plural economic model" is said to be present, but the resources described fall under fewer than two principles' in (
        accepted.stdout
    )
    assert '"Broad and participatory governance" is said to be present, but no actor other than the carrier' in accepted.stdout
    assert lines[-1] == "Summary: conforms — 0 violation(s), 3 warning(s), 0 info(s), 1 file(s)"


def test_harvest_keeps_apart_what_the_source_policy_blocks(built_store: Path, tmp_path: Path) -> None:
    triples, _ = __import__("isgraph.rdf.forms", fromlist=["read_form"]).read_form(
        form("initiative/contradiction", "contradiction").encode(), ".yaml", shown_as="x.yaml"
    )
    dump = tmp_path / "voisin.nq"
    graph = ox.NamedNode("https://voisin.example.org/graph/contradiction")
    dump.write_bytes(
        ox.serialize([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples], format=ox.RdfFormat.N_QUADS)
    )
    for policy, kept_apart in (("", 0), ("  fail_on: warning\n", 1)):
        store = tmp_path / f"store{kept_apart}"
        shutil.copytree(built_store, store)
        sources = tmp_path / "sources.yaml"
        sources.write_text(
            "sources:\n- name: voisin\n  dump: voisin.nq\n  licence: https://creativecommons.org/licenses/by/4.0/\n"
            f"  contact: obs@example.org\n{policy}",
            encoding="utf-8",
        )
        harvested = run_cli("harvest", sources, "--store", store, "--quarantine", tmp_path / f"q{kept_apart}")
        assert harvested.code == 0, harvested.stderr
        assert harvested.stdout.startswith(f"voisin: {1 - kept_apart} case(s) (")
        assert f", 0 removed, {kept_apart} kept apart, in " in harvested.stdout
        if kept_apart:
            assert "(3 result(s) at warning or above)" in harvested.stdout
    # the command line sets the policy of the sources that say none
    store = tmp_path / "store-cli"
    shutil.copytree(built_store, store)
    sources.write_text(
        "sources:\n- name: voisin\n  dump: voisin.nq\n  licence: https://creativecommons.org/licenses/by/4.0/\n  contact: obs@example.org\n",
        encoding="utf-8",
    )
    strict = run_cli("harvest", sources, "--store", store, "--quarantine", tmp_path / "q-cli", "--fail-on", "warning")
    assert ", 0 removed, 1 kept apart, in " in strict.stdout
