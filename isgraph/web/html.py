"""Small, dependency-free HTML: escaping, links, tables and one page layout.

Every text goes through :func:`esc`; pages are self-contained (inline style, no
script), readable in any browser and by screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote

import pyoxigraph as ox

STYLE = """
body{font-family:system-ui,sans-serif;max-width:72rem;margin:0 auto;padding:0 1rem 2rem;color:#1f1f1f;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f0f0f0}.iri{color:#555;font-size:.85rem;word-break:break-all}
.level-present{color:#1a6b1a}.level-en-cours{color:#7a5c00}.level-absent{color:#a11}
header nav{padding:.6rem 0;border-bottom:1px solid #ccc}header nav a{margin-right:1rem}
a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #d35400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem}
code,pre{background:#f4f4f4;padding:0 .2rem}pre{padding:.5rem;overflow-x:auto}
form.params{display:grid;grid-template-columns:max-content 1fr;gap:.4rem .8rem;align-items:center;margin:1rem 0}
form.params .hint{grid-column:2;color:#555;font-size:.9rem;margin-top:-.3rem}
input[type=text],input[type=password],select,textarea{font:inherit;padding:.2rem;max-width:100%}textarea{font-family:ui-monospace,monospace;font-size:.9rem}form.params select,form.params input{max-width:36rem}
button{font:inherit;padding:.3rem .9rem;cursor:pointer}
.side{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.side>*{flex:1 1 28rem;min-width:0}
.error{color:#a11;font-weight:bold}.note{color:#555}.pager a,.pager span{margin-right:.8rem}
figure{margin:1rem 0}figcaption{font-weight:bold;margin-bottom:.3rem}svg a:focus{outline:3px solid #d35400}
.lines{font-family:ui-monospace,monospace;font-size:.9rem;border:1px solid #ccc;overflow-x:auto}
.lines div{white-space:pre}.lines .bad{background:#fde2e1}.lines span.n{display:inline-block;width:3.5rem;
color:#555;text-align:right;padding-right:.6rem;user-select:none}
dl.terms dt{font-weight:bold;margin-top:1rem}dl.terms dd{margin-left:1rem}
"""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def in_lang(lang: str, fr: str, en: str) -> str:
    """The French or the English text, for the page's language."""
    return fr if lang == "fr" else en


def shorten(text: str, size: int) -> str:
    """``text`` cut to ``size`` characters with an ellipsis (a label in a picture; its whole text goes in its title)."""
    return text if len(text) <= size else text[: size - 1] + "…"


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

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | None, labels: dict[str, str], *, tagged: bool = True) -> str:
        """A term in a page: an IRI as a link named by its label, a blank node as ``_:id``, a
        literal as its text (with its language tag when ``tagged``); nothing for an unbound one."""
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return self.a(term.value, labels.get(term.value))
        if isinstance(term, ox.BlankNode):
            return esc(f"_:{term.value}")
        suffix = f' <span class="iri">@{esc(term.language)}</span>' if tagged and term.language else ""
        return esc(term.value) + suffix


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], empty: str) -> str:
    """A table whose cells are already HTML."""
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    if not body:
        return f"<p>{esc(empty)}</p>"
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


#: The sections of the site, in the navigation of every page: (path, French, English).
SECTIONS = (
    ("/cases", "Cas", "Cases"),
    ("/queries", "Requêtes", "Queries"),
    ("/map", "Carte", "Map"),
    ("/sparql", "SPARQL", "SPARQL"),
    ("/steward", "Déposer un cas", "Submit a case"),
    ("/ontology", "Ontologie", "Ontology"),
    ("/shapes", "Formes", "Shapes"),
    ("/dataset", "Jeu de données", "Dataset"),
)


def page(
    title: str,
    body: str,
    lang: str,
    *,
    other_language: str,
    subtitle: str = "",
    iri: str | None = None,
    head: str = "",
) -> str:
    """A whole page; ``other_language`` is the address of the same page in the other language;
    ``head`` goes in the page's head (a stylesheet of its own, for the SPARQL editor)."""
    fr = lang == "fr"
    links = "".join(f'<a href="{path}">{esc(french if fr else english)}</a>' for path, french, english in SECTIONS)
    nav = f'<nav aria-label="Sections"><a href="/">isgraph</a>{links}</nav>'
    skip = f'<a class="skip" href="#main">{"Aller au contenu" if fr else "Skip to content"}</a>'
    other = "en" if fr else "fr"
    switch = f'<p><a href="{esc(other_language)}" hreflang="{other}" lang="{other}">{"English" if other == "en" else "Français"}</a></p>'
    iri_line = f'<p class="iri">{esc(iri)}</p>' if iri else ""
    sub = f"<p>{esc(subtitle)}</p>" if subtitle else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)} · isgraph</title>'
        f'<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><style>{STYLE}</style>{head}</head>'
        f"<body>{skip}<header>{nav}</header>"
        f'<main id="main"><h1>{esc(title)}</h1>{iri_line}{sub}{switch}{body}</main></body></html>'
    )
