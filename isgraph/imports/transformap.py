"""TransforMap / SSEDAS GeoJSON: the maps of social and solidarity economy initiatives that
TransforMap publishes (a ``FeatureCollection``, one ``Feature`` per initiative, its
properties in OpenStreetMap's style).

Each feature becomes a case (:func:`isgraph.imports.records.case_triples`): ``_id`` (the
TransforMap identifier) is its key, ``name`` names the actor and the initiative,
``description`` and ``description:<language>`` describe it, ``addr:country`` (a code or
a name in any language of the EU: ``Österreich``, ``UK``, ``England``) gives the
territory, ``contact:website`` or ``website`` goes on the actor. The maps say nothing of
an organisation's legal form: the actor is an ``isg:Organisation``.

Contact details (``contact:email``, ``contact:phone``, the street address), the point of
the feature, and the names of photographers (``image:author``, ``image:credit``) are never
stored. Every other property is reported, with what could not be mapped.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.imports.crosswalk import Crosswalk
from isgraph.imports.places import resolve
from isgraph.imports.records import CONTACT, PERSONAL, CaseParts, Columns, Record, case_triples, read_text, web_address
from isgraph.messages import Message
from isgraph.namespaces import DCTERMS, FOAF, ISG
from isgraph.rdf.limits import check_depth
from isgraph.store.territories import TerritoryReference

_LEFT_OUT = {
    **dict.fromkeys(("contact:email", "contact:phone", "addr:street", "addr:housenumber", "addr:housename"), CONTACT),
    **dict.fromkeys(("geometry", "addr:postcode", "image:author", "image:credit"), PERSONAL),
}
_LANGUAGE = re.compile(r"^description:([a-z]{2})$")


def read(
    path: Path,
    *,
    source: str,
    edition: datetime.date,
    crosswalk: Crosswalk,
    territories: TerritoryReference,
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[Record], Columns]:
    """Every feature as a record, and what became of each property. A file that is not a
    GeoJSON FeatureCollection is refused whole, with the line."""
    del crosswalk  # the maps use no ESSGLOBAL concept
    document = _document(path)
    columns = Columns()
    if isinstance(licence := document.get("license"), str) and licence.strip():
        columns.declared_rights = Message(
            f"Licence déclarée par le fichier : {licence.strip()}", f"Licence declared by the file: {licence.strip()}"
        )
    records = []
    for number, feature in enumerate(document["features"], 1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            records.append(Record("", number, ()))
            continue
        if feature.get("geometry") is not None:
            columns.leave_out("geometry", PERSONAL)
        records.append(_record(properties, number, source, edition, territories, columns, aliases or {}))
    return records, columns


def _document(path: Path) -> dict[str, Any]:
    text, data = read_text(path)
    check_depth(data, shown_as=str(path))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            Message(f"JSON invalide : {exc.msg}", f"invalid JSON: {exc.msg}"), path=str(path), line=exc.lineno, column=exc.colno
        ) from None
    if (
        not isinstance(document, dict)
        or document.get("type") != "FeatureCollection"
        or not isinstance(document.get("features"), list)
    ):
        raise InputError(
            Message(
                "ce n'est pas une FeatureCollection GeoJSON (« type »: « FeatureCollection », « features »: [...])",
                'this is not a GeoJSON FeatureCollection ("type": "FeatureCollection", "features": [...])',
            ),
            path=str(path),
            line=1,
        )
    return document


def _record(
    properties: dict[str, Any],
    number: int,
    source: str,
    edition: datetime.date,
    territories: TerritoryReference,
    columns: Columns,
    aliases: Mapping[str, str],
) -> Record:
    value = {k: v.strip() if isinstance(v, str) else v for k, v in properties.items()}
    for key in value:
        if key in _LEFT_OUT:
            columns.leave_out(key, _LEFT_OUT[key])
    key, name = _text(value.get("_id")), _text(value.get("name"))
    for column, text in (("_id", key), ("name", name)):
        if text:
            columns[column].mapped += 1
    descriptions: list[ox.Literal] = []
    for column, text in value.items():
        language = _LANGUAGE.match(column)
        if (column == "description" or language) and _text(text):
            descriptions.append(ox.Literal(_text(text), language=language.group(1)) if language else ox.Literal(_text(text)))
            columns[column].mapped += 1
    facts: list[tuple[str, ox.NamedNode | ox.Literal]] = []
    for column in ("contact:website", "website"):
        if text := _text(value.get(column)):
            if address := web_address(text):
                facts.append((FOAF["homepage"], address))
                columns[column].mapped += 1
            else:
                columns[column].missed(text)
    country, city = _text(value.get("addr:country")), _text(value.get("addr:city"))
    place = resolve(territories, aliases=aliases, country=country, postcode=_text(value.get("addr:postcode")), locality=city)
    if country:
        if place.country:
            columns["addr:country"].mapped += 1
            columns["addr:country"].read_as[(country, (place.region or place.country).rsplit("/", 1)[1])] += 1
        else:
            columns["addr:country"].missed(country)
    if city:
        if place.commune:
            columns["addr:city"].mapped += 1
        else:
            columns["addr:city"].missed(city)
    done = {"_id", "name", "description", "contact:website", "website", "addr:country", "addr:city", *_LEFT_OUT}
    for column, text in value.items():
        if column not in done and not _LANGUAGE.match(column) and _text(text):
            columns[column].missed(_text(text))
    parts = CaseParts(
        source=source,
        key=key,
        name=name,
        carrier_kind=ISG["Organisation"],
        territory=place.territory,
        edition=edition,
        carrier_facts=tuple(dict.fromkeys(facts)),
    )
    triples = case_triples(parts) if key and name else ()
    if triples and descriptions:
        initiative = next(t.subject for t in triples if t.object == ox.NamedNode(ISG["Initiative"]))
        triples = (*triples, *(ox.Triple(initiative, ox.NamedNode(DCTERMS["description"]), d) for d in descriptions))
    return Record(key, number, triples)


def _text(value: Any) -> str:
    """A property's value as text (numbers and booleans as JSON writes them); lists and
    objects are not text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return ""
