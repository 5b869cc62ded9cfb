"""``python -m isgraph.cli``: the command line."""

from isgraph.cli import run

run()
