"""The actor–initiative network around a case or in a territory, laid out on the server
with networkx (a seeded spring layout: the same graph gives the same picture) and drawn
as SVG: initiatives as circles, actors as squares, a line per participation, every node a
link to its page with its name and roles on hover.
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from isgraph.namespaces import ISG
from isgraph.store import Store, solutions
from isgraph.store.labels import label_terms
from isgraph.web.html import Links, esc, shorten

#: The most initiatives one picture draws (a territory may hold thousands).
MAX_INITIATIVES = 40
_WIDTH, _HEIGHT, _MARGIN = 760, 520, 60
_INITIATIVE, _ACTOR = "#0072B2", "#E69F00"


def case_neighbourhood(store: Store, initiative: str) -> nx.Graph:
    """The case, its actors, and the other initiatives these actors take part in."""
    node = ox.NamedNode(initiative)
    return _graph(
        store,
        f"""SELECT ?actor ?initiative ?role WHERE {{
              {{ SELECT DISTINCT ?actor WHERE {{ ?p <{ISG["participationIn"]}> {node} ; <{ISG["participant"]}> ?actor }} }}
              {{ SELECT DISTINCT ?initiative WHERE {{
                   {{ BIND ({node} AS ?initiative) }} UNION
                   {{ ?mine <{ISG["participationIn"]}> {node} ; <{ISG["participant"]}> ?shared .
                     ?theirs <{ISG["participant"]}> ?shared ; <{ISG["participationIn"]}> ?initiative . }}
                 }} ORDER BY ?initiative LIMIT {MAX_INITIATIVES} }}
              ?participation <{ISG["participant"]}> ?actor ; <{ISG["participationIn"]}> ?initiative ; <{ISG["role"]}> ?role .
            }}""",
    )


def territory_network(store: Store, territory: str) -> tuple[nx.Graph, int]:
    """The initiatives located in the territory (the first :data:`MAX_INITIATIVES`) and their actors; and how many initiatives there are."""
    node = ox.NamedNode(territory)
    located = f"?initiative a <{ISG['Initiative']}> ; <{ISG['territory']}>/<{ISG['within']}>* {node} ."
    count = solutions(store.query(f"SELECT (COUNT(DISTINCT ?initiative) AS ?n) WHERE {{ {located} }}"))
    total = int(next(iter(count))["n"].value)
    graph = _graph(
        store,
        f"""SELECT ?actor ?initiative ?role WHERE {{
              {{ SELECT DISTINCT ?initiative WHERE {{ {located} }} ORDER BY ?initiative LIMIT {MAX_INITIATIVES} }}
              OPTIONAL {{ ?participation <{ISG["participationIn"]}> ?initiative ; <{ISG["participant"]}> ?actor ; <{ISG["role"]}> ?role . }}
            }}""",
    )
    return graph, total


def _graph(store: Store, sparql: str) -> nx.Graph:
    graph = nx.Graph()
    for row in solutions(store.query(sparql)):
        initiative, actor, role = row["initiative"], row["actor"], row["role"]
        if initiative is None:
            continue
        graph.add_node(initiative.value, kind="initiative")
        if actor is None or role is None:
            continue
        graph.add_node(actor.value, kind="actor")
        roles = graph.edges[actor.value, initiative.value]["roles"] if graph.has_edge(actor.value, initiative.value) else set()
        graph.add_edge(actor.value, initiative.value, roles=roles | {role.value})
    return graph


def network_svg(graph: nx.Graph, store: Store, links: Links, lang: str, title: str, ident: str, centre: str | None = None) -> str:
    """The picture; an empty string for an empty graph."""
    if graph.number_of_nodes() == 0:
        return ""
    fr = lang == "fr"
    roles = {r for _, _, data in graph.edges(data=True) for r in data["roles"]}
    labels = {iri: term.value for iri, term in label_terms(store, set(graph.nodes) | roles, lang).items()}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True)))
    ordered.add_edges_from(sorted(graph.edges(data=True)))
    positions = nx.spring_layout(ordered, seed=7, k=None if len(ordered) > 2 else 1.0)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def at(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return (
            _MARGIN + (x - min(xs)) / span_x * (_WIDTH - 2 * _MARGIN),
            _MARGIN / 2 + (y - min(ys)) / span_y * (_HEIGHT - 1.5 * _MARGIN),
        )

    initiatives = sum(1 for _, k in ordered.nodes(data="kind") if k == "initiative")
    actors = ordered.number_of_nodes() - initiatives
    described = (
        f"{initiatives} initiative(s) (cercles) et {actors} acteur(s) (carrés), {ordered.number_of_edges()} participation(s)."
        if fr
        else f"{initiatives} initiative(s) (circles) and {actors} actor(s) (squares), {ordered.number_of_edges()} participation(s)."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" style="max-width:100%;height:auto" '
        f'role="group" aria-labelledby="{ident}-title {ident}-desc" class="network">'
        f'<title id="{ident}-title">{esc(title)}</title><desc id="{ident}-desc">{esc(described)}</desc>'
    ]
    for a, b, data in ordered.edges(data=True):
        (x1, y1), (x2, y2) = at(a), at(b)
        said = ", ".join(sorted(labels.get(r, r) for r in data["roles"]))
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#777" stroke-width="1.2">'
            f"<title>{esc(labels.get(a, a))} — {esc(labels.get(b, b))} : {esc(said)}</title></line>"
        )
    for node, kind in ordered.nodes(data="kind"):
        x, y = at(node)
        name = labels.get(node, node)
        if kind == "initiative":
            radius = 11 if node == centre else 8
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{_INITIATIVE}" stroke="#1f1f1f"/>'
        else:
            shape = f'<rect x="{x - 7:.1f}" y="{y - 7:.1f}" width="14" height="14" fill="{_ACTOR}" stroke="#1f1f1f"/>'
        text = f'<text x="{x:.1f}" y="{y + 22:.1f}" text-anchor="middle" font-size="11">{esc(shorten(name, 26))}</text>'
        kind_text = ("initiative" if kind == "initiative" else "acteur") if fr else kind
        out.append(
            f'<a href="{esc(links.href(node))}" aria-label="{esc(name)} ({kind_text})"><title>{esc(name)}</title>{shape}{text}</a>'
        )
    out.append("</svg>")
    legend = (
        f'<p class="note"><span aria-hidden="true" style="color:{_INITIATIVE}">●</span> initiative '
        f'<span aria-hidden="true" style="color:{_ACTOR}">■</span> {"acteur" if fr else "actor"}</p>'
    )
    return "".join(out) + legend
