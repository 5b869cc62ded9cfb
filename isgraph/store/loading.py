"""Bulk loading a dataset file into a fresh store, on both cores where that is sound.

pyoxigraph's bulk loader is CPU-bound on one core, and it lets other threads run while it
loads: a file cut in two at a line boundary, each part loaded by a thread of its own,
loads about twice as fast on disk (docs/benchmarks.md, "First pages and loading"). The cut
is only made where it cannot change what is loaded:

- the format is line-based (N-Quads, N-Triples: a statement never spans two lines);
- the file has no blank node: pyoxigraph names a file's blank nodes afresh at every call,
  so a blank node written in two parts would become two. The file is read as bytes and
  any ``_:`` in it (a blank node's label, or the same two characters in a literal) keeps
  it whole: a literal can make the load slower, never wrong;
- the store is on disk (in memory, two threads loading into one store wait for each other).

A syntax error in a part is reported at its line in the whole file.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

#: The formats whose statements each hold one line.
LINE_BASED = (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
#: Below this size, one stream: starting threads costs more than it saves.
CUT_ABOVE = 4 << 20
#: How many parts, one thread each (this project's machines have two cores; more parts add little).
PARTS = 2


def bulk_load(
    store: ox.Store, path: Path, fmt: ox.RdfFormat, *, on_disk: bool, parts: int = PARTS, cut_above: int = CUT_ABOVE
) -> int:
    """Load ``path`` into ``store`` with pyoxigraph's bulk loader: cut in ``parts`` loaded at
    once when that is sound and worth it (see the module's description), else in one
    stream. The number of parts it was loaded in."""
    if not (on_disk and parts > 1 and fmt in LINE_BASED and path.stat().st_size > cut_above):
        store.bulk_load(path=str(path), format=fmt)
        return 1
    data = path.read_bytes()
    if b"_:" in data:
        store.bulk_load(data, format=fmt)
        return 1
    pieces = cut(data, parts)
    lines_before = [0, *itertools.accumulate(piece.count(b"\n") for piece in pieces[:-1])]

    def load(piece: bytes, before: int) -> None:
        try:
            store.bulk_load(piece, format=fmt)
        except SyntaxError as exc:
            exc.lineno = (exc.lineno or 1) + before
            raise

    with ThreadPoolExecutor(len(pieces)) as pool:
        for done in [pool.submit(load, piece, before) for piece, before in zip(pieces, lines_before, strict=True)]:
            done.result()  # the first part's error first
    return len(pieces)


def cut(data: bytes, parts: int) -> list[bytes]:
    """``data`` cut into at most ``parts`` pieces of about the same size, each ending with a
    whole line (the last as the data ends).

    >>> cut(b"a\\nbb\\nc\\nd\\n", 2)
    [b'a\\nbb\\n', b'c\\nd\\n']
    >>> cut(b"one line, no newline", 3)
    [b'one line, no newline']
    """
    cuts = [0]
    for i in range(1, parts):
        end = data.find(b"\n", max(cuts[-1], len(data) * i // parts))
        if end < 0 or end + 1 >= len(data):
            break
        cuts.append(end + 1)
    cuts.append(len(data))
    return [data[a:b] for a, b in itertools.pairwise(cuts) if b > a]
