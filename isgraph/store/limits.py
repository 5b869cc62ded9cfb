"""A query's whole result, read under a time limit and a size limit.

:func:`collect` reads a result to the end while watching a deadline and a size limit,
so a query that runs too long or returns too much is stopped with a clear error
(:class:`LimitReached`); :func:`collect_query` runs a query on a store and collects it.
Every backend offers this as :meth:`isgraph.store.base.Store.collected`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

from isgraph.messages import Message
from isgraph.namespaces import XSD

#: What a query gives: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]


class LimitReached(Exception):
    """A query went over the time or size limit."""

    def __init__(self, message: Message, status: int) -> None:
        super().__init__(message.en)
        self.message = message
        self.status = status


@dataclass
class Collected:
    """A whole query result: solutions, a boolean or triples."""

    kind: str  # "solutions", "boolean" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[ox.NamedNode | ox.BlankNode | ox.Literal | None]] = field(default_factory=list)
    boolean: bool = False
    triples: list[ox.Triple] = field(default_factory=list)
    #: The solutions already serialised as SPARQL JSON, when they came so.
    raw_json: bytes | None = None
    #: Seconds the store took to evaluate the query and read its whole result (sent to
    #: clients in the ``Server-Timing`` header).
    seconds: float | None = None

    def table(self) -> tuple[list[str], list[list[ox.NamedNode | ox.BlankNode | ox.Literal | None]]]:
        """The variables and rows of solutions, read from the SPARQL JSON when they came so."""
        if self.raw_json is None:
            return self.variables, self.rows
        parsed = ox.parse_query_results(self.raw_json, format=ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QuerySolutions)
        names = [v.value for v in parsed.variables]
        return names, [[value if not isinstance(value := row[n], ox.Triple) else None for n in names] for row in parsed]

    def as_result(self) -> QueryResult:
        """The collected result as a query result again (to render it like any other)."""
        if self.kind == "graph":
            return self.triples
        return ox.parse_query_results(self.raw_json or json_results(self), format=ox.QueryResultsFormat.JSON)


def time_limit(seconds: float) -> LimitReached:
    return LimitReached(
        Message(
            f"limite de temps atteinte ({seconds:g} s) : restreignez la requête",
            f"query time limit reached ({seconds:g} s): narrow the query",
        ),
        503,
    )


def collect(result: QueryResult, *, started: float, timeout: float, max_results: int) -> Collected:
    """Read ``result`` entirely, stopping with :class:`LimitReached` past ``timeout`` seconds
    after ``started`` (a ``time.monotonic()``) or past ``max_results`` rows or triples."""

    def check(count: int) -> None:
        if count > max_results:
            raise LimitReached(
                Message(
                    f"résultat trop grand (plus de {max_results} lignes ou triplets) : ajoutez LIMIT ou restreignez la requête",
                    f"result too large (over {max_results} rows or triples): add LIMIT or narrow the query",
                ),
                413,
            )
        if count % 64 == 0 and time.monotonic() - started > timeout:
            raise time_limit(timeout)

    if time.monotonic() - started > timeout:
        raise time_limit(timeout)
    if isinstance(result, ox.QueryBoolean):
        return Collected("boolean", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = []
        for count, solution in enumerate(result, 1):
            check(count)
            rows.append([solution[n] for n in names])
        return Collected("solutions", variables=names, rows=rows)
    triples = []
    for count, triple in enumerate(result, 1):
        check(count)
        triples.append(triple)
    return Collected("graph", triples=triples)


def collect_query(
    query: Callable[..., QueryResult],
    sparql: str,
    *,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
    timeout: float,
    max_results: int,
) -> Collected:
    """Run ``sparql`` with ``query`` (a store's ``query`` method) and collect its result under the
    limits; ``seconds`` is the time the store took to evaluate the query and read its result."""
    started = time.monotonic()
    result = query(sparql, default_graphs=default_graphs, named_graphs=named_graphs)
    collected = collect(result, started=started, timeout=timeout, max_results=max_results)
    collected.seconds = time.monotonic() - started
    return collected


def json_results(collected: Collected) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    if collected.kind == "boolean":
        return json.dumps({"head": {}, "boolean": collected.boolean}).encode()
    return sparql_json(collected.variables, collected.rows)


Term = ox.NamedNode | ox.BlankNode | ox.Literal


def sparql_json(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    """Solutions as SPARQL 1.1 Query Results JSON (an unbound value is left out of its row)."""
    bindings = [{name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")


_XSD_STRING = XSD["string"]


def _json_term(term: Term | ox.Triple) -> dict[str, object]:
    """One term as SPARQL 1.1 Query Results JSON (RDF-star triples included)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


class _Queries(Protocol):
    def query(
        self, sparql: str, *, default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None
    ) -> QueryResult: ...


class ReadsUnderLimits:
    """The :meth:`isgraph.store.base.Store.collected` of a backend that cannot stop a running
    query: it reads the result under the limits, and stops reading there."""

    def collected(
        self: _Queries,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float = float("inf"),
        max_results: int = 10**9,
    ) -> Collected:
        return collect_query(
            self.query, sparql, default_graphs=default_graphs, named_graphs=named_graphs, timeout=timeout, max_results=max_results
        )
