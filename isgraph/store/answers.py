"""A SELECT query's whole answer, written by the store in a SPARQL results format.

The store serialises the solutions itself as it reads them (:func:`write_answer`): no row
becomes a Python object, so that an answer of hundreds of thousands of rows is written at
the store's own speed. An answer with label columns (each ``?xLabel`` beside its ``?x``,
:func:`label_columns`) that the query leaves unbound in some rows has them filled with the
one label lookup (:func:`isgraph.store.labels.label_terms`), as every page is: the store
writes the answer as SPARQL results TSV (each term in its N-Triples form, an unbound value
an empty field), the empty label fields beside an IRI are set to its label's N-Triples
form, and pyoxigraph writes the asked format from that TSV. The rows are lines of bytes
for a moment, never pyoxigraph terms.

An answer may come as parts whose rows follow each other (a query on the views cut at the
middle of its cases: :meth:`isgraph.query.catalogue.CatalogueQuery.whole`): each part is
evaluated and written on a thread of its own (pyoxigraph lets go of the interpreter while it
does), then the parts are joined into one document: the first part's head (the variables),
every part's rows in turn, and the end (:func:`joined`). The parts read one state of the
store: the store's write lock is held while each part's query starts (a query reads the
store as it was when it started), so that a write waits until they all have, and no case
is listed twice or left out because a write came between two parts. (pyoxigraph evaluates
an ordered query up to its first row as it starts it: the wait is most of the evaluation.)
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, TypeVar

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.store.limits import QueryResult

#: The SPARQL results formats a whole answer is written in, by media type.
ANSWER_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_TSV = "text/tab-separated-values"
#: What ends the head of a document in each format (its first occurrence: no variable's name
#: holds it), what ends the document after its rows, and what stands between two rows.
_FRAMES = {
    ox.QueryResultsFormat.JSON: (b'"bindings":[', b"]}}", b","),
    ox.QueryResultsFormat.XML: (b"<results>", b"</results></sparql>", b""),
    ox.QueryResultsFormat.CSV: (b"\r\n", b"", b""),
    ox.QueryResultsFormat.TSV: (b"\n", b"", b""),
}

#: How much of a part is copied at once when parts are joined.
_CHUNK = 1 << 20
_T = TypeVar("_T")
_R = TypeVar("_R")

#: The labels of IRIs, by IRI (:func:`isgraph.store.labels.label_terms` for a store and a language).
Labeller = Callable[[set[str]], Mapping[str, ox.Literal]]


def label_columns(variables: Sequence[str]) -> list[tuple[str, str]]:
    """The label columns of an answer: each ``?xLabel`` beside its ``?x``, as (label, of) names.

    >>> label_columns(["element", "elementLabel", "level", "levelLabel", "countLabel"])
    [('elementLabel', 'element'), ('levelLabel', 'level')]
    """
    return [(v, v[: -len("Label")]) for v in variables if v.endswith("Label") and v[: -len("Label")] in variables]


def write_answer(
    parts: Sequence[str],
    run: Callable[[str], QueryResult],
    output: str | IO[bytes],
    media: str,
    labeller: Labeller | None = None,
    *,
    writes: AbstractContextManager[object] | None = None,
) -> None:
    """Write the solutions of the SELECT queries ``parts`` (the parts of one answer, whose rows
    follow each other), each run by ``run``, to ``output`` (a file's path, or a binary stream)
    in ``media`` (one of :data:`ANSWER_FORMATS`); with ``labeller``, each label column left
    unbound beside an IRI is filled with that IRI's label (see the module's description).
    ``writes`` (the store's write lock) is held while the parts' queries start."""
    fmt = ANSWER_FORMATS[media]
    if len(parts) == 1 and labeller is None:
        _selected(run(parts[0])).serialize(output=output, format=fmt)
        return
    with tempfile.TemporaryDirectory(prefix="isgraph-answer-") as folder:
        # a query's solutions are read on the thread that asked it (pyoxigraph's rule)
        written = _started_together(
            [(text, Path(folder) / str(i)) for i, text in enumerate(parts)],
            lambda part: run(part[0]),
            lambda part, result: _written(_selected(result), part[1], fmt, labeller is not None),
            writes,
        )
        columns, paths = written[0][0], [path for _, path in written]
        if not columns:
            with contextlib.ExitStack() as files:
                _join([files.enter_context(path.open("rb")) for path in paths], files.enter_context(_opened(output)), fmt)
            return
        assert labeller is not None  # columns are only looked for with a labeller
        tsv = _labelled([path.read_bytes() for path in paths], columns, labeller)
    # each part written in the format asked on a thread of its own, then joined
    documents = tsv if media == _TSV else _on_threads(tsv, lambda part: _from_tsv(part, fmt))
    with _opened(output) as out:
        _join([io.BytesIO(document) for document in documents], out, fmt)


def _opened(output: str | IO[bytes]) -> AbstractContextManager[IO[bytes]]:
    """``output`` to write to: a file's path opened, or a stream as it is (left open)."""
    return open(output, "wb") if isinstance(output, str) else contextlib.nullcontext(output)


def _labelled(parts: Sequence[bytes], columns: Sequence[tuple[str, str]], labeller: Labeller) -> list[bytes]:
    """The parts of an answer in TSV, the label ``columns`` left unbound beside an IRI filled
    (the labels of all the parts looked up at once)."""
    heads, bodies = zip(*(part.partition(b"\n")[::2] for part in parts), strict=True)
    if not any(_has_empty_field(body) for body in bodies):  # every label bound: nothing to read row by row
        return list(parts)
    names = [name.decode()[1:] for name in heads[0].split(b"\t")]
    at = [(names.index(label), names.index(of)) for label, of in columns]
    rows = [[line.split(b"\t") for line in body.split(b"\n")[:-1]] for body in bodies]  # each line ends with a newline
    missing = {row[of] for part in rows for row in part for label, of in at if not row[label] and _is_iri(row[of])}
    if not missing:
        return list(parts)
    found = labeller({iri[1:-1].decode() for iri in missing})
    text = {iri: str(found[iri[1:-1].decode()]).encode() for iri in missing}  # a TSV term is N-Triples
    for row in itertools.chain.from_iterable(rows):
        for label, of in at:
            if not row[label] and row[of] in text:
                row[label] = text[row[of]]
    return [b"\n".join([head, *(b"\t".join(row) for row in part), b""]) for head, part in zip(heads, rows, strict=True)]


def _has_empty_field(body: bytes) -> bool:
    """Whether a field of the TSV rows ``body`` (each line ending with a newline) is empty."""
    return body.startswith(b"\t") or b"\n\t" in body or b"\t\t" in body or b"\t\n" in body


def _from_tsv(part: bytes, fmt: ox.QueryResultsFormat) -> bytes:
    """A part of an answer written in TSV, written in ``fmt``."""
    return ox.parse_query_results(part, format=ox.QueryResultsFormat.TSV).serialize(format=fmt) or b""


def joined(documents: Sequence[bytes], fmt: ox.QueryResultsFormat) -> bytes:
    r"""One document of the rows of ``documents`` (SPARQL results of the same variables in
    ``fmt``) one after the other.

    >>> json = ox.QueryResultsFormat.JSON
    >>> joined([b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":1}]}}',
    ...         b'{"head":{"vars":["x"]},"results":{"bindings":[]}}',
    ...         b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":2},{"x":3}]}}'], json)
    b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":1},{"x":2},{"x":3}]}}'
    >>> joined([b"x\r\n1\r\n", b"x\r\n2\r\n"], ox.QueryResultsFormat.CSV)
    b'x\r\n1\r\n2\r\n'
    """
    out = io.BytesIO()
    _join([io.BytesIO(document) for document in documents], out, fmt)
    return out.getvalue()


def _written(
    solutions: ox.QuerySolutions, path: Path, fmt: ox.QueryResultsFormat, labelled: bool
) -> tuple[list[tuple[str, str]], Path]:
    """A part of an answer written to ``path``: as TSV when its label columns are to be
    filled (``labelled`` and it has some: they are returned), else in ``fmt``."""
    columns = label_columns([v.value for v in solutions.variables]) if labelled else []
    solutions.serialize(output=str(path), format=ox.QueryResultsFormat.TSV if columns else fmt)
    return columns, path


def _join(parts: Sequence[IO[bytes]], out: IO[bytes], fmt: ox.QueryResultsFormat) -> None:
    """The parts of an answer (seekable streams of SPARQL results in ``fmt``) joined into
    ``out``: the first part's head, every part's rows, the end; copied a mebibyte at a time
    (no part is held in memory twice)."""
    opening, closing, between = _FRAMES[fmt]
    first = None
    wrote = False
    for part in parts:
        head = _head(part, opening)
        size = part.seek(0, os.SEEK_END)
        left = size - len(closing) - len(head)  # the rows' bytes
        if left >= 0:
            part.seek(size - len(closing))
        if left < 0 or part.read() != closing:
            raise ValueError("not a SPARQL results document of the format expected")
        if first is None:
            first = head
            out.write(head)
        elif head != first:
            raise ValueError("the parts of an answer have different variables")
        if left and wrote:
            out.write(between)
        wrote = wrote or left > 0
        part.seek(len(head))
        while left:
            chunk = part.read(min(left, _CHUNK))
            out.write(chunk)
            left -= len(chunk)
    out.write(closing)


def _head(part: IO[bytes], opening: bytes) -> bytes:
    """What a document holds up to the end of ``opening`` (its first occurrence)."""
    read = b""
    while (at := read.find(opening)) < 0:
        more = part.read(_CHUNK)
        if not more:
            raise ValueError("not a SPARQL results document of the format expected")
        read += more
    return read[: at + len(opening)]


def _started_together(
    items: Sequence[_T],
    start: Callable[[_T], QueryResult],
    finish: Callable[[_T, QueryResult], _R],
    writes: AbstractContextManager[object] | None,
) -> list[_R]:
    """``finish`` of each item and what ``start`` gave for it, on a thread each when there
    are several; ``writes`` held until every ``start`` has returned (each query then reads
    the same state of the store)."""
    if len(items) == 1 or writes is None:
        return _on_threads(items, lambda item: finish(item, start(item)))
    started = threading.Barrier(len(items) + 1)

    def work(item: _T) -> _R:
        try:
            result = start(item)
        finally:  # a query that fails to start does not keep the others waiting
            started.wait()
        return finish(item, result)

    with ThreadPoolExecutor(len(items)) as pool:
        with writes:
            futures = [pool.submit(work, item) for item in items]
            started.wait()
        return [future.result() for future in futures]


def _on_threads(items: Sequence[_T], work: Callable[[_T], _R]) -> list[_R]:
    """``work`` on each item, on a thread each when there are several."""
    if len(items) == 1:
        return [work(items[0])]
    with ThreadPoolExecutor(len(items)) as pool:
        return list(pool.map(work, items))


def _selected(result: QueryResult) -> ox.QuerySolutions:
    if not isinstance(result, ox.QuerySolutions):
        raise InputError(Message("une requête SELECT est attendue", "a SELECT query is expected"), path="SPARQL")
    return result


def _is_iri(term: bytes) -> bool:
    """Whether a TSV term is an IRI (``<…>``, not an RDF-star triple ``<< … >>``)."""
    return term[:1] == b"<" and term[:2] != b"<<"
