"""What a format gives the import pipeline: records, and an account of every column.

A record is one organisation of the source (one row, one feature) turned into what the
definition allows: an actor, and an initiative whose grid elements are "non renseigné"
unless the source says more (:func:`case_triples`). Every column (or property) of the
source is accounted for: how many values were mapped, how many could not be (with
examples), and which were left out on purpose (contact details and anything that could
identify a person are never imported).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import DCTERMS, GRID, ID, ISG, LEVEL, RDF, RDFS, ROLE, XSD, case_key
from isgraph.rdf.files import MAX_FILE_BYTES
from isgraph.rdf.forms import ELEMENTS

#: What an imported characterisation says of an element the source does not document.
NOT_DOCUMENTED = Message("La source ne renseigne pas cet élément.", "The source does not document this element.")
#: Why a column is left out on purpose.
CONTACT = Message("coordonnées : jamais importées", "contact details: never imported")
PERSONAL = Message(
    "pourrait désigner une personne ou son domicile : jamais importé", "could point to a person or a home: never imported"
)


def read_text(path: Path) -> tuple[str, bytes]:
    """A source file's text (and bytes): at most :data:`MAX_FILE_BYTES`, UTF-8 (a byte
    that is not is named, with its line)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            Message(
                f"fichier trop grand ({size} octets, au plus {MAX_FILE_BYTES})",
                f"file too large ({size} bytes, at most {MAX_FILE_BYTES})",
            ),
            path=str(path),
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), data
    except UnicodeDecodeError as exc:
        raise InputError(
            Message(f"le fichier n'est pas du texte UTF-8 (octet {exc.start})", f"the file is not UTF-8 text (byte {exc.start})"),
            path=str(path),
            line=data[: exc.start].count(b"\n") + 1,
        ) from None


#: Where the csv module puts the values of a row longer than the header.
_EXTRA = "\0extra"
#: A UK Companies House number: 8 characters, digits or SC, NI… and digits.
COMPANY_NUMBER = re.compile(r"^[A-Z0-9]{8}$")


def csv_rows(path: Path, required: Sequence[str], kind: Message) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """A source's CSV file: its header, and each row (values stripped) with the line it
    begins on. A file that is not ``kind`` (a required column missing), a row that does
    not end or one with more values than columns is refused whole, with its line."""
    text, _ = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey=_EXTRA, strict=True)
    header = list(reader.fieldnames or [])
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            Message(
                f"colonne(s) manquante(s) : {', '.join(missing)} ; ce n'est pas {kind.fr}",
                f"missing column(s): {', '.join(missing)}; this is not {kind.en}",
            ),
            path=str(path),
            line=1,
        )
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return header, rows
        except csv.Error as exc:  # at the line where the record that does not end begins
            raise InputError(Message(f"CSV mal formé : {exc}", f"malformed CSV: {exc}"), path=str(path), line=start) from None
        if extra := row.pop(_EXTRA, None):
            found = len(header) + len(extra)
            raise InputError(
                Message(
                    f"plus de valeurs que de colonnes ({found} pour {len(header)})",
                    f"more values than columns ({found} for {len(header)})",
                ),
                path=str(path),
                line=start,
            )
        rows.append((start, {k: (v or "").strip() for k, v in row.items()}))
        start = reader.line_num + 1


_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE = re.compile(r"[+0][\d\s()./-]{6,}")
_WEB = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def web_address(text: str) -> ox.NamedNode | None:
    """A website as an IRI, if the text is an http(s) address that is a valid IRI (an
    address that begins with ``www.`` is read as ``http://www.…``)."""
    if text.startswith("www."):
        text = "http://" + text
    if not _WEB.match(text):
        return None
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Record:
    """One organisation of the source: its identifier there, where it is in the file, and
    the triples of its case."""

    key: str
    row: int
    triples: tuple[ox.Triple, ...]


@dataclass
class Column:
    """What became of one column (or property) of the source."""

    name: str
    mapped: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)
    #: why the column is never imported (contact details, personal data), else None
    left_out: Message | None = None
    #: values read, and what each became (for a steward to check: ``SR → Suriname``)
    read_as: Counter[tuple[str, str]] = field(default_factory=Counter)

    def missed(self, value: str) -> None:
        """A value that could not be mapped; the report shows examples, so a value that
        looks like an e-mail address or a phone number is counted but never shown."""
        self.unmapped["(e-mail)" if _EMAIL.search(value) else "(phone)" if _PHONE.fullmatch(value) else value] += 1


@dataclass
class Columns:
    """Every column of a source, in the order met."""

    by_name: dict[str, Column] = field(default_factory=dict)
    #: what the file itself says of its licence, if it says
    declared_rights: Message | None = None

    def __getitem__(self, name: str) -> Column:
        if name not in self.by_name:
            self.by_name[name] = Column(name)
        return self.by_name[name]

    def leave_out(self, name: str, why: Message) -> None:
        self[name].left_out = why

    def __iter__(self) -> Iterator[Column]:
        return iter(self.by_name.values())


@dataclass(frozen=True)
class CaseParts:
    """What one record says, as the parts of a case."""

    source: str
    key: str
    name: str
    carrier_kind: str
    territory: str | None
    edition: datetime.date
    description: str | None = None
    subjects: tuple[str, ...] = ()
    carrier_facts: tuple[tuple[str, ox.NamedNode | ox.Literal], ...] = ()
    member_roles: tuple[str, ...] = ()


def initiative_iri(source: str, key: str) -> str:
    return ID[f"initiative/{source}/{quote(key, safe='-._~')}"]


def actor_iri(source: str, key: str) -> str:
    """An organisation of the source: the same for every import of that source (an economy
    file and a directory of the same publisher meet on it)."""
    return ID[f"actor/{source}/{quote(key, safe='-._~')}"]


def assessor_iri(source: str) -> str:
    return ID[f"actor/{source}"]


def case_triples(parts: CaseParts) -> tuple[ox.Triple, ...]:
    """The case of one organisation: the initiative it carries, the organisation as its
    carrier, its members in the roles its membership type gives them, and a characterisation
    by the source (assessor: the source itself, dated by its edition) in which each element
    is "non renseigné"."""
    n, lit = ox.NamedNode, ox.Literal
    a = n(RDF["type"])
    initiative = n(initiative_iri(parts.source, parts.key))
    carrier = n(actor_iri(parts.source, parts.key))
    assessor = n(assessor_iri(parts.source))
    slug = case_key(initiative.value)
    out = [
        ox.Triple(initiative, a, n(ISG["Initiative"])),
        ox.Triple(initiative, n(RDFS["label"]), lit(parts.name)),
        ox.Triple(carrier, a, n(parts.carrier_kind)),
        ox.Triple(carrier, n(RDFS["label"]), lit(parts.name)),
        ox.Triple(assessor, a, n(ISG["Organisation"])),
        ox.Triple(assessor, n(RDFS["label"]), lit(parts.source)),
    ]
    if parts.description:
        out.append(ox.Triple(initiative, n(DCTERMS["description"]), lit(parts.description)))
    if parts.territory:
        out += [
            ox.Triple(initiative, n(ISG["territory"]), n(parts.territory)),
            ox.Triple(carrier, n(ISG["locatedIn"]), n(parts.territory)),
        ]
    out += [ox.Triple(initiative, n(DCTERMS["subject"]), n(s)) for s in parts.subjects]
    out += [ox.Triple(carrier, n(p), o) for p, o in parts.carrier_facts]
    participations = [(carrier, ROLE["porteur"])]
    if parts.member_roles:
        members = n(carrier.value + "/members")
        out += [
            ox.Triple(members, a, n(ISG["InformalGroup"])),
            ox.Triple(members, n(RDFS["label"]), lit(f"Membres de {parts.name}", language="fr")),
            ox.Triple(members, n(RDFS["label"]), lit(f"Members of {parts.name}", language="en")),
        ]
        participations += [(members, role) for role in parts.member_roles]
    for i, (actor, role) in enumerate(participations, 1):
        p = n(ID[f"participation/{slug}/{i}"])
        out += [
            ox.Triple(p, a, n(ISG["Participation"])),
            ox.Triple(p, n(ISG["participationIn"]), initiative),
            ox.Triple(p, n(ISG["participant"]), actor),
            ox.Triple(p, n(ISG["role"]), n(role)),
        ]
    c = n(ID[f"characterisation/{slug}/1"])
    out += [
        ox.Triple(c, a, n(ISG["Characterisation"])),
        ox.Triple(c, n(ISG["characterises"]), initiative),
        ox.Triple(c, n(ISG["assessor"]), assessor),
        ox.Triple(c, n(ISG["assessmentDate"]), lit(parts.edition.isoformat(), datatype=n(XSD["date"]))),
        ox.Triple(c, n(ISG["usesGrid"]), n(GRID["godin-2013"])),
    ]
    for element in ELEMENTS:
        e = n(f"{c.value}/{element}")
        out += [
            ox.Triple(c, n(ISG["hasElementAssessment"]), e),
            ox.Triple(e, a, n(ISG["ElementAssessment"])),
            ox.Triple(e, n(ISG["element"]), n(GRID[element])),
            ox.Triple(e, n(ISG["level"]), n(LEVEL["non-renseigne"])),
            ox.Triple(e, n(ISG["statement"]), lit(NOT_DOCUMENTED.fr, language="fr")),
            ox.Triple(e, n(ISG["statement"]), lit(NOT_DOCUMENTED.en, language="en")),
        ]
    return tuple(out)
