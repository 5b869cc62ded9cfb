"""The reference file of French régions and départements (INSEE COG)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from isgraph.namespaces import sparql_prefixes
from isgraph.rdf.parsing import read_triples

from .conftest import ROOT


@pytest.fixture(scope="module")
def territories() -> ox.Store:
    triples, _ = read_triples(ROOT / "data" / "territories" / "france.ttl", shown_as="france.ttl", bnode_prefix="t")
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    solutions = store.query(sparql_prefixes() + query)
    return sorted(tuple(r[v.value].value for v in solutions.variables) for r in solutions)


def test_counts(territories: ox.Store) -> None:
    assert rows(
        territories,
        """
        SELECT (COUNT(?d) AS ?n) WHERE { ?d a isg:Departement }""",
    ) == [("101",)]
    assert rows(
        territories,
        """
        SELECT (COUNT(?r) AS ?n) WHERE { ?r a isg:Region FILTER NOT EXISTS { ?r isg:endDate ?e } }""",
    ) == [("18",)]
    assert rows(
        territories,
        """
        SELECT (COUNT(?r) AS ?n) WHERE { ?r a isg:Region ; isg:endDate "2015-12-31"^^xsd:date }""",
    ) == [("16",)]


def test_codes_match_the_insee_patterns(territories: ox.Store) -> None:
    for kind, pattern in (("Departement", r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$"), ("Region", r"^\d\d$")):
        codes = [c for (c,) in rows(territories, f"SELECT ?c WHERE {{ ?t a isg:{kind} ; isg:inseeCode ?c }}")]
        assert codes and all(re.match(pattern, c) for c in codes), kind
        assert len(codes) == len(set(codes))


def test_every_departement_is_in_one_current_region_and_keeps_its_former_one(territories: ox.Store) -> None:
    assert (
        rows(
            territories,
            """
        SELECT ?d WHERE { ?d a isg:Departement .
            FILTER NOT EXISTS { ?d isg:within ?r . ?r a isg:Region FILTER NOT EXISTS { ?r isg:endDate ?e } } }""",
        )
        == []
    )
    assert (
        rows(
            territories,
            """
        SELECT ?d WHERE { ?d isg:within ?r1 , ?r2 FILTER (?r1 != ?r2) }""",
        )
        == []
    )
    # a former région's départements all went to the région that replaced it
    assert (
        rows(
            territories,
            """
        SELECT ?d WHERE { ?d isg:formerlyWithin ?old ; isg:within ?new . FILTER NOT EXISTS { ?old isg:replacedBy ?new } }""",
        )
        == []
    )


@pytest.mark.parametrize(
    ("region", "departements"),
    [
        ("32", ["02", "59", "60", "62", "80"]),
        ("44", ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"]),
        ("94", ["2A", "2B"]),
        ("11", ["75", "77", "78", "91", "92", "93", "94", "95"]),
        ("06", ["976"]),
    ],
)
def test_departements_of_a_region(territories: ox.Store, region: str, departements: list[str]) -> None:
    assert [
        d
        for (d,) in rows(
            territories,
            f"""
        SELECT ?code WHERE {{ ?d isg:within/isg:inseeCode "{region}" ; isg:inseeCode ?code }}""",
        )
    ] == departements


def test_the_2016_mergers(territories: ox.Store) -> None:
    assert rows(
        territories,
        """
        SELECT ?old ?new WHERE { ?o isg:replacedBy ?n . ?o rdfs:label ?old . ?n rdfs:label ?new .
                                 FILTER (LANG(?old) = "fr" && LANG(?new) = "fr") }""",
    ) == sorted(
        [
            ("Alsace", "Grand Est"),
            ("Champagne-Ardenne", "Grand Est"),
            ("Lorraine", "Grand Est"),
            ("Aquitaine", "Nouvelle-Aquitaine"),
            ("Limousin", "Nouvelle-Aquitaine"),
            ("Poitou-Charentes", "Nouvelle-Aquitaine"),
            ("Auvergne", "Auvergne-Rhône-Alpes"),
            ("Rhône-Alpes", "Auvergne-Rhône-Alpes"),
            ("Bourgogne", "Bourgogne-Franche-Comté"),
            ("Franche-Comté", "Bourgogne-Franche-Comté"),
            ("Basse-Normandie", "Normandie"),
            ("Haute-Normandie", "Normandie"),
            ("Languedoc-Roussillon", "Occitanie"),
            ("Midi-Pyrénées", "Occitanie"),
            ("Nord-Pas-de-Calais", "Hauts-de-France"),
            ("Picardie", "Hauts-de-France"),
        ]
    )
