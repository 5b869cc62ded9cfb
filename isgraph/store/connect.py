"""Which store a setting names: the one place that reads ``ISGRAPH_STORE``,
``ISGRAPH_ENDPOINT``, ``ISGRAPH_UPDATE_ENDPOINT`` and ``ISGRAPH_REQUEST_FORM``.

>>> endpoint_setting(None, environ={"ISGRAPH_ENDPOINT": "http://127.0.0.1:7878/query"})
'http://127.0.0.1:7878/query'
>>> store_setting(None, environ={})
PosixPath('.isgraph/store')
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from isgraph.sparql.protocol import checked_form
from isgraph.store.base import DEFAULT_STORE, Store
from isgraph.store.embedded import EmbeddedStore, OnRemake
from isgraph.store.replica import ReplicaStatus


def store_setting(path: str | Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The embedded store's folder: the one given, else ``ISGRAPH_STORE``, else ``.isgraph/store``."""
    return Path(path or environ.get("ISGRAPH_STORE") or DEFAULT_STORE)


def endpoint_setting(endpoint: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """The SPARQL server to use: the URL given, else ``ISGRAPH_ENDPOINT``, else none."""
    return endpoint or environ.get("ISGRAPH_ENDPOINT") or None


def connect(
    store: str | Path | None = DEFAULT_STORE,
    *,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    create: bool = True,
    query_timeout: float | None = None,
    request_form: str | None = None,
    on_remake: OnRemake | None = None,
) -> Store:
    """The store a setting names: a SPARQL ``endpoint`` URL if given (or ``ISGRAPH_ENDPOINT``),
    else the embedded store at ``store`` (in memory when None). ``query_timeout`` (seconds)
    makes a remote store's requests give up at that limit; ``request_form`` (else
    ``ISGRAPH_REQUEST_FORM``, else URL-encoded POST) is how they are sent
    (:mod:`isgraph.sparql.protocol`); ``on_remake`` hears what an embedded store makes again
    as it opens (:data:`isgraph.store.embedded.OnRemake`)."""
    endpoint = endpoint_setting(endpoint)
    if endpoint:
        from isgraph.store.remote import RemoteStore

        form = checked_form(request_form or os.environ.get("ISGRAPH_REQUEST_FORM"), "--request-form")
        return RemoteStore(
            endpoint,
            update_endpoint=update_endpoint or os.environ.get("ISGRAPH_UPDATE_ENDPOINT"),
            timeout=query_timeout,
            request_form=form,
        )
    return EmbeddedStore(store, create=create, on_remake=on_remake)


def connect_for_serving(
    store: str | Path,
    *,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    workers: int = 4,
    query_timeout: float = 30,
    replica: bool = True,
    on_status: Callable[[ReplicaStatus], None] | None = None,
    on_remake: OnRemake | None = None,
    request_form: str | None = None,
) -> Store:
    """The store ``isgraph serve`` publishes: a remote one whose requests give up at the query
    time limit, or the on-disk store in a process of its own, so that an overrunning query is
    killed at that limit (see :mod:`isgraph.store.process`), with its replica in memory unless
    ``replica`` is false (``on_status`` hears how its loading goes; ``on_remake``, what the
    store makes again as it opens: :data:`isgraph.store.embedded.OnRemake`)."""
    if endpoint_setting(endpoint):
        return connect(
            store, endpoint=endpoint, update_endpoint=update_endpoint, query_timeout=query_timeout, request_form=request_form
        )
    from isgraph.store.process import ProcessStore

    return ProcessStore(
        store, workers=workers, query_timeout=query_timeout, replica=replica, on_status=on_status, on_remake=on_remake
    )


def open_store(path: str | Path | None = DEFAULT_STORE, *, create: bool = True) -> EmbeddedStore:
    """Open the embedded store at ``path`` (in memory when None)."""
    return EmbeddedStore(path, create=create)
