"""One meaning of the default graph for updates, as for queries: the union of the named graphs.

A query's default graph is the union of every graph of the store (what the catalogue
assumes). pyoxigraph offers no such union to an update, whose ``WHERE`` would read the
store's own default graph, and whose triples without ``GRAPH`` would land there. So
every update a server receives is rewritten, on its parse tree, before the store sees it:

- an ``INSERT``/``DELETE … WHERE`` that names no dataset reads every named graph
  (``USING`` and ``USING NAMED`` each, as the store holds them when the update runs,
  so that ``GRAPH ?g`` still ranges over them all); one that the
  protocol gives a dataset (``using-graph-uri``, ``using-named-graph-uri``) reads that
  dataset (an update with its own ``USING`` or ``WITH`` and a protocol dataset is refused);
- what an update writes to the default graph (``INSERT DATA``/``DELETE DATA`` triples
  outside ``GRAPH``, templates without ``GRAPH``, ``CLEAR``/``DROP DEFAULT``,
  ``ADD``/``MOVE``/``COPY DEFAULT``) goes to the named graph :data:`DEFAULT_GRAPH`,
  itself part of the union; ``DELETE WHERE { … }`` becomes
  ``DELETE { … } WHERE { … }`` so that its pattern reads the union too.

The store's own default graph thus stays empty, and the union every query reads is the
union of the named graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from lark import Token, Tree

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import GRAPH
from isgraph.sparql.parser import Request, is_rule

#: Where what is written to the default graph goes.
DEFAULT_GRAPH = GRAPH["default"]


def rewrite(
    request: Request,
    named_graphs: Iterable[str],
    using: Sequence[str] = (),
    using_named: Sequence[str] = (),
    where: str = "update",
) -> str:
    """The update's text for the store, given the named graphs the store holds now and the
    dataset the protocol gave, if any."""
    protocol = bool(using or using_named)
    if protocol and (request.usings or request.with_graphs):
        raise InputError(
            Message(
                "using-graph-uri ou using-named-graph-uri avec une mise à jour qui a USING ou WITH",
                "using-graph-uri or using-named-graph-uri with an update that has USING or WITH",
            ),
            path=where,
        )
    default = str(ox.NamedNode(DEFAULT_GRAPH))
    if protocol:
        clauses = _clauses(using, using_named, where)
    else:
        every = sorted({*named_graphs, DEFAULT_GRAPH})
        clauses = "".join(f" USING {ox.NamedNode(g)}" for g in every) + "".join(f" USING NAMED {ox.NamedNode(g)}" for g in every)
    text = request.text
    edits: list[tuple[int, int, str]] = []
    for operation in _operations(request.tree):
        kind = operation.data
        if kind == "modify":
            has_with = any(is_rule(child, "with_clause") for child in operation.children)
            has_using = any(is_rule(child, "using_clause") for child in operation.children)
            if not has_with:
                edits.append((operation.meta.start_pos, operation.meta.start_pos, f"WITH {default} "))
            if not has_using and (protocol or not has_with):
                before_where = operation.children[-2]  # the last template or USING before WHERE
                edits.append((before_where.meta.end_pos, before_where.meta.end_pos, clauses))
        elif kind in ("insert_data", "delete_data"):
            for triples in _default_triples(operation):
                edits.append((triples.meta.start_pos, triples.meta.start_pos, f"GRAPH {default} {{ "))
                edits.append((triples.meta.end_pos, triples.meta.end_pos, " }"))
        elif kind == "delete_where":
            block = operation.children[0]
            pattern = text[block.meta.start_pos : block.meta.end_pos]
            edits.append(
                (operation.meta.start_pos, operation.meta.end_pos, f"WITH {default} DELETE {pattern}{clauses} WHERE {pattern}")
            )
        else:  # clear, drop, add, move, copy, create, load
            for token in _default_tokens(operation):
                edits.append((token.start_pos or 0, token.end_pos or 0, f"GRAPH {default}"))
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _clauses(using: Sequence[str], using_named: Sequence[str], where: str) -> str:
    clauses = ""
    for keyword, graphs in (("USING", using), ("USING NAMED", using_named)):
        for graph in graphs:
            try:
                clauses += f" {keyword} {ox.NamedNode(graph)}"
            except ValueError:
                raise InputError(
                    Message(f"IRI de graphe invalide : {graph}", f"invalid graph IRI: {graph}"), path=where
                ) from None
    return clauses


def _operations(tree: Tree[Any]) -> list[Tree[Any]]:
    """The operations of an update, in order."""
    return [child for child in tree.children if isinstance(child, Tree) and child.data != "prologue"]


def _default_triples(operation: Tree[Any]) -> list[Tree[Any]]:
    """The triples of an ``INSERT DATA``/``DELETE DATA`` outside any ``GRAPH``."""
    (block,) = [c for c in operation.children if is_rule(c, "quads_block")]
    (quads,) = block.children
    return [child for child in quads.children if is_rule(child, "triples_template")]


def _default_tokens(operation: Tree[Any]) -> list[Token]:
    """The ``DEFAULT`` keywords of ``CLEAR``, ``DROP``, ``ADD``, ``MOVE`` and ``COPY``."""
    found = []
    for child in operation.children:
        if isinstance(child, Tree) and child.data in ("graph_ref_all", "graph_or_default"):
            found += [t for t in child.children if isinstance(t, Token) and t.type == "DEFAULT"]
    return found
