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

import atexit
import functools
import multiprocessing
import os
import random
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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
#: From this many nodes, the sampled betweenness runs in two processes.
PARALLEL_FROM = 20_000

#: a participation's actor, initiative and role, one pattern each: read one by one and joined
#: here, they take a seventh of the time of one three-pattern query on disk (50,000 cases:
#: 1.7 s each against 13.7 s)
_PARTICIPATION_PARTS = tuple(
    f"SELECT ?participation ?value WHERE {{ ?participation <{ISG[p]}> ?value }}"
    for p in ("participant", "participationIn", "role")
)
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


def build_networks(store: Store, *, labels: bool = True) -> Networks:
    """The actor–initiative, co-participation and initiative–territory graphs of ``store``;
    each node with its French label unless ``labels`` is false (the metrics need none; the
    GraphML and GEXF files show them)."""
    # the reads, two at a time: the store serialises each result without holding the interpreter
    reads = ((_LABELS,) if labels else ()) + (*_PARTICIPATION_PARTS, _TERRITORIES, _WITHIN)
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda sparql: select_texts(store, sparql), reads))
    label_rows = found.pop(0) if labels else []
    actor_rows, initiative_rows, role_rows, territory_rows, within_rows = found
    label_of = {row[0]: row[1] for row in label_rows}
    people = nx.Graph()
    roles: dict[tuple[str, str], set[str]] = {}
    for actor, initiative, role in _joined(actor_rows, initiative_rows, role_rows):
        roles.setdefault((actor, initiative), set()).add(role.rsplit("/", 1)[-1])
    # nodes in the order they are first met, then the edges: added in bulk (twice as fast)
    nodes: dict[str, dict[str, object]] = {}
    for actor, initiative in roles:
        if actor not in nodes:
            nodes[actor] = {"kind": "actor", "bipartite": 0, "label": label_of.get(actor, "")}
        if initiative not in nodes:
            nodes[initiative] = {"kind": "initiative", "bipartite": 1, "label": label_of.get(initiative, "")}
    people.add_nodes_from(nodes.items())
    people.add_edges_from((actor, initiative, {"roles": " ".join(sorted(named))}) for (actor, initiative), named in roles.items())
    places = nx.DiGraph()
    for initiative, territory in territory_rows:
        places.add_node(initiative, kind="initiative", label=label_of.get(initiative, ""))
        places.add_node(territory, kind="territory", label=label_of.get(territory, ""))
        places.add_edge(initiative, territory, relation="territory")
    parents = {row[0]: row[1] for row in within_rows}
    for territory in [n for n, kind in places.nodes(data="kind") if kind == "territory"]:
        while territory in parents and not places.has_edge(territory, parents[territory]):
            parent = parents[territory]
            places.add_node(parent, kind="territory", label=label_of.get(parent, ""))
            places.add_edge(territory, parent, relation="within")
            territory = parent
    return Networks(people, co_participation(people), places)


def _joined(
    actors: list[tuple[str, ...]], initiatives: list[tuple[str, ...]], roles: list[tuple[str, ...]]
) -> Iterator[tuple[str, str, str]]:
    """(actor, initiative, role) for each participation that has all three, as the
    three-pattern query gives them (every combination when one has several)."""
    initiatives_of, roles_of = _grouped(initiatives), _grouped(roles)
    for participation, actor in actors:
        for initiative in initiatives_of.get(participation, ()):
            for role in roles_of.get(participation, ()):
                yield actor, initiative, role


def _grouped(rows: list[tuple[str, ...]]) -> dict[str, list[str]]:
    by: dict[str, list[str]] = {}
    for subject, value in rows:
        by.setdefault(subject, []).append(value)
    return by


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
    """Degree and betweenness centrality, connected components and communities of ``graph``
    (networkx's definitions; counted by igraph on the same graph)."""
    return _Started(graph, weight).finish()


def all_metrics(networks: Networks) -> list[tuple[Message, Metrics]]:
    """The metrics of the three graphs, named. The betweenness of all three is sent to the
    worker processes first, and counted there while this process finds the communities."""
    started = [
        (Message("acteurs–initiatives", "actors–initiatives"), _Started(networks.participation, None)),
        (Message("co-participation des acteurs", "actor co-participation"), _Started(networks.co_participation, "weight")),
        (Message("initiatives–territoires", "initiatives–territories"), _Started(networks.territories, None)),
    ]
    return [(name, work.finish()) for name, work in started]


class _Started:
    """A graph's metrics under way: its betweenness already counting (in the worker processes
    when the graph is large), the rest done by :meth:`finish`."""

    def __init__(self, graph: nx.Graph, weight: str | None) -> None:
        undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
        self.names = list(undirected)
        self.weight = weight
        self.sampled = len(self.names) > EXACT_BETWEENNESS_UP_TO
        self.compiled = _igraph(undirected, self.names, weight)
        self.betweenness = _betweenness(self.compiled, len(self.names), self.sampled)

    def finish(self) -> Metrics:
        n, names, compiled = len(self.names), self.names, self.compiled
        degree = compiled.degree()
        communities = _communities(compiled, names, self.weight) if compiled.ecount() else []
        return Metrics(
            n,
            compiled.ecount(),
            sorted(compiled.connected_components().sizes(), reverse=True),
            {name: d / (n - 1) for name, d in zip(names, degree, strict=True)} if n > 1 else dict.fromkeys(names, 0.0),
            dict(zip(names, self.betweenness(), strict=True)),
            communities,
            self.sampled,
        )


def _igraph(graph: nx.Graph, names: list[str], weight: str | None) -> ig.Graph:
    """The same graph in igraph, its nodes numbered in networkx's order."""
    index = {name: i for i, name in enumerate(names)}
    edges = list(graph.edges(data=weight or False, default=1))
    compiled = ig.Graph(n=len(names), edges=[(index[e[0]], index[e[1]]) for e in edges])
    if weight:
        compiled.es["weight"] = [float(e[2]) for e in edges]
    return compiled


def _betweenness(graph: ig.Graph, n: int, sampled: bool) -> Callable[[], list[float]]:
    """networkx's normalised betweenness (``endpoints=False``): exact, or from the pivots
    networkx's ``k=BETWEENNESS_SAMPLE, seed=1`` draws; begun now, given by the function
    returned. igraph counts each unordered pair once, networkx each ordered pair: twice as
    much, before the same scale."""
    if n <= 2:
        return lambda: [0.0] * n
    if not sampled:
        raw = graph.betweenness(directed=False)
        return lambda: [2 * b / ((n - 1) * (n - 2)) for b in raw]
    k = BETWEENNESS_SAMPLE
    pivots = random.Random(1).sample(range(n), k)
    sources = set(pivots)
    counted = _from_sources(graph, pivots)
    return lambda: [2 * b / ((k - 1 if i in sources else k) * (n - 2)) for i, b in enumerate(counted())]


def _from_sources(graph: ig.Graph, sources: list[int]) -> Callable[[], list[float]]:
    """igraph's betweenness from ``sources``. It adds up over sources, so a large graph's
    pivots are shared between two processes (igraph holds the interpreter while it counts)."""
    if graph.vcount() < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        raw = list(graph.betweenness(directed=False, sources=sources))
        return lambda: raw
    edges = graph.get_edgelist()
    halves = [_pool().submit(_betweenness_part, (graph.vcount(), edges, sources[i::2])) for i in range(2)]
    return lambda: [a + b for a, b in zip(halves[0].result(), halves[1].result(), strict=True)]


def _betweenness_part(work: tuple[int, list[tuple[int, int]], list[int]]) -> list[float]:
    n, edges, sources = work
    return list(ig.Graph(n=n, edges=edges).betweenness(directed=False, sources=sources))


@functools.cache
def _pool() -> ProcessPoolExecutor:
    """Two worker processes, started once and stopped when this one ends. Forked: a spawned
    worker would run the caller's main script again (a script without a ``__main__`` guard
    would fail), and a worker only counts paths in igraph on the edges it is sent."""
    pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))
    atexit.register(pool.shutdown)
    return pool


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
    for name, m in all_metrics(networks):
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
