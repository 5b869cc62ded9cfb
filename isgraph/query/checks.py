"""Quality checks of the ontology and the data, kept as SPARQL files in
``queries/checks/``: each returns one row per violation, none when all is well.

A check file starts with the same ``#+`` YAML header as the query catalogue
(:mod:`isgraph.query.catalogue`): ``name`` (the file's name), ``title`` and
``description`` in French and English. A header that does not parse is an error,
never ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from isgraph import resources
from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.rdf.yamllines import read_header
from isgraph.store import Store

_KEYS = {"name", "title", "description"}


@dataclass(frozen=True)
class Check:
    name: str
    title: Message
    description: Message
    sparql: str


def parse_check(path: Path) -> Check:
    data, reader, body = read_header(path, f"queries/checks/{path.name}")
    reader.refuse_unknown(data, _KEYS, ())
    if data.get("name") != path.stem:
        raise reader.error(
            ("name",), f"« name » doit être le nom du fichier ({path.stem})", f'"name" must be the file\'s name ({path.stem})'
        )
    return Check(path.stem, reader.bilingual(data, "title"), reader.bilingual(data, "description"), body)


def load_checks(folder: Path | None = None) -> list[Check]:
    folder = folder or resources.queries_dir() / "checks"
    return [parse_check(p) for p in sorted(folder.glob("*.rq"))]


def run_check(store: Store, check: Check) -> list[dict[str, str]]:
    """The violations ``check`` finds in ``store``, as rows of plain strings."""
    solutions = store.query(check.sparql)
    if not isinstance(solutions, ox.QuerySolutions):
        raise InputError(
            Message("une vérification doit être une requête SELECT", "a check must be a SELECT query"), path=check.name
        )
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def run_checks(store: Store, checks: list[Check] | None = None) -> dict[str, list[dict[str, str]]]:
    """Every check's violations, by check name."""
    return {check.name: run_check(store, check) for check in (checks if checks is not None else load_checks())}
