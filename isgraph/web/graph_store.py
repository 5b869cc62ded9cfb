"""The SPARQL 1.1 Graph Store HTTP Protocol on ``/store``.

- ``/store?graph=IRI`` names a graph (indirect identification); ``/store/PATH`` names the
  graph whose IRI is that URL (direct identification); ``/store?default`` names the
  default graph. ``POST /store`` creates a new graph and answers its IRI in ``Location``.
- ``GET`` and ``HEAD`` read a graph (404 when the store has no such graph); ``PUT``
  replaces it (201 when it is new, 204 otherwise), ``POST`` adds to it (the same; a
  ``multipart/form-data`` body adds every part), ``DELETE`` removes it (204; 404 when
  absent). Writes need the token, as every write of the server.
- The default graph means what it means for every query and update of the server: the
  union of the named graphs. Read, it is that union; written, triples go to the named
  graph :data:`isgraph.sparql.update_dataset.DEFAULT_GRAPH`, itself part of the union.

Bodies are parsed by pyoxigraph (Turtle, N-Triples, RDF/XML, JSON-LD without remote
contexts) under the case limits, and each write is one transaction.
"""

from __future__ import annotations

import email.parser
import email.policy
import uuid

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.rdf.parsing import parse_quads
from isgraph.sparql.update_dataset import DEFAULT_GRAPH
from isgraph.store import Store

#: Media types a graph may be sent in, and how pyoxigraph reads them.
BODY_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
#: The largest body taken (bytes).
MAX_BODY_BYTES = 50_000_000

DEFAULT = None  # the default graph: no IRI


def read_body(body: bytes, media: str, base: str) -> list[ox.Triple]:
    """The triples of a request body (``multipart/form-data``: of every part)."""
    kind = media.split(";", maxsplit=1)[0].strip().lower()
    if kind == "multipart/form-data":
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + media.encode("latin-1") + b"\r\n\r\n" + body
        )
        triples: list[ox.Triple] = []
        for part in message.iter_parts():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                triples += read_body(payload, part.get_content_type(), base)
        return triples
    if kind not in BODY_FORMATS:
        raise InputError(
            Message(
                f"type de contenu non pris en charge : {kind or 'aucun'} (permis : {', '.join(BODY_FORMATS)})",
                f"unsupported content type: {kind or 'none'} (allowed: {', '.join(BODY_FORMATS)})",
            ),
            path="graph store",
        )
    return [
        q.triple for q in parse_quads(body, BODY_FORMATS[kind], shown_as="graph store", without_named_graphs=True, base_iri=base)
    ]


def exists(store: Store, graph: str | None) -> bool:
    if graph is DEFAULT:
        return True
    return bool(store.collected(f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ }} }}").boolean)


def triples_of(store: Store, graph: str | None) -> list[ox.Triple]:
    where = "?s ?p ?o" if graph is DEFAULT else f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}"
    collected = store.collected(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    return list(collected.triples or [])


def put(store: Store, graph: str | None, triples: list[ox.Triple]) -> bool:
    """Replace the graph (in one transaction); whether it is new."""
    new = not exists(store, graph)
    store.replace_graphs({_written(graph): triples})
    return new


def post(store: Store, graph: str | None, triples: list[ox.Triple]) -> bool:
    """Add to the graph (in one transaction); whether it is new."""
    new = not exists(store, graph)
    if triples:
        data = " .\n".join(str(t) for t in triples)
        target = _written(graph)
        store.update(f"INSERT DATA {{ GRAPH {ox.NamedNode(target)} {{ {data} }} }}", writes=[target])
    return new


def delete(store: Store, graph: str | None) -> bool:
    """Remove the graph; whether there was one (the default graph always is)."""
    if graph is not DEFAULT and not exists(store, graph):
        return False
    store.drop_graphs([_written(graph)])
    return True


def _written(graph: str | None) -> str:
    """The graph that holds what is written to ``graph``."""
    return DEFAULT_GRAPH if graph is DEFAULT else graph


def new_graph_iri(url: str) -> str:
    """The IRI of a graph created by ``POST /store``: under the server's own address."""
    return f"{url}/store/{uuid.uuid4()}"
