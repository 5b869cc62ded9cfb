"""The ontology: quality checks that return nothing, the grid as on the slides,
the metadata a published ontology needs."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import isgraph
from isgraph.errors import InputError
from isgraph.namespaces import OWN_TERM_NAMESPACES, PREFIXES, sparql_prefixes
from isgraph.query.checks import load_checks, parse_check, run_check
from isgraph.rdf.layout import collect_ontology
from isgraph.rdf.parsing import read_triples

from .conftest import FIXTURES, ROOT

CHECKS = {check.name: check for check in load_checks()}
ISG = "https://w3id.org/isgraph/ontology#"


def test_the_checks_are_all_there() -> None:
    assert sorted(CHECKS) == [
        "classes-without-parent",
        "concepts-outside-a-scheme",
        "concepts-without-bilingual-text",
        "property-kind-clashes",
        "property-values-of-the-wrong-kind",
        "terms-without-bilingual-definition",
        "terms-without-bilingual-label",
        "undeclared-terms",
    ]
    for check in CHECKS.values():
        assert check.title.fr and check.title.en


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_finds_nothing_in_the_knowledge_graph(built_store: Path, name: str) -> None:
    with isgraph.open_store(built_store, create=False) as store:
        assert run_check(store, CHECKS[name]) == []


EXPECTED_PLANTED = {
    "terms-without-bilingual-label": [{"term": ISG + "Orphan", "missing": "en"}],
    "terms-without-bilingual-definition": [{"term": ISG + "Orphan", "missing": "fr"}],
    "classes-without-parent": [{"class": ISG + "Orphan"}],
    "concepts-without-bilingual-text": [
        {
            "concept": "https://w3id.org/isgraph/role/sans-schema",
            "property": "http://www.w3.org/2004/02/skos/core#definition",
            "missing": "en",
        },
        {
            "concept": "https://w3id.org/isgraph/role/sans-schema",
            "property": "http://www.w3.org/2004/02/skos/core#definition",
            "missing": "fr",
        },
        {
            "concept": "https://w3id.org/isgraph/role/sans-schema",
            "property": "http://www.w3.org/2004/02/skos/core#prefLabel",
            "missing": "en",
        },
    ],
    "concepts-outside-a-scheme": [{"concept": "https://w3id.org/isgraph/role/sans-schema"}],
    "property-kind-clashes": [
        {
            "term": ISG + "amount",
            "kind1": "http://www.w3.org/2002/07/owl#DatatypeProperty",
            "kind2": "http://www.w3.org/2002/07/owl#ObjectProperty",
        }
    ],
    "undeclared-terms": [
        {"term": "https://w3id.org/isgraph/grid/element-inconnu", "usedAs": "value"},
        {"term": ISG + "UndeclaredClass", "usedAs": "class"},
        {"term": ISG + "UndeclaredClass", "usedAs": "value"},
        {"term": ISG + "undeclaredProperty", "usedAs": "property"},
    ],
    "property-values-of-the-wrong-kind": [
        {"subject": "https://w3id.org/isgraph/id/y", "property": ISG + "inseeCode", "value": "https://w3id.org/isgraph/id/z"},
        {"subject": "https://w3id.org/isgraph/id/y", "property": ISG + "territory", "value": "Amiens"},
    ],
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_catches_planted_violations(name: str) -> None:
    store = isgraph.open_store(None)
    sources = collect_ontology(ROOT / "ontology")
    triples, _ = read_triples(FIXTURES / "checks" / "planted-violations.ttl", shown_as="planted", bnode_prefix="p")
    store.replace_graphs({**{s.graph: s.triples for s in sources}, "urn:test:planted": triples})
    assert run_check(store, CHECKS[name]) == EXPECTED_PLANTED[name]


def test_a_broken_check_header_is_an_error_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text(
        "#+ name: bad\n#+ title: {fr: Titre, en: Title}\n#+ titel: {fr: Titre, en: Title}\nSELECT * WHERE { ?s ?p ?o }\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        parse_check(bad)
    assert (caught.value.path, caught.value.line) == ("queries/checks/bad.rq", 3)
    assert caught.value.render("en").startswith('unknown key "titel" (allowed keys: description, name, title)')
    missing = tmp_path / "missing.rq"
    missing.write_text(
        "#+ name: missing\n#+ title: {fr: Titre}\n#+ description: {fr: a, en: b}\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        parse_check(missing)
    assert caught.value.line == 2 and "French and English text expected" in caught.value.render("en")


def _ontology_store() -> ox.Store:
    store = ox.Store()
    for source in collect_ontology(ROOT / "ontology"):
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(source.graph)) for t in source.triples)
    return store


def _select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    solutions = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    return sorted(tuple(row[v.value].value for v in solutions.variables) for row in solutions)


def test_the_grid_has_the_slides_stages_and_elements() -> None:
    rows = _select(
        _ontology_store(),
        """
        SELECT ?notation ?stage ?element ?meaning WHERE {
            ?e a isg:GridElement ; skos:inScheme grid:godin-2013 ; skos:notation ?notation ;
               skos:prefLabel ?element ; skos:definition ?meaning ; isg:stage ?s .
            ?s a isg:Stage ; skos:prefLabel ?stage .
            FILTER (LANG(?element) = "fr" && LANG(?meaning) = "fr" && LANG(?stage) = "fr")
        }""",
    )
    assert rows == [
        ("1.1", "Emergence", "Finalité sociale", "répondre à un besoin social"),
        ("1.2", "Emergence", "Aspiration sociale", "être guidé par un idéal social"),
        (
            "2.1",
            "Processus",
            "Ancrage territorial",
            "mobiliser les acteurs du territoire et construire une identité territoriale",
        ),
        ("2.2", "Processus", "Gouvernance élargie et participative (empowerment)", "coconstruire et coproduire l'activité"),
        ("2.3", "Processus", "Modèle économique pluriel", "s'appuyer sur différentes ressources"),
        ("3.1", "Résultat", "Accessibilité", "favoriser l'accessibilité"),
        ("3.2", "Résultat", "Logique de service", "privilégier l'usage d'un bien ; faire de l'activité un support"),
        ("4.1", "Impacts et diffusion", "Impacts directs", "améliorer les conditions de vie et contribuer au développement"),
        ("4.2", "Impacts et diffusion", "Changement social", "encourager un autre modèle de développement"),
    ]


def test_levels_include_in_progress() -> None:
    rows = _select(
        _ontology_store(),
        """
        SELECT ?fr ?en WHERE { ?l a isg:Level ; skos:prefLabel ?fr , ?en . FILTER (LANG(?fr) = "fr" && LANG(?en) = "en") }""",
    )
    assert rows == [
        ("absent", "absent"),
        ("en cours", "in progress"),
        ("non renseigné", "not documented"),
        ("présent", "present"),
    ]


@pytest.mark.parametrize(
    ("cls", "count"),
    [("SocialInnovationApproach", 4), ("Lesson", 6), ("Misconception", 6), ("EconomicPrinciple", 3), ("ImpactScope", 4)],
)
def test_talk_concepts_are_documented(cls: str, count: int) -> None:
    rows = _select(
        _ontology_store(),
        f"""
        SELECT ?c WHERE {{ ?c a isg:{cls} ; skos:definition ?fr , ?en .
                           FILTER (LANG(?fr) = "fr" && LANG(?en) = "en") }}""",
    )
    assert len(rows) == count


def test_the_lessons_and_misconceptions_keep_the_talks_words() -> None:
    rows = _select(
        _ontology_store(),
        """
        SELECT ?n ?text WHERE { ?c a isg:Misconception ; skos:notation ?n ; skos:definition ?text .
                                FILTER (LANG(?text) = "fr") }""",
    )
    assert rows[1] == ("2", "Une structure seule peut produire de l'innovation sociale")
    assert rows[3] == ("4", "Les collectivités locales n'ont qu'un rôle de financeur")
    lessons = _select(
        _ontology_store(),
        """
        SELECT ?n ?text WHERE { ?c a isg:Lesson ; skos:notation ?n ; skos:definition ?text . FILTER (LANG(?text) = "fr") }""",
    )
    assert lessons[4] == ("5", "la diffusion de l'innovation sociale ne repose pas nécessairement sur le principe de marché")


def test_ontology_metadata() -> None:
    rows = _select(
        _ontology_store(),
        """
        SELECT ?version ?licence ?creator ?source WHERE {
            <https://w3id.org/isgraph/ontology> a owl:Ontology ; owl:versionIRI ?version ; dcterms:license ?licence ;
                dcterms:creator ?creator ; dcterms:source ?source }""",
    )
    assert rows == [
        (
            "https://w3id.org/isgraph/ontology/0.1.0",
            "https://creativecommons.org/licenses/by/4.0/",
            "isgraph contributors",
            "https://w3id.org/isgraph/id/source/godin-2013-guise",
        )
    ]
    assert _select(_ontology_store(), "SELECT ?o WHERE { ?s owl:imports ?o }") == []


def test_alignments_reach_every_named_vocabulary() -> None:
    rows = _select(
        _ontology_store(),
        """
        SELECT DISTINCT ?ns WHERE {
            { ?c rdfs:subClassOf ?x } UNION { ?p rdfs:subPropertyOf ?x }
            FILTER (!STRSTARTS(STR(?x), "https://w3id.org/isgraph/"))
            BIND (REPLACE(STR(?x), "[^/#]*$", "") AS ?ns)
        }""",
    )
    assert rows == sorted(
        [
            ("http://purl.org/dc/terms/",),
            ("http://www.w3.org/2004/02/skos/core#",),
            ("http://www.w3.org/ns/org#",),
            ("http://www.w3.org/ns/prov#",),
            ("http://xmlns.com/foaf/0.1/",),
            ("https://schema.org/",),
        ]
    )


_PNAME = re.compile(r"(?<![\w<#])([A-Za-z][\w-]*):([A-Za-z_][\w.-]*[\w-]|[A-Za-z_])")


def _own_terms_in(text: str) -> set[str]:
    """IRIs of isgraph's term namespaces written as prefixed names or full IRIs in a query or shapes file."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    declared = dict(re.findall(r"(?i)(?:PREFIX|@prefix)\s+([\w-]*):\s*<([^>]*)>", body))
    found = {declared[p] + local for p, local in _PNAME.findall(body) if p in declared}
    found |= set(re.findall(r"<(https://w3id\.org/isgraph/[^>]*)>", body))
    return {iri for iri in found if iri.startswith(OWN_TERM_NAMESPACES) and iri not in OWN_TERM_NAMESPACES}


def test_queries_and_shapes_use_only_declared_terms(built_store: Path) -> None:
    # invalid examples use unknown terms on purpose
    files = (
        sorted((ROOT / "queries").rglob("*.rq"))
        + sorted((ROOT / "shapes").glob("*.ttl"))
        + sorted((ROOT / "shapes" / "examples").glob("*/valid/*.ttl"))
    )
    used = {iri: path for path in files for iri in _own_terms_in(path.read_text(encoding="utf-8"))}
    with isgraph.open_store(built_store, create=False) as store:
        declared = {row["s"].value for row in store.query("SELECT DISTINCT ?s WHERE { ?s a ?kind }")}
    assert {iri: str(path) for iri, path in used.items() if iri not in declared} == {}


def test_the_term_scanner_sees_prefixed_names() -> None:
    assert _own_terms_in(
        "PREFIX isg: <https://w3id.org/isgraph/ontology#>\nSELECT * { ?x isg:Initiative ?y . "
        "?x a <https://w3id.org/isgraph/grid/finalite-sociale> }"
    ) == {ISG + "Initiative", "https://w3id.org/isgraph/grid/finalite-sociale"}
    assert PREFIXES["isg"] == ISG
