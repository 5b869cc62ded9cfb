"""The real reasoner (HermiT through owlready2) on the real ontology and data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import isgraph
from isgraph.errors import InconsistentError
from isgraph.reason.hermit import find_java

from .conftest import ROOT, dump_nquads, run_cli

pytestmark = pytest.mark.reasoner


def test_ontology_with_all_data_is_consistent_and_every_class_satisfiable() -> None:
    report = isgraph.prove_consistent(isgraph.read_sources())
    assert report.consistent is True
    assert report.unsatisfiable == ()


def test_java_is_found() -> None:
    assert Path(find_java()).is_file()


def _make_inconsistent(data: Path) -> None:
    (data / "cases" / "zz-clash.ttl").write_text(
        "@prefix isg: <https://w3id.org/isgraph/ontology#> .\n"
        "<https://w3id.org/isgraph/id/initiative/clash> a isg:Initiative .\n"
        "<https://w3id.org/isgraph/id/actor/clash> a isg:Association , isg:Company .\n",
        encoding="utf-8",
    )


@pytest.mark.slow
def test_inconsistent_data_names_the_file_and_the_individual(data_copy: Path) -> None:
    _make_inconsistent(data_copy)
    with pytest.raises(InconsistentError) as caught:
        isgraph.prove_consistent(isgraph.read_sources(data=data_copy))
    assert caught.value.render("en") == (
        "the ontology with the data is inconsistent (HermiT); caused by: data/cases/zz-clash.ttl; "
        "<https://w3id.org/isgraph/id/actor/clash> is both "
        "<https://w3id.org/isgraph/ontology#Association> and <https://w3id.org/isgraph/ontology#Company>, "
        "which are disjoint"
    )


@pytest.mark.slow
def test_a_clash_across_two_files_names_both(data_copy: Path) -> None:
    (data_copy / "cases" / "zz-company.ttl").write_text(
        "@prefix isg: <https://w3id.org/isgraph/ontology#> .\n"
        "<https://w3id.org/isgraph/id/initiative/company> a isg:Initiative .\n"
        "<https://w3id.org/isgraph/id/actor/association-initielles> a isg:Company .\n",
        encoding="utf-8",
    )
    with pytest.raises(InconsistentError) as caught:
        isgraph.prove_consistent(isgraph.read_sources(data=data_copy))
    assert "caused by: data/cases/initielles.yaml, data/cases/zz-company.ttl; " in caught.value.render("en")


@pytest.mark.slow
def test_inconsistent_build_exits_1_and_changes_nothing(data_copy: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_cli("build", "--store", store, "--no-reasoner").code == 0
    before = dump_nquads(store)
    _make_inconsistent(data_copy)
    result = run_cli("build", "--store", store, "--data", data_copy, "--lang", "fr")
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "isgraph: l'ontologie et les données sont incohérentes (HermiT) ; en cause : data/cases/zz-clash.ttl ; "
    )
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert dump_nquads(store) == before


@pytest.mark.slow
def test_unsatisfiable_class_is_reported(tmp_path: Path) -> None:
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    (ontology / "zz-impossible.ttl").write_text(
        "@prefix isg: <https://w3id.org/isgraph/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "isg:Impossible a owl:Class ; rdfs:subClassOf isg:Association , isg:Company .\n",
        encoding="utf-8",
    )
    result = run_cli("build", "--store", tmp_path / "store", "--ontology", ontology)
    assert result.code == 1
    assert result.stderr == ("isgraph: unsatisfiable classes in the ontology: <https://w3id.org/isgraph/ontology#Impossible>\n")
    assert not (tmp_path / "store").exists()


def test_missing_java_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_cli("build", "--store", tmp_path / "store", env={"ISGRAPH_JAVA": str(tmp_path / "no-java")})
    assert result.code == 2
    assert result.stderr.startswith("isgraph: Java not found: the HermiT reasoner needs it. Install it (")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "store").exists()
