"""Binding a catalogue query's parameters: its ``?_name`` variables replaced by terms that
pyoxigraph serialises, so that a value can never become SPARQL syntax. The query texts
are the catalogue's own, read by :mod:`isgraph.sparql.parser` when the catalogue is loaded;
what a request may do is decided there, never here.

>>> substitute('SELECT ?x WHERE { ?x ?p ?_q } # ?_q', {"q": '"a \\\\"b"'})
'SELECT ?x WHERE { ?x ?p "a \\\\"b" } # ?_q'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from isgraph.sparql.parser import is_rule, read

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<variable>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?)
    | (?P<other>\s+|.)
""",
    re.VERBOSE | re.DOTALL,
)


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) for every token: comment, string, iri, variable, word or other."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        yield kind, match.group(0)


def variables(text: str) -> set[str]:
    """The names of the variables ``text`` uses (without ? or $)."""
    return {value[1:] for kind, value in tokens(text) if kind == "variable"}


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace each variable ``?_name`` (or ``$_name``) by ``values[name]``, already serialised SPARQL."""
    out = []
    for kind, value in tokens(text):
        if kind == "variable" and value[1:2] == "_" and value[2:] in values:
            out.append(values[value[2:]])
        else:
            out.append(value)
    return "".join(out)


@dataclass(frozen=True)
class Places:
    """Where text can be added to a query, read by isgraph's parser: just inside the ``{``
    of its ``WHERE``, and where its ``LIMIT`` and ``OFFSET`` go (None unless it is a SELECT
    query without a ``LIMIT`` or ``OFFSET`` of its own): after its solution modifiers, or
    after those of the first subquery that orders its rows when one does (a query on the
    views chooses a page of rows there by one integer each, then adds their columns, one
    row each: ``queries/views``); and, when that subquery orders its rows by one variable
    alone, ascending, that variable's name and the place just inside the ``}`` of its
    ``WHERE``, where a filter on it keeps a range of the rows in order (``range``); or, with
    no subquery, when the query orders its rows by one variable alone, ascending, that
    variable's name and the place just inside the ``}`` of the query's ``WHERE``."""

    where: int
    end: int | None
    range: tuple[str, int] | None = None


def places(text: str) -> Places:
    """The :class:`Places` of ``text`` (a query). The parser keeps what it read, so a
    catalogue query's own text is parsed once, however often it is bound.

    >>> text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    >>> places(text), text[16], text[places(text).end :]
    (Places(where=17, end=40, range=('s', 27)), '{', '')
    >>> text = "SELECT * WHERE { { SELECT ?r ?n WHERE { ?r ?p ?n } ORDER BY ?n } ?r ?q ?o } ORDER BY ?n"
    >>> found = places(text)
    >>> found.range, text[: found.range[1]] + "|"
    (('n', 49), 'SELECT * WHERE { { SELECT ?r ?n WHERE { ?r ?p ?n |')
    >>> text = "SELECT ?r WHERE { ?r ?p ?n } ORDER BY ?n"
    >>> text[: places(text).range[1]] + "|"
    'SELECT ?r WHERE { ?r ?p ?n |'
    """
    tree = read(text, "query", max_length=len(text)).tree
    query = next(
        node for node in tree.children if is_rule(node, "select_query", "construct_query", "describe_query", "ask_query")
    )
    where = next(node for node in query.children if is_rule(node, "where_clause"))
    group = next(node for node in where.children if is_rule(node, "group_graph_pattern"))
    end = None
    ranged = None
    if is_rule(query, "select_query"):
        ordering = next((s for s in query.iter_subtrees_topdown() if is_rule(s, "sub_select") and _orders(s.children[2])), None)
        paged = query if ordering is None else ordering
        modifiers = paged.children[-1] if paged is query else paged.children[2]
        if not any(is_rule(node, "limit_offset_clauses") for node in modifiers.children):
            end = (modifiers if modifiers.children else paged.children[-2 if paged is query else 1]).meta.end_pos
        if ordering is not None and _one_row_a_solution(query):
            variable = _ordered_by(ordering.children[2])
            inner = next(node for node in ordering.children[1].children if is_rule(node, "group_graph_pattern"))
            if variable is not None and _ordered_by(query.children[-1]) == variable:
                ranged = (variable, inner.meta.end_pos - 1)
        elif ordering is None and _one_row_a_solution(query) and not _has_sub_select(group):
            variable = _ordered_by(query.children[-1])  # ordered at its top level (queries/aggregates)
            if variable is not None:
                ranged = (variable, group.meta.end_pos - 1)
    return Places(group.meta.start_pos + 1, end, ranged)


def _ordered_by(modifiers: Any) -> str | None:
    """The variable rows are ordered by (``modifiers``: a solution modifier), when it is one
    variable alone, ascending."""
    order = next((node for node in modifiers.children if is_rule(node, "order_clause")), None)
    conditions = [] if order is None else order.children
    if len(conditions) != 1 or not is_rule(conditions[0], "var"):
        return None
    return str(conditions[0].children[0])[1:]


def _one_row_a_solution(query: Any) -> bool:
    """Whether each solution of a SELECT query is a row of its answer: no DISTINCT or
    REDUCED (which could merge rows of two ranges), no grouping."""
    chosen = query.children[0].children
    modifiers = query.children[-1].children
    grouped = any(is_rule(node, "group_clause", "having_clause") for node in modifiers)
    return not grouped and not any(getattr(node, "type", None) in ("DISTINCT", "REDUCED") for node in chosen)


def _has_sub_select(group: Any) -> bool:
    return any(is_rule(node, "sub_select") for node in group.iter_subtrees_topdown())


def _orders(modifiers: Any) -> bool:
    return any(is_rule(node, "order_clause") for node in modifiers.children)


def inserted(text: str, additions: Iterable[tuple[int, str]]) -> str:
    """``text`` with each addition written at its place (a place in ``text`` as it was).

    >>> inserted("SELECT * WHERE { ?s ?p ?o }", [(16, " VALUES ?o { 1 }"), (27, " LIMIT 1")])
    'SELECT * WHERE { VALUES ?o { 1 } ?s ?p ?o } LIMIT 1'
    """
    for at, addition in sorted(additions, key=lambda a: a[0], reverse=True):
        text = text[:at] + addition + text[at:]
    return text
