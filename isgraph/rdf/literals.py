"""Literals whose text is not a value of their datatype (``"2024-13-45"^^xsd:date``), or a
value no case needs (an integer of thousands of digits): found when a file is read, each
with its line, instead of being stored as they are.

>>> import pyoxigraph as ox
>>> XSD = "http://www.w3.org/2001/XMLSchema#"
>>> ill_typed(ox.Literal("2024-13-45", datatype=ox.NamedNode(XSD + "date"))).en
'not a date (YYYY-MM-DD)'
>>> ill_typed(ox.Literal("2024-02-29", datatype=ox.NamedNode(XSD + "date"))) is None
True
"""

from __future__ import annotations

import datetime
import re

import pyoxigraph as ox

from isgraph.messages import Message
from isgraph.namespaces import XSD

#: The most digits an integer may have (a count, an amount, a population…).
MAX_INTEGER_DIGITS = 30
_TZ = r"(Z|[+-]\d{2}:\d{2})?"
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DOUBLE = re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN")
_DATE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})" + _TZ)
_DATETIME = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?" + _TZ)
_GYEAR = re.compile(r"-?\d{4,}" + _TZ)
_INTEGERS = {XSD[t] for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong")}  # fmt: skip
_MESSAGES = {
    "date": Message("ce n'est pas une date (AAAA-MM-JJ)", "not a date (YYYY-MM-DD)"),
    "dateTime": Message("ce n'est pas une date et heure (AAAA-MM-JJTHH:MM:SS)", "not a date and time (YYYY-MM-DDTHH:MM:SS)"),
    "gYear": Message("ce n'est pas une année (AAAA)", "not a year (YYYY)"),
    "integer": Message("ce n'est pas un entier", "not an integer"),
    "long": Message(
        f"entier de plus de {MAX_INTEGER_DIGITS} chiffres : refusé",
        f"an integer of more than {MAX_INTEGER_DIGITS} digits: refused",
    ),
    "decimal": Message("ce n'est pas un nombre décimal", "not a decimal number"),
    "double": Message("ce n'est pas un nombre", "not a number"),
    "boolean": Message("ce n'est pas true ou false", "not true or false"),
}


def ill_typed(literal: ox.Literal) -> Message | None:
    """Why ``literal`` is not a value of its datatype, in both languages, or None when it is one."""
    problem = _problem(literal.datatype.value, literal.value)
    return _MESSAGES[problem] if problem else None


_DECIMAL_TYPE, _BOOLEAN, _DATE_TYPE, _DATETIME_TYPE, _GYEAR_TYPE = (
    XSD[t] for t in ("decimal", "boolean", "date", "dateTime", "gYear")
)
_FLOATS = (XSD["double"], XSD["float"])
#: The datatypes checked here: any other is left as it is.
_CHECKED = frozenset({*_INTEGERS, _DECIMAL_TYPE, _BOOLEAN, _DATE_TYPE, _DATETIME_TYPE, _GYEAR_TYPE, *_FLOATS})


def _problem(datatype: str, text: str) -> str | None:
    if datatype not in _CHECKED:  # most literals: strings, texts in a language
        return None
    if datatype in _INTEGERS:
        if not _INTEGER.fullmatch(text):
            return "integer"
        return "long" if len(text.lstrip("+-")) > MAX_INTEGER_DIGITS else None
    if datatype == _DECIMAL_TYPE:
        if not _DECIMAL.fullmatch(text):
            return "decimal"
        return "long" if len(text.lstrip("+-").split(".")[0]) > MAX_INTEGER_DIGITS else None
    if datatype in _FLOATS:
        return None if _DOUBLE.fullmatch(text) else "double"
    if datatype == _BOOLEAN:
        return None if text in ("true", "false", "1", "0") else "boolean"
    if datatype == _DATE_TYPE:
        match = _DATE.fullmatch(text)
        return None if match and _is_date(*match.groups()[:3]) else "date"
    if datatype == _DATETIME_TYPE:
        match = _DATETIME.fullmatch(text)
        ok = match and _is_date(*match.groups()[:3]) and int(match[4]) < 24 and int(match[5]) < 60 and int(match[6]) < 60
        return None if ok else "dateTime"
    if datatype == _GYEAR_TYPE:
        return None if _GYEAR.fullmatch(text) else "gYear"
    return None


def _is_date(year: str, month: str, day: str) -> bool:
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True
