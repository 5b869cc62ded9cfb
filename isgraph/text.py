"""Text as isgraph compares it.

>>> fold("Évolution des Territoires")
'evolution des territoires'
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without accents: what searches and name matching compare."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
