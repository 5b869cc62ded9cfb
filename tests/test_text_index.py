"""The full-text index (isgraph.store.text_index): what a search finds, that it follows every
write of the store (ingest, removal, updates, bulk loads, a write cut short), and that the
catalogue's search gives the same rows from the index as from its regular expression."""

from __future__ import annotations

import json
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.graph.ingest import ingest, remove
from isgraph.namespaces import ISG, RDFS
from isgraph.query import catalogue
from isgraph.store import EmbeddedStore
from isgraph.store.text_index import TextIndex, indexed_words, match_expression
from isgraph.text import words
from tests.conftest import FIXTURES, run_cli, start_isgraph_server, stop

STATEMENT = ISG["statement"]
G = "https://w3id.org/isgraph/graph/case/t"


def _literal_store(*texts: tuple[str, str | None]) -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.add(
        G,
        [
            ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode(STATEMENT), ox.Literal(text, language=lang))
            for i, (text, lang) in enumerate(texts)
        ],
    )
    return store


def test_a_search_ignores_case_and_accents_and_finds_stems_and_word_beginnings() -> None:
    store = _literal_store(
        ("Accès aux SOINS et santé publique", "fr"),
        ("Les coopératives d'habitants", "fr"),
        ("Happiness of the inhabitants", "en"),
        ("santiago", None),
    )
    with store:

        def found(text: str) -> list[str]:
            return _values(store.search(text, [STATEMENT], 100) or [])

        assert found("SANTE") == ["Accès aux SOINS et santé publique", "santiago"]  # its stem "sant" begins both
        assert found("santés") == ["Accès aux SOINS et santé publique", "santiago"]  # the stem "sant" begins both
        assert found("acces soin") == ["Accès aux SOINS et santé publique"]
        assert found("coopérative habitant") == ["Les coopératives d'habitants"]
        assert found("happy") == ["Happiness of the inhabitants"]  # both stem to "happi"
        assert found("soins happiness") == []
        assert found("habit") == ["Les coopératives d'habitants"]  # not "inhabitants": a word's beginning
        assert store.search("!!", [STATEMENT], 100) is None
        assert store.search("sante", [RDFS["label"]], 100) == []


def _values(terms: list[str]) -> list[str]:
    """The texts of literals written as SPARQL terms."""
    return [next(ox.parse(f"<urn:a> <urn:b> {t} .", format=ox.RdfFormat.N_TRIPLES)).object.value for t in terms]


def test_the_words_the_index_holds() -> None:
    assert (
        indexed_words(ox.Literal("Les coopératives d'habitants", language="fr")) == "les cooperatives d habitants cooper habit le"
    )
    assert indexed_words(ox.Literal("happiness", language="en")) == "happiness happi"
    assert match_expression('NEAR(a b) OR "x" *') == '("near"*) AND ("a"*) AND ("b"*) AND ("or"*) AND ("x"*)'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('" OR *', []),
        ("NEAR(sante, 2)", []),
        ("sante AND NOT x", []),
        ("'; DROP TABLE entries; --", []),
        ("\\u0000 ^ {}", []),
        ('(santé*) "', ['"santé"@fr']),
        ("SAN^TÉ", []),
    ],
)
def test_hostile_searches_are_words_and_nothing_else(text: str, expected: list[str]) -> None:
    with _literal_store(("santé", "fr")) as store:
        assert store.search(text, [STATEMENT], 10) == expected
        assert store.search("sante", [STATEMENT], 10) == ['"santé"@fr']


def test_the_index_follows_ingest_removal_and_updates(data_copy: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    with EmbeddedStore(store_path) as store:
        assert store.search("Etouvie", [STATEMENT], 10) == []
        ingest(store, [FIXTURES / "catalogue" / "alpha.ttl"], submitter="Test")
        assert store.search("Etouvie", [STATEMENT], 10) == ['"Épicerie solidaire à ÉTOUVIE"@fr']
        graph = "https://w3id.org/isgraph/graph/case/fixture-alpha"
        store.update(
            f'DELETE {{ GRAPH <{graph}> {{ ?a <{STATEMENT}> ?s }} }} INSERT {{ GRAPH <{graph}> {{ ?a <{STATEMENT}> "Marché paysan"@fr }} }} '
            f'WHERE {{ GRAPH <{graph}> {{ ?a <{STATEMENT}> ?s FILTER (STR(?s) = "Épicerie solidaire à ÉTOUVIE") }} }}'
        )
        assert store.search("Etouvie", [STATEMENT], 10) == []
        assert store.search("paysans", [STATEMENT], 10) == ['"Marché paysan"@fr']
        # an update whose graphs the text cannot tell: everything is indexed again
        store.update(
            f'INSERT {{ GRAPH ?g {{ <urn:x> <{STATEMENT}> "Tiers-lieu rural"@fr }} }} WHERE {{ GRAPH ?g {{ ?a <{STATEMENT}> "Marché paysan"@fr }} }}'
        )
        assert store.search("TIERS-LIEU", [STATEMENT], 10) == ['"Tiers-lieu rural"@fr']
        remove(store, ["fixture-alpha"])
        assert store.search("paysan", [STATEMENT], 10) == []
        assert store.search("rural", [STATEMENT], 10) == []
        cases = tmp_path / "cases.nq"
        cases.write_text(f'<urn:y> <{STATEMENT}> "Recyclerie du Val"@fr <{graph}> .\n', encoding="utf-8")
        store.load(cases, ox.RdfFormat.N_QUADS)
        assert store.search("recycleries", [STATEMENT], 10) == ['"Recyclerie du Val"@fr']


def test_a_write_cut_short_before_it_was_indexed_is_indexed_when_the_store_opens(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    with EmbeddedStore(store_path) as store:
        store.add(G, [ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode(STATEMENT), ox.Literal("Jardin partagé", language="fr"))])
        # the write reaches RocksDB, the process dies before the index follows: stale, said so first
        store._text.mark_stale()  # type: ignore[union-attr]  # the store on disk has its index
        store.oxigraph.add(
            ox.Quad(ox.NamedNode("urn:b"), ox.NamedNode(STATEMENT), ox.Literal("Ressourcerie", language="fr"), ox.NamedNode(G))
        )
        assert store.search("ressourcerie", [STATEMENT], 10) == []
    index = TextIndex(store_path / "isgraph-text" / "index.sqlite")
    assert not index.fresh
    index.close()
    with EmbeddedStore(store_path) as store:
        assert store.search("ressourcerie", [STATEMENT], 10) == ['"Ressourcerie"@fr']
        assert store.search("jardins", [STATEMENT], 10) == ['"Jardin partagé"@fr']


def test_a_search_that_finds_too_many_texts_says_so() -> None:
    with _literal_store(*((f"énoncé {i}", "fr") for i in range(catalogue.MAX_FOUND + 1))) as store:
        query = catalogue.find("search-statements")
        with pytest.raises(catalogue.InputError) as caught:
            query.bind({"text": "énoncé"}, store)
        assert caught.value.message.en == f'"énoncé" is in over {catalogue.MAX_FOUND} texts: narrow the search'
        assert len(store.search("énoncé 7", [STATEMENT], catalogue.MAX_FOUND) or []) == 1111  # 7, 70…79, 700…799, 7000…7999


def _statement_words(store: EmbeddedStore) -> list[str]:
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ ?a <{STATEMENT}> ?s }}")
    return sorted({w for row in rows for w in words(row["s"].value) if len(w) > 2})  # type: ignore[index,union-attr]


def test_the_index_and_the_regular_expression_give_the_same_rows(catalogue_store: Path, tmp_path: Path) -> None:
    """On the reference cases and the catalogue's fixtures: every word of every statement, and
    pairs of them, searched through the index and through the filter a server is sent."""
    path = tmp_path / "store"
    shutil.copytree(catalogue_store, path)
    query = catalogue.find("search-statements")
    with EmbeddedStore(path) as store:
        vocabulary = _statement_words(store)
        searches = [*vocabulary, *(f"{a} {b}" for a, b in zip(vocabulary, vocabulary[7:], strict=False))]
        assert len(vocabulary) > 100
        differing = []
        for text in searches:
            indexed = store.query(query.bind({"text": text}, store))
            scanned = store.query(query.bind({"text": text}))
            if [tuple(r) for r in indexed] != [tuple(r) for r in scanned]:  # type: ignore[union-attr]
                differing.append(text)
        assert differing == []


def test_the_server_searches_its_index(catalogue_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(catalogue_store, path)
    process, url = start_isgraph_server(path, replica=True)
    try:
        address = f"{url}/api/queries/search-statements?" + urllib.parse.urlencode({"text": "ÉTOUVIE", "format": "json"})
        with urllib.request.urlopen(address, timeout=60) as response:
            rows = json.load(response)["results"]["bindings"]
        assert [(r["initiative"]["value"].rsplit("/", 1)[1], r["statement"]["value"]) for r in rows] == [
            ("fixture-alpha", "Épicerie solidaire à ÉTOUVIE"),
            ("initielles", "accessibilité au dépistage du cancer du sein sur le quartier d'Etouvie (Amiens)"),
        ]
    finally:
        stop(process)
    listed = run_cli("query", "search-statements", "--store", path, "--param", "text=épiceries", "--format", "csv")
    assert listed.code == 0, listed.stderr
    assert listed.stdout.splitlines()[1:] == [
        "https://w3id.org/isgraph/id/initiative/fixture-alpha,https://w3id.org/isgraph/grid/finalite-sociale,Épicerie solidaire à ÉTOUVIE"
    ]


def test_the_graphs_of_an_unfinished_fast_write_leave_the_index_with_them(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    graph = "https://w3id.org/isgraph/graph/case/begun"
    with EmbeddedStore(store_path) as store:
        marker = store.add_new_graphs(
            {graph: [ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode(STATEMENT), ox.Literal("Cantine solidaire", language="fr"))]}
        )
        assert marker is not None and store.search("cantine", [STATEMENT], 10) == ['"Cantine solidaire"@fr']
        # closed before the final write that drops the marker: a crash, as far as the store knows
    with EmbeddedStore(store_path) as store:
        assert graph not in store.named_graphs()
        assert store.search("cantine", [STATEMENT], 10) == []
