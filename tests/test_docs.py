"""The README's and the docs' promises, and the docstrings' examples, hold."""

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
DOCS = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))}


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
    model = DOCS["model.md"]  # the README links to it: "The model … the two reference cases of the talk, word for word"
    for _case, _element, statement in STATEMENTS:
        assert statement in model, statement


def test_readme_documents_every_command() -> None:
    from isgraph.cli.main import make_parser

    commands = next(a for a in make_parser("en")._actions if a.dest == "command").choices
    for name in commands:
        assert f"`isgraph {name}" in README, name
        assert any(f"isgraph {name}" in text for text in DOCS.values()), name


MODULES = [
    "isgraph",
    *sorted(m.name for m in pkgutil.walk_packages(isgraph.__path__, "isgraph.") if not m.name.endswith("__main__")),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def test_readme_documents_every_form_key() -> None:
    from isgraph.rdf.forms import FIELDS

    section = DOCS["case-forms.md"]
    for key in {k for fields in FIELDS.values() for k in fields}:
        assert f"`{key}`" in section, key


def test_the_readme_is_a_front_door() -> None:
    assert len(README) <= 12_000
    linked = set(re.findall(r"\]\(docs/([\w-]+\.md)\)", README))
    assert linked == set(DOCS)


def test_every_link_between_the_docs_leads_somewhere() -> None:
    def anchors(text: str) -> set[str]:
        return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"(?m)^#+ (.+)$", text)}

    for name, text in {"README.md": README, **{f"docs/{n}": t for n, t in DOCS.items()}}.items():
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://")):
                continue
            path, _, anchor = target.partition("#")
            folder = ROOT if name == "README.md" else ROOT / "docs"
            file = (folder / path).resolve() if path else (ROOT / name)
            assert file.exists(), (name, target)
            if anchor:
                assert anchor in anchors(file.read_text(encoding="utf-8")), (name, target)


def test_every_test_the_security_page_cites_exists() -> None:
    """docs/security.md names, for each guarantee, the test that proves it."""
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    defined = {
        (path.relative_to(ROOT).as_posix(), name)
        for path in (ROOT / "tests").glob("test_*.py")
        for name in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    names = {name for _, name in defined}
    files = {path for path, _ in defined}
    cited = re.findall(r"`(tests/test_\w+\.py)(?:::(test_\w+))?`|`(test_\w+)`", text)
    assert len(cited) >= 20
    for path, name, bare in cited:
        if bare:
            assert bare in names, bare
        elif name:
            assert (path, name) in defined, f"{path}::{name}"
        else:
            assert path in files, path
