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

Each case's view holds its own part (``isv:coverage``: each element with its assessments
and those present), so that a write adds up again the départements its cases were in
before it (read from their old views) and are in after it, reading one triple for each
initiative there rather than its assessments (at 10,000 cases on disk, five cases written
again: 135 ms through the assessments). The rows change in the same transaction as the
views: a reader never sees a row that disagrees with them. ``tests/test_views.py`` proves
the rows equal to the definition's, on generated data and after writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox

from isgraph.namespaces import GRAPH, ISV, XSD

#: The graphs of the aggregates, under the views' (dropped, counted and dumped with them).
AGGREGATES = GRAPH["view/aggregate/"]
COVERAGE = AGGREGATES + "grid-coverage-per-territory"

Select = Callable[[str], ox.QuerySolutions]

_DEPARTEMENT = ox.NamedNode(ISV["departement"])
_COVERAGE = ox.NamedNode(ISV["coverage"])


def coverage(select: Select) -> list[ox.Quad]:
    """Every row of the coverage, from the views of every case (already derived)."""
    found = select(f"SELECT DISTINCT ?i ?d ?c WHERE {{ ?i <{_DEPARTEMENT.value}> ?d ; <{_COVERAGE.value}> ?c }}")
    return _rows(_figures((row["i"], row["d"], row["c"]) for row in found))


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


def coverage_of(select: Select, touched: set[str], replaced: Iterable[str], derived: Sequence[ox.Quad]) -> list[ox.Quad]:
    """The rows of the départements ``touched``, over their initiatives once the views of
    ``replaced`` (view graphs) are replaced by the quads ``derived``: those the other views
    place there, and those ``derived`` does, each with the figures of its view."""
    if not touched:
        return []
    figures = {q.subject: q.object for q in derived if q.predicate == _COVERAGE}
    members: list[tuple[Term, Term, Term]] = [
        (q.subject, q.object, figures[q.subject])
        for q in derived
        if q.predicate == _DEPARTEMENT and q.object.value in touched and q.subject in figures  # type: ignore[union-attr]  # views hold no quoted triple
    ]
    values = " ".join(f"<{d}>" for d in sorted(touched))
    views = ", ".join(f"<{v}>" for v in replaced)
    kept = f"FILTER (?v NOT IN ({views}))" if views else ""
    members += (
        (row["i"], row["d"], row["c"])
        for row in select(
            f"SELECT DISTINCT ?i ?d ?c WHERE {{ VALUES ?d {{ {values} }} GRAPH ?v {{ ?i <{_DEPARTEMENT.value}> ?d ;"
            f" <{_COVERAGE.value}> ?c }} {kept} }}"
        )
    )
    return _rows(_figures(members))


def forget(touched: set[str]) -> str | None:
    """The update that deletes the rows of the départements ``touched``."""
    if not touched:
        return None
    values = " ".join(f"<{d}>" for d in sorted(touched))
    return (
        f"DELETE {{ GRAPH <{COVERAGE}> {{ ?row ?p ?o }} }} WHERE {{ VALUES ?d {{ {values} }}"
        f" GRAPH <{COVERAGE}> {{ ?row <{ISV['inDepartement']}> ?d ; ?p ?o }} }}"
    )


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def _figures(members: Iterable[tuple[Term, Term, Term]]) -> dict[tuple[str, str], list[int]]:
    """The assessments and those present per département and element, added up over each
    initiative placed in a département once (as the definition's ``SELECT DISTINCT``
    does), from its view's ``isv:coverage``: "element assessments present, …"."""
    totals: dict[tuple[str, str], list[int]] = {}
    for initiative, departement, figures in set(members):
        if not isinstance(initiative, ox.NamedNode) or not isinstance(departement, ox.NamedNode):
            continue
        if not isinstance(figures, ox.Literal) or not figures.value:
            continue
        for part in figures.value.split(", "):
            element, assessments, present = part.split(" ")
            total = totals.setdefault((departement.value, element), [0, 0])
            total[0] += int(assessments)
            total[1] += int(present)
    return totals


def _rows(totals: dict[tuple[str, str], list[int]]) -> list[ox.Quad]:
    graph = ox.NamedNode(COVERAGE)
    integer = ox.NamedNode(XSD["integer"])
    quads = []
    for (departement, element), (assessments, present) in sorted(totals.items()):
        key = hashlib.sha256(f"{departement}\n{element}".encode()).hexdigest()[:24]
        node = ox.NamedNode(f"{AGGREGATES}row/coverage-{key}")
        quads += [
            ox.Quad(node, ox.NamedNode(ISV["inDepartement"]), ox.NamedNode(departement), graph),
            ox.Quad(node, ox.NamedNode(ISV["element"]), ox.NamedNode(element), graph),
            ox.Quad(node, ox.NamedNode(ISV["assessments"]), ox.Literal(str(assessments), datatype=integer), graph),
            ox.Quad(node, ox.NamedNode(ISV["presentAssessments"]), ox.Literal(str(present), datatype=integer), graph),
        ]
    return quads
