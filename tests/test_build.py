"""The main job: summary, idempotence, persistence, and bad input that changes nothing."""

from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path

import pytest

import isgraph

from .conftest import FIXTURES, dump_nquads, run_cli

SUMMARY = "cases: 2 · actors: 11 · territories: 48400 · triples: 349409 · named graphs: 25"


@pytest.mark.reasoner
def test_build_prints_the_summary(tmp_path: Path) -> None:
    result = run_cli("build", "--store", tmp_path / "store", isolated=True)  # the main job, as a user runs it
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"isgraph build: 24 files loaded into {tmp_path / 'store'}"
    assert lines[1] == "  validation: 2 cases conform to the shapes (0 warning(s), 4 info(s))"
    assert lines[2].startswith("  consistency: ontology and data consistent, no unsatisfiable class (HermiT, ")
    assert lines[3] == "  " + SUMMARY
    assert lines[4].startswith("  time: ")
    assert lines[5] == "  classification under the definition profiles:" and len(lines) == 25
    assert result.stderr == ""


def test_build_speaks_french(tmp_path: Path) -> None:
    result = run_cli("build", "--store", tmp_path / "store", "--no-reasoner", "--lang", "fr")
    assert result.stdout.splitlines()[3] == (
        "  cas : 2 · acteurs : 11 · territoires : 48400 · triplets : 349409 · graphes nommés : 25"
    )


def test_building_twice_gives_the_same_graph(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_cli("build", "--store", store, "--no-reasoner").code == 0
    first = dump_nquads(store)
    assert run_cli("build", "--store", store, "--no-reasoner").code == 0
    assert dump_nquads(store) == first
    assert first.count(b"\n") + 1 == 349409


def test_store_survives_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_cli("build", "--store", store, "--no-reasoner").code == 0
    for _ in range(2):
        with isgraph.open_store(store, create=False) as reopened:
            assert reopened.count() == 349409
            assert len(reopened.named_graphs()) == 25


def test_graphs_record_their_source_file(tmp_path: Path) -> None:
    summary = isgraph.build(store=None, reason=False)
    assert summary.counts.graphs == 25
    with isgraph.open_store(tmp_path / "s") as store:
        isgraph.build(store=store, reason=False)
        rows = sorted(
            (r["g"].value, r["f"].value)
            for r in store.query("SELECT ?g ?f WHERE { GRAPH ?g { ?g <https://w3id.org/isgraph/ontology#sourceFile> ?f } }")
        )
    assert rows == sorted(
        [
            ("https://w3id.org/isgraph/graph/case/graines-de-pays", "data/cases/graines-de-pays.yaml"),
            ("https://w3id.org/isgraph/graph/case/initielles", "data/cases/initielles.yaml"),
            ("https://w3id.org/isgraph/graph/ontology/crosswalks", "ontology/crosswalks.ttl"),
            ("https://w3id.org/isgraph/graph/ontology/external", "ontology/external.ttl"),
            ("https://w3id.org/isgraph/graph/ontology/grid", "ontology/grid.ttl"),
            ("https://w3id.org/isgraph/graph/ontology/isgraph", "ontology/isgraph.ttl"),
            ("https://w3id.org/isgraph/graph/ontology/profiles", "ontology/profiles.ttl"),
            ("https://w3id.org/isgraph/graph/ontology/views", "ontology/views.ttl"),
            ("https://w3id.org/isgraph/graph/ontology/vocabularies", "ontology/vocabularies.ttl"),
            ("https://w3id.org/isgraph/graph/sources/godin-2013", "data/sources/godin-2013.ttl"),
            ("https://w3id.org/isgraph/graph/territories/cog-2026", "data/territories/cog-2026.ttl.gz"),
            ("https://w3id.org/isgraph/graph/territories/france", "data/territories/france.ttl"),
            ("https://w3id.org/isgraph/graph/territories/iso-3166", "data/territories/iso-3166.ttl.gz"),
            ("https://w3id.org/isgraph/graph/territories/local", "data/territories/local.ttl"),
            (
                "https://w3id.org/isgraph/graph/vocabularies/essglobal-activities-ica",
                "data/vocabularies/essglobal-activities-ica.ttl",
            ),
            (
                "https://w3id.org/isgraph/graph/vocabularies/essglobal-activities-modified",
                "data/vocabularies/essglobal-activities-modified.ttl",
            ),
            ("https://w3id.org/isgraph/graph/vocabularies/essglobal-activities", "data/vocabularies/essglobal-activities.ttl"),
            (
                "https://w3id.org/isgraph/graph/vocabularies/essglobal-base-membership-type",
                "data/vocabularies/essglobal-base-membership-type.ttl",
            ),
            ("https://w3id.org/isgraph/graph/vocabularies/essglobal-legal-form", "data/vocabularies/essglobal-legal-form.ttl"),
            (
                "https://w3id.org/isgraph/graph/vocabularies/essglobal-organisational-structure",
                "data/vocabularies/essglobal-organisational-structure.ttl",
            ),
            (
                "https://w3id.org/isgraph/graph/vocabularies/essglobal-products-services",
                "data/vocabularies/essglobal-products-services.ttl",
            ),
            ("https://w3id.org/isgraph/graph/vocabularies/essglobal-qualifiers", "data/vocabularies/essglobal-qualifiers.ttl"),
            ("https://w3id.org/isgraph/graph/vocabularies/essglobal-themes", "data/vocabularies/essglobal-themes.ttl"),
            (
                "https://w3id.org/isgraph/graph/vocabularies/essglobal-type-of-labour",
                "data/vocabularies/essglobal-type-of-labour.ttl",
            ),
        ]
    )


BAD_FILES = [
    (
        "cases/broken.ttl",
        "@prefix isg: <https://w3id.org/isgraph/ontology#> .\n<https://w3id.org/isgraph/id/initiative/b> a isg:Initiative .\n"
        '<https://w3id.org/isgraph/id/initiative/b> <http://purl.org/dc/terms/title> "unterminated .\n',
        "syntax error: Unexpected end of file (data/cases/broken.ttl, line 3, column 77)",
    ),
    (
        "cases/relative.ttl",
        "<b> a <https://w3id.org/isgraph/ontology#Initiative> .\n",
        "syntax error: No scheme found in an absolute IRI (data/cases/relative.ttl, line 1, column 1)",
    ),
    ("cases/empty.ttl", "  \n", "empty file (data/cases/empty.ttl)"),
    (
        "cases/notes.docx",
        "PK\x03\x04",
        "unsupported file type (accepted extensions: .json, .jsonld, .nt, .owl, .rdf, .ttl, .yaml, .yml) (data/cases/notes.docx)",
    ),
    (
        "cases/two.ttl",
        "@prefix isg: <https://w3id.org/isgraph/ontology#> .\n<https://w3id.org/isgraph/id/initiative/a> a isg:Initiative .\n"
        "<https://w3id.org/isgraph/id/initiative/b> a isg:Initiative .\n",
        "a case file must describe exactly one isg:Initiative (with an IRI); this one describes 2 (data/cases/two.ttl)",
    ),
    (
        "cases/again.ttl",
        "<https://w3id.org/isgraph/id/initiative/initielles> a <https://w3id.org/isgraph/ontology#Initiative> .\n",
        "same named graph as data/cases/again.ttl (same initiative or same file name): "
        "https://w3id.org/isgraph/graph/case/initielles (data/cases/initielles.yaml)",
    ),
    (
        "cases/entities.rdf",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        "RDF/XML with a DTD or entities is refused (expansion risk) (data/cases/entities.rdf)",
    ),
    (
        "loose.ttl",
        "<http://a> <http://b> <http://c> .\n",
        "file outside the expected subfolders: put it in cases/, territories/, vocabularies/ or sources/ (data/loose.ttl)",
    ),
    (
        "case/x.ttl",
        "<http://a> <http://b> <http://c> .\n",
        "unknown subfolder: data goes in cases/, territories/, vocabularies/ or sources/ (data/case)",
    ),
]


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    store = tmp_path_factory.mktemp("ref") / "store"
    assert run_cli("build", "--store", store, "--no-reasoner").code == 0
    return store, dump_nquads(store)


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_input_stops_the_build_and_leaves_the_store_as_it_was(
    reference_store: tuple[Path, bytes], data_copy: Path, name: str, content: str, message: str
) -> None:
    store, before = reference_store
    target = data_copy / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(content, encoding="utf-8")
    result = run_cli("build", "--store", store, "--data", data_copy)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == f"isgraph: {message}\n"
    assert dump_nquads(store) == before


def test_a_case_with_violations_stops_the_build(reference_store: tuple[Path, bytes], data_copy: Path) -> None:
    store, before = reference_store
    shutil.copy(FIXTURES / "forms" / "broken.yaml", data_copy / "cases" / "initielles.yaml")
    result = run_cli("build", "--store", store, "--data", data_copy, "--no-reasoner")
    assert result.code == 1
    assert result.stderr == (
        'isgraph: 3 shape violation(s) in data/cases/initielles.yaml: see "isgraph validate data/cases/initielles.yaml"\n'
    )
    assert dump_nquads(store) == before


def test_syntax_error_message_in_french(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "cases" / "broken.ttl").write_text("<http://a> <http://b> .\n", encoding="utf-8")
    result = run_cli("build", "--store", tmp_path / "store", "--data", data_copy, "--lang", "fr")
    assert result.code == 2
    assert result.stderr.startswith("isgraph: erreur de syntaxe : ")
    assert result.stderr.rstrip().endswith("(data/cases/broken.ttl, ligne 1, colonne 23)")


def test_jsonld_with_a_remote_context_is_refused_without_any_request(data_copy: Path, tmp_path: Path) -> None:
    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"@context": {}}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/context.jsonld"
        (data_copy / "cases" / "remote.jsonld").write_text(
            f'{{"@context": "{url}", "@id": "https://w3id.org/isgraph/id/initiative/r", "@type": "Initiative"}}', encoding="utf-8"
        )
        result = run_cli("build", "--store", tmp_path / "store", "--data", data_copy)
    finally:
        server.shutdown()
    assert result.code == 2
    assert result.stderr.startswith("isgraph: syntax error: No LoadDocumentCallback has been set to load remote contexts")
    assert result.stderr.rstrip().endswith("(data/cases/remote.jsonld)")
    assert hits == []


def test_a_store_in_use_is_reported(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with isgraph.open_store(store):
        result = run_cli("build", "--store", store, "--no-reasoner")
    assert result.code == 2
    assert result.stderr == f"isgraph: the store is in use by another process ({store})\n"


def test_export_without_a_store_says_so(tmp_path: Path) -> None:
    result = run_cli("export", "--store", tmp_path / "nothing")
    assert result.code == 2
    assert result.stderr == f'isgraph: no store here: run "isgraph build" first ({tmp_path / "nothing"})\n'
    assert not (tmp_path / "nothing").exists()
