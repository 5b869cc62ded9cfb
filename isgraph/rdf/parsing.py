"""Reading RDF files safely: by extension, without network access, with errors
that name the file, the line and the column.

Blank nodes are renamed deterministically (from a prefix and their order of
appearance) so that loading the same file twice gives exactly the same quads.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Protocol, TypeVar, cast

import pyoxigraph as ox

from isgraph import resources
from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.rdf.limits import check_depth, check_terms

#: Accepted file extensions and their formats. Dataset formats (TriG, N-Quads)
#: are not accepted: isgraph decides which named graph a file goes to.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

_LOCATION_PREFIX = re.compile(r"^Parser error (?:at|between) [^:]*:\s*")
_TRAILING_LINE = re.compile(r"\s*\(line \d+\)$")


class Locator(Protocol):
    """Finds the line where a file describes an IRI, or where it gives the value of ``path``
    (a SHACL path as isgraph writes it, ``<iri>``) for that IRI; None when it cannot tell."""

    def __call__(self, iri: str, path: str | None = None) -> int | None: ...


def nowhere(iri: str, path: str | None = None) -> int | None:
    """The locator of triples that come from no file."""
    return None


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_triples(path: Path, *, shown_as: str, bnode_prefix: str) -> tuple[list[ox.Triple], str]:
    """Parse one RDF file into triples; return them with the file's SHA-256.

    ``shown_as`` is how errors name the file; ``bnode_prefix`` keeps the blank
    nodes of different files apart.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            Message(f"fichier illisible : {exc.strerror}", f"cannot read file: {exc.strerror}"), path=shown_as
        ) from None
    return parse_triples(data, path.suffix, shown_as=shown_as, bnode_prefix=bnode_prefix), file_digest(data)


@lru_cache(maxsize=1)
def ontology_triples() -> tuple[ox.Triple, ...]:
    """The triples of isgraph's own ontology and vocabularies (``ontology/*.ttl``), read once."""
    folder = resources.ontology_dir()
    return tuple(t for path in sorted(folder.glob("*.ttl")) for t in read_triples(path, shown_as=path.name, bnode_prefix="o")[0])


def parse_triples(
    data: bytes, suffix: str, *, shown_as: str, bnode_prefix: str, max_triples: int | None = None
) -> list[ox.Triple]:
    """Parse the bytes of an RDF file whose name ends with ``suffix``."""
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            Message(
                f"type de fichier non pris en charge (extensions acceptées : {known})",
                f"unsupported file type (accepted extensions: {known})",
            ),
            path=shown_as,
        )
    quads = parse_quads(data, fmt, shown_as=shown_as, without_named_graphs=True, max_quads=max_triples)
    return relabel_blank_nodes((q.triple for q in quads), bnode_prefix)


def parse_quads(
    data: bytes,
    fmt: ox.RdfFormat,
    *,
    shown_as: str,
    without_named_graphs: bool = False,
    max_quads: int | None = None,
    base_iri: str | None = None,
) -> list[ox.Quad]:
    """Parse RDF bytes safely: text only, no DTD, errors with their line and column."""
    if not data.strip():
        raise InputError(Message("fichier vide", "empty file"), path=shown_as)
    offenders = [data.find(b"\x00")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offenders.append(exc.start)
    binary = min((o for o in offenders if o >= 0), default=-1)
    if binary >= 0:
        raise InputError(
            Message(f"ce n'est pas un fichier texte UTF-8 (octet {binary})", f"not a UTF-8 text file (byte {binary})"),
            path=shown_as,
        )
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        check_terms(data, shown_as=shown_as)
    if fmt == ox.RdfFormat.JSON_LD:
        check_depth(data, shown_as=shown_as)
    if fmt == ox.RdfFormat.RDF_XML and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        raise InputError(
            Message(
                "RDF/XML avec DTD ou entités refusé (risque d'expansion)",
                "RDF/XML with a DTD or entities is refused (expansion risk)",
            ),
            path=shown_as,
        )
    try:
        quads = []
        for quad in ox.parse(data, format=fmt, without_named_graphs=without_named_graphs, base_iri=base_iri):
            quads.append(quad)
            if max_quads is not None and len(quads) > max_quads:
                raise InputError(
                    Message(
                        f"plus de {max_quads} triplets : un fichier décrit un cas (un lot N-Quads ou TriG en décrit plusieurs)",
                        f"more than {max_quads} triples: a file describes one case (an N-Quads or TriG bundle describes many)",
                    ),
                    path=shown_as,
                )
        return quads
    except SyntaxError as exc:
        detail = _printable(_TRAILING_LINE.sub("", _LOCATION_PREFIX.sub("", exc.msg or str(exc))))
        line, column = exc.lineno, exc.offset
        if line is None and fmt == ox.RdfFormat.RDF_XML:
            line, column = _xml_position(data)
        raise InputError(
            Message(f"erreur de syntaxe : {detail}", f"syntax error: {detail}"), path=shown_as, line=line, column=column
        ) from None
    except MemoryError:
        raise InputError(
            Message(
                "un terme dépasse ce que l'analyseur peut lire (16 Mo) : refusé",
                "a term is larger than the parser can read (16 MB): refused",
            ),
            path=shown_as,
        ) from None
    except (ValueError, OSError) as exc:
        raise InputError(Message(f"lecture impossible : {exc}", f"cannot parse: {exc}"), path=shown_as) from None


def _xml_position(data: bytes) -> tuple[int | None, int | None]:
    """Where an XML document stops being well-formed (pyoxigraph's RDF/XML errors carry no
    position). Only called once DTDs are refused, so expat expands no entity."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    return None, None


def _printable(text: str) -> str:
    """A parser's message, safe to print on one line of a terminal."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


_Term = TypeVar("_Term", bound=ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple)


def relabel_blank_nodes(triples: Iterable[ox.Triple], prefix: str) -> list[ox.Triple]:
    """Give blank nodes the labels ``<prefix>b0``, ``<prefix>b1``… in order of appearance."""
    labels: dict[str, ox.BlankNode] = {}

    def term(t: _Term) -> _Term:
        if isinstance(t, ox.BlankNode):
            node = labels.get(t.value)
            if node is None:
                node = labels[t.value] = ox.BlankNode(f"{prefix}b{len(labels)}")
            return cast("_Term", node)
        return t

    return [
        ox.Triple(term(t.subject), t.predicate, term(t.object))
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
        else t
        for t in triples
    ]


def line_locator(data: bytes | str) -> Locator:
    """Find the line where a Turtle (or N-Triples, JSON-LD) file describes an IRI.

    Tries the full IRI, the IRI relative to the file's ``@base`` and its prefixed
    forms; prefers a line that starts with it (where the node is described). The file is
    split into lines only when a line is first asked for (most files are never asked).
    """
    found: dict[str, object] = {}

    def text() -> tuple[list[str], re.Match[str] | None, list[tuple[str, str]]]:
        if not found:
            content = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
            found["lines"] = content.splitlines()
            found["base"] = re.search(r"@base\s*<([^>]*)>", content, re.I) or re.search(r'"@base"\s*:\s*"([^"]*)"', content)
            found["prefixes"] = re.findall(r"(?i)@?prefix\s+([\w-]*):\s*<([^>]*)>", content)
        return found["lines"], found["base"], found["prefixes"]  # type: ignore[return-value]  # filled together above

    def forms(iri: str) -> list[str]:
        _, base, prefixes = text()
        found = [f"<{iri}>", f'"{iri}"']
        if base and iri.startswith(base.group(1)):
            relative = iri[len(base.group(1)) :]
            found += [f"<{relative}>", f'"{relative}"']
        found += [f"{p}:{iri[len(ns) :]}" for p, ns in prefixes if iri.startswith(ns) and iri != ns]
        return found

    def locate(iri: str, path: str | None = None) -> int | None:
        candidates = forms(iri)
        lines = text()[0]
        for number, line in enumerate(lines, start=1):
            stripped = line.lstrip()
            if any(stripped.startswith(c) for c in candidates):
                return number
        for number, line in enumerate(lines, start=1):
            if any(c in line for c in candidates):
                return number
        return None

    return locate
