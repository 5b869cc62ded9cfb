"""The views' terms are the store's own (isgraph.store.reserved): no write, however it
comes, puts an isv: triple outside the views, where it would change another case's
answers; each refused write leaves the store exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.errors import InputError
from isgraph.namespaces import GRAPH, ISG, ISV
from isgraph.query import catalogue
from isgraph.store import EmbeddedStore, reserved
from isgraph.store.replica import ReplicatedStore
from isgraph.store.views import CLASSIFIED, view_graph

from .conftest import FIXTURES, run_cli
from .test_views import CASE, INITIATIVE, case_triples

EVIL = GRAPH["case/evil"]
FORGED = ox.Triple(ox.NamedNode(INITIATIVE), ox.NamedNode(ISV["mix"]), ox.Literal("forged"))
NOTHING = "nothing was written"


def answers(store: EmbeddedStore | ReplicatedStore) -> list[list[str]]:
    query = catalogue.find("principles-per-initiative")
    assert query.text_for(store) == query.with_views
    result = store.query(query.bind({}, store))
    assert isinstance(result, ox.QuerySolutions)
    return [[str(row[v]) for v in result.variables] for row in result]


def state(store: EmbeddedStore | ReplicatedStore) -> set[ox.Quad]:
    return set(store.oxigraph.quads_for_pattern(None, None, None)) if isinstance(store, EmbeddedStore) else set(store.quads())


@pytest.fixture
def store() -> EmbeddedStore:
    made = EmbeddedStore(None)
    made.keeps_views()
    made.replace_graphs({CASE: case_triples(("marche", "reciprocite"))})
    return made


EXPECTED = [[f"<{INITIATIVE}>", "None", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', '"marche, reciprocite"']]


def test_a_case_cannot_state_the_views_terms_of_another(store: EmbeddedStore) -> None:
    assert answers(store) == EXPECTED
    before = state(store)
    legit = ox.Triple(ox.NamedNode("urn:x:evil"), ox.NamedNode(ISG["novelty"]), ox.Literal("new"))
    for write in (
        lambda: store.replace_graphs({EVIL: [legit, FORGED]}),
        lambda: store.add(EVIL, iter([legit, FORGED])),
        lambda: store.add_new_graphs({EVIL: [legit, FORGED]}),
        lambda: store.replace_graphs({CASE: [*case_triples(("marche",)), FORGED]}),
    ):
        with pytest.raises(InputError) as refused:
            write()
        assert refused.value.render("en") == (
            f'"{ISV["mix"]}" is a term of isgraph\'s views, which it derives itself: it cannot be written outside them'
            f" (subject <{INITIATIVE}>); {NOTHING} ({refused.value.path})"
        )
        assert refused.value.path in {EVIL, CASE}
        assert state(store) == before
        assert answers(store) == EXPECTED
    # the ontology names the views' terms as subjects: that stays allowed
    store.add(GRAPH["ontology/extra"], [ox.Triple(ox.NamedNode(ISV["mix"]), ox.NamedNode(ISG["novelty"]), ox.Literal("x"))])
    assert answers(store) == EXPECTED


@pytest.mark.parametrize(
    "update",
    [
        # into another case's graph, after a legitimate operation, with a trailing comment
        f"INSERT DATA {{ GRAPH <{CASE}> {{ <urn:x:a> <urn:x:p> 1 }} }} ; INSERT DATA {{ GRAPH <{EVIL}> {{ {FORGED} }} }} # c",
        # into the default graph, with a trailing ";"
        f"INSERT DATA {{ {FORGED} }} ;",
        # copied out of a view, the predicate a variable
        f"INSERT {{ GRAPH <{EVIL}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{view_graph(CASE)}> {{ ?s ?p ?o }} }}",
        # a whole view added to a case graph
        f"ADD <{view_graph(CASE)}> TO <{EVIL}>",
        # graphs the text cannot name
        f"INSERT {{ GRAPH ?g {{ <{INITIATIVE}> <{ISV['principles']}> 9 }} }} WHERE {{ GRAPH ?g {{ ?s a <{ISG['Initiative']}> }} }}",
        # by a prefix, in a blank node of the objects, beside "a"
        f'PREFIX v: <{ISV}> INSERT DATA {{ GRAPH <{EVIL}> {{ <urn:x:a> a <urn:x:C> ; <urn:x:p> [ v:mix "x" ] }} }}',
        # an IRI relative to the base (resolved by the store, not by the parser's reading)
        f'BASE <https://w3id.org/isgraph/> INSERT DATA {{ GRAPH <{EVIL}> {{ <urn:x:a> <view#mix> "x" }} }}',
        # a constant predicate of a template, with WITH
        f"PREFIX v: <{ISV}> WITH <{EVIL}> INSERT {{ ?i v:mix 1 }} WHERE {{ GRAPH ?g {{ ?i a <{ISG['Initiative']}> }} }}",
    ],
)
def test_an_update_that_would_state_them_is_undone_whole(store: EmbeddedStore, update: str) -> None:
    before = state(store)
    assert reserved.guarded(update, None)[1] is not None  # checked: it may insert a term of the views
    with pytest.raises(InputError) as refused:
        store.update(update)
    assert refused.value.render("fr") == (
        "la mise à jour écrirait un terme des vues d'isgraph (isv:), qu'il dérive lui-même, hors des vues ;"
        " rien n'a été écrit (update)"
    )
    assert state(store) == before
    assert answers(store) == EXPECTED


def test_updates_that_keep_to_the_rules_run_as_before(store: EmbeddedStore) -> None:
    """An update whose text names every predicate it may insert, none of the views', runs
    without the check (which reads every triple of the graphs it writes)."""
    plain = f"PREFIX x: <urn:x:> INSERT DATA {{ GRAPH <{EVIL}> {{ <urn:x:a> x:p [ a x:C ; x:q ( 1 2 ) ] }} }}"
    assert reserved.guarded(plain, [EVIL]) == (plain, None)
    # a term of the views into the views' graphs (as the stored classification says its generation)
    inside = f"INSERT DATA {{ GRAPH <{CLASSIFIED}> {{ <urn:x:a> <{ISV['classifiedUpTo']}> 1 }} GRAPH <{EVIL}> {{ <urn:x:a> <urn:x:p> 1 }} }}"
    assert reserved.guarded(inside, [CLASSIFIED, EVIL]) == (inside, None)
    store.update(plain)
    store.update(f"DELETE WHERE {{ GRAPH <{EVIL}> {{ ?s ?p ?o }} }}")
    store.update(f'INSERT DATA {{ GRAPH <{EVIL}> {{ <urn:x:a> <urn:x:p> "ok" }} }} ; # a comment, then nothing')
    store.update("PREFIX x: <urn:x:>")  # a prologue alone: no operation
    store.update(f'DELETE DATA {{ GRAPH <{EVIL}> {{ <urn:x:a> <urn:x:p> "ok" }} }}')
    assert list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(EVIL))) == []
    assert answers(store) == EXPECTED
    assert not [g for g in store.every_graph() if g.startswith("urn:isgraph:views-trespassed:")]


def test_a_bulk_load_takes_them_out_again(tmp_path: Path) -> None:
    source = tmp_path / "data.nq"
    forged = ox.Quad(FORGED.subject, FORGED.predicate, FORGED.object, ox.NamedNode(EVIL))
    kept = ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.Literal("kept"), ox.NamedNode(EVIL))
    source.write_text(f"{kept} .\n{forged} .\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        with pytest.raises(InputError) as refused:
            store.load(source, ox.RdfFormat.N_QUADS)
        assert "those triples were taken out after the load" in refused.value.render("en")
        assert set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(EVIL))) == {kept}


def test_the_server_store_refuses_them_on_both_copies(tmp_path: Path) -> None:
    with ReplicatedStore(tmp_path / "store", create=True) as store:
        store.start()
        assert store.wait(60)
        store.replace_graphs({CASE: case_triples(("marche", "reciprocite"))})
        before = state(store)
        with pytest.raises(InputError):
            store.replace_graphs({EVIL: [FORGED]})
        with pytest.raises(InputError):
            store.update(f"INSERT DATA {{ GRAPH <{EVIL}> {{ {FORGED} }} }}")
        assert state(store) == before
        assert answers(store) == EXPECTED
        assert set(store.durable.quads()) == before


def test_ingest_refuses_a_case_file_that_states_them(built_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(built_store, path)
    case = tmp_path / "alpha.ttl"
    forged = f'<{INITIATIVE}> <{ISV["mix"]}> "forged" .\n'
    case.write_text((FIXTURES / "catalogue" / "alpha.ttl").read_text(encoding="utf-8") + forged, encoding="utf-8")
    with EmbeddedStore(path) as store:
        before = state(store)
    result = run_cli("ingest", "--store", path, "--lang", "en", case)
    assert result.code == 2, result.stderr
    assert f'"{ISV["mix"]}" is a term of isgraph\'s views, which it derives itself' in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with EmbeddedStore(path) as store:
        assert state(store) == before
