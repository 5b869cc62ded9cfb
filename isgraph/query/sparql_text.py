"""Reading SPARQL text safely: its tokens outside strings, IRIs and comments.

Two uses: binding a query's parameters by replacing its ``?_name`` variables with
terms that pyoxigraph serialises (so a value can never become SPARQL syntax), and
refusing queries that would leave the machine (``SERVICE``) or write (updates).

>>> substitute('SELECT ?x WHERE { ?x ?p ?_q } # ?_q', {"q": '"a \\\\"b"'})
'SELECT ?x WHERE { ?x ?p "a \\\\"b" } # ?_q'
>>> sorted(keywords('SELECT * WHERE { SERVICE <http://x> { ?s ?p "SERVICE" } }'))
['SELECT', 'SERVICE', 'WHERE']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<variable>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?)
    | (?P<other>\s+|.)
""",
    re.VERBOSE | re.DOTALL,
)

#: SPARQL keywords that make a request write, load or reach another server.
FORBIDDEN_IN_QUERIES = {"SERVICE", "INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) for every token: comment, string, iri, variable, word or other."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        yield kind, match.group(0)


def keywords(text: str) -> set[str]:
    """The bare words of ``text`` (keywords and prefixed names), upper-cased, outside strings, IRIs and comments."""
    return {value.upper() for kind, value in tokens(text) if kind == "word" and ":" not in value}


def variables(text: str) -> set[str]:
    """The names of the variables ``text`` uses (without ? or $)."""
    return {value[1:] for kind, value in tokens(text) if kind == "variable"}


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace each variable ``?_name`` (or ``$_name``) by ``values[name]``, already serialised SPARQL."""
    out = []
    for kind, value in tokens(text):
        if kind == "variable" and value[1:2] == "_" and value[2:] in values:
            out.append(values[value[2:]])
        else:
            out.append(value)
    return "".join(out)
