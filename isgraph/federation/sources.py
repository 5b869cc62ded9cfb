"""The sources file: the observatories whose cases isgraph harvests and federates.

.. code-block:: yaml

    sources:
      - name: cress-hdf                         # a-z, 0-9 and -, unique
        title: {fr: CRESS Hauts-de-France, en: CRESS Hauts-de-France}   # optional
        endpoint: https://sparql.example.org/query   # a SPARQL 1.1 endpoint, or
        # dump: https://example.org/cases.nq         # a dump (URL, or a file beside this one): .nq or .trig
        licence: https://creativecommons.org/licenses/by/4.0/
        contact: mailto:observatoire@example.org
        timeout: 30                             # seconds, optional (default 30)
        request_form: post-form                 # optional: post-form (default), post-direct or get

Unknown keys, a missing name, licence or contact, or both (or neither of)
endpoint and dump are errors with the line of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.namespaces import GRAPH, ID
from isgraph.rdf.yamllines import Number, YamlDocument
from isgraph.sparql.protocol import DEFAULT_FORM, REQUEST_FORMS

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_EMAIL = re.compile(r"^[^@\s:<>]+@[^@\s<>]+$")
_MAILTO = re.compile(r"^mailto:[^@\s<>]+@[^@\s<>]+$")
_KEYS = {"name", "title", "endpoint", "dump", "licence", "contact", "timeout", "fail_on", "request_form"}
#: What a source may say of the severity that keeps one of its cases apart.
FAIL_ON = ("violation", "warning", "info")
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Source:
    name: str
    licence: str
    contact: str
    endpoint: str | None = None
    dump: str | None = None
    title: Message | None = None
    timeout: float = DEFAULT_TIMEOUT
    #: the severity that keeps a case apart (None: the harvest's own, "violation" unless said)
    fail_on: str | None = None
    #: how queries are sent to its endpoint (:mod:`isgraph.sparql.protocol`)
    request_form: str = DEFAULT_FORM

    @property
    def iri(self) -> str:
        """The source as a resource (a DCAT dataset) in isgraph's data."""
        return ID["observatory/" + self.name]

    @property
    def graph_prefix(self) -> str:
        """Every named graph harvested from this source starts with this."""
        return GRAPH["harvest/" + self.name + "/"]

    @property
    def access(self) -> str:
        return self.endpoint or self.dump or ""


def load_sources(path: Path) -> list[Source]:
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Message(f"fichier illisible : {exc}", f"unreadable file: {exc}"), path=shown) from None
    reader = YamlDocument(text, shown, empty=Message("fichier des sources vide", "empty sources file"))
    data = reader.data
    if not isinstance(data, dict):
        raise reader.error((), "un fichier de sources commence par « sources: »", 'a sources file starts with "sources:"')
    reader.refuse_unknown(data, {"sources"}, ())
    items = data.get("sources")
    if not isinstance(items, list) or not items:
        raise reader.error(("sources",), "liste de sources attendue", "list of sources expected")
    sources: list[Source] = []
    for i, item in enumerate(items):
        sources.append(_source(reader, item, ("sources", i), path.parent))
    seen: set[str] = set()
    for i, source in enumerate(sources):
        if source.name in seen:
            raise reader.error(("sources", i, "name"), f"nom « {source.name} » répété", f'repeated name "{source.name}"')
        seen.add(source.name)
    return sources


def _source(reader: YamlDocument, item: Any, where: tuple[Any, ...], folder: Path) -> Source:
    if not isinstance(item, dict):
        raise reader.error(where, "une source est un ensemble de champs", "a source is a set of fields")
    reader.refuse_unknown(item, _KEYS, where)
    for key in ("name", "licence", "contact"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise reader.error((*where, key), f"champ « {key} » requis (texte)", f'field "{key}" required (text)')
    if not _NAME.match(item["name"]):
        raise reader.error((*where, "name"), "nom en minuscules, chiffres et tirets", "name in lower case, digits and dashes")
    if ("endpoint" in item) == ("dump" in item):
        raise reader.error(where, "donnez « endpoint » ou « dump » (un seul)", 'give "endpoint" or "dump" (exactly one)')
    endpoint = dump = None
    if "endpoint" in item:
        endpoint = item["endpoint"]
        if not (isinstance(endpoint, str) and _URL.match(endpoint)):
            raise reader.error((*where, "endpoint"), "adresse http(s) attendue", "http(s) URL expected")
    else:
        dump = item["dump"]
        if not isinstance(dump, str) or not dump.strip():
            raise reader.error((*where, "dump"), "adresse ou fichier attendu", "URL or file expected")
        if not _URL.match(dump):
            dump = (folder / dump).resolve().as_uri()
        if not dump.lower().endswith((".nq", ".trig")):
            raise reader.error((*where, "dump"), "une sauvegarde .nq ou .trig", "a .nq or .trig dump")
    timeout = item.get("timeout", DEFAULT_TIMEOUT)
    seconds = float(timeout) if isinstance(timeout, Number | int | float) and not isinstance(timeout, bool) else -1.0
    if not 0 < seconds <= 3600:
        raise reader.error((*where, "timeout"), "nombre de secondes entre 0 et 3600", "number of seconds between 0 and 3600")
    licence = item["licence"].strip()
    if not _URL.match(licence):
        raise reader.error((*where, "licence"), "IRI http(s) de la licence attendu", "http(s) IRI of the licence expected")
    contact = item["contact"].strip()
    if _EMAIL.match(contact):
        contact = "mailto:" + contact
    if not (_URL.match(contact) or _MAILTO.match(contact)):
        raise reader.error((*where, "contact"), "adresse électronique ou IRI attendu", "email address or IRI expected")
    title = reader.bilingual(item, "title") if "title" in item else None
    fail_on = item.get("fail_on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise reader.error(
            (*where, "fail_on"), f"une gravité parmi {', '.join(FAIL_ON)}", f"a severity among {', '.join(FAIL_ON)}"
        )
    form = item.get("request_form", DEFAULT_FORM)
    if form not in REQUEST_FORMS:
        raise reader.error(
            (*where, "request_form"), f"une forme parmi {', '.join(REQUEST_FORMS)}", f"a form among {', '.join(REQUEST_FORMS)}"
        )
    return Source(item["name"], licence, contact, endpoint, dump, title, seconds, fail_on, form)
