"""The SPARQL editor page: YASGUI from the package's assets (never a CDN), set up by
``assets/sparql-editor.js`` for this endpoint, a new tab prefilled with isgraph's prefixes,
and the catalogue's queries offered as examples. Without scripts, a plain form remains.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from isgraph.errors import InputError
from isgraph.namespaces import sparql_prefixes
from isgraph.query.catalogue import CatalogueQuery
from isgraph.web.html import esc
from isgraph.web.html import in_lang as _t

HEAD = '<link rel="stylesheet" href="/assets/yasgui/yasgui.min.css">'
#: The query a new tab starts with.
STARTER = "SELECT ?initiative ?label WHERE {\n  ?initiative a isg:Initiative ; rdfs:label ?label .\n}\nORDER BY ?initiative"


def examples(queries: Sequence[CatalogueQuery], lang: str) -> list[dict[str, str]]:
    """Each catalogue query with its parameters at their defaults (as written when one has none)."""
    out = []
    for query in queries:
        try:
            text = query.bind()
        except InputError:
            text = query.sparql
        out.append({"name": query.name, "title": query.title.text(lang), "query": text.strip() + "\n"})
    return out


def page_body(endpoint: str, lang: str, queries: Sequence[CatalogueQuery], example: str | None) -> str:
    starter = sparql_prefixes() + "\n" + STARTER
    listed = examples(queries, lang)
    config = {
        "endpoint": endpoint,
        "query": starter,
        "examples": listed,
        "example": example,
        "tabName": _t(lang, "Requête", "Query"),
    }
    # "</" cannot end the JSON block early: every "<" is written as \u003c
    data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    options = "".join(
        f'<option value="{esc(e["name"])}"{" selected" if e["name"] == example else ""}>{esc(e["title"])}</option>'
        for e in listed
    )
    chooser = (
        f'<p><label for="isgraph-examples">{esc(_t(lang, "Exemples du catalogue :", "Examples from the catalogue:"))}</label> '
        f'<select id="isgraph-examples"><option value="">—</option>{options}</select></p>'
    )
    intro = _t(
        lang,
        "Interrogez le graphe en SPARQL 1.1. Les préfixes d'isgraph sont déclarés pour vous ; les résultats se lisent en tableau ou se téléchargent.",
        "Query the graph in SPARQL 1.1. isgraph's prefixes are declared for you; results read as a table or download.",
    )
    fallback = (
        '<noscript><form method="get" action="/sparql"><p><label for="plain-query">SPARQL</label></p>'
        f'<textarea id="plain-query" name="query" rows="14" cols="100">{esc(starter)}</textarea>'
        '<p><label for="plain-format">Format</label> <select id="plain-format" name="format"><option>json</option><option>csv</option>'
        f"<option>tsv</option><option>xml</option></select> <button>{esc(_t(lang, 'Exécuter', 'Run'))}</button></p></form></noscript>"
    )
    return (
        f"<p>{esc(intro)}</p>{chooser}"
        f'<div id="yasgui" aria-label="{esc(_t(lang, "Éditeur SPARQL", "SPARQL editor"))}"></div>{fallback}'
        f'<script type="application/json" id="isgraph-editor-config">{data}</script>'
        '<script src="/assets/yasgui/yasgui.min.js"></script><script src="/assets/sparql-editor.js"></script>'
    )
