"""The views kept at ingest (isgraph.store.views): every catalogue query on the views gives
its definition's rows, and the views follow every write, a crash included."""

from __future__ import annotations

import functools
import io
import json
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.graph.generator import generate_cases
from isgraph.namespaces import GRAPH, ISG, ISV, OWL, PRINCIPLE, RDFS, ROLE, SKOS, XSD
from isgraph.query import catalogue
from isgraph.store import EmbeddedStore, aggregates, answers, select_values
from isgraph.store.aggregates import COVERAGE
from isgraph.store.answers import ANSWER_FORMATS, joined, label_columns
from isgraph.store.labels import label_terms
from isgraph.store.ranks import GAP, NoRoom, Ranks
from isgraph.store.row_nodes import ROW_TAIL, row_node
from isgraph.store.rows import select as rows_of
from isgraph.store.views import FOLDER, VERSION, VIEWS, Views, view_graph

from .conftest import FIXTURES, ROOT, run_cli

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
DECIMAL = XSD["decimal"]
#: Columns that list names: their order is the engine's (GROUP_CONCAT), not the query's.
LISTS = {"mix", "elements", "roles"}
#: Parameters other than the defaults, per query.
OTHER_VALUES: dict[str, list[dict[str, str]]] = {
    "actor-pairs": [{"min": "2"}, {"min": "0"}, {"same_as": "true"}, {"min": "2", "same_as": "true"}],
    "actors-in-several-initiatives": [{"min": "1"}, {"min": "3"}, {"min": "0"}, {"lang": "en"}, {"lang": "de"}],
    "plural-economic-model": [{"min": "3"}],
    "elements-to-follow": [{"lang": "en"}],
    "carrier-kinds": [{"lang": "en"}],
}


def rows(store: EmbeddedStore, sparql: str) -> list[tuple[str, ...]]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(_listed(row[n]) if n in LISTS else ("" if row[n] is None else str(row[n])) for n in names) for row in result]


def labelled(store: EmbeddedStore, sparql: str, lang: str = "fr") -> list[tuple[str, ...]]:
    """The rows of ``sparql`` with each label column the query leaves empty filled as isgraph
    fills it (:func:`isgraph.store.answers.label_columns`, in ``lang``)."""
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    at = [(names.index(label), names.index(of)) for label, of in label_columns(names)]
    found = rows(store, sparql)
    missing = {row[of][1:-1] for row in found for label, of in at if not row[label] and row[of].startswith("<")}
    labels = {f"<{iri}>": str(term) for iri, term in label_terms(store, missing, lang).items()}
    filled = []
    for row in found:
        row = list(row)
        for label, of in at:
            row[label] = row[label] or labels.get(row[of], "")
        filled.append(tuple(row))
    return filled


def _listed(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    return "" if term is None else ", ".join(sorted(term.value.split(", ")))


@pytest.fixture(scope="module")
def generated(catalogue_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The catalogue's cases, 300 generated ones (with defects and shared actors), and a
    pair of actors said to be the same."""
    path = tmp_path_factory.mktemp("views") / "store"
    shutil.copytree(catalogue_store, path)
    with EmbeddedStore(path) as store:
        store.replace_graphs(dict(generate_cases(300, seed=7, defects=0.2)))
        actors = sorted({q.object.value for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(ISG["participant"]), None)})
        store.add(
            GRAPH["matches/accepted"], [ox.Triple(ox.NamedNode(actors[5]), ox.NamedNode(OWL["sameAs"]), ox.NamedNode(actors[1]))]
        )
        yield store


@pytest.mark.parametrize("name", sorted(q.name for q in catalogue.load_catalogue() if q.with_views or q.with_aggregate))
def test_a_query_on_the_views_gives_its_definitions_rows(generated: EmbeddedStore, name: str) -> None:
    query = catalogue.find(name)
    for values in [{}, *OTHER_VALUES.get(name, [])]:
        assert query.text_for(generated, values) in {query.with_views, query.with_aggregate} - {None, query.sparql}
        lang = query.language(values)
        expected = labelled(generated, query.bind(values), lang)  # no store: the definition
        assert expected, (name, values)  # the data asks something of every query
        assert labelled(generated, query.bind(values, generated), lang) == expected, (name, values)
        page = labelled(generated, query.bind(values, generated, limit=7, offset=3), lang)
        assert page == expected[3:10], (name, values)


def test_an_aggregate_answers_for_the_values_it_is_kept_for(generated: EmbeddedStore) -> None:
    query = catalogue.find("actor-pairs")
    assert query.aggregate_when == (("same_as", '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'),)
    assert query.text_for(generated) == query.with_aggregate
    assert query.text_for(generated, {"min": "3", "same_as": "false"}) == query.with_aggregate
    assert query.text_for(generated, {"same_as": "true"}) == query.with_views
    assert query.text_for(generated, {"same_as": "yes"}) == query.with_views  # refused as it is bound
    assert query.text_for(None) == query.sparql
    assert {q.name for q in catalogue.load_catalogue() if q.with_aggregate} == {
        "actor-pairs",
        "actors-in-several-initiatives",
        "who-funds-what",
    }


def test_the_views_cover_the_slowest_questions() -> None:
    with_views = {q.name for q in catalogue.load_catalogue() if q.with_views is not None}
    assert with_views == {
        "actor-pairs",
        "carrier-kinds",
        "civil-society-beyond-use",
        "elements-to-follow",
        "esid-criteria",
        "grid-coverage-per-case",
        "grid-coverage-per-territory",
        "initiatives-per-territory",
        "level-changes",
        "plural-economic-model",
        "principles-per-initiative",
        "principles-per-territory",
        "roles-per-initiative",
    }


def test_each_view_says_where_it_comes_from(generated: EmbeddedStore) -> None:
    case = (
        GRAPH["case/alpha"]
        if GRAPH["case/alpha"] in generated.named_graphs()
        else next(g for g in generated.named_graphs() if g.startswith(GRAPH["case/"]))
    )
    view = ox.NamedNode(view_graph(case))
    said = {(q.predicate.value, q.object) for q in generated.oxigraph.quads_for_pattern(view, None, None, view)}
    generation = next(o for p, o in said if p == ISV["generation"])
    assert said == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(ISV["View"])),
        ("http://www.w3.org/ns/prov#wasDerivedFrom", ox.NamedNode(case)),
        (ISV["generation"], generation),
    }
    # the number of the derivation that made it: it grows with each write that derives views
    assert isinstance(generation, ox.Literal) and generation.datatype.value.endswith("#integer")
    newest = max(int(q.object.value) for q in generated.oxigraph.quads_for_pattern(None, ox.NamedNode(ISV["generation"]), None))
    generated.replace_graphs(
        {case: [q.triple for q in generated.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(case))]}
    )
    again = next(generated.oxigraph.quads_for_pattern(view, ox.NamedNode(ISV["generation"]), None, view)).object
    assert int(again.value) > newest


# --- the views follow the writes ---------------------------------------------------------------
CASE = GRAPH["case/v-one"]
INITIATIVE = "https://w3id.org/isgraph/id/initiative/v-one"


def case_triples(principles: tuple[str, ...], initiative: str = INITIATIVE) -> list[ox.Triple]:
    i = ox.NamedNode(initiative)
    triples = [ox.Triple(i, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(ISG["Initiative"]))]
    for n, principle in enumerate(principles):
        c = ox.NamedNode(f"{initiative}/contribution/{n}")
        triples += [
            ox.Triple(c, ox.NamedNode(ISG["contributionTo"]), i),
            ox.Triple(c, ox.NamedNode(ISG["principle"]), ox.NamedNode(f"https://w3id.org/isgraph/principle/{principle}")),
        ]
    return triples


def view_of(store: EmbeddedStore, initiative: str, prop: str) -> list[str]:
    return sorted(
        str(q.object.value) for q in store.oxigraph.quads_for_pattern(ox.NamedNode(initiative), ox.NamedNode(ISV[prop]), None)
    )


def test_the_views_follow_adding_replacing_and_dropping_a_case() -> None:
    store = EmbeddedStore(None)
    store.keeps_views()
    store.replace_graphs({CASE: case_triples(("marche",))})
    assert view_of(store, INITIATIVE, "mix") == ["marche"]
    store.replace_graphs({CASE: case_triples(("marche", "reciprocite"))})
    assert view_of(store, INITIATIVE, "mix") == ["marche, reciprocite"]
    assert view_of(store, INITIATIVE, "principles") == ["2"]
    store.update(f"DELETE WHERE {{ GRAPH <{CASE}> {{ ?c <{ISG['principle']}> <https://w3id.org/isgraph/principle/marche> }} }}")
    assert view_of(store, INITIATIVE, "mix") == ["reciprocite"]
    store.drop_graphs([CASE])
    assert view_of(store, INITIATIVE, "mix") == []
    assert [g for g in store.named_graphs() if g.startswith(VIEWS)] == []
    assert store._views is not None and store._views.fresh


def test_rows_are_read_back_under_initiatives_whatever_their_iris() -> None:
    """A row is named under its initiative (row_nodes.row_node) and a query cuts the name to
    read the initiative back: initiatives whose IRIs end in a query or a fragment, or hold
    "/isv-row-" themselves, get their own rows back, and an actor typed in another case
    joins the civil-society rows of both."""
    store = EmbeddedStore(None)
    store.keeps_views()
    actor = ox.NamedNode("https://example.org/actor/a")
    typed = ox.Triple(actor, ox.NamedNode(RDF_TYPE), ox.NamedNode(ISG["Association"]))
    initiatives = ["https://example.org/i?x=1", "https://example.org/i#me", "https://example.org/i/isv-row-0"]
    graphs = {}
    for n, initiative in enumerate(initiatives):
        i, p = ox.NamedNode(initiative), ox.NamedNode(f"https://example.org/p/{n}")
        graphs[GRAPH[f"case/v-iri-{n}"]] = [
            ox.Triple(i, ox.NamedNode(RDF_TYPE), ox.NamedNode(ISG["Initiative"])),
            ox.Triple(p, ox.NamedNode(ISG["participationIn"]), i),
            ox.Triple(p, ox.NamedNode(ISG["participant"]), actor),
            ox.Triple(p, ox.NamedNode(ISG["role"]), ox.NamedNode(ROLE["porteur" if n else "usager"])),
        ]
    graphs[GRAPH["case/v-iri-1"]].append(typed)  # described in one case, read by the others
    store.replace_graphs(graphs)
    query = catalogue.find("civil-society-beyond-use")
    expected = [
        (str(actor), f"<{ISG['Association']}>", f"<{initiative}>", f"<{ROLE['porteur']}>") for initiative in initiatives[1:]
    ]
    assert rows(store, query.bind({}, store)) == rows(store, query.bind({})) == sorted(expected, key=lambda r: r[2])
    roles = catalogue.find("roles-per-initiative")
    assert [r[:2] for r in rows(store, roles.bind({}, store))] == [
        (f"<{i}>", f"<{ROLE['usager' if n == 0 else 'porteur']}>") for n, i in sorted(enumerate(initiatives), key=lambda x: x[1])
    ]
    nodes = {q.subject.value for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(ISV["civilPosition"]), None)}
    assert sorted(node[: -len("/isv-row-") - 24] for node in nodes) == sorted(initiatives[1:])


def test_the_queries_cut_the_rows_names_as_the_views_write_them() -> None:
    """Each query on the views that reads an initiative from a row's name cuts as many
    characters as row_nodes.row_node adds (the text of the queries holds the number)."""
    cutting = {p.name for p in (ROOT / "queries" / "views").glob("*.rq") if "SUBSTR(STR(?row)" in p.read_text(encoding="utf-8")}
    assert cutting == {
        f"{n}.rq"
        for n in ("civil-society-beyond-use", "elements-to-follow", "esid-criteria", "level-changes", "roles-per-initiative")
    }
    for name in cutting:
        assert f"STRLEN(STR(?row)) - {ROW_TAIL}))" in (ROOT / "queries" / "views" / name).read_text(encoding="utf-8")
    assert row_node("https://example.org/i", "roles", []).value[:-ROW_TAIL] == "https://example.org/i"


LISTINGS = [
    "civil-society-beyond-use",
    "elements-to-follow",
    "esid-criteria",
    "level-changes",
    "roles-per-initiative",
    "actors-in-several-initiatives",  # an aggregate cut at the middle row its histogram gives
    "who-funds-what",  # an aggregate whose positions are ranks alone
]


@pytest.mark.parametrize("media", sorted(ANSWER_FORMATS))
def test_a_whole_listing_written_in_two_parts_is_the_answer_written_whole(generated: EmbeddedStore, media: str) -> None:
    """The listings on the views are written in two parts, the cases of the first half of
    the ranks and the others, and so is who funds what, cut at the middle of its positions,
    each on a thread: the same bytes as the one text gives, about half of the rows in each
    part, and the definition's rows in the same order."""
    cut = [q.name for q in catalogue.load_catalogue() if len(q.whole({}, generated)) == 2]
    assert cut == sorted(LISTINGS)
    for name in cut:
        query = catalogue.find(name)
        # in German, the elements have no label: isgraph fills each (its French one)
        asked: list[dict[str, str]] = [{}, {"lang": "de"}] if any(p.name == "lang" for p in query.params) else [{}]
        if name == "actors-in-several-initiatives":  # the middle row of every actor, or of those in three or more
            asked += [{"min": "1"}, {"min": "3", "lang": "en"}]
        for values in asked:
            labels = query.language(values) if query.fills_labels() else None
            first, second = query.whole(values, generated)
            lang = query.language(values)
            expected = labelled(generated, query.bind(values), lang)  # no store: the definition
            assert labelled(generated, first, lang) + labelled(generated, second, lang) == expected, (name, values)
            if len(expected) > 20:  # a listing of a few rows may have them all in one half
                assert 0.3 < len(rows(generated, first)) / len(expected) < 0.7, (name, values)
            whole, parts = io.BytesIO(), io.BytesIO()
            generated.write_answer(query.bind(values, generated), whole, media, labels=labels)
            generated.write_answer([first, second], parts, media, labels=labels)
            assert parts.getvalue() == whole.getvalue(), (name, values)
            if name == "elements-to-follow":  # its labels, bound by the query or filled by isgraph
                assert b"Changement social" in parts.getvalue()


def test_the_parts_of_an_answer_read_one_state_of_the_store_whatever_is_written_meanwhile(
    catalogue_store: Path, tmp_path: Path
) -> None:
    """A write that comes while the two parts of an answer start waits until both have: the
    answer is the store's before the write (no case left out of it), and the write lands."""
    shutil.copytree(catalogue_store, tmp_path / "store")
    store = EmbeddedStore(tmp_path / "store")
    cases = dict(generate_cases(40, seed=3, defects=0.0))
    store.replace_graphs(cases)
    query = catalogue.find("esid-criteria")
    first, second = query.whole({}, store)
    before = io.BytesIO()
    store.write_answer(query.bind({}, store), before, "text/csv")
    described = {
        t.subject.value: graph for graph, triples in cases.items() for t in triples if t.object.value == ISG["Initiative"]
    }
    initiative = [row[0][1:-1] for row in rows(store, second) if row[0][1:-1] in described][-1]  # a case of the second half
    last = described[initiative]
    real, first_started = store.query, threading.Event()

    def query_slowly(sparql: str, **kwargs: object) -> object:
        if sparql == second:  # the second part starts later: time for a write to come first
            assert first_started.wait(5)
            time.sleep(0.3)
        result = real(sparql)
        if sparql == first:
            first_started.set()
        return result

    store.query = query_slowly  # type: ignore[method-assign]
    writer = threading.Thread(target=lambda: first_started.wait(5) and store.drop_graphs([last]))
    writer.start()
    parts = io.BytesIO()
    store.write_answer([first, second], parts, "text/csv")
    writer.join()
    store.query = real  # type: ignore[method-assign]
    assert parts.getvalue() == before.getvalue()
    assert initiative.encode() in parts.getvalue()
    assert not any(row[0] == f"<{initiative}>" for row in rows(store, query.bind({}, store)))  # the write landed after


@pytest.mark.parametrize("media", sorted(ANSWER_FORMATS))
def test_parts_are_copied_whole_whatever_the_size_of_the_pieces(monkeypatch: pytest.MonkeyPatch, media: str) -> None:
    """Parts are joined a piece at a time: pieces of 3 bytes cut the heads, the rows and the
    ends anywhere, and an empty part in the middle adds nothing."""
    store = ox.Store()
    for n in range(6):
        store.add(ox.Quad(ox.NamedNode(f"http://x/{n}"), ox.NamedNode("http://x/n"), ox.Literal(str(n), datatype=INTEGER)))
    query = "SELECT ?s ?n WHERE { ?s <http://x/n> ?n %s } ORDER BY ?n"
    parts = [query % "FILTER (?n < 2)", query % "FILTER (?n > 9)", query % "FILTER (?n >= 2)"]
    whole, joined_parts = io.BytesIO(), io.BytesIO()
    answers.write_answer([query % ""], store.query, whole, media)
    monkeypatch.setattr(answers, "_CHUNK", 3)
    answers.write_answer(parts, store.query, joined_parts, media)
    assert joined_parts.getvalue() == whole.getvalue()


def test_parts_are_joined_only_when_they_are_documents_of_the_same_variables() -> None:
    csv, json = ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.JSON
    assert joined([b"x\r\n", b"x\r\n1\r\n", b"x\r\n"], csv) == b"x\r\n1\r\n"
    assert (
        joined([b'{"head":{"vars":[]},"results":{"bindings":[]}}'] * 2, json) == b'{"head":{"vars":[]},"results":{"bindings":[]}}'
    )
    with pytest.raises(ValueError, match="different variables"):
        joined([b"x\r\n1\r\n", b"y\r\n2\r\n"], csv)
    with pytest.raises(ValueError, match="not a SPARQL results document"):
        joined([b'{"head":{"vars":["x"]},"results":{"bindings":[]}}', b"x\r\n"], json)


def test_a_link_from_another_graph_reaches_the_initiatives_view() -> None:
    store = EmbeddedStore(None)
    store.keeps_views()
    store.replace_graphs({CASE: case_triples(("marche",))})
    other = GRAPH["case/v-other"]
    contribution = ox.NamedNode("https://w3id.org/isgraph/id/v-other/contribution")
    store.add(
        other,
        [
            ox.Triple(contribution, ox.NamedNode(ISG["contributionTo"]), ox.NamedNode(INITIATIVE)),
            ox.Triple(
                contribution, ox.NamedNode(ISG["principle"]), ox.NamedNode("https://w3id.org/isgraph/principle/redistribution")
            ),
        ],
    )
    assert view_of(store, INITIATIVE, "mix") == ["marche, redistribution"]
    store.drop_graphs([other])  # found before the write: the link is gone after it
    assert view_of(store, INITIATIVE, "mix") == ["marche"]


def test_a_territory_a_case_describes_reaches_the_views_under_it() -> None:
    store = EmbeddedStore(None)
    store.keeps_views()
    quartier, departement = ox.NamedNode("urn:x:quartier"), ox.NamedNode("urn:x:dep")
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.add(GRAPH["territories/test"], [ox.Triple(departement, a, ox.NamedNode(ISG["Departement"]))])
    store.replace_graphs(
        {CASE: [*case_triples(("marche",)), ox.Triple(ox.NamedNode(INITIATIVE), ox.NamedNode(ISG["territory"]), quartier)]}
    )
    assert view_of(store, INITIATIVE, "departement") == []
    other = GRAPH["case/v-describes-the-quartier"]
    store.add(other, [ox.Triple(quartier, ox.NamedNode(ISG["within"]), departement)])
    assert view_of(store, INITIATIVE, "departement") == ["urn:x:dep"]
    store.drop_graphs([other])
    assert view_of(store, INITIATIVE, "departement") == []


def test_a_store_reopened_after_a_write_cut_short_derives_its_views_again(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace_graphs({CASE: case_triples(("marche",))})
        assert view_of(store, INITIATIVE, "mix") == ["marche"]
        # the write reaches RocksDB, the process dies before the views follow: stale, said so first
        store._views.mark_stale()  # type: ignore[union-attr]  # the store on disk keeps views
        contribution = ox.NamedNode(f"{INITIATIVE}/contribution/9")
        store.oxigraph.extend(
            [
                ox.Quad(contribution, ox.NamedNode(ISG["contributionTo"]), ox.NamedNode(INITIATIVE), ox.NamedNode(CASE)),
                ox.Quad(
                    contribution,
                    ox.NamedNode(ISG["principle"]),
                    ox.NamedNode("https://w3id.org/isgraph/principle/reciprocite"),
                    ox.NamedNode(CASE),
                ),
            ]
        )
        assert not store._views.fresh  # type: ignore[union-attr]
    with EmbeddedStore(tmp_path / "store") as store:
        assert view_of(store, INITIATIVE, "mix") == ["marche, reciprocite"]
        assert store._views is not None and store._views.fresh


def test_views_of_another_version_are_derived_again(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace_graphs({CASE: case_triples(("marche",))})
        (tmp_path / "store" / FOLDER / "state.json").write_text('{"state": "fresh", "version": "0"}', encoding="utf-8")
        store.oxigraph.update(f"DELETE WHERE {{ GRAPH ?v {{ <{INITIATIVE}> <{ISV['mix']}> ?m }} }}")
    with EmbeddedStore(tmp_path / "store") as store:
        assert view_of(store, INITIATIVE, "mix") == ["marche"]


def test_a_store_that_makes_its_views_again_says_so_and_a_new_store_says_nothing(tmp_path: Path) -> None:
    """Views of another version are made again as the store opens, which takes minutes at
    50,000 cases: the command line says so before and after, in the language asked; the
    store process of the server tells the server, which waits for it however long it takes
    (it gave up after 120 s); a new store, made rather than made again, says nothing."""
    from isgraph.store.process import ProcessStore

    told: list[tuple[str, float | None]] = []
    with EmbeddedStore(tmp_path / "store", on_remake=lambda what, seconds: told.append((what, seconds))) as store:
        store.replace_graphs({CASE: case_triples(("marche",))})
    assert told == []
    state = tmp_path / "store" / FOLDER / "state.json"
    for lang, before, after, rows in (
        (
            "en",
            "isgraph: the store makes its views again (made by another version of isgraph, or left behind by a "
            "write cut short); on a large store this takes minutes",
            r"isgraph: views made again in \d+\.\d s",
            "(1 row)",
        ),
        (
            "fr",
            "isgraph : l'entrepôt refait ses vues (faites par une autre version d'isgraph, ou laissées en arrière "
            "par une écriture interrompue) ; sur un grand entrepôt, cela prend quelques minutes",
            r"isgraph : vues refaites en \d+\.\d s",
            "(1 ligne)",
        ),
    ):
        state.write_text('{"state": "fresh", "version": "0"}', encoding="utf-8")
        done = run_cli(
            "--lang", lang, "--store", tmp_path / "store", "sparql", f"SELECT ?m WHERE {{ <{INITIATIVE}> <{ISV['mix']}> ?m }}"
        )
        lines = done.stderr.splitlines()
        assert (done.code, len(lines), lines[0]) == (0, 2, before), done.stderr
        assert re.fullmatch(after, lines[1]), lines[1]
        assert done.stdout == f"m\n------\nmarche\n{rows}\n"
    again = run_cli("--store", tmp_path / "store", "sparql", "ASK {}")
    assert (again.code, again.stderr) == (0, "")  # made again once: fresh from then on
    state.write_text('{"state": "fresh", "version": "0"}', encoding="utf-8")
    told.clear()
    served = ProcessStore(tmp_path / "store", replica=False, on_remake=lambda what, seconds: told.append((what, seconds)))
    try:
        assert [what for what, _ in told] == ["views", "views"]
        assert told[0][1] is None and told[1][1] is not None and told[1][1] >= 0
        mixes = select_values(served, f"SELECT ?m WHERE {{ GRAPH ?v {{ <{INITIATIVE}> <{ISV['mix']}> ?m }} }}")
        assert mixes == [{"m": "marche"}]
    finally:
        served.close()


# --- ranks ------------------------------------------------------------------------------------
def test_ranks_grow_with_the_iris_and_stay_put() -> None:
    store = EmbeddedStore(None)
    store.keeps_views()
    names = [f"https://w3id.org/isgraph/id/initiative/r{n}" for n in (10, 30, 20, 5, 25)]
    for n, name in enumerate(names):
        store.replace_graphs({GRAPH[f"case/r{n}"]: case_triples(("marche",), name)})
    ranks = {name: int(view_of(store, name, "rank")[0]) for name in names}
    assert sorted(names, key=ranks.__getitem__) == sorted(names)
    store.replace_graphs({GRAPH["case/r0"]: case_triples(("reciprocite",), names[0])})
    assert int(view_of(store, names[0], "rank")[0]) == ranks[names[0]]  # a case described again keeps its rank


def test_ranks_are_given_again_when_none_is_left_between_two() -> None:
    ranks = Ranks()
    ranks.append("b")
    ranks.append("d")
    assert (ranks.of("b"), ranks.of("d")) == (GAP, 2 * GAP)
    ranks.place("c", None)
    assert ranks.of("c") == GAP + GAP // 2
    ranks.place("a", None)
    assert ranks.of("a") == GAP // 2
    ranks.place("e", None)
    assert ranks.of("e") == 3 * GAP
    squeezed = Ranks()
    squeezed.keep("b", 1)
    squeezed.keep("d", 2)
    with pytest.raises(NoRoom):
        squeezed.place("c", None)


def test_the_views_generations_only_grow_from_one_process_to_the_next(tmp_path: Path) -> None:
    """A write derives views of a generation above every one before it, in another process
    too: even when the views of the latest were dropped since (the stored classification
    says which generation it read, and reads again only what is newer). The generation is
    said with fresh views; a store whose views are stale reads it from them."""
    path = tmp_path / "s"
    other = GRAPH["case/other"]

    def generation_of(store: EmbeddedStore, case: str) -> int:
        view = ox.NamedNode(view_graph(case))
        return int(next(store.oxigraph.quads_for_pattern(view, ox.NamedNode(ISV["generation"]), None, view)).object.value)

    with EmbeddedStore(path) as store:
        store.replace_graphs({CASE: case_triples(("marche",))})
        first = generation_of(store, CASE)
    with EmbeddedStore(path) as store:
        store.drop_graphs([CASE])
    with EmbeddedStore(path) as store:
        store.replace_graphs({other: case_triples(("marche",), "https://w3id.org/isgraph/id/initiative/other")})
        assert generation_of(store, other) == first + 2
    (path / FOLDER / "state.json").write_text(json.dumps({"state": "stale", "version": VERSION}), encoding="utf-8")
    with EmbeddedStore(path) as store:  # every view derived again, numbered on from the latest they hold
        assert generation_of(store, other) == first + 3


def test_a_store_with_no_room_between_two_ranks_ranks_every_case_again() -> None:
    store = EmbeddedStore(None)
    store.keeps_views()
    first, last = (f"https://w3id.org/isgraph/id/initiative/{n}" for n in ("a", "c"))
    store.replace_graphs({GRAPH["case/a"]: case_triples(("marche",), first), GRAPH["case/c"]: case_triples(("marche",), last)})
    view = ox.NamedNode(view_graph(GRAPH["case/c"]))
    store.oxigraph.update(
        f"DELETE WHERE {{ GRAPH <{view.value}> {{ <{last}> <{ISV['rank']}> ?r }} }} ;"
        f"INSERT DATA {{ GRAPH <{view.value}> {{ <{last}> <{ISV['rank']}> {int(view_of(store, first, 'rank')[0]) + 1} }} }}"
    )
    store._views = Views(store.oxigraph)  # ranks read again from the store
    middle = "https://w3id.org/isgraph/id/initiative/b"
    store.replace_graphs({GRAPH["case/b"]: case_triples(("marche",), middle)})
    assert [int(view_of(store, n, "rank")[0]) for n in (first, middle, last)] == [GAP, 2 * GAP, 3 * GAP]


def test_a_write_to_a_view_is_undone() -> None:
    store = EmbeddedStore(None)
    store.keeps_views()
    store.replace_graphs({CASE: case_triples(("marche",))})
    view = view_graph(CASE)
    store.update(f'INSERT DATA {{ GRAPH <{view}> {{ <{INITIATIVE}> <{ISV["mix"]}> "forged" }} }}')
    assert view_of(store, INITIATIVE, "mix") == ["marche"]
    store.update(f"DROP GRAPH <{view}>")
    assert view_of(store, INITIATIVE, "mix") == ["marche"]


def test_the_coverage_per_departement_follows_each_write(catalogue_store: Path, tmp_path: Path) -> None:
    """The aggregate's rows (isgraph.store.aggregates) equal the definition's after a case
    comes, moves to another département, has its levels changed, and goes, and after a forged
    row. The case describes no territory, so its write reaches its own view alone."""
    path = tmp_path / "store"
    shutil.copytree(catalogue_store, path)
    query = catalogue.find("grid-coverage-per-territory")
    with EmbeddedStore(path) as store:
        store.replace_graphs(dict(generate_cases(40, seed=3, defects=0.2)))

        def both() -> list[tuple[str, ...]]:
            expected = rows(store, query.bind())  # no store: the definition
            assert expected and rows(store, query.bind(None, store)) == expected
            return expected

        before = both()
        placed = {
            q.object.value: q.subject.value
            for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(ISV["departement"]), None)
        }
        places: dict[str, ox.NamedNode] = {}  # a territory of a generated case in each of two départements
        for departement, initiative in sorted(placed.items()):
            place = next(store.oxigraph.quads_for_pattern(ox.NamedNode(initiative), ox.NamedNode(ISG["territory"]), None)).object
            assert isinstance(place, ox.NamedNode)
            places[departement] = place
        first, second = sorted(places)[:2]

        def mover(territory: ox.NamedNode, level: str) -> list[ox.Triple]:
            i, c, a = (ox.NamedNode(f"https://w3id.org/isgraph/id/v-mover/{n}") for n in ("initiative", "c", "a"))
            return [
                ox.Triple(i, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(ISG["Initiative"])),
                ox.Triple(i, ox.NamedNode(ISG["territory"]), territory),
                ox.Triple(c, ox.NamedNode(ISG["characterises"]), i),
                ox.Triple(c, ox.NamedNode(ISG["hasElementAssessment"]), a),
                ox.Triple(a, ox.NamedNode(ISG["element"]), ox.NamedNode("https://w3id.org/isgraph/grid/accessibilite")),
                ox.Triple(a, ox.NamedNode(ISG["level"]), ox.NamedNode(f"https://w3id.org/isgraph/level/{level}")),
            ]

        moving = GRAPH["case/v-mover"]
        store.replace_graphs({moving: mover(places[first], "absent")})
        came = both()
        assert came != before
        store.replace_graphs({moving: mover(places[second], "absent")})
        moved = both()
        assert moved != came
        store.replace_graphs({moving: mover(places[second], "present")})
        assert both() != moved
        store.drop_graphs([moving])
        assert both() == before
        forged = f"INSERT DATA {{ GRAPH <{COVERAGE}> {{ <urn:x:row> <{ISV['inDepartement']}> <urn:x:dep> }} }}"
        store.update(forged)
        assert both() == before


def initiative_with(initiative: str, members: list[str], role: Callable[[int], str | None]) -> list[ox.Triple]:
    """An initiative and a participation of each of its ``members`` (the n-th with the role
    ``role(n)``, or none)."""
    i = ox.NamedNode(initiative)
    triples = [ox.Triple(i, ox.NamedNode(RDF_TYPE), ox.NamedNode(ISG["Initiative"]))]
    for n, member in enumerate(members):
        p = ox.NamedNode(f"{initiative}/participation/{n}")
        triples += [
            ox.Triple(p, ox.NamedNode(ISG["participationIn"]), i),
            ox.Triple(p, ox.NamedNode(ISG["participant"]), ox.NamedNode(member)),
        ]
        if (held := role(n)) is not None:
            triples.append(ox.Triple(p, ox.NamedNode(ISG["role"]), ox.NamedNode(held)))
    return triples


@pytest.mark.parametrize("gap", [aggregates.PAIR_GAP, 1])
def test_the_actors_aggregates_follow_each_write(
    catalogue_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gap: int
) -> None:
    """The rows of the pairs of actors and of the actors in several initiatives
    (isgraph.store.aggregates) equal their definitions' after a case comes with actors of
    other cases, loses one, is copied into another graph, and goes, and after a forged row;
    with ranks one apart, every new pair or actor finds no room and all are ranked again."""
    monkeypatch.setattr(aggregates, "PAIR_GAP", gap)
    monkeypatch.setattr(aggregates, "ACTOR_GAP", gap)
    path = tmp_path / "store"
    shutil.copytree(catalogue_store, path)
    query = catalogue.find("actor-pairs")
    several = catalogue.find("actors-in-several-initiatives")
    with EmbeddedStore(path) as store:
        store.drop_graphs([g for g in store.named_graphs() if g.startswith(VIEWS)])  # derived again, ranked gap apart
        store.replace_graphs(dict(generate_cases(40, seed=3, defects=0.2)))

        def both(values: dict[str, str] | None = None) -> list[tuple[str, ...]]:
            for other in ({"min": "1"}, {}):  # the actors in several initiatives, each time
                wanted = labelled(store, several.bind(other))
                assert wanted and labelled(store, several.bind(other, store)) == wanted
                assert labelled(store, several.bind(other, store, limit=5, offset=2)) == wanted[2:7]
            expected = rows(store, query.bind(values))  # no store: the definition
            assert expected and rows(store, query.bind(values, store)) == expected
            assert rows(store, query.bind(values, store, limit=5, offset=2)) == expected[2:7]
            (held, last), (counted, highest) = actors_by_count(store), counted_from_rows(store)
            assert held == counted and last >= highest  # (an actor gone may have held the last rank)
            return expected

        before = both()
        actors = sorted({q.object.value for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(ISG["participant"]), None)})
        assert len(actors) > 20

        def joiner(members: list[str], initiative: str = "https://w3id.org/isgraph/id/v-joiner/initiative") -> list[ox.Triple]:
            # a role one time in two (without one, a participation counts among the pairs alone)
            return initiative_with(initiative, members, lambda n: f"{ROLE}partenaire-{n}" if n % 2 == 0 else None)

        joining, copy = GRAPH["case/v-joiner"], GRAPH["import/v-joiner-copy"]
        newcomer = "https://w3id.org/isgraph/id/v-joiner/actor"
        between = actors[5] + "-0"  # a new actor whose IRI lies between two others'
        alone = held_alone(store)
        store.replace_graphs({joining: joiner([actors[3], actors[11], between, actors[17], newcomer])})
        came = both()
        joined = alone - held_alone(store)  # in a second initiative now: read when min is two
        assert joined and {newcomer, between} <= held_alone(store)
        assert joined <= {row[0][1:-1] for row in rows(store, several.bind({}, store))}
        assert came != before and any(f"<{newcomer}>" in row for row in came)
        assert {f"<{newcomer}>", f"<{between}>"} <= {row[0] for row in rows(store, several.bind({"min": "1"}, store))}
        assert both({"min": "2"}) == [row for row in came if int(row[2].split('"')[1]) >= 2]
        store._views = Views(store.oxigraph, path / FOLDER)  # as a new process: the pairs' ranks read from their rows
        store.replace_graphs({joining: joiner([actors[3], actors[17]])})  # no new pair: the ranks of its rows alone
        lost = both()
        assert lost != came and not any(f"<{newcomer}>" in row for row in lost)
        store._views = Views(store.oxigraph, path / FOLDER)
        store.replace_graphs({copy: joiner([actors[3], actors[17], newcomer])})  # the same initiative, counted once
        assert both() != lost
        store.drop_graphs([joining, copy])
        assert both() == before
        assert held_alone(store) == alone  # those who joined hold one initiative again
        forged = f"INSERT DATA {{ GRAPH <{aggregates.PAIRS}> {{ <urn:x:row> <{ISV['pairPosition']}> 1 }} }}"
        store.update(forged)
        assert both() == before
        store.update(forged.replace(aggregates.PAIRS, aggregates.ACTORS).replace("pairPosition", "actorPosition"))
        assert both() == before


def test_the_actors_cut_is_read_from_their_histogram() -> None:
    """The cut of the actors' whole answer: in the count that holds the middle row of the
    actors in at least ``min`` initiatives, as far into the ranks as that row lies into the
    count's actors; none without a histogram, with fewer than two rows, or a ``min`` that is
    not a whole number."""
    node, graph = f"<{aggregates.AGGREGATES}row/actors-by-count>", f"<{aggregates.ACTORS}>"
    store = ox.Store()
    select = functools.partial(rows_of, store)
    assert aggregates.halfway(select, "actors-in-several-initiatives", {"min": "2"}) is None  # no histogram
    store.update(
        f'INSERT DATA {{ GRAPH {graph} {{ {node} <{ISV["actorsByCount"]}> "1 10, 2 4, 3 2" ; <{ISV["lastRank"]}> 1000 }} }}'
    )
    level = lambda shared: (aggregates.MOST_SHARED - shared) << aggregates.RANK_BITS  # noqa: E731
    assert aggregates.halfway(select, "actors-in-several-initiatives", {"min": "2"}) == level(2) | 250  # 1 row of 4 into 2
    assert aggregates.halfway(select, "actors-in-several-initiatives", {"min": "3"}) == level(3) | 500
    assert aggregates.halfway(select, "actors-in-several-initiatives", {"min": "0"}) == level(1) | 200  # 8 - 6 of 10
    assert aggregates.halfway(select, "actors-in-several-initiatives", {"min": "4"}) is None
    assert aggregates.halfway(select, "actors-in-several-initiatives", {"min": "two"}) is None
    assert aggregates.halfway(select, "actor-pairs", {}) is None  # its positions hold counts: no cut


def actors_by_count(store: EmbeddedStore) -> tuple[str, int]:
    """The histogram of the actors in several initiatives, and its last rank, as the aggregate holds them."""
    held = {
        q.predicate.value: q.object.value
        for q in store.oxigraph.quads_for_pattern(
            ox.NamedNode(aggregates.AGGREGATES + "row/actors-by-count"), None, None, ox.NamedNode(aggregates.ACTORS)
        )
    }
    assert set(held) == {ISV["actorsByCount"], ISV["lastRank"]}
    return held[ISV["actorsByCount"]], int(held[ISV["lastRank"]])


def held_alone(store: EmbeddedStore) -> set[str]:
    """The actors whose rows hold the position of an actor in one initiative."""
    return {actor for actor, name, _ in actor_positions(store) if name == "oneInitiativePosition"}


def actor_positions(store: EmbeddedStore) -> list[tuple[str, str, int]]:
    """Each row of the actors in several initiatives: its actor, the property that holds its
    position, and the position; each row a node of its own, which names one actor."""
    graph = ox.NamedNode(aggregates.ACTORS)
    found = []
    for name in ("actorPosition", "oneInitiativePosition"):
        for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(ISV[name]), None, graph):
            (actor,) = store.oxigraph.quads_for_pattern(q.subject, ox.NamedNode(ISV["actorOfRow"]), None, graph)
            assert isinstance(actor.object, ox.NamedNode) and q.subject != actor.object
            found.append((actor.object.value, name, int(q.object.value)))
    return found


def counted_from_rows(store: EmbeddedStore) -> tuple[str, int]:
    """The histogram counted from the rows, and their highest rank; each row holds its
    position in isv:actorPosition when it counts two initiatives or more, else in
    isv:oneInitiativePosition, and in one of them alone."""
    positions, holders = [], []
    for actor, name, position in actor_positions(store):
        positions.append(position)
        holders.append(actor)
        several = aggregates.MOST_SHARED - (position >> aggregates.RANK_BITS) > 1
        assert several == (name == "actorPosition"), (actor, name)
    assert len(holders) == len(set(holders))
    counts: dict[int, int] = {}
    for position in positions:
        shared = aggregates.MOST_SHARED - (position >> aggregates.RANK_BITS)
        counts[shared] = counts.get(shared, 0) + 1
    ranks = [position & ((1 << aggregates.RANK_BITS) - 1) for position in positions]
    return ", ".join(f"{shared} {actors}" for shared, actors in sorted(counts.items())), max(ranks)


@pytest.mark.parametrize("gap", [aggregates.FUNDING_GAP, 1])
def test_who_funds_what_follows_each_write(
    catalogue_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gap: int
) -> None:
    """The rows of who funds what (isgraph.store.aggregates) equal the definition's, whole and
    a page at a time, after a case comes with funders of other cases (amounts ordered by their
    value, a principle that is not funding), loses some, is copied into another graph, loses
    its first graph, and goes, and after a forged row; with ranks one apart, every new row
    finds no room and all are ranked again."""
    monkeypatch.setattr(aggregates, "FUNDING_GAP", gap)
    path = tmp_path / "store"
    shutil.copytree(catalogue_store, path)
    query = catalogue.find("who-funds-what")
    with EmbeddedStore(path) as store:
        store.drop_graphs([g for g in store.named_graphs() if g.startswith(VIEWS)])  # derived again, ranked gap apart
        store.replace_graphs(dict(generate_cases(40, seed=3, defects=0.2)))

        def funded() -> list[tuple[str, ...]]:
            expected = rows(store, query.bind({}))  # no store: the definition
            assert expected and rows(store, query.bind({}, store)) == expected
            assert rows(store, query.bind({}, store, limit=5, offset=2)) == expected[2:7]
            return expected

        before = funded()
        funders = sorted({row[0][1:-1] for row in before})
        assert len(funders) > 10
        initiative = "https://w3id.org/isgraph/id/v-funded/initiative"

        def funding(who: list[str], amounts: dict[str, str]) -> list[ox.Triple]:
            i = ox.NamedNode(initiative)
            triples = initiative_with(initiative, who, lambda n: f"{ROLE}financeur")
            for n, (principle, amount) in enumerate(amounts.items()):
                r = ox.NamedNode(f"{initiative}/resource/{n}")
                triples += [
                    ox.Triple(r, ox.NamedNode(ISG["contributionTo"]), i),
                    ox.Triple(r, ox.NamedNode(ISG["provider"]), ox.NamedNode(who[0])),
                    ox.Triple(r, ox.NamedNode(ISG["principle"]), ox.NamedNode(principle.split("#")[0])),
                ]
                if amount:
                    triples.append(ox.Triple(r, ox.NamedNode(ISG["amount"]), ox.Literal(amount, datatype=ox.NamedNode(DECIMAL))))
            return triples

        funded_graph, copy = GRAPH["case/v-funded"], GRAPH["import/v-funded-copy"]
        newcomer = "https://w3id.org/isgraph/id/v-funded/funder"
        between = funders[5] + "-0"  # a new funder whose IRI lies between two others'
        amounts = {
            f"{PRINCIPLE}redistribution#1": "1000.00",
            f"{PRINCIPLE}redistribution#2": "900.5",  # before 1000.00: by value, not by text
            f"{PRINCIPLE}marche": "",
            f"{PRINCIPLE}reciprocite": "50",  # not funding
        }
        store.replace_graphs({funded_graph: funding([funders[3], between, funders[11], newcomer], amounts)})
        came = funded()
        mine = [row[3:] for row in came if row[1] == f"<{initiative}>" and row[0] == f"<{funders[3]}>"]
        assert mine == [
            (f"<{PRINCIPLE}marche>", ""),
            (f"<{PRINCIPLE}redistribution>", '"900.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
            (f"<{PRINCIPLE}redistribution>", '"1000"^^<http://www.w3.org/2001/XMLSchema#decimal>'),  # as the store keeps it
            ("", ""),
        ]
        assert {f"<{newcomer}>", f"<{between}>"} <= {row[0] for row in came}
        store._views = Views(store.oxigraph, path / FOLDER)  # as a new process: the ranks read from the rows
        store.replace_graphs({funded_graph: funding([funders[3]], {f"{PRINCIPLE}marche": "12"})})
        lost = funded()
        assert lost != came and not any(f"<{newcomer}>" in row for row in lost)
        store._views = Views(store.oxigraph, path / FOLDER)
        store.replace_graphs({copy: funding([funders[3], newcomer], {})})  # the same initiative in another graph
        both = funded()
        assert both != lost and any(f"<{newcomer}>" in row for row in both)
        store.drop_graphs([funded_graph])  # its copy's view keeps the initiative's rows
        assert funded() == [row for row in both if row[1] != f"<{initiative}>" or row[2] == '"role"']
        store.drop_graphs([copy])
        assert funded() == before
        forged = f"INSERT DATA {{ GRAPH <{aggregates.FUNDING}> {{ <urn:x:row> <{ISV['funder']}> <urn:x:f> }} }}"
        store.update(forged)
        assert funded() == before


def test_the_actors_labels_in_their_aggregate_follow_every_write_that_labels_them() -> None:
    """The rows of the actors in several initiatives hold each actor's label in French and in
    English, as isgraph fills a label column (in another language the column is filled after
    the query): a write that labels an actor anywhere (a case it takes no part in, another
    graph, the default graph) derives its row again, and so does the one that takes it away."""
    store = EmbeddedStore(None)
    store.keeps_views()
    store.replace_graphs(dict(generate_cases(30, seed=3, defects=0.0)))
    several = catalogue.find("actors-in-several-initiatives")
    actor = rows(store, several.bind({}, store))[0][0][1:-1]

    def shown() -> dict[str, str]:
        """The actor's label in each language, the rows equal to the definition's; in French
        and English (``aggregate_labels``) as the query answers them, with nothing to fill."""
        found = {}
        for lang in ("fr", "en", "de"):
            expected = labelled(store, several.bind({"lang": lang}), lang)
            assert labelled(store, several.bind({"lang": lang}, store), lang) == expected, lang
            if lang in several.aggregate_labels:
                assert rows(store, several.bind({"lang": lang}, store)) == expected, lang
            found[lang] = next(row[1] for row in expected if row[0] == f"<{actor}>")
        return found

    assert several.aggregate_labels == ("fr", "en")
    told = {lang: several.labels_filled_after({"lang": lang}, store) for lang in ("fr", "en", "de")}
    assert told == {"fr": None, "en": None, "de": "de"}  # the rows hold French and English
    assert several.labels_filled_after({"lang": "fr", "same_as": "true"}, store) == "fr"  # not the aggregate: the views
    assert several.labels_filled_after({"lang": "fr"}, None) == "fr"  # no views: the definition
    assert catalogue.find("actor-pairs").labels_filled_after({}, store) is None  # no label column
    before = shown()
    french = before["fr"]
    assert before == {"fr": french, "en": french, "de": french} and french.endswith('"@fr')
    subject, pref, label = ox.NamedNode(actor), ox.NamedNode(SKOS["prefLabel"]), ox.NamedNode(RDFS["label"])
    store.replace_graphs({GRAPH["case/v-namer"]: [ox.Triple(subject, label, ox.Literal("Org six", language="en"))]})
    assert shown() == {"fr": french, "en": '"Org six"@en', "de": french}
    store.add(GRAPH["import/v-directory"], [ox.Triple(subject, pref, ox.Literal("Organisation numéro six", language="fr"))])
    assert shown() == {"fr": '"Organisation numéro six"@fr', "en": '"Org six"@en', "de": '"Organisation numéro six"@fr'}
    store.update(f'INSERT DATA {{ <{actor}> <{SKOS["prefLabel"]}> "Org no. 6"@en }}')
    assert shown()["en"] == '"Org no. 6"@en'
    store.update(f'DELETE DATA {{ <{actor}> <{SKOS["prefLabel"]}> "Org no. 6"@en }}')
    store.drop_graphs([GRAPH["import/v-directory"], GRAPH["case/v-namer"]])
    assert shown() == before


def test_a_write_that_reaches_no_case_leaves_the_aggregates_alone(generated: EmbeddedStore) -> None:
    """A write that changes no view (the stored verdicts, say) asks the aggregates for
    nothing: they read no row and write none (each pair's row was written again at every
    such write, 17 s at 10,000 cases)."""
    asked: list[str] = []

    def select(sparql: str) -> ox.QuerySolutions:
        asked.append(sparql)
        result = generated.oxigraph.query(sparql, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return result

    def no_labels(iris: set[str]) -> dict[str, tuple[ox.Literal, ox.Literal]]:
        raise AssertionError(f"labels asked of {sorted(iris)}")

    for aggregate in aggregates.kept(no_labels):
        assert aggregate.again(select, [], []) == ([], [])
    assert asked == []


def test_ingest_and_remove_through_the_command_line_keep_the_views(built_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(built_store, path)
    bravo, initiative = GRAPH["case/fixture-bravo"], "https://w3id.org/isgraph/id/initiative/fixture-bravo"
    assert run_cli("ingest", "--store", path, FIXTURES / "catalogue" / "bravo.yaml").code == 0
    listed = run_cli("query", "roles-per-initiative", "--store", path, "--format", "csv")
    assert listed.code == 0, listed.stderr
    assert [line for line in listed.stdout.splitlines() if "fixture-bravo" in line] == [
        f"{initiative},https://w3id.org/isgraph/role/diffuseur,1",
        f"{initiative},https://w3id.org/isgraph/role/financeur,1",
        f"{initiative},https://w3id.org/isgraph/role/porteur,1",
    ]
    with EmbeddedStore(path) as store:
        assert view_graph(bravo) in store.every_graph()
        assert view_of(store, initiative, "mix") != []
    assert run_cli("remove", "--store", path, "fixture-bravo").code == 0
    with EmbeddedStore(path) as store:
        assert view_graph(bravo) not in store.every_graph()
        assert view_of(store, initiative, "mix") == []
