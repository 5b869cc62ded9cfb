"""isgraph export: every format, named graphs kept where the format can hold them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pyoxigraph as ox
import pytest

import isgraph

from .conftest import run_cli


def _graphs(quads: list[ox.Quad]) -> set[str]:
    return {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}


def _stored(built_store: Path) -> list[ox.Quad]:
    with isgraph.open_store(built_store, create=False) as store:
        return list(store.quads())


def test_default_is_nquads_on_standard_output(built_store: Path) -> None:
    result = run_cli("export", "--store", built_store)
    assert result.code == 0 and result.stderr == ""
    quads = list(ox.parse(result.stdout.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    stored = _stored(built_store)
    assert len(quads) == len(stored) == 349409
    assert set(quads) == set(stored)


@pytest.mark.parametrize(("fmt", "rdf_format"), [("trig", ox.RdfFormat.TRIG), ("jsonld", ox.RdfFormat.JSON_LD)])
def test_dataset_formats_keep_every_named_graph(built_store: Path, tmp_path: Path, fmt: str, rdf_format: ox.RdfFormat) -> None:
    out = tmp_path / f"kg.{fmt}"
    assert run_cli("export", "--store", built_store, "--format", fmt, "--output", out).code == 0
    quads = list(ox.parse(path=str(out), format=rdf_format))
    stored = _stored(built_store)
    assert len(quads) == len(stored)
    assert _graphs(quads) == _graphs(stored) and len(_graphs(quads)) == 25
    no_blank = [q for q in stored if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))]
    assert set(no_blank) <= set(quads)


def test_turtle_writes_the_union_of_the_graphs(built_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    assert run_cli("export", "--store", built_store, "--format", "turtle", "-o", out).code == 0
    triples = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len({q.triple for q in _stored(built_store)})
    assert out.read_text(encoding="utf-8").startswith("@prefix ")


def test_output_file_is_written_whole_with_ordinary_permissions(built_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "kg.nq"
    assert run_cli("export", "--store", built_store, "--output", out).code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["kg.nq"]


def test_unknown_format_is_refused(built_store: Path) -> None:
    result = run_cli("export", "--store", built_store, "--format", "csv")
    assert result.code == 2
    assert "invalid choice: 'csv'" in result.stderr
