"""The steward's page: upload or paste a case, read its validation report in HTML (the
messages in the chosen language, each with a hint, and the submitted text with the lines
at fault highlighted and linked), then ingest it with the server's token.

Validation and ingest are the command line's own (:func:`isgraph.shacl.api.validate_paths`,
:func:`isgraph.graph.ingest.ingest`): the page only reads the form and writes the answer.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from isgraph.errors import InputError
from isgraph.graph.ingest import IngestResult, ingest
from isgraph.messages import Message
from isgraph.shacl.api import store_validator, validate_paths
from isgraph.shacl.engine import ValidationReport, ValidationResult
from isgraph.shacl.report import short, short_path
from isgraph.store import Store
from isgraph.web.html import Links, esc
from isgraph.web.html import in_lang as _t

#: The kinds of text a steward may submit: form value → (file suffix, name shown).
FORMATS = {
    "yaml": (".yaml", "YAML (formulaire de cas / case form)"),
    "json": (".json", "JSON (formulaire de cas / case form)"),
    "ttl": (".ttl", "Turtle"),
    "jsonld": (".jsonld", "JSON-LD"),
    "nt": (".nt", "N-Triples"),
    "rdf": (".rdf", "RDF/XML"),
}
#: What to do about a result, by its constraint component: (French, English).
HINTS = {
    "MinCountConstraintComponent": ("Ajoutez cette information : elle est requise.", "Add this information: it is required."),
    "MaxCountConstraintComponent": ("Gardez une seule valeur ici.", "Keep a single value here."),
    "DatatypeConstraintComponent": (
        "Écrivez la valeur dans le type attendu (une date AAAA-MM-JJ, un nombre…).",
        "Write the value in the expected type (a date YYYY-MM-DD, a number…).",
    ),
    "ClassConstraintComponent": (
        "Renvoyez à une chose du bon type (un acteur, un territoire… connu du graphe).",
        "Point to a thing of the right kind (an actor, a territory… the graph knows).",
    ),
    "InConstraintComponent": (
        "Choisissez une des valeurs permises (voir la page des formes).",
        "Choose one of the allowed values (see the shapes page).",
    ),
    "PatternConstraintComponent": (
        "Corrigez l'écriture de la valeur (voir le motif de la forme).",
        "Fix how the value is written (see the shape's pattern).",
    ),
    "MinLengthConstraintComponent": ("Écrivez un texte plus long.", "Write a longer text."),
    "MaxLengthConstraintComponent": ("Raccourcissez ce texte.", "Shorten this text."),
    "NodeKindConstraintComponent": (
        "Donnez un lien (IRI) plutôt qu'un texte, ou l'inverse.",
        "Give a link (IRI) rather than a text, or the other way round.",
    ),
    "LanguageInConstraintComponent": (
        "Donnez ce texte en français ou en anglais (@fr, @en).",
        "Give this text in French or English (@fr, @en).",
    ),
    "UniqueLangConstraintComponent": ("Un seul texte par langue.", "A single text per language."),
    "SPARQLConstraintComponent": (
        "Voir le message : la règle porte sur plusieurs informations à la fois.",
        "See the message: the rule concerns several pieces of information at once.",
    ),
}
_FORM_HINT = (
    "Corrigez le champ indiqué à la ligne indiquée ; docs/case-forms.md décrit chaque clé.",
    "Fix the field named at the line given; docs/case-forms.md describes every key.",
)


@dataclass(frozen=True)
class Submitted:
    """What the steward sent: the text, its format, and a name for the reports."""

    text: str
    format: str
    name: str

    @property
    def file(self) -> str:
        return self.name + FORMATS[self.format][0]


class FormError(Exception):
    """A form the page cannot read: its HTTP status and what to say."""

    def __init__(self, status: int, message: Message) -> None:
        super().__init__(message.en)
        self.status, self.message = status, message


async def read_form(request: Request, max_bytes: int) -> tuple[Submitted, str, str]:
    """The text (uploaded file, else pasted), its format and name, the action and the token of the form."""
    if int(request.headers.get("content-length") or 0) > max_bytes:
        raise FormError(413, Message("cas trop volumineux", "case too large"))
    try:
        fields = await request.form(max_files=1, max_fields=10, max_part_size=max_bytes)
    except MultiPartException as exc:
        raise FormError(400, Message(f"formulaire illisible : {exc.message}", f"unreadable form: {exc.message}")) from None
    upload, text = fields.get("file"), fields.get("text")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read()
    else:
        data = text.encode() if isinstance(text, str) else b""
    if not data.strip():
        raise FormError(
            400, Message("aucun cas : choisissez un fichier ou collez un texte", "no case: choose a file or paste a text")
        )
    fmt = fields.get("format")
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise FormError(400, Message(f"format parmi {', '.join(FORMATS)}", f"format among {', '.join(FORMATS)}"))
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FormError(400, Message("le cas n'est pas en UTF-8", "the case is not UTF-8")) from None
    raw_name = fields.get("name")
    name = "".join(c for c in (raw_name if isinstance(raw_name, str) else "") if c.isalnum() or c in "-_.")[:80].strip(".")
    action, token = fields.get("action"), fields.get("token")
    return (
        Submitted(decoded, fmt, name or "submission"),
        action if isinstance(action, str) else "validate",
        token if isinstance(token, str) else "",
    )


@contextmanager
def _as_file(submitted: Submitted) -> Iterator[Path]:
    """The submitted text as a file of its format's suffix, in a private folder removed after."""
    with tempfile.TemporaryDirectory(prefix="isgraph-steward-") as folder:
        path = Path(folder) / submitted.file
        path.write_text(submitted.text, encoding="utf-8")
        yield path


def validate_submitted(store: Store, submitted: Submitted) -> ValidationReport:
    """The report of ``isgraph validate`` on the submitted text, with the store's ontology and territories."""
    with _as_file(submitted) as path:
        return validate_paths([path], validator=store_validator(store))


def ingest_submitted(store: Store, submitted: Submitted) -> IngestResult:
    """``isgraph ingest`` of the submitted text (the caller holds the server's write lock)."""
    with _as_file(submitted) as path:
        return ingest(store, [path], submitter="isgraph serve (steward page)", shown_as=[f"http:{submitted.file}"])


def unreadable(error: InputError, submitted: Submitted, links: Links, lang: str) -> str:
    """The report of a text that could not be read (its line highlighted)."""
    return report_section(ValidationReport(results=(), inputs=(submitted.file,), errors=(error,)), submitted, links, lang)


def form(lang: str, submitted: Submitted | None = None, *, writable: bool) -> str:
    """The upload form; with a token field and an ingest button when the server takes writes."""
    text = submitted.text if submitted else ""
    chosen = submitted.format if submitted else "yaml"
    name = submitted.name if submitted else "submission"
    options = "".join(f'<option value="{k}"{" selected" if k == chosen else ""}>{esc(v[1])}</option>' for k, v in FORMATS.items())
    ingest = ""
    if writable:
        ingest = (
            f'<label for="steward-token">{esc(_t(lang, "Jeton", "Token"))}</label>'
            f'<input type="password" id="steward-token" name="token" autocomplete="off" aria-describedby="steward-token-hint">'
            f'<span class="hint" id="steward-token-hint">{esc(_t(lang, "Le jeton du serveur, pour verser le cas dans le graphe.", "The server’s token, to put the case in the graph."))}</span>'
        )
    buttons = f'<button type="submit" name="action" value="validate">{esc(_t(lang, "Valider", "Validate"))}</button>'
    if writable:
        buttons += f' <button type="submit" name="action" value="ingest">{esc(_t(lang, "Valider et verser", "Validate and ingest"))}</button>'
    return (
        f'<form class="params" method="post" action="/steward?lang={lang}" enctype="multipart/form-data">'
        f'<label for="steward-file">{esc(_t(lang, "Fichier", "File"))}</label><input type="file" id="steward-file" name="file">'
        f'<label for="steward-text">{esc(_t(lang, "ou texte collé", "or pasted text"))}</label>'
        f'<textarea id="steward-text" name="text" rows="16" cols="90" spellcheck="false">{esc(text)}</textarea>'
        f'<label for="steward-format">{esc(_t(lang, "Format", "Format"))}</label><select id="steward-format" name="format">{options}</select>'
        f'<label for="steward-name">{esc(_t(lang, "Nom", "Name"))}</label>'
        f'<input type="text" id="steward-name" name="name" value="{esc(name)}" aria-describedby="steward-name-hint">'
        f'<span class="hint" id="steward-name-hint">{esc(_t(lang, "Nomme le fichier dans le rapport et la provenance.", "Names the file in the report and the provenance."))}</span>'
        f"{ingest}<span></span><span>{buttons}</span></form>"
    )


def intro(lang: str, writable: bool) -> str:
    said = _t(
        lang,
        "Déposez un formulaire de cas (YAML ou JSON) ou un fichier RDF : le rapport dit ce qui manque, où, et comment le corriger. "
        "Rien n'est écrit tant que vous ne versez pas le cas avec le jeton.",
        "Submit a case form (YAML or JSON) or an RDF file: the report says what is missing, where, and how to fix it. "
        "Nothing is written until you ingest the case with the token.",
    )
    if not writable:
        said += " " + _t(
            lang,
            "Ce serveur est en lecture seule : il valide, il ne verse pas.",
            "This server is read-only: it validates, it does not ingest.",
        )
    return f"<p>{esc(said)}</p>"


def report_section(report: ValidationReport, submitted: Submitted, links: Links, lang: str) -> str:
    """The findings, then the submitted text with their lines highlighted."""
    lines: dict[int, list[str]] = {}
    items = []
    for n, result in enumerate(report.results):
        line = result.source.line if result.source else None
        if line:
            lines.setdefault(line, []).append(f"finding-{n}")
        items.append(_finding(result, n, line, links, lang))
    for m, error in enumerate(_errors(report)):
        n = len(report.results) + m
        if error.line:
            lines.setdefault(error.line, []).append(f"finding-{n}")
        where = (
            f' <a href="#line-{error.line}">{esc(_t(lang, f"ligne {error.line}", f"line {error.line}"))}</a>'
            if error.line
            else ""
        )
        items.append(
            f'<li id="finding-{n}"><span class="sev-Violation">{esc(_t(lang, "Erreur", "Error"))}</span>{where} — '
            f"{esc(error.message.text(lang))}<br><small>{esc(_t(lang, *_FORM_HINT))}</small></li>"
        )
    violations = sum(1 for r in report.results if r.severity == "Violation") + len(_errors(report))
    if report.conforms and not report.errors:
        verdict = f'<p class="ok" role="status">{esc(_t(lang, "Le cas est conforme aux formes.", "The case conforms to the shapes."))}</p>'
    else:
        verdict = f'<p class="error" role="alert">{esc(_t(lang, f"{violations} problème(s) bloquant(s) : le cas ne peut pas être versé tel quel.", f"{violations} blocking problem(s): the case cannot be ingested as it is."))}</p>'
    findings = f'<ol class="findings">{"".join(items)}</ol>' if items else ""
    return (
        f'<section aria-labelledby="report-title"><h2 id="report-title">{esc(_t(lang, "Rapport de validation", "Validation report"))} — {esc(submitted.file)}</h2>'
        f"{verdict}{findings}<h3>{esc(_t(lang, 'Le texte soumis', 'The submitted text'))}</h3>{numbered(submitted.text, lines, lang)}</section>"
    )


def _errors(report: ValidationReport) -> list[InputError]:
    return [e for error in report.errors for e in (getattr(error, "errors", None) or [error])]


def _finding(result: ValidationResult, n: int, line: int | None, links: Links, lang: str) -> str:
    component = result.component.rsplit("#", 1)[-1]
    hint = HINTS.get(component)
    if component == "MinCountConstraintComponent" and result.severity != "Violation":
        hint = (
            "Ajoutez cette information si vous la connaissez : elle est recommandée.",
            "Add this information if you know it: it is recommended.",
        )
    where = f' <a href="#line-{line}">{esc(_t(lang, f"ligne {line}", f"line {line}"))}</a>' if line else ""
    details = [f"{_t(lang, 'nœud', 'focus')} <code>{esc(short(result.focus))}</code>"]
    if result.path:
        details.append(f"{_t(lang, 'chemin', 'path')} <code>{esc(short_path(result.path))}</code>")
    if result.value:
        details.append(f"{_t(lang, 'valeur', 'value')} <code>{esc(short(result.value))}</code>")
    details.append(f"{_t(lang, 'forme', 'shape')} {links.a(result.shape, short(result.shape))}")
    severity = {"Violation": ("Violation", "Violation"), "Warning": ("Avertissement", "Warning"), "Info": ("Info", "Info")}.get(
        result.severity, (result.severity, result.severity)
    )
    return (
        f'<li id="finding-{n}"><span class="sev-{esc(result.severity)}">{esc(_t(lang, *severity))}</span>{where} — '
        f"{esc(result.message.text(lang))}<br><small>{' · '.join(details)}</small>"
        + (f"<br><small>{esc(_t(lang, 'Conseil : ', 'Hint: '))}{esc(_t(lang, *hint))}</small>" if hint else "")
        + "</li>"
    )


def numbered(text: str, marked: dict[int, list[str]], lang: str) -> str:
    """The text with a number per line; the lines with findings highlighted and linked back to them."""
    rows = []
    for number, line in enumerate(text.splitlines() or [""], start=1):
        findings = marked.get(number)
        mark = ' class="bad"' if findings else ""
        back = "".join(
            f' <a href="#{f}" aria-label="{esc(_t(lang, "voir le problème", "see the problem"))}">↑</a>' for f in findings or []
        )
        rows.append(f'<div id="line-{number}"{mark}><span class="n">{number}</span>{esc(line)}{back}</div>')
    return f'<div class="lines" role="region" aria-label="{esc(_t(lang, "Texte soumis, lignes numérotées", "Submitted text, numbered lines"))}" tabindex="0">{"".join(rows)}</div>'


def ingested_section(graphs: list[tuple[str, str]], replaced: list[str], links: Links, lang: str) -> str:
    items = "".join(
        f"<li>{links.a(initiative)} — {esc(_t(lang, 'graphe', 'graph'))} <code>{esc(graph)}</code>"
        + (f" ({esc(_t(lang, 'remplacé', 'replaced'))})" if graph in replaced else "")
        + "</li>"
        for graph, initiative in graphs
    )
    return (
        f'<p class="ok" role="status">{esc(_t(lang, "Cas versé dans le graphe :", "Case put in the graph:"))}</p><ul>{items}</ul>'
    )
