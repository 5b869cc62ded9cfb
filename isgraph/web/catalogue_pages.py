"""The query catalogue for browsers: the list of questions, and each question as a form
whose results come as a table (labels, links to the linked-data pages, pages of
:data:`PAGE_SIZE` rows, CSV and JSON downloads) with its chart when it has one.

Clients that ask for data get the API's answer at the same addresses (``/api/queries…``);
these pages are what a browser gets there and at ``/queries…``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import pyoxigraph as ox

from isgraph.namespaces import LEVEL, SKOS
from isgraph.query.catalogue import RESERVED as catalogue_reserved
from isgraph.query.catalogue import CatalogueQuery, Parameter
from isgraph.store import Collected, Store, solutions
from isgraph.store.labels import label_terms
from isgraph.web.charts import bar_chart, chart_data
from isgraph.web.html import Links, esc, table
from isgraph.web.html import in_lang as _t

#: Rows on one page of results, unless the reader asks for another size (``size``, at most :data:`MAX_PAGE_SIZE`).
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
#: Query-string names the pages keep for themselves (never a catalogue parameter).
RESERVED = catalogue_reserved


class CataloguePages:
    def __init__(self, store: Store, links: Links, queries: Mapping[str, CatalogueQuery]) -> None:
        self.store = store
        self.links = links
        self.queries = queries

    def labels(self, iris: set[str], lang: str) -> dict[str, str]:
        return {iri: term.value for iri, term in label_terms(self.store, iris, lang).items()}

    def definitions(self, iris: set[str], lang: str) -> dict[str, str]:
        """The ``skos:definition`` of each IRI in ``lang`` (the lessons and idées reçues)."""
        if not iris:
            return {}
        values = " ".join(str(ox.NamedNode(i)) for i in sorted(iris))
        found = solutions(
            self.store.query(
                f"SELECT ?x ?d WHERE {{ VALUES ?x {{ {values} }} ?x <{SKOS['definition']}> ?d FILTER (LANG(?d) = {ox.Literal(lang)}) }}"
            )
        )
        return {row["x"].value: row["d"].value for row in found}

    # --- the list --------------------------------------------------------------------------
    def list_body(self, lang: str) -> str:
        notions = {n for q in self.queries.values() for n in (q.lesson, q.misconception) if n}
        labels = self.labels(notions, lang)
        definitions = self.definitions(notions, lang)
        items = []
        for query in self.queries.values():
            notes = ""
            for iri, fr, en in ((query.lesson, "Leçon", "Lesson"), (query.misconception, "Idée reçue", "Misconception")):
                if iri:
                    said = definitions.get(iri, "")
                    notes += (
                        f'<p class="note">{esc(_t(lang, fr + " :", en + ":"))} {self.links.a(iri, labels.get(iri))}'
                        + (f" — « {esc(said)} »" if said else "")
                        + "</p>"
                    )
            tags = ", ".join(query.tags)
            items.append(
                f'<li><h2 id="{esc(query.name)}"><a href="/queries/{esc(query.name)}?lang={lang}">{esc(query.title.text(lang))}</a></h2>'
                f"<p>{esc(query.description.text(lang))}</p>{notes}"
                + (f'<p class="note">{esc(_t(lang, "Mots-clés :", "Tags:"))} {esc(tags)}</p>' if tags else "")
                + (f'<p class="note">{esc(_t(lang, "Avec un graphique.", "With a chart."))}</p>' if query.chart else "")
                + "</li>"
            )
        intro = _t(
            lang,
            f"{len(self.queries)} questions posées au graphe. Chacune est un formulaire ; ses résultats se lisent en tableau, se téléchargent en CSV ou JSON, et s'ouvrent dans l'éditeur SPARQL.",
            f"{len(self.queries)} questions put to the graph. Each is a form; its results read as a table, download as CSV or JSON, and open in the SPARQL editor.",
        )
        return f'<p>{esc(intro)}</p><ul style="list-style:none;padding:0">{"".join(items)}</ul>'

    # --- one query -------------------------------------------------------------------------
    def form(self, query: CatalogueQuery, values: Mapping[str, str], lang: str) -> str:
        fields = []
        for param in query.params:
            ident = f"param-{param.name}"
            fields.append(
                f'<label for="{ident}">{esc(param.name)}</label>{self._input(param, values.get(param.name), ident, lang)}'
                f'<span class="hint" id="{ident}-hint">{esc(param.description.text(lang))}</span>'
            )
        hidden = "" if any(p.name == "lang" for p in query.params) else f'<input type="hidden" name="lang" value="{lang}">'
        button = _t(lang, "Exécuter", "Run")
        return (
            f'<form class="params" method="get" action="/queries/{esc(query.name)}">{"".join(fields)}{hidden}'
            f'<span></span><span><button type="submit">{esc(button)}</button></span></form>'
        )

    @staticmethod
    def _input(param: Parameter, given: str | None, ident: str, lang: str) -> str:
        value = given if given is not None else (param.default or "")
        common = f'id="{ident}" name="{esc(param.name)}" aria-describedby="{ident}-hint"'
        if param.type == "boolean":
            options = "".join(f"<option{' selected' if v == value else ''}>{v}</option>" for v in ("true", "false"))
            return f"<select {common}>{options}</select>"
        if param.name == "lang":
            options = "".join(
                f'<option value="{v}"{" selected" if v == value else ""}>{n}</option>'
                for v, n in (("fr", "français"), ("en", "English"))
            )
            return f"<select {common}>{options}</select>"
        kind = {"integer": "number", "date": "date", "search": "search"}.get(param.type, "text")
        required = " required" if param.default is None else ""
        return f'<input type="{kind}" {common} value="{esc(value)}" size="50"{required}>'

    def results_body(
        self,
        query: CatalogueQuery,
        values: Mapping[str, str],
        collected: Collected,
        page_number: int,
        lang: str,
        size: int = PAGE_SIZE,
        more: bool | None = None,
    ) -> str:
        """The results as a table with its pager: ``collected`` is the whole answer (cut into
        pages here), or, with ``more`` given, the page ``page_number`` the store read itself
        (whether ``more`` rows follow it)."""
        variables, rows = collected.table()
        size = min(max(size, 1), MAX_PAGE_SIZE)
        if more is None:
            total = len(rows)
            pages: int | None = max(1, -(-total // size))
            page_number = min(max(page_number, 1), pages or 1)
            shown = rows[(page_number - 1) * size : page_number * size]
            summary = _t(lang, f"{total} ligne(s)", f"{total} row(s)")
        else:
            pages, shown = None, rows
            first = (page_number - 1) * size
            summary = (
                _t(
                    lang,
                    f"lignes {first + 1} à {first + len(shown)}" + (", d'autres suivent" if more else ""),
                    f"rows {first + 1} to {first + len(shown)}" + (", more follow" if more else ""),
                )
                if shown
                else _t(lang, "0 ligne", "0 rows")
            )
        iris = {t.value for row in shown for t in row if isinstance(t, ox.NamedNode)}
        chart_svg = ""
        if query.chart is not None:
            chart_iris = {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}
            labels = self.labels(iris | chart_iris, lang)
            data = chart_data(collected, query.chart, lambda i: labels.get(i, i), self.links.href)
            columns = {
                "present": LEVEL["present"],
                "inProgress": LEVEL["en-cours"],
                "absent": LEVEL["absent"],
                "notFilled": LEVEL["non-renseigne"],
            }
            level_names = self.labels(set(columns.values()), lang)
            series_labels = {column: level_names[iri] for column, iri in columns.items()}
            chart_svg = bar_chart(data, query.title.text(lang), lang, series_labels=series_labels, ident=f"chart-{query.name}")
        else:
            labels = self.labels(iris, lang)
        params = [(k, v) for k, v in values.items()]
        if not any(k == "lang" for k, _ in params):
            params.append(("lang", lang))
        if size != PAGE_SIZE:
            params.append(("size", str(size)))
        downloads = " · ".join(
            f'<a href="/api/queries/{esc(query.name)}?{esc(urlencode([*values.items(), ("all", "true"), ("format", fmt)]))}" download>{name}</a>'
            for fmt, name in (("csv", "CSV"), ("tsv", "TSV"), ("json", "JSON"))
        )
        editor = f'<a href="/sparql?example={esc(query.name)}&amp;lang={lang}">{esc(_t(lang, "ouvrir dans l’éditeur SPARQL", "open in the SPARQL editor"))}</a>'
        if collected.seconds is not None:
            summary += _t(lang, f" en {collected.seconds:.2f} s", f" in {collected.seconds:.2f} s")
        out = f"<p>{esc(summary)} · {_t(lang, 'télécharger :', 'download:')} {downloads} · {editor}</p>"
        grid = table(
            variables,
            ([self.links.term(term, labels, tagged=False) for term in row] for row in shown),
            _t(lang, "aucun résultat", "no result"),
        )
        pager = self._pager(query, params, page_number, pages, lang, bool(more))
        results = (
            f'<section aria-label="{esc(_t(lang, "Tableau des résultats", "Results table"))}">{pager}{grid}{pager}</section>'
        )
        if chart_svg:
            out += f'<div class="side"><figure style="flex:0 1 760px">{chart_svg}</figure>{results}</div>'
        else:
            out += results
        return out

    @staticmethod
    def _pager(
        query: CatalogueQuery, params: list[tuple[str, str]], page_number: int, pages: int | None, lang: str, more: bool
    ) -> str:
        """Links to the previous and next pages; ``pages`` None when the number of pages is
        unknown (the store reads one page at a time), ``more`` then says whether one follows."""
        last = pages if pages is not None else (page_number + 1 if more else page_number)
        if last == 1:
            return ""

        def link(number: int, text: str, rel: str) -> str:
            return f'<a rel="{rel}" href="/queries/{esc(query.name)}?{esc(urlencode([*params, ("page", str(number))]))}">{esc(text)}</a>'

        parts = []
        if page_number > 1:
            parts.append(link(page_number - 1, _t(lang, "← précédente", "← previous"), "prev"))
        where = (
            _t(lang, f"page {page_number} sur {pages}", f"page {page_number} of {pages}")
            if pages is not None
            else _t(lang, f"page {page_number}", f"page {page_number}")
        )
        parts.append(f"<span>{esc(where)}</span>")
        if page_number < last:
            parts.append(link(page_number + 1, _t(lang, "suivante →", "next →"), "next"))
        return f'<nav class="pager" aria-label="{esc(_t(lang, "Pages des résultats", "Result pages"))}">{"".join(parts)}</nav>'
