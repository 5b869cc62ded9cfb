"""Small, dependency-free HTML: escaping, links, tables and one page layout.

Every text goes through :func:`esc`; pages are self-contained (inline style, no
script), readable in any browser and by screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f4f4}.iri{color:#666;font-size:.85rem;word-break:break-all}
.level-present{color:#1a6b1a}.level-en-cours{color:#8a6d00}.level-absent{color:#a11}nav a{margin-right:1rem}
code{background:#f4f4f4;padding:0 .2rem}
"""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


class Links:
    """Where a page links an IRI to: isgraph's own IRIs to their path on this server
    (so a reader can browse offline), any other IRI to its description here."""

    def __init__(self, base: str) -> None:
        self.base = base

    def href(self, iri: str) -> str:
        """A link that stays on this server whatever the IRI: its path here, or its description
        (``/resource?iri=…``). A path that would start with ``/`` or ``\\`` (a link to another
        site for a browser) takes the second form.

        >>> links = Links("https://w3id.org/isgraph/")
        >>> links.href("https://w3id.org/isgraph/id/actor/a")
        '/id/actor/a'
        >>> links.href("https://w3id.org/isgraph//evil.example/x")
        '/resource?iri=https%3A%2F%2Fw3id.org%2Fisgraph%2F%2Fevil.example%2Fx'
        >>> links.href("javascript:alert(1)")
        '/resource?iri=javascript%3Aalert%281%29'
        """
        rest = iri[len(self.base) :] if iri.startswith(self.base) else ""
        if rest and rest[0] not in "/\\":
            return "/" + rest
        return "/resource?iri=" + quote(iri, safe="")

    def a(self, iri: str, text: str | None = None) -> str:
        return f'<a href="{esc(self.href(iri))}">{esc(text or iri)}</a>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], empty: str) -> str:
    """A table whose cells are already HTML."""
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    if not body:
        return f"<p>{esc(empty)}</p>"
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str, lang: str, *, other_language: str, subtitle: str = "", iri: str | None = None) -> str:
    """A whole page; ``other_language`` is the address of the same page in the other language."""
    nav = (
        '<nav><a href="/">isgraph</a><a href="/cases">{cases}</a><a href="/api/queries">{queries}</a>'
        '<a href="/sparql">SPARQL</a><a href="/dataset">{dataset}</a></nav>'
    ).format(
        cases="Cas" if lang == "fr" else "Cases",
        queries="Requêtes" if lang == "fr" else "Queries",
        dataset="Jeu de données" if lang == "fr" else "Dataset",
    )
    other = "en" if lang == "fr" else "fr"
    switch = f'<p><a href="{esc(other_language)}" hreflang="{other}">{"English" if other == "en" else "Français"}</a></p>'
    iri_line = f'<p class="iri">{esc(iri)}</p>' if iri else ""
    sub = f"<p>{esc(subtitle)}</p>" if subtitle else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
        f"<style>{STYLE}</style></head><body>{nav}<h1>{esc(title)}</h1>{iri_line}{sub}{switch}{body}</body></html>"
    )
