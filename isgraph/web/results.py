"""Query results under limits, in the format a client asks for.

:func:`collect` reads a result to the end while watching a deadline and a size
limit, so a query that runs too long or returns too much is stopped with a
clear error. :func:`negotiate` picks a media type from an ``Accept`` header and
:func:`serialize` writes the collected result in it: SPARQL 1.1 Query Results
JSON, XML, CSV or TSV for solutions and booleans; Turtle, N-Triples, JSON-LD or
RDF/XML for graphs (CONSTRUCT, DESCRIBE).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..messages import Message
from ..namespaces import PREFIXES
from ..result_formats import sparql_json
from ..store import QueryResult

SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
#: Aliases clients use in the ``format`` parameter.
FORMAT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ttl": "text/turtle", "nt": "application/n-triples", "ntriples": "application/n-triples",
                "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}


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


def time_limit(seconds: float) -> LimitReached:
    return LimitReached(Message(f"limite de temps atteinte ({seconds:g} s) : restreignez la requête",
                                f"query time limit reached ({seconds:g} s): narrow the query"), 503)


def collect(result: QueryResult, *, started: float, timeout: float, max_results: int) -> Collected:
    """Read ``result`` entirely, stopping with :class:`LimitReached` past ``timeout`` seconds
    after ``started`` (a ``time.monotonic()``) or past ``max_results`` rows or triples."""
    def check(count: int) -> None:
        if count > max_results:
            raise LimitReached(Message(
                f"résultat trop grand (plus de {max_results} lignes ou triplets) : ajoutez LIMIT ou restreignez la requête",
                f"result too large (over {max_results} rows or triples): add LIMIT or narrow the query"), 413)
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


def server_timing(collected: Collected) -> dict[str, str]:
    """The W3C ``Server-Timing`` header of a query's response: the milliseconds the store took to
    evaluate it and read its result, so that a client can tell them from the time HTTP adds."""
    if collected.seconds is None:
        return {}
    return {"Server-Timing": f'store;dur={collected.seconds * 1000:.1f};desc="query evaluation"'}


def negotiate(accept: str | None, kind: str, requested: str | None = None) -> str | None:
    """The media type to answer with, or None when the client accepts none we can give.
    ``requested`` (a ``format`` parameter: ``json``, ``csv``, ``turtle``… or a media type) wins."""
    offered = list(GRAPH_TYPES if kind == "graph" else SOLUTION_TYPES)
    if requested:
        media = FORMAT_NAMES.get(requested, requested)
        return media if media in offered else None
    ranges = parse_accept(accept or "*/*")
    best, best_q = None, 0.0
    for media in offered:
        q = quality(media, ranges)
        if q > best_q:
            best, best_q = media, q
    return best


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs."""
    ranges = []
    for part in header.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q the client gives ``media``: from its most specific matching range."""
    kind = media.split("/")[0]
    for pattern in (media, f"{kind}/*", "*/*"):
        for candidate, q in ranges:
            if candidate == pattern:
                return q
    # clients that ask for application/json or application/xml get the SPARQL results of that syntax
    for candidate, q in ranges:
        if (candidate, media) in (("application/json", "application/sparql-results+json"),
                                  ("application/xml", "application/sparql-results+xml"),
                                  ("text/xml", "application/sparql-results+xml")):
            return q
    return 0.0


def serialize(collected: Collected, media: str) -> bytes:
    """The collected result as ``media``."""
    if collected.kind == "graph":
        return ox.serialize(collected.triples, format=GRAPH_TYPES[media],
                            prefixes=_TURTLE_PREFIXES if media == "text/turtle" else None)
    data = collected.raw_json or json_results(collected)
    if media == "application/sparql-results+json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=SOLUTION_TYPES[media])


def json_results(collected: Collected) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    if collected.kind == "boolean":
        return json.dumps({"head": {}, "boolean": collected.boolean}).encode()
    return sparql_json(collected.variables, collected.rows)


_TURTLE_PREFIXES = {**PREFIXES, "void": "http://rdfs.org/ns/void#", "dcat": "http://www.w3.org/ns/dcat#"}
