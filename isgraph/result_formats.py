"""Query results as a reader wants them: an aligned table, CSV, TSV, or the
standard SPARQL 1.1 Query Results JSON (CONSTRUCT results as Turtle or N-Triples)."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox

from .catalogue import PARAM_PREFIXES
from .namespaces import XSD
from .store import PREFIXES, QueryResult

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
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def render_result(result: QueryResult, fmt: str, lang: str) -> bytes:
    """The bytes to print for a query result."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return (("oui" if lang == "fr" else "yes") if bool(result) else ("non" if lang == "fr" else "no")).encode() + b"\n"
        return result.serialize(format=_SERIALISED[fmt])
    if not isinstance(result, ox.QuerySolutions):
        out = io.BytesIO()
        rdf_format = ox.RdfFormat.TURTLE if fmt == "table" else ox.RdfFormat.N_TRIPLES
        ox.serialize(result, out, format=rdf_format, prefixes=PREFIXES if fmt == "table" else None)
        return out.getvalue()
    if fmt != "table":
        return result.serialize(format=_SERIALISED[fmt])
    names = [v.value for v in result.variables]
    rows = [[compact(row[n]) for n in names] for row in result]
    return table(names, rows, lang).encode("utf-8")


def table(names: list[str], rows: list[list[str]], lang: str) -> str:
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    count = len(rows)
    out.append(f"({count} ligne{'s' if count > 1 else ''})" if lang == "fr" else f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(out) + "\n"


def rows_as_text(result: QueryResult) -> list[tuple[str, ...]]:
    """SELECT rows as tuples of N-Triples terms (empty for unbound): what two stores must agree on."""
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result]


Term = ox.NamedNode | ox.BlankNode | ox.Literal


def sparql_json(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    """Solutions as SPARQL 1.1 Query Results JSON (an unbound value is left out of its row)."""
    bindings = [{name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
                for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


_XSD_STRING = XSD["string"]


def _json_term(term: Term | ox.Triple) -> dict[str, object]:
    """One term as SPARQL 1.1 Query Results JSON (RDF-star triples included)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}
