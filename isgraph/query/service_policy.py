"""Which servers a query may call with ``SERVICE``: only hosts on an allow-list.

A query is read token by token (outside strings, IRIs and comments); the IRI after
each ``SERVICE [SILENT]`` is resolved with the query's own prefixes and its host
checked. A ``SERVICE ?variable`` (a server chosen by the data) and relative IRIs
are refused, since they could reach any host.

>>> check_services("SELECT * { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }", ["127.0.0.1:7878"])
>>> check_services("SELECT * { SERVICE <https://evil.example/q> { ?s ?p ?o } }", [])
Traceback (most recent call last):
...
isgraph.errors.InputError: SERVICE refused: evil.example is not among the allowed hosts (none)
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from urllib.parse import urlsplit

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import PREFIXES
from isgraph.query.sparql_text import tokens


def _significant(text: str) -> Iterator[tuple[str, str]]:
    for kind, value in tokens(text):
        if kind == "comment" or (kind == "other" and value.isspace()):
            continue
        yield kind, value


def service_targets(sparql: str) -> list[str | None]:
    """The IRI each ``SERVICE`` of the query calls (None when it is not a fixed absolute IRI)."""
    prefixes = dict(PREFIXES)
    found: list[str | None] = []
    items = list(_significant(sparql))
    for i, (kind, value) in enumerate(items):
        if kind != "word":
            continue
        if value.upper() == "PREFIX" and i + 2 < len(items) and items[i + 2][0] == "iri":
            prefixes[items[i + 1][1].rstrip(":")] = items[i + 2][1][1:-1]
        if value.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(items) and items[j][0] == "word" and items[j][1].upper() == "SILENT":
            j += 1
        target = items[j] if j < len(items) else ("other", "")
        found.append(_absolute(target, prefixes))
    return found


def _absolute(token: tuple[str, str], prefixes: dict[str, str]) -> str | None:
    kind, value = token
    if kind == "iri":
        iri = value[1:-1]
    elif kind == "word" and ":" in value:
        prefix, _, local = value.partition(":")
        if prefix not in prefixes:
            return None
        iri = prefixes[prefix] + local
    else:
        return None
    return iri if urlsplit(iri).scheme in ("http", "https") and urlsplit(iri).hostname else None


def allowed(iri: str, hosts: Collection[str]) -> bool:
    """Whether ``iri``'s host (and port) is on the list; an entry without a port allows every port."""
    parts = urlsplit(iri)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for entry in hosts:
        host, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if (host or entry).lower() == (parts.hostname or "").lower() and (not entry_port or entry_port == str(port)):
            return True
    return False


def check_services(sparql: str, hosts: Collection[str], where: str = "SPARQL") -> None:
    """Refuse the query if one of its ``SERVICE`` calls goes to a host not in ``hosts``."""
    listed = ", ".join(sorted(hosts)) or None
    for target in service_targets(sparql):
        if target is None:
            raise InputError(
                Message(
                    "SERVICE refusé : l'adresse appelée doit être un IRI http(s) absolu et fixe",
                    "SERVICE refused: the address called must be a fixed, absolute http(s) IRI",
                ),
                path=where,
            )
        if not allowed(target, hosts):
            host = urlsplit(target).netloc
            raise InputError(
                Message(
                    f"SERVICE refusé : {host} n'est pas parmi les hôtes permis ({listed or 'aucun'})",
                    f"SERVICE refused: {host} is not among the allowed hosts ({listed or 'none'})",
                ),
                path=where,
            )
