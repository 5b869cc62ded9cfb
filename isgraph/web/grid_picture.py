"""The characterisation grid of a case as a picture: the four stages side by side, each
with its elements, every element coloured by its level, the statement on hover, and a
legend. A case characterised at several dates gets one picture per date, side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from isgraph.namespaces import LEVEL
from isgraph.web.charts import LEVEL_COLOURS
from isgraph.web.html import esc, shorten

#: Text colours that keep a contrast of at least 4.5:1 on each level's colour.
_INK = {"present": "#ffffff", "en-cours": "#1f1f1f", "absent": "#ffffff", "non-renseigne": "#1f1f1f"}
_COLUMN, _HEADER, _BOX, _GAP = 190, 46, 74, 6


@dataclass(frozen=True)
class GridElement:
    iri: str
    notation: str
    label: str
    stage: str


@dataclass(frozen=True)
class Stage:
    iri: str
    notation: str
    label: str


@dataclass
class Characterisation:
    """One dated characterisation: each element's level (IRI) and statements."""

    date: str | None
    levels: dict[str, str] = field(default_factory=dict)
    statements: dict[str, list[str]] = field(default_factory=dict)


def level_key(level_iri: str) -> str:
    return level_iri.rsplit("/", 1)[-1]


def grid_svg(
    stages: list[Stage],
    elements: list[GridElement],
    characterisation: Characterisation,
    level_labels: dict[str, str],
    lang: str,
    ident: str,
) -> str:
    fr = lang == "fr"
    rows = max((sum(1 for e in elements if e.stage == s.iri) for s in stages), default=0)
    width = _COLUMN * len(stages)
    height = _HEADER + rows * (_BOX + _GAP)
    when = characterisation.date or ("sans date" if fr else "undated")
    title = f"Grille de caractérisation ({when})" if fr else f"Characterisation grid ({when})"
    counts: dict[str, int] = {}
    for assessed in characterisation.levels.values():
        counts[assessed] = counts.get(assessed, 0) + 1
    summary = ", ".join(
        f"{level_labels.get(k, level_key(k))} : {n}" if fr else f"{level_labels.get(k, level_key(k))}: {n}"
        for k, n in sorted(counts.items())
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" style="max-width:100%;height:auto" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" class="grid-picture">'
        f'<title id="{ident}-title">{esc(title)}</title><desc id="{ident}-desc">{esc(summary)}</desc>'
    ]
    for column, stage in enumerate(stages):
        x = column * _COLUMN
        out.append(
            f'<rect x="{x + 2}" y="2" width="{_COLUMN - 4}" height="{_HEADER - 8}" fill="#e8eef6" stroke="#5a6b80"/>'
            f'<text x="{x + _COLUMN / 2}" y="{_HEADER / 2 + 1}" text-anchor="middle" font-size="13" font-weight="bold">'
            f"{esc(stage.notation)}. {esc(shorten(stage.label, 22))}<title>{esc(stage.label)}</title></text>"
        )
        for row, element in enumerate(e for e in elements if e.stage == stage.iri):
            y = _HEADER + row * (_BOX + _GAP)
            level = characterisation.levels.get(element.iri)
            key = level_key(level) if level else ""
            fill = LEVEL_COLOURS.get(key, "#ffffff")
            ink = _INK.get(key, "#1f1f1f")
            level_text = level_labels.get(level, key) if level else ("non évalué" if fr else "not assessed")
            said = " · ".join(characterisation.statements.get(element.iri, []))
            hover = f"{element.notation} {element.label} — {level_text}" + (f"\n« {said} »" if said else "")
            lines = _wrap(element.label, 22)[:2]
            texts = "".join(
                f'<text x="{x + 10}" y="{y + 20 + i * 16}" font-size="13" fill="{ink}">{esc((element.notation + " ") if i == 0 else "")}{esc(line)}</text>'
                for i, line in enumerate(lines)
            )
            dash = ' stroke-dasharray="4 3"' if not level else ""
            out.append(
                f'<g class="element" data-element="{esc(element.iri)}" data-level="{esc(key)}"><title>{esc(hover)}</title>'
                f'<rect x="{x + 2}" y="{y}" width="{_COLUMN - 4}" height="{_BOX}" rx="4" fill="{fill}" stroke="#333"{dash}/>'
                f"{texts}"
                f'<text x="{x + 10}" y="{y + _BOX - 10}" font-size="12" font-style="italic" fill="{ink}">{esc(level_text)}</text></g>'
            )
    out.append("</svg>")
    return "".join(out)


def legend(level_labels: dict[str, str], lang: str) -> str:
    """The levels and their colours, as a list (text, not only colour)."""
    items = "".join(
        f'<li style="display:inline-block;margin-right:1rem"><span aria-hidden="true" style="display:inline-block;width:1rem;height:1rem;'
        f'vertical-align:middle;border:1px solid #333;background:{colour}"></span> {esc(level_labels.get(iri, key))}</li>'
        for key, colour in LEVEL_COLOURS.items()
        for iri in [LEVEL[key]]
    )
    title = "Légende" if lang == "fr" else "Legend"
    return f'<ul aria-label="{title}" style="list-style:none;padding:0">{items}</ul>'


def _wrap(text: str, size: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= size:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], shorten(" ".join(lines[1:]), size)]
    return lines
