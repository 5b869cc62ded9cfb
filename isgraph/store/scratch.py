"""Scratch stores: bare pyoxigraph stores in memory, for the engines that work on a copy of
some graphs (SHACL validation, the reasoner's preparation), never the knowledge graph.

Freeing a large one takes time: its millions of index entries are given back one by one
(2 s for the 4.2 million quads of validating 50,000 cases). A process that ends as soon as
its work is done (the command line, :func:`isgraph.cli.run`, for every command but
``serve``) leaves the last one to the kernel, which takes a process's memory back at once.
After :func:`leave_to_exit`, the last store the engine is done with (:func:`done_with`) is
kept until the process ends (the one before it is freed then: never more than one is kept),
and the process ends without freeing anything (``os._exit``, as mypy ends). A library
caller, a server or the tests never call :func:`leave_to_exit`: their stores are freed
when done with.
"""

from __future__ import annotations

import pyoxigraph as ox


class _Left:
    #: whether the last store done with is kept for the end of the process
    on: bool = False
    #: that store
    store: ox.Store | None = None


def scratch_dataset() -> ox.Store:
    """A bare pyoxigraph store in memory, for the engines that work on a scratch copy of
    some graphs (SHACL validation, the reasoner's preparation): never the knowledge graph."""
    return ox.Store()


def leave_to_exit() -> None:
    """From now on, keep the last scratch store done with until the process ends, which must
    end without freeing it (``os._exit``): only for a process that ends when its work is done."""
    _Left.on = True


def free_when_done() -> None:
    """Free the scratch stores when done with again (the default), and the one left so far."""
    _Left.on, _Left.store = False, None


def done_with(store: ox.Store) -> None:
    """The engine is done with ``store``: it is freed when its last reference goes, or kept
    for the end of the process after :func:`leave_to_exit` (the one kept before it freed)."""
    if _Left.on:
        _Left.store = store


def left() -> bool:
    """Whether a scratch store waits for the end of the process (which must then skip freeing)."""
    return _Left.store is not None
