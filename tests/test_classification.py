"""Definition profiles: every reference and fixture case gets the verdict its profile's
documentation predicts, with its reasons, from HermiT and from the scalable path alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.graph.build import build
from isgraph.graph.generator import write_cases
from isgraph.namespaces import ID
from isgraph.reason.classification import (
    INFERENCES,
    classify,
    classify_with_scans,
    inference_triples,
    load_profiles,
    outdated_since,
)
from isgraph.store import EmbeddedStore, connect

from .conftest import FIXTURES, dump_nquads, run_cli

LEVEL = "https://w3id.org/isgraph/level/"
ALL = ("entrepreneuriat-social", "entreprise-sociale", "esid", "institutionnaliste", "modernisation-politiques-publiques")
NO_NOVELTY = [("esid-innovativite", ())]
#: Generated cases classified by both (HermiT takes about 8 minutes for 200 here: see bench/classify.py)
GENERATED = 60  # enough to tell the profiles apart (HermiT took 5 minutes of CI for 120)
ELEMENTS = (
    "accessibilite",
    "ancrage-territorial",
    "aspiration-sociale",
    "changement-social",
    "finalite-sociale",
    "gouvernance-participative",
    "impacts-directs",
    "logique-de-service",
    "modele-economique-pluriel",
)


def _gaps(level: str, *requirements: str) -> list[tuple[str, tuple[str, ...]]]:
    """Missing requirements; element requirements found at ``level``, the others with nothing found."""
    element_based = {f"institutionnaliste-{e}" for e in ELEMENTS} | {
        "entreprise-sociale-finalite-sociale",
        "entreprise-sociale-gouvernance-participative",
        "entreprise-sociale-logique-de-service",
        "entrepreneuriat-social-finalite-sociale",
        "entrepreneuriat-social-impacts-directs",
        "modernisation-finalite-sociale",
        "modernisation-accessibilite",
        "esid-objectifs",
        "esid-acteurs-et-interactions",
        "esid-resultats",
    }
    return sorted((r, (LEVEL + level,) if r in element_based else ()) for r in requirements)


#: case -> profile -> the requirements it misses (empty: it qualifies), as the profiles' documentation predicts
EXPECTED = {
    # the two reference cases (the talk's slides)
    "graines-de-pays": {
        "entrepreneuriat-social": [],
        "entreprise-sociale": [
            *_gaps("en-cours", "entreprise-sociale-gouvernance-participative"),
            ("entreprise-sociale-porteur-collectif", ()),
        ],
        "esid": NO_NOVELTY,
        "institutionnaliste": [],
        "modernisation-politiques-publiques": [("modernisation-acteur-public", ())],
    },
    "initielles": {
        "entrepreneuriat-social": [("entrepreneuriat-social-ressources-marchandes", ())],
        "entreprise-sociale": [],
        "esid": NO_NOVELTY,
        "institutionnaliste": [],
        "modernisation-politiques-publiques": [("modernisation-acteur-public", ())],
    },
    # the fixture written to exercise every requirement: a form that qualifies under every profile, ESID included
    "profil-tout": {p: [] for p in ALL},
    "profil-entreprise": {
        "entrepreneuriat-social": [],
        "institutionnaliste": [],
        "esid": NO_NOVELTY,
        "entreprise-sociale": [("entreprise-sociale-porteur-collectif", ())],
        "modernisation-politiques-publiques": [("modernisation-acteur-public", ())],
    },
    "profil-en-cours": {
        "entrepreneuriat-social": _gaps(
            "en-cours",
            "entrepreneuriat-social-finalite-sociale",
            "entrepreneuriat-social-impacts-directs",
            "entrepreneuriat-social-ressources-marchandes",
        ),
        "entreprise-sociale": _gaps(
            "en-cours",
            "entreprise-sociale-finalite-sociale",
            "entreprise-sociale-gouvernance-participative",
            "entreprise-sociale-logique-de-service",
        ),
        "esid": NO_NOVELTY,
        "institutionnaliste": [],
        "modernisation-politiques-publiques": _gaps("en-cours", "modernisation-accessibilite", "modernisation-finalite-sociale"),
    },
    "profil-absent": {
        "entrepreneuriat-social": _gaps(
            "absent",
            "entrepreneuriat-social-finalite-sociale",
            "entrepreneuriat-social-impacts-directs",
            "entrepreneuriat-social-ressources-marchandes",
        ),
        "entreprise-sociale": _gaps(
            "absent",
            "entreprise-sociale-finalite-sociale",
            "entreprise-sociale-gouvernance-participative",
            "entreprise-sociale-logique-de-service",
        ),
        "esid": _gaps("absent", "esid-objectifs", "esid-acteurs-et-interactions", "esid-resultats", "esid-innovativite"),
        "institutionnaliste": _gaps("absent", *(f"institutionnaliste-{e}" for e in ELEMENTS)),
        "modernisation-politiques-publiques": _gaps(
            "absent", "modernisation-accessibilite", "modernisation-finalite-sociale", "modernisation-acteur-public"
        ),
    },
    "profil-non-renseigne": {
        "entrepreneuriat-social": _gaps(
            "non-renseigne", "entrepreneuriat-social-finalite-sociale", "entrepreneuriat-social-impacts-directs"
        ),
        "entreprise-sociale": _gaps(
            "non-renseigne",
            "entreprise-sociale-finalite-sociale",
            "entreprise-sociale-gouvernance-participative",
            "entreprise-sociale-logique-de-service",
            "entreprise-sociale-porteur-collectif",
        ),
        "esid": _gaps("non-renseigne", "esid-objectifs", "esid-acteurs-et-interactions", "esid-resultats", "esid-innovativite"),
        "institutionnaliste": _gaps("non-renseigne", *(f"institutionnaliste-{e}" for e in ELEMENTS)),
        "modernisation-politiques-publiques": _gaps(
            "non-renseigne", "modernisation-accessibilite", "modernisation-finalite-sociale"
        ),
    },
}


@pytest.fixture(scope="module")
def profile_store(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("profiles") / "store"
    shutil.copytree(built_store, path)
    result = run_cli("ingest", "--store", path, *sorted((FIXTURES / "profiles").glob("*.yaml")))
    assert result.code == 0, result.stderr
    return path


def _found(store_path: Path, method: str) -> dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]]:
    with connect(store_path, create=False) as store:
        result = classify(store, method=method)
    found: dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]] = {}
    for verdict in result.verdicts:
        found.setdefault(verdict.case.rsplit("/", 1)[-1], {})[verdict.profile.name] = sorted(
            (s.requirement.iri.rsplit("/", 1)[-1], s.found) for s in verdict.shortfalls
        )
    return found


@pytest.mark.reasoner
@pytest.mark.parametrize("method", ["hermit", "sparql"])
def test_every_case_gets_the_predicted_verdict_and_reasons(profile_store: Path, method: str) -> None:
    assert _found(profile_store, method) == EXPECTED


def test_every_profile_is_reached_by_a_case_written_as_a_form(profile_store: Path) -> None:
    """Each profile has form cases that qualify under it: the forms can say everything the
    profiles ask for (ESID's innovativeness through the form's "novelty")."""
    forms = {p.stem for p in (FIXTURES / "profiles").glob("*.yaml")}
    qualifying = {
        profile: sorted(
            case for case, verdicts in _found(profile_store, "sparql").items() if case in forms and verdicts[profile] == []
        )
        for profile in ALL
    }
    assert qualifying == {
        "entrepreneuriat-social": ["profil-entreprise", "profil-tout"],
        "entreprise-sociale": ["profil-tout"],
        "esid": ["profil-tout"],
        "institutionnaliste": ["profil-en-cours", "profil-entreprise", "profil-tout"],
        "modernisation-politiques-publiques": ["profil-tout"],
    }


@pytest.mark.slow
@pytest.mark.reasoner
def test_both_classifiers_agree_on_generated_cases(tmp_path: Path) -> None:
    cases = tmp_path / "cases.nq"
    with cases.open("wb") as out:
        write_cases(out, GENERATED, seed=7, defects=0.0, fmt="nquads")
    with EmbeddedStore(None) as store:
        build(store=store, reason=False)
        store.load(cases, ox.RdfFormat.N_QUADS)
        by_sparql = classify(store, method="sparql")
        by_hermit = classify(store, method="hermit")
    assert len(by_sparql.verdicts) == (GENERATED + 2) * 5
    assert [v.key() for v in by_hermit.verdicts] == [v.key() for v in by_sparql.verdicts]
    qualifying = {p: sum(v.qualifies for v in by_sparql.verdicts if v.profile.name == p) for p in ALL}
    # each profile tells cases apart (generated cases describe no novelty: none meets ESID's four criteria)
    assert all(0 < n < GENERATED for p, n in qualifying.items() if p != "esid") and qualifying["esid"] == 0, qualifying


@pytest.mark.reasoner
def test_the_main_job_prints_the_classification(built_store: Path) -> None:
    result = run_cli("build", "--store", built_store.parent / "again")
    assert result.code == 0, result.stderr
    assert "  classification under the definition profiles:\n" in result.stdout
    assert (
        "    case             Social entrepreneurship  Social enterprise (EMES)  ESID's four criteria"
        "  Institutionalist approach  Modernisation of public policy\n"
        "    Graines de Pays  yes                      no                        no                    yes"
        "                        no\n"
        "    Initi'elles      no                       yes                       no                    yes"
        "                        no\n"
    ) in result.stdout
    assert (
        "      Graines de Pays — Social enterprise (EMES):\n"
        "        - Broad and participatory governance: present (found: in progress)\n"
        "        - Carrier: association or cooperative\n"
    ) in result.stdout


@pytest.mark.slow
@pytest.mark.reasoner
def test_classify_command_formats_and_inferences_graph(profile_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(profile_store, store)
    result = run_cli("classify", "--store", store, "--format", "json")
    assert result.code == 0, result.stderr
    verdicts = json.loads(result.stdout)
    assert len(verdicts) == 7 * 5
    entry = next(v for v in verdicts if v["case"].endswith("/graines-de-pays") and v["profile"] == "entreprise-sociale")
    assert entry == {
        "case": "https://w3id.org/isgraph/id/initiative/graines-de-pays",
        "label": "Graines de Pays",
        "profile": "entreprise-sociale",
        "qualifies": False,
        "missing": [
            {
                "requirement": "https://w3id.org/isgraph/requirement/entreprise-sociale-gouvernance-participative",
                "label": "Broad and participatory governance: present",
                "element": "https://w3id.org/isgraph/grid/gouvernance-participative",
                "elements": ["https://w3id.org/isgraph/grid/gouvernance-participative"],
                "level_found": [LEVEL + "en-cours"],
                "level_needed": [LEVEL + "present"],
                "kinds_needed": [],
            },
            {
                "requirement": "https://w3id.org/isgraph/requirement/entreprise-sociale-porteur-collectif",
                "label": "Carrier: association or cooperative",
                "element": None,
                "elements": [],
                "level_found": [],
                "level_needed": [],
                "kinds_needed": [
                    "https://w3id.org/isgraph/ontology#Association",
                    "https://w3id.org/isgraph/ontology#Cooperative",
                ],
            },
        ],
    }
    with connect(store, create=False) as s:
        inferred = [q for q in s.quads() if q.graph_name == ox.NamedNode(INFERENCES)]
        assert (
            ox.Quad(
                ox.NamedNode("https://w3id.org/isgraph/id/initiative/profil-tout"),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/isgraph/profile/institutionnaliste"),
                ox.NamedNode(INFERENCES),
            )
            in inferred
        )
        in_cases = [
            q
            for q in s.quads()
            if q.graph_name.value.startswith("https://w3id.org/isgraph/graph/case/")
            and q.predicate.value.startswith("https://w3id.org/isgraph/ontology#verdict")
        ]
        assert in_cases == []
    csv = run_cli("classify", "--store", store, "--profile", "institutionnaliste", "--format", "csv").stdout.splitlines()
    assert csv[0] == "case,label,profile,qualifies,missing"
    assert len(csv) == 1 + 7
    assert (
        "https://w3id.org/isgraph/id/initiative/profil-en-cours,Profil en cours (fictif),institutionnaliste,true,"
        in "\n".join(csv)
    )
    turtle = run_cli("classify", "--store", store, "--format", "turtle").stdout
    assert len(list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))) > 100
    french = run_cli("classify", "--store", store, "--lang", "fr", "--profile", "entreprise-sociale").stdout
    assert "  - Gouvernance élargie et participative : présent (trouvé : en cours)\n" in french
    unknown = run_cli("classify", "--store", store, "--profile", "emes")
    assert unknown.code == 2 and unknown.stderr.startswith('isgraph: unknown profile "emes" (profiles: ')


@pytest.mark.reasoner
def test_inconsistent_data_is_refused_and_nothing_changes(built_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    with EmbeddedStore(store) as s:
        s.add(
            "https://w3id.org/isgraph/graph/case/initielles",
            [
                ox.Triple(
                    ox.NamedNode("https://w3id.org/isgraph/id/actor/association-initielles"),
                    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode("https://w3id.org/isgraph/ontology#Company"),
                )
            ],
        )
    before = dump_nquads(store)
    result = run_cli("classify", "--store", store, "--method", "hermit")
    assert (result.code, result.stderr) == (
        1,
        (
            "isgraph: the ontology with the data is inconsistent (HermiT); nothing was written; "
            "caused by: <https://w3id.org/isgraph/graph/case/initielles>; "
            "<https://w3id.org/isgraph/id/actor/association-initielles> is both "
            "<https://w3id.org/isgraph/ontology#Association> and <https://w3id.org/isgraph/ontology#Company>, "
            "which are disjoint\n"
        ),
    )
    assert dump_nquads(store) == before


def test_without_java_a_clear_message_and_exit_2(built_store: Path) -> None:
    result = run_cli("classify", "--store", built_store, "--method", "hermit", env={"ISGRAPH_JAVA": "/nonexistent/java"})
    assert result.code == 2
    assert result.stderr.startswith("isgraph: Java not found: the HermiT reasoner needs it.")
    assert result.stderr.count("\n") == 1


def test_ingest_and_remove_keep_the_stored_verdicts_up_to_date(profile_store: Path, tmp_path: Path) -> None:
    """Once "isgraph classify" has stored verdicts made from the views, an ingest or a removal
    classifies the changed cases again: the stored verdicts are never out of date."""
    store = tmp_path / "store"
    shutil.copytree(profile_store, store)
    assert run_cli("classify", "--store", store, "--method", "sparql").code == 0
    bravo = FIXTURES / "catalogue" / "bravo.yaml"
    for command in (("ingest", "--store", store, bravo), ("remove", "--store", store, "fixture-bravo")):
        assert run_cli(*command).code == 0
        with connect(store, create=False) as s:
            assert outdated_since(s) is None
            stored = {q.triple for q in s.quads() if q.graph_name == ox.NamedNode(INFERENCES)}
            expected = classify_with_scans(s, load_profiles(s))
            assert stored == set(inference_triples(expected))
            assert (ID["initiative/fixture-bravo"] in {v.case for v in expected.verdicts}) == (command[0] == "ingest")
