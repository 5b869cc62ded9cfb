"""Writing RDF to bytes (pyoxigraph's serializer, typed for the case without an output file).

>>> import pyoxigraph as ox
>>> serialize([ox.Triple(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("b"))], ox.RdfFormat.N_TRIPLES)
b'<http://x/a> <http://x/p> "b" .\\n'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox


def serialize(
    items: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: ox.RdfFormat, *, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Triples or quads written in ``fmt`` (with ``prefixes`` where the format has them)."""
    data = ox.serialize(items, format=fmt, prefixes=dict(prefixes) if prefixes else None)
    assert data is not None  # pyoxigraph returns the bytes when no output is given
    return data


def serialize_results(results: ox.QuerySolutions | ox.QueryBoolean, fmt: ox.QueryResultsFormat) -> bytes:
    """Query results (solutions or a boolean) written in ``fmt``."""
    data = results.serialize(format=fmt)
    assert data is not None  # pyoxigraph returns the bytes when no output is given
    return data
