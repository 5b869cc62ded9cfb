"""Scratch stores: bare pyoxigraph stores in memory, for the engines that work on a copy of
some graphs (SHACL validation, the reasoner's preparation), never the knowledge graph.

Freeing a large one takes time: its millions of index entries are given back one by one
(2 s for the 4.2 million quads of validating 50,000 cases). A process that ends as soon as
its work is done (the command line, :func:`isgraph.cli.run`, for every command but
``serve``) leaves them to the kernel,
which takes a process's memory back at once: after :func:`leave_to_exit`, a store the
engine is done with (:func:`done_with`) is kept until the process ends, and the process
ends without freeing anything (``os._exit``, as mypy ends). A library caller, a server or
the tests never call :func:`leave_to_exit`: their stores are freed when done with.
"""

from __future__ import annotations

import pyoxigraph as ox


class _Left:
    #: the stores left for the end of the process; None while stores are freed when done with
    stores: list[ox.Store] | None = None


def scratch_dataset() -> ox.Store:
    """A bare pyoxigraph store in memory, for the engines that work on a scratch copy of
    some graphs (SHACL validation, the reasoner's preparation): never the knowledge graph."""
    return ox.Store()


def leave_to_exit() -> None:
    """From now on, keep the scratch stores done with until the process ends, which must end
    without freeing them (``os._exit``): only for a process that ends when its work is done."""
    if _Left.stores is None:
        _Left.stores = []


def free_when_done() -> None:
    """Free the scratch stores when done with again (the default), and those left so far."""
    _Left.stores = None


def done_with(store: ox.Store) -> None:
    """The engine is done with ``store``: it is freed when its last reference goes, or kept
    for the end of the process after :func:`leave_to_exit`."""
    if _Left.stores is not None:
        _Left.stores.append(store)


def left() -> bool:
    """Whether a scratch store waits for the end of the process (which must then skip freeing)."""
    return bool(_Left.stores)
