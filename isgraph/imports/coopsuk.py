"""The Co-operatives UK open data of 2016: the organisations file and, beside it, the economy
file (``--economy``), which become dated facts on each organisation.

Each organisation (``CUK Organisation ID``) is an actor: its trading name (else its
registered name, the other as ``skos:altLabel``), its Companies House number (when
Companies House is its registrar), the nation of the UK it is registered in (``UK Nation``: England,
Scotland, Wales, Northern Ireland), its incorporation and dissolution dates
(``isg:startDate``, ``isg:endDate``). Each of its rows in the economy file gives its
figures for the year ending on ``Year End Date`` (an ``isg:AnnualFigures``: turnover
in GBP, members, employees); the latest accounts of an organisation are repeated under
several ``Economic Year`` values, which are kept as ``isg:economicYear`` of one set of
figures.

Co-operatives UK counts all of them as co-operatives whatever their legal form; the
actor is an ``isg:Organisation``, so that a directory of the same publisher (the
ESSGLOBAL standard CSV, imported with the same ``--ids``) can say which kind. The
registered address is never stored.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from isgraph.imports.crosswalk import Crosswalk
from isgraph.imports.places import resolve
from isgraph.imports.records import COMPANY_NUMBER, CONTACT, PERSONAL, Columns, Record, actor_iri, csv_rows
from isgraph.messages import Message
from isgraph.namespaces import ISG, RDF, RDFS, SKOS, XSD
from isgraph.store.territories import TerritoryReference

ORGANISATION_COLUMNS = ("CUK Organisation ID", "Registered Name")
ECONOMY_COLUMNS = ("CUK Organisation ID", "Year End Date")
_LEFT_OUT = {
    **dict.fromkeys(("Registered Street", "Registered City", "Registered State/Province"), CONTACT),
    "Registered Postcode": PERSONAL,
}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_FIGURES = (("Turnover", "turnover"), ("Memberships", "memberCount"), ("Employees", "employeeCount"))


def read(
    path: Path,
    *,
    source: str,
    edition: datetime.date,
    crosswalk: Crosswalk,
    territories: TerritoryReference,
    aliases: Mapping[str, str] | None = None,
    economy: Path | None = None,
) -> tuple[list[Record], Columns]:
    """Every organisation as a record (its actor and its figures), and what became of each
    column of both files."""
    del edition, crosswalk, aliases  # facts on actors: no characterisation, no ESSGLOBAL concept, UK nations only
    columns = Columns()
    organisations = _table(path, ORGANISATION_COLUMNS, columns)
    figures = _figures(_table(economy, ECONOMY_COLUMNS, columns, prefix="economy: "), columns) if economy else {}
    known = {row["CUK Organisation ID"] for _, row in organisations}
    for key in sorted(figures):
        if key in known:
            columns["economy: CUK Organisation ID"].mapped += 1
        else:
            columns["economy: CUK Organisation ID"].missed(key)
    gb = territories.country("GB")
    records = []
    for line, row in organisations:
        key, name = row.get("CUK Organisation ID", ""), row.get("Trading Name") or row.get("Registered Name", "")
        if not key or not name:
            records.append(Record(key, line, ()))
            continue
        columns["CUK Organisation ID"].mapped += 1
        actor = ox.NamedNode(actor_iri(source, key))
        triples = [
            ox.Triple(actor, ox.NamedNode(RDF["type"]), ox.NamedNode(ISG["Organisation"])),
            ox.Triple(actor, ox.NamedNode(RDFS["label"]), ox.Literal(name)),
        ]
        columns["Trading Name" if row.get("Trading Name") else "Registered Name"].mapped += 1
        if row.get("Trading Name") and row.get("Registered Name") and row["Registered Name"] != name:
            triples.append(ox.Triple(actor, ox.NamedNode(SKOS["altLabel"]), ox.Literal(row["Registered Name"])))
            columns["Registered Name"].mapped += 1
        number = row.get("Registered Number", "")
        if row.get("Registrar") == "Companies House" and COMPANY_NUMBER.match(number):
            triples.append(ox.Triple(actor, ox.NamedNode(ISG["companiesHouseNumber"]), ox.Literal(number)))
            columns["Registered Number"].mapped += 1
        elif number:
            columns["Registered Number"].missed(number)
        if nation := row.get("UK Nation"):
            place = resolve(territories, country="GB", region=nation)
            if place.region and gb:
                triples.append(ox.Triple(actor, ox.NamedNode(ISG["locatedIn"]), ox.NamedNode(place.region)))
                columns["UK Nation"].mapped += 1
            else:
                columns["UK Nation"].missed(nation)
        for column, predicate in (("Incorporation Date", "startDate"), ("Dissolved Date", "endDate")):
            if text := row.get(column):
                if day := _day(text):
                    triples.append(ox.Triple(actor, ox.NamedNode(ISG[predicate]), _date(day)))
                    columns[column].mapped += 1
                else:
                    columns[column].missed(text)
        for year_end, facts in sorted(figures.get(key, {}).items()):
            node = ox.NamedNode(f"{actor.value}/figures/{year_end.isoformat()}")
            triples += [
                ox.Triple(node, ox.NamedNode(RDF["type"]), ox.NamedNode(ISG["AnnualFigures"])),
                ox.Triple(node, ox.NamedNode(ISG["figuresOf"]), actor),
                ox.Triple(node, ox.NamedNode(ISG["yearEnd"]), _date(year_end)),
                *(ox.Triple(node, ox.NamedNode(p), o) for p, o in facts),
            ]
        for column, text in row.items():
            if column not in _DONE and column not in _LEFT_OUT and text:
                columns[column].missed(text)
        records.append(Record(key, line, tuple(dict.fromkeys(triples))))
    return records, columns


_DONE = {
    "CUK Organisation ID",
    "Registered Name",
    "Trading Name",
    "Registered Number",
    "UK Nation",
    "Incorporation Date",
    "Dissolved Date",
}


def _table(path: Path, required: tuple[str, ...], columns: Columns, prefix: str = "") -> list[tuple[int, dict[str, str]]]:
    header, rows = csv_rows(path, required, Message("un fichier de Co-operatives UK de 2016", "a 2016 Co-operatives UK file"))
    for name in header:
        if not prefix and name in _LEFT_OUT:
            columns.leave_out(name, _LEFT_OUT[name])
        else:
            columns[prefix + name]
    return rows


def _figures(
    rows: list[tuple[int, dict[str, str]]], columns: Columns
) -> dict[str, dict[datetime.date, list[tuple[str, ox.Literal]]]]:
    """Each organisation's figures, by year end; a row that repeats a year end adds its
    economic year; one that contradicts it is counted as not mapped."""
    found: dict[str, dict[datetime.date, list[tuple[str, ox.Literal]]]] = {}
    values: dict[tuple[str, datetime.date], dict[str, str]] = {}
    for _, row in rows:
        key = row.get("CUK Organisation ID", "")
        year_end = _day(row.get("Year End Date", "").split(" ")[0])
        if not key or year_end is None:
            columns["economy: Year End Date"].missed(row.get("Year End Date", ""))
            continue
        columns["economy: Year End Date"].mapped += 1
        facts = found.setdefault(key, {}).setdefault(year_end, [(ISG["currency"], ox.Literal("GBP"))])
        seen = values.setdefault((key, year_end), {})
        for column, term in _FIGURES:
            text = row.get(column, "")
            if not text:
                continue
            literal = _number(text, decimal=column == "Turnover")
            if literal is None:
                columns["economy: " + column].missed(text)
            elif column in seen and seen[column] != text:
                columns["economy: " + column].missed(f"{text} (≠ {seen[column]}, {year_end})")
            elif column not in seen:
                seen[column] = text
                facts.append((ISG[term], literal))
                columns["economy: " + column].mapped += 1
        if year := row.get("Economic Year"):
            if re.fullmatch(r"\d{4}", year):
                facts.append((ISG["economicYear"], ox.Literal(year, datatype=ox.NamedNode(XSD["gYear"]))))
                columns["economy: Economic Year"].mapped += 1
            else:
                columns["economy: Economic Year"].missed(year)
        for column in ("Profit before tax", "Member/Shareholder Funds", "Is Most Recent?"):
            if row.get(column):
                columns["economy: " + column].missed(row[column])
    return found


def _number(text: str, *, decimal: bool) -> ox.Literal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    if decimal:
        return ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD["decimal"]))
    if value != value.to_integral() or value < 0:
        return None
    return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD["integer"]))


def _day(text: str) -> datetime.date | None:
    """A date written ``YYYY-MM-DD`` or, as the organisations file does, ``D/M/YYYY``."""
    try:
        if match := _DMY.match(text):
            return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _date(day: datetime.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD["date"]))
