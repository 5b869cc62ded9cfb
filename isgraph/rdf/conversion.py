"""``isgraph convert``: one case between its three forms (Turtle, JSON-LD, YAML form),
losslessly: the result is read back and must give exactly the same triples."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import PREFIXES
from isgraph.rdf.files import read_file
from isgraph.rdf.form_writer import form_jsonld, form_yaml, to_form
from isgraph.rdf.forms import FormReader
from isgraph.rdf.writing import serialize

TARGETS = ("turtle", "jsonld", "yaml")


def convert(path: Path, to: str, *, shown_as: str | None = None) -> str:
    """The case in ``path`` written as ``to``; InputError if anything would be lost."""
    shown = shown_as or str(path)
    triples = read_file(path, shown_as=shown, bnode_prefix="c").triples
    if any(isinstance(term, ox.BlankNode) for t in triples for term in (t.subject, t.object)):
        raise InputError(
            Message(
                "conversion impossible : le fichier contient des nœuds anonymes ; donnez-leur un identifiant",
                "cannot convert: the file has blank nodes; give them identifiers",
            ),
            path=shown,
        )
    if to == "turtle":
        text = serialize(triples, ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
        back = [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
    elif to == "jsonld":
        text = form_jsonld(to_form(triples))
        back = [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.JSON_LD)]
    elif to == "yaml":
        text = form_yaml(to_form(triples))
        back = FormReader(text, shown).triples()
    else:
        raise InputError(Message(f"format cible inconnu « {to} »", f'unknown target format "{to}"'))
    if set(back) != set(triples):
        lost = sorted(str(t) for t in set(triples) - set(back))[:1] or sorted(str(t) for t in set(back) - set(triples))[:1]
        raise InputError(
            Message(f"la conversion ne serait pas fidèle : {lost[0]}", f"the conversion would not be faithful: {lost[0]}"),
            path=shown,
        )
    return text
