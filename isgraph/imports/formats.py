"""The formats ``isgraph import`` reads, and one entry point for them all."""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from isgraph import resources
from isgraph.errors import InputError
from isgraph.imports import essglobal, transformap
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
FORMATS: dict[str, Reader] = {"essglobal-csv": essglobal.read, "transformap-geojson": transformap.read}
#: What the report calls the place of a record in each format.
UNITS = {"essglobal-csv": Message("ligne", "line"), "transformap-geojson": Message("objet", "feature")}
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
    lang: str = "en",
) -> ImportOutcome:
    """Read ``path`` in format ``fmt`` and import it as the source ``source`` (by default the
    file's name): see :mod:`isgraph.imports.pipeline`. The edition (the date of the
    characterisations) is ``edition``, else the one the last import of the source
    recorded, else today. ``country_aliases`` says what the source means by a country value
    where it departs from ISO 3166-1 (``{"SR": "SK"}``)."""
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
    if not _NAME.match(name):
        raise InputError(
            Message(
                f"nom de source invalide « {name} » : minuscules, chiffres et tirets (--source)",
                f'invalid source name "{name}": lower case, digits and hyphens (--source)',
            )
        )
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
    records, columns = FORMATS[fmt](
        path, source=name, edition=edition, crosswalk=crosswalk, territories=territories, aliases=aliases
    )
    spec = ImportSource(name, fmt, path, licence=licence, rights=rights, title=title, unit=UNITS[fmt])
    outcome = run_import(store, spec, records, columns, edition=edition, validator=validator, lang=lang)
    outcome.seconds = time.monotonic() - started  # reading the file included
    return outcome


def _slug(path: Path) -> str:
    stem = path.name.split(".")[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:63] or "import"
