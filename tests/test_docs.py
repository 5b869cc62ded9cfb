"""The README's promises, and the docstrings' examples, hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest

import isgraph

from .conftest import ROOT
from .test_reference_cases import STATEMENTS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```[^\n]*\n(.*?)```", section, re.S)
    assert block is not None
    return list(block.group(1).splitlines())


def test_quick_start_is_exactly_two_commands() -> None:
    setup, tests = _quick_start()
    assert setup == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/isgraph build"
    assert tests == ".venv/bin/python -m pytest"


def test_ci_runs_the_quick_start_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "/^## Quick start/" in ci and "README.md" in ci
    assert 'bash -c "${commands[0]}"' in ci and 'bash -c "${commands[1]}"' in ci


def test_readme_shows_every_statement_of_the_reference_cases() -> None:
    for _case, _element, statement in STATEMENTS:
        assert statement in README, statement


def test_readme_documents_every_command() -> None:
    from isgraph.cli.main import make_parser

    commands = next(a for a in make_parser("en")._actions if a.dest == "command").choices
    for name in commands:
        assert f"`isgraph {name}" in README, name


MODULES = ["isgraph", *sorted(m.name for m in pkgutil.iter_modules(isgraph.__path__, "isgraph."))]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def test_readme_documents_every_form_key() -> None:
    from isgraph.rdf.forms import FIELDS

    section = README.split("## Case forms", 1)[1].split("\n## ", 1)[0]
    for key in {k for fields in FIELDS.values() for k in fields}:
        assert f"`{key}`" in section, key
