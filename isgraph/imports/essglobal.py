"""The ESSGLOBAL "standard" CSV of the Solidarity Economy Association (SEA).

SEA converts its sources (Co-operatives UK, DotCoop, the Solidarity Economy maps…) into
one CSV of 30 columns whose coded columns hold ESSGLOBAL 2.1 concepts. Each row is an
organisation; it becomes a case (:func:`isgraph.imports.records.case_triples`):

- ``Identifier`` is its key in the source, ``Name`` names the actor and the initiative,
  ``Description`` describes the initiative;
- ``Organisational Structure`` gives the kind of actor (``ontology/crosswalks.ttl``),
  ``Membership Type`` the roles of its members, ``Primary Activity``, ``Activities`` and
  ``Qualifiers`` the ESSGLOBAL concepts that are the initiative's subjects;
- ``Country ID`` and ``Region`` give the territory (ISO 3166-1 and 3166-2); in France,
  ``Postcode`` and ``Locality`` give the commune when they name exactly one;
- ``Website`` and ``Companies House Number`` go on the actor.

Contact details (street, phone, e-mail, social media) and what could point to a home
(postcode, coordinates) are never stored. Every other column is reported, with what
could not be mapped.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from isgraph.imports.crosswalk import Crosswalk
from isgraph.imports.places import resolve
from isgraph.imports.records import (
    COMPANY_NUMBER,
    CONTACT,
    PERSONAL,
    CaseParts,
    Columns,
    Record,
    case_triples,
    csv_rows,
    web_address,
)
from isgraph.messages import Message
from isgraph.namespaces import FOAF, ISG
from isgraph.store.territories import TerritoryReference

#: The columns of the standard CSV (SEA's ``standard.csv``), in their order.
COLUMNS = (
    "Identifier", "Name", "Description", "Organisational Structure", "Primary Activity", "Activities",
    "Street Address", "Locality", "Region", "Postcode", "Country ID", "Territory ID", "Website", "Phone",
    "Email", "Twitter", "Facebook", "Companies House Number", "Qualifiers", "Membership Type", "Latitude",
    "Longitude", "Geo Container", "Geo Container Latitude", "Geo Container Longitude", "Sector", "SIC Section",
    "SIC Code", "Ownership Classification", "Legal Form",
)  # fmt: skip
REQUIRED = ("Identifier", "Name")
_LEFT_OUT = {
    **dict.fromkeys(("Street Address", "Phone", "Email", "Twitter", "Facebook"), CONTACT),
    **dict.fromkeys(("Latitude", "Longitude", "Geo Container", "Geo Container Latitude", "Geo Container Longitude"), PERSONAL),
}
_MULTI = re.compile(r"[;,]\s*")


def read(
    path: Path,
    *,
    source: str,
    edition: datetime.date,
    crosswalk: Crosswalk,
    territories: TerritoryReference,
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[Record], Columns]:
    """Every row of the file as a record, and what became of each column. A file that is
    not this CSV (not UTF-8 text, a required column missing, a row that does not end) is
    refused whole, with the line."""
    header, rows = csv_rows(path, REQUIRED, Message("le CSV « standard » d'ESSGLOBAL", "the ESSGLOBAL standard CSV"))
    columns = Columns()
    for name in header:
        if name in _LEFT_OUT:
            columns.leave_out(name, _LEFT_OUT[name])
        else:
            columns[name]
    records = [_record(row, line, source, edition, crosswalk, territories, columns, aliases or {}) for line, row in rows]
    return records, columns


def _record(
    row: dict[str, str],
    line: int,
    source: str,
    edition: datetime.date,
    crosswalk: Crosswalk,
    territories: TerritoryReference,
    columns: Columns,
    aliases: Mapping[str, str],
) -> Record:
    value = row
    key, name = value.get("Identifier", ""), value.get("Name", "")
    for column in (*REQUIRED, "Description"):
        if value.get(column):
            columns[column].mapped += 1
    kind = ISG["Organisation"]
    if structure := value.get("Organisational Structure"):
        concept = crosswalk.concept(structure)
        if concept and concept in crosswalk.carrier_kind:
            kind = crosswalk.carrier_kind[concept]
            columns["Organisational Structure"].mapped += 1
        else:
            columns["Organisational Structure"].missed(structure)
    subjects: list[str] = []
    for column in ("Primary Activity", "Activities", "Qualifiers"):
        for item in _MULTI.split(value.get(column, "")):
            if not item:
                continue
            if concept := crosswalk.concept(item):
                subjects.append(concept)
                columns[column].mapped += 1
            else:
                columns[column].missed(item)
    roles: tuple[str, ...] = ()
    if membership := value.get("Membership Type"):
        concept = crosswalk.concept(membership)
        if concept and concept in crosswalk.members_roles:
            roles = crosswalk.members_roles[concept]
            columns["Membership Type"].mapped += 1
        else:
            columns["Membership Type"].missed(membership)
    facts: list[tuple[str, ox.NamedNode | ox.Literal]] = []
    if website := value.get("Website"):
        if address := web_address(website):
            facts.append((FOAF["homepage"], address))
            columns["Website"].mapped += 1
        else:
            columns["Website"].missed(website)
    if number := value.get("Companies House Number"):
        if COMPANY_NUMBER.match(number):
            facts.append((ISG["companiesHouseNumber"], ox.Literal(number)))
            columns["Companies House Number"].mapped += 1
        else:
            columns["Companies House Number"].missed(number)
    for column in ("Sector", "SIC Section", "SIC Code", "Ownership Classification", "Legal Form", "Territory ID"):
        if value.get(column):
            columns[column].missed(value[column])
    parts = CaseParts(
        source=source,
        key=key,
        name=name,
        carrier_kind=kind,
        territory=_territory(value, territories, columns, aliases),
        edition=edition,
        description=value.get("Description") or None,
        subjects=tuple(dict.fromkeys(subjects)),
        carrier_facts=tuple(facts),
        member_roles=roles,
    )
    return Record(key, line, case_triples(parts) if key and name else ())


def _territory(
    value: dict[str, str], territories: TerritoryReference, columns: Columns, aliases: Mapping[str, str]
) -> str | None:
    """The most precise territory the row names (:func:`isgraph.imports.places.resolve`),
    each column that helped counted as mapped."""
    country, region = value.get("Country ID", ""), value.get("Region", "")
    postcode, locality = value.get("Postcode", ""), value.get("Locality", "")
    place = resolve(territories, aliases=aliases, country=country, region=region, postcode=postcode, locality=locality)
    if country:
        if place.country:
            columns["Country ID"].mapped += 1
            columns["Country ID"].read_as[(country, place.country.rsplit("/", 1)[1])] += 1
        else:
            columns["Country ID"].missed(country)
    if region:
        if place.region:
            columns["Region"].mapped += 1
        else:
            columns["Region"].missed(region)
    if place.commune:
        columns["Postcode"].mapped += 1
        if locality:
            columns["Locality"].mapped += 1
        return place.territory
    if postcode:
        if place.country and place.country.endswith("/FR"):
            columns["Postcode"].missed(postcode)
        else:
            columns.leave_out("Postcode", PERSONAL)
    if locality:
        columns["Locality"].missed(locality)
    return place.territory
