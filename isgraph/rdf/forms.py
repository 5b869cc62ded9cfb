"""Case forms: the YAML (or JSON) fiche a steward writes by hand.

A form is JSON-LD in YAML: the context ``case-form.context.jsonld`` maps every
key to the ontology, so a form, the same form as JSON-LD and its Turtle all give
the same RDF. Unlike plain JSON-LD, which drops keys it does not know, a form with
an unknown, misspelt or repeated key, a value of the wrong type or a malformed date
is refused with the file, the line and the field. YAML aliases are refused (they
can expand a few hundred bytes into gigabytes).

Objects a steward leaves without an ``id`` get one derived from the whole initiative IRI
(:func:`isgraph.namespaces.case_key`): ``participation/<case>/<n>``,
``contribution/<case>/<n>``, ``characterisation/<case>/<n>``,
``<characterisation>/<element>``, ``result/<case>/<n>``, ``novelty/<case>``,
``impact/<case>/<n>`` and ``diffusion/<case>/<n>``, so that no two cases can mint the
same one.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from isgraph.errors import InputError, InputErrors
from isgraph.messages import Message
from isgraph.namespaces import GRID, ID, ISG, SKOS, case_key
from isgraph.rdf.limits import check_depth
from isgraph.rdf.parsing import Locator, ontology_triples
from isgraph.rdf.yamllines import Number, YamlDocument

CONTEXT_FILE = Path(__file__).with_name("case-form.context.jsonld")

IRI, NAME, LANGMAP, DATE, BOOL, NUMBER, TEXT = "iri", "name", "langmap", "date", "bool", "number", "text"
ACTOR_TYPES = (
    "Association",
    "Cooperative",
    "Company",
    "PublicBody",
    "LocalAuthority",
    "ResearchOrganisation",
    "HealthOrSocialInstitution",
    "Organisation",
    "InformalGroup",
    "Person",
)
#: The kinds of result of stage 3 of the definition (a result says which with ``type``).
RESULT_TYPES = ("Approach", "Product", "Service")
#: The kinds of impact of stage 4; an impact that does not say is an ``Impact``.
IMPACT_TYPES = ("DirectImpact", "ChangeInPractices", "ChangeInRepresentations", "Impact")

#: For each kind of object in a form: its keys and the kind of value each takes
#: (a list ``[kind]`` when several values are allowed).
FIELDS: dict[str, dict[str, Any]] = {
    "case": {
        "id": IRI,
        "label": LANGMAP,
        "title": LANGMAP,
        "description": LANGMAP,
        "territory": IRI,
        "start_date": DATE,
        "end_date": DATE,
        "actors": ["actor"],
        "participations": ["participation"],
        "resources": ["resource"],
        "characterisations": ["characterisation"],
        "results": ["result"],
        "novelty": "novelty",
        "impacts": ["impact"],
        "diffusions": ["diffusion"],
    },
    "actor": {
        "id": IRI,
        "type": ACTOR_TYPES,
        "label": LANGMAP,
        "comment": LANGMAP,
        "located_in": [IRI],
        "serves": [IRI],
        "siren": TEXT,
        "siret": TEXT,
        "rna": TEXT,
        "wikidata": IRI,
    },
    "participation": {"id": IRI, "actor": IRI, "role": NAME, "start_date": DATE, "end_date": DATE},
    "resource": {
        "id": IRI,
        "principle": NAME,
        "provider": IRI,
        "provider_unknown": BOOL,
        "amount": NUMBER,
        "wording": LANGMAP,
        "start_date": DATE,
        "end_date": DATE,
    },
    "characterisation": {
        "id": IRI,
        "label": LANGMAP,
        "assessor": IRI,
        "date": DATE,
        "grid": NAME,
        "source": IRI,
        "rights": LANGMAP,
        "elements": ["element"],
    },
    "element": {"id": IRI, "element": NAME, "level": NAME, "statement": LANGMAP, "evidence": LANGMAP},
    "result": {"id": IRI, "type": RESULT_TYPES, "label": LANGMAP, "description": LANGMAP},
    "novelty": {"id": IRI, "description": LANGMAP, "breaks_with": LANGMAP},
    "impact": {"id": IRI, "type": IMPACT_TYPES, "scope": NAME, "description": LANGMAP},
    "diffusion": {
        "id": IRI,
        "mode": NAME,
        "description": LANGMAP,
        "diffused_by": [IRI],
        "diffused_to": [IRI],
        "start_date": DATE,
    },
}
#: The class each kind of object gets; actors say theirs with ``type``.
CLASSES = {
    "case": "Initiative",
    "participation": "Participation",
    "resource": "ResourceContribution",
    "characterisation": "Characterisation",
    "element": "ElementAssessment",
    "novelty": "Novelty",
    "diffusion": "Diffusion",
}
#: The class of an object that may say its own with ``type`` and does not.
DEFAULT_TYPES = {"impact": "Impact"}
MAX_FORM_BYTES = 8 * 1024 * 1024
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """The JSON-LD context of case forms."""
    loaded: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return loaded


@lru_cache(maxsize=1)
def key_of_path() -> dict[str, str]:
    """The form key that gives each property (``<https://…#level>`` → ``level``)."""
    ctx = context()["@context"]
    prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(term: str) -> str:
        prefix, _, local = term.partition(":")
        return prefixes[prefix] + local if local and prefix in prefixes else ctx["@vocab"] + term

    found = {}
    for key, definition in ctx.items():
        term = definition.get("@id") if isinstance(definition, dict) else definition
        if isinstance(term, str) and not term.startswith("@") and not key.startswith("@") and key not in prefixes:
            found[f"<{expand(term)}>"] = key
    return found


@lru_cache(maxsize=1)
def element_labels() -> dict[str, Message]:
    """The French and English names of the grid's elements, by their key in a form."""
    texts: dict[str, dict[str, str]] = {}
    for t in ontology_triples():
        subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else ""
        if t.predicate.value == SKOS["prefLabel"] and isinstance(t.object, ox.Literal) and subject.startswith(GRID):
            texts.setdefault(subject[len(GRID) :], {})[t.object.language or ""] = t.object.value
    return {k: Message(v.get("fr") or v.get("en", k), v.get("en") or v.get("fr", k)) for k, v in texts.items()}


class FormReader(YamlDocument):
    """Reads one form: plain data, the line of every field, then RDF."""

    def __init__(self, text: str, shown_as: str, syntax: str = "YAML") -> None:
        super().__init__(text, shown_as, syntax, empty=Message("fiche vide", "empty form"))
        self.node_lines: dict[str, int] = {}
        self.key_lines: dict[tuple[str, str], int] = {}
        self.problems: list[InputError] = []

    # ---- checking a form against FIELDS ----------------------------------

    def check(self) -> dict[str, Any]:
        if not isinstance(self.data, dict):
            raise self.error(
                (), "une fiche de cas est un ensemble de champs (clé: valeur)", "a case form is a set of fields (key: value)"
            )
        if "@context" in self.data:
            if _comparable(self.data["@context"]) != _comparable(context()["@context"]):
                raise self.error(
                    ("@context",),
                    "seul le contexte des fiches d'isgraph est accepté ici",
                    "only isgraph's case-form context is accepted here",
                )
            del self.data["@context"]
        self._check_object(self.data, "case", ())
        if not isinstance(self.data.get("id"), str):
            self._problem(
                (),
                "la fiche doit donner l'identifiant du cas (champ « id », par exemple initiative/mon-cas)",
                'the form must give the case\'s identifier (field "id", for example initiative/my-case)',
            )
        self._check_repeated_elements()
        if self.problems:
            raise InputErrors(sorted(self.problems, key=lambda e: e.line or 0))
        return self.data

    def _problem(self, where: tuple[Any, ...], fr: str, en: str) -> None:
        """Note a problem and go on: a form reports all its problems at once."""
        self.problems.append(self.error(where, fr, en))

    def _check_repeated_elements(self) -> None:
        """An element assessed twice in one characterisation is an error (it would be merged)."""
        for i, characterisation in enumerate(self.data.get("characterisations") or []):
            if not isinstance(characterisation, dict) or not isinstance(characterisation.get("elements"), list):
                continue
            seen: dict[str, int] = {}
            for j, element in enumerate(characterisation["elements"]):
                name = element.get("element") if isinstance(element, dict) else None
                if not isinstance(name, str):
                    continue
                where = ("characterisations", i, "elements", j, "element")
                if name in seen:
                    first = self.lines.get(("characterisations", i, "elements", seen[name], "element"))
                    label = element_labels().get(name, Message(name, name))
                    here = self.lines.get(where)
                    self._problem(
                        where,
                        f"« {label.fr} » est évalué deux fois, lignes {first} et {here}",
                        f'"{label.en}" is assessed twice, lines {first} and {here}',
                    )
                else:
                    seen[name] = j

    def _check_object(self, obj: Any, kind: str, where: tuple[Any, ...]) -> None:
        if not isinstance(obj, dict):
            return self._problem(
                where, f"un objet « {kind} » (clé: valeur) est attendu", f'an object "{kind}" (key: value) is expected'
            )
        allowed = FIELDS[kind]
        if kind in CLASSES and obj.get("type", CLASSES[kind]) != CLASSES[kind]:
            return self._problem((*where, "type"), f"« type » vaut ici {CLASSES[kind]}", f'"type" is {CLASSES[kind]} here')
        if isinstance(allowed.get("type"), tuple) and "type" not in obj and kind not in DEFAULT_TYPES:
            choices, name = ", ".join(allowed["type"]), _TYPE_OF[kind]
            self._problem(
                where,
                f"« type » manque : type {name.fr} attendu ({choices})",
                f'"type" is missing: {name.en} type expected ({choices})',
            )
        for key, value in obj.items():
            if key == "type" and kind in CLASSES:
                continue
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1)
                hint_fr = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
                hint_en = f'; did you mean "{close[0]}"?' if close else ""
                self._problem(
                    (*where, key),
                    f"clé inconnue « {key} »{hint_fr} (clés permises : {', '.join(allowed)})",
                    f'unknown key "{key}"{hint_en} (allowed keys: {", ".join(allowed)})',
                )
                continue
            self._check_value(value, allowed[key], (*where, key), kind)
        return None

    def _check_value(self, value: Any, kind: Any, where: tuple[Any, ...], owner: str = "") -> None:
        if isinstance(kind, str) and kind in FIELDS:
            return self._check_object(value, kind, where)
        if isinstance(kind, list):
            items = value if isinstance(value, list) else None
            if items is None:
                if kind[0] in FIELDS:
                    return self._problem(
                        where,
                        "une liste est attendue (éléments précédés de « - »)",
                        'a list is expected (items starting with "- ")',
                    )
                items = [value]
            for i, item in enumerate(items):
                path = (*where, i) if isinstance(value, list) else where
                if kind[0] in FIELDS:
                    self._check_object(item, kind[0], path)
                else:
                    self._check_value(item, kind[0], path)
            return None
        if kind == LANGMAP:
            if not isinstance(value, dict) or not value:
                return self._problem(
                    where,
                    "un texte par langue est attendu, par exemple {fr: …, en: …}",
                    "one text per language is expected, for example {fr: …, en: …}",
                )
            for lang, text in value.items():
                if not _LANGUAGE.match(lang):
                    self._problem(
                        (*where, lang),
                        f"code de langue invalide « {lang} » (fr, en…)",
                        f'invalid language code "{lang}" (fr, en…)',
                    )
                elif not all(isinstance(one, str) for one in (text if isinstance(text, list) else [text])):
                    self._problem((*where, lang), "un texte est attendu", "a text is expected")
            return None
        if kind == DATE:
            if not isinstance(value, str) or not _DATE.match(value) or not _is_date(value):
                return self._problem(
                    where,
                    f"date invalide « {value} » : AAAA-MM-JJ attendu, par exemple 2013-11-05",
                    f'invalid date "{value}": YYYY-MM-DD expected, for example 2013-11-05',
                )
            return None
        if kind == BOOL:
            if not isinstance(value, bool):
                return self._problem(where, "true ou false attendu", "true or false expected")
            return None
        if kind == NUMBER:
            if not isinstance(value, Number) and not (isinstance(value, str) and _is_decimal(value)):
                return self._problem(where, f"nombre attendu, pas « {value} »", f'a number is expected, not "{value}"')
            return None
        if isinstance(kind, tuple):
            if value not in kind:
                close = difflib.get_close_matches(str(value), kind, n=1)
                hint = f" ({close[0]} ?)" if close else ""
                name = _TYPE_OF[owner]
                return self._problem(
                    where,
                    f"type {name.fr} inconnu « {value} »{hint} ; types : {', '.join(kind)}",
                    f'unknown {name.en} type "{value}"{hint}; types: {", ".join(kind)}',
                )
            return None
        if not isinstance(value, str) or not value.strip():
            return self._problem(where, "un texte non vide est attendu", "a non-empty text is expected")
        if kind == NAME and not _SLUG.match(value):
            return self._problem(
                where,
                f"nom invalide « {value} » (minuscules, chiffres et tirets)",
                f'invalid name "{value}" (lower case, digits and hyphens)',
            )
        if kind == IRI and re.search(r"[\s<>\"{}|\\^`]", value):
            return self._problem(where, f"identifiant invalide « {value} »", f'invalid identifier "{value}"')
        return None

    # ---- to JSON-LD and RDF ------------------------------------------------

    def to_jsonld(self) -> dict[str, Any]:
        """The checked form as a JSON-LD document, with types and derived identifiers."""
        doc = jsonld_document(self.check())
        self._node(_absolute(doc["id"]), ("id",), ())
        for key in ("actors", *(k for k, _ in _LISTS)):
            for i, item in enumerate(doc.get(key, [])):
                self._node(_absolute(item.get("id", "")), (key, i), (key, i))
                for j, element in enumerate(item.get("elements", [])):
                    self._node(_absolute(element["id"]), (key, i, "elements", j), (key, i, "elements", j))
        if "novelty" in doc:
            self._node(_absolute(doc["novelty"]["id"]), ("novelty",), ("novelty",))
        return doc

    def _node(self, iri: str, line_of: tuple[Any, ...], keys_under: tuple[Any, ...]) -> None:
        """Where a node is described (the line of its item) and where each of its keys is."""
        self.node_lines[iri] = self.lines[line_of]
        for where, line in self.lines.items():
            if len(where) == len(keys_under) + 1 and where[: len(keys_under)] == keys_under and isinstance(where[-1], str):
                self.key_lines[(iri, where[-1])] = line

    def triples(self) -> list[ox.Triple]:
        doc = self.to_jsonld()
        try:
            quads = ox.parse(json.dumps(doc).encode("utf-8"), format=ox.RdfFormat.JSON_LD, without_named_graphs=True)
            return [q.triple for q in quads]
        except SyntaxError as exc:
            raise InputError(
                Message(f"fiche non convertible en RDF : {exc.msg}", f"form not convertible to RDF: {exc.msg}"),
                path=self.shown_as,
            ) from None

    def locate(self, iri: str, path: str | None = None) -> int | None:
        """The line of the key that gives ``path`` for ``iri`` (the key at fault), else the line
        where the node is described."""
        key = key_of_path().get(path or "")
        return self.key_lines.get((iri, key or ""), self.node_lines.get(iri))


#: How a message names the type of each kind of object that has a choice of types.
_TYPE_OF = {
    "actor": Message("d'acteur", "actor"),
    "result": Message("de résultat", "result"),
    "impact": Message("d'impact", "impact"),
}
_PREFIX = {
    "participation": "participation",
    "resource": "contribution",
    "characterisation": "characterisation",
    "result": "result",
    "impact": "impact",
    "diffusion": "diffusion",
}


def jsonld_document(form: dict[str, Any]) -> dict[str, Any]:
    """A (checked) form as a JSON-LD document: the context inline, every object's class
    explicit, and the identifiers left out derived from the case's."""
    slug = case_key(_absolute(form["id"]))
    doc = {"@context": context()["@context"], **_jsonable(form), "type": CLASSES["case"]}
    for key, kind in _LISTS:
        for i, item in enumerate(doc.get(key, [])):
            item.setdefault("id", f"{_PREFIX[kind]}/{slug}/{i + 1}")
            item.setdefault("type", CLASSES.get(kind) or DEFAULT_TYPES.get(kind))
            for j, element in enumerate(item.get("elements", [])):
                element.setdefault("id", f"{item['id']}/{element.get('element', j + 1)}")
                element["type"] = CLASSES["element"]
    if isinstance(doc.get("novelty"), dict):
        doc["novelty"].setdefault("id", f"novelty/{slug}")
        doc["novelty"]["type"] = CLASSES["novelty"]
    return doc


#: The lists of objects a case holds, and the kind of each item.
_LISTS = (
    ("participations", "participation"),
    ("resources", "resource"),
    ("characterisations", "characterisation"),
    ("results", "result"),
    ("impacts", "impact"),
    ("diffusions", "diffusion"),
)


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _is_decimal(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except InvalidOperation:
        return False


def _absolute(iri: str) -> str:
    return iri if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", iri) else ID[iri]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Number):
        return str(value)
    return value


def read_form(data: bytes, suffix: str, *, shown_as: str) -> tuple[list[ox.Triple], Locator]:
    """The RDF of one YAML or JSON case form (its bytes), and how to find a node's line in it."""
    if len(data) > MAX_FORM_BYTES:
        raise InputError(
            Message(
                f"fiche trop grande ({len(data)} octets, au plus {MAX_FORM_BYTES})",
                f"form too large ({len(data)} bytes, at most {MAX_FORM_BYTES})",
            ),
            path=shown_as,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            Message(f"la fiche n'est pas du texte UTF-8 (octet {exc.start})", f"the form is not UTF-8 text (byte {exc.start})"),
            path=shown_as,
        ) from None
    if not text.strip():
        raise InputError(Message("fichier vide", "empty file"), path=shown_as)
    if suffix.lower() not in (".yaml", ".yml"):
        check_depth(data, shown_as=shown_as)
    reader = FormReader(text, shown_as, "YAML" if suffix.lower() in (".yaml", ".yml") else "JSON")
    return reader.triples(), reader.locate


def _comparable(value: Any) -> str:
    """A JSON value as text, numbers written alike whatever parsed them."""

    def plain(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, (int, float, Number)) and not isinstance(v, bool):
            return str(v)
        return v

    return json.dumps(plain(value), sort_keys=True)


def is_form_jsonld(data: bytes) -> bool:
    """Whether a JSON-LD document is a case form (its context is isgraph's)."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and _comparable(doc.get("@context")) == _comparable(context()["@context"])


def initiative_iri(triples: list[ox.Triple]) -> str | None:
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for t in triples:
        if t.predicate == rdf_type and t.object == ox.NamedNode(ISG["Initiative"]) and not isinstance(t.subject, ox.Triple):
            return t.subject.value
    return None


#: What each key of a form means, in both languages (used by ``new-case`` and docs/case-forms.md).
KEY_HELP: dict[str, Message] = {
    "id": Message(
        "identifiant, relatif à https://w3id.org/isgraph/id/ (ex. initiative/mon-cas) ou IRI complet",
        "identifier, relative to https://w3id.org/isgraph/id/ (e.g. initiative/my-case) or a full IRI",
    ),
    "label": Message("nom, un texte par langue (fr, en)", "name, one text per language (fr, en)"),
    "title": Message("titre complet, par langue", "full title, per language"),
    "description": Message("description, par langue", "description, per language"),
    "territory": Message(
        "territoire servi : territory/quartier/…, territory/commune/<INSEE>, territory/departement/<INSEE>, territory/region/<INSEE> ; hors de France territory/country/<ISO 3166-1> ou territory/subdivision/<ISO 3166-2>",
        "territory served: territory/quartier/…, territory/commune/<INSEE>, territory/departement/<INSEE>, territory/region/<INSEE>; outside France territory/country/<ISO 3166-1> or territory/subdivision/<ISO 3166-2>",
    ),
    "start_date": Message("date de début, AAAA-MM-JJ", "start date, YYYY-MM-DD"),
    "end_date": Message("date de fin, AAAA-MM-JJ", "end date, YYYY-MM-DD"),
    "actors": Message(
        "les acteurs : porteur, partenaires, bénéficiaires, évaluateur…",
        "the actors: carrier, partners, beneficiaries, assessor…",
    ),
    "type": Message("type d'acteur : " + ", ".join(ACTOR_TYPES), "actor type: " + ", ".join(ACTOR_TYPES)),
    "comment": Message("remarque, par langue", "remark, per language"),
    "located_in": Message("territoire(s) où l'acteur est établi", "territory (or territories) where the actor is established"),
    "serves": Message("territoire(s) que l'acteur dessert", "territory (or territories) the actor serves"),
    "siren": Message("numéro SIREN (9 chiffres)", "SIREN number (9 digits)"),
    "siret": Message("numéro SIRET (14 chiffres)", "SIRET number (14 digits)"),
    "rna": Message("numéro RNA d'une association (W + 9 caractères)", "RNA number of an association (W + 9 characters)"),
    "wikidata": Message("entité Wikidata (IRI complet)", "Wikidata entity (full IRI)"),
    "participations": Message("qui prend part, dans quel rôle", "who takes part, in which role"),
    "actor": Message("identifiant d'un acteur de la liste « actors »", 'identifier of an actor of the "actors" list'),
    "role": Message(
        "porteur, partenaire, financeur, coproducteur, membre-gouvernance, beneficiaire, usager, acteur-mobilise, benevole ou diffuseur",
        "porteur, partenaire, financeur, coproducteur, membre-gouvernance, beneficiaire, usager, acteur-mobilise, benevole or diffuseur",
    ),
    "resources": Message("les ressources, par principe économique", "the resources, by economic principle"),
    "principle": Message("marche, redistribution ou reciprocite", "marche, redistribution or reciprocite"),
    "provider": Message("identifiant de l'acteur qui apporte la ressource", "identifier of the actor who supplies the resource"),
    "provider_unknown": Message("true si la source ne nomme pas le fournisseur", "true if the source does not name the provider"),
    "amount": Message("montant en euros (nombre)", "amount in euros (a number)"),
    "wording": Message(
        "les mots de la source pour cette ressource, par langue", "the source's words for this resource, per language"
    ),
    "characterisations": Message("les caractérisations au regard de la grille", "the characterisations against the grid"),
    "assessor": Message(
        "identifiant de l'acteur qui a établi la caractérisation", "identifier of the actor who made the characterisation"
    ),
    "date": Message("date de la caractérisation, AAAA-MM-JJ", "date of the characterisation, YYYY-MM-DD"),
    "grid": Message("version de la grille : godin-2013", "version of the grid: godin-2013"),
    "source": Message(
        "identifiant du document ou de la présentation d'origine", "identifier of the source document or presentation"
    ),
    "rights": Message("droits sur les énoncés cités, par langue", "rights on the quoted statements, per language"),
    "elements": Message("une évaluation par élément de la grille (neuf)", "one assessment per element of the grid (nine)"),
    "element": Message(
        "finalite-sociale, aspiration-sociale, ancrage-territorial, gouvernance-participative, modele-economique-pluriel, accessibilite, logique-de-service, impacts-directs ou changement-social",
        "finalite-sociale, aspiration-sociale, ancrage-territorial, gouvernance-participative, modele-economique-pluriel, accessibilite, logique-de-service, impacts-directs or changement-social",
    ),
    "level": Message("present, en-cours, absent ou non-renseigne", "present, en-cours, absent or non-renseigne"),
    "statement": Message(
        "ce que l'élément signifie pour ce cas, dans les mots de la source, par langue",
        "what the element means for this case, in the source's words, per language",
    ),
    "evidence": Message("éléments de preuve, par langue", "evidence, per language"),
    "results": Message(
        "étape 3, le résultat : une approche, un produit ou un service, décrit",
        "stage 3, the result: an approach, a product or a service, described",
    ),
    "novelty": Message(
        "ce qui rompt avec les pratiques habituelles (critère d'innovativité de l'ESID)",
        "what breaks with usual practices (ESID's innovativeness criterion)",
    ),
    "breaks_with": Message(
        "la pratique habituelle avec laquelle la nouveauté rompt, par langue",
        "the usual practice the novelty breaks with, per language",
    ),
    "impacts": Message("étape 4, les impacts, à chaque niveau", "stage 4, the impacts, at each scope"),
    "scope": Message(
        "individus, organisations, territoire ou collectivites", "individus, organisations, territoire or collectivites"
    ),
    "diffusions": Message("étape 4, la diffusion, par mode", "stage 4, the diffusion, by mode"),
    "mode": Message("marche, politiques-publiques, essaimage ou reseaux", "marche, politiques-publiques, essaimage or reseaux"),
    "diffused_by": Message(
        "identifiant(s) des acteurs qui portent la diffusion", "identifier(s) of the actors who carry the diffusion"
    ),
    "diffused_to": Message("territoire(s) atteints par la diffusion", "territory (or territories) the diffusion reaches"),
}
#: What ``type`` means in a result and in an impact (in an actor: :data:`KEY_HELP`).
TYPE_HELP = {
    "result": Message("Approach, Product ou Service", "Approach, Product or Service"),
    "impact": Message(
        "DirectImpact, ChangeInPractices ou ChangeInRepresentations (facultatif)",
        "DirectImpact, ChangeInPractices or ChangeInRepresentations (optional)",
    ),
}

#: The nine elements of the grid, in the order of the definition (their keys in a form).
ELEMENTS = (
    "finalite-sociale",
    "aspiration-sociale",
    "ancrage-territorial",
    "gouvernance-participative",
    "modele-economique-pluriel",
    "accessibilite",
    "logique-de-service",
    "impacts-directs",
    "changement-social",
)


def blank_form(lang: str) -> str:
    """A commented blank case form, to fill in by hand."""

    def c(key: str) -> str:
        return f"  # {KEY_HELP[key].text(lang)}"

    intro = (
        (
            "# isgraph — fiche de cas. Remplissez chaque champ ; les champs inutiles peuvent être supprimés.\n"
            "# Validez avec : isgraph validate FICHIER --lang fr\n"
        )
        if lang == "fr"
        else (
            "# isgraph — case form. Fill in each field; fields you do not need can be deleted.\n"
            "# Check it with: isgraph validate FILE --lang en\n"
        )
    )
    lines = [
        intro.rstrip("\n"),
        f"id:{c('id')}",
        f"label:{c('label')}",
        "  fr:",
        "  en:",
        f"title:{c('title')}",
        "  fr:",
        f"territory:{c('territory')}",
        f"start_date:{c('start_date')}",
        "",
        f"actors:{c('actors')}",
        f"  - id:{c('id')}",
        f"    type:{c('type')}",
        f"    label:{c('label')}",
        "      fr:",
        f"    located_in:{c('located_in')}",
        f"    siren:{c('siren')}",
        f"    rna:{c('rna')}",
        "",
        f"participations:{c('participations')}",
        f"  - actor:{c('actor')}",
        f"    role:{c('role')}",
        "",
        f"resources:{c('resources')}",
        f"  - principle:{c('principle')}",
        f"    provider:{c('provider')}",
        f"    provider_unknown:{c('provider_unknown')}",
        f"    amount:{c('amount')}",
        f"    wording:{c('wording')}",
        "      fr:",
        "",
        f"characterisations:{c('characterisations')}",
        f"  - assessor:{c('assessor')}",
        f"    date:{c('date')}",
        "    grid: godin-2013",
        f"    source:{c('source')}",
        f"    elements:{c('elements')}",
    ]
    for element in ELEMENTS:
        lines += [
            f"      - element: {element}",
            f"        level:{c('level')}",
            f"        statement:{c('statement')}",
            "          fr:",
        ]
    lines += [
        "",
        f"results:{c('results')}",
        f"  - type:  # {TYPE_HELP['result'].text(lang)}",
        f"    description:{c('description')}",
        "      fr:",
        f"novelty:{c('novelty')}",
        f"  description:{c('description')}",
        "    fr:",
        f"  breaks_with:{c('breaks_with')}",
        "    fr:",
        f"impacts:{c('impacts')}",
        f"  - type:  # {TYPE_HELP['impact'].text(lang)}",
        f"    scope:{c('scope')}",
        f"    description:{c('description')}",
        "      fr:",
        f"diffusions:{c('diffusions')}",
        f"  - mode:{c('mode')}",
        f"    diffused_to:{c('diffused_to')}",
        f"    description:{c('description')}",
        "      fr:",
    ]
    return "\n".join(lines) + "\n"
