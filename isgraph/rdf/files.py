"""Reading any file isgraph accepts: RDF (Turtle, N-Triples, RDF/XML, JSON-LD) or a
case form (YAML, JSON). One entry point, so that build, validate and convert
accept the same files and refuse them with the same messages."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from isgraph.errors import InputError, InputErrors
from isgraph.messages import Message
from isgraph.namespaces import ISG, RDF
from isgraph.rdf.forms import is_form_jsonld, read_form
from isgraph.rdf.literals import ill_typed
from isgraph.rdf.parsing import FORMATS, Locator, file_digest, line_locator, ontology_triples, parse_triples

FORM_SUFFIXES = (".yaml", ".yml", ".json")
ACCEPTED = tuple(sorted((*FORMATS, *FORM_SUFFIXES)))
#: Larger files are refused before they are read (a steward's submission is small).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The most triples a file submitted as one case may hold (a case has a few hundred; many
#: cases go in an N-Quads or TriG bundle, which the store reads as it is).
MAX_CASE_TRIPLES = 50_000


@dataclass(frozen=True)
class ReadFile:
    triples: list[ox.Triple]
    sha256: str
    locate: Locator


def read_file(
    path: Path, *, shown_as: str, bnode_prefix: str, check_terms: bool = True, max_triples: int | None = None
) -> ReadFile:
    """Read one accepted file; ``check_terms`` refuses isgraph terms the ontology does not
    declare (off for the ontology's own files, which declare them); a file of more than
    ``max_triples`` triples is refused as soon as it has that many (a case submitted for
    validation or ingest: :data:`MAX_CASE_TRIPLES`)."""
    compressed = path.suffix.lower() == ".gz"
    suffix = Path(path.stem).suffix.lower() if compressed else path.suffix.lower()
    if suffix not in ACCEPTED or (compressed and suffix not in FORMATS):
        known = ", ".join(ACCEPTED)
        raise InputError(
            Message(
                f"type de fichier non pris en charge (extensions acceptées : {known})",
                f"unsupported file type (accepted extensions: {known})",
            ),
            path=shown_as,
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(
            Message(f"fichier illisible : {exc.strerror}", f"cannot read file: {exc.strerror}"), path=shown_as
        ) from None
    if size > MAX_FILE_BYTES:
        raise InputError(
            Message(
                f"fichier trop grand ({size // (1024 * 1024)} Mo, au plus {MAX_FILE_BYTES // (1024 * 1024)} Mo)",
                f"file too large ({size // (1024 * 1024)} MB, at most {MAX_FILE_BYTES // (1024 * 1024)} MB)",
            ),
            path=shown_as,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            Message(f"fichier illisible : {exc.strerror}", f"cannot read file: {exc.strerror}"), path=shown_as
        ) from None
    if compressed:
        data = _decompressed(data, shown_as)
    if suffix in FORM_SUFFIXES or (suffix == ".jsonld" and is_form_jsonld(data)):
        # a form, or a form written as JSON-LD: checked key by key (JSON-LD would drop unknown keys)
        triples, locate = read_form(data, suffix, shown_as=shown_as)
        return ReadFile(triples, file_digest(data), locate)
    triples = parse_triples(data, suffix, shown_as=shown_as, bnode_prefix=bnode_prefix, max_triples=max_triples)
    digest = file_digest(data)
    locate = line_locator(data)
    _refuse_ill_typed_literals(triples, shown_as, data, locate)
    if check_terms:
        _refuse_unknown_terms(triples, shown_as, locate)
    return ReadFile(triples, digest, locate)


def content_digest(path: Path) -> str:
    """The SHA-256 a file's graph records (``isg:sha256``): of its content, decompressed when
    it is gzip, without parsing it."""
    data = path.read_bytes()
    return file_digest(_decompressed(data, str(path)) if path.suffix.lower() == ".gz" else data)


def _decompressed(data: bytes, shown_as: str) -> bytes:
    """A gzip file's content, refused past :data:`MAX_FILE_BYTES` (a small file may inflate to
    gigabytes) or when it is not gzip."""
    inflate = zlib.decompressobj(wbits=31)  # gzip
    try:
        out = inflate.decompress(data, MAX_FILE_BYTES + 1)
    except zlib.error as exc:
        raise InputError(Message(f"fichier gzip illisible : {exc}", f"unreadable gzip file: {exc}"), path=shown_as) from None
    if len(out) > MAX_FILE_BYTES or inflate.unconsumed_tail:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise InputError(
            Message(f"fichier décompressé trop grand (au plus {limit} Mo)", f"decompressed file too large (at most {limit} MB)"),
            path=shown_as,
        )
    if not inflate.eof:
        raise InputError(Message("fichier gzip tronqué", "truncated gzip file"), path=shown_as)
    return out


def _refuse_ill_typed_literals(triples: list[ox.Triple], shown_as: str, data: bytes, locate: Locator) -> None:
    """Every literal that is not a value of its datatype, each with its line, all at once."""
    problems = []
    lines: list[str] | None = None
    for t in triples:
        if not isinstance(t.object, ox.Literal) or (why := ill_typed(t.object)) is None:
            continue
        if lines is None:
            lines = data.decode("utf-8", errors="replace").splitlines()
        text = t.object.value
        shown = text if len(text) <= 40 else text[:37] + "…"
        datatype = "xsd:" + t.object.datatype.value.rsplit("#", 1)[-1]
        line = next((i for i, content in enumerate(lines, 1) if text[:200] in content), None) if text else None
        if line is None and isinstance(t.subject, ox.NamedNode):
            line = locate(t.subject.value)
        problems.append(
            InputError(
                Message(f"« {shown} »^^{datatype} : {why.fr}", f'"{shown}"^^{datatype}: {why.en}'), path=shown_as, line=line
            )
        )
    if problems:
        raise InputErrors(sorted(problems, key=lambda e: e.line or 0))


@lru_cache(maxsize=1)
def _declared_terms() -> frozenset[str]:
    """Every IRI the ontology and vocabularies of isgraph declare."""
    return frozenset(t.subject.value for t in ontology_triples() if isinstance(t.subject, ox.NamedNode))


def _refuse_unknown_terms(triples: list[ox.Triple], shown_as: str, locate: Locator) -> None:
    """A property or class of isgraph's namespace that the ontology does not declare is a typo
    (JSON-LD with a vocabulary turns a misspelt key into one): refuse it rather than keep it."""
    declared = _declared_terms()
    rdf_type, isg = RDF["type"], str(ISG)
    for t in triples:
        for term in (t.predicate, t.object if t.predicate.value == rdf_type else None):
            if isinstance(term, ox.NamedNode) and term.value.startswith(isg) and term.value not in declared:
                name = "isg:" + term.value[len(ISG) :]
                raise InputError(
                    Message(
                        f"terme inconnu de l'ontologie : {name} (faute de frappe ?)",
                        f"term unknown to the ontology: {name} (a typo?)",
                    ),
                    path=shown_as,
                    line=locate(t.subject.value) if isinstance(t.subject, ox.NamedNode) else None,
                )
