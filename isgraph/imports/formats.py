"""The formats ``isgraph import`` reads, and one entry point for them all."""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pyoxigraph as ox

from isgraph import resources
from isgraph.errors import InputError
from isgraph.imports import coopsuk, essglobal, transformap
from isgraph.imports.crosswalk import Crosswalk, load
from isgraph.imports.pipeline import ImportOutcome, ImportSource, previous_edition, run_import
from isgraph.imports.records import Columns, Record
from isgraph.messages import Message
from isgraph.shacl.api import store_validator
from isgraph.store import Store
from isgraph.store.territories import TerritoryReference, shipped
from isgraph.text import fold

Reader = Callable[..., tuple[list[Record], Columns]]
#: Each format's name on the command line, and its reader.
FORMATS: dict[str, Reader] = {
    "essglobal-csv": essglobal.read,
    "transformap-geojson": transformap.read,
    "coops-uk-2016": coopsuk.read,
}
#: What the report calls the place of a record in each format.
UNITS = {
    "essglobal-csv": Message("ligne", "line"),
    "transformap-geojson": Message("objet", "feature"),
    "coops-uk-2016": Message("ligne", "line"),
}
#: The licence and attribution of a format that only one publisher writes, unless given.
PUBLISHED_UNDER = {
    "coops-uk-2016": (
        "https://opendatacommons.org/licenses/by/1-0/",
        Message("Contient des données ouvertes de Co-operatives UK", "Contains Co-operatives UK open data"),
    )
}
#: What a record's graph holds: a case (an actor and its initiative), or facts on an actor.
FOLDERS = {"coops-uk-2016": "actor"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def import_file(
    store: Store,
    fmt: str,
    path: Path,
    *,
    source: str | None = None,
    edition: datetime.date | None = None,
    licence: str | None = None,
    rights: Message | None = None,
    title: Message | None = None,
    country_aliases: Mapping[str, str] | None = None,
    ids: str | None = None,
    economy: Path | None = None,
    lang: str = "en",
) -> ImportOutcome:
    """Read ``path`` in format ``fmt`` and import it as the source ``source`` (by default the
    file's name): see :mod:`isgraph.imports.pipeline`. The edition (the date of the
    characterisations) is ``edition``, else the one the last import of the source
    recorded, else today. ``country_aliases`` says what the source means by a country value
    where it departs from ISO 3166-1 (``{"SR": "SK"}``). ``ids`` is the name under which
    the identifiers of actors and initiatives are minted (by default the source's): two
    files of one publisher imported with the same ``ids`` meet on the same actors.
    ``economy`` is the economy file that ``coops-uk-2016`` reads beside the organisations."""
    if fmt not in FORMATS:
        raise InputError(
            Message(
                f"format inconnu « {fmt} » (formats : {', '.join(FORMATS)})",
                f'unknown format "{fmt}" (formats: {", ".join(FORMATS)})',
            )
        )
    if not path.is_file():
        raise InputError(Message("fichier introuvable", "file not found"), path=str(path))
    name = source or _slug(path)
    for value, option in ((name, "--source"), (ids or name, "--ids")):
        if not _NAME.match(value):
            raise InputError(
                Message(
                    f"nom invalide « {value} » : minuscules, chiffres et tirets ({option})",
                    f'invalid name "{value}": lower case, digits and hyphens ({option})',
                )
            )
    if economy is not None and fmt != "coops-uk-2016":
        raise InputError(
            Message("--economy ne sert qu'au format coops-uk-2016", "--economy is for the coops-uk-2016 format only")
        )
    if licence is not None and not _is_iri(licence):
        raise InputError(
            Message(
                f"--licence attend l'IRI d'une licence (https://…), pas « {licence} »",
                f'--licence expects the IRI of a licence (https://…), not "{licence}"',
            )
        )
    if economy is not None and not economy.is_file():
        raise InputError(Message("fichier introuvable", "file not found"), path=str(economy))
    started = time.monotonic()
    edition = edition or previous_edition(store, name) or datetime.date.today()
    validator = store_validator(store)
    territories: TerritoryReference = validator.territories or shipped(resources.data_dir().resolve())
    crosswalk: Crosswalk = load(resources.data_dir().resolve())
    aliases = {}
    for text, code in (country_aliases or {}).items():
        if territories.country(code) is None or len(code) != 2:
            raise InputError(
                Message(
                    f"--country-alias {text}={code} : {code} n'est pas un code de pays ISO 3166-1",
                    f"--country-alias {text}={code}: {code} is not an ISO 3166-1 country code",
                )
            )
        aliases[fold(text)] = code.upper()
    more = {"economy": economy} if economy is not None else {}
    records, columns = FORMATS[fmt](
        path, source=ids or name, edition=edition, crosswalk=crosswalk, territories=territories, aliases=aliases, **more
    )
    default_licence, default_rights = PUBLISHED_UNDER.get(fmt, (None, None))
    spec = ImportSource(
        name,
        fmt,
        path,
        licence=licence or default_licence,
        rights=rights or columns.declared_rights or default_rights,
        title=title,
        unit=UNITS[fmt],
        folder=FOLDERS.get(fmt, "case"),
        more_files=(economy,) if economy is not None else (),
    )
    outcome = run_import(store, spec, records, columns, edition=edition, validator=validator, lang=lang)
    outcome.seconds = time.monotonic() - started  # reading the file included
    return outcome


def _is_iri(text: str) -> bool:
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _slug(path: Path) -> str:
    stem = path.name.split(".")[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:63] or "import"
