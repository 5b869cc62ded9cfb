"""What a case owns, and the guarantee that no case describes what another case owns.

A case owns its initiative and everything that exists only through it: its results,
participations, resource contributions, characterisations and their element
assessments, impacts, novelty and diffusion (the subclasses of these in the ontology
too). Actors, territories and sources are shared: many cases may describe them.

An owned node described in the graphs of two different cases means that one case would
change another: build, ingest and harvest refuse it (:func:`clashes` finds every such
node), naming the node and both cases. Two copies of the same case (the same initiative,
say harvested from two observatories) are not two cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from isgraph.errors import InvalidDataError
from isgraph.messages import Message
from isgraph.namespaces import ISG, RDF, RDFS
from isgraph.rdf.parsing import ontology_triples
from isgraph.store import Store, select
from isgraph.store.views import CASE_GRAPHS

#: The classes whose instances a case owns (with their subclasses).
OWNED_ROOTS = tuple(
    ISG[c]
    for c in (
        "Initiative",
        "Result",
        "Participation",
        "ResourceContribution",
        "Characterisation",
        "ElementAssessment",
        "Impact",
        "Novelty",
        "Diffusion",
    )
)
_RDF_TYPE = ox.NamedNode(RDF["type"])
#: How many nodes one query to the store looks up.
_CHUNK = 2_000


@lru_cache(maxsize=1)
def owned_classes() -> frozenset[str]:
    """The owned classes: :data:`OWNED_ROOTS` and their subclasses in isgraph's ontology."""
    parents: dict[str, set[str]] = {}
    for t in ontology_triples():
        if t.predicate.value == RDFS["subClassOf"] and isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode):
            parents.setdefault(t.subject.value, set()).add(t.object.value)
    found = set(OWNED_ROOTS)
    grew = True
    while grew:
        more = {c for c, ps in parents.items() if ps & found} - found
        grew = bool(more)
        found |= more
    return frozenset(found)


def owned_nodes(triples: Iterable[ox.Triple]) -> set[str]:
    """The IRIs a case's triples type with an owned class."""
    classes = owned_classes()
    return {
        t.subject.value
        for t in triples
        if t.predicate == _RDF_TYPE
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.NamedNode)
        and t.object.value in classes
    }


def initiatives(triples: Iterable[ox.Triple]) -> frozenset[str]:
    """The initiatives a case's triples describe (one, in a well-formed case)."""
    initiative = ox.NamedNode(ISG["Initiative"])
    return frozenset(
        t.subject.value
        for t in triples
        if t.predicate == _RDF_TYPE and t.object == initiative and isinstance(t.subject, ox.NamedNode)
    )


def described_nodes(triples: Iterable[ox.Triple]) -> set[str]:
    """The IRIs a case's triples say something about."""
    return {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}


@dataclass(frozen=True)
class Clash:
    """An owned node described by two cases: ``owner`` owns it, ``other`` describes it too."""

    node: str
    owner: str
    other: str

    def message(self) -> Message:
        return Message(
            f"<{self.node}> appartient au cas {self.owner} et le cas {self.other} le décrit aussi",
            f"<{self.node}> belongs to case {self.owner} and case {self.other} describes it too",
        )


def clashes(
    incoming: Mapping[str, Sequence[ox.Triple]],
    store: Store | None = None,
    *,
    names: Mapping[str, str] | None = None,
    replacing: Iterable[str] = (),
) -> list[Clash]:
    """The owned nodes described by two cases: two of the ``incoming`` cases (graph → triples),
    or one of them and a case graph of ``store``, leaving out the graphs the write replaces
    (the incoming ones and those in ``replacing``). ``names`` says how to call an incoming
    case (its file, say); a stored case is called by its graph."""
    names = names or {}
    owned = {graph: owned_nodes(triples) for graph, triples in incoming.items()}
    described = {graph: described_nodes(triples) for graph, triples in incoming.items()}
    case_of = {graph: initiatives(triples) for graph, triples in incoming.items()}
    describers: dict[str, list[str]] = {}
    for graph in incoming:
        for node in described[graph]:
            describers.setdefault(node, []).append(graph)
    found: dict[tuple[str, str, str], Clash] = {}
    for node, graphs in describers.items():
        owner = next((g for g in graphs if node in owned[g]), None)  # the first case to own it
        if owner is None:
            continue
        for other in graphs:
            if case_of[other] != case_of[owner]:
                clash = Clash(node, names.get(owner, owner), names.get(other, other))
                found.setdefault((node, clash.owner, clash.other), clash)
    if store is not None:
        skip = set(incoming) | set(replacing)
        for clash in _against_store(store, owned, described, case_of, names, skip):
            found.setdefault((clash.node, clash.owner, clash.other), clash)
    return sorted(found.values(), key=lambda c: (c.node, c.owner, c.other))


def _against_store(
    store: Store,
    owned: Mapping[str, set[str]],
    described: Mapping[str, set[str]],
    case_of: Mapping[str, frozenset[str]],
    names: Mapping[str, str],
    skip: set[str],
) -> Iterable[Clash]:
    incoming_of: dict[str, list[str]] = {}
    for graph, described_here in described.items():
        for node in described_here:
            incoming_of.setdefault(node, []).append(graph)
    nodes = sorted(incoming_of)
    classes = " ".join(f"<{c}>" for c in sorted(owned_classes()))
    prefixes = " || ".join(f'STRSTARTS(STR(?g), "{p}")' for p in CASE_GRAPHS)
    for i in range(0, len(nodes), _CHUNK):
        values = " ".join(f"<{n}>" for n in nodes[i : i + _CHUNK])
        rows = select(
            store,
            f"""SELECT DISTINCT ?n ?g ?owned ?case WHERE {{
                  VALUES ?n {{ {values} }}
                  GRAPH ?g {{ ?n ?p ?o }} FILTER ({prefixes})
                  BIND (EXISTS {{ GRAPH ?g {{ ?n a ?t }} VALUES ?t {{ {classes} }} }} AS ?owned)
                  OPTIONAL {{ GRAPH ?g {{ ?case a <{ISG["Initiative"]}> }} }}
                }}""",
        )
        stored: dict[tuple[str, str], tuple[bool, set[str]]] = {}
        for row in rows:
            key = (row["n"].value, row["g"].value)
            is_owned = isinstance(o := row.get("owned"), ox.Literal) and o.value == "true"
            cases = stored.setdefault(key, (is_owned, set()))[1]
            if isinstance(case := row.get("case"), ox.NamedNode):
                cases.add(case.value)
        for (node, graph), (stored_owned, cases) in stored.items():
            if graph in skip:
                continue
            for mine in incoming_of[node]:
                if case_of[mine] == cases:
                    continue  # another copy of the same case
                if stored_owned:  # the case already in the store owns it
                    yield Clash(node, graph, names.get(mine, mine))
                elif node in owned[mine]:
                    yield Clash(node, names.get(mine, mine), graph)


def refuse_clashes(found: Sequence[Clash]) -> None:
    """Stop with every clash named (exit 1); nothing is written."""
    if not found:
        return
    shown = found[:5]
    more = len(found) - len(shown)
    fr = " ; ".join(c.message().fr for c in shown) + (f" ; et {more} autre(s)" if more else "")
    en = "; ".join(c.message().en for c in shown) + (f"; and {more} more" if more else "")
    raise InvalidDataError(
        Message(
            f"un cas décrit ce qu'un autre cas possède : {fr} ; rien n'a été écrit",
            f"a case describes what another case owns: {en}; nothing was written",
        )
    )
