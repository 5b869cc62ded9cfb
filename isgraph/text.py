"""Text as isgraph compares it.

>>> fold("Évolution des Territoires")
'evolution des territoires'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import Stemmer  # type: ignore[import-not-found,unused-ignore]  # PyStemmer ships no type hints


def fold(text: str) -> str:
    """Lower-case, without accents: what searches and name matching compare."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLDED)


class _Folded(dict[int, str]):
    """Each character folded (made on first sight): ``str.translate`` reads it in C."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).casefold())
        folded = self[code] = "".join(c for c in decomposed if not unicodedata.combining(c))
        return folded


_FOLDED = _Folded()


_WORD = re.compile(r"\w+")
#: Snowball's stemmers by language tag (the languages isgraph writes in).
_STEMMERS = {"fr": "french", "en": "english"}


def words(text: str) -> list[str]:
    """The words of ``text``, folded (:func:`fold`).

    >>> words("L'accès aux SOINS, c'est la santé !")
    ['l', 'acces', 'aux', 'soins', 'c', 'est', 'la', 'sante']
    """
    return _WORD.findall(fold(text))


def stemmed_words(text: str, languages: tuple[str, ...] = ("fr", "en")) -> dict[str, tuple[str, ...]]:
    """Each word of ``text`` once, folded, with its stems in ``languages`` (:func:`stems`,
    taken from the word as written: the stemmers know the accents).

    >>> stemmed_words("Santés publiques", ("fr",))
    {'santes': ('sant',), 'publiques': ('publiqu',)}
    """
    found: dict[str, tuple[str, ...]] = {}
    for word in _WORD.findall(text.casefold()):
        folded = fold(word)
        if folded not in found:
            found[folded] = stems(word, languages)
    return found


@functools.cache
def _stemmer(language: str) -> Any:
    return Stemmer.Stemmer(_STEMMERS[language])


@functools.lru_cache(maxsize=200_000)
def stems(word: str, languages: tuple[str, ...] = ("fr", "en")) -> tuple[str, ...]:
    """The stems of a word in each language (Snowball's stemmers, from PyStemmer), folded,
    each once and never the folded word itself; taken from the word as written and from it
    without accents too (the stemmers know the accents, and people type without them).

    >>> stems("Santés")
    ('sant', 'sante')
    >>> stems("activités", ("fr",)), stems("activites", ("fr",))
    (('activ', 'activit'), ('activit',))
    """
    lowered = word.casefold()
    folded = fold(word)
    found: dict[str, None] = {}
    for language in languages:
        for form in dict.fromkeys((lowered, folded)):
            stem = fold(_stemmer(language).stemWord(form))
            if stem and stem != folded:
                found.setdefault(stem, None)
    return tuple(found)
