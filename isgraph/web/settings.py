"""What a server is told: where it listens, who may write, and its limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from isgraph.errors import InputError
from isgraph.messages import Message
from isgraph.sparql.parser import MAX_DEPTH, MAX_LENGTH
from isgraph.sparql.policy import Policy

#: Where isgraph's own IRIs live; a server answers for the paths under it.
DEFAULT_BASE = "https://w3id.org/isgraph/"


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    #: Bearer token that allows SPARQL Update and ingest; None: read-only.
    token: str | None = None
    #: Seconds a query may run before it is stopped (503).
    query_timeout: float = 30.0
    #: Rows (or triples) a query may return before it is stopped (413).
    max_results: int = 100_000
    #: Hosts (``host`` or ``host:port``) that ``SERVICE`` may call.
    allowed_services: tuple[str, ...] = ()
    #: Longest query or update (characters) taken (400 beyond).
    max_query_length: int = MAX_LENGTH
    #: Deepest nesting of brackets in a query or update taken (400 beyond; at most 256).
    max_query_depth: int = MAX_DEPTH
    #: Queries that run at once in each lane; more wait their turn.
    workers: int = 4
    #: Seconds after which a running query leaves its place to newcomers (the long lane).
    long_after: float = 0.5
    base: str = DEFAULT_BASE
    #: Origins whose pages may read this server's answers (CORS); ``*`` for any, none for no CORS.
    cors: tuple[str, ...] = ("*",)
    #: The address clients reach the server at (for the dataset description); default http://host:port.
    public_url: str | None = None
    licence: str | None = None
    #: Who publishes the dataset (DCAT-AP requires it of a catalogue): a name, and an IRI if any.
    publisher: str | None = None
    publisher_iri: str | None = None
    title: dict[str, str] = field(
        default_factory=lambda: {
            "fr": "Graphe de connaissances de l'innovation sociale (isgraph)",
            "en": "Knowledge graph of social innovation (isgraph)",
        }
    )
    description: dict[str, str] = field(
        default_factory=lambda: {
            "fr": "Des cas d'innovation sociale décrits selon la définition de l'Institut Godin "
            "(besoin social, processus, résultat, impacts), validés par les formes SHACL d'isgraph, "
            "avec leurs acteurs, leurs territoires et leurs ressources.",
            "en": "Cases of social innovation described with the Institut Godin's definition "
            "(social need, process, result, impacts), validated by isgraph's SHACL shapes, "
            "with their actors, territories and resources.",
        }
    )

    @property
    def policy(self) -> Policy:
        """What a request to this server may do (:mod:`isgraph.sparql.policy`)."""
        return Policy(self.allowed_services, self.max_query_length, self.max_query_depth)

    @property
    def url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


def read_token(token_file: Path | None) -> str | None:
    """The write token: from a file (first line), else ISGRAPH_TOKEN, else none (read-only)."""
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip().splitlines()[0].strip()
        except (OSError, UnicodeDecodeError, IndexError) as exc:
            raise InputError(
                Message(f"fichier de jeton illisible ou vide : {exc}", f"token file unreadable or empty: {exc}"), path=token_file
            ) from None
    else:
        token = os.environ.get("ISGRAPH_TOKEN", "").strip()
    if token and len(token) < 16:
        raise InputError(
            Message("jeton trop court (16 caractères au moins)", "token too short (16 characters at least)"),
            path=str(token_file) if token_file else "ISGRAPH_TOKEN",
        )
    return token or None
