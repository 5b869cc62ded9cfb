"""The three ways the SPARQL 1.1 Protocol lets a client send a request, and which one isgraph uses.

The Protocol allows a query by ``GET`` (``?query=``), by ``POST`` URL-encoded
(``query=`` in an ``application/x-www-form-urlencoded`` body) or by ``POST`` directly
(``application/sparql-query``); an update by ``POST`` URL-encoded or directly. Servers
differ: Virtuoso 7.2.5 (Debian's) never answers a direct ``POST`` and a long ``GET``
overflows some proxies, while every server tried answers the URL-encoded ``POST``
(Oxigraph, Virtuoso, Fuseki, isgraph's own). That is the default; a source or a store
that needs another says so (``request_form`` in a sources file, ``--request-form`` or
``ISGRAPH_REQUEST_FORM``).

>>> http_request("http://127.0.0.1:7878/query", "ASK {}", "query", "get").full_url
'http://127.0.0.1:7878/query?query=ASK+%7B%7D'
>>> http_request("http://127.0.0.1:7878/query", "ASK {}", "query", "post-form").data
b'query=ASK+%7B%7D'
"""

from __future__ import annotations

import urllib.parse
import urllib.request

from isgraph.errors import InputError
from isgraph.messages import Message

#: The request forms, the default first.
REQUEST_FORMS = ("post-form", "post-direct", "get")
DEFAULT_FORM = REQUEST_FORMS[0]


def checked_form(form: str | None, where: str = "request_form") -> str:
    """``form`` if it is one of :data:`REQUEST_FORMS` (the default when None); else a clear error."""
    if form is None:
        return DEFAULT_FORM
    if form not in REQUEST_FORMS:
        raise InputError(
            Message(
                f"forme de requête inconnue : {form} (permises : {', '.join(REQUEST_FORMS)})",
                f"unknown request form: {form} (allowed: {', '.join(REQUEST_FORMS)})",
            ),
            path=where,
        )
    return form


def http_request(
    endpoint: str, text: str, kind: str, form: str = DEFAULT_FORM, headers: dict[str, str] | None = None
) -> urllib.request.Request:
    """The HTTP request that sends ``text`` (a ``query`` or an ``update``) to ``endpoint`` in
    the given form (an update is never sent by ``GET``: it goes URL-encoded)."""
    headers = {"User-Agent": "isgraph", **(headers or {})}
    if form == "get" and kind == "query":
        separator = "&" if "?" in endpoint else "?"
        return urllib.request.Request(f"{endpoint}{separator}{urllib.parse.urlencode({kind: text})}", headers=headers)
    if form == "post-direct":
        media = "application/sparql-query" if kind == "query" else "application/sparql-update"
        return urllib.request.Request(
            endpoint, data=text.encode("utf-8"), method="POST", headers={**headers, "Content-Type": media}
        )
    body = urllib.parse.urlencode({kind: text}).encode("ascii")
    return urllib.request.Request(
        endpoint, data=body, method="POST", headers={**headers, "Content-Type": "application/x-www-form-urlencoded"}
    )
