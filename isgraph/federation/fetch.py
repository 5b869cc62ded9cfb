"""Fetching from other observatories over HTTP: SPARQL queries and dumps, each with a
timeout and a size limit, every failure turned into one clear :class:`SourceError`."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pyoxigraph as ox

from isgraph.errors import InputError, IsgraphError
from isgraph.messages import Message
from isgraph.rdf.parsing import parse_quads
from isgraph.sparql.protocol import DEFAULT_FORM, http_request

#: Largest response read from a source (bytes).
MAX_BYTES = 4 * 1024**3


class SourceError(IsgraphError):
    """A source could not be reached, was too slow, or answered something unusable."""


def _read(request: urllib.request.Request | str, timeout: float, where: str, max_bytes: int) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
        raise SourceError(
            Message(
                f"la source a répondu {exc.code} : {detail[0] if detail else exc.reason}",
                f"the source answered {exc.code}: {detail[0] if detail else exc.reason}",
            ),
            path=where,
        ) from None
    except TimeoutError:
        raise SourceError(Message(f"pas de réponse en {timeout:g} s", f"no answer within {timeout:g} s"), path=where) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise SourceError(
                Message(f"pas de réponse en {timeout:g} s", f"no answer within {timeout:g} s"), path=where
            ) from None
        raise SourceError(Message(f"source injoignable : {reason}", f"source unreachable: {reason}"), path=where) from None
    if len(data) > max_bytes:
        raise SourceError(
            Message(f"réponse trop grande (plus de {max_bytes} octets)", f"response too large (over {max_bytes} bytes)"),
            path=where,
        )
    return bytes(data)


def sparql_select(
    endpoint: str,
    query: str,
    *,
    timeout: float,
    accept: str = "text/tab-separated-values",
    max_bytes: int = MAX_BYTES,
    form: str = DEFAULT_FORM,
) -> bytes:
    """Send a query (SPARQL 1.1 Protocol, in the ``form`` the source needs) and return the raw results."""
    return _read(http_request(endpoint, query, "query", form, {"Accept": accept}), timeout, endpoint, max_bytes)


Row = list[ox.NamedNode | ox.BlankNode | ox.Literal | None]
_RESULT_TYPES = {
    ox.QueryResultsFormat.JSON: "application/sparql-results+json",
    ox.QueryResultsFormat.TSV: "text/tab-separated-values",
}


def malformed(detail: str, where: str) -> SourceError:
    detail = " ".join(detail.split())[:200]
    return SourceError(Message(f"résultats SPARQL mal formés : {detail}", f"malformed SPARQL results: {detail}"), path=where)


def select_rows(
    endpoint: str,
    query: str,
    *,
    timeout: float,
    fmt: ox.QueryResultsFormat = ox.QueryResultsFormat.JSON,
    form: str = DEFAULT_FORM,
) -> tuple[list[str], list[Row]]:
    """A SELECT query's variables and rows, from an endpoint."""
    data = sparql_select(endpoint, query, timeout=timeout, accept=_RESULT_TYPES[fmt], form=form)
    try:
        solutions = ox.parse_query_results(data, format=fmt)
        if not isinstance(solutions, ox.QuerySolutions):
            raise malformed("a boolean where solutions were expected", endpoint)
        names = [v.value for v in solutions.variables]
        return names, [[row[n] for n in names] for row in solutions]
    except (SyntaxError, ValueError) as exc:
        raise malformed(str(exc), endpoint) from None


def dump_quads(location: str, *, timeout: float) -> list[ox.Quad]:
    """The quads of a dump (.nq or .trig), from an http(s) URL or a local file, parsed safely."""
    fmt = ox.RdfFormat.TRIG if location.lower().endswith(".trig") else ox.RdfFormat.N_QUADS
    try:
        return parse_quads(dump_bytes(location, timeout=timeout), fmt, shown_as=location)
    except InputError as exc:
        raise SourceError(exc.message, path=exc.path, line=exc.line, column=exc.column) from None


def dump_bytes(location: str, *, timeout: float, max_bytes: int = MAX_BYTES) -> bytes:
    """A dump's bytes, from an http(s) URL or a local file (a path or a file: IRI)."""
    if location.startswith(("http://", "https://")):
        return _read(urllib.request.Request(location, headers={"User-Agent": "isgraph"}), timeout, location, max_bytes)
    path = Path(url2pathname(urlsplit(location).path)) if location.startswith("file:") else Path(location)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(
            Message(f"sauvegarde illisible : {exc.strerror}", f"unreadable dump: {exc.strerror}"), path=location
        ) from None
