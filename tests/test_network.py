"""Network analysis on a fixture whose structure is known: the two reference cases plus
the invented cases of fixtures/catalogue (Alpha and Bravo share the city and the
workshop; Charlie has one actor)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from isgraph.query.network import build_networks, metrics
from isgraph.store import connect

from .conftest import run_cli

ID = "https://w3id.org/isgraph/id/"
ALPHA_BRAVO_ACTORS = {f"{ID}actor/fixture/{a}" for a in ("asso-alpha", "atelier", "coop-bravo", "habitants-alpha", "ville")}


@pytest.fixture(scope="module")
def networks(catalogue_store: Path):  # type: ignore[no-untyped-def]
    with connect(catalogue_store, create=False) as store:
        return build_networks(store)


def test_the_bipartite_actor_initiative_graph(networks) -> None:  # type: ignore[no-untyped-def]
    graph = networks.participation
    m = metrics(graph)
    # 15 actors and 5 initiatives; one edge per (actor, initiative) pair: 3 + 6 + 4 + 3 + 1
    assert (m.nodes, m.edges, m.components) == (20, 17, [7, 7, 4, 2])
    assert graph.edges[f"{ID}actor/fixture/ville", f"{ID}initiative/fixture-alpha"]["roles"] == "financeur partenaire"
    assert m.degree[f"{ID}actor/fixture/ville"] == pytest.approx(2 / 19)
    assert nx.is_bipartite(graph)


def test_the_co_participation_projection(networks) -> None:  # type: ignore[no-untyped-def]
    graph = networks.co_participation
    m = metrics(graph, weight="weight")
    # Initi'elles: a triangle; Graines de Pays: 6 actors, all linked; Alpha ∪ Bravo: 8 pairs; Charlie: one isolated actor
    assert (m.nodes, m.edges, m.components) == (15, 26, [6, 5, 3, 1])
    assert graph.edges[f"{ID}actor/fixture/ville", f"{ID}actor/fixture/atelier"]["weight"] == 2
    assert graph.edges[f"{ID}actor/fixture/ville", f"{ID}actor/fixture/coop-bravo"]["weight"] == 1
    # the cooperative reaches the association and the inhabitants through the city or the workshop:
    # each of the two lies on half of 2 shortest paths, normalised by (15 - 1)(15 - 2) / 2
    assert {n: v for n, v in m.betweenness.items() if v} == {
        f"{ID}actor/fixture/ville": pytest.approx(1 / 91),
        f"{ID}actor/fixture/atelier": pytest.approx(1 / 91),
    }
    assert sorted(map(len, m.communities), reverse=True) == [6, 5, 3, 1]
    assert ALPHA_BRAVO_ACTORS in m.communities
    assert not m.betweenness_sampled


def test_the_initiative_territory_graph(networks) -> None:  # type: ignore[no-untyped-def]
    graph = networks.territories
    m = metrics(graph)
    assert (m.nodes, m.edges, m.components) == (12, 11, [12])
    assert graph.edges[f"{ID}territory/departement/80", f"{ID}territory/region/32"]["relation"] == "within"
    # a tree: Hauts-de-France separates 5, 3, 2 nodes and France: 5·3 + 5·2 + 5·1 + 3·2 + 3·1 + 2·1 = 41 of the 55 pairs
    assert m.betweenness[f"{ID}territory/region/32"] == pytest.approx(41 / 55)


def test_network_command_reports_and_exports_for_gephi(catalogue_store: Path, tmp_path: Path) -> None:
    result = run_cli("network", "--store", catalogue_store, "--output", tmp_path / "out", "--top", "2")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "actors–initiatives: 20 nodes, 17 edges, 4 component(s) (sizes 7, 7, 4, 2), 4 communities"
    assert lines[3] == "actor co-participation: 15 nodes, 26 edges, 4 component(s) (sizes 6, 5, 3, 1), 4 communities"
    assert lines[5] == "  betweenness: id:actor/fixture/atelier 0.011, id:actor/fixture/ville 0.011"
    for name, nodes in (("participation", 20), ("co-participation", 15), ("territories", 12)):
        assert nx.read_graphml(tmp_path / "out" / f"{name}.graphml").number_of_nodes() == nodes
        assert nx.read_gexf(tmp_path / "out" / f"{name}.gexf").number_of_nodes() == nodes
    french = run_cli("network", "--store", catalogue_store, "--lang", "fr", "--top", "1")
    assert french.stdout.splitlines()[0] == (
        "acteurs–initiatives: 20 nœuds, 17 liens, 4 composante(s) (tailles 7, 7, 4, 2), 4 communauté(s)"
    )


@pytest.fixture(scope="module")
def generated_networks():  # type: ignore[no-untyped-def]
    """The networks of 700 generated cases: over 1,000 nodes, so betweenness is sampled."""
    import io

    import pyoxigraph as ox

    from isgraph.graph.generator import write_cases
    from isgraph.store import EmbeddedStore

    data = io.BytesIO()
    write_cases(data, 700, seed=2, defects=0.0, fmt="nquads")
    store = EmbeddedStore(None)
    store.oxigraph.load(data.getvalue(), format=ox.RdfFormat.N_QUADS)
    return build_networks(store)


@pytest.mark.parametrize(("name", "weight"), [("participation", None), ("co_participation", "weight"), ("territories", None)])
def test_the_compiled_metrics_equal_networkx(generated_networks, name: str, weight: str | None) -> None:  # type: ignore[no-untyped-def]
    """igraph's betweenness from networkx's own pivots equals networkx's to the last bits of a
    float; its Louvain partition is as good as networkx's (modularity within 0.02)."""
    graph = getattr(generated_networks, name)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    m = metrics(graph, weight=weight)
    assert m.betweenness_sampled == (undirected.number_of_nodes() > 1000)
    names = list(undirected)
    indexed = nx.betweenness_centrality(
        nx.convert_node_labels_to_integers(undirected), k=100 if m.betweenness_sampled else None, seed=1
    )
    reference = {names[i]: v for i, v in indexed.items()}
    assert max(abs(reference[n] - m.betweenness[n]) for n in names) < 1e-12
    assert max(reference.values()) > 0.001  # a graph where betweenness says something
    theirs = nx.community.louvain_communities(undirected, weight=weight, seed=1)
    assert set().union(*m.communities) == set(names) and sum(map(len, m.communities)) == len(names)  # a partition
    ours_q = nx.community.modularity(undirected, m.communities, weight=weight)
    assert ours_q >= nx.community.modularity(undirected, theirs, weight=weight) - 0.02


def test_the_projection_equals_networkx(generated_networks) -> None:  # type: ignore[no-untyped-def]
    from networkx.algorithms import bipartite

    people = generated_networks.participation
    actors = [n for n, kind in people.nodes(data="kind") if kind == "actor"]
    reference = bipartite.weighted_projected_graph(people, actors)
    ours = generated_networks.co_participation
    assert sorted(ours.nodes) == sorted(reference.nodes)
    assert {frozenset(e): w for *e, w in ours.edges(data="weight")} == {
        frozenset(e): w for *e, w in reference.edges(data="weight")
    }
    assert all(data == {k: v for k, v in people.nodes[n].items() if k != "bipartite"} for n, data in ours.nodes(data=True))
