"""The query catalogue: every header parses, every term exists, every query gives
exactly the expected rows over the reference cases plus the invented cases of
fixtures/catalogue (three cases built so that each question has an answer);
parameters are typed and cannot inject SPARQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from isgraph.errors import InputError
from isgraph.namespaces import OWN_TERM_NAMESPACES
from isgraph.query import catalogue
from isgraph.query.results import compact
from isgraph.store import connect

from .conftest import ROOT, dump_nquads, run_cli

#: Columns that concatenate several values (GROUP_CONCAT): their order is not part of the answer.
LISTS = {"roles", "mix", "elements"}

EXPECTED = {
    "actor-pairs": [
        ("id:actor/fixture/atelier", "id:actor/fixture/ville", "2"),
        ("id:actor/association-initielles", "id:actor/initielles/ambassadrices", "1"),
        ("id:actor/association-initielles", "id:actor/initielles/habitants-du-quartier", "1"),
        ("id:actor/fixture/asso-alpha", "id:actor/fixture/atelier", "1"),
        ("id:actor/fixture/asso-alpha", "id:actor/fixture/habitants-alpha", "1"),
        ("id:actor/fixture/asso-alpha", "id:actor/fixture/ville", "1"),
        ("id:actor/fixture/atelier", "id:actor/fixture/coop-bravo", "1"),
        ("id:actor/fixture/atelier", "id:actor/fixture/habitants-alpha", "1"),
        ("id:actor/fixture/coop-bravo", "id:actor/fixture/ville", "1"),
        ("id:actor/fixture/habitants-alpha", "id:actor/fixture/ville", "1"),
        ("id:actor/graines-de-pays", "id:actor/graines-de-pays/champ-medical", "1"),
        ("id:actor/graines-de-pays", "id:actor/graines-de-pays/champ-social", "1"),
        ("id:actor/graines-de-pays", "id:actor/graines-de-pays/chercheurs", "1"),
        ("id:actor/graines-de-pays", "id:actor/graines-de-pays/concepteurs", "1"),
        ("id:actor/graines-de-pays", "id:actor/graines-de-pays/habitants", "1"),
        ("id:actor/graines-de-pays/champ-medical", "id:actor/graines-de-pays/champ-social", "1"),
        ("id:actor/graines-de-pays/champ-medical", "id:actor/graines-de-pays/chercheurs", "1"),
        ("id:actor/graines-de-pays/champ-medical", "id:actor/graines-de-pays/concepteurs", "1"),
        ("id:actor/graines-de-pays/champ-medical", "id:actor/graines-de-pays/habitants", "1"),
        ("id:actor/graines-de-pays/champ-social", "id:actor/graines-de-pays/chercheurs", "1"),
        ("id:actor/graines-de-pays/champ-social", "id:actor/graines-de-pays/concepteurs", "1"),
        ("id:actor/graines-de-pays/champ-social", "id:actor/graines-de-pays/habitants", "1"),
        ("id:actor/graines-de-pays/chercheurs", "id:actor/graines-de-pays/concepteurs", "1"),
        ("id:actor/graines-de-pays/chercheurs", "id:actor/graines-de-pays/habitants", "1"),
        ("id:actor/graines-de-pays/concepteurs", "id:actor/graines-de-pays/habitants", "1"),
        ("id:actor/initielles/ambassadrices", "id:actor/initielles/habitants-du-quartier", "1"),
    ],
    # the invented workshop's accounts (fixtures/catalogue/alpha.ttl), each year against the one before
    "actor-figures": [
        ("id:actor/fixture/atelier", "Atelier fictif SARL", "2022-12-31", "81000", "EUR", "12", "3", "", ""),
        ("id:actor/fixture/atelier", "Atelier fictif SARL", "2023-12-31", "92500", "EUR", "15", "4", "11500", "3"),
        ("id:actor/fixture/atelier", "Atelier fictif SARL", "2024-12-31", "90000", "EUR", "", "", "-2500", ""),
    ],
    "actors-by-territory": [
        ("id:territory/country/FR", "12"),
        ("id:territory/region/32", "12"),
        ("id:territory/departement/60", "6"),
        ("id:territory/commune/80021", "5"),
        ("id:territory/departement/80", "5"),
        ("id:territory/epci/248000531", "5"),
        ("id:territory/departement/02", "1"),
        ("id:territory/quartier/80021-etouvie", "1"),
    ],
    "actors-in-several-initiatives": [
        ("id:actor/fixture/atelier", "Atelier fictif SARL", "2", "financeur, coproducteur"),
        ("id:actor/fixture/ville", "Ville fictive", "2", "financeur, partenaire, diffuseur"),
    ],
    "carrier-kinds": [
        ("isg:Association", "association", "2"),
        ("isg:Company", "entreprise de l'économie dite « classique »", "1"),
        ("isg:Cooperative", "coopérative", "1"),
        ("isg:Organisation", "organisation", "1"),
    ],
    "case-overview": [
        (
            "id:territory/quartier/80021-etouvie",
            "id:actor/initielles/habitants-du-quartier",
            "habitants du quartier",
            "role:beneficiaire",
        ),
        (
            "id:territory/quartier/80021-etouvie",
            "id:actor/initielles/ambassadrices",
            "les ambassadrices",
            "role:membre-gouvernance",
        ),
        ("id:territory/quartier/80021-etouvie", "id:actor/association-initielles", "Association Initi'elles", "role:porteur"),
    ],
    "civil-society-beyond-use": [
        ("id:actor/fixture/asso-alpha", "isg:Association", "id:initiative/fixture-alpha", "role:porteur"),
        ("id:actor/fixture/habitants-alpha", "isg:InformalGroup", "id:initiative/fixture-alpha", "role:membre-gouvernance"),
        ("id:actor/graines-de-pays/champ-medical", "isg:InformalGroup", "id:initiative/graines-de-pays", "role:acteur-mobilise"),
        ("id:actor/graines-de-pays/champ-social", "isg:InformalGroup", "id:initiative/graines-de-pays", "role:acteur-mobilise"),
        ("id:actor/graines-de-pays/chercheurs", "isg:InformalGroup", "id:initiative/graines-de-pays", "role:acteur-mobilise"),
        ("id:actor/graines-de-pays/concepteurs", "isg:InformalGroup", "id:initiative/graines-de-pays", "role:acteur-mobilise"),
        ("id:actor/graines-de-pays/habitants", "isg:InformalGroup", "id:initiative/graines-de-pays", "role:acteur-mobilise"),
        ("id:actor/association-initielles", "isg:Association", "id:initiative/initielles", "role:porteur"),
        ("id:actor/initielles/ambassadrices", "isg:InformalGroup", "id:initiative/initielles", "role:membre-gouvernance"),
    ],
    "classic-businesses": [
        ("id:initiative/fixture-alpha", "id:actor/fixture/atelier", "role:coproducteur"),
        ("id:initiative/fixture-bravo", "id:actor/fixture/atelier", "role:financeur"),
        ("id:initiative/fixture-charlie", "id:actor/fixture/solo", "role:porteur"),
    ],
    "compare-cases": [
        (
            "grid:accessibilite",
            "Accessibilité",
            "level:present",
            "par la mobilisation des réseaux de sociabilité",
            "level:present",
            "aux usages en incluant le plus en amont possible le bénéficiaire",
        ),
        (
            "grid:ancrage-territorial",
            "Ancrage territorial",
            "level:present",
            "mobilisation de tous les réseaux : coproduction, bénéficiaires : habitants du quartier",
            "level:present",
            "habitants, concepteurs, chercheurs, champ médical, social, etc.",
        ),
        (
            "grid:aspiration-sociale",
            "Aspiration sociale",
            "level:present",
            "améliorer les pratiques de santé par une logique ascendante",
            "level:present",
            "améliorer la création et la formation aux outils numériques par une logique ascendante",
        ),
        (
            "grid:changement-social",
            "Changement social",
            "level:present",
            "évolution des pratiques de santé des acteurs mobilisés autour du projet, etc.",
            "level:present",
            "évolution des pratiques des concepteurs, etc.",
        ),
        (
            "grid:finalite-sociale",
            "Finalité sociale",
            "level:present",
            "accessibilité au dépistage du cancer du sein sur le quartier d'Etouvie (Amiens)",
            "level:present",
            "accessibilité aux usages du numérique",
        ),
        (
            "grid:gouvernance-participative",
            "Gouvernance élargie et participative (empowerment)",
            "level:present",
            "organisée en 5 comités comprenant les ambassadrices (autonomes dans leurs activités)",
            "level:en-cours",
            "En construction ...",
        ),
        (
            "grid:impacts-directs",
            "Impacts directs",
            "level:present",
            "montée en compétences et connaissances, mammographies effectuées, renforcement du lien social, etc.",
            "level:present",
            "montée en compétences et connaissances, développement de projets etc.",
        ),
        (
            "grid:logique-de-service",
            "Logique de service",
            "level:present",
            "l'activité artistique (théâtre) comme support de sensibilisation",
            "level:present",
            "Le numérique est un support d'apprentissage et de socialisation",
        ),
        (
            "grid:modele-economique-pluriel",
            "Modèle économique pluriel",
            "level:present",
            "mixité des ressources : non marchandes et réciprocaires",
            "level:present",
            "hybridation des ressources : réciprocité, redistribution et prestations",
        ),
    ],
    "diffusion-modes": [
        (
            "id:initiative/fixture-alpha",
            "diffusion:essaimage",
            "par essaimage",
            "id:actor/fixture/ville",
            "id:territory/departement/60",
        ),
    ],
    "elements-to-follow": [
        ("id:initiative/fixture-alpha", "grid:changement-social", "Changement social", "level:absent"),
        ("id:initiative/fixture-alpha", "grid:impacts-directs", "Impacts directs", "level:en-cours"),
        (
            "id:initiative/fixture-bravo",
            "grid:gouvernance-participative",
            "Gouvernance élargie et participative (empowerment)",
            "level:non-renseigne",
        ),
        ("id:initiative/fixture-bravo", "grid:modele-economique-pluriel", "Modèle économique pluriel", "level:absent"),
        (
            "id:initiative/fixture-charlie",
            "grid:gouvernance-participative",
            "Gouvernance élargie et participative (empowerment)",
            "level:absent",
        ),
        ("id:initiative/fixture-charlie", "grid:modele-economique-pluriel", "Modèle économique pluriel", "level:en-cours"),
        (
            "id:initiative/graines-de-pays",
            "grid:gouvernance-participative",
            "Gouvernance élargie et participative (empowerment)",
            "level:en-cours",
        ),
    ],
    "grid-coverage-per-case": [
        ("id:initiative/fixture-alpha", "7", "1", "1", "0"),
        ("id:initiative/fixture-bravo", "7", "0", "1", "1"),
        # charlie's latest characterisation (2024), not its first
        ("id:initiative/fixture-charlie", "7", "1", "1", "0"),
        ("id:initiative/graines-de-pays", "8", "1", "0", "0"),
        ("id:initiative/initielles", "9", "0", "0", "0"),
    ],
    "grid-coverage-per-territory": [
        ("id:territory/departement/02", "grid:accessibilite", "1", "1"),
        ("id:territory/departement/02", "grid:ancrage-territorial", "1", "1"),
        ("id:territory/departement/02", "grid:aspiration-sociale", "1", "1"),
        ("id:territory/departement/02", "grid:changement-social", "1", "1"),
        ("id:territory/departement/02", "grid:finalite-sociale", "1", "1"),
        ("id:territory/departement/02", "grid:gouvernance-participative", "1", "0"),
        ("id:territory/departement/02", "grid:impacts-directs", "1", "1"),
        ("id:territory/departement/02", "grid:logique-de-service", "1", "1"),
        ("id:territory/departement/02", "grid:modele-economique-pluriel", "1", "0"),
        ("id:territory/departement/60", "grid:accessibilite", "2", "2"),
        ("id:territory/departement/60", "grid:ancrage-territorial", "2", "2"),
        ("id:territory/departement/60", "grid:aspiration-sociale", "2", "2"),
        ("id:territory/departement/60", "grid:changement-social", "2", "2"),
        ("id:territory/departement/60", "grid:finalite-sociale", "2", "2"),
        ("id:territory/departement/60", "grid:gouvernance-participative", "2", "0"),
        ("id:territory/departement/60", "grid:impacts-directs", "2", "2"),
        ("id:territory/departement/60", "grid:logique-de-service", "2", "2"),
        ("id:territory/departement/60", "grid:modele-economique-pluriel", "2", "1"),
        ("id:territory/departement/80", "grid:accessibilite", "2", "2"),
        ("id:territory/departement/80", "grid:ancrage-territorial", "2", "2"),
        ("id:territory/departement/80", "grid:aspiration-sociale", "2", "2"),
        ("id:territory/departement/80", "grid:changement-social", "2", "1"),
        ("id:territory/departement/80", "grid:finalite-sociale", "2", "2"),
        ("id:territory/departement/80", "grid:gouvernance-participative", "2", "2"),
        ("id:territory/departement/80", "grid:impacts-directs", "2", "1"),
        ("id:territory/departement/80", "grid:logique-de-service", "2", "2"),
        ("id:territory/departement/80", "grid:modele-economique-pluriel", "2", "2"),
    ],
    "initiatives-in-territory": [
        ("id:initiative/fixture-alpha", "Alpha (fictif)", "id:territory/commune/80021", "Amiens"),
        ("id:initiative/fixture-bravo", "Bravo (fictif)", "id:territory/departement/60", "Oise"),
        ("id:initiative/fixture-charlie", "Charlie (fictif)", "id:territory/departement/02", "Aisne"),
        ("id:initiative/graines-de-pays", "Graines de Pays", "id:territory/departement/60", "Oise"),
        ("id:initiative/initielles", "Initi'elles", "id:territory/quartier/80021-etouvie", "Etouvie"),
    ],
    "initiatives-per-territory": [
        ("id:territory/region/22", "Picardie", "isg:Region", "5"),
        ("id:territory/region/32", "Hauts-de-France", "isg:Region", "5"),
        ("id:territory/commune/80021", "Amiens", "isg:Commune", "2"),
        ("id:territory/departement/60", "Oise", "isg:Departement", "2"),
        ("id:territory/departement/80", "Somme", "isg:Departement", "2"),
        ("id:territory/departement/02", "Aisne", "isg:Departement", "1"),
        ("id:territory/quartier/80021-etouvie", "Etouvie", "isg:Quartier", "1"),
    ],
    "lessons-and-misconceptions": [
        ("lesson:collectivites-diffusion", "isg:Lesson", "Les collectivités et la diffusion"),
        ("lesson:diffusion-hors-marche", "isg:Lesson", "Une diffusion qui ne repose pas sur le marché"),
        ("lesson:economie-plurielle", "isg:Lesson", "Une économie plurielle"),
        ("lesson:processus-et-resultat", "isg:Lesson", "Le processus autant que le résultat"),
        ("lesson:societe-civile", "isg:Lesson", "La société civile au-delà de l'usage"),
        ("lesson:tout-acteur-economique", "isg:Lesson", "Tout type d'acteur économique"),
        ("misconception:antinomie-technologique", "isg:Misconception", "Innovation sociale contre innovation technologique"),
        ("misconception:collectivites-financeurs", "isg:Misconception", "Les collectivités, simples financeurs"),
        ("misconception:economie-classique", "isg:Misconception", "Pas les structures de l'économie « classique »"),
        ("misconception:nouveaute", "isg:Misconception", "La nouveauté avant tout"),
        ("misconception:secteur", "isg:Misconception", "Un secteur à part entière"),
        ("misconception:structure-seule", "isg:Misconception", "Une structure seule"),
    ],
    # the invented case charlie, characterised again in 2024
    "level-changes": [
        (
            "id:initiative/fixture-charlie",
            "grid:accessibilite",
            "Accessibilité",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:present",
            "false",
        ),
        (
            "id:initiative/fixture-charlie",
            "grid:ancrage-territorial",
            "Ancrage territorial",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:present",
            "false",
        ),
        (
            "id:initiative/fixture-charlie",
            "grid:aspiration-sociale",
            "Aspiration sociale",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:present",
            "false",
        ),
        (
            "id:initiative/fixture-charlie",
            "grid:changement-social",
            "Changement social",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:present",
            "false",
        ),
        (
            "id:initiative/fixture-charlie",
            "grid:finalite-sociale",
            "Finalité sociale",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:present",
            "false",
        ),
        (
            "id:initiative/fixture-charlie",
            "grid:gouvernance-participative",
            "Gouvernance élargie et participative (empowerment)",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:absent",
            "true",
        ),
        (
            "id:initiative/fixture-charlie",
            "grid:impacts-directs",
            "Impacts directs",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:present",
            "false",
        ),
        (
            "id:initiative/fixture-charlie",
            "grid:logique-de-service",
            "Logique de service",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:present",
            "false",
        ),
        (
            "id:initiative/fixture-charlie",
            "grid:modele-economique-pluriel",
            "Modèle économique pluriel",
            "2020-01-01",
            "level:present",
            "2024-06-01",
            "level:en-cours",
            "true",
        ),
    ],
    "plural-economic-model": [
        ("id:initiative/fixture-alpha", "2", "level:present"),
        ("id:initiative/graines-de-pays", "3", "level:present"),
        ("id:initiative/initielles", "2", "level:present"),
    ],
    "principles-per-initiative": [
        ("id:initiative/graines-de-pays", "Graines de Pays", "3", "marche, redistribution, reciprocite"),
        ("id:initiative/fixture-alpha", "Alpha (fictif)", "2", "redistribution, marche"),
        ("id:initiative/initielles", "Initi'elles", "2", "redistribution, reciprocite"),
        ("id:initiative/fixture-bravo", "Bravo (fictif)", "1", "reciprocite"),
        ("id:initiative/fixture-charlie", "Charlie (fictif)", "1", "marche"),
    ],
    "principles-per-territory": [
        ("id:territory/departement/02", "Aisne", "principle:marche", "1"),
        ("id:territory/departement/60", "Oise", "principle:marche", "1"),
        ("id:territory/departement/60", "Oise", "principle:reciprocite", "2"),
        ("id:territory/departement/60", "Oise", "principle:redistribution", "1"),
        ("id:territory/departement/80", "Somme", "principle:marche", "1"),
        ("id:territory/departement/80", "Somme", "principle:reciprocite", "1"),
        ("id:territory/departement/80", "Somme", "principle:redistribution", "2"),
    ],
    "public-bodies-beyond-funding": [
        ("id:actor/fixture/ville", "id:initiative/fixture-alpha", "role:partenaire"),
        ("id:actor/fixture/ville", "id:initiative/fixture-bravo", "role:diffuseur"),
    ],
    "roles-per-initiative": [
        ("id:initiative/fixture-alpha", "role:coproducteur", "1"),
        ("id:initiative/fixture-alpha", "role:financeur", "1"),
        ("id:initiative/fixture-alpha", "role:membre-gouvernance", "1"),
        ("id:initiative/fixture-alpha", "role:partenaire", "1"),
        ("id:initiative/fixture-alpha", "role:porteur", "1"),
        ("id:initiative/fixture-bravo", "role:diffuseur", "1"),
        ("id:initiative/fixture-bravo", "role:financeur", "1"),
        ("id:initiative/fixture-bravo", "role:porteur", "1"),
        ("id:initiative/fixture-charlie", "role:porteur", "1"),
        ("id:initiative/graines-de-pays", "role:acteur-mobilise", "5"),
        ("id:initiative/graines-de-pays", "role:porteur", "1"),
        ("id:initiative/initielles", "role:beneficiaire", "1"),
        ("id:initiative/initielles", "role:membre-gouvernance", "1"),
        ("id:initiative/initielles", "role:porteur", "1"),
    ],
    "search-labels": [
        (
            "id:initiative/initielles",
            "dcterms:title",
            "Community health project of the Initi'elles association, Etouvie (Amiens)",
        ),
        ("id:initiative/initielles", "dcterms:title", "Projet de santé communautaire Association Initi'elles Etouvie (Amiens)"),
        ("id:territory/commune/80003", "rdfs:label", "Acheux-en-Amiénois"),
        ("id:territory/commune/80021", "rdfs:label", "Amiens"),
        ("id:territory/commune/80165", "rdfs:label", "Camps-en-Amiénois"),
        ("id:territory/commune/80256", "rdfs:label", "Dreuil-lès-Amiens"),
        ("id:territory/commune/80696", "rdfs:label", "Sains-en-Amiénois"),
        ("id:territory/commune/80782", "rdfs:label", "Vaux-en-Amiénois"),
        ("id:territory/epci/248000531", "rdfs:label", "CA Amiens Métropole"),
    ],
    "search-statements": [
        ("id:initiative/initielles", "grid:aspiration-sociale", "améliorer les pratiques de santé par une logique ascendante"),
        (
            "id:initiative/initielles",
            "grid:changement-social",
            "évolution des pratiques de santé des acteurs mobilisés autour du projet, etc.",
        ),
    ],
    "single-actor-cases": [
        ("id:initiative/fixture-charlie", "1"),
    ],
    "who-funds-what": [
        ("id:actor/fixture/atelier", "id:initiative/fixture-alpha", "resource", "principle:marche", ""),
        ("id:actor/fixture/atelier", "id:initiative/fixture-bravo", "role", "", ""),
        ("id:actor/fixture/solo", "id:initiative/fixture-charlie", "resource", "principle:marche", ""),
        ("id:actor/fixture/ville", "id:initiative/fixture-alpha", "resource", "principle:redistribution", ""),
        ("id:actor/fixture/ville", "id:initiative/fixture-alpha", "role", "", ""),
    ],
    "qualifies-under-one-not-another": [
        (
            "id:initiative/fixture-alpha",
            "Alpha (fictif)",
            "requirement:entrepreneuriat-social-impacts-directs",
            "Impacts directs : présent",
            "level:en-cours",
        ),
        (
            "id:initiative/initielles",
            "Initi'elles",
            "requirement:entrepreneuriat-social-ressources-marchandes",
            "Ressources marchandes",
            "",
        ),
    ],
    "esid-criteria": [
        ("id:initiative/fixture-alpha", "esid:acteurs-et-interactions", "true", "gouvernance-participative"),
        ("id:initiative/fixture-alpha", "esid:innovativite", "true", ""),
        ("id:initiative/fixture-alpha", "esid:objectifs", "true", "finalite-sociale"),
        ("id:initiative/fixture-alpha", "esid:resultats", "true", "impacts-directs, logique-de-service"),
        ("id:initiative/fixture-bravo", "esid:acteurs-et-interactions", "false", ""),
        ("id:initiative/fixture-bravo", "esid:innovativite", "false", ""),
        ("id:initiative/fixture-bravo", "esid:objectifs", "true", "finalite-sociale"),
        ("id:initiative/fixture-bravo", "esid:resultats", "true", "changement-social, impacts-directs, logique-de-service"),
        ("id:initiative/fixture-charlie", "esid:acteurs-et-interactions", "true", "gouvernance-participative"),
        ("id:initiative/fixture-charlie", "esid:innovativite", "false", ""),
        ("id:initiative/fixture-charlie", "esid:objectifs", "true", "finalite-sociale"),
        ("id:initiative/fixture-charlie", "esid:resultats", "true", "changement-social, impacts-directs, logique-de-service"),
        ("id:initiative/graines-de-pays", "esid:acteurs-et-interactions", "true", "gouvernance-participative"),
        ("id:initiative/graines-de-pays", "esid:innovativite", "false", ""),
        ("id:initiative/graines-de-pays", "esid:objectifs", "true", "finalite-sociale"),
        ("id:initiative/graines-de-pays", "esid:resultats", "true", "changement-social, impacts-directs, logique-de-service"),
        ("id:initiative/initielles", "esid:acteurs-et-interactions", "true", "gouvernance-participative"),
        ("id:initiative/initielles", "esid:innovativite", "false", ""),
        ("id:initiative/initielles", "esid:objectifs", "true", "finalite-sociale"),
        ("id:initiative/initielles", "esid:resultats", "true", "changement-social, impacts-directs, logique-de-service"),
    ],
}


def _rows(store_path: Path, name: str, values: dict[str, str] | None = None) -> list[tuple[str, ...]]:
    """The rows as the command line and the server give them (label columns filled)."""
    with connect(store_path, create=False) as store:
        names, rows = catalogue.answer(store, catalogue.find(name), values).table()
        return [tuple(_normal(n, compact(term)) for n, term in zip(names, row, strict=True)) for row in rows]


def _normal(column: str, value: str) -> str:
    return ", ".join(sorted(value.split(", "))) if column in LISTS else value


def test_the_catalogue_has_at_least_twenty_questions_each_with_a_bilingual_header() -> None:
    queries = catalogue.load_catalogue()
    assert len(queries) >= 20
    assert sorted(q.name for q in queries) == sorted(EXPECTED)
    for q in queries:
        assert (q.title.fr and q.title.en and q.title.fr != q.title.en) or q.name == "lessons-and-misconceptions"
        assert q.description.fr and q.description.en
        assert q.tags


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_query_gives_exactly_the_expected_rows(catalogue_store: Path, name: str) -> None:
    expected = [tuple(_normal(c, v) for c, v in zip(_columns(catalogue_store, name), row, strict=True)) for row in EXPECTED[name]]
    assert _rows(catalogue_store, name) == expected


def _columns(store_path: Path, name: str) -> list[str]:
    with connect(store_path, create=False) as store:
        return [v.value for v in catalogue.run(store, catalogue.find(name)).variables]


def test_every_term_a_query_uses_exists_in_the_ontology(built_store: Path) -> None:
    with connect(built_store, create=False) as store:
        declared = {
            r["s"].value
            for r in store.query(  # type: ignore[union-attr]
                "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?t } FILTER (STRSTARTS(STR(?g), 'https://w3id.org/isgraph/graph/ontology/')) }"
            )
        }
    for query in catalogue.load_catalogue():
        prefixes = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", query.sparql))
        used = {prefixes[p] + local for p, local in re.findall(r"(?<![\w<?$])(\w+):([\w-]+)", query.sparql) if p in prefixes}
        used |= set(re.findall(r"<(https://w3id\.org/isgraph/[^>]*)>", query.sparql)) - set(prefixes.values())
        own = {t for t in used if t.startswith(OWN_TERM_NAMESPACES)}
        searches_texts_only = any(p.type == "search" for p in query.params) and "GRAPH" not in query.sparql
        assert own or searches_texts_only, query.name  # a search of every name reads standard properties alone
        assert own <= declared, (query.name, sorted(own - declared))
        for tested in (query.lesson, query.misconception):
            assert tested is None or tested in declared, (query.name, tested)


def test_parameters_change_the_answer(catalogue_store: Path) -> None:
    assert _rows(catalogue_store, "initiatives-in-territory", {"territory": "id:territory/departement/60"}) == [
        ("id:initiative/fixture-bravo", "Bravo (fictif)", "id:territory/departement/60", "Oise"),
        ("id:initiative/graines-de-pays", "Graines de Pays", "id:territory/departement/60", "Oise"),
    ]
    # the former région Picardie holds the same initiatives as Hauts-de-France here
    assert _rows(catalogue_store, "initiatives-in-territory", {"territory": "id:territory/region/22"}) == _rows(
        catalogue_store, "initiatives-in-territory"
    )
    assert (
        _rows(
            catalogue_store,
            "initiatives-in-territory",
            {"territory": "https://w3id.org/isgraph/id/territory/region/11", "lang": "en"},
        )
        == []
    )
    assert _rows(catalogue_store, "search-statements", {"text": "ÉTOUVIE"}) == [
        ("id:initiative/fixture-alpha", "grid:finalite-sociale", "Épicerie solidaire à ÉTOUVIE"),
        (
            "id:initiative/initielles",
            "grid:finalite-sociale",
            "accessibilité au dépistage du cancer du sein sur le quartier d'Etouvie (Amiens)",
        ),
    ]
    assert _rows(catalogue_store, "actors-in-several-initiatives", {"min": "3"}) == []
    first = _rows(
        catalogue_store,
        "compare-cases",
        {"first": "id:initiative/fixture-bravo", "second": "id:initiative/fixture-charlie", "lang": "en"},
    )
    assert first[5] == (
        "grid:gouvernance-participative",
        "Broad and participatory governance (empowerment)",
        "level:non-renseigne",
        "énoncé gouvernance-participative",
        "level:absent",
        "énoncé gouvernance-participative en 2024",
    )


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("search-statements", "text", '" } } ; DROP ALL ; SELECT * { ?s ?p "'),
        ("search-statements", "text", 'x\\" ) } DELETE WHERE { ?s ?p ?o } #'),
        ("search-statements", "text", "'''\n} INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
        ("case-overview", "case", "http://x> } ; DROP ALL ; #"),
        ("case-overview", "case", "id:initiative/x> ?p ?o } #"),
        ("case-overview", "case", "javascript:alert(1) }"),
        ("actors-in-several-initiatives", "min", "1 } ; DROP ALL ; #"),
        ("actors-in-several-initiatives", "min", "1e999"),
        ("actors-in-several-initiatives", "lang", 'fr") || true || ("'),
    ],
)
def test_parameters_cannot_inject_sparql(catalogue_store: Path, name: str, param: str, value: str) -> None:
    before = dump_nquads(catalogue_store)
    result = run_cli("query", name, "--store", catalogue_store, "--param", f"{param}={value}", "--format", "json")
    if result.code == 0:  # a string is bound as a literal: it matches nothing, changes nothing
        rows = json.loads(result.stdout)["results"]["bindings"]
        if param == "lang":  # no label is in that "language": each label comes in the other language
            assert [(r["actorLabel"]["value"], r["actorLabel"]["xml:lang"]) for r in rows] == [
                ("Atelier fictif SARL", "fr"),
                ("Ville fictive", "fr"),
            ]
        else:
            assert rows == []
    else:
        assert result.code == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert f'parameter "{param}"' in result.stderr
    assert dump_nquads(catalogue_store) == before


def test_bad_parameters_are_refused_with_a_clear_message(catalogue_store: Path) -> None:
    result = run_cli("query", "actor-pairs", "--store", catalogue_store, "--param", "minimum=2")
    assert (result.code, result.stderr) == (
        2,
        'isgraph: unknown parameter "minimum" (actor-pairs takes: min, same_as) (actor-pairs)\n',
    )
    result = run_cli("query", "actor-pairs", "--store", catalogue_store, "--param", "min=two")
    assert (result.code, result.stderr) == (
        2,
        "isgraph: parameter \"min\" (integer): an integer expected, got 'two' (actor-pairs)\n",
    )
    result = run_cli("query", "no-such-query", "--store", catalogue_store)
    assert (result.code, result.stderr) == (2, 'isgraph: unknown query "no-such-query": see "isgraph queries" (queries/)\n')


def test_result_formats(catalogue_store: Path) -> None:
    table = run_cli("query", "single-actor-cases", "--store", catalogue_store)
    assert table.stdout == (
        "initiative                     actors\n"
        "-----------------------------  ------\n"
        "id:initiative/fixture-charlie  1\n"
        "(1 row)\n"
    )
    data = json.loads(run_cli("query", "single-actor-cases", "--store", catalogue_store, "--format", "json").stdout)
    assert data == {
        "head": {"vars": ["initiative", "actors"]},
        "results": {
            "bindings": [
                {
                    "initiative": {"type": "uri", "value": "https://w3id.org/isgraph/id/initiative/fixture-charlie"},
                    "actors": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
                }
            ]
        },
    }
    csv = run_cli("query", "single-actor-cases", "--store", catalogue_store, "--format", "csv").stdout
    assert csv.splitlines() == ["initiative,actors", "https://w3id.org/isgraph/id/initiative/fixture-charlie,1"]
    tsv = run_cli("query", "single-actor-cases", "--store", catalogue_store, "--format", "tsv").stdout
    assert tsv.splitlines() == ["?initiative\t?actors", "<https://w3id.org/isgraph/id/initiative/fixture-charlie>\t1"]


def test_queries_lists_the_catalogue_in_both_languages() -> None:
    en = run_cli("queries", "--lang", "en").stdout
    fr = run_cli("queries", "--lang", "fr").stdout
    assert "actor-pairs  [min=1 same_as=false]\n    Pairs of actors who work together\n" in en
    assert "actor-pairs  [min=1 same_as=false]\n    Paires d'acteurs qui travaillent ensemble\n" in fr
    assert "(misconception:structure-seule)" in en


def test_sparql_runs_any_read_query_and_refuses_the_rest(catalogue_store: Path, tmp_path: Path) -> None:
    ok = run_cli("sparql", "--store", catalogue_store, "--format", "csv", "SELECT ?c WHERE { ?c a isg:Initiative } ORDER BY ?c")
    assert ok.code == 0 and ok.stdout.splitlines()[1:3] == [
        "https://w3id.org/isgraph/id/initiative/fixture-alpha",
        "https://w3id.org/isgraph/id/initiative/fixture-bravo",
    ]
    query = tmp_path / "ask.rq"
    query.write_text("ASK { id:nothing a isg:Initiative }".replace("id:nothing", "<urn:nothing>"))
    assert run_cli("sparql", "--store", catalogue_store, query).stdout == "no\n"
    before = dump_nquads(catalogue_store)
    update = "isgraph: an update is not a query: only reads are allowed here (query)\n"
    for text, message in (
        (
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "isgraph: SERVICE refused: example.org is not among the allowed hosts (none) (query)\n",
        ),
        ("DROP ALL", update),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", update),
        ("LOAD <http://example.org/data.ttl>", update),
        # an escaped keyword is one (SPARQL reads \\u escapes first)
        (
            "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "isgraph: SERVICE refused: example.org is not among the allowed hosts (none) (query)\n",
        ),
    ):
        refused = run_cli("sparql", "--store", catalogue_store, text)
        assert (refused.code, refused.stderr) == (2, message), text
    # a keyword in a string or a comment is not one
    quiet = 'SELECT ?o WHERE { ?s ?p "DROP ALL" } # SERVICE <http://example.org/>\nLIMIT 0'
    assert run_cli("sparql", "--store", catalogue_store, "--format", "csv", quiet).stdout == "o\n"
    assert dump_nquads(catalogue_store) == before
    bad = run_cli("sparql", "--store", catalogue_store, "SELECT ?x WHERE { ?x ")
    assert bad.code == 2 and bad.stderr.startswith("isgraph: invalid SPARQL query:") and bad.stderr.count("\n") == 1


def test_a_header_that_does_not_parse_is_an_error(tmp_path: Path) -> None:
    good = (ROOT / "queries" / "actor-pairs.rq").read_text(encoding="utf-8")
    broken = tmp_path / "actor-pairs.rq"
    broken.write_text(good.replace('work together"}', 'work together"'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(broken)
    assert (caught.value.line, caught.value.column) == (3, 4) and "unreadable YAML" in caught.value.message.en
    broken.write_text(good.replace("#+ heavy: true", "#+ heavy: true\n#+ author: me"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(broken)
    assert caught.value.line == 8 and caught.value.message.en.startswith('unknown key "author"')
    broken.write_text(good.replace("type: integer", "type: number"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(broken)
    assert caught.value.message.en.startswith("type among iri, string")
    broken.write_text(good.replace("?_min", "?min"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(broken)
    assert caught.value.message.en.startswith("the query does not use ?_min")


def test_an_aggregate_header_names_a_text_and_values_of_the_parameters(tmp_path: Path) -> None:
    good = (ROOT / "queries" / "actor-pairs.rq").read_text(encoding="utf-8")
    on_aggregate = (ROOT / "queries" / "aggregates" / "actor-pairs.rq").read_text(encoding="utf-8")
    query = tmp_path / "actor-pairs.rq"
    query.write_text(good, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(query)
    assert caught.value.message.en == 'queries/aggregates/actor-pairs.rq does not exist (field "aggregate_when")'
    (tmp_path / "aggregates").mkdir()
    (tmp_path / "aggregates" / "actor-pairs.rq").write_text(on_aggregate, encoding="utf-8")
    assert catalogue.parse_query(query).aggregate_when == (("same_as", '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'),)
    for header, expected in [
        ("{same_as: maybe}", "parameter \"same_as\" (boolean): true or false expected, got 'maybe'"),
        ("{sameas: false}", 'unknown parameter (field "aggregate_when.sameas")'),
        ("[same_as]", 'values of parameters expected (field "aggregate_when")'),
    ]:
        query.write_text(good.replace("{same_as: false}", header), encoding="utf-8")
        with pytest.raises(InputError) as caught:
            catalogue.parse_query(query)
        assert caught.value.message.en == expected
    query.write_text(good, encoding="utf-8")
    (tmp_path / "aggregates" / "actor-pairs.rq").write_text(on_aggregate.replace("?_min", "2"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(query)
    assert caught.value.message.en == 'queries/aggregates/actor-pairs.rq does not use ?_min (field "params")'


def test_an_aggregate_that_keeps_labels_says_in_which_languages(tmp_path: Path) -> None:
    """``aggregate_labels`` lists languages, and only a query with an aggregate and a label
    column may say it."""
    (tmp_path / "aggregates").mkdir()
    for name in ("actors-in-several-initiatives", "actor-pairs"):
        text = (ROOT / "queries" / "aggregates" / f"{name}.rq").read_text(encoding="utf-8")
        (tmp_path / "aggregates" / f"{name}.rq").write_text(text, encoding="utf-8")
    good = (ROOT / "queries" / "actors-in-several-initiatives.rq").read_text(encoding="utf-8")
    query = tmp_path / "actors-in-several-initiatives.rq"
    query.write_text(good, encoding="utf-8")
    assert catalogue.parse_query(query).aggregate_labels == ("fr", "en")
    for header, expected in [
        ("[fr, de]", 'list of languages expected (fr, en) (field "aggregate_labels")'),
        ("fr", 'list of languages expected (fr, en) (field "aggregate_labels")'),
        ("[]", 'list of languages expected (fr, en) (field "aggregate_labels")'),
    ]:
        query.write_text(good.replace("aggregate_labels: [fr, en]", f"aggregate_labels: {header}"), encoding="utf-8")
        with pytest.raises(InputError) as caught:
            catalogue.parse_query(query)
        assert caught.value.message.en == expected
    (tmp_path / "aggregates" / "actors-in-several-initiatives.rq").unlink()
    query.write_text(good.replace("#+ aggregate_when: {same_as: false}\n", ""), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(query)
    assert caught.value.message.en == (
        "with no queries/aggregates/actors-in-several-initiatives.rq or no label column, nothing to keep"
        ' (field "aggregate_labels")'
    )
    pairs = tmp_path / "actor-pairs.rq"
    pairs.write_text(
        (ROOT / "queries" / "actor-pairs.rq")
        .read_text(encoding="utf-8")
        .replace("#+ aggregate_when: {same_as: false}", "#+ aggregate_when: {same_as: false}\n#+ aggregate_labels: [fr]"),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(pairs)
    assert caught.value.message.en == (
        'with no queries/aggregates/actor-pairs.rq or no label column, nothing to keep (field "aggregate_labels")'
    )


def test_a_lang_the_text_does_not_read_chooses_the_labels_isgraph_fills(tmp_path: Path) -> None:
    """``lang`` may go unread by a query with label columns (it picks the labels isgraph fills), not by another."""
    header = (ROOT / "queries" / "actors-in-several-initiatives.rq").read_text(encoding="utf-8")
    query = catalogue.parse_query(ROOT / "queries" / "actors-in-several-initiatives.rq")
    assert "?_lang" not in query.sparql and query.fills_labels() and query.language({"lang": "en"}) == "en"
    unlabelled = tmp_path / "actors-in-several-initiatives.rq"
    unlabelled.write_text(header.replace("?actorLabel", "?label"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        catalogue.parse_query(unlabelled)
    assert caught.value.message.en.startswith("the query does not use ?_lang")


def _order_variables(query: catalogue.CatalogueQuery) -> list[str]:
    """The variables of the query's top-level ORDER BY (each ``?v``, ``ASC(?v)`` or ``DESC(?v)``)."""
    from isgraph.sparql.parser import is_rule, read

    tree = read(query.bind(), "query", max_length=10**6).tree
    select = next(node for node in tree.children if is_rule(node, "select_query"))
    order = next(node for node in select.children[-1].children if is_rule(node, "order_clause"))
    return [str(token)[1:] for condition in order.children for token in condition.scan_values(lambda v: str(v)[:1] in "?$")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_query_orders_its_rows_completely_and_pages_them(catalogue_store: Path, name: str) -> None:
    """No two different rows share their place in the order (so that a page never depends on
    the engine), and the pages, read one after another, are the whole answer."""
    query = catalogue.find(name)
    keys = _order_variables(query)
    with connect(catalogue_store, create=False) as store:
        whole = catalogue.answer(store, query)
        variables, rows = whole.table()
        places: dict[tuple[str, ...], list[str]] = {}
        for row in rows:
            cells = dict(zip(variables, (str(t) if t is not None else "" for t in row), strict=True))
            place = tuple(cells.get(k, "") for k in keys)
            assert places.setdefault(place, list(cells.values())) == list(cells.values()), (name, keys, place)
        pages, offset = [], 0
        while True:
            page = catalogue.answer_page(store, query, limit=3, offset=offset)
            pages += page.collected.table()[1]
            offset += 3
            if not page.more:
                break
        assert pages == rows
