"""Binding a catalogue query's parameters: its ``?_name`` variables replaced by terms that
pyoxigraph serialises, so that a value can never become SPARQL syntax. The query texts
are the catalogue's own, read by :mod:`isgraph.sparql.parser` when the catalogue is loaded;
what a request may do is decided there, never here.

>>> substitute('SELECT ?x WHERE { ?x ?p ?_q } # ?_q', {"q": '"a \\\\"b"'})
'SELECT ?x WHERE { ?x ?p "a \\\\"b" } # ?_q'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

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


def opening_where(text: str, clause: str) -> str:
    """``text`` (a query) with ``clause`` written first in its ``WHERE``, found by isgraph's
    parser (the catalogue's searches open their query with the texts found).

    >>> opening_where("SELECT * WHERE { ?s ?p ?o }", "VALUES ?o { 1 }")
    'SELECT * WHERE { VALUES ?o { 1 } ?s ?p ?o }'
    """
    tree = read(text, "query", max_length=len(text)).tree
    select = next(
        node for node in tree.children if is_rule(node, "select_query", "construct_query", "describe_query", "ask_query")
    )
    where = next(node for node in select.children if is_rule(node, "where_clause"))
    group = next(node for node in where.children if is_rule(node, "group_graph_pattern"))
    at = group.meta.start_pos + 1
    return f"{text[:at]} {clause}{text[at:]}"


def paged(text: str, limit: int, offset: int = 0) -> str:
    """``text`` (a SELECT query that does not page itself) with ``LIMIT`` and ``OFFSET``
    after its solution modifiers, found by isgraph's parser; a ValueError for a query that
    has its own ``LIMIT`` or ``OFFSET``, or is not a SELECT.

    >>> paged("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", 100, 200)
    'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 100 OFFSET 200'
    """
    tree = read(text, "query", max_length=len(text)).tree
    select = next((node for node in tree.children if is_rule(node, "select_query")), None)
    if select is None:
        raise ValueError("only a SELECT query is paged")
    modifiers = select.children[-1]
    if any(is_rule(node, "limit_offset_clauses") for node in modifiers.children):
        raise ValueError("the query has its own LIMIT or OFFSET")
    last = modifiers if modifiers.children else select.children[-2]
    at = last.meta.end_pos
    return f"{text[:at]} LIMIT {int(limit)} OFFSET {int(offset)}{text[at:]}"
