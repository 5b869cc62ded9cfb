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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import IO

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

#: The labels of IRIs, by IRI (:func:`isgraph.store.labels.label_terms` for a store and a language).
Labeller = Callable[[set[str]], Mapping[str, ox.Literal]]


def label_columns(variables: Sequence[str]) -> list[tuple[str, str]]:
    """The label columns of an answer: each ``?xLabel`` beside its ``?x``, as (label, of) names.

    >>> label_columns(["element", "elementLabel", "level", "levelLabel", "countLabel"])
    [('elementLabel', 'element'), ('levelLabel', 'level')]
    """
    return [(v, v[: -len("Label")]) for v in variables if v.endswith("Label") and v[: -len("Label")] in variables]


def write_answer(result: QueryResult, output: str | IO[bytes], media: str, labeller: Labeller | None = None) -> None:
    """Write the solutions of ``result`` to ``output`` (a file's path, or a binary stream) in
    ``media`` (one of :data:`ANSWER_FORMATS`); with ``labeller``, each label column left
    unbound beside an IRI is filled with that IRI's label (see the module's description)."""
    if not isinstance(result, ox.QuerySolutions):
        raise InputError(Message("une requête SELECT est attendue", "a SELECT query is expected"), path="SPARQL")
    columns = label_columns([v.value for v in result.variables]) if labeller is not None else []
    if not columns:
        result.serialize(output=output, format=ANSWER_FORMATS[media])
        return
    data = result.serialize(format=ox.QueryResultsFormat.TSV) or b""
    head, _, body = data.partition(b"\n")
    names = [name.decode()[1:] for name in head.split(b"\t")]
    at = [(names.index(label), names.index(of)) for label, of in columns]
    rows = [line.split(b"\t") for line in body.split(b"\n")[:-1]]  # the last line ends with a newline too
    missing = {row[of] for row in rows for label, of in at if not row[label] and _is_iri(row[of])}
    if missing:
        assert labeller is not None  # columns are only looked for with a labeller
        found = labeller({iri[1:-1].decode() for iri in missing})
        text = {iri: str(found[iri[1:-1].decode()]).encode() for iri in missing}  # a TSV term is N-Triples
        for row in rows:
            for label, of in at:
                if not row[label] and row[of] in text:
                    row[label] = text[row[of]]
        data = b"\n".join([head, *(b"\t".join(row) for row in rows), b""])
    if media != _TSV:
        ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV).serialize(output=output, format=ANSWER_FORMATS[media])
    elif isinstance(output, str):
        with open(output, "wb") as out:
            out.write(data)
    else:
        output.write(data)


def _is_iri(term: bytes) -> bool:
    """Whether a TSV term is an IRI (``<…>``, not an RDF-star triple ``<< … >>``)."""
    return term[:1] == b"<" and term[:2] != b"<<"
