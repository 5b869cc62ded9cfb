"""Network analysis of the knowledge graph with networkx.

Three graphs, read straight from the store:

- the actor–initiative bipartite graph (an edge per participation, its roles as
  an attribute);
- the co-participation projection onto actors, weighted by the number of
  initiatives two actors share;
- the initiative–territory graph (each initiative to its territory, each
  territory to the one it lies ``within``).

The graphs are networkx's, and so are degree centrality and connected components. The
two heavy metrics run on igraph (C), on the same graph numbered as networkx numbers it:

- betweenness centrality, exact up to ``EXACT_BETWEENNESS_UP_TO`` nodes, else estimated
  from ``BETWEENNESS_SAMPLE`` pivots drawn exactly as networkx draws them
  (``random.Random(1).sample``), with igraph's subset betweenness from those pivots
  rescaled as networkx rescales: the values equal networkx's ``betweenness_centrality``
  (same ``k`` and ``seed``) to the last bits of a float (``tests/test_network.py``);
- communities by the Louvain method (igraph's ``community_multilevel``, seeded so that the
  same graph gives the same communities). Louvain is a heuristic that depends on the order
  it visits nodes, so igraph's and networkx's partitions differ in their details; their
  quality is the same (modularity within 0.02 of networkx's, measured by networkx).

At 50,000 cases networkx alone took 437 s; igraph brings the metrics under a few seconds
(``bench/network.py``). GraphML and GEXF go to Gephi.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import igraph as ig
import networkx as nx
import pyoxigraph as ox

from isgraph.messages import Message
from isgraph.namespaces import ISG, RDFS
from isgraph.query.results import compact
from isgraph.store import Store
from isgraph.store.rows import select_texts

EXACT_BETWEENNESS_UP_TO = 1000
BETWEENNESS_SAMPLE = 100

_PARTICIPATIONS = f"""
SELECT ?actor ?initiative ?role WHERE {{
  ?participation <{ISG["participant"]}> ?actor ; <{ISG["participationIn"]}> ?initiative ; <{ISG["role"]}> ?role .
}}"""
_LABELS = f"""
SELECT ?x ?label WHERE {{ ?x <{RDFS["label"]}> ?label FILTER (LANG(?label) = "fr") }}"""
_TERRITORIES = f"""
SELECT ?initiative ?territory WHERE {{ ?initiative <{ISG["territory"]}> ?territory }}"""
_WITHIN = f"""
SELECT DISTINCT ?t ?parent WHERE {{ ?t <{ISG["within"]}> ?parent }}"""


@dataclass
class Networks:
    """The three graphs of the knowledge graph."""

    participation: nx.Graph
    co_participation: nx.Graph
    territories: nx.DiGraph


@dataclass(frozen=True)
class Metrics:
    nodes: int
    edges: int
    components: list[int]
    degree: dict[str, float]
    betweenness: dict[str, float]
    communities: list[set[str]]
    betweenness_sampled: bool


def build_networks(store: Store) -> Networks:
    """The actor–initiative, co-participation and initiative–territory graphs of ``store``."""
    labels = {row[0]: row[1] for row in select_texts(store, _LABELS)}
    people = nx.Graph()
    roles: dict[tuple[str, str], set[str]] = {}
    for actor, initiative, role in select_texts(store, _PARTICIPATIONS):
        roles.setdefault((actor, initiative), set()).add(role.rsplit("/", 1)[-1])
    for (actor, initiative), named in roles.items():
        people.add_node(actor, kind="actor", bipartite=0, label=labels.get(actor, ""))
        people.add_node(initiative, kind="initiative", bipartite=1, label=labels.get(initiative, ""))
        people.add_edge(actor, initiative, roles=" ".join(sorted(named)))
    places = nx.DiGraph()
    for initiative, territory in select_texts(store, _TERRITORIES):
        places.add_node(initiative, kind="initiative", label=labels.get(initiative, ""))
        places.add_node(territory, kind="territory", label=labels.get(territory, ""))
        places.add_edge(initiative, territory, relation="territory")
    parents = {row[0]: row[1] for row in select_texts(store, _WITHIN)}
    for territory in [n for n, kind in places.nodes(data="kind") if kind == "territory"]:
        while territory in parents and not places.has_edge(territory, parents[territory]):
            parent = parents[territory]
            places.add_node(parent, kind="territory", label=labels.get(parent, ""))
            places.add_edge(territory, parent, relation="within")
            territory = parent
    return Networks(people, co_participation(people), places)


def co_participation(people: nx.Graph) -> nx.Graph:
    """The projection onto actors, each pair weighted by the initiatives they share: networkx's
    ``bipartite.weighted_projected_graph``, counted once per initiative (at 10,000 cases,
    4 times faster than networkx's count per pair of neighbours)."""
    projection = nx.Graph()
    projection.add_nodes_from(
        (n, {k: v for k, v in data.items() if k != "bipartite"}) for n, data in people.nodes(data=True) if data["kind"] == "actor"
    )
    shared: dict[tuple[str, str], int] = {}
    for node, kind in people.nodes(data="kind"):
        if kind == "initiative":
            actors = sorted(people[node])
            for i, first in enumerate(actors):
                for second in actors[i + 1 :]:
                    shared[first, second] = shared.get((first, second), 0) + 1
    projection.add_edges_from((a, b, {"weight": w}) for (a, b), w in shared.items())
    return projection


def metrics(graph: nx.Graph, *, weight: str | None = None) -> Metrics:
    """Degree and betweenness centrality, connected components and communities of ``graph``."""
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    names = list(undirected)
    n = len(names)
    sampled = n > EXACT_BETWEENNESS_UP_TO
    compiled = _igraph(undirected, names, weight)
    betweenness = dict(zip(names, _betweenness(compiled, n, sampled), strict=True))
    components = sorted((len(c) for c in nx.connected_components(undirected)), reverse=True)
    return Metrics(
        n,
        undirected.number_of_edges(),
        components,
        nx.degree_centrality(undirected) if n > 1 else dict.fromkeys(undirected, 0.0),
        betweenness,
        _communities(compiled, names, weight) if undirected.number_of_edges() else [],
        sampled,
    )


def _igraph(graph: nx.Graph, names: list[str], weight: str | None) -> ig.Graph:
    """The same graph in igraph, its nodes numbered in networkx's order."""
    index = {name: i for i, name in enumerate(names)}
    edges = list(graph.edges(data=weight or False, default=1))
    compiled = ig.Graph(n=len(names), edges=[(index[e[0]], index[e[1]]) for e in edges])
    if weight:
        compiled.es["weight"] = [float(e[2]) for e in edges]
    return compiled


def _betweenness(graph: ig.Graph, n: int, sampled: bool) -> list[float]:
    """networkx's normalised betweenness (``endpoints=False``): exact, or from the pivots
    networkx's ``k=BETWEENNESS_SAMPLE, seed=1`` draws. igraph counts each unordered pair once,
    networkx each ordered pair: twice as much, before the same scale."""
    if n <= 2:
        return [0.0] * n
    if not sampled:
        raw = graph.betweenness(directed=False)
        return [2 * b / ((n - 1) * (n - 2)) for b in raw]
    k = BETWEENNESS_SAMPLE
    pivots = random.Random(1).sample(range(n), k)
    raw = graph.betweenness(directed=False, sources=pivots)
    sources = set(pivots)
    return [2 * b / ((k - 1 if i in sources else k) * (n - 2)) for i, b in enumerate(raw)]


def _communities(graph: ig.Graph, names: list[str], weight: str | None) -> list[set[str]]:
    """Louvain's communities (igraph), seeded: igraph draws from the generator it is given."""
    ig.set_random_number_generator(random.Random(1))
    try:
        found = graph.community_multilevel(weights="weight" if weight else None)
    finally:
        ig.set_random_number_generator(random)
    return [{names[i] for i in members} for members in found]


def export(networks: Networks, folder: Path) -> list[Path]:
    """GraphML and GEXF files of the three graphs, for Gephi."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, graph in (
        ("participation", networks.participation),
        ("co-participation", networks.co_participation),
        ("territories", networks.territories),
    ):
        for suffix, write in ((".graphml", nx.write_graphml), (".gexf", nx.write_gexf)):
            path = folder / f"{name}{suffix}"
            write(graph, path)
            written.append(path)
    return written


def render_summary(networks: Networks, *, top: int, lang: str) -> str:
    """What ``isgraph network`` prints: each graph's size, components and communities, and its
    ``top`` most central nodes by degree and betweenness."""
    lines = []
    for name, graph, weight in (
        (Message("acteurs–initiatives", "actors–initiatives"), networks.participation, None),
        (Message("co-participation des acteurs", "actor co-participation"), networks.co_participation, "weight"),
        (Message("initiatives–territoires", "initiatives–territories"), networks.territories, None),
    ):
        m = metrics(graph, weight=weight)
        sizes = ", ".join(map(str, m.components[:5]))
        lines.append(
            f"{name.text(lang)}: "
            + Message(
                f"{m.nodes} nœuds, {m.edges} liens, {len(m.components)} composante(s) (tailles {sizes}), "
                f"{len(m.communities)} communauté(s)",
                f"{m.nodes} nodes, {m.edges} edges, {len(m.components)} component(s) (sizes {sizes}), "
                f"{len(m.communities)} communit{'y' if len(m.communities) == 1 else 'ies'}",
            ).text(lang)
        )
        sampled = m.betweenness_sampled
        for title, scores in (
            (Message("degré", "degree"), m.degree),
            (
                Message(
                    "intermédiarité" + (" (estimée)" if sampled else ""), "betweenness" + (" (estimated)" if sampled else "")
                ),
                m.betweenness,
            ),
        ):
            best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]
            lines.append(f"  {title.text(lang)}: " + ", ".join(f"{compact(ox.NamedNode(n))} {v:.3f}" for n, v in best))
    return "\n".join(lines)
