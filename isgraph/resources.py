"""Where the ontology, the reference data and the queries live.

In a source checkout (and an editable install) they are the top-level folders of
the repository; a wheel carries a copy under ``isgraph/_bundled``.
"""

from __future__ import annotations

import os
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


def cache_dir() -> Path | None:
    """The user's own cache folder for isgraph (``$XDG_CACHE_HOME/isgraph``, else
    ``~/.cache/isgraph``), made private; None when it cannot be made or is someone else's
    (what isgraph keeps there is rebuilt from the project's files whenever it is missing)."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "isgraph"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if folder.stat().st_uid != os.getuid():
            return None
    except OSError:
        return None
    return folder
