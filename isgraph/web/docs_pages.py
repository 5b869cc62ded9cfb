"""Documentation pages, in the spirit of pyLODE (the ontology) and of SHACL Play's shape
documentation (the shapes): every class, property, grid element, level and definition
profile with its French and English labels and definitions and an example from the talk's
two cases; every shape with its targets, its constraints, its messages in both languages
and the example files it is tested on.

The ontology is read from the store (what the server publishes); the shapes from the
package's ``shapes/`` folder (what validation uses).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from isgraph import resources
from isgraph.namespaces import DCTERMS, GRAPH, ISG, OWL, RDF, RDFS, SKOS
from isgraph.shacl.compiler import describe_path, load_shapes_triples
from isgraph.shacl.report import short, short_path
from isgraph.store import Store, solutions
from isgraph.web.html import Links, esc, table
from isgraph.web.html import in_lang as _t

SH = "http://www.w3.org/ns/shacl#"
#: The graphs the examples come from: the talk's two cases.
EXAMPLE_GRAPHS = (GRAPH["case/initielles"], GRAPH["case/graines-de-pays"])
_KINDS = (
    ("Class", "Classes", "Classes"),
    ("ObjectProperty", "Propriétés d'objet", "Object properties"),
    ("DatatypeProperty", "Propriétés de données", "Datatype properties"),
    ("AnnotationProperty", "Propriétés d'annotation", "Annotation properties"),
)


def _both(texts: dict[str, str], lang: str) -> str:
    """The text in the page's language first, then in the other, each marked with its language."""
    other = "en" if lang == "fr" else "fr"
    return "".join(f'<p lang="{code}">{esc(texts[code])}</p>' for code in (lang, other) if code in texts)


class Documentation:
    def __init__(self, store: Store, links: Links) -> None:
        self.store = store
        self.links = links

    def _texts(self, iris: Iterable[str], predicate: str) -> dict[str, dict[str, str]]:
        """Each IRI's French and English values of ``predicate``."""
        values = " ".join(str(ox.NamedNode(i)) for i in sorted(set(iris)))
        if not values:
            return {}
        found = solutions(
            self.store.query(
                f"SELECT ?x ?v WHERE {{ VALUES ?x {{ {values} }} ?x <{predicate}> ?v "
                f'FILTER (LANG(?v) IN ("fr", "en")) }} ORDER BY ?x ?v'
            )
        )
        out: dict[str, dict[str, str]] = {}
        for row in found:
            x, v = row["x"], row["v"]
            if isinstance(x, ox.NamedNode) and isinstance(v, ox.Literal) and v.language:
                out.setdefault(x.value, {}).setdefault(v.language, v.value)
        return out

    def _pairs(self, sparql: str) -> list[tuple[str, str]]:
        return [
            (a.value, b.value)
            for row in solutions(self.store.query(sparql))
            if (a := row[0]) is not None and (b := row[1]) is not None
        ]

    def _a(self, iri: str, labels: dict[str, dict[str, str]], lang: str) -> str:
        if iri.startswith(ISG):
            return f'<a href="#{esc(iri[len(ISG) :])}">{esc(labels.get(iri, {}).get(lang) or iri[len(ISG) :])}</a>'
        return self.links.a(iri, labels.get(iri, {}).get(lang) or short(iri))

    # --- the ontology -----------------------------------------------------------------------
    def ontology_body(self, lang: str) -> str:
        terms: dict[str, list[str]] = {}
        for term, kind in self._pairs(
            f"SELECT DISTINCT ?t ?k WHERE {{ ?t a ?k FILTER (STRSTARTS(STR(?t), {ox.Literal(str(ISG))})) "
            f"VALUES ?k {{ {' '.join(f'<{OWL[k]}>' for k, _, _ in _KINDS)} }} }} ORDER BY ?t"
        ):
            terms.setdefault(kind[len(OWL) :], []).append(term)
        every = [t for ts in terms.values() for t in ts]
        parents = self._pairs(
            f"SELECT ?t ?p WHERE {{ ?t <{RDFS['subClassOf']}>|<{RDFS['subPropertyOf']}> ?p FILTER (isIRI(?p)) }}"
        )
        domains = self._pairs(f"SELECT ?t ?d WHERE {{ ?t <{RDFS['domain']}> ?d FILTER (isIRI(?d)) }}")
        ranges = self._pairs(f"SELECT ?t ?r WHERE {{ ?t <{RDFS['range']}> ?r FILTER (isIRI(?r)) }}")
        mentioned = set(every) | {x for pairs in (parents, domains, ranges) for pair in pairs for x in pair}
        labels = self._texts(mentioned, RDFS["label"])
        definitions = self._texts(every, SKOS["definition"])
        examples = self._examples(
            terms.get("Class", []), [t for k in ("ObjectProperty", "DatatypeProperty") for t in terms.get(k, [])]
        )
        contents = "".join(
            f'<li><a href="#{kind}">{esc(_t(lang, fr, en))}</a> ({len(terms.get(kind, []))})</li>' for kind, fr, en in _KINDS
        ) + "".join(
            f'<li><a href="#{anchor}">{esc(_t(lang, fr, en))}</a></li>'
            for anchor, fr, en in (
                ("grid", "La grille : étapes et éléments", "The grid: stages and elements"),
                ("levels", "Niveaux de réalisation", "Levels of realisation"),
                ("profiles", "Profils de définition", "Definition profiles"),
            )
        )
        intro = _t(
            lang,
            "Chaque terme de l'ontologie d'isgraph avec ses libellés et définitions en français et en anglais, et un exemple tiré des deux cas de la présentation.",
            "Every term of the isgraph ontology with its French and English labels and definitions, and an example from the talk's two cases.",
        )
        out = [f'<p>{esc(intro)}</p><nav aria-label="{esc(_t(lang, "Sommaire", "Contents"))}"><ul>{contents}</ul></nav>']
        for kind, fr, en in _KINDS:
            out.append(f'<h2 id="{kind}">{esc(_t(lang, fr, en))}</h2><dl class="terms">')
            for term in terms.get(kind, []):
                name = term[len(ISG) :]
                names = labels.get(term, {})
                facts = []
                for what, pairs in (
                    (_t(lang, "sous-terme de", "narrower than"), parents),
                    (_t(lang, "domaine", "domain"), domains),
                    (_t(lang, "portée", "range"), ranges),
                ):
                    found = [self._a(b, labels, lang) for a, b in pairs if a == term]
                    if found:
                        facts.append(f"{esc(what)} : {', '.join(found)}" if lang == "fr" else f"{esc(what)}: {', '.join(found)}")
                example = examples.get(term)
                if example:
                    facts.append(f"{esc(_t(lang, 'exemple :', 'example:'))} <code>{esc(example)}</code>")
                out.append(
                    f'<dt id="{esc(name)}">{esc(names.get(lang) or name)} <span class="iri">isg:{esc(name)}'
                    + (f" · {esc(names['en' if lang == 'fr' else 'fr'])}" if names.get("en" if lang == "fr" else "fr") else "")
                    + f"</span></dt><dd>{_both(definitions.get(term, {}), lang)}"
                    + (f'<p class="note">{" · ".join(facts)}</p>' if facts else "")
                    + "</dd>"
                )
            out.append("</dl>")
        out.append(self._grid(lang))
        out.append(self._levels(lang))
        out.append(self._profiles(lang))
        return "".join(out)

    def _examples(self, classes: list[str], properties: list[str]) -> dict[str, str]:
        """A statement from the talk's cases for each class (an instance) and property (a triple)."""
        graphs = " ".join(f"<{g}>" for g in EXAMPLE_GRAPHS)
        out: dict[str, str] = {}
        if classes:
            values = " ".join(f"<{c}>" for c in classes)
            for c, x in self._pairs(
                f"SELECT ?c (MIN(STR(?x)) AS ?e) WHERE {{ VALUES ?g {{ {graphs} }} VALUES ?c {{ {values} }} "
                f"GRAPH ?g {{ ?x a ?c FILTER (isIRI(?x)) }} }} GROUP BY ?c"
            ):
                out[c] = f"{short(x)} a isg:{c[len(ISG) :]}"
        if properties:
            values = " ".join(f"<{p}>" for p in properties)
            found = solutions(
                self.store.query(
                    # the first subject of each property, and its first value (one triple, not two aggregates)
                    f"SELECT ?p ?subject (MIN(?o) AS ?object) WHERE {{ "
                    f"{{ SELECT ?p (MIN(STR(?s)) AS ?first) WHERE {{ VALUES ?g {{ {graphs} }} VALUES ?p {{ {values} }} "
                    f"GRAPH ?g {{ ?s ?p ?o FILTER (isIRI(?s)) }} }} GROUP BY ?p }} "
                    f"VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?subject ?p ?o }} FILTER (STR(?subject) = ?first) }} GROUP BY ?p ?subject"
                )
            )
            for row in found:
                p, s, o = row["p"], row["subject"], row["object"]
                if p is None or s is None or o is None:
                    continue
                shown = short(o.value) if isinstance(o, ox.NamedNode) else f'"{o.value[:80]}"'
                out[p.value] = f"{short(s.value)} isg:{p.value[len(ISG) :]} {shown}"
        return out

    def _grid(self, lang: str) -> str:
        rows = self._pairs(
            f"SELECT ?e ?s WHERE {{ ?e a <{ISG['GridElement']}> ; <{ISG['stage']}> ?s ; <{SKOS['notation']}> ?n }} ORDER BY ?n"
        )
        stages = list(dict.fromkeys(s for _, s in rows))
        iris = [e for e, _ in rows] + stages
        labels = self._texts(iris, SKOS["prefLabel"])
        definitions = self._texts(iris, SKOS["definition"])
        out = [f'<h2 id="grid">{esc(_t(lang, "La grille : étapes et éléments", "The grid: stages and elements"))}</h2>']
        for stage in stages:
            out.append(
                f'<h3 id="{esc(stage.rsplit("/", 1)[-1])}">{esc(labels.get(stage, {}).get(lang, stage))}</h3>'
                f"{_both(definitions.get(stage, {}), lang)}"
            )
            out.append(
                table(
                    [_t(lang, "élément", "element"), "français", "English"],
                    (
                        [
                            self.links.a(e, labels.get(e, {}).get(lang)),
                            esc(definitions.get(e, {}).get("fr", "")),
                            esc(definitions.get(e, {}).get("en", "")),
                        ]
                        for e, s in rows
                        if s == stage
                    ),
                    "",
                )
            )
        return "".join(out)

    def _levels(self, lang: str) -> str:
        levels = [
            e
            for e, _ in self._pairs(f"SELECT ?l ?n WHERE {{ ?l a <{ISG['Level']}> ; <{SKOS['notation']}> ?n }} ORDER BY DESC(?n)")
        ]
        labels = self._texts(levels, SKOS["prefLabel"])
        definitions = self._texts(levels, SKOS["definition"])
        return f'<h2 id="levels">{esc(_t(lang, "Niveaux de réalisation", "Levels of realisation"))}</h2>' + table(
            [_t(lang, "niveau", "level"), "français", "English"],
            (
                [
                    self.links.a(level, labels.get(level, {}).get(lang)),
                    esc(definitions.get(level, {}).get("fr", "")),
                    esc(definitions.get(level, {}).get("en", "")),
                ]
                for level in levels
            ),
            "",
        )

    def _profiles(self, lang: str) -> str:
        profiles = [p for p, _ in self._pairs(f"SELECT DISTINCT ?p ?r WHERE {{ ?p <{ISG['hasRequirement']}> ?r }} ORDER BY ?p")]
        profiles = list(dict.fromkeys(profiles))
        requirements = self._pairs(f"SELECT ?p ?r WHERE {{ ?p <{ISG['hasRequirement']}> ?r }} ORDER BY ?p ?r")
        labels = self._texts(profiles + [r for _, r in requirements], RDFS["label"])
        definitions = self._texts(profiles, SKOS["definition"])
        choices = self._texts(profiles, ISG["choice"])
        sources = dict(self._pairs(f"SELECT ?p ?s WHERE {{ ?p <{ISG['hasRequirement']}> ?r ; <{DCTERMS['source']}> ?s }}"))
        out = [f'<h2 id="profiles">{esc(_t(lang, "Profils de définition", "Definition profiles"))}</h2>']
        for profile in profiles:
            out.append(
                f'<h3 id="profile-{esc(profile.rsplit("/", 1)[-1])}">{esc(labels.get(profile, {}).get(lang, profile))}</h3>'
                f"{_both(definitions.get(profile, {}), lang)}"
                f"<p><strong>{esc(_t(lang, 'Exige :', 'Requires:'))}</strong></p><ul>"
                + "".join(f"<li>{esc(labels.get(r, {}).get(lang, short(r)))}</li>" for p, r in requirements if p == profile)
                + "</ul>"
                + (
                    f"<p><strong>{esc(_t(lang, 'Choix de modélisation :', 'Modelling choice:'))}</strong></p>{_both(choices[profile], lang)}"
                    if profile in choices
                    else ""
                )
                + (
                    f'<p class="note">{esc(_t(lang, "Source : ", "Source: "))}{esc(sources[profile])}</p>'
                    if profile in sources
                    else ""
                )
            )
        return "".join(out)

    # --- the shapes ---------------------------------------------------------------------------
    def shapes_body(self, lang: str) -> str:
        return _shapes_body(lang, self.links.base)


Term = ox.NamedNode | ox.BlankNode | ox.Literal


@functools.cache
def _shapes_index() -> dict[tuple[Term, str], list[Term]]:
    """The shapes' triples, by subject and predicate (read once: they ship with the package)."""
    index: dict[tuple[Term, str], list[Term]] = {}
    for triple in load_shapes_triples(resources.resource_dir("shapes")):
        subject, value = triple.subject, triple.object
        if isinstance(subject, ox.Triple) or isinstance(value, ox.Triple):
            continue  # RDF-star: no shape is written so
        index.setdefault((subject, triple.predicate.value), []).append(value)
    return index


@functools.cache
def _shapes_body(lang: str, base: str) -> str:
    index = _shapes_index()
    links = Links(base)

    def one(node: Term, predicate: str) -> Term | None:
        found = index.get((node, predicate))
        return found[0] if found else None

    def every(node: Term, predicate: str) -> list[Term]:
        return sorted(index.get((node, predicate), []), key=str)

    def texts(node: ox.NamedNode | ox.BlankNode, predicate: str) -> dict[str, str]:
        return {v.language: v.value for v in every(node, SH + predicate) if isinstance(v, ox.Literal) and v.language}

    def listed(head: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        out: list[ox.NamedNode | ox.BlankNode | ox.Literal] = []
        while isinstance(head, ox.BlankNode) and len(out) < 1000:
            first = one(head, RDF["first"])
            if first is not None:
                out.append(first)
            head = one(head, RDF["rest"])
        return out

    def term(value: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        if isinstance(value, ox.NamedNode):
            return links.a(value.value, short(value.value))
        return f"<code>{esc(short(value.value) if isinstance(value, ox.BlankNode) else value.value)}</code>"

    def constraints(node: ox.NamedNode | ox.BlankNode) -> list[str]:
        out = []
        for name in (
            "minCount",
            "maxCount",
            "qualifiedMinCount",
            "qualifiedMaxCount",
            "minLength",
            "maxLength",
            "pattern",
            "uniqueLang",
        ):
            if (v := one(node, SH + name)) is not None:
                out.append(f"sh:{name} {esc(v.value)}")
        for name in ("datatype", "class", "nodeKind", "hasValue", "node", "qualifiedValueShape"):
            for v in every(node, SH + name):
                out.append(f"sh:{name} {term(v)}")
        for name in ("in", "or", "languageIn"):
            if (v := one(node, SH + name)) is not None:
                out.append(f"sh:{name} ( {' '.join(term(x) for x in listed(v))} )")
        if one(node, SH + "sparql") is not None:
            out.append("sh:sparql")
        return out

    shapes = sorted(
        {
            subject
            for (subject, predicate), values in index.items()
            if predicate == RDF["type"] and ox.NamedNode(SH + "NodeShape") in values
        },
        key=str,
    )
    examples_dir = resources.resource_dir("shapes") / "examples"
    out = [
        "<p>"
        + esc(
            _t(
                lang,
                f"{len(shapes)} formes SHACL vérifient chaque description de cas (les fichiers de shapes/). Pour chacune : ses cibles, ses contraintes, ses messages en français et en anglais, et les exemples valides et invalides sur lesquels elle est testée.",
                f"{len(shapes)} SHACL shapes check every case description (the files of shapes/). For each: its targets, its constraints, its messages in French and English, and the valid and invalid examples it is tested on.",
            )
        )
        + "</p>"
    ]
    out.append(
        "<nav><ul>"
        + "".join(
            f'<li><a href="#{esc(s.value.rsplit("#", 1)[-1])}">{esc(texts(s, "name").get(lang) or s.value.rsplit("#", 1)[-1])}</a></li>'
            for s in shapes
            if isinstance(s, ox.NamedNode)
        )
        + "</ul></nav>"
    )
    for shape in shapes:
        if not isinstance(shape, ox.NamedNode):
            continue
        local = shape.value.rsplit("#", 1)[-1]
        names, descriptions, messages = texts(shape, "name"), texts(shape, "description"), texts(shape, "message")
        severity = one(shape, SH + "severity")
        targets = [
            f"sh:{kind} {term(v)}"
            for kind in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
            for v in every(shape, SH + kind)
        ]
        out.append(
            f'<h2 id="{esc(local)}">{esc(names.get(lang) or local)} <span class="iri">isgsh:{esc(local)}</span></h2>'
            f"{_both(descriptions, lang)}"
            + (f"<p>{esc(_t(lang, 'Cibles :', 'Targets:'))} {', '.join(targets)}</p>" if targets else "")
            + f"<p>{esc(_t(lang, 'Gravité :', 'Severity:'))} {esc(short(severity.value) if severity else 'sh:Violation')}</p>"
            + f"<p>{esc(_t(lang, 'Contraintes du nœud :', 'Node constraints:'))} {' · '.join(constraints(shape))}</p>"
            * bool(constraints(shape))
        )
        rows = []
        for prop in every(shape, SH + "property"):
            if not isinstance(prop, (ox.NamedNode, ox.BlankNode)):
                continue
            path = one(prop, SH + "path")
            anchor = f' id="{esc(prop.value.rsplit("#", 1)[-1])}"' if isinstance(prop, ox.NamedNode) else ""
            prop_names, prop_messages = texts(prop, "name"), texts(prop, "message")
            rows.append(
                [
                    f"<span{anchor}>{esc(prop_names.get(lang, ''))}</span>",
                    f"<code>{esc(short_path(describe_path(one, path)))}</code>" if path is not None else "",
                    " · ".join(constraints(prop)),
                    "".join(f'<p lang="{c}">{esc(prop_messages[c])}</p>' for c in ("fr", "en") if c in prop_messages),
                ]
            )
        out.append(
            table(
                [
                    _t(lang, "propriété", "property"),
                    _t(lang, "chemin", "path"),
                    _t(lang, "contraintes", "constraints"),
                    "messages (fr, en)",
                ],
                rows,
                "",
            )
        )
        if messages:
            out.append(f"<p>{esc(_t(lang, 'Message de la forme :', 'Shape message:'))}</p>{_both(messages, lang)}")
        out.append(_examples(examples_dir / local, lang))
    return "".join(out)


def _examples(folder: Path, lang: str) -> str:
    parts = []
    for kind, fr, en in (("valid", "Exemples valides", "Valid examples"), ("invalid", "Exemples invalides", "Invalid examples")):
        files = sorted((folder / kind).glob("*")) if (folder / kind).is_dir() else []
        if files:
            parts.append(
                f"<p><strong>{esc(_t(lang, fr, en))}</strong></p>"
                + "".join(
                    f"<details><summary>{esc(f.name)}</summary><pre>{esc(f.read_text(encoding='utf-8'))}</pre></details>"
                    for f in files
                )
            )
    return "".join(parts)
