"""Query results in the format a client asks for (they are read under limits by
:meth:`isgraph.store.base.Store.collected`). :func:`negotiate` picks a media type from an ``Accept`` header and
:func:`serialize` writes the collected result in it: SPARQL 1.1 Query Results
JSON, XML, CSV or TSV for solutions and booleans; Turtle, N-Triples, JSON-LD or
RDF/XML for graphs (CONSTRUCT, DESCRIBE).
"""

from __future__ import annotations

import pyoxigraph as ox

from isgraph.namespaces import PREFIXES
from isgraph.rdf.writing import serialize as rdf_bytes
from isgraph.rdf.writing import serialize_results
from isgraph.store.limits import Collected, json_results

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
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


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
    kind = media.split("/", maxsplit=1)[0]
    for pattern in (media, f"{kind}/*", "*/*"):
        for candidate, q in ranges:
            if candidate == pattern:
                return q
    # clients that ask for application/json or application/xml get the SPARQL results of that syntax
    for candidate, q in ranges:
        if (candidate, media) in (
            ("application/json", "application/sparql-results+json"),
            ("application/xml", "application/sparql-results+xml"),
            ("text/xml", "application/sparql-results+xml"),
        ):
            return q
    return 0.0


def serialize(collected: Collected, media: str) -> bytes:
    """The collected result as ``media``."""
    if collected.kind == "graph":
        return rdf_bytes(collected.triples, GRAPH_TYPES[media], prefixes=_TURTLE_PREFIXES if media == "text/turtle" else None)
    data = collected.raw_json or json_results(collected)
    if media == "application/sparql-results+json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return serialize_results(parsed, SOLUTION_TYPES[media])


_TURTLE_PREFIXES = {**PREFIXES, "void": "http://rdfs.org/ns/void#", "dcat": "http://www.w3.org/ns/dcat#"}
