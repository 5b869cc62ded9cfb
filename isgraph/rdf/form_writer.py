"""From RDF back to a case form: the inverse of :mod:`isgraph.rdf.forms`, driven by the
same JSON-LD context. Every triple must find its place in the form; one that
cannot is an error, so a conversion never loses anything silently."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox
import yaml

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import ID, ISG, RDF, XSD
from isgraph.rdf.forms import ACTOR_TYPES, DEFAULT_TYPES, FIELDS, LANGMAP, context, jsonld_document

_RDF_TYPE = ox.NamedNode(RDF["type"])
_KIND_KEYS = {
    "actors": "actor",
    "participations": "participation",
    "resources": "resource",
    "characterisations": "characterisation",
    "elements": "element",
    "results": "result",
    "novelty": "novelty",
    "impacts": "impact",
    "diffusions": "diffusion",
}

HEADER = """\
# isgraph case form (fiche de cas). Keys are documented in docs/case-forms.md.
# Every statement keeps the source's words, tagged with its language (fr, en).
"""


def _expand(compact: str) -> str:
    ctx = context()["@context"]
    prefix, _, local = compact.partition(":")
    namespace = ctx.get(prefix) if local else None
    if isinstance(namespace, str):
        return namespace + local
    return compact


def _definition(key: str) -> dict[str, Any]:
    entry = context()["@context"][key]
    return {"@id": entry} if isinstance(entry, str) else entry


def _relative(iri: str) -> str:
    return iri[len(ID) :] if iri.startswith(ID) else iri


class _Graph:
    def __init__(self, triples: Sequence[ox.Triple]) -> None:
        self.triples = list(dict.fromkeys(triples))
        self.used: set[ox.Triple] = set()

    def objects(self, subject: ox.NamedNode, predicate: str) -> list[Any]:
        found = [t for t in self.triples if t.subject == subject and t.predicate.value == predicate]
        self.used.update(found)
        return [t.object for t in found]

    def subjects(self, predicate: str, obj: ox.NamedNode) -> list[ox.NamedNode]:
        found = [t for t in self.triples if t.predicate.value == predicate and t.object == obj]
        self.used.update(found)
        return list(dict.fromkeys(t.subject for t in found if isinstance(t.subject, ox.NamedNode)))

    def typed(self, cls: str) -> list[ox.NamedNode]:
        return list(
            dict.fromkeys(
                t.subject
                for t in self.triples
                if t.predicate == _RDF_TYPE and t.object == ox.NamedNode(cls) and isinstance(t.subject, ox.NamedNode)
            )
        )


def _value(term: Any, definition: dict[str, Any], key: str) -> Any:
    coerce = definition.get("@type")
    if isinstance(term, ox.NamedNode):
        if coerce == "@vocab":
            vocab = definition["@context"]["@vocab"]
            return term.value[len(vocab) :] if term.value.startswith(vocab) else term.value
        return _relative(term.value)
    if isinstance(term, ox.BlankNode):
        raise ValueError(key)
    if term.datatype.value == XSD["boolean"]:
        return term.value == "true"
    return term.value


def _object(graph: _Graph, node: ox.NamedNode, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": _relative(node.value)}
    choices = FIELDS[kind].get("type")
    if isinstance(choices, tuple):
        types = list(graph.objects(node, RDF["type"]))
        names = [o.value[len(ISG) :] for o in types if o.value.startswith(ISG) and o.value[len(ISG) :] in choices]
        if len(names) != 1 or len(types) != 1:
            raise InputError(
                Message(
                    f"<{node.value}> doit avoir exactement un type parmi {', '.join(choices)}",
                    f"<{node.value}> must have exactly one type among {', '.join(choices)}",
                )
            )
        if names[0] != DEFAULT_TYPES.get(kind):
            out["type"] = names[0]
    else:
        graph.objects(node, RDF["type"])  # consumed: the form gives the class
    for key, kind_of_value in FIELDS[kind].items():
        if key in ("id", "type") or key in _KIND_KEYS:
            continue
        definition = _definition(key)
        values = graph.objects(node, _expand(definition["@id"]))
        if not values:
            continue
        if kind_of_value == LANGMAP:
            langmap: dict[str, Any] = {}
            for literal in values:
                langmap.setdefault(literal.language, []).append(literal.value)
            out[key] = {lang: texts[0] if len(texts) == 1 else sorted(texts) for lang, texts in langmap.items()}
        elif isinstance(kind_of_value, list):
            converted = [_value(v, definition, key) for v in values]
            out[key] = converted[0] if len(converted) == 1 else converted
        elif len(values) == 1:
            out[key] = _value(values[0], definition, key)
        else:
            out[key] = [_value(v, definition, key) for v in values]
    return out


def to_form(triples: Sequence[ox.Triple]) -> dict[str, Any]:
    """The case form that gives back exactly ``triples``."""
    graph = _Graph(triples)
    cases = graph.typed(ISG["Initiative"])
    if len(cases) != 1:
        raise InputError(
            Message(
                f"une fiche décrit exactement une initiative ; ce graphe en décrit {len(cases)}",
                f"a form describes exactly one initiative; this graph describes {len(cases)}",
            )
        )
    case = cases[0]
    form = _object(graph, case, "case")
    for key, predicate in (
        ("participations", ISG["participationIn"]),
        ("resources", ISG["contributionTo"]),
        ("characterisations", ISG["characterises"]),
        ("diffusions", ISG["diffusionOf"]),
    ):
        kind = _KIND_KEYS[key]
        items = []
        for node in graph.subjects(predicate, case):
            item = _object(graph, node, kind)
            if kind == "characterisation":
                elements = graph.objects(node, ISG["hasElementAssessment"])
                if elements:
                    item["elements"] = [_object(graph, e, "element") for e in elements]
            items.append(item)
        if items:
            form[key] = items
    for key, predicate in (("results", ISG["result"]), ("impacts", ISG["impact"]), ("novelty", ISG["novelty"])):
        nodes = [n for n in graph.objects(case, predicate) if isinstance(n, ox.NamedNode)]
        if key == "novelty" and len(nodes) > 1:
            raise InputError(
                Message(
                    f"une fiche décrit au plus une nouveauté ; <{case.value}> en a {len(nodes)}",
                    f"a form describes at most one novelty; <{case.value}> has {len(nodes)}",
                )
            )
        if nodes:
            objects = [_object(graph, n, _KIND_KEYS[key]) for n in nodes]
            form[key] = objects[0] if key == "novelty" else objects
    actor_classes = {ISG[t] for t in ACTOR_TYPES}
    actors = [
        t.subject
        for t in graph.triples
        if t.predicate == _RDF_TYPE
        and isinstance(t.object, ox.NamedNode)
        and t.object.value in actor_classes
        and isinstance(t.subject, ox.NamedNode)
    ]
    if actors:
        form["actors"] = [_object(graph, a, "actor") for a in dict.fromkeys(actors)]
    leftover = [t for t in graph.triples if t not in graph.used]
    if leftover:
        raise InputError(
            Message(
                f"{len(leftover)} triplet(s) sans place dans une fiche, par exemple : {leftover[0]}",
                f"{len(leftover)} triple(s) with no place in a form, for example: {leftover[0]}",
            )
        )
    order = list(FIELDS["case"])
    return {k: form[k] for k in order if k in form}


def form_yaml(form: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(form, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)


def form_jsonld(form: dict[str, Any]) -> str:
    """The form as a JSON-LD document, its context inline and the classes explicit."""
    return json.dumps(jsonld_document(form), ensure_ascii=False, indent=2) + "\n"
