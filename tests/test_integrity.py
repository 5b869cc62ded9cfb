"""No case can change another: what a case owns is minted from its whole initiative IRI,
and build, ingest and harvest refuse a case that describes what another case owns.
(Issue 15, finding 1: two initiatives ending with the same segment minted the same IRIs.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.namespaces import GRAPH, ID, case_key
from isgraph.rdf.forms import ELEMENTS, read_form

from .conftest import dump_nquads, run_cli


def form(case: str, name: str, *, characterisation_id: str | None = None) -> str:
    """An invented case form that conforms to the shapes, leaving isgraph to mint the ids of
    what the case owns (unless ``characterisation_id`` is given)."""
    elements = "".join(
        f"  - element: {e}\n    level: present\n    statement:\n      fr: énoncé {e} de {name}\n" for e in ELEMENTS
    )
    own_id = f"- id: {characterisation_id}\n  assessor" if characterisation_id else "- assessor"
    return f"""id: {case}
label:
  fr: {name} (fictif)
  en: {name} (invented)
territory: territory/departement/60
actors:
- id: actor/{name}/porteur
  type: Association
  label:
    fr: Association {name}
  located_in: territory/departement/60
participations:
- actor: actor/{name}/porteur
  role: porteur
resources:
- principle: reciprocite
  provider_unknown: true
characterisations:
{own_id}: actor/{name}/porteur
  date: '2024-01-01'
  grid: godin-2013
  elements:
{elements}"""


def minted(case: str, name: str) -> set[str]:
    triples, _ = read_form(form(case, name).encode(), ".yaml", shown_as="x.yaml")
    return {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)} - {ID[f"actor/{name}/porteur"]}


def test_two_initiatives_ending_alike_mint_different_iris() -> None:
    a = minted("initiative/obs-a/recyclerie-du-val", "a")
    b = minted("initiative/recyclerie-du-val", "b")
    c = minted("https://example.org/initiative/recyclerie-du-val", "c")
    assert a & b == set() and a & c == set() and b & c == set()
    assert ID["characterisation/obs-a%2Frecyclerie-du-val/1/accessibilite"] in a
    assert ID["characterisation/recyclerie-du-val/1/accessibilite"] in b
    assert case_key("https://example.org/initiative/recyclerie-du-val").startswith("sha1-")


def test_the_cases_of_the_finding_go_in_side_by_side_and_both_stay_right(built_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    (tmp_path / "a.yaml").write_text(form("initiative/obs-a/recyclerie-du-val", "a"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(form("initiative/recyclerie-du-val", "b"), encoding="utf-8")
    first = run_cli("ingest", "--store", store, tmp_path / "a.yaml")
    second = run_cli("ingest", "--store", store, tmp_path / "b.yaml")
    assert (first.code, second.code) == (0, 0), first.stderr + second.stderr
    checked = run_cli("validate", "--all", "--store", store, "--severity", "violation")
    assert checked.code == 0, checked.stdout
    classified = run_cli("classify", "--store", store, "--method", "sparql", "--format", "csv")
    rows = [line.split(",") for line in classified.stdout.splitlines()[1:]]
    verdicts = {(r[0], r[2]): r[3] for r in rows}
    assert verdicts[(ID["initiative/obs-a/recyclerie-du-val"], "institutionnaliste")] == "true"
    assert verdicts[(ID["initiative/recyclerie-du-val"], "institutionnaliste")] == "true"


def test_ingest_refuses_a_case_that_describes_what_another_owns(built_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    before = dump_nquads(store)
    (tmp_path / "thief.yaml").write_text(
        form("initiative/thief", "thief", characterisation_id="characterisation/initielles/godin-2013"), encoding="utf-8"
    )
    refused = run_cli("ingest", "--store", store, tmp_path / "thief.yaml")
    assert refused.code == 1
    owned = ["characterisation/initielles/godin-2013", *sorted(f"characterisation/initielles/godin-2013/{e}" for e in ELEMENTS)]
    named = [
        f"<{ID[n]}> belongs to case {GRAPH['case/initielles']} and case {tmp_path / 'thief.yaml'} describes it too" for n in owned
    ]
    assert refused.stderr == (
        f"isgraph: a case describes what another case owns: {'; '.join(named[:5])}; and 5 more; nothing was written\n"
    )
    assert dump_nquads(store) == before


def test_ingest_refuses_two_cases_that_share_an_owned_node(built_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    before = dump_nquads(store)
    for name in ("one", "two"):
        (tmp_path / f"{name}.yaml").write_text(
            form(f"initiative/{name}", name, characterisation_id="characterisation/shared"), encoding="utf-8"
        )
    refused = run_cli("ingest", "--store", store, tmp_path / "one.yaml", tmp_path / "two.yaml")
    assert refused.code == 1
    assert f"<{ID['characterisation/shared']}> belongs to case {tmp_path / 'one.yaml'} and case {tmp_path / 'two.yaml'}" in (
        refused.stderr
    )
    assert dump_nquads(store) == before


def test_build_refuses_two_case_files_that_share_an_owned_node(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "cases" / "zz-thief.yaml").write_text(
        form("initiative/thief", "thief", characterisation_id="characterisation/graines-de-pays/godin-2013"), encoding="utf-8"
    )
    built = run_cli("build", "--no-reasoner", "--data", data_copy, "--store", tmp_path / "store")
    assert built.code == 1
    assert built.stderr.startswith("isgraph: a case describes what another case owns: <")
    assert (
        f"<{ID['characterisation/graines-de-pays/godin-2013']}> belongs to case data/cases/graines-de-pays.yaml "
        "and case data/cases/zz-thief.yaml describes it too; "
    ) in built.stderr
    assert built.stderr.endswith("; and 5 more; nothing was written\n")
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("suffixes", [("obs-a/x", "x"), ("a/b/c", "b/c"), ("x", "sha1-0"), ("a%2Fb", "a/b")])
def test_keys_of_initiatives_sharing_suffixes_are_unique(suffixes: tuple[str, str]) -> None:
    first, second = (case_key(ID["initiative/" + s]) for s in suffixes)
    assert first != second and "/" not in first + second


def test_a_shared_actor_described_two_ways_names_both_cases(tmp_path: Path) -> None:
    """Actors are shared: two cases may describe one, but where they contradict each other
    (two SIRENs) the report names both."""
    files = []
    for name, siren in (("one", "123456789"), ("two", "987654321")):
        text = form(f"initiative/{name}", name).replace(f"actor/{name}/porteur", "actor/shared")
        text = text.replace(
            "  located_in: territory/departement/60\n", f"  located_in: territory/departement/60\n  siren: '{siren}'\n", 1
        )
        files.append(tmp_path / f"{name}.yaml")
        files[-1].write_text(text, encoding="utf-8")
    result = run_cli("validate", *files, "--format", "json", "--severity", "violation")
    assert result.code == 1
    (violation,) = json.loads(result.stdout)["results"]
    assert (violation["focus"], violation["shape"], violation["source"]["file"], violation["also"]) == (
        ID["actor/shared"],
        "https://w3id.org/isgraph/shapes#ActorShape-siren",
        str(files[0]),
        [str(files[1])],
    )
    text = run_cli("validate", *files, "--severity", "violation")
    assert f"also described by {files[1]}" in text.stdout
