"""Bilingual messages: every text a user reads exists in French and in English.

>>> Message("bonjour", "hello").text("fr")
'bonjour'
>>> pick_language(None, environ={"LANG": "fr_FR.UTF-8"})
'fr'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Message:
    """One message in French and English."""

    fr: str
    en: str

    def text(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"fr": self.fr, "en": self.en}


def pick_language(requested: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The language to speak: the one requested, else ISGRAPH_LANG, else the locale."""
    if requested in LANGUAGES:
        return requested
    for variable in ("ISGRAPH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"
