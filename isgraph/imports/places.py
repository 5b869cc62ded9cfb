"""Where a record says an organisation is, read against the territory reference: the most
precise territory its country, region, postcode and locality name together, and which of
them were understood (for the report of the columns)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from isgraph.store.territories import TerritoryReference
from isgraph.text import fold


@dataclass(frozen=True)
class Place:
    """The territory found (None: not even a country), and what each part gave."""

    territory: str | None
    country: str | None = None
    region: str | None = None
    #: the commune the postcode (and the locality) named, in France
    commune: str | None = None


def resolve(
    territories: TerritoryReference,
    *,
    country: str = "",
    region: str = "",
    postcode: str = "",
    locality: str = "",
    aliases: Mapping[str, str] | None = None,
) -> Place:
    """A country by its ISO code or its name (or, when no country has that name, a
    subdivision that only one country has: ``England``, ``Scotland``); a region by the
    subdivision of that country it names; in France, the commune a postcode names, or the
    one of its communes the locality names: never a guess among several. ``aliases`` says
    what a source means by a country value (folded) where it departs from ISO: ``sr`` →
    ``SK`` for a source that writes Slovakia's Slovak initials."""
    country = (aliases or {}).get(fold(country.strip()), country)
    found_country = territories.country(country) if country.strip() else None
    found_region = None
    if country.strip() and found_country is None and (found_region := territories.subdivision(None, country)):
        found_country = _country_of(found_region)
    if region.strip() and found_country:
        found_region = territories.subdivision(found_country, region) or found_region
    commune = None
    if found_country and found_country.endswith("/FR") and postcode.strip():
        candidates = territories.by_postcode(postcode)
        chosen = [c for c in candidates if len(candidates) == 1 or (locality and fold(c.label) == fold(locality))]
        commune = chosen[0].iri if len(chosen) == 1 else None
    return Place(commune or found_region or found_country, found_country, found_region, commune)


def _country_of(subdivision: str) -> str:
    """``…/subdivision/GB-SCT`` → ``…/country/GB``."""
    base, _, code = subdivision.rpartition("/subdivision/")
    return f"{base}/country/{code.split('-', 1)[0]}"
