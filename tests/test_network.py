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
