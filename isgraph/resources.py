"""Where the ontology, the reference data and the queries live.

In a source checkout (and an editable install) they are the top-level folders of
the repository; a wheel carries a copy under ``isgraph/_bundled``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``data`` or ``queries``)."""
    bundled = _PACKAGE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def ontology_dir() -> Path:
    return resource_dir("ontology")


def data_dir() -> Path:
    return resource_dir("data")


def queries_dir() -> Path:
    return resource_dir("queries")
