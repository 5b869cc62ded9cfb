"""No link on a page leaves the server because of what the data says: an IRI of the served
namespace with a path that starts with ``/`` or ``\\`` (a protocol-relative link for a
browser), or a ``javascript:`` IRI, links to its description here. (Issue 16, finding "unsafe links".)"""

from __future__ import annotations

import re

import pyoxigraph as ox

from isgraph.store import EmbeddedStore
from isgraph.web.html import Links
from isgraph.web.pages import Pages

BASE = "https://w3id.org/isgraph/"


def test_no_href_from_the_data_leaves_the_server() -> None:
    subject = ox.NamedNode(BASE + "id/actor/a")
    hostile = [BASE + "/evil.example/x", "javascript:alert(1)"]  # (an IRI cannot hold a backslash)
    with EmbeddedStore(None) as store:
        store.add(
            BASE + "graph/case/x",
            [
                ox.Triple(subject, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("A", language="en")),
                *(
                    ox.Triple(subject, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), ox.NamedNode(h))
                    for h in hostile
                ),
            ],
        )
        page = Pages(store, Links(BASE)).resource(subject.value, "en", "?lang=fr")
    assert page is not None
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("/", "?", "#")) and not h.startswith(("//", "/\\")) for h in hrefs), hrefs
    assert '/resource?iri=https%3A%2F%2Fw3id.org%2Fisgraph%2F%2Fevil.example%2Fx"' in page
    assert '/resource?iri=javascript%3Aalert%281%29"' in page
