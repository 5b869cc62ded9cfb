"""Classification verdicts as a reader wants them: a table of cases × profiles with
the reasons for every "no", JSON (one object per case and profile), CSV, or Turtle
(the graph of inferences)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from isgraph.messages import Message
from isgraph.namespaces import PREFIXES
from isgraph.rdf.writing import serialize
from isgraph.reason.classification import Classification, Shortfall, as_json, inference_triples

CLASSIFY_FORMATS = ("table", "json", "csv", "turtle")


def render_classification(classification: Classification, fmt: str, lang: str, labels: dict[str, Message] | None = None) -> str:
    labels = labels or {}
    if fmt == "json":
        return json.dumps(as_json(classification), ensure_ascii=False, indent=2) + "\n"
    if fmt == "turtle":
        return serialize(inference_triples(classification), ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["case", "label", "profile", "qualifies", "missing"])
        for v in classification.verdicts:
            writer.writerow(
                [
                    v.case,
                    v.label.text(lang),
                    v.profile.name,
                    "true" if v.qualifies else "false",
                    " ; ".join(reason(s, lang, labels) for s in v.shortfalls),
                ]
            )
        return out.getvalue()
    return table(classification, lang, labels)


def _name(iri: str, labels: dict[str, Message], lang: str) -> str:
    return labels[iri].text(lang) if iri in labels else iri.rsplit("/", 1)[-1]


def reason(shortfall: Shortfall, lang: str, labels: dict[str, Message]) -> str:
    """One missing requirement in words: what is required, and what was found."""
    requirement = shortfall.requirement
    if not requirement.elements:
        return requirement.label.text(lang)
    found = ", ".join(_name(level, labels, lang) for level in shortfall.found)
    if not found:
        found = "aucune évaluation" if lang == "fr" else "no assessment"
    return (
        f"{requirement.label.text(lang)} (trouvé : {found})"
        if lang == "fr"
        else f"{requirement.label.text(lang)} (found: {found})"
    )


def table(classification: Classification, lang: str, labels: dict[str, Message]) -> str:
    profiles = classification.profiles
    cases: dict[str, str] = {}
    cells: dict[tuple[str, str], str] = {}
    yes, no = ("oui", "non") if lang == "fr" else ("yes", "no")
    for v in classification.verdicts:
        cases.setdefault(v.case, v.label.text(lang))
        cells[(v.case, v.profile.iri)] = yes if v.qualifies else no
    heads = [p.label.text(lang) for p in profiles]
    first = max([len("cas" if lang == "fr" else "case"), *(len(c) for c in cases.values())])
    widths = [max(len(h), 3) for h in heads]
    lines = [
        "  ".join(
            [("cas" if lang == "fr" else "case").ljust(first), *(h.ljust(w) for h, w in zip(heads, widths, strict=False))]
        ).rstrip()
    ]
    for case, label in cases.items():
        lines.append(
            "  ".join(
                [label.ljust(first), *(cells[(case, p.iri)].ljust(w) for p, w in zip(profiles, widths, strict=False))]
            ).rstrip()
        )
    gaps = [v for v in classification.verdicts if not v.qualifies]
    if gaps:
        lines.append("")
        lines.append("Pourquoi non :" if lang == "fr" else "Why not:")
        for v in gaps:
            lines.append(f"  {v.label.text(lang)} — {v.profile.label.text(lang)}{' :' if lang == 'fr' else ':'}")
            lines.extend(f"    - {reason(s, lang, labels)}" for s in v.shortfalls)
    method = Message(
        f"classé par {classification.method} en {classification.seconds:.1f} s",
        f"classified by {classification.method} in {classification.seconds:.1f} s",
    )
    lines.append(f"({method.text(lang)})")
    return "\n".join(lines) + "\n"
