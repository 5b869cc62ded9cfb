"""The two cases of the talk, reproduced word for word (DESIGN §2.2)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from isgraph.namespaces import sparql_prefixes

ID = "https://w3id.org/isgraph/id/"
INITIELLES = ID + "initiative/initielles"
GRAINES = ID + "initiative/graines-de-pays"
G_INITIELLES = "https://w3id.org/isgraph/graph/case/initielles"
G_GRAINES = "https://w3id.org/isgraph/graph/case/graines-de-pays"

# (case, element, statement) — the table of DESIGN §2.2, the slides' own words.
STATEMENTS = [
    (INITIELLES, "finalite-sociale", "accessibilité au dépistage du cancer du sein sur le quartier d'Etouvie (Amiens)"),
    (INITIELLES, "aspiration-sociale", "améliorer les pratiques de santé par une logique ascendante"),
    (INITIELLES, "ancrage-territorial", "mobilisation de tous les réseaux : coproduction, bénéficiaires : habitants du quartier"),
    (
        INITIELLES,
        "gouvernance-participative",
        "organisée en 5 comités comprenant les ambassadrices (autonomes dans leurs activités)",
    ),
    (INITIELLES, "modele-economique-pluriel", "mixité des ressources : non marchandes et réciprocaires"),
    (INITIELLES, "accessibilite", "par la mobilisation des réseaux de sociabilité"),
    (INITIELLES, "logique-de-service", "l'activité artistique (théâtre) comme support de sensibilisation"),
    (
        INITIELLES,
        "impacts-directs",
        "montée en compétences et connaissances, mammographies effectuées, renforcement du lien social, etc.",
    ),
    (INITIELLES, "changement-social", "évolution des pratiques de santé des acteurs mobilisés autour du projet, etc."),
    (GRAINES, "finalite-sociale", "accessibilité aux usages du numérique"),
    (GRAINES, "aspiration-sociale", "améliorer la création et la formation aux outils numériques par une logique ascendante"),
    (GRAINES, "ancrage-territorial", "habitants, concepteurs, chercheurs, champ médical, social, etc."),
    (GRAINES, "gouvernance-participative", "En construction ..."),
    (GRAINES, "modele-economique-pluriel", "hybridation des ressources : réciprocité, redistribution et prestations"),
    (GRAINES, "accessibilite", "aux usages en incluant le plus en amont possible le bénéficiaire"),
    (GRAINES, "logique-de-service", "Le numérique est un support d'apprentissage et de socialisation"),
    (GRAINES, "impacts-directs", "montée en compétences et connaissances, développement de projets etc."),
    (GRAINES, "changement-social", "évolution des pratiques des concepteurs, etc."),
]

GRAPH_OF = {INITIELLES: G_INITIELLES, GRAINES: G_GRAINES}


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    solutions = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    return sorted(tuple(row[v.value].value for v in solutions.variables) for row in solutions)


def test_there_are_eighteen_distinct_statements() -> None:
    assert len(STATEMENTS) == 18
    assert len({(c, e) for c, e, _ in STATEMENTS}) == 18


@pytest.mark.parametrize(
    ("case", "element", "statement"), STATEMENTS, ids=[f"{c.rsplit('/', 1)[1]}-{e}" for c, e, _ in STATEMENTS]
)
def test_statement_is_in_the_export_word_for_word(exported: ox.Store, case: str, element: str, statement: str) -> None:
    rows = select(
        exported,
        f"""
        SELECT ?text WHERE {{ GRAPH <{GRAPH_OF[case]}> {{
            ?c isg:characterises <{case}> ; isg:hasElementAssessment ?a .
            ?a isg:element grid:{element} ; isg:statement ?text .
        }} }}""",
    )
    assert rows == [(statement,)]
    literal = ox.Literal(statement, language="fr")
    assert (
        len(
            list(
                exported.quads_for_pattern(
                    None, ox.NamedNode("https://w3id.org/isgraph/ontology#statement"), literal, ox.NamedNode(GRAPH_OF[case])
                )
            )
        )
        == 1
    )


def test_each_case_has_nine_assessments_and_only_one_in_progress(exported: ox.Store) -> None:
    rows = select(
        exported,
        """
        SELECT ?case ?element ?level WHERE { GRAPH ?g {
            ?c isg:characterises ?case ; isg:hasElementAssessment ?a .
            ?a isg:element ?element ; isg:level ?level .
        } }""",
    )
    assert len(rows) == 18
    in_progress = [(c, e) for c, e, lvl in rows if lvl != "https://w3id.org/isgraph/level/present"]
    assert in_progress == [(GRAINES, "https://w3id.org/isgraph/grid/gouvernance-participative")]
    assert {lvl for c, e, lvl in rows if (c, e) not in in_progress} == {"https://w3id.org/isgraph/level/present"}
    assert select(
        exported,
        f"""
        SELECT ?level WHERE {{ ?a isg:element grid:gouvernance-participative ; isg:level ?level ;
                               ^isg:hasElementAssessment/isg:characterises <{GRAINES}> }}""",
    ) == [("https://w3id.org/isgraph/level/en-cours",)]


def test_one_named_graph_per_case(exported: ox.Store) -> None:
    rows = select(exported, "SELECT ?g ?case WHERE { GRAPH ?g { ?case a isg:Initiative } }")
    assert rows == [(G_GRAINES, GRAINES), (G_INITIELLES, INITIELLES)]


def test_actors_and_roles(exported: ox.Store) -> None:
    rows = select(
        exported,
        """
        SELECT ?case ?actor ?class ?role WHERE {
            ?p isg:participationIn ?case ; isg:participant ?a ; isg:role ?r .
            ?a a ?c ; rdfs:label ?actor . FILTER (LANG(?actor) = "fr")
            BIND (STRAFTER(STR(?c), "#") AS ?class)
            BIND (STRAFTER(STR(?r), "role/") AS ?role)
        }""",
    )
    assert rows == sorted(
        [
            (GRAINES, "Graines de Pays", "Organisation", "porteur"),
            (GRAINES, "habitants", "InformalGroup", "acteur-mobilise"),
            (GRAINES, "concepteurs", "InformalGroup", "acteur-mobilise"),
            (GRAINES, "chercheurs", "InformalGroup", "acteur-mobilise"),
            (GRAINES, "champ médical", "InformalGroup", "acteur-mobilise"),
            (GRAINES, "champ social", "InformalGroup", "acteur-mobilise"),
            (INITIELLES, "Association Initi'elles", "Association", "porteur"),
            (INITIELLES, "les ambassadrices", "InformalGroup", "membre-gouvernance"),
            (INITIELLES, "habitants du quartier", "InformalGroup", "beneficiaire"),
        ]
    )


def test_resource_principles_keep_the_slides_words(exported: ox.Store) -> None:
    rows = select(
        exported,
        """
        SELECT ?case ?principle ?wording WHERE {
            ?r isg:contributionTo ?case ; isg:principle ?p ; isg:sourceWording ?wording .
            BIND (STRAFTER(STR(?p), "principle/") AS ?principle)
        }""",
    )
    assert rows == sorted(
        [
            (INITIELLES, "redistribution", "non marchandes"),
            (INITIELLES, "reciprocite", "réciprocaires"),
            (GRAINES, "reciprocite", "réciprocité"),
            (GRAINES, "redistribution", "redistribution"),
            (GRAINES, "marche", "prestations"),
        ]
    )


def test_provenance_of_the_characterisations(exported: ox.Store) -> None:
    rows = select(
        exported,
        """
        SELECT DISTINCT ?case ?assessor ?date ?title ?event ?venue WHERE {
            ?c isg:characterises ?case ; isg:assessor ?a ; isg:assessmentDate ?date ; isg:source ?s ;
               isg:usesGrid grid:godin-2013 .
            ?a rdfs:label ?assessor . FILTER (LANG(?assessor) = "fr")
            ?s dcterms:title ?title ; isg:presentedAt ?e .
            ?e rdfs:label ?event ; isg:venue ?venue . FILTER (LANG(?event) = "fr")
        }""",
    )
    event = "Journée d'échanges autour des enjeux de l'innovation sociale en Nord-Pas-de-Calais"
    assert rows == sorted(
        (
            case,
            "Institut Jean-Baptiste Godin",
            "2013-11-05",
            "Qu'est ce que l'innovation sociale ?",
            event,
            "Familistère de Guise",
        )
        for case in (INITIELLES, GRAINES)
    )


def test_territories_of_the_cases_roll_up_to_old_and_new_regions(exported: ox.Store) -> None:
    codes = select(
        exported,
        """
        SELECT ?case ?class ?code WHERE {
            ?case isg:territory/isg:within* ?place .
            ?place a ?c . BIND (STRAFTER(STR(?c), "#") AS ?class)
            OPTIONAL { ?place isg:inseeCode ?insee }
            BIND (COALESCE(?insee, "-") AS ?code)
        }""",
    )
    assert codes == sorted(
        [
            (INITIELLES, "Quartier", "-"),
            (INITIELLES, "Commune", "80021"),
            (INITIELLES, "Epci", "-"),  # Amiens Métropole (SIREN 248000531)
            (INITIELLES, "Departement", "80"),
            (INITIELLES, "Region", "32"),
            (INITIELLES, "Country", "-"),
            (GRAINES, "Departement", "60"),
            (GRAINES, "Region", "32"),
            (GRAINES, "Country", "-"),
        ]
    )
    regions = select(
        exported,
        """
        SELECT ?case ?new ?old WHERE {
            ?case isg:territory/isg:within* ?dep . ?dep a isg:Departement ; isg:within ?r ; isg:formerlyWithin ?o .
            ?r rdfs:label ?new . ?o rdfs:label ?old . FILTER (LANG(?new) = "fr" && LANG(?old) = "fr")
        }""",
    )
    assert regions == sorted([(INITIELLES, "Hauts-de-France", "Picardie"), (GRAINES, "Hauts-de-France", "Picardie")])
    chain = select(
        exported,
        f"""
        SELECT ?label WHERE {{ <{INITIELLES}> isg:territory/isg:within* ?p . ?p rdfs:label ?label .
                               FILTER (LANG(?label) = "fr") }}""",
    )
    assert chain == [("Amiens",), ("CA Amiens Métropole",), ("Etouvie",), ("Hauts-de-France",), ("Somme",)]
    merger = select(
        exported,
        """
        SELECT ?old ?end ?new ?start WHERE {
            ?o isg:replacedBy ?n ; isg:inseeCode ?old ; isg:endDate ?end . ?n isg:inseeCode ?new ; isg:startDate ?start .
            FILTER (?new = "32") }""",
    )
    assert merger == [("22", "2015-12-31", "32", "2016-01-01"), ("31", "2015-12-31", "32", "2016-01-01")]
