"""Where a SPARQL constraint's targets go in its query: first (as the compiler writes them)
or after the body, as ``FILTER EXISTS { targets }``.

The compiler joins the targets (``?this rdf:type ?targetType . VALUES ?targetType { … }``)
before the body of a shape's ``sh:select``. Oxigraph then walks every focus node and each
time it is typed (once per graph that types it), before the body narrows them down. When
the body's first triples bind ``?this`` already, the same solutions come out of the body
filtered by ``FILTER EXISTS { targets }``, and faster: at 50,000 cases isgraph's four
constraints that start so take 4.87 s against 6.83 s (docs/benchmarks.md). The compiler's
other constraints lose that way (their bodies read the focus node's own triples, which the
targets narrow first), so only SPARQL constraints are offered it.

The two agree when the group of the body starts with a block of triples that names
``?this``, and the body names none of the variables of the targets: then every solution of
the body's first block binds ``?this``, and each operator that follows (a join, ``OPTIONAL``,
``MINUS``, ``BIND``, ``FILTER``) sees the same ``?this`` whether the targets were joined
before it or are checked after it. Where a body binds ``?this`` only inside a ``MINUS`` or
an ``OPTIONAL``, or after a ``BIND`` (``MotivationShape``), the targets stay first. The
decision is taken on the query as isgraph's SPARQL parser reads it, never on its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lark import Tree

from isgraph.errors import InputError
from isgraph.sparql.policy import Policy

#: the variables the compiler's targets use (:func:`isgraph.shacl.compiler._targets`)
TARGET_VARIABLES = frozenset({"targetType", "targetSubject", "targetObject"})


def targets_last_is_sound(query: str) -> bool:
    """Whether ``query`` (a constraint's query with its targets as the last ``FILTER EXISTS``
    of its ``WHERE`` group, classes already named) gives the solutions of the same query
    with its targets first. A query the parser or the policy refuses is not placed so."""
    try:
        tree = Policy().query(query, where="shapes/").tree
    except InputError:
        return False
    select = _child(tree, "select_query")
    where = _child(select, "where_clause") if select is not None else None
    pattern = _child(where, "group_graph_pattern") if where is not None else None
    group = _child(pattern, "group_graph_pattern_sub") if pattern is not None else None
    if group is None or len(group.children) < 2:
        return False  # a sub-select, or a body without a block of triples before the targets
    first, *_, last = group.children
    return (
        isinstance(first, Tree)
        and first.data == "triples_block"
        and "this" in set(_variables(first))
        and isinstance(last, Tree)
        and last.data == "filter"
        and TARGET_VARIABLES.isdisjoint(_variables(tree, left_out=last))
    )


def _child(node: Tree[Any], rule: str) -> Tree[Any] | None:
    """The first child of ``node`` made by ``rule``."""
    return next((c for c in node.children if isinstance(c, Tree) and c.data == rule), None)


def _variables(node: Tree[Any], left_out: Tree[Any] | None = None) -> Iterator[str]:
    """The names of the variables under ``node``, but those under ``left_out``."""
    if node is left_out:
        return
    if node.data == "var":
        yield str(node.children[0])[1:]
        return
    for child in node.children:
        if isinstance(child, Tree):
            yield from _variables(child, left_out)
