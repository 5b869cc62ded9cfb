"""Query results as a reader wants them: an aligned table, CSV, TSV, or the
standard SPARQL 1.1 Query Results JSON (CONSTRUCT results as Turtle or N-Triples)."""

from __future__ import annotations

import io

import pyoxigraph as ox

from isgraph.namespaces import PREFIXES
from isgraph.query.catalogue import PARAM_PREFIXES
from isgraph.rdf.writing import serialize_results
from isgraph.store import QueryResult

RESULT_FORMATS = ("table", "csv", "tsv", "json")
_SERIALISED = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
_BY_LENGTH = sorted(PARAM_PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A term as a reader wants it in a table: prefixed names, the text of literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in _BY_LENGTH:
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def render_result(result: QueryResult, fmt: str, lang: str) -> bytes:
    """The bytes to print for a query result."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return (("oui" if lang == "fr" else "yes") if bool(result) else ("non" if lang == "fr" else "no")).encode() + b"\n"
        return serialize_results(result, _SERIALISED[fmt])
    if not isinstance(result, ox.QuerySolutions):
        out = io.BytesIO()
        rdf_format = ox.RdfFormat.TURTLE if fmt == "table" else ox.RdfFormat.N_TRIPLES
        ox.serialize(result, out, format=rdf_format, prefixes=PREFIXES if fmt == "table" else None)
        return out.getvalue()
    if fmt != "table":
        return serialize_results(result, _SERIALISED[fmt])
    names = [v.value for v in result.variables]
    rows = [[compact(row[n]) for n in names] for row in result]
    return table(names, rows, lang).encode("utf-8")


def table(names: list[str], rows: list[list[str]], lang: str) -> str:
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    count = len(rows)
    out.append(f"({count} ligne{'s' if count > 1 else ''})" if lang == "fr" else f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(out) + "\n"


def rows_as_text(result: QueryResult) -> list[tuple[str, ...]]:
    """SELECT rows as tuples of N-Triples terms (empty for unbound): what two stores must agree on."""
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result]
