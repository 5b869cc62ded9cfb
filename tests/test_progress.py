"""Long work shows its progress on a terminal and says nothing when its output is not one."""

from __future__ import annotations

import io
from pathlib import Path

from isgraph.progress import Progress

from .conftest import ROOT, run_cli


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal_and_nothing_elsewhere() -> None:
    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with Progress(4, "isgraph import", stream=stream) as bar:
            bar.advance(4)
    assert pipe.getvalue() == ""
    last = terminal.getvalue().rstrip("\n").rsplit("\r", 1)[-1]
    assert last.startswith("isgraph import " + "█" * 30 + " 4/4 (") and last.endswith(" s)")


def test_the_commands_write_no_bar_to_a_pipe(tmp_path: Path) -> None:
    store = tmp_path / "store"
    built = run_cli("build", "--store", store, "--no-reasoner")
    imported = run_cli("import", "essglobal-csv", ROOT / "tests" / "fixtures" / "imports" / "standard.csv", "--store", store)
    for result in (built, imported):
        assert "\r" not in result.stdout + result.stderr and "█" not in result.stdout + result.stderr
