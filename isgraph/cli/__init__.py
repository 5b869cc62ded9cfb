"""The command line: ``isgraph COMMAND``. It parses the arguments, calls the library and
prints what the library returns; :func:`main` is its entry point."""

from isgraph.cli.main import main

__all__ = ["main"]
