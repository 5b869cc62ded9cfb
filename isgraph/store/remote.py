"""A store on any SPARQL 1.1 server, through the SPARQL 1.1 Protocol (SPARQLWrapper).

Queries go to the query endpoint, writes to the update endpoint as SPARQL 1.1
Update. Results come back as SPARQL JSON (SELECT, ASK) or N-Triples (CONSTRUCT,
DESCRIBE) and are parsed by pyoxigraph, so callers get the same objects as from
the embedded store. The server must read its default graph as the union of the
named graphs (``oxigraph serve --union-default-graph``; Fuseki's
``unionDefaultGraph``), as the embedded store does.

Each write is one update request, which SPARQL 1.1 servers apply as one unit:
replacing or dropping graphs is atomic there as well.
"""

from __future__ import annotations

import math
import re
import urllib.error
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO

import pyoxigraph as ox
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from isgraph.errors import StoreError
from isgraph.messages import Message
from isgraph.namespaces import PREFIXES
from isgraph.sparql.protocol import DEFAULT_FORM, checked_form
from isgraph.store.base import union
from isgraph.store.limits import QueryResult, ReadsUnderLimits
from isgraph.store.rows import select, select_values

_KIND = re.compile(r"(?is)^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b")
_COMMENT = re.compile(r"(?m)^\s*#.*$")
_ASK_VARIABLE = "__ASK_RETVAL"


def _graph_block(graph: str, triples: Iterable[ox.Triple]) -> str:
    body = " .\n".join(str(t) for t in triples)
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body} }} }}" if body else ""


class RemoteStore(ReadsUnderLimits):
    """The knowledge graph on a SPARQL 1.1 server."""

    def __init__(
        self, endpoint: str, *, update_endpoint: str | None = None, timeout: float | None = None, request_form: str = DEFAULT_FORM
    ) -> None:
        if not re.match(r"^https?://[^\s]+$", endpoint):
            raise StoreError(
                Message(
                    "adresse de serveur SPARQL invalide (http:// ou https:// attendu)",
                    "invalid SPARQL endpoint URL (http:// or https:// expected)",
                ),
                path=endpoint,
            )
        self.location = endpoint
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or re.sub(r"/query$", "/update", endpoint)
        #: seconds a request may take before it gives up (SPARQLWrapper counts whole seconds)
        self.timeout = max(1, math.ceil(timeout)) if timeout is not None else 300
        #: how queries are sent (:mod:`isgraph.sparql.protocol`); updates go by POST, URL-encoded
        #: unless the form is ``post-direct``
        self.request_form = checked_form(request_form)

    def _wrapper(
        self, text: str, accept: str, dataset: tuple[Sequence[str], Sequence[str]] = ((), ()), *, update: bool = False
    ) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint)
        for graph in dataset[0]:
            wrapper.addDefaultGraph(graph)
        for graph in dataset[1]:
            wrapper.addNamedGraph(graph)
        wrapper.setMethod(GET if self.request_form == "get" and not update else POST)
        wrapper.setRequestMethod(POSTDIRECTLY if self.request_form == "post-direct" else URLENCODED)
        wrapper.setTimeout(self.timeout)
        wrapper.setQuery(text)
        wrapper.setReturnFormat(JSON)
        wrapper.setOnlyConneg(True)  # the Accept header alone: a format=json parameter makes Virtuoso refuse CONSTRUCT
        wrapper.addCustomHttpHeader("Accept", accept)
        return wrapper

    def _send(
        self, text: str, accept: str, dataset: tuple[Sequence[str], Sequence[str]] = ((), ()), *, update: bool = False
    ) -> bytes:
        try:
            with warnings.catch_warnings():  # SPARQLWrapper warns about the Accept header we set ourselves
                warnings.simplefilter("ignore", RuntimeWarning)
                response = self._wrapper(text, accept, dataset, update=update).query().response
            return response.read()
        except SPARQLWrapperException as exc:
            detail = " ".join(str(exc).split())[:300]
            raise StoreError(
                Message(f"le serveur SPARQL a refusé la requête : {detail}", f"the SPARQL server refused the request: {detail}"),
                path=self.location,
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(
                Message(f"serveur SPARQL injoignable : {reason}", f"cannot reach the SPARQL server: {reason}"), path=self.location
            ) from None

    def query(
        self, sparql: str, *, default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None
    ) -> QueryResult:
        dataset = (default_graphs or (), named_graphs or ())
        match = _KIND.match(_COMMENT.sub("", sparql))
        kind = match.group(1).upper() if match else "SELECT"
        if kind in ("CONSTRUCT", "DESCRIBE"):
            data = self._send(sparql, "application/n-triples", dataset)
            try:
                return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            except (SyntaxError, ValueError) as exc:
                raise self._malformed(exc) from None
        data = self._send(sparql, "application/sparql-results+json", dataset)
        try:
            results = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise self._malformed(exc) from None
        if kind == "ASK" and isinstance(results, ox.QuerySolutions) and [v.value for v in results.variables] == [_ASK_VARIABLE]:
            # Virtuoso answers ASK with one solution binding __ASK_RETVAL to 1 or 0
            answer = [row[_ASK_VARIABLE] for row in results]
            truth = bool(answer) and isinstance(answer[0], ox.Literal) and answer[0].value not in ("0", "false")
            return ox.parse_query_results(f'{{"head": {{}}, "boolean": {str(truth).lower()}}}', format=ox.QueryResultsFormat.JSON)
        return results

    def _malformed(self, exc: Exception) -> StoreError:
        detail = " ".join(str(exc).split())[:200]
        return StoreError(
            Message(f"réponse du serveur SPARQL mal formée : {detail}", f"malformed response from the SPARQL server: {detail}"),
            path=self.location,
        )

    def update(self, sparql: str, *, writes: Sequence[str] | None = None) -> None:
        if sparql.strip():
            self._send(sparql, "*/*", update=True)

    def add(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        self.update(_graph_block(graph, triples))

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]], *, drop: Iterable[str] = ()) -> None:
        steps = [f"DROP SILENT GRAPH <{g}>" for g in sorted(set(drop) | set(graphs))]
        steps += [block for g, triples in graphs.items() if (block := _graph_block(g, triples))]
        self.update(" ;\n".join(steps))

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        self.replace_graphs({}, drop=graphs)

    def add_new_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> str | None:
        """A server has no faster way than an update: one atomic update, no marker."""
        self.replace_graphs(graphs)
        return None

    def search(self, text: str, properties: Sequence[str], limit: int) -> list[str] | None:
        """None: a server's text index (if any) is its own; catalogue searches run as SPARQL there."""
        return None

    def keeps_views(self) -> bool:
        """False: a server's graphs are its own; catalogue queries ask it their definitions."""
        return False

    def named_graphs(self) -> list[str]:
        # GRAPH ?g { } finds no graph on Virtuoso: a graph is listed by what it holds
        rows = select(self, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    def present(self, graphs: Iterable[str]) -> set[str]:
        wanted, found = sorted(set(graphs)), set()
        for i in range(0, len(wanted), 500):
            values = " ".join(f"<{g}>" for g in wanted[i : i + 500])
            rows = select(self, f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}")
            found |= {row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)}
        return found

    def quads(self) -> Iterator[ox.Quad]:
        rows = select(self, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return (
            ox.Quad(s, p, r["o"], g)
            for r in rows
            if not isinstance(s := r["s"], ox.Literal)
            and isinstance(p := r["p"], ox.NamedNode)
            and not isinstance(g := r["g"], ox.Literal)
        )

    def count(self) -> int:
        rows = select_values(self, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"])

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        if fmt.supports_datasets:
            ox.serialize(self.quads(), output, format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)
        else:
            ox.serialize(union(self.quads()), output, format=fmt, prefixes=PREFIXES)

    def close(self) -> None:
        pass

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
