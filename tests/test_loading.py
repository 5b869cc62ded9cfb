"""Bulk loading on both cores (issue 19, deliverable 5): a file of N-Quads without blank
nodes is cut at a line boundary and its parts loaded at once; anything else in one stream;
the store holds the same quads either way, and an error is at its line in the whole file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from isgraph.store import EmbeddedStore
from isgraph.store.loading import bulk_load

EX = "http://example.org/"


def _quads(count: int) -> bytes:
    return b"".join(
        f'<{EX}s{i}> <{EX}p> "valeur {i}"@fr <{EX}graph/{i % 7}> .\n<{EX}s{i}> <{EX}q> <{EX}o{i % 13}> <{EX}graph/{i % 7}> .\n'.encode()
        for i in range(count)
    )


def test_a_file_without_blank_nodes_is_cut_and_loads_the_same_quads(tmp_path: Path) -> None:
    path = tmp_path / "cases.nq"
    path.write_bytes(_quads(5000))
    whole, cut = ox.Store(str(tmp_path / "whole")), ox.Store(str(tmp_path / "cut"))
    assert bulk_load(whole, path, ox.RdfFormat.N_QUADS, on_disk=True, cut_above=1 << 30) == 1
    assert bulk_load(cut, path, ox.RdfFormat.N_QUADS, on_disk=True, cut_above=0) == 2
    assert len(cut) == 10000 and set(cut) == set(whole)


def test_a_blank_node_keeps_the_file_whole(tmp_path: Path) -> None:
    """The same blank node on the first line and the last: cut, it would become two."""
    path = tmp_path / "blank.nq"
    head, tail = (f"_:b <{EX}blank> <{EX}{end}> <{EX}g> .\n".encode() for end in ("first", "last"))
    path.write_bytes(head + _quads(2000) + tail)
    store = ox.Store(str(tmp_path / "store"))
    assert bulk_load(store, path, ox.RdfFormat.N_QUADS, on_disk=True, cut_above=0) == 1
    subjects = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(f"{EX}blank"), None, None)}
    assert len(subjects) == 1 and isinstance(next(iter(subjects)), ox.BlankNode)


@pytest.mark.parametrize(
    ("fmt", "on_disk", "parts"),
    [(ox.RdfFormat.TRIG, True, 1), (ox.RdfFormat.N_QUADS, False, 1), (ox.RdfFormat.N_QUADS, True, 2)],
)
def test_only_a_line_based_file_into_a_store_on_disk_is_cut(tmp_path: Path, fmt: ox.RdfFormat, on_disk: bool, parts: int) -> None:
    path = tmp_path / "cases"
    if fmt == ox.RdfFormat.TRIG:
        path.write_bytes(b"".join(f"<{EX}g> {{ <{EX}s{i}> <{EX}p> {i}, {i + 1} . }}\n".encode() for i in range(1000)))
    else:
        path.write_bytes(_quads(1000))
    store = ox.Store(str(tmp_path / "store")) if on_disk else ox.Store()
    assert bulk_load(store, path, fmt, on_disk=on_disk, cut_above=0) == parts
    assert len(store) == 2000


def test_an_error_in_the_second_part_is_at_its_line_in_the_whole_file(tmp_path: Path) -> None:
    lines = _quads(1000).splitlines(keepends=True)
    lines[1500] = f"<{EX}s> <{EX}p> oops <{EX}g> .\n".encode()
    path = tmp_path / "bad.nq"
    path.write_bytes(b"".join(lines))
    with pytest.raises(SyntaxError) as caught:
        bulk_load(ox.Store(str(tmp_path / "store")), path, ox.RdfFormat.N_QUADS, on_disk=True, cut_above=0)
    assert caught.value.lineno == 1501
    with pytest.raises(SyntaxError) as whole:
        ox.Store().bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    assert whole.value.lineno == 1501


def test_the_embedded_store_loads_through_it(tmp_path: Path) -> None:
    path = tmp_path / "cases.nq"
    path.write_bytes(_quads(50_000))  # 6 MB: above the size where it cuts
    assert path.stat().st_size > 4 << 20
    with EmbeddedStore(tmp_path / "store") as store:
        store.load(path, ox.RdfFormat.N_QUADS)
        assert store.count() == 100_000
        rows = store.collected(f"SELECT ?o WHERE {{ GRAPH <{EX}graph/4> {{ <{EX}s49998> <{EX}p> ?o }} }}").rows
    assert rows == [[ox.Literal("valeur 49998", language="fr")]]
