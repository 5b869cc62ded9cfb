"""Reading any file isgraph accepts: RDF (Turtle, N-Triples, RDF/XML, JSON-LD) or a
case form (YAML, JSON). One entry point, so that build, validate and convert
accept the same files and refuse them with the same messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .forms import read_form
from .messages import Message
from .parsing import FORMATS, file_digest, line_locator, read_triples

FORM_SUFFIXES = (".yaml", ".yml", ".json")
ACCEPTED = tuple(sorted((*FORMATS, *FORM_SUFFIXES)))
#: Larger files are refused before they are read (a steward's submission is small).
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ReadFile:
    triples: list[ox.Triple]
    sha256: str
    locate: Callable[[str], int | None]


def read_file(path: Path, *, shown_as: str, bnode_prefix: str) -> ReadFile:
    suffix = path.suffix.lower()
    if suffix not in ACCEPTED:
        known = ", ".join(ACCEPTED)
        raise InputError(Message(f"type de fichier non pris en charge (extensions acceptées : {known})",
                                 f"unsupported file type (accepted extensions: {known})"), path=shown_as)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(Message(f"fichier illisible : {exc.strerror}", f"cannot read file: {exc.strerror}"),
                         path=shown_as) from None
    if size > MAX_FILE_BYTES:
        raise InputError(Message(f"fichier trop grand ({size // (1024 * 1024)} Mo, au plus {MAX_FILE_BYTES // (1024 * 1024)} Mo)",
                                 f"file too large ({size // (1024 * 1024)} MB, at most {MAX_FILE_BYTES // (1024 * 1024)} MB)"),
                         path=shown_as)
    data = path.read_bytes()
    if suffix in FORM_SUFFIXES:
        triples, locate = read_form(path, shown_as=shown_as)
        return ReadFile(triples, file_digest(data), locate)
    triples, digest = read_triples(path, shown_as=shown_as, bnode_prefix=bnode_prefix)
    return ReadFile(triples, digest, line_locator(data.decode("utf-8", errors="replace")))
