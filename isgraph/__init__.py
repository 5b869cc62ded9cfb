"""isgraph: a knowledge graph of social innovation (innovation sociale), built on
the Institut Godin's definition.

The library does everything the command line does, and never prints:

>>> import isgraph
>>> summary = isgraph.build(store=None, reason=False)   # in memory, no reasoner
>>> (summary.counts.cases, summary.counts.actors, summary.counts.territories)
(2, 11, 137)
"""

__version__ = "0.1.0"

import importlib

from . import catalogue
from .build import BuildSummary, build, check, read_sources
from .conversion import convert
from .errors import (
    InconsistentError,
    InputError,
    IsgraphError,
    ReasonerUnavailable,
    StoreError,
)
from .export import EXPORT_FORMATS, export
from .ingest import ingest, remove, restore
from .inputs import validate_paths as validate
from .inputs import validate_stored
from .messages import Message
from .quality import load_checks, run_checks
from .reasoner import ConsistencyReport, check_consistency
from .store import DEFAULT_STORE, EmbeddedStore, Store, connect, open_store
from .validation import ValidationReport, ValidationResult, Validator


def __getattr__(name: str) -> object:
    """``isgraph.network`` is imported when first used (networkx takes a quarter of a
    second to import, which every command would otherwise pay)."""
    if name == "network":
        return importlib.import_module(".network", __name__)
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
    "build",
    "catalogue",
    "connect",
    "ingest",
    "network",
    "remove",
    "restore",
    "check",
    "check_consistency",
    "convert",
    "export",
    "load_checks",
    "open_store",
    "read_sources",
    "run_checks",
    "validate",
    "validate_stored",
    "ValidationReport",
    "ValidationResult",
    "Validator",
]
