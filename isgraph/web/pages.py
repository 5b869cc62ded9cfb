"""Readable pages for the things of the graph: a case with its grid, actors,
territory and resources; an actor with the initiatives it takes part in; a
territory with its place in the hierarchy and its initiatives; an ontology term
or a concept with its labels and definitions. Every page also lists all that
the graph states about the thing and what points to it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from isgraph.namespaces import DCTERMS, ISG, LEVEL, ONTOLOGY_IRI, RDF, RDFS, SKOS
from isgraph.reason.classification import INFERENCES, outdated_since
from isgraph.store import Store, Term, solutions
from isgraph.store.labels import label_terms
from isgraph.web.docs_pages import Documentation
from isgraph.web.grid_picture import Characterisation, GridElement, Stage, grid_svg, legend
from isgraph.web.html import Links, esc, page, table
from isgraph.web.html import in_lang as _t
from isgraph.web.network_picture import MAX_INITIATIVES, case_neighbourhood, network_svg, territory_network

_TEXTS = (DCTERMS["title"], SKOS["definition"], RDFS["comment"], DCTERMS["description"])


def _value(term: Term | None) -> str:
    """The text of a term (an IRI, a label, a literal's lexical form); empty when unbound."""
    return term.value if term is not None else ""


#: How many of the territories a territory contains its page lists.
_LISTED = 200


class Pages:
    def __init__(self, store: Store, links: Links) -> None:
        self.store = store
        self.links = links

    # --- looking things up -------------------------------------------------------------
    def _rows(self, sparql: str) -> list[dict[str, Term | None]]:
        """Each row with every variable of the query (None where unbound)."""
        found = solutions(self.store.query(sparql))
        names = [v.value for v in found.variables]
        return [{n: term if isinstance(term := row[n], Term) else None for n in names} for row in found]

    def labels(self, iris: Iterable[str], lang: str) -> dict[str, str]:
        """The label of each IRI in ``lang``, else in the other, else its local name (see
        :mod:`isgraph.store.labels`)."""
        return {iri: label.value for iri, label in label_terms(self.store, iris, lang).items()}

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | None, labels: dict[str, str]) -> str:
        return self.links.term(term, labels)

    # --- the page ------------------------------------------------------------------------
    def resource(self, iri: str, lang: str, other_language: str) -> str | None:
        """The page for ``iri``, or None when the graph knows nothing of it."""
        node = str(ox.NamedNode(iri))
        if iri == ONTOLOGY_IRI:
            return self.ontology(lang, other_language)
        outgoing = self._rows(f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }} ORDER BY ?p ?o")
        # what a territory contains is listed in its own section
        incoming = self._rows(
            f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} FILTER (?p != <{ISG['within']}>) }} ORDER BY ?p ?s LIMIT 500"
        )
        if not outgoing and not incoming:
            return None
        types = {o.value for r in outgoing if (o := r["o"]) is not None and r["p"] == ox.NamedNode(RDF["type"])}
        mentioned = {iri} | {t.value for r in outgoing + incoming for t in r.values() if isinstance(t, ox.NamedNode)}
        labels = self.labels(mentioned, lang)
        texts = [
            o.value
            for r in outgoing
            if (p := r["p"]) is not None
            and p.value in _TEXTS
            and isinstance(o := r["o"], ox.Literal)
            and o.language in (lang, None)
        ]
        sections = "".join(f"<p>{esc(text)}</p>" for text in texts)
        if ISG["Initiative"] in types:
            sections += self.case_sections(node, lang)
        if types & self._kinds_of("Actor"):
            sections += self.actor_sections(node, lang)
        if types & self._kinds_of("Territory"):
            sections += self.territory_sections(node, lang)
        sections += "<h2>" + _t(lang, "Tout ce que dit le graphe", "Everything the graph states") + "</h2>"
        sections += table(
            [_t(lang, "propriété", "property"), _t(lang, "valeur", "value")],
            ([self.term(r["p"], labels), self.term(r["o"], labels)] for r in outgoing),
            _t(lang, "rien", "nothing"),
        )
        if incoming:
            sections += "<h2>" + _t(lang, "Ce qui y renvoie", "What points to it") + "</h2>"
            sections += table(
                [_t(lang, "sujet", "subject"), _t(lang, "propriété", "property")],
                ([self.term(r["s"], labels), self.term(r["p"], labels)] for r in incoming),
                "",
            )
        type_names = ", ".join(labels.get(t, t) for t in sorted(types))
        return page(labels.get(iri, iri), sections, lang, other_language=other_language, subtitle=type_names, iri=iri)

    def _kinds_of(self, name: str) -> set[str]:
        """isgraph's class ``name`` and its subclasses, as the ontology in the store says."""
        rows = self._rows(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS['subClassOf']}>* <{ISG[name]}> }}")
        return {_value(r["c"]) for r in rows} | {ISG[name]}

    def case_sections(self, node: str, lang: str) -> str:
        grid = self._rows(f"""
            SELECT DISTINCT ?stage ?element ?level ?statement WHERE {{
              ?c <{ISG["characterises"]}> {node} ; <{ISG["hasElementAssessment"]}> ?a .
              ?a <{ISG["element"]}> ?element ; <{ISG["level"]}> ?level .
              OPTIONAL {{ ?element <{ISG["stage"]}> ?stage }}
              OPTIONAL {{ ?element <{SKOS["notation"]}> ?notation }}
              OPTIONAL {{ ?a <{ISG["statement"]}> ?statement }}
            }} ORDER BY ?notation ?element ?statement""")
        people = self._rows(f"""
            SELECT DISTINCT ?actor ?role WHERE {{
              ?p <{ISG["participationIn"]}> {node} ; <{ISG["participant"]}> ?actor ; <{ISG["role"]}> ?role .
            }} ORDER BY ?role ?actor""")
        resources = self._rows(f"""
            SELECT DISTINCT ?principle ?provider ?wording ?amount WHERE {{
              ?r <{ISG["contributionTo"]}> {node} ; <{ISG["principle"]}> ?principle .
              OPTIONAL {{ ?r <{ISG["provider"]}> ?provider }} OPTIONAL {{ ?r <{ISG["sourceWording"]}> ?wording }}
              OPTIONAL {{ ?r <{ISG["amount"]}> ?amount }}
            }} ORDER BY ?principle ?provider""")
        places = self._rows(f"SELECT DISTINCT ?t WHERE {{ {node} <{ISG['territory']}> ?t }}")
        profiles = self._rows(
            f"SELECT DISTINCT ?profile WHERE {{ GRAPH <{INFERENCES}> {{ {node} a ?profile }} }} ORDER BY ?profile"
        )
        rows = grid + people + resources + places + profiles
        labels = self.labels({t.value for r in rows for t in r.values() if isinstance(t, ox.NamedNode)}, lang)
        out = "<h2>" + _t(lang, "Territoire", "Territory") + "</h2><p>"
        out += ", ".join(self.term(r["t"], labels) for r in places) or _t(lang, "non renseigné", "not given")
        out += "</p><h2>" + _t(lang, "Grille de caractérisation", "Characterisation grid") + "</h2>"
        out += self.grid_pictures(node, lang)
        out += table(
            [
                _t(lang, "étape", "stage"),
                _t(lang, "élément", "element"),
                _t(lang, "niveau", "level"),
                _t(lang, "énoncé", "statement"),
            ],
            (
                [
                    self.term(r["stage"], labels),
                    self.term(r["element"], labels),
                    f'<span class="level-{esc(_value(r["level"]).rsplit("/", 1)[-1])}">{self.term(r["level"], labels)}</span>',
                    self.term(r["statement"], labels),
                ]
                for r in grid
            ),
            _t(lang, "aucune caractérisation", "no characterisation"),
        )
        out += "<h2>" + _t(lang, "Acteurs et rôles", "Actors and roles") + "</h2>"
        out += table(
            [_t(lang, "acteur", "actor"), _t(lang, "rôle", "role")],
            ([self.term(r["actor"], labels), self.term(r["role"], labels)] for r in people),
            _t(lang, "aucun acteur", "no actor"),
        )
        graph = case_neighbourhood(self.store, node[1:-1])
        if graph.number_of_nodes() > 1:
            title = _t(
                lang, "Réseau : ses acteurs et leurs autres initiatives", "Network: its actors and their other initiatives"
            )
            out += f"<h2>{esc(title)}</h2>" + network_svg(
                graph, self.store, self.links, lang, title, "network", centre=node[1:-1]
            )
        out += "<h2>" + _t(lang, "Ressources", "Resources") + "</h2>"
        out += table(
            [
                _t(lang, "principe", "principle"),
                _t(lang, "apporteur", "provider"),
                _t(lang, "termes", "wording"),
                _t(lang, "montant", "amount"),
            ],
            (
                [
                    self.term(r["principle"], labels),
                    self.term(r["provider"], labels),
                    self.term(r["wording"], labels),
                    self.term(r["amount"], labels),
                ]
                for r in resources
            ),
            _t(lang, "aucune ressource décrite", "no resource described"),
        )
        if profiles:
            out += "<h2>" + _t(lang, "Se qualifie sous les profils", "Qualifies under the profiles") + "</h2><p>"
            out += ", ".join(self.term(r["profile"], labels) for r in profiles) + "</p>"
            since = outdated_since(self.store)
            if since:
                out += '<p class="outdated">' + esc(_t(
                    lang,
                    f"Classement périmé : des cas ont changé depuis le {since} ; « isgraph classify » le recalcule.",
                    f'Out of date: cases have changed since {since}; "isgraph classify" recomputes it.',
                )) + "</p>"  # fmt: skip
        return out

    def grid_pictures(self, node: str, lang: str) -> str:
        """The grid of each of the case's characterisations as a picture, the oldest first."""
        assessed = self._rows(f"""
            SELECT ?c ?date ?element ?level ?statement WHERE {{
              ?c <{ISG["characterises"]}> {node} ; <{ISG["hasElementAssessment"]}> ?a .
              OPTIONAL {{ ?c <{ISG["assessmentDate"]}> ?date }}
              ?a <{ISG["element"]}> ?element ; <{ISG["level"]}> ?level .
              OPTIONAL {{ ?a <{ISG["statement"]}> ?statement }}
            }} ORDER BY ?date ?c ?statement""")
        if not assessed:
            return ""
        structure = self._rows(f"""
            SELECT ?element ?notation ?stage ?stageNotation WHERE {{
              ?element a <{ISG["GridElement"]}> ; <{ISG["stage"]}> ?stage ; <{SKOS["notation"]}> ?notation .
              ?stage <{SKOS["notation"]}> ?stageNotation .
            }} ORDER BY ?notation""")
        levels = [LEVEL[k] for k in ("present", "en-cours", "absent", "non-renseigne")]
        labels = self.labels({_value(r[k]) for r in structure for k in ("element", "stage")} | set(levels), lang)
        stages: dict[str, Stage] = {}
        elements = []
        for r in structure:
            stage = _value(r["stage"])
            stages.setdefault(stage, Stage(stage, _value(r["stageNotation"]), labels.get(stage, stage)))
            elements.append(GridElement(_value(r["element"]), _value(r["notation"]), labels.get(_value(r["element"]), ""), stage))
        characterisations: dict[str, Characterisation] = {}
        for r in assessed:
            found = characterisations.setdefault(_value(r["c"]), Characterisation(_value(r["date"]) or None))
            element = _value(r["element"])
            found.levels[element] = _value(r["level"])
            if r["statement"] is not None:
                found.statements.setdefault(element, []).append(_value(r["statement"]))
        ordered = sorted(stages.values(), key=lambda s: s.notation)
        figures = "".join(
            f'<figure style="flex:0 1 760px"><figcaption>{esc(c.date or _t(lang, "sans date", "undated"))}</figcaption>'
            f"{grid_svg(ordered, elements, c, labels, lang, f'grid-{n}')}</figure>"
            for n, c in enumerate(sorted(characterisations.values(), key=lambda c: c.date or ""))
        )
        return f'<div class="side">{figures}</div>{legend(labels, lang)}'

    def actor_sections(self, node: str, lang: str) -> str:
        rows = self._rows(f"""
            SELECT DISTINCT ?initiative ?role WHERE {{
              ?p <{ISG["participant"]}> {node} ; <{ISG["participationIn"]}> ?initiative ; <{ISG["role"]}> ?role .
            }} ORDER BY ?initiative ?role""")
        labels = self.labels({t.value for r in rows for t in r.values() if isinstance(t, ox.NamedNode)}, lang)
        return (
            "<h2>"
            + _t(lang, "Initiatives auxquelles il prend part", "Initiatives it takes part in")
            + "</h2>"
            + table(
                [_t(lang, "initiative", "initiative"), _t(lang, "rôle", "role")],
                ([self.term(r["initiative"], labels), self.term(r["role"], labels)] for r in rows),
                _t(lang, "aucune", "none"),
            )
        )

    def territory_sections(self, node: str, lang: str) -> str:
        up = self._rows(f"SELECT ?t WHERE {{ {node} <{ISG['within']}>+ ?t }}")
        # a département holds hundreds of communes: the first of them, and how many there are
        down = self._rows(f"SELECT ?t WHERE {{ ?t <{ISG['within']}> {node} }} ORDER BY ?t LIMIT {_LISTED}")
        more = self._rows(f"SELECT (COUNT(?t) AS ?n) WHERE {{ ?t <{ISG['within']}> {node} }}") if len(down) == _LISTED else []
        cases = self._rows(f"""SELECT DISTINCT ?initiative WHERE {{ ?initiative a <{ISG["Initiative"]}> ;
                                   <{ISG["territory"]}>/<{ISG["within"]}>* {node} }} ORDER BY ?initiative""")
        labels = self.labels({_value(r[k]) for rows in (up, down, cases) for r in rows for k in r}, lang)
        out = "<h2>" + _t(lang, "Fait partie de", "Part of") + "</h2><p>"
        out += ", ".join(self.term(r["t"], labels) for r in up) or "—"
        out += "</p><h2>" + _t(lang, "Comprend", "Contains") + "</h2><p>"
        out += ", ".join(self.term(r["t"], labels) for r in down) or "—"
        if more and (total := int(_value(more[0]["n"]))) > len(down):
            out += _t(lang, f" … et {total - len(down)} autres", f" … and {total - len(down)} more")
        out += "</p><h2>" + _t(lang, "Initiatives situées ici", "Initiatives located here") + "</h2><p>"
        out += ", ".join(self.term(r["initiative"], labels) for r in cases) or _t(lang, "aucune", "none")
        out += "</p>"
        graph, total = territory_network(self.store, node[1:-1])
        if graph.number_of_nodes():
            title = _t(lang, "Réseau des initiatives et de leurs acteurs", "Network of the initiatives and their actors")
            out += f"<h2>{esc(title)}</h2>"
            if total > MAX_INITIATIVES:
                out += (
                    '<p class="note">'
                    + esc(
                        _t(
                            lang,
                            f"Les {MAX_INITIATIVES} premières initiatives sur {total}.",
                            f"The first {MAX_INITIATIVES} initiatives of {total}.",
                        )
                    )
                    + "</p>"
                )
            out += network_svg(graph, self.store, self.links, lang, title, "network")
        return out

    def ontology(self, lang: str, other_language: str) -> str:
        body = Documentation(self.store, self.links).ontology_body(lang)
        return page(
            _t(lang, "Ontologie isgraph", "The isgraph ontology"), body, lang, other_language=other_language, iri=ONTOLOGY_IRI
        )

    def cases(self, lang: str, other_language: str) -> str:
        rows = self._rows(f"""SELECT DISTINCT ?initiative ?territory WHERE {{ ?initiative a <{ISG["Initiative"]}> .
                                  OPTIONAL {{ ?initiative <{ISG["territory"]}> ?territory }} }} ORDER BY ?initiative LIMIT 5000""")
        labels = self.labels({t.value for r in rows for t in r.values() if isinstance(t, ox.NamedNode)}, lang)
        body = table(
            [_t(lang, "cas", "case"), _t(lang, "territoire", "territory")],
            ([self.term(r["initiative"], labels), self.term(r["territory"], labels)] for r in rows),
            _t(lang, "aucun cas", "no case"),
        )
        return page(_t(lang, "Les cas", "The cases"), body, lang, other_language=other_language)
