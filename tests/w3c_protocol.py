"""A runner for the W3C SPARQL 1.1 Protocol and Graph Store HTTP Protocol manifests.

Each test of a manifest (``mf:ProtocolTest``) is a connection with requests in the W3C
HTTP vocabulary (``ht:``): method, path, headers, a body with its character encoding,
and the response expected (``mf:expectedStatus``, ``mf:expectedFormat``,
``mf:expectedBoolean``). The runner loads the test's ``ut:graphData`` into the store
(after emptying it), sends every request in order to a real server with ``http.client``,
and checks each response. Paths starting ``/sparql/`` go to the server's ``/sparql``.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"),
}


#: The status codes the Graph Store manifests name.
NAMED_STATUSES = {"OK": "200", "Created": "201", "NoContent": "204", "NotFound": "404"}


@dataclass
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    #: status classes ("2xx") or codes ("201")
    statuses: tuple[str, ...]
    format: str | None = None
    boolean: bool | None = None
    #: the graph the response must hold (Turtle), isomorphic
    graph: str | None = None
    #: the name under which the response's Location is kept for the requests after it
    location: str | None = None


@dataclass
class ProtocolTest:
    name: str
    title: str
    exchanges: list[Exchange]
    #: named graph IRI -> N-Triples file to load before the test
    graphs: dict[str, Path] = field(default_factory=dict)


def _one(
    graph: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str
) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    for quad in graph.quads_for_pattern(subject, ox.NamedNode(predicate), None):
        return quad.object  # type: ignore[return-value]  # no triple terms in the manifests
    return None


def _all(graph: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[object]:
    return [q.object for q in graph.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def _items(graph: ox.Store, head: object) -> list[object]:
    found = []
    while isinstance(head, ox.NamedNode | ox.BlankNode) and head != ox.NamedNode(RDF + "nil"):
        found.append(_one(graph, head, RDF + "first"))
        head = _one(graph, head, RDF + "rest")
    return found


def read_manifest(path: Path) -> list[ProtocolTest]:
    """The tests of a manifest, in its order."""
    graph = ox.Store()
    graph.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    (manifest,) = [q.subject for q in graph.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(MF + "Manifest"))]
    tests = []
    for entry in _items(graph, _one(graph, manifest, MF + "entries")):
        assert isinstance(entry, ox.NamedNode)
        action = _one(graph, entry, MF + "action")
        assert isinstance(action, ox.NamedNode | ox.BlankNode)
        exchanges = []
        for request in _items(graph, _one(graph, action, HT + "requests")):
            assert isinstance(request, ox.NamedNode | ox.BlankNode)
            headers = {}
            for header in _items(graph, _one(graph, request, HT + "headers")):
                assert isinstance(header, ox.BlankNode | ox.NamedNode)
                headers[str(_value(graph, header, HT + "fieldName"))] = str(_value(graph, header, HT + "fieldValue"))
            body = None
            content = _one(graph, request, HT + "body")
            if isinstance(content, ox.BlankNode | ox.NamedNode):
                encoding = str(_value(graph, content, CNT + "characterEncoding") or "UTF-8")
                body = str(_value(graph, content, CNT + "chars")).encode(encoding)
            response = _one(graph, request, HT + "resp")
            assert isinstance(response, ox.BlankNode | ox.NamedNode)
            boolean = _value(graph, response, MF + "expectedBoolean")
            exchanges.append(
                Exchange(
                    method=str(_value(graph, request, HT + "methodName")),
                    path=str(_value(graph, request, HT + "absolutePath")),
                    headers=headers,
                    body=body,
                    statuses=tuple(sorted(_status(s) for s in _all(graph, response, MF + "expectedStatus"))),
                    format=_value(graph, response, MF + "expectedFormat"),
                    boolean=None if boolean is None else boolean == "true",
                    graph=_expected_graph(graph, response),
                    location=_value(graph, response, MF + "expectedLocation"),
                )
            )
        graphs = {}
        for data in _all(graph, entry, UT + "graphData"):
            assert isinstance(data, ox.BlankNode | ox.NamedNode)
            file = _one(graph, data, UT + "graph")
            assert isinstance(file, ox.NamedNode)
            graphs[str(_value(graph, data, RDFS + "label"))] = Path(urllib.parse.urlsplit(file.value).path)
        tests.append(ProtocolTest(entry.value.rsplit("#", 1)[-1], str(_value(graph, entry, MF + "name")), exchanges, graphs))
    return tests


def _status(term: object) -> str:
    iri = str(getattr(term, "value", term)).rsplit("#", 1)[-1]
    return iri.removeprefix("StatusCode") if iri.startswith("StatusCode") else NAMED_STATUSES[iri]


def _expected_graph(graph: ox.Store, response: ox.NamedNode | ox.BlankNode) -> str | None:
    body = _one(graph, response, HT + "body")
    return None if not isinstance(body, ox.BlankNode | ox.NamedNode) else _value(graph, body, CNT + "chars")


def _value(graph: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> str | None:
    found = _one(graph, subject, predicate)
    return None if found is None else found.value


#: Where the manifests' paths go on isgraph's server.
PATHS = {"/sparql/": "/sparql", "/gsp": "/store"}


@dataclass
class Answer:
    status: int
    media: str
    body: bytes
    location: str | None


def send(base: str, exchange: Exchange, headers: dict[str, str], names: dict[str, str] | None = None) -> Answer:
    """One request of a test, to the server at ``base``, with the names kept from the
    responses before it (``$LOCATION$``) replaced."""
    parts = urllib.parse.urlsplit(base)
    path, body = exchange.path, exchange.body
    for name, value in (names or {}).items():
        path = path.replace(name, value)
        body = None if body is None else body.replace(name.encode(), value.encode())
    for prefix, there in PATHS.items():
        if path.startswith(prefix):
            path = there + path[len(prefix) :]
            break
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(exchange.method, path, body=body, headers={**headers, **exchange.headers})
        response = connection.getresponse()
        return Answer(
            response.status,
            response.getheader("Content-Type", "").split(";")[0].strip(),
            response.read(),
            response.getheader("Location"),
        )
    finally:
        connection.close()


def isomorphic(turtle: str, body: bytes, media: str) -> bool:
    """Whether ``body`` (in ``media``) holds the same graph as ``turtle``, blank nodes aside."""
    formats = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
    graphs = []
    for data, fmt in ((turtle.encode(), ox.RdfFormat.TURTLE), (body, formats.get(media, ox.RdfFormat.TURTLE))):
        dataset = ox.Dataset(ox.parse(data, format=fmt))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        graphs.append(set(dataset))
    return graphs[0] == graphs[1]


def check(exchange: Exchange, answer: Answer) -> str | None:
    """What is wrong with a response (None if nothing)."""
    status, media, body = answer.status, answer.media, answer.body
    if f"{status // 100}xx" not in exchange.statuses and str(status) not in exchange.statuses:
        return f"status {status}, expected {' or '.join(exchange.statuses)}: {body[:200]!r}"
    if exchange.location is not None and not answer.location:
        return "no Location header"
    if exchange.graph is not None and exchange.method != "HEAD" and not isomorphic(exchange.graph, body, media):
        return f"not the graph expected: {body[:300]!r}"
    if exchange.format is not None and media not in FORMATS[exchange.format]:
        return f"media type {media}, expected {exchange.format}"
    if exchange.boolean is not None:
        if media.endswith("json"):
            found = json.loads(body).get("boolean")
        else:
            element = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
            found = None if element is None else element.text == "true"
        if found is not exchange.boolean:
            return f"boolean {found}, expected {exchange.boolean}"
    return None
