"""Aggregates kept at ingest: a catalogue question that counts over every case, kept as its
answer's rows in a graph of its own, each group derived again when a write reaches one of
its cases (:class:`isgraph.store.views.Views` calls these as it derives the cases' views).

One today, the grid's coverage per département (``queries/grid-coverage-per-territory.rq``):
in ``graph/view/aggregate/grid-coverage-per-territory``, one row per département and grid
element, ``?row isv:inDepartement ?d ; isv:element ?e ; isv:assessments ?n ;
isv:presentAssessments ?p``: of the initiatives in the département (``isv:departement`` of
their views), how many assessments of the element their latest characterisation holds, and
how many of them say "present". Asked as its definition it reads every case before its
first row (3.1 s at 50,000 cases in memory); its rows, fewer than two thousand, are read at
once.

A write derives again the rows of the départements its cases were in before it and are in
after it, from the initiatives in them, in the same transaction as their views: a reader
never sees a row that disagrees with the views. ``tests/test_views.py`` proves the rows
equal to the definition's, on generated data and after writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from isgraph.namespaces import GRAPH, ISV, XSD, sparql_prefixes

#: The graphs of the aggregates, under the views' (dropped, counted and dumped with them).
AGGREGATES = GRAPH["view/aggregate/"]
COVERAGE = AGGREGATES + "grid-coverage-per-territory"

Select = Callable[[str], ox.QuerySolutions]

_DEPARTEMENT = ox.NamedNode(ISV["departement"])
_COUNTS = (
    sparql_prefixes()
    + f"PREFIX isv: <{ISV}>\n"
    + """SELECT ?departement ?element (COUNT(?assessment) AS ?assessments) (SUM(IF(?level = level:present, 1, 0)) AS ?present)
WHERE {
  {members}
  ?characterisation isg:characterises ?initiative ; isg:hasElementAssessment ?assessment .
  ?assessment isg:element ?element ; isg:level ?level .
  OPTIONAL { ?characterisation isg:assessmentDate ?date }
  OPTIONAL { { SELECT ?initiative (MAX(?d) AS ?latest) WHERE { {only} ?c isg:characterises ?initiative ; isg:assessmentDate ?d }
    GROUP BY ?initiative } }
  FILTER (!BOUND(?date) || ?date >= ?latest)
}
GROUP BY ?departement ?element"""
)


def coverage(select: Select) -> list[ox.Quad]:
    """Every row of the coverage, from the views of every case (already derived)."""
    return _rows(select(_COUNTS.replace("{members}", "?initiative isv:departement ?departement .").replace("{only}", "")))


def departements(select: Select, views: Iterable[str]) -> set[str]:
    """The départements the initiatives of the view graphs ``views`` lie in, as the views say now."""
    graphs = " ".join(f"<{v}>" for v in views)
    if not graphs:
        return set()
    found = select(f"SELECT DISTINCT ?d WHERE {{ VALUES ?v {{ {graphs} }} GRAPH ?v {{ ?i <{_DEPARTEMENT.value}> ?d }} }}")
    return {row["d"].value for row in found if isinstance(row["d"], ox.NamedNode)}


def departements_in(derived: Iterable[ox.Quad]) -> set[str]:
    """The départements the quads of views ``derived`` place initiatives in."""
    return {q.object.value for q in derived if q.predicate == _DEPARTEMENT and isinstance(q.object, ox.NamedNode)}


def coverage_of(select: Select, touched: set[str], replaced: Iterable[str], derived: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The rows of the départements ``touched``, over their initiatives once the views of
    ``replaced`` (view graphs) are replaced by the quads ``derived``: those the other views
    place there, and those ``derived`` does."""
    if not touched:
        return []
    members = {
        (q.subject.value, q.object.value)
        for q in derived
        if q.predicate == _DEPARTEMENT
        and isinstance(q.subject, ox.NamedNode)
        and isinstance(q.object, ox.NamedNode)
        and q.object.value in touched
    }
    values = " ".join(f"<{d}>" for d in sorted(touched))
    views = ", ".join(f"<{v}>" for v in replaced)
    kept = f"FILTER (?v NOT IN ({views}))" if views else ""
    for row in select(
        f"SELECT DISTINCT ?i ?d WHERE {{ VALUES ?d {{ {values} }} GRAPH ?v {{ ?i <{_DEPARTEMENT.value}> ?d }} {kept} }}"
    ):
        if isinstance(row["i"], ox.NamedNode):
            members.add((row["i"].value, row["d"].value))
    if not members:
        return []
    pairs = " ".join(f"(<{i}> <{d}>)" for i, d in sorted(members))
    initiatives = " ".join(sorted({f"<{i}>" for i, _ in members}))
    sparql = _COUNTS.replace("{members}", f"VALUES (?initiative ?departement) {{ {pairs} }}").replace(
        "{only}", f"VALUES ?initiative {{ {initiatives} }}"
    )
    return _rows(select(sparql))


def forget(touched: set[str]) -> str | None:
    """The update that deletes the rows of the départements ``touched``."""
    if not touched:
        return None
    values = " ".join(f"<{d}>" for d in sorted(touched))
    return (
        f"DELETE {{ GRAPH <{COVERAGE}> {{ ?row ?p ?o }} }} WHERE {{ VALUES ?d {{ {values} }}"
        f" GRAPH <{COVERAGE}> {{ ?row <{ISV['inDepartement']}> ?d ; ?p ?o }} }}"
    )


def _rows(found: ox.QuerySolutions) -> list[ox.Quad]:
    graph = ox.NamedNode(COVERAGE)
    integer = ox.NamedNode(XSD["integer"])
    quads = []
    for row in found:
        departement, element = row["departement"], row["element"]
        if not isinstance(departement, ox.NamedNode) or not isinstance(element, ox.NamedNode):
            continue
        key = hashlib.sha256(f"{departement.value}\n{element.value}".encode()).hexdigest()[:24]
        node = ox.NamedNode(f"{AGGREGATES}row/coverage-{key}")
        assessments, present = row["assessments"], row["present"]
        quads += [
            ox.Quad(node, ox.NamedNode(ISV["inDepartement"]), departement, graph),
            ox.Quad(node, ox.NamedNode(ISV["element"]), element, graph),
            ox.Quad(node, ox.NamedNode(ISV["assessments"]), ox.Literal(assessments.value, datatype=integer), graph),
            ox.Quad(node, ox.NamedNode(ISV["presentAssessments"]), ox.Literal(present.value, datatype=integer), graph),
        ]
    return quads
