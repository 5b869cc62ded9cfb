"""The command line: ``isgraph COMMAND``. It parses the arguments, calls the library and
prints what the library returns; :func:`main` runs one command and returns its exit code,
:func:`run` is the entry point of the ``isgraph`` program."""

import contextlib
import os
import sys
from typing import NoReturn

from isgraph.cli.main import main
from isgraph.store import scratch

__all__ = ["main", "run"]


def run() -> NoReturn:
    """The ``isgraph`` program: one command (:func:`main`), then the end of the process.

    When the command left a scratch store for the end (a validation's store of every input,
    :mod:`isgraph.store.scratch`; every command but ``serve``, which lives on), the process
    ends at once, its output flushed, as mypy ends: the kernel takes back that memory in an
    instant, where freeing it piece by piece would take seconds (2 s at 50,000 cases). Every
    store on disk is closed by then: the commands close theirs before they return."""
    code = main(ending=True)
    if scratch.left():
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError):  # a reader that went away: nothing more to tell it
                stream.flush()
        os._exit(code)
    sys.exit(code)
