"""Limits every input meets before it is parsed: no term longer than a parser can hold, no
document nested deeper than a case ever is. Each breach is a one-line error with its line.

>>> nesting_depth(b'{"a": [1, {"b": "[[["}]}')
3
>>> check_terms(b'<a> <b> "' + b'x' * 10 + b'" .', shown_as="x.nt", limit=5)
Traceback (most recent call last):
...
isgraph.errors.InputError: line 1 is longer than 5 bytes: a term that large is refused
"""

from __future__ import annotations

import re

from isgraph.errors import InputError
from isgraph.messages import Message

#: The longest line of a line-based RDF file (N-Triples, N-Quads): a case has no term near it.
MAX_LINE_BYTES = 1024 * 1024
#: The deepest nesting of a JSON document (a form is about six levels deep, JSON-LD a few more).
MAX_DEPTH = 64


def check_terms(data: bytes, *, shown_as: str, limit: int = MAX_LINE_BYTES) -> None:
    """Refuse a line-based file with a line longer than ``limit`` bytes (its terms would be)."""
    start, number = 0, 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end - start > limit:
            raise InputError(
                Message(
                    f"la ligne {number} dépasse {_size(limit, 'fr')} : un terme aussi grand est refusé",
                    f"line {number} is longer than {_size(limit, 'en')}: a term that large is refused",
                ),
                path=shown_as,
                line=number,
            )
        start, number = end + 1, number + 1


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


def nesting_depth(data: bytes, stop_after: int | None = None) -> int:
    """How deep a JSON document nests arrays and objects (brackets inside strings not counted);
    stops counting past ``stop_after``."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', data)):
        if match.group() in (b"{", b"["):
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_after is not None and deepest > stop_after:
                    break
        else:
            depth -= 1
    return deepest


def check_depth(data: bytes, *, shown_as: str, limit: int = MAX_DEPTH) -> None:
    """Refuse a JSON document nested deeper than ``limit`` (its parse would take time and memory
    out of all proportion to its size)."""
    if nesting_depth(data, stop_after=limit) > limit:
        raise InputError(
            Message(
                f"document imbriqué sur plus de {limit} niveaux : refusé",
                f"document nested more than {limit} levels deep: refused",
            ),
            path=shown_as,
        )


def _size(limit: int, lang: str) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} Mo" if lang == "fr" else f"{limit // (1024 * 1024)} MB"
    return f"{limit} octets" if lang == "fr" else f"{limit} bytes"
