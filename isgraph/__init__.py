"""isgraph: a knowledge graph of social innovation (innovation sociale), built on
the Institut Godin's definition.

The library does everything the command line does, and never prints:

>>> import isgraph
>>> summary = isgraph.build(store=None, reason=False)   # in memory, no reasoner
>>> (summary.counts.cases, summary.counts.actors, summary.counts.territories)
(2, 11, 48400)
"""

__version__ = "0.1.0"

import importlib

from isgraph.errors import (
    InconsistentError,
    InputError,
    IsgraphError,
    ReasonerUnavailable,
    StoreError,
)
from isgraph.graph.build import BuildSummary, build, prove_consistent, read_sources
from isgraph.graph.export import EXPORT_FORMATS, export
from isgraph.graph.ingest import ingest, remove, restore
from isgraph.messages import Message
from isgraph.query import catalogue
from isgraph.query.checks import load_checks, run_checks
from isgraph.rdf.conversion import convert
from isgraph.reason.hermit import ConsistencyReport, check_consistency
from isgraph.shacl.api import validate_paths as validate
from isgraph.shacl.api import validate_stored
from isgraph.shacl.engine import ValidationReport, ValidationResult, Validator
from isgraph.store import DEFAULT_STORE, EmbeddedStore, Store, connect, open_store


def __getattr__(name: str) -> object:
    """``isgraph.network`` (:mod:`isgraph.query.network`) is imported when first used (networkx takes a quarter of a
    second to import, which every command would otherwise pay)."""
    if name == "network":
        return importlib.import_module("isgraph.query.network")
    raise AttributeError(f"module 'isgraph' has no attribute {name!r}")


__all__ = [
    "DEFAULT_STORE",
    "EXPORT_FORMATS",
    "BuildSummary",
    "ConsistencyReport",
    "EmbeddedStore",
    "InconsistentError",
    "InputError",
    "IsgraphError",
    "Message",
    "ReasonerUnavailable",
    "Store",
    "StoreError",
    "ValidationReport",
    "ValidationResult",
    "Validator",
    "build",
    "catalogue",
    "check_consistency",
    "connect",
    "convert",
    "export",
    "ingest",
    "load_checks",
    "network",
    "open_store",
    "prove_consistent",
    "read_sources",
    "remove",
    "restore",
    "run_checks",
    "validate",
    "validate_stored",
]
