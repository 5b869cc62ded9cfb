"""The rows of a SELECT query, typed: what most readers of the store want.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> select_values(store, 'SELECT ?x ?y WHERE { VALUES ?x { "a" "b" } }')
[{'x': 'a'}, {'x': 'b'}]
"""

from __future__ import annotations

import csv
import io
from typing import Protocol

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.store.limits import QueryResult

#: A term a solution binds (RDF-star triples aside).
Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Queryable(Protocol):
    """Anything that answers a SPARQL query: a :class:`isgraph.store.base.Store`, or the
    in-memory pyoxigraph store of an engine."""

    def query(self, sparql: str) -> QueryResult: ...


def solutions(result: QueryResult, where: str = "SPARQL") -> ox.QuerySolutions:
    """The solutions of a SELECT query's result (any other kind of result is an error)."""
    if not isinstance(result, ox.QuerySolutions):
        raise InputError(Message("une requête SELECT est attendue", "a SELECT query is expected"), path=where)
    return result


def select(store: Queryable, sparql: str) -> list[dict[str, Term]]:
    """The rows of a SELECT query: each variable bound in a row, with its term."""
    found = solutions(store.query(sparql))
    names = [v.value for v in found.variables]
    return [{n: term for n in names if isinstance(term := row[n], Term)} for row in found]


def select_values(store: Queryable, sparql: str) -> list[dict[str, str]]:
    """The rows of a SELECT query, each bound variable with the text of its term (an IRI,
    a blank node's label, a literal's lexical form)."""
    return [{n: term.value for n, term in row.items()} for row in select(store, sparql)]


def select_texts(store: Queryable, sparql: str) -> list[tuple[str, ...]]:
    """The rows of a SELECT query as texts, in the order of its variables ("" when unbound):
    serialised by the store as CSV and read by Python's csv module, twice as fast as reading
    each term (for the readers of tens of thousands of rows, such as the network analysis)."""
    found = solutions(store.query(sparql))
    data = found.serialize(format=ox.QueryResultsFormat.CSV) or b""
    return [tuple(row) for row in csv.reader(io.StringIO(data.decode("utf-8"), newline=""))][1:]


def construct(store: Queryable, sparql: str) -> list[ox.Triple]:
    """The triples of a CONSTRUCT (or DESCRIBE) query."""
    result = store.query(sparql)
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        raise InputError(Message("une requête CONSTRUCT est attendue", "a CONSTRUCT query is expected"), path="SPARQL")
    return list(result)
