"""The names of the rows the views and the aggregates keep about an initiative: under the
initiative's IRI, so that a query reads the initiative back from a row's name rather than
from a triple of the row (:mod:`isgraph.store.views`, :mod:`isgraph.store.aggregates`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pyoxigraph as ox

from isgraph.store.limits import Term

#: A row of a view is named ``<initiative>`` + this + 24 hexadecimal digits (:func:`row_node`).
ROW = "/isv-row-"
#: How many characters a row's name has beyond its initiative's: a query on the views reads
#: the initiative as ``IRI(SUBSTR(STR(?row), 1, STRLEN(STR(?row)) - 33))``.
ROW_TAIL = len(ROW) + 24


def row_node(initiative: str, kind: str, values: Sequence[tuple[str, Term]]) -> ox.NamedNode:
    """The node of a row of a view about ``initiative``: named by what it holds, so that the
    same row from two copies of a case is one row, and under the initiative's IRI, which a
    query reads back by cutting :data:`ROW_TAIL` characters (a suffix of unreserved
    characters, so the name is an IRI whatever the initiative's: after its path, its query
    or its fragment).

    >>> row_node("https://example.org/i#me", "esid", [("met", ox.Literal("true"))]).value[-33:-24]
    '/isv-row-'
    """
    key = hashlib.sha256("\n".join([initiative, kind, *(f"{c}={v}" for c, v in values)]).encode()).hexdigest()[:24]
    return ox.NamedNode(initiative + ROW + key)
