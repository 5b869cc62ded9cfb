"""The command line is documented in both languages and stays a thin layer. These tests
run it as a separate process, the way a user does; the others call ``cli.main`` in-process."""

from __future__ import annotations

import argparse

import pytest

from isgraph import __version__

from .conftest import ROOT, run_cli

COMMANDS = ["build", "dump", "validate", "ingest", "remove", "restore", "queries", "query", "sparql", "network"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_help_lists_every_command(lang: str) -> None:
    result = run_cli("--help", "--lang", lang, isolated=True)
    assert result.code == 0
    for command in COMMANDS:
        assert f"    {command} " in result.stdout
    assert ("graphe de connaissances" in result.stdout) == (lang == "fr")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_command_has_help(command: str, lang: str) -> None:
    result = run_cli(command, "--help", "--lang", lang)
    assert result.code == 0
    assert result.stdout.startswith(f"usage: isgraph {command} ")
    assert ("entrepôt" in result.stdout) == (lang == "fr")


def test_version() -> None:
    assert run_cli("--version", isolated=True).stdout == f"isgraph {__version__}\n"


def test_unknown_command_fails() -> None:
    result = run_cli("frobnicate", isolated=True)
    assert result.code == 2
    assert "invalid choice: 'frobnicate'" in result.stderr


def test_the_cli_never_prints_from_the_library() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "isgraph").rglob("*.py")
        if p.relative_to(ROOT / "isgraph").parts[0] != "cli" and "print(" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_options_before_or_after_the_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = run_cli("--store", tmp_path / "a", "--lang", "fr", "build", "--no-reasoner", isolated=True)
    after = run_cli("build", "--no-reasoner", "--store", tmp_path / "b")
    env = run_cli("build", "--no-reasoner", env={"ISGRAPH_STORE": str(tmp_path / "c")})
    assert [r.code for r in (before, after, env)] == [0, 0, 0]
    assert before.stdout.startswith(f"isgraph build : 24 fichiers chargés dans {tmp_path / 'a'}")
    assert after.stdout.startswith(f"isgraph build: 24 files loaded into {tmp_path / 'b'}")
    assert env.stdout.startswith(f"isgraph build: 24 files loaded into {tmp_path / 'c'}")


def test_networkx_is_imported_only_by_the_network_command() -> None:
    """Every command would otherwise pay networkx's quarter of a second of import."""
    import subprocess
    import sys

    script = (
        "import sys, isgraph.cli; before = 'networkx' in sys.modules; import isgraph; "
        "isgraph.network.metrics; print(before, 'networkx' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == ["False", "True"]


def test_a_validation_ends_the_process_at_once_with_all_its_output(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """After a validation the program ends without freeing its scratch store (os._exit): the
    report, far longer than a pipe holds, is written whole, and the exit code is the command's.
    Called in-process, the command leaves nothing behind it (its store is freed)."""
    from isgraph.graph.generator import write_cases
    from isgraph.store import scratch

    bundle = tmp_path / "cases.nq"
    with bundle.open("wb") as out:
        write_cases(out, 120, seed=1)
    alone = run_cli("validate", bundle, "--format", "json", isolated=True)
    here = run_cli("validate", bundle, "--format", "json")
    assert not scratch.left()
    assert (alone.code, alone.stderr) == (here.code, here.stderr) == (1, "")
    assert len(alone.stdout) > 200_000 and alone.stdout == here.stdout


def test_only_a_command_that_ends_with_its_process_leaves_its_store() -> None:
    """A command run by the program (``ending``) leaves its validation's store to the end of
    the process; run in-process it frees it; and the server, which lives on, never leaves one."""
    from isgraph.cli.main import main, make_parser
    from isgraph.store import scratch

    case = str(ROOT / "data" / "cases" / "initielles.yaml")
    try:
        assert main(["validate", case], ending=True) == 0
        assert scratch.left()
    finally:
        scratch.free_when_done()
    assert main(["validate", case]) == 0
    assert not scratch.left()
    (commands,) = [a.choices for a in make_parser("en")._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(commands) == 20
    assert [name for name, command in commands.items() if command.get_default("lives_on")] == ["serve"]
