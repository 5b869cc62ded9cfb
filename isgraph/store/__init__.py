"""Where the knowledge graph lives: one :class:`Store` interface, three backends.

This package is the only one that opens a pyoxigraph store or talks to a SPARQL server
(SPARQLWrapper); the rest of isgraph sees a :class:`Store` (see :mod:`isgraph.store.base`).
"""

from isgraph.store.base import DEFAULT_STORE, Store, union
from isgraph.store.connect import connect, connect_for_serving, endpoint_setting, open_store, store_setting
from isgraph.store.embedded import EmbeddedStore
from isgraph.store.labels import labels
from isgraph.store.limits import Collected, LimitReached, QueryResult
from isgraph.store.rows import Term, construct, select, select_values, solutions
from isgraph.store.scratch import scratch_dataset

__all__ = [
    "DEFAULT_STORE",
    "Collected",
    "EmbeddedStore",
    "LimitReached",
    "QueryResult",
    "Store",
    "Term",
    "connect",
    "connect_for_serving",
    "construct",
    "endpoint_setting",
    "labels",
    "open_store",
    "scratch_dataset",
    "select",
    "select_values",
    "solutions",
    "store_setting",
    "union",
]
