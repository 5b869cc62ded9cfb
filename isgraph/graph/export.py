"""Writing the whole knowledge graph out: N-Quads (the default), TriG and JSON-LD
keep the named graphs; Turtle writes their union."""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.store import Store

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def export(store: Store, output: IO[bytes], *, fmt: str = "nquads") -> None:
    """Write every graph of ``store`` to ``output`` in format ``fmt``."""
    try:
        rdf_format = EXPORT_FORMATS[fmt]
    except KeyError:
        names = ", ".join(EXPORT_FORMATS)
        raise InputError(
            Message(f"format inconnu « {fmt} » (formats : {names})", f'unknown format "{fmt}" (formats: {names})')
        ) from None
    store.dump(output, rdf_format)
