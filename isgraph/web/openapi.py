"""An OpenAPI 3.1 document for the HTTP API: one path per catalogue query, with its
parameters, types and defaults, described in French and English."""

from __future__ import annotations

from typing import Any

from isgraph import __version__
from isgraph.query.catalogue import CatalogueQuery
from isgraph.web.results import SOLUTION_TYPES

_SCHEMAS = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
    "search": {"type": "string"},
}


def _both(fr: str, en: str) -> str:
    return f"{en} — {fr}"


def openapi(queries: list[CatalogueQuery], url: str) -> dict[str, Any]:
    results: dict[str, dict[str, Any]] = {media: {} for media in SOLUTION_TYPES}
    errors = {
        "400": {"description": _both("paramètre invalide", "invalid parameter")},
        "406": {"description": _both("format non disponible", "format not available")},
        "413": {"description": _both("résultat trop grand", "result too large")},
        "503": {"description": _both("limite de temps atteinte", "time limit reached")},
    }
    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "operationId": "listQueries",
                "summary": _both("le catalogue", "the catalogue"),
                "responses": {"200": {"description": "JSON", "content": {"application/json": {}}}},
            }
        },
        "/sparql": {
            "get": {
                "operationId": "sparql",
                "summary": _both("point d'accès SPARQL 1.1", "SPARQL 1.1 Protocol endpoint"),
                "parameters": [{"name": "query", "in": "query", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "SPARQL results", "content": results}, **errors},
            }
        },
    }
    for q in queries:
        params = [
            {
                "name": p.name,
                "in": "query",
                "required": p.default is None,
                "description": _both(p.description.fr, p.description.en),
                "schema": {**_SCHEMAS[p.type], **({"default": p.default} if p.default is not None else {})},
            }
            for p in q.params
        ]
        params.append(
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": _both(
                    "format du résultat (json, xml, csv, tsv ; sinon l'en-tête Accept)",
                    "result format (json, xml, csv, tsv; else the Accept header)",
                ),
                "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv"]},
            }
        )
        paths[f"/api/queries/{q.name}"] = {
            "get": {
                "operationId": q.name,
                "summary": _both(q.title.fr, q.title.en),
                "description": _both(q.description.fr, q.description.en),
                "tags": list(q.tags),
                "parameters": params,
                "responses": {"200": {"description": "SPARQL 1.1 Query Results", "content": results}, **errors},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "isgraph",
            "version": __version__,
            "description": _both("Le catalogue de requêtes d'isgraph", "isgraph's query catalogue"),
        },
        "servers": [{"url": url}],
        "paths": paths,
    }
