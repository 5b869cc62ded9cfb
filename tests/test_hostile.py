"""Hostile and empty inputs get a clear one-line error and exit 2: a file that describes no
case, ill-typed literals (with their lines), terms and nesting beyond any case, and no input
under 50 MB takes more than 300 MB of memory. (Issue 15, finding 9.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli

INITIATIVE = (
    "<https://w3id.org/isgraph/id/initiative/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://w3id.org/isgraph/ontology#Initiative> .\n"
)


def test_a_file_that_describes_no_case(tmp_path: Path) -> None:
    path = tmp_path / "nothing.nt"
    path.write_text('<http://a> <http://b> "c" .\n', encoding="utf-8")
    result = run_cli("validate", path)
    assert (result.code, result.stderr) == (2, f"isgraph: no case described (no isg:Initiative) ({path})\n")


def test_ill_typed_literals_are_named_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "ill-typed.ttl"
    digits = "7" * 6000
    path.write_text(
        "@prefix isg: <https://w3id.org/isgraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://w3id.org/isgraph/id/initiative/x> a isg:Initiative ;\n"
        '    isg:startDate "2024-13-45"^^xsd:date ;\n'
        f'    <http://example.org/count> "{digits}"^^xsd:integer .\n',
        encoding="utf-8",
    )
    result = run_cli("validate", path, "--format", "json")
    assert result.code == 2
    assert [(e["line"], e["message"]["en"]) for e in json.loads(result.stdout)["errors"]] == [
        (4, '"2024-13-45"^^xsd:date: not a date (YYYY-MM-DD)'),
        (5, f'"{digits[:37]}…"^^xsd:integer: an integer of more than 30 digits: refused'),
    ]
    assert result.stderr == (
        f'isgraph: "2024-13-45"^^xsd:date: not a date (YYYY-MM-DD) ({path}, line 4); and 1 more problem(s)\n'
    )


def test_a_20_mb_literal_is_an_input_error_not_an_internal_one(tmp_path: Path) -> None:
    ntriples = tmp_path / "huge.nt"
    ntriples.write_bytes(
        INITIATIVE.encode() + b'<http://a> <http://www.w3.org/2000/01/rdf-schema#label> "' + b"x" * (20 * 1024 * 1024) + b'" .\n'
    )
    result = run_cli("validate", ntriples)
    assert (result.code, result.stderr) == (
        2,
        f"isgraph: line 2 is longer than 1 MB: a term that large is refused ({ntriples}, line 2)\n",
    )
    turtle = tmp_path / "huge.ttl"
    turtle.write_bytes(INITIATIVE.encode() + b'<http://a> <http://b> """' + b"x\n" * (10 * 1024 * 1024) + b'""" .\n')
    result = run_cli("validate", turtle)
    assert (result.code, result.stderr) == (
        2,
        f"isgraph: a term is larger than the parser can read (16 MB): refused ({turtle})\n",
    )


@pytest.mark.parametrize("suffix", [".jsonld", ".json", ".yaml"])
def test_documents_nested_beyond_any_case_are_refused_before_they_are_parsed(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep{suffix}"
    nested = '{"a": ' * 3000 + "1" + "}" * 3000
    if suffix == ".jsonld":
        path.write_text('{"@context": {"@vocab": "http://x/"}, "@id": "http://x/a", "a": ' + nested + "}", encoding="utf-8")
    elif suffix == ".json":
        path.write_text('{"id": "initiative/x", "label": ' + nested + "}", encoding="utf-8")
    else:
        path.write_text("id: initiative/x\nlabel:\n" + "".join("  " * (i + 1) + "a:\n" for i in range(100)), encoding="utf-8")
    result = run_cli("validate", path)
    assert result.code == 2
    assert "document nested more than 64 levels deep: refused" in result.stderr and str(path) in result.stderr


def test_a_file_of_many_cases_is_not_one_case(tmp_path: Path) -> None:
    path = tmp_path / "many.nt"
    path.write_text(
        INITIATIVE + "".join(f'<http://x/a{i}> <http://www.w3.org/2000/01/rdf-schema#label> "a{i}" .\n' for i in range(50_001)),
        encoding="utf-8",
    )
    result = run_cli("validate", path)
    assert (result.code, result.stderr) == (
        2,
        f"isgraph: more than 50000 triples: a file describes one case (an N-Quads or TriG bundle describes many) ({path})\n",
    )


#: Runs ``isgraph ARGS`` from a small process and prints its exit code and peak memory: a
#: process started straight from the test would count the memory of the test's own
#: process as its own (Linux keeps, across exec, the peak of the memory it was forked with).
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen([sys.executable, "-m", "isgraph.cli", *sys.argv[1:]],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024)
"""


def _peak_megabytes(*args: str | Path) -> tuple[int, float]:
    """Run ``isgraph ARGS`` as a process; its exit code and its peak memory (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "ISGRAPH_LANG": "en"},
        capture_output=True,
        text=True,
        check=True,
    )
    code, peak = done.stdout.split()
    return int(code), float(peak)


@pytest.mark.slow
def test_no_input_under_50_mb_takes_more_than_300_mb(tmp_path: Path) -> None:
    fat = tmp_path / "fat.nt"  # about 49 MB: 41,000 labels of 1 KB
    with fat.open("w", encoding="utf-8") as out:
        out.write(INITIATIVE)
        out.writelines(
            f'<https://w3id.org/isgraph/id/actor/a{i}> <http://www.w3.org/2000/01/rdf-schema#label> "{"é" * 540} {i}"@fr .\n'
            for i in range(41_000)
        )
    many = tmp_path / "many.nt"  # about 49 MB of short triples
    with many.open("w", encoding="utf-8") as out:
        out.write(INITIATIVE)
        out.writelines(
            f'<https://w3id.org/isgraph/id/actor/a{i}> <http://www.w3.org/2000/01/rdf-schema#label> "Acteur {i}"@fr .\n'
            for i in range(430_000)
        )
    deep = tmp_path / "deep.jsonld"
    deep.write_text('{"@context": {"@vocab": "http://x/"}, "@id": "http://x/a", ' + '"a": {' * 3000 + '"b": 1' + "}" * 3001)
    for path, code in ((fat, 1), (many, 2), (deep, 2)):
        assert path.stat().st_size < 50 * 1024 * 1024
        exit_code, peak = _peak_megabytes("validate", path)
        assert exit_code == code, path
        assert peak < 300, (path.name, peak)
