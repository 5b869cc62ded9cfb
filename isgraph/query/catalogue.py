"""The query catalogue: ``queries/*.rq``, one question each, described by a header.

A query file starts with ``#+`` lines that hold YAML (the grlc convention)::

    #+ name: initiatives-in-territory
    #+ title: {fr: Initiatives d'un territoire, en: Initiatives in a territory}
    #+ description: {fr: "…", en: "…"}
    #+ tags: [territoire, territory]
    #+ params:
    #+   territory: {type: iri, default: "id:territory/region/32",
    #+               description: {fr: "…", en: "…"}}
    #+ lesson: lesson:societe-civile

Parameters appear in the query as ``?_name``. Their values are checked against
their type and bound by substitution of a term serialised by pyoxigraph, so a
value can never become SPARQL syntax. Types: ``iri``, ``string``, ``integer``,
``decimal``, ``date``, ``boolean``; ``fold: true`` on a string lower-cases it
and strips its accents (for searches that ignore them).

A ``search`` parameter is a full-text search: ``variable`` names the query's variable
that holds the texts searched and ``properties`` the properties they are the values of::

    #+   text: {type: search, variable: statement, properties: [isg:statement], …}

The store's text index (:mod:`isgraph.store.text_index`) gives the texts that hold the
words, and the query starts from them (a ``VALUES`` block opens its ``WHERE``). A store
without an index (a remote server) is asked the same question as a regular expression
instead: each word, or one of its stems, accents and case ignored (:func:`search_filter`).
A store that keeps the views kept at ingest (:mod:`isgraph.store.views`) is asked the same
question of them when ``queries/views/<name>.rq`` exists, with the same parameters; and of
an aggregate (:mod:`isgraph.store.aggregates`) when ``queries/aggregates/<name>.rq`` exists,
for the values of the parameters ``aggregate_when`` names (its others it uses)::

    #+ aggregate_when: {same_as: false}

An aggregate whose rows hold the labels of its answer's label columns, for some languages,
says which (``aggregate_labels``): asked in one of them, its answer is not read again to
fill labels (:meth:`CatalogueQuery.labels_filled_after`)::

    #+ aggregate_labels: [fr, en]

A header that does not parse, or says what this module does not know, is an error.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from isgraph import resources
from isgraph.errors import InputError
from isgraph.messages import LANGUAGES, Message
from isgraph.namespaces import ID, PREFIXES, sparql_prefixes
from isgraph.query.sparql_text import inserted, places, substitute, variables
from isgraph.rdf.yamllines import YamlDocument, read_header
from isgraph.sparql.policy import Policy
from isgraph.store import Collected, QueryResult, Store, aggregates, views
from isgraph.store.answers import label_columns
from isgraph.store.labels import label_terms
from isgraph.store.rows import select
from isgraph.text import fold, stemmed_words, words

TYPES = ("iri", "string", "integer", "decimal", "date", "boolean", "search")
_KEYS = {
    "name",
    "title",
    "description",
    "tags",
    "params",
    "lesson",
    "misconception",
    "heavy",
    "chart",
    "aggregate_when",
    "aggregate_labels",
}
_CHART_KEYS = {"category", "series", "value", "values"}
_PARAM_KEYS = {"type", "default", "description", "fold", "variable", "properties"}
#: Names a parameter may not take: the command line's and the API's own (pages, formats).
RESERVED = ("format", "limit", "offset", "all", "page", "size")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$")
_CURIE = re.compile(r"^([A-Za-z][\w\-]*):([^\s/][^\s]*)?$")
#: Longest parameter value accepted.
MAX_VALUE = 10_000
#: Rows on a page of a catalogue query's answer unless asked otherwise (``limit``).
PAGE = 100
#: Most texts a search may find (distinct texts: a text shared by many cases counts once).
MAX_FOUND = 10_000
#: Prefixes accepted in IRI parameters, beside full IRIs (``id:`` for isgraph's data).
PARAM_PREFIXES = {**PREFIXES, "id": str(ID)}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: Message
    fold: bool = False
    #: a search: the query's variable bound to the texts found, and their properties
    variable: str | None = None
    properties: tuple[str, ...] = ()

    def term(self, value: str, where: str) -> str:
        """The value as a SPARQL term, or an InputError that says what is wrong."""

        def refuse(fr: str, en: str) -> InputError:
            return InputError(
                Message(f"paramètre « {self.name} » ({self.type}) : {fr}", f'parameter "{self.name}" ({self.type}): {en}'),
                path=where,
            )

        if len(value) > MAX_VALUE:
            raise refuse(f"valeur trop longue (plus de {MAX_VALUE} caractères)", f"value too long (over {MAX_VALUE} characters)")
        if self.type == "iri":
            iri = expand_curie(value)
            if not _IRI.match(iri):
                raise refuse(f"IRI invalide : {value!r}", f"invalid IRI: {value!r}")
            try:
                return str(ox.NamedNode(iri))
            except ValueError:
                raise refuse(f"IRI invalide : {value!r}", f"invalid IRI: {value!r}") from None
        if self.type == "string":
            return str(ox.Literal(fold(value) if self.fold else value))
        if self.type == "search":
            if not words(value):
                raise refuse("aucun mot à chercher", "no word to look for")
            return str(ox.Literal(value))
        if self.type == "integer" and re.fullmatch(r"[+-]?\d{1,18}", value):
            return str(ox.Literal(str(int(value)), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))
        if self.type == "decimal" and re.fullmatch(r"[+-]?\d{1,18}(\.\d{1,18})?", value):
            return str(ox.Literal(value, datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal")))
        if self.type == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return str(ox.Literal(value, datatype=ox.NamedNode(PREFIXES["xsd"] + "date")))
        if self.type == "boolean" and value in ("true", "false"):
            return str(ox.Literal(value, datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean")))
        expected = {
            "integer": ("un entier", "an integer"),
            "decimal": ("un nombre décimal", "a decimal number"),
            "date": ("une date AAAA-MM-JJ", "a date YYYY-MM-DD"),
            "boolean": ("true ou false", "true or false"),
        }
        fr, en = expected[self.type]
        raise refuse(f"{fr} attendu, reçu {value!r}", f"{en} expected, got {value!r}")


def expand_curie(value: str) -> str:
    """``id:territory/region/32`` or ``lesson:economie-plurielle`` as a full IRI; anything else as it is."""
    match = _CURIE.match(value)
    if match and match.group(1) in PARAM_PREFIXES:
        return PARAM_PREFIXES[match.group(1)] + (match.group(2) or "")
    return value


@dataclass(frozen=True)
class Chart:
    """How an aggregate query is drawn (a bar per ``category``): its bars split by the
    ``series`` column with the ``value`` column as length, or by the ``values`` columns
    (one series each), or, with neither, the number of rows."""

    category: str
    series: str | None = None
    value: str | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogueQuery:
    """One question of the catalogue."""

    name: str
    title: Message
    description: Message
    tags: tuple[str, ...]
    params: tuple[Parameter, ...]
    lesson: str | None
    misconception: str | None
    heavy: bool
    sparql: str
    path: Path
    chart: Chart | None = None
    #: the same question asked of the views kept at ingest (``queries/views/<name>.rq``), which
    #: a store that keeps them is asked instead: the same rows, read from far fewer triples
    with_views: str | None = None
    #: the same question asked of an aggregate kept at ingest (``queries/aggregates/<name>.rq``,
    #: :mod:`isgraph.store.aggregates`): its rows, kept whole, read a page at a time
    with_aggregate: str | None = None
    #: the parameters' values (as SPARQL terms) for which the aggregate answers (none: always)
    aggregate_when: tuple[tuple[str, str], ...] = ()
    #: the languages in which the aggregate's rows hold every label of its label columns
    aggregate_labels: tuple[str, ...] = ()

    def text_for(self, store: Store | None, values: Mapping[str, str] | None = None) -> str:
        """The text ``store`` is asked with the parameters ``values``: the one on an
        aggregate when it keeps the views and the values are those the aggregate answers
        for, else the one on the views when it keeps them, else the definition."""
        if (self.with_views is None and self.with_aggregate is None) or store is None or not store.keeps_views():
            return self.sparql
        if self.with_aggregate is not None and self._aggregate_answers(values or {}):
            return self.with_aggregate
        return self.with_views or self.sparql

    def _aggregate_answers(self, values: Mapping[str, str]) -> bool:
        known = {p.name: p for p in self.params}
        for name, term in self.aggregate_when:
            given = values.get(name, known[name].default)
            try:
                if given is None or known[name].term(given, self.name) != term:
                    return False
            except InputError:
                return False  # (said when the query is bound)
        return True

    def fills_labels(self) -> bool:
        """Whether its answer has label columns that :func:`with_labels` may fill (``?xLabel`` beside ``?x``)."""
        return _labels_filled(self.sparql)

    def labels_filled_after(self, values: Mapping[str, str] | None, store: Store | None) -> str | None:
        """The language in which isgraph fills the answer's label columns after the query
        (:func:`with_labels`), or None when there is nothing to fill: the query has no label
        column, or ``store`` is asked the aggregate, whose rows hold them in that language."""
        if not self.fills_labels():
            return None
        lang = self.language(values)
        if lang in self.aggregate_labels and self.text_for(store, values) is self.with_aggregate:
            return None
        return lang

    def language(self, values: Mapping[str, str] | None = None) -> str:
        """The language its labels are asked in: its ``lang`` parameter as given, else as declared (``fr``)."""
        declared = next((p.default for p in self.params if p.name == "lang"), None)
        return (values or {}).get("lang") or declared or "fr"

    def bind(
        self,
        values: Mapping[str, str] | None = None,
        store: Store | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        within: tuple[int | None, int | None] = (None, None),
    ) -> str:
        """The query text with every parameter bound (given value, else its default). The
        text is read by isgraph's parser first (once: the parser keeps what it read), so that
        a catalogue query that would write or call another server never runs; listing the
        catalogue parses nothing. A search is answered by ``store``'s text index when it has
        one, else by a regular expression (see the module's description). With ``limit``, the
        query answers that many rows from ``offset`` on, in its own order (every query of the
        catalogue orders its rows completely). With ``within`` (from, below), a query whose
        rows are ordered by one variable (:class:`isgraph.query.sparql_text.Places`) answers
        those whose value of it lies in that range (:meth:`whole`)."""
        sparql = self.text_for(store, values)
        read_only(sparql, self.name)
        values = dict(values or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise InputError(
                Message(
                    f"paramètre inconnu « {unknown[0]} » (paramètres de {self.name} : {', '.join(known) or 'aucun'})",
                    f'unknown parameter "{unknown[0]}" ({self.name} takes: {", ".join(known) or "none"})',
                ),
                path=self.name,
            )
        terms, openings = {}, []
        for param in self.params:
            value = values.get(param.name, param.default)
            if value is None:
                raise InputError(
                    Message(f"paramètre « {param.name} » requis", f'parameter "{param.name}" required'), path=self.name
                )
            terms[param.name] = param.term(value, self.name)
            if param.type == "search":
                openings.append(self._search(param, value, store))
        # what is added goes into the catalogue's own text, whose places the parser read once
        where = places(sparql)
        additions = [(where.where, "".join(f" {clause}" for clause in openings))] if openings else []
        if within != (None, None):
            if where.range is None:
                raise ValueError(f"{self.name}: a query whose rows are not ordered by one variable is not cut in ranges")
            variable, at = where.range
            bounds = [f"?{variable} >= {int(within[0])}"] if within[0] is not None else []
            bounds += [f"?{variable} < {int(within[1])}"] if within[1] is not None else []
            additions.append((at, f" FILTER ({' && '.join(bounds)})"))
        if limit is not None:
            if where.end is None:
                raise ValueError(f"{self.name}: a query with its own LIMIT or OFFSET, or no SELECT, is not paged")
            additions.append((where.end, f" LIMIT {int(limit)} OFFSET {int(offset)}"))
        return substitute(inserted(sparql, additions), terms)

    def whole(self, values: Mapping[str, str] | None, store: Store) -> list[str]:
        """The texts of the whole answer, whose answers' rows follow each other: for a listing
        asked of the views, two, one for the cases of the first half of the ranks and one for
        the others (:func:`isgraph.store.views.halfway`), and for one asked of an aggregate
        whose positions are ranks alone, two, cut at the middle of its positions
        (:func:`isgraph.store.aggregates.halfway`; the actors in several initiatives, at their
        middle row, read from the histogram of their counts), so that the store writes them on two
        threads; else the text alone."""
        sparql = self.text_for(store, values)
        ranged = places(sparql).range if sparql is self.with_views or sparql is self.with_aggregate else None
        cut = None
        if ranged is not None and ranged[0] == views.POSITION:
            self.bind(values, store)  # a bad parameter is refused before any work
            if sparql is self.with_views:
                cut = views.halfway(lambda text: select(store, text))
            else:
                given = {p.name: (values or {}).get(p.name) or p.default or "" for p in self.params}
                cut = aggregates.halfway(lambda text: select(store, text), self.name, given)
        if cut is None:
            return [self.bind(values, store)]
        return [self.bind(values, store, within=(None, cut)), self.bind(values, store, within=(cut, None))]

    def _search(self, param: Parameter, value: str, store: Store | None) -> str:
        """What opens the query's ``WHERE`` for a search: the texts found, or the filter."""
        variable = param.variable or ""
        found = None if store is None else store.search(value, param.properties, MAX_FOUND)
        if found is None:
            return search_filter(variable, value)
        if len(found) > MAX_FOUND:
            raise InputError(
                Message(
                    f"« {value} » se trouve dans plus de {MAX_FOUND} textes : précisez la recherche",
                    f'"{value}" is in over {MAX_FOUND} texts: narrow the search',
                ),
                path=self.name,
            )
        return f"VALUES ?{variable} {{ {' '.join(found)} }}"


def _labels_filled(sparql: str) -> bool:
    """Whether the query has label columns that :func:`with_labels` may fill (``?xLabel`` beside ``?x``)."""
    return bool(label_columns(sorted(variables(sparql))))


def parse_query(path: Path) -> CatalogueQuery:
    shown_as = f"queries/{path.name}"
    data, reader, body = read_header(path, shown_as)
    reader.refuse_unknown(data, _KEYS, ())
    if data.get("name") != path.stem:
        raise reader.error(
            ("name",), f"« name » doit être le nom du fichier ({path.stem})", f'"name" must be the file\'s name ({path.stem})'
        )
    tags = data.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise reader.error(("tags",), "liste de mots attendue", "list of words expected")
    params = []
    raw_params = data.get("params", {}) or {}
    if not isinstance(raw_params, dict):
        raise reader.error(("params",), "ensemble de paramètres attendu", "set of parameters expected")
    for name, spec in raw_params.items():
        where = ("params", name)
        if name in RESERVED:
            raise reader.error(
                where, f"nom réservé (réservés : {', '.join(RESERVED)})", f"reserved name (reserved: {', '.join(RESERVED)})"
            )
        if not isinstance(spec, dict):
            raise reader.error(where, "description de paramètre attendue", "parameter description expected")
        reader.refuse_unknown(spec, _PARAM_KEYS, where)
        if spec.get("type") not in TYPES:
            raise reader.error((*where, "type"), f"type parmi {', '.join(TYPES)}", f"type among {', '.join(TYPES)}")
        default = spec.get("default")
        variable, properties = _search_spec(reader, spec, where, variables(body))
        param = Parameter(
            name,
            spec["type"],
            None if default is None else str(default),
            reader.bilingual(spec, "description") if "description" in spec else _missing(reader, (*where, "description")),
            bool(spec.get("fold", False)),
            variable,
            properties,
        )
        if param.default is not None:
            param.term(param.default, shown_as)
        # a lang the text does not read chooses the language of the label columns isgraph fills (with_labels)
        unread = f"_{name}" not in variables(body) and not (name == "lang" and _labels_filled(body))
        if param.type != "search" and unread:
            raise reader.error(where, f"la requête n'utilise pas ?_{name}", f"the query does not use ?_{name}")
        params.append(param)
    for key in ("lesson", "misconception"):
        if key in data and not (isinstance(data[key], str) and data[key].startswith(f"{key}:")):
            raise reader.error((key,), f"{key}:… attendu", f"{key}:… expected")
    return CatalogueQuery(
        path.stem,
        reader.bilingual(data, "title"),
        reader.bilingual(data, "description"),
        tuple(tags),
        tuple(params),
        expand_curie(data["lesson"]) if "lesson" in data else None,
        expand_curie(data["misconception"]) if "misconception" in data else None,
        bool(data.get("heavy", False)),
        body,
        path,
        _chart(reader, data.get("chart"), variables(body)),
        _with_views(path, reader, body),
        *_with_aggregate(path, reader, body, data.get("aggregate_when"), params),
        _aggregate_labels(path, reader, data.get("aggregate_labels"), body),
    )


def _with_views(path: Path, reader: YamlDocument, body: str) -> str | None:
    """The query's text on the views (``views/<name>.rq`` beside it), if it has one: it uses
    the same parameters."""
    on_views = path.parent / "views" / path.name
    if not on_views.exists():
        return None
    text = on_views.read_text(encoding="utf-8")
    used = variables(text)
    missing = sorted(v for v in variables(body) if v.startswith("_") and v not in used)
    if missing:
        raise reader.error(
            ("params",),
            f"queries/views/{path.name} n'utilise pas ?{missing[0]}",
            f"queries/views/{path.name} does not use ?{missing[0]}",
        )
    return text


def _with_aggregate(
    path: Path, reader: YamlDocument, body: str, when: Any, params: list[Parameter]
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The query's text on an aggregate (``aggregates/<name>.rq`` beside it), if it has one,
    and the values of the parameters it answers for (``aggregate_when``): it uses the
    other parameters."""
    on_aggregate = path.parent / "aggregates" / path.name
    if when is not None and not (isinstance(when, dict) and when):
        raise reader.error(("aggregate_when",), "valeurs de paramètres attendues", "values of parameters expected")
    if not on_aggregate.exists():
        if when is not None:
            raise reader.error(
                ("aggregate_when",),
                f"queries/aggregates/{path.name} n'existe pas",
                f"queries/aggregates/{path.name} does not exist",
            )
        return None, ()
    known = {p.name: p for p in params}
    fixed = []
    for name, value in (when or {}).items():
        if name not in known:
            raise reader.error(("aggregate_when", name), "paramètre inconnu", "unknown parameter")
        fixed.append(
            (name, known[name].term(str(value).lower() if isinstance(value, bool) else str(value), f"queries/{path.name}"))
        )
    text = on_aggregate.read_text(encoding="utf-8")
    used = variables(text)
    missing = sorted(v for v in variables(body) if v.startswith("_") and v not in used and v[1:] not in dict(fixed))
    if missing:
        raise reader.error(
            ("params",),
            f"queries/aggregates/{path.name} n'utilise pas ?{missing[0]}",
            f"queries/aggregates/{path.name} does not use ?{missing[0]}",
        )
    return text, tuple(fixed)


def _aggregate_labels(path: Path, reader: YamlDocument, given: Any, body: str) -> tuple[str, ...]:
    """The languages in which the query's aggregate holds its labels (``aggregate_labels``)."""
    if given is None:
        return ()
    if not (isinstance(given, list) and given and all(lang in LANGUAGES for lang in given)):
        raise reader.error(
            ("aggregate_labels",),
            f"liste de langues attendue ({', '.join(LANGUAGES)})",
            f"list of languages expected ({', '.join(LANGUAGES)})",
        )
    if not (path.parent / "aggregates" / path.name).exists() or not _labels_filled(body):
        raise reader.error(
            ("aggregate_labels",),
            f"sans queries/aggregates/{path.name} ni colonne de libellés, rien à garder",
            f"with no queries/aggregates/{path.name} or no label column, nothing to keep",
        )
    return tuple(given)


def _search_spec(
    reader: YamlDocument, spec: dict[str, Any], where: tuple[Any, ...], used: set[str]
) -> tuple[str | None, tuple[str, ...]]:
    """A search parameter's ``variable`` (one of the query's) and ``properties`` (IRIs or
    prefixed names); neither for the other types."""
    if spec.get("type") != "search":
        for key in ("variable", "properties"):
            if key in spec:
                raise reader.error(
                    (*where, key), "seulement pour une recherche (type: search)", "only for a search (type: search)"
                )
        return None, ()
    variable = spec.get("variable")
    if not isinstance(variable, str) or variable not in used:
        raise reader.error((*where, "variable"), "une variable de la requête attendue", "one of the query's variables expected")
    properties = spec.get("properties")
    if not (isinstance(properties, list) and properties and all(isinstance(p, str) for p in properties)):
        raise reader.error((*where, "properties"), "liste de propriétés attendue", "list of properties expected")
    iris = tuple(expand_curie(p) for p in properties)
    for iri in iris:
        if not _IRI.match(iri):
            raise reader.error((*where, "properties"), f"IRI invalide : {iri!r}", f"invalid IRI: {iri!r}")
    return variable, iris


#: The letters that take accents in French: in a search sent as a regular expression, each
#: stands for itself or for one character outside printable ASCII (its accented forms).
_ACCENTED = frozenset("aceiouy")
#: Before a word: the start of the text, or a character that is neither letter nor digit.
_WORD_START = r"(^|[^\p{L}\p{N}])"


def search_filter(variable: str, text: str) -> str:
    r"""The search of ``text`` over ``?variable`` as a SPARQL filter, for a store without a
    text index: every word, or one of its stems, at the start of a word of the text, accents
    and case ignored. One ``REGEX`` per word, written in ASCII alone: a letter that takes
    accents stands for itself or for any character outside printable ASCII (``(e|[^ -~]{1,2})``,
    the ``{1,2}`` for servers that read bytes). Virtuoso 7.2 reads its expressions byte by
    byte: an accented letter in a class or a group never matches there, and the flag ``i``
    stops every accented letter from matching, so none is written; nor is any ``REPLACE``
    (seven chained ones stop matching "é" on Virtuoso).

    >>> search_filter("statement", "Été")
    'FILTER (REGEX(STR(?statement), "(^|[^\\\\p{L}\\\\p{N}])(e|[^ -~]{1,2})t(e|[^ -~]{1,2})", "i"))'
    """
    tests = []
    for word, word_stems in stemmed_words(text).items():
        forms = sorted({word, *word_stems}, key=lambda w: (-len(w), w))
        alternatives = "|".join("".join(f"({c}|[^ -~]{{1,2}})" if c in _ACCENTED else c for c in form) for form in forms)
        pattern = _WORD_START + (f"({alternatives})" if len(forms) > 1 else alternatives)
        tests.append(f'REGEX(STR(?{variable}), {ox.Literal(pattern)}, "i")')
    return f"FILTER ({' && '.join(tests)})"


def _chart(reader: YamlDocument, spec: Any, used: set[str]) -> Chart | None:
    """The ``chart`` header: columns of the query's result, refused when the query has none of that name."""
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise reader.error(("chart",), "description de graphique attendue", "chart description expected")
    reader.refuse_unknown(spec, _CHART_KEYS, ("chart",))
    values = spec.get("values", [])
    columns = {"category": spec.get("category"), "series": spec.get("series"), "value": spec.get("value")}
    if not isinstance(values, list) or not isinstance(columns["category"], str):
        raise reader.error(
            ("chart",),
            "« category » (une colonne) requis ; « values » : une liste",
            '"category" (a column) required; "values": a list',
        )
    if values and (columns["series"] or columns["value"]):
        raise reader.error(
            ("chart", "values"),
            "« values » ou « series » et « value », pas les deux",
            '"values" or "series" and "value", not both',
        )
    for key, column in [*columns.items(), *(("values", v) for v in values)]:
        if column is not None and (not isinstance(column, str) or column not in used):
            raise reader.error(("chart", key), f"la requête n'a pas de colonne ?{column}", f"the query has no column ?{column}")
    return Chart(columns["category"], columns["series"], columns["value"], tuple(values))


def _missing(reader: YamlDocument, where: tuple[Any, ...]) -> Message:
    raise reader.error(where, "description en français et en anglais requise", "French and English description required")


def read_only(sparql: str, where: str) -> str:
    """The text the store is given for a read query of the command line or the catalogue
    (isgraph's prefixes declared); an InputError if it is not a query, or calls another
    server (no ``SERVICE`` is allowed here)."""
    try:
        return LOCAL.query(with_prefixes(sparql), where).text
    except InputError as exc:
        raise shift_back(exc) from None


#: What the command line and the catalogue may run: local read queries.
LOCAL = Policy()


def load_catalogue(folder: Path | None = None) -> list[CatalogueQuery]:
    folder = folder or resources.queries_dir()
    return [parse_query(p) for p in sorted(folder.glob("*.rq"))]


def find(name: str, folder: Path | None = None) -> CatalogueQuery:
    catalogue = load_catalogue(folder)
    for query in catalogue:
        if query.name == name:
            return query
    raise InputError(
        Message(f"requête inconnue « {name} » : voir « isgraph queries »", f'unknown query "{name}": see "isgraph queries"'),
        path="queries/",
    )


def run(store: Store, query: CatalogueQuery, values: Mapping[str, str] | None = None) -> QueryResult:
    """Run a catalogue query with its parameters bound."""
    return store.query(query.bind(values, store))


def answer(
    store: Store,
    query: CatalogueQuery,
    values: Mapping[str, str] | None = None,
    *,
    timeout: float = float("inf"),
    max_results: int = 10**9,
) -> Collected:
    """A catalogue query's whole result, as the command line and the web server give it: under
    the limits, and with every label column filled (:func:`with_labels`)."""
    collected = store.collected(query.bind(values, store), timeout=timeout, max_results=max_results)
    return with_labels(store, collected, query.language(values))


@dataclass(frozen=True)
class Page:
    """A page of a catalogue query's answer: ``limit`` rows from ``offset`` on, and whether more follow."""

    collected: Collected
    offset: int
    limit: int
    more: bool


def answer_page(
    store: Store,
    query: CatalogueQuery,
    values: Mapping[str, str] | None = None,
    *,
    limit: int = PAGE,
    offset: int = 0,
    timeout: float = float("inf"),
) -> Page:
    """One page of a catalogue query's answer (labels filled): :meth:`CatalogueQuery.bind`
    with one row more than the page shows, to tell whether more follow, then :func:`page_of`."""
    check_page(query, limit, offset)
    collected = store.collected(query.bind(values, store, limit=limit + 1, offset=offset), timeout=timeout)
    return page_of(store, query, values, collected, limit, offset)


def check_page(query: CatalogueQuery, limit: int, offset: int) -> None:
    """An InputError unless ``limit`` is at least 1 and ``offset`` at least 0."""
    if limit < 1 or offset < 0:
        raise InputError(
            Message("« limit » : au moins 1 ; « offset » : au moins 0", '"limit": at least 1; "offset": at least 0'),
            path=query.name,
        )


def page_of(
    store: Store, query: CatalogueQuery, values: Mapping[str, str] | None, collected: Collected, limit: int, offset: int
) -> Page:
    """The page read with ``limit + 1`` rows from ``offset``: its first ``limit`` rows, labelled."""
    variables, rows = collected.table()
    shown = dataclasses.replace(collected, variables=variables, rows=rows[:limit], raw_json=None)
    return Page(with_labels(store, shown, query.language(values)), offset, limit, len(rows) > limit)


def with_labels(store: Store, collected: Collected, lang: str) -> Collected:
    """The solutions with each ``?xLabel`` left unbound by the query filled with the label of
    ``?x`` (in ``lang``, else the other language, else its local name: :func:`isgraph.store.labels.label_terms`)."""
    if collected.kind != "solutions":
        return collected
    variables, rows = collected.table()
    columns = [(variables.index(label), variables.index(of)) for label, of in label_columns(variables)]
    missing = {row[of].value for row in rows for label, of in columns if row[label] is None and isinstance(row[of], ox.NamedNode)}  # type: ignore[union-attr]  # isinstance checked
    if not missing:
        return dataclasses.replace(collected, variables=variables, rows=rows, raw_json=None)
    found = label_terms(store, missing, lang)
    filled = []
    for row in rows:
        row = list(row)
        for label, of in columns:
            if row[label] is None and isinstance(node := row[of], ox.NamedNode):
                row[label] = found[node.value]
        filled.append(row)
    return dataclasses.replace(collected, variables=variables, rows=filled, raw_json=None)


#: isgraph's prefixes, declared on one line before a user's query (its own declarations win).
PROLOGUE = sparql_prefixes().replace("\n", " ")


def with_prefixes(sparql: str, base: str | None = None) -> str:
    """A request with isgraph's prefixes declared (and ``base`` as its base IRI), on its first
    line so that an error's line number is the request's own (:func:`shift_back` puts its
    column back)."""
    return _prologue(base) + sparql


def shift_back(exc: InputError, base: str | None = None) -> InputError:
    """An error in a request run :func:`with_prefixes`, at the request's own column."""
    if exc.line == 1 and exc.column is not None:
        exc.column = max(1, exc.column - len(_prologue(base)))
    return exc


def _prologue(base: str | None) -> str:
    return (f"BASE <{base}> " if base else "") + PROLOGUE


def run_text(store: Store, sparql: str, where: str = "query") -> QueryResult:
    """Run any read query, isgraph's prefixes declared (:func:`with_prefixes`)."""
    text = read_only(sparql, where)
    try:
        return store.query(text)
    except InputError as exc:
        shift_back(exc).path = where
        raise
