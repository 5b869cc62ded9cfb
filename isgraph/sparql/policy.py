"""What a SPARQL request may do, decided on the parsed request (:mod:`isgraph.sparql.parser`).

- A request longer than ``max_length`` characters, or nested deeper than ``max_depth``,
  is refused before it is parsed further: no request can exhaust the store's stack.
- A query must be a query: an update sent as a query does not parse, so it is refused.
- ``LOAD`` is refused: the server fetches nothing from the web.
- Every ``SERVICE`` must call a fixed, absolute http(s) IRI whose host (and port) is on
  the allow-list; a ``SERVICE ?variable`` (a server chosen by the data) is refused.

The store is given the text the parser read (escapes replaced), never the one received.

>>> Policy().query("SELECT * WHERE { ?s ?p ?o }").services
()
>>> Policy(("127.0.0.1:7878",)).query("SELECT * { SERVICE <http://127.0.0.1:7878/q> { ?s ?p ?o } }").services
('http://127.0.0.1:7878/q',)
>>> Policy().query("SELECT * { SERVICE <https://evil.ex\\\\u0061mple/q> { ?s ?p ?o } }")
Traceback (most recent call last):
...
isgraph.errors.InputError: SERVICE refused: evil.example is not among the allowed hosts (none)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.sparql.parser import MAX_DEPTH, MAX_LENGTH, Request, read

#: The highest nesting a server may be configured to take: the store's own parser reads
#: requests far deeper than this without exhausting its stack (tests/test_sparql_policy.py).
DEPTH_CEILING = 256


@dataclass(frozen=True)
class Policy:
    """The rules a server (or the command line) applies to the requests it receives."""

    #: hosts (``host`` or ``host:port``) that ``SERVICE`` may call
    allowed_services: tuple[str, ...] = ()
    max_length: int = MAX_LENGTH
    max_depth: int = MAX_DEPTH

    def query(self, text: str, where: str = "query") -> Request:
        """The query, read and allowed; an InputError says why not."""
        try:
            request = read(text, "query", max_length=self.max_length, max_depth=self.max_depth, where=where)
        except InputError as exc:
            if exc.line is not None and _is_update(text, self, where):
                raise InputError(
                    Message(
                        "une mise à jour n'est pas une requête : seules les lectures sont permises ici",
                        "an update is not a query: only reads are allowed here",
                    ),
                    path=where,
                ) from None
            raise
        self._check_services(request, where)
        return request

    def update(self, text: str, where: str = "update") -> Request:
        """The update, read and allowed; an InputError says why not."""
        request = read(text, "update", max_length=self.max_length, max_depth=self.max_depth, where=where)
        if "load" in request.operations:
            raise InputError(
                Message(
                    "LOAD refusé : le serveur ne va pas chercher de données sur le web",
                    "LOAD refused: the server does not fetch data from the web",
                ),
                path=where,
            )
        self._check_services(request, where)
        return request

    def _check_services(self, request: Request, where: str) -> None:
        listed = ", ".join(sorted(self.allowed_services)) or None
        for target in request.services:
            if target is None or urlsplit(target).scheme not in ("http", "https") or not _valid(target):
                raise InputError(
                    Message(
                        "SERVICE refusé : l'adresse appelée doit être un IRI http(s) absolu et fixe",
                        "SERVICE refused: the address called must be a fixed, absolute http(s) IRI",
                    ),
                    path=where,
                )
            if not allowed(target, self.allowed_services):
                host = urlsplit(target).netloc
                raise InputError(
                    Message(
                        f"SERVICE refusé : {host} n'est pas parmi les hôtes permis ({listed or 'aucun'})",
                        f"SERVICE refused: {host} is not among the allowed hosts ({listed or 'none'})",
                    ),
                    path=where,
                )


def _is_update(text: str, policy: Policy, where: str) -> bool:
    try:
        read(text, "update", max_length=policy.max_length, max_depth=policy.max_depth, where=where)
    except InputError:
        return False
    return True


def _valid(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
        port = urlsplit(iri).port  # a port that is not a number raises
    except ValueError:
        return False
    return bool(urlsplit(iri).hostname) and (port is None or 0 < port < 65536)


def allowed(iri: str, hosts: Collection[str]) -> bool:
    """Whether ``iri``'s host (and port) is on the list; an entry without a port allows every port."""
    parts = urlsplit(iri)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for entry in hosts:
        host, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if (host or entry).lower() == (parts.hostname or "").lower() and (not entry_port or entry_port == str(port)):
            return True
    return False
