"""Match proposals and decisions as a steward reads them: text, CSV, JSON, or one
self-contained HTML page that explains each proposal."""

from __future__ import annotations

import csv
import io
import json
from html import escape as esc

from isgraph.federation.matching import Actor, Candidate, Decision
from isgraph.messages import Message

MATCH_FORMATS = ("text", "csv", "json", "html")


def _t(lang: str, fr: str, en: str) -> str:
    return fr if lang == "fr" else en


def _who(actor: Actor) -> str:
    return f"{actor.label()} [{', '.join(sorted(actor.sources))}] <{actor.iri}>"


def render_matches(found: list[Candidate], decisions: dict[str, Decision], fmt: str, lang: str) -> str:
    if fmt == "json":
        return (
            json.dumps(
                {
                    "candidates": [
                        {
                            "id": c.id,
                            "score": c.score,
                            "first": c.first.iri,
                            "second": c.second.iri,
                            "first_label": c.first.label(),
                            "second_label": c.second.label(),
                            "first_sources": sorted(c.first.sources),
                            "second_sources": sorted(c.second.sources),
                            "evidence": [m.as_dict() for m in c.evidence],
                        }
                        for c in found
                    ],
                    "decisions": [
                        {
                            "id": d.id,
                            "first": d.first,
                            "second": d.second,
                            "accepted": d.accepted,
                            "by": d.by,
                            "when": d.when,
                            "score": d.score,
                        }
                        for d in sorted(decisions.values(), key=lambda d: d.id)
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ["id", "score", "first", "first_label", "first_sources", "second", "second_label", "second_sources", "evidence"]
        )
        for c in found:
            writer.writerow(
                [
                    c.id,
                    f"{c.score:.3f}",
                    c.first.iri,
                    c.first.label(),
                    " ".join(sorted(c.first.sources)),
                    c.second.iri,
                    c.second.label(),
                    " ".join(sorted(c.second.sources)),
                    "; ".join(m.text(lang) for m in c.evidence),
                ]
            )
        return out.getvalue()
    if fmt == "html":
        return _html(found, decisions, lang)
    lines = []
    for c in found:
        lines.append(f"{c.id}  {c.score:.2f}  {_who(c.first)}")
        lines.append(f"{' ' * 18}{_who(c.second)}")
        lines += [f"{' ' * 18}- {m.text(lang)}" for m in c.evidence]
    count = len(found)
    lines.append(
        _t(
            lang,
            f"{count} proposition(s) en attente ; décidez avec « isgraph matches --accept ID » ou « --reject ID »",
            f'{count} pending proposal(s); decide with "isgraph matches --accept ID" or "--reject ID"',
        )
    )
    return "\n".join(lines) + "\n"


def _html(found: list[Candidate], decisions: dict[str, Decision], lang: str) -> str:
    rows = "".join(
        f"<tr><td><code>{esc(c.id)}</code></td><td>{c.score:.2f}</td>"
        f"<td>{esc(c.first.label())}<br><small>{esc(', '.join(sorted(c.first.sources)))} · {esc(c.first.iri)}</small></td>"
        f"<td>{esc(c.second.label())}<br><small>{esc(', '.join(sorted(c.second.sources)))} · {esc(c.second.iri)}</small></td>"
        f"<td><ul>{''.join(f'<li>{esc(m.text(lang))}</li>' for m in c.evidence)}</ul></td></tr>"
        for c in found
    )
    decided = "".join(
        f"<tr><td><code>{esc(d.id)}</code></td><td>{esc(_t(lang, 'accepté', 'accepted') if d.accepted else _t(lang, 'rejeté', 'rejected'))}</td>"
        f"<td>{esc(d.first)}</td><td>{esc(d.second)}</td><td>{esc(d.by)}</td><td>{esc(d.when)}</td></tr>"
        for d in sorted(decisions.values(), key=lambda d: d.when)
    )
    how = Message(
        "Chaque proposition réunit deux acteurs de sources différentes. Score 1 : un identifiant partagé (SIREN, SIRET, RNA, "
        "Wikidata) ; 0,9 : le même nom une fois normalisé (accents, casse, formes juridiques retirés), 0,95 dans le même "
        "département ; entre 0,84 et 0,9 : des noms proches (distance d'édition) dans le même département. Deux identifiants "
        "différents d'une même sorte excluent la proposition.",
        "Each proposal pairs two actors of different sources. Score 1: a shared identifier (SIREN, SIRET, RNA, Wikidata); "
        "0.9: the same name once normalised (accents, case, legal forms removed), 0.95 in the same département; between "
        "0.84 and 0.9: close names (edit distance) in the same département. Two different identifiers of one kind rule "
        "the proposal out.",
    )
    heads = [
        _t(lang, h[0], h[1])
        for h in (("id", "id"), ("score", "score"), ("acteur", "actor"), ("acteur", "actor"), ("indices", "evidence"))
    ]
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>isgraph matches</title>'
        "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}</style></head><body>"
        f"<h1>{esc(_t(lang, 'Acteurs peut-être identiques', 'Actors that may be the same'))}</h1>"
        f"<p>{esc(how.text(lang))}</p><table><tr>{''.join(f'<th>{esc(h)}</th>' for h in heads)}</tr>{rows}</table>"
        f"<h2>{esc(_t(lang, 'Décisions', 'Decisions'))}</h2><table>{decided}</table></body></html>\n"
    )
