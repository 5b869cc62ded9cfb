"""Rendering a validation report: text for a terminal, JSON for programs, a single
self-contained HTML page a steward can open or email, the standard SHACL report in
Turtle, and CSV for a spreadsheet."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import defaultdict
from functools import lru_cache

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import ID, PREFIXES
from isgraph.rdf.writing import serialize
from isgraph.shacl.compiler import SH
from isgraph.shacl.engine import SEVERITIES, ValidationReport, ValidationResult, cycle_collector_paused

REPORT_FORMATS = ("text", "json", "html", "turtle", "csv")


def _severity_word(severity: str, lang: str) -> str:
    """The severity in the reader's language; a shape's own (an IRI) by its local name."""
    if severity in _SEVERITY_WORDS:
        return _SEVERITY_WORDS[severity].text(lang)
    return severity.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


_SEVERITY_WORDS = {
    "Violation": Message("Violation", "Violation"),
    "Warning": Message("Avertissement", "Warning"),
    "Info": Message("Info", "Info"),
}
_GENERAL = Message("Général", "General")


def short(iri: str | None) -> str:
    """An IRI as a reader wants it: relative to the data namespace, or prefixed."""
    if not iri:
        return ""
    return _short(iri)


@lru_cache(maxsize=65536)  # a report names the same shapes, elements and nodes again and again
def _short(iri: str) -> str:
    if iri.startswith("<") and iri.endswith(">") and " " not in iri:
        iri = iri[1:-1]
    if iri.startswith(ID):
        return iri[len(ID) :]
    for prefix, namespace in _LONGEST_FIRST:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    if iri.startswith("http://www.w3.org/ns/shacl#"):
        return "sh:" + iri.rsplit("#", 1)[1]
    if iri.startswith("https://w3id.org/isgraph/shapes#"):
        return "isgsh:" + iri.rsplit("#", 1)[1]
    return iri


#: the prefixes, the longest namespace first (the most specific wins)
_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def short_path(path: str | None) -> str:
    """A SHACL path as written by isgraph (``^<a>``, ``(<a>/<b>)``), with short IRIs."""
    return re.sub(r"<([^>]*)>", lambda m: short(m.group(1)), path or "")


def _counts(report: ValidationReport, lang: str) -> str:
    counts = {s: sum(1 for r in report.results if r.severity == s) for s in SEVERITIES}
    unreadable = len({e.path for e in report.errors})
    if lang == "fr":
        verdict = "illisible" if report.errors else "conforme" if report.conforms else "non conforme"
        errors = f", {len(report.errors)} erreur(s) de lecture dans {unreadable} fichier(s)" if report.errors else ""
        return (
            f"{verdict} — {counts['Violation']} violation(s), {counts['Warning']} avertissement(s), "
            f"{counts['Info']} info(s), {len(report.inputs)} fichier(s){errors}"
        )
    verdict = "unreadable" if report.errors else "conforms" if report.conforms else "does not conform"
    errors = f", {len(report.errors)} input error(s) in {unreadable} file(s)" if report.errors else ""
    return (
        f"{verdict} — {counts['Violation']} violation(s), {counts['Warning']} warning(s), "
        f"{counts['Info']} info(s), {len(report.inputs)} file(s){errors}"
    )


def _error_dict(error: InputError) -> dict[str, object]:
    return {"file": error.path, "line": error.line, "column": error.column, "message": error.message.as_dict()}


def _errors_by_file(report: ValidationReport) -> dict[str, list[InputError]]:
    found: dict[str, list[InputError]] = {}
    for error in report.errors:
        found.setdefault(error.path or "", []).append(error)
    return found


_ERROR = Message("Erreur", "Error")


def _grouped(report: ValidationReport) -> dict[str, dict[str | None, list[ValidationResult]]]:
    groups: dict[str, dict[str | None, list[ValidationResult]]] = defaultdict(lambda: defaultdict(list))
    for result in report.results:
        groups[result.source.file if result.source else ""][result.element].append(result)
    return groups


def _case_title(report: ValidationReport, file: str, lang: str) -> str:
    if not file:
        return "(données de référence)" if lang == "fr" else "(reference data)"
    case = report.cases.get(file)
    if case is None:
        return file
    label = report.labels.get(case)
    return f"{file} — {label.text(lang) if label else short(case)}"


def render_text(report: ValidationReport, lang: str) -> str:
    lines = []
    words = {
        "focus": "nœud" if lang == "fr" else "focus",
        "path": "chemin" if lang == "fr" else "path",
        "value": "valeur" if lang == "fr" else "value",
        "line": "ligne" if lang == "fr" else "line",
        "shape": "forme" if lang == "fr" else "shape",
    }
    for file, by_element in _grouped(report).items():
        lines.append(_case_title(report, file, lang))
        for element in sorted(by_element, key=lambda e: (e is None, e or "")):
            label = report.labels.get(element) if element else None
            lines.append("  " + (label.text(lang) if label else short(element) if element else _GENERAL.text(lang)))
            for r in by_element[element]:
                lines.append(f"    [{_severity_word(r.severity, lang)}] {r.message.text(lang)}")
                detail = [f"{words['focus']}: {short(r.focus)}"]
                if r.path:
                    detail.append(f"{words['path']}: {short_path(r.path)}")
                if r.value:
                    detail.append(f"{words['value']}: {short(r.value)}")
                if r.source and r.source.line:
                    detail.append(f"{words['line']} {r.source.line}")
                if r.also:
                    detail.append(("aussi décrit par " if lang == "fr" else "also described by ") + ", ".join(r.also))
                detail.append(f"{words['shape']}: {short(r.shape)} ({r.component.rsplit('#', 1)[-1]})")
                if r.by:
                    detail.append(_BY.text(lang) + r.by)
                lines.append("      " + " · ".join(detail))
    for file, errors in _errors_by_file(report).items():
        lines.append(f"{file} — " + ("illisible" if lang == "fr" else "unreadable"))
        for error in errors:
            where = error.location(lang).removeprefix(file).lstrip(", ")
            lines.append(f"    [{_ERROR.text(lang)}] {error.message.text(lang)}" + (f" ({where})" if where else ""))
    lines += [_delegation(shape, reason, lang) for shape, reason in report.delegated]
    lines.append(("Bilan : " if lang == "fr" else "Summary: ") + _counts(report, lang))
    return "\n".join(lines) + "\n"


_BY = Message("validé par ", "validated by ")


def _delegation(shape: str, reason: Message, lang: str) -> str:
    """One line: a shape validated by pySHACL, and why the compiler set it aside."""
    if lang == "fr":
        return f"Forme {short(shape)} validée par pySHACL, car non traduite en SPARQL ({reason.fr})"
    return f"Shape {short(shape)} validated by pySHACL, as it was not translated to SPARQL ({reason.en})"


def _result_dict(r: ValidationResult) -> dict[str, object]:
    return {
        "severity": r.severity,
        "focus": r.focus,
        "path": r.path,
        "value": r.value,
        "shape": r.shape,
        "component": r.component,
        "message": r.message.as_dict(),
        "element": r.element,
        "source": {"file": r.source.file, "line": r.source.line} if r.source else None,
        **({"also": list(r.also)} if r.also else {}),
        **({"validated_by": r.by} if r.by else {}),
    }


def render_json(report: ValidationReport, lang: str) -> str:
    return (
        json.dumps(
            {
                "conforms": report.conforms and not report.errors,
                "results": [_result_dict(r) for r in report.results],
                "errors": [_error_dict(e) for e in report.errors],
                "validated_by_pyshacl": [{"shape": shape, "reason": reason.as_dict()} for shape, reason in report.delegated],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def render_csv(report: ValidationReport, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "severity",
            "focus",
            "path",
            "value",
            "shape",
            "component",
            "element",
            "message_fr",
            "message_en",
            "file",
            "line",
            "validated_by",
        ]
    )
    for r in report.results:
        writer.writerow(
            [
                r.severity,
                r.focus,
                r.path or "",
                r.value or "",
                r.shape,
                r.component,
                r.element or "",
                r.message.fr,
                r.message.en,
                r.source.file if r.source else "",
                r.source.line if r.source and r.source.line else "",
                r.by or "",
            ]
        )
    for error in report.errors:
        writer.writerow(
            ["Error", "", "", "", "", "", "", error.message.fr, error.message.en, error.path or "", error.line or "", ""]
        )
    return out.getvalue()


def _term(text: str) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A term back from its N-Triples form (values in results keep that form)."""
    quad: ox.Quad = next(ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))
    term = quad.object
    assert not isinstance(term, ox.Triple)
    return term


def _path_triples(path: str, counter: list[int]) -> tuple[ox.NamedNode | ox.BlankNode, list[ox.Triple]]:
    """The SHACL path node of ``path`` (as isgraph writes it: ``<p>``, ``^<p>``, ``(<p>/<q>)``,
    ``(<p>|<q>)``, ``(<p>)*``, ``(<p>)+``, ``(<p>)?``) and the triples that describe it."""
    tokens = re.findall(r"<[^>]*>|[()/|^*+?]", path)
    position = [0]
    triples: list[ox.Triple] = []

    def fresh() -> ox.BlankNode:
        counter[0] += 1
        return ox.BlankNode(f"p{counter[0]}")

    def listed(items: list[ox.NamedNode | ox.BlankNode]) -> ox.NamedNode | ox.BlankNode:
        head: ox.NamedNode | ox.BlankNode = ox.NamedNode(_RDF + "nil")
        for item in reversed(items):
            cell = fresh()
            triples.extend(
                [ox.Triple(cell, ox.NamedNode(_RDF + "first"), item), ox.Triple(cell, ox.NamedNode(_RDF + "rest"), head)]
            )
            head = cell
        return head

    def peek() -> str:
        return tokens[position[0]] if position[0] < len(tokens) else ""

    def unary() -> ox.NamedNode | ox.BlankNode:
        token = peek()
        position[0] += 1
        if token == "^":
            node = fresh()
            triples.append(ox.Triple(node, ox.NamedNode(SH["inversePath"]), unary()))
            return node
        if token != "(":
            return ox.NamedNode(token[1:-1])
        steps, kind = [unary()], ""
        while peek() in ("/", "|"):
            kind = peek()
            position[0] += 1
            steps.append(unary())
        position[0] += 1  # the closing parenthesis
        if kind == "/":
            return listed(steps)
        if kind == "|":
            node = fresh()
            triples.append(ox.Triple(node, ox.NamedNode(SH["alternativePath"]), listed(steps)))
            return node
        if peek() in _REPEATS:
            node = fresh()
            triples.append(ox.Triple(node, ox.NamedNode(SH[_REPEATS[peek()]]), steps[0]))
            position[0] += 1
            return node
        return steps[0]

    return unary(), triples


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_REPEATS = {"*": "zeroOrMorePath", "+": "oneOrMorePath", "?": "zeroOrOnePath"}


def render_turtle(report: ValidationReport, lang: str) -> str:
    """The standard sh:ValidationReport."""

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    root = ox.BlankNode("report")
    # sh:conforms as SHACL defines it: no result of any severity (the steward's verdict,
    # which warnings do not block, is report.conforms)
    conforms = not report.results and not report.errors
    triples = [
        ox.Triple(root, n(PREFIXES["rdf"] + "type"), n(SH["ValidationReport"])),
        ox.Triple(root, n(SH["conforms"]), ox.Literal("true" if conforms else "false", datatype=n(PREFIXES["xsd"] + "boolean"))),
    ]
    counter = [0]
    for i, r in enumerate(report.results):
        node = ox.BlankNode(f"r{i}")
        triples += [
            ox.Triple(root, n(SH["result"]), node),
            ox.Triple(node, n(PREFIXES["rdf"] + "type"), n(SH["ValidationResult"])),
            ox.Triple(node, n(SH["resultSeverity"]), n(SH[r.severity] if r.severity in SEVERITIES else r.severity)),
            ox.Triple(
                node, n(SH["focusNode"]), _term(f"<{r.focus}>") if not r.focus.startswith("_:") else ox.BlankNode(r.focus[2:])
            ),
            # a blank-node shape (a property shape written [ sh:path … ]) is named by its identifier
            ox.Triple(node, n(SH["sourceShape"]), n(r.shape) if ":" in r.shape else ox.BlankNode(r.shape)),
            ox.Triple(node, n(SH["sourceConstraintComponent"]), n(r.component)),
            ox.Triple(node, n(SH["resultMessage"]), ox.Literal(r.message.fr, language="fr")),
            ox.Triple(node, n(SH["resultMessage"]), ox.Literal(r.message.en, language="en")),
        ]
        if r.path:
            path_node, path_triples = _path_triples(r.path, counter)
            triples += [ox.Triple(node, n(SH["resultPath"]), path_node), *path_triples]
        if r.value:
            triples.append(ox.Triple(node, n(SH["value"]), _term(r.value)))
        if r.by:
            triples.append(ox.Triple(node, n(PREFIXES["rdfs"] + "comment"), ox.Literal(_BY.text(lang) + r.by, language=lang)))
    for shape, reason in report.delegated:
        triples.append(
            ox.Triple(root, n(PREFIXES["rdfs"] + "comment"), ox.Literal(_delegation(shape, reason, lang), language=lang))
        )
    prefixes = {**PREFIXES, "sh": "http://www.w3.org/ns/shacl#", "isgsh": "https://w3id.org/isgraph/shapes#"}
    # a SHACL report has no place for an input that could not be read: each is a comment line
    unread = "".join(f"# {_ERROR.text(lang).lower()}: {' '.join(e.render(lang).split())}\n" for e in report.errors)
    return unread + serialize(triples, ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}
h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1em;color:#444}
table{border-collapse:collapse;width:100%;margin-bottom:1em}td,th{border:1px solid #ddd;padding:.35em;vertical-align:top;text-align:left}
.Violation{background:#b00020;color:#fff}.Warning{background:#e08e00;color:#fff}.Info{background:#1565c0;color:#fff}
.sev{padding:.1em .4em;border-radius:.3em;font-size:.85em}code{font-size:.85em}.ok{color:#1b5e20}.ko{color:#b00020}"""


def render_html(report: ValidationReport, lang: str) -> str:
    e = html.escape
    fr = lang == "fr"
    head = (
        ["Gravité", "Message", "Nœud", "Chemin", "Valeur", "Ligne", "Forme"]
        if fr
        else ["Severity", "Message", "Focus", "Path", "Value", "Line", "Shape"]
    )
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{'Rapport de validation isgraph' if fr else 'isgraph validation report'}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{'Rapport de validation isgraph' if fr else 'isgraph validation report'}</h1>",
        f'<p class="{"ok" if report.conforms else "ko"}">{e(_counts(report, lang))}</p>',
    ]
    for file, by_element in _grouped(report).items():
        parts.append(f"<h2>{e(_case_title(report, file, lang))}</h2>")
        for element in sorted(by_element, key=lambda x: (x is None, x or "")):
            label = report.labels.get(element) if element else None
            title = label.text(lang) if label else short(element) if element else _GENERAL.text(lang)
            parts.append(f"<h3>{e(title)}</h3><table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
            for r in by_element[element]:
                parts.append(
                    f'<tr><td><span class="sev {r.severity}">{e(_severity_word(r.severity, lang))}</span></td>'
                    f"<td>{e(r.message.text(lang))}</td><td><code>{e(short(r.focus))}</code></td>"
                    f"<td><code>{e(short_path(r.path))}</code></td><td><code>{e(short(r.value))}</code></td>"
                    f"<td>{r.source.line if r.source and r.source.line else ''}</td>"
                    f"<td><code>{e(short(r.shape))}</code><br><small>{e(r.component.rsplit('#', 1)[-1])}</small>"
                    f"{f'<br><small>{e(_BY.text(lang) + r.by)}</small>' if r.by else ''}</td></tr>"
                )
            parts.append("</table>")
    for file, errors in _errors_by_file(report).items():
        parts.append(f"<h2>{e(file)} — {'illisible' if fr else 'unreadable'}</h2><ul>")
        parts += [
            f'<li><span class="sev Violation">{e(_ERROR.text(lang))}</span> {e(error.render(lang))}</li>' for error in errors
        ]
        parts.append("</ul>")
    if report.delegated:
        parts.append("<ul>" + "".join(f"<li>{e(_delegation(s, reason, lang))}</li>" for s, reason in report.delegated) + "</ul>")
    parts.append("</body></html>\n")
    return "".join(parts)


RENDERERS = {"text": render_text, "json": render_json, "html": render_html, "turtle": render_turtle, "csv": render_csv}


def render(report: ValidationReport, fmt: str, lang: str) -> str:
    """The report in a format of :data:`REPORT_FORMATS` (its millions of strings made with
    the cycle collector paused: none is in a cycle)."""
    with cycle_collector_paused():
        return RENDERERS[fmt](report, lang)
