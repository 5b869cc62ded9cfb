"""Quality checks of the ontology and the data, kept as SPARQL files in
``queries/checks/``: each returns one row per violation, none when all is well.

A check file starts with a header of ``#+ key: value`` lines; ``title.fr`` and
``title.en`` are required, ``description.fr`` and ``description.en`` optional.
A header that does not parse is an error, never ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .errors import InputError
from .messages import Message
from .store import Store

_HEADER_LINE = re.compile(r"^#\+\s*([A-Za-z_.]+)\s*:\s*(.*?)\s*$")
_REQUIRED = ("title.fr", "title.en")
_ALLOWED = (*_REQUIRED, "description.fr", "description.en")


@dataclass(frozen=True)
class Check:
    name: str
    title: Message
    description: Message | None
    sparql: str


def parse_check(path: Path) -> Check:
    header: dict[str, str] = {}
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            break
        match = _HEADER_LINE.match(line)
        if match is None or match.group(1) not in _ALLOWED or not match.group(2):
            raise InputError(Message(f"ligne d'en-tête invalide (clés permises : {', '.join(_ALLOWED)})",
                                     f"invalid header line (allowed keys: {', '.join(_ALLOWED)})"),
                             path=path, line=number)
        if match.group(1) in header:
            raise InputError(Message(f"clé répétée « {match.group(1)} »", f"repeated key \"{match.group(1)}\""),
                             path=path, line=number)
        header[match.group(1)] = match.group(2)
    missing = [key for key in _REQUIRED if key not in header]
    if missing:
        raise InputError(Message(f"en-tête incomplet, il manque : {', '.join(missing)}",
                                 f"incomplete header, missing: {', '.join(missing)}"), path=path, line=1)
    description = None
    if "description.fr" in header or "description.en" in header:
        description = Message(header.get("description.fr", ""), header.get("description.en", ""))
    return Check(path.stem, Message(header["title.fr"], header["title.en"]), description, text)


def load_checks(folder: Path | None = None) -> list[Check]:
    folder = folder or resources.queries_dir() / "checks"
    return [parse_check(p) for p in sorted(folder.glob("*.rq"))]


def run_check(store: Store, check: Check) -> list[dict[str, str]]:
    """The violations ``check`` finds in ``store``, as rows of plain strings."""
    solutions = store.query(check.sparql)
    if not isinstance(solutions, ox.QuerySolutions):
        raise InputError(Message("une vérification doit être une requête SELECT",
                                 "a check must be a SELECT query"), path=check.name)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def run_checks(store: Store, checks: list[Check] | None = None) -> dict[str, list[dict[str, str]]]:
    """Every check's violations, by check name."""
    return {check.name: run_check(store, check) for check in (checks if checks is not None else load_checks())}
