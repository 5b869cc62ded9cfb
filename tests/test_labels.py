"""One label function everywhere: the language asked, then the other, then the IRI's local
name, on the command line as through the API. (Issue 15, finding 8: a form written in French
only gave blank labels in English.)"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pyoxigraph as ox

from isgraph.namespaces import ID
from isgraph.query.catalogue import with_labels
from isgraph.store import Collected, EmbeddedStore
from isgraph.store.labels import _found, _pyoxigraph

from .conftest import run_cli
from .test_integrity import form


def test_a_case_written_in_french_only_has_labels_in_english(built_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    case = tmp_path / "francais.yaml"
    case.write_text(form("initiative/francais", "francais"), encoding="utf-8")  # the actor is labelled in French only
    assert run_cli("ingest", "--store", store, case).code == 0
    rows = run_cli(
        "query", "case-overview", "--store", store, "-p", "case=id:initiative/francais", "-p", "lang=en", "--format", "csv"
    )
    assert rows.code == 0, rows.stderr
    assert rows.stdout.splitlines() == [
        "territory,actor,actorLabel,role",
        f"{ID['territory/departement/60']},{ID['actor/francais/porteur']},Association francais,https://w3id.org/isgraph/role/porteur",
    ]


def test_a_thing_without_a_label_is_called_by_its_local_name() -> None:
    named, unnamed = ox.NamedNode("http://example.org/actor/nomme"), ox.NamedNode("http://example.org/actor/sans-nom")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    with EmbeddedStore(None) as store:
        store.add("http://example.org/graph", [ox.Triple(named, label, ox.Literal("Nommé", language="fr"))])
        rows = [[named, None], [unnamed, None], [None, None]]
        filled = with_labels(store, Collected("solutions", variables=["actor", "actorLabel"], rows=rows), "en")
    assert filled.rows == [[named, ox.Literal("Nommé", language="fr")], [unnamed, ox.Literal("sans-nom")], [None, None]]


def test_the_store_fills_the_labels_of_a_whole_answer_as_a_page_does() -> None:
    """In the answer the store writes (``write_answer(..., labels=)``): an IRI's empty label is
    filled (in the other language, or with its local name), a label the query binds is kept,
    and nothing is filled beside a literal or a triple term, as :func:`with_labels` does."""
    ex = "http://example.org/"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    sparql = f"""SELECT ?x ?xLabel WHERE {{
        VALUES (?x ?xLabel) {{
            (<{ex}nomme> UNDEF) (<{ex}sans-nom> UNDEF) (<{ex}garde> "Gardé\\tici"@fr) ("texte" UNDEF)
            (<<( <{ex}a> <{ex}b> <{ex}c> )>> UNDEF) (UNDEF UNDEF)
        }} }}"""
    with EmbeddedStore(None) as store:
        store.add(f"{ex}graph", [ox.Triple(ox.NamedNode(f"{ex}nomme"), ox.NamedNode(label), ox.Literal("Nommé", language="fr"))])
        written = {}
        for media in ("text/tab-separated-values", "text/csv"):
            out = io.BytesIO()
            store.write_answer(sparql, out, media, labels="en")
            written[media] = out.getvalue().decode()
        paged = with_labels(store, store.collected(sparql), "en")
    assert written["text/tab-separated-values"].splitlines() == [
        "?x\t?xLabel",
        f'<{ex}nomme>\t"Nommé"@fr',
        f'<{ex}sans-nom>\t"sans-nom"',
        f'<{ex}garde>\t"Gardé\\tici"@fr',
        '"texte"\t',
        f"<<( <{ex}a> <{ex}b> <{ex}c> )>>\t",
        "\t",
    ]
    assert written["text/csv"].splitlines()[1:4] == [f"{ex}nomme,Nommé", f"{ex}sans-nom,sans-nom", f"{ex}garde,Gardé\tici"]
    assert [row[1] for row in paged.rows] == [
        ox.Literal("Nommé", language="fr"),
        ox.Literal("sans-nom"),
        ox.Literal("Gardé\tici", language="fr"),
        None,
        None,
        None,
    ]


class _ThroughQueries:
    """A store seen only through its queries (as a server is): the lookup asks its query."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def query(self, sparql: str) -> ox.QuerySolutions:
        result = self._store.query(sparql)
        assert isinstance(result, ox.QuerySolutions)
        return result


def test_the_labels_read_from_the_index_are_those_the_query_finds() -> None:
    """An embedded store's labels are read from its index of subjects and predicates, a
    server's through a query: the same labels, each once, from the default graph and every
    named graph, never a label that is not a literal."""
    ex = "http://example.org/"
    pref, label = (
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    )
    a, b, c = (ox.NamedNode(f"{ex}{n}") for n in "abc")
    store = ox.Store()
    store.extend(
        [
            ox.Quad(a, label, ox.Literal("Un", language="fr")),  # the default graph
            ox.Quad(a, label, ox.Literal("Un", language="fr"), ox.NamedNode(f"{ex}g1")),  # the same, in a graph
            ox.Quad(a, pref, ox.Literal("One", language="en"), ox.NamedNode(f"{ex}g2")),
            ox.Quad(a, pref, ox.Literal("Uno", language="es-ES"), ox.NamedNode(f"{ex}g2")),
            ox.Quad(b, label, ox.Literal("sans langue"), ox.NamedNode(f"{ex}g1")),
            ox.Quad(b, label, c, ox.NamedNode(f"{ex}g1")),  # not a literal
            ox.Quad(c, ox.NamedNode(f"{ex}other"), ox.Literal("pas un libellé")),
        ]
    )
    iris = [f"{ex}a", f"{ex}b", f"{ex}c", f"{ex}d"]
    expected = {
        f"{ex}a": [("en", 0, "One"), ("es-es", 0, "Uno"), ("fr", 1, "Un")],
        f"{ex}b": [("", 1, "sans langue")],
    }
    for seen in (store, _ThroughQueries(store)):
        assert {iri: sorted(texts) for iri, texts in _found(seen, iris).items()} == expected
    with EmbeddedStore(None) as embedded:
        embedded.oxigraph.extend(store)
        assert {iri: sorted(texts) for iri, texts in _found(embedded, iris).items()} == expected
        assert _pyoxigraph(embedded) is embedded.oxigraph
    assert _pyoxigraph(_ThroughQueries(store)) is None
