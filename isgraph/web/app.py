"""The ASGI application (Starlette) of ``isgraph serve``.

Routes:

- ``/sparql``: SPARQL 1.1 Protocol (GET; POST URL-encoded or direct); results in
  SPARQL JSON, XML, CSV or TSV, graphs in Turtle, N-Triples, JSON-LD or RDF/XML, by
  ``Accept`` (or ``format``). Updates need the token; ``SERVICE`` only to allowed hosts;
  every query has a time and a size limit.
- ``/api/queries``, ``/api/queries/NAME``: the catalogue; ``/api/openapi.json`` describes it.
- ``/api/ingest`` (POST, token): validate a case and put it in the store.
- ``/dataset`` and ``/.well-known/void``: VoID and DCAT; ``/dumps/isgraph.nq|.trig``: dumps.
- ``/``, ``/cases``, ``/resource?iri=…`` and every path under the base (``/id/…``,
  ``/ontology``, ``/grid/…``…): pages for browsers, RDF for clients.

Blocking work (the store) runs in worker threads, in two lanes of ``workers`` places
(:mod:`isgraph.web.lanes`): work that outlasts ``long_after`` seconds leaves its place
to newcomers, so that quick requests keep answering beside long ones. An on-disk
store is served from a process of its own (:mod:`isgraph.store.process`), so that a
query past the time limit is killed; on any other store, the answer leaves at the limit
and the query stops at its next solution.
"""

from __future__ import annotations

import functools
import hmac
import json
import os
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import anyio
import anyio.to_thread
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from isgraph import resources
from isgraph.errors import InputError, IsgraphError, StoreError
from isgraph.graph.ingest import RefusedError, ingest
from isgraph.messages import Message
from isgraph.namespaces import ISG
from isgraph.query import catalogue
from isgraph.shacl.compiler import load_shapes_triples
from isgraph.shacl.engine import FAIL_ON
from isgraph.shacl.report import render
from isgraph.sparql import update_dataset
from isgraph.sparql.parser import Request as ParsedRequest
from isgraph.sparql.parser import warm
from isgraph.store import Store, select_values
from isgraph.store.limits import Collected, LimitReached, time_limit
from isgraph.store.process import StoreCrashed
from isgraph.store.replica import ReplicaStatus
from isgraph.web import editor, graph_store, steward
from isgraph.web.catalogue_pages import MAX_PAGE_SIZE, PAGE_SIZE, RESERVED, CataloguePages
from isgraph.web.cors import Cors
from isgraph.web.dataset import DUMPS
from isgraph.web.dataset import description as dataset_description
from isgraph.web.describe import description
from isgraph.web.docs_pages import Documentation
from isgraph.web.html import Links, esc, page
from isgraph.web.lanes import Lanes
from isgraph.web.map_page import MapPage
from isgraph.web.openapi import openapi
from isgraph.web.pages import Pages
from isgraph.web.results import GRAPH_TYPES, SOLUTION_TYPES, negotiate, parse_accept, quality, serialize, server_timing
from isgraph.web.settings import ServerSettings

#: What pages load besides themselves (styles, scripts, map outlines): shipped in the package, never from a CDN.
ASSETS = Path(__file__).resolve().parent / "assets"
MAX_QUERY_BYTES = 1_000_000
MAX_CASE_BYTES = 10_000_000
#: The parameters of the SPARQL 1.1 Protocol.
PROTOCOL_PARAMETERS = ("query", "update", "default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
CASE_TYPES = {
    "text/turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/x-yaml": ".yaml",
    "application/yaml": ".yaml",
    "text/yaml": ".yaml",
    "application/json": ".json",
    "application/n-triples": ".nt",
    "application/rdf+xml": ".rdf",
}


class HttpError(Exception):
    def __init__(self, status: int, message: Message, headers: dict[str, str] | None = None) -> None:
        super().__init__(message.en)
        self.status, self.message, self.headers = status, message, headers or {}


def language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in ("fr", "en"):
        return asked
    ranges = parse_accept(request.headers.get("accept-language", "").replace("-", "/"))
    fr = max((q for r, q in ranges if r.startswith("fr")), default=0.0)
    en = max((q for r, q in ranges if r.startswith("en")), default=0.0)
    return "fr" if fr > en else "en"


def other_language(request: Request, lang: str) -> str:
    params = [(k, v) for k, v in parse_qsl(request.url.query) if k != "lang"]
    return f"{request.url.path}?{urlencode([*params, ('lang', 'en' if lang == 'fr' else 'fr')])}"


class Server:
    """The handlers, over one store."""

    def __init__(self, store: Store, settings: ServerSettings) -> None:
        self.store = store
        self.settings = settings
        self.links = Links(settings.base)
        self.pages = Pages(store, self.links)
        self.lanes = Lanes(settings.workers, settings.long_after)
        self.write_lock = anyio.Lock()
        self.queries = {q.name: q for q in catalogue.load_catalogue()}
        self.catalogue_pages = CataloguePages(store, self.links, self.queries)
        self.map = MapPage(store, self.links)
        self.policy = settings.policy
        #: the base IRI of the requests sent to /sparql: the endpoint itself
        self.endpoint = f"{settings.url}/sparql"
        threading.Thread(target=warm, name="isgraph-parser-warm-up", daemon=True).start()

    async def blocking(self, work: Callable[..., Any], *args: Any) -> Any:
        return await self.lanes.run(work, *args)

    async def run_query(
        self, text: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> Collected:
        """Run a read query under the server's limits: the store stops it (or stops reading its
        result) at the time limit, and the request gives up then in any case."""
        timeout = self.settings.query_timeout

        def work() -> Collected:
            return self.store.collected(
                text,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                timeout=timeout,
                max_results=self.settings.max_results,
            )

        with anyio.move_on_after(timeout + 0.25):
            collected: Collected = await self.blocking(work)
            return collected
        raise time_limit(timeout)

    # --- authorisation -----------------------------------------------------------------
    def authorise(self, request: Request) -> None:
        """Refuse a write without the token (and mark the request as a write, for CORS)."""
        request.state.write = True
        if self.settings.token is None:
            raise HttpError(
                403, Message("serveur en lecture seule : aucune écriture permise", "read-only server: no writes allowed")
            )
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not self.token_matches(value):
            raise HttpError(
                401,
                Message(
                    "jeton requis (Authorization: Bearer …) pour écrire", "token required (Authorization: Bearer …) to write"
                ),
                {"WWW-Authenticate": 'Bearer realm="isgraph"'},
            )
        request.state.authorised = True

    def token_matches(self, given: str) -> bool:
        token = self.settings.token
        return token is not None and hmac.compare_digest(given.strip().encode(), token.encode())

    # --- SPARQL protocol ----------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        params = request.query_params
        if request.method == "GET":
            if "update" in params:
                raise HttpError(400, Message("une mise à jour s'envoie par POST", "an update is sent with POST"))
            if "query" not in params:
                if quality("text/html", parse_accept(request.headers.get("accept", ""))) > 0:
                    return HTMLResponse(self.query_form(language(request), request))
                raise HttpError(400, Message("paramètre « query » manquant", 'missing "query" parameter'))
            fields = list(params.multi_items())
        else:
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if len(body) > MAX_QUERY_BYTES:
                raise HttpError(413, Message("requête trop longue", "request too long"))
            text = _decode(body)
            if media == "application/x-www-form-urlencoded":
                fields = [*params.multi_items(), *parse_qsl(text, keep_blank_values=True)]
            elif media in ("application/sparql-query", "application/sparql-update"):
                if "query" in params or "update" in params:
                    raise HttpError(
                        400, Message("requête à la fois dans l'URL et dans le corps", "request both in the URL and in the body")
                    )
                fields = [*params.multi_items(), ("query" if media.endswith("query") else "update", text)]
            else:
                raise HttpError(
                    415,
                    Message(
                        f"type de contenu non pris en charge : {media or 'aucun'}",
                        f"unsupported content type: {media or 'none'}",
                    ),
                )
        given = {k: [v for key, v in fields if key == k] for k in PROTOCOL_PARAMETERS}
        if len(given["query"]) + len(given["update"]) != 1:
            raise HttpError(400, Message("donnez « query » ou « update » (un seul)", 'give "query" or "update" (exactly one)'))
        if given["query"]:
            if given["using-graph-uri"] or given["using-named-graph-uri"]:
                raise HttpError(
                    400,
                    Message(
                        "using-graph-uri et using-named-graph-uri sont pour les mises à jour",
                        "using-graph-uri and using-named-graph-uri are for updates",
                    ),
                )
            return await self.answer_user_query(request, given["query"][0], given["default-graph-uri"], given["named-graph-uri"])
        if given["default-graph-uri"] or given["named-graph-uri"]:
            raise HttpError(
                400,
                Message(
                    "default-graph-uri et named-graph-uri sont pour les requêtes",
                    "default-graph-uri and named-graph-uri are for queries",
                ),
            )
        return await self.run_update(request, given["update"][0], given["using-graph-uri"], given["using-named-graph-uri"])

    async def answer_user_query(
        self, request: Request, text: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> Response:
        """A query sent to ``/sparql``: read by isgraph's parser and allowed by the server's
        policy first, with isgraph's prefixes declared for it, as on the command line, and
        the endpoint's own address as its base IRI."""
        try:
            read = await anyio.to_thread.run_sync(self.policy.query, catalogue.with_prefixes(text, self.endpoint), "query")
            return await self.answer(request, read.text, default_graphs, named_graphs)
        except InputError as exc:
            raise catalogue.shift_back(exc, self.endpoint) from None

    async def answer(
        self, request: Request, text: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> Response:
        return await self.respond(request, await self.run_query(text, default_graphs or None, named_graphs or None))

    async def respond(self, request: Request, collected: Collected) -> Response:
        """A query's result in the format the client accepts."""
        media = negotiate(request.headers.get("accept"), collected.kind, request.query_params.get("format"))
        if media is None:
            offered = ", ".join(GRAPH_TYPES) if collected.kind == "graph" else "JSON, XML, CSV, TSV"
            raise HttpError(
                406,
                Message(
                    f"aucun format acceptable : formats offerts {offered}", f"no acceptable format: formats offered {offered}"
                ),
            )
        data = await anyio.to_thread.run_sync(serialize, collected, media)
        charset = "; charset=utf-8" if media.startswith("text/") else ""
        return Response(data, media_type=media + charset, headers={"Vary": "Accept", **server_timing(collected)})

    async def run_update(
        self, request: Request, text: str, using: Sequence[str] = (), using_named: Sequence[str] = ()
    ) -> Response:
        self.authorise(request)
        try:
            read = await anyio.to_thread.run_sync(self.policy.update, catalogue.with_prefixes(text, self.endpoint), "update")
        except InputError as exc:
            raise catalogue.shift_back(exc, self.endpoint) from None
        async with self.write_lock:
            await self.blocking(self.update_store, read, using, using_named)
        return Response(status_code=204)

    def update_store(self, read: ParsedRequest, using: Sequence[str], using_named: Sequence[str]) -> None:
        """Run an update with the server's meaning of the default graph (:mod:`isgraph.sparql.update_dataset`)."""
        reads_union = not (using or using_named) and {"modify", "delete_where"} & set(read.operations)
        graphs = self.store.named_graphs() if reads_union else []
        self.store.update(update_dataset.rewrite(read, graphs, using, using_named), writes=read.writes)

    def query_form(self, lang: str, request: Request) -> str:
        """The SPARQL editor (YASGUI, served from the package), with a plain form for browsers without scripts."""
        example = request.query_params.get("example")
        body = editor.page_body(self.endpoint, lang, list(self.queries.values()), example if example in self.queries else None)
        return page("SPARQL", body, lang, other_language=other_language(request, lang), head=editor.HEAD)

    # --- the catalogue -------------------------------------------------------------------
    async def list_queries(self, request: Request) -> Response:
        if self.wants_html(request, "solutions"):  # /queries and /api/queries negotiate alike
            return await self.catalogue_list_page(request)
        return JSONResponse(
            [
                {
                    "name": q.name,
                    "title": q.title.as_dict(),
                    "description": q.description.as_dict(),
                    "tags": list(q.tags),
                    "params": [
                        {"name": p.name, "type": p.type, "default": p.default, "description": p.description.as_dict()}
                        for p in q.params
                    ],
                    "lesson": q.lesson,
                    "misconception": q.misconception,
                    "url": f"{self.settings.url}/api/queries/{q.name}",
                }
                for q in self.queries.values()
            ]
        )

    async def run_catalogue_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        query = self.queries.get(name)
        if query is None:
            raise HttpError(404, Message(f"requête inconnue « {name} »", f'unknown query "{name}"'))
        if self.wants_html(request, "solutions"):
            return await self.catalogue_query_page(request, query)
        params = request.query_params
        values = {k: v for k, v in params.items() if k not in RESERVED}
        if params.get("all") == "true":  # the whole answer
            # a bad parameter is refused before any work; a search asks the store's text index
            text = await self.blocking(query.bind, values, self.store)
            media = negotiate(request.headers.get("accept"), "solutions", params.get("format"))
            labels = await self.blocking(query.labels_filled_after, values, self.store)
            if media is not None and hasattr(self.store, "write_answer"):
                parts = await self.blocking(query.whole, values, self.store)
                return await self.answer_file(parts, media, labels)
            collected = await self.run_query(text)
            labelled = await self.blocking(catalogue.with_labels, self.store, collected, query.language(values))
            return await self.respond(request, labelled)
        limit, offset = _whole(params.get("limit"), catalogue.PAGE), _whole(params.get("offset"), 0)
        answered = await self.catalogue_page(query, values, limit, offset)
        response = await self.respond(request, answered.collected)
        if answered.more:  # RFC 8288: where the next page is
            following = urlencode([*((k, v) for k, v in params.items() if k != "offset"), ("offset", str(offset + limit))])
            response.headers["Link"] = f'<{self.settings.url}/api/queries/{query.name}?{following}>; rel="next"'
        return response

    async def answer_file(self, parts: Sequence[str], media: str, labels: str | None) -> Response:
        """A whole answer (its parts, whose rows follow each other: :meth:`isgraph.query.catalogue.CatalogueQuery.whole`)
        written to a file by the store, its label columns filled in ``labels`` (its rows never
        become Python terms: :func:`isgraph.store.answers.write_answer`), then sent from it."""
        handle, name = tempfile.mkstemp(prefix="isgraph-answer-", suffix=".out")
        os.close(handle)
        timeout = self.settings.query_timeout
        try:
            with anyio.move_on_after(timeout + 0.25):
                write = self.store.write_answer  # type: ignore[attr-defined]  # checked by the caller
                await self.blocking(functools.partial(write, parts, name, media, labels=labels, timeout=timeout))
                charset = "; charset=utf-8" if media.startswith("text/") else ""
                return FileResponse(
                    name, media_type=media + charset, headers={"Vary": "Accept"}, background=BackgroundTask(os.unlink, name)
                )
        except BaseException:
            os.unlink(name)
            raise
        os.unlink(name)
        raise time_limit(timeout)

    async def catalogue_page(
        self, query: catalogue.CatalogueQuery, values: Mapping[str, str], limit: int, offset: int
    ) -> catalogue.Page:
        """A page of a catalogue query's answer under the server's limits (:func:`isgraph.query.catalogue.answer_page`)."""
        catalogue.check_page(query, limit, offset)
        text = await self.blocking(functools.partial(query.bind, values, self.store, limit=limit + 1, offset=offset))
        collected = await self.run_query(text)
        page: catalogue.Page = await self.blocking(catalogue.page_of, self.store, query, values, collected, limit, offset)
        return page

    async def catalogue_list_page(self, request: Request) -> Response:
        lang = language(request)
        body = await self.blocking(self.catalogue_pages.list_body, lang)
        title = "Catalogue de requêtes" if lang == "fr" else "Query catalogue"
        return HTMLResponse(page(title, body, lang, other_language=other_language(request, lang)), headers={"Vary": "Accept"})

    async def catalogue_query_page(self, request: Request, query: catalogue.CatalogueQuery) -> Response:
        """A query as a form, and its results when its parameters are given (or have defaults)."""
        lang = language(request)
        values = {k: v for k, v in request.query_params.items() if k not in RESERVED}
        if "lang" not in {p.name for p in query.params}:
            values.pop("lang", None)
        page_number, size = (_whole(request.query_params.get(k), default) for k, default in (("page", 1), ("size", PAGE_SIZE)))
        body = f"<p>{esc(query.description.text(lang))}</p>" + self.catalogue_pages.form(query, values, lang)
        status = 200
        if all(p.name in values or p.default is not None for p in query.params):
            try:
                if query.chart is not None:  # an aggregate, drawn whole
                    collected = await self.run_query(await self.blocking(query.bind, values, self.store))
                    labelled = await self.blocking(catalogue.with_labels, self.store, collected, query.language(values))
                    body += await self.blocking(
                        self.catalogue_pages.results_body, query, values, labelled, page_number, lang, size
                    )
                else:  # a listing: the store reads the page asked alone
                    size = min(max(size, 1), MAX_PAGE_SIZE)
                    answered = await self.catalogue_page(query, values, size, (max(page_number, 1) - 1) * size)
                    body += await self.blocking(
                        functools.partial(
                            self.catalogue_pages.results_body,
                            query,
                            values,
                            answered.collected,
                            max(page_number, 1),
                            lang,
                            size,
                            more=answered.more,
                        )
                    )
            except InputError as exc:
                status = 400
                body += f'<p class="error" role="alert">{esc(exc.render(lang))}</p>'
        html = page(query.title.text(lang), body, lang, other_language=other_language(request, lang))
        return HTMLResponse(html, status_code=status, headers={"Vary": "Accept"})

    async def openapi_document(self, request: Request) -> Response:
        return JSONResponse(openapi(list(self.queries.values()), self.settings.url))

    async def status(self, request: Request) -> Response:
        """Whether the server answers, and from where: its replica in memory (``ready``), the
        durable store while the replica loads (``loading``) or always (``off``)."""
        replica: ReplicaStatus = getattr(self.store, "replica_status", ReplicaStatus("off"))
        return JSONResponse({"status": "ok", "replica": replica.as_json()})

    # --- ingest --------------------------------------------------------------------------
    async def ingest_case(self, request: Request) -> Response:
        self.authorise(request)
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in CASE_TYPES:
            raise HttpError(
                415,
                Message(
                    f"type de contenu non pris en charge : {media or 'aucun'} (permis : {', '.join(CASE_TYPES)})",
                    f"unsupported content type: {media or 'none'} (allowed: {', '.join(CASE_TYPES)})",
                ),
            )
        body = await request.body()
        if len(body) > MAX_CASE_BYTES:
            raise HttpError(413, Message("cas trop volumineux", "case too large"))
        name = "".join(c for c in request.query_params.get("name", "submission") if c.isalnum() or c in "-_.")[:80]
        shown = f"{name or 'submission'}{CASE_TYPES[media]}"
        submitter = request.headers.get("x-submitter") or "isgraph serve"
        lang = language(request)
        fail_on = request.query_params.get("fail_on", "violation")
        if fail_on not in FAIL_ON:
            raise HttpError(
                400,
                Message(f"fail_on : une gravité parmi {', '.join(FAIL_ON)}", f"fail_on: a severity among {', '.join(FAIL_ON)}"),
            )

        def work() -> Any:
            with tempfile.TemporaryDirectory(prefix="isgraph-ingest-") as folder:
                path = Path(folder) / shown
                path.write_bytes(body)
                return ingest(self.store, [path], submitter=submitter, shown_as=[f"http:{shown}"], fail_on=fail_on)

        try:
            async with self.write_lock:
                result = await self.blocking(work)
        except RefusedError as exc:
            return JSONResponse(
                {"error": exc.message.as_dict(), "report": json.loads(render(exc.report, "json", lang))}, status_code=422
            )
        return JSONResponse(
            {
                "cases": [{"graph": c.graph, "initiative": c.initiative} for c in result.cases],
                "replaced": list(result.replaced),
                "report": json.loads(render(result.report, "json", lang)),
            },
            status_code=201,
        )

    # --- the graph store (SPARQL 1.1 Graph Store HTTP Protocol) ---------------------------
    async def graph_store(self, request: Request) -> Response:
        params = request.query_params
        path = request.path_params.get("path")
        if path is not None:
            graph: str | None = f"{self.settings.url}/store/{path}"
        elif "default" in params and "graph" not in params:
            graph = graph_store.DEFAULT
        elif "graph" in params and "default" not in params:
            graph = params["graph"]
        elif not params and request.method == "POST":
            graph = ""  # a new graph, named by the server
        else:
            raise HttpError(
                400,
                Message(
                    "nommez un graphe : ?graph=IRI, ?default, ou /store/CHEMIN",
                    "name one graph: ?graph=IRI, ?default, or /store/PATH",
                ),
            )
        if graph:
            try:
                ox.NamedNode(graph)
            except ValueError:
                raise HttpError(400, Message(f"IRI de graphe invalide : {graph}", f"invalid graph IRI: {graph}")) from None
        if request.method in ("GET", "HEAD"):
            if not await self.blocking(graph_store.exists, self.store, graph):
                raise HttpError(404, Message(f"pas de graphe {graph}", f"no graph {graph}"))
            triples = await self.blocking(graph_store.triples_of, self.store, graph)
            return self.rdf(request, Collected("graph", triples=triples))
        self.authorise(request)
        if request.method == "DELETE":
            async with self.write_lock:
                found = await self.blocking(graph_store.delete, self.store, graph)
            if not found:
                raise HttpError(404, Message(f"pas de graphe {graph}", f"no graph {graph}"))
            return Response(status_code=204)
        body = await request.body()
        if len(body) > graph_store.MAX_BODY_BYTES:
            raise HttpError(413, Message("graphe trop volumineux", "graph too large"))
        named = graph if graph != "" else graph_store.new_graph_iri(self.settings.url)
        media = request.headers.get("content-type", "")
        triples = await anyio.to_thread.run_sync(graph_store.read_body, body, media, named or self.settings.url + "/store")
        write = graph_store.put if request.method == "PUT" else graph_store.post
        async with self.write_lock:
            new = await self.blocking(write, self.store, named, triples)
        headers = {"Location": named} if graph == "" and named else {}
        return Response(status_code=201 if new else 204, headers=headers)

    # --- describing the dataset ----------------------------------------------------------
    async def dataset(self, request: Request) -> Response:
        triples = await self.blocking(dataset_description, self.store, self.settings)
        return self.rdf(request, Collected("graph", triples=triples))

    async def dump(self, request: Request) -> Response:
        media, fmt = DUMPS[request.url.path]
        spool = tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024)  # noqa: SIM115 - closed by the stream below
        await self.blocking(self.store.dump, spool, fmt)
        spool.seek(0)

        def chunks() -> Iterator[bytes]:
            try:
                while chunk := spool.read(1 << 20):
                    yield chunk
            finally:
                spool.close()

        filename = request.url.path.rsplit("/", 1)[-1]
        return StreamingResponse(
            chunks(), media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )

    def rdf(self, request: Request, collected: Collected) -> Response:
        media = negotiate(request.headers.get("accept"), "graph", request.query_params.get("format"))
        if media is None:
            raise HttpError(
                406,
                Message(
                    f"aucun format acceptable : formats offerts {', '.join(GRAPH_TYPES)}",
                    f"no acceptable format: formats offered {', '.join(GRAPH_TYPES)}",
                ),
            )
        return Response(
            serialize(collected, media),
            media_type=media + ("; charset=utf-8" if media.startswith("text/") else ""),
            headers={"Vary": "Accept"},
        )

    # --- pages ---------------------------------------------------------------------------
    def wants_html(self, request: Request, kind: str = "graph") -> bool:
        """Whether the client asks for a page: ``format=html``, or ``text/html`` named in its
        ``Accept`` and preferred to every format of ``kind`` (``graph`` or ``solutions``)."""
        if request.query_params.get("format"):
            return request.query_params["format"] == "html"
        ranges = parse_accept(request.headers.get("accept", "*/*"))
        html = quality("text/html", ranges)
        explicit = any(r in ("text/html", "application/xhtml+xml") for r, _ in ranges)
        offered = GRAPH_TYPES if kind == "graph" else SOLUTION_TYPES
        return explicit and html > 0 and html >= max(quality(m, ranges) for m in offered)

    async def home(self, request: Request) -> Response:
        lang = language(request)
        if not self.wants_html(request):
            return await self.dataset(request)
        fr = lang == "fr"
        counts = await self.blocking(
            select_values, self.store, f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a <{ISG['Initiative']}> }}"
        )
        cases = counts[0]["n"]
        items = [
            ("/cases", f"{cases} cas" if fr else f"{cases} cases"),
            ("/api/queries", "Catalogue de requêtes (JSON)" if fr else "Query catalogue (JSON)"),
            ("/api/openapi.json", "OpenAPI"),
            ("/sparql", "SPARQL"),
            ("/ontology", "Ontologie" if fr else "Ontology"),
            ("/dataset", "Description du jeu de données (VoID, DCAT)" if fr else "Dataset description (VoID, DCAT)"),
            *((path, ("Sauvegarde " if fr else "Dump ") + path.rsplit(".", 1)[-1]) for path in DUMPS),
        ]
        body = "<ul>" + "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in items) + "</ul>"
        return HTMLResponse(
            page(self.settings.title.get(lang, "isgraph"), body, lang, other_language=other_language(request, lang))
        )

    # --- the steward's page -----------------------------------------------------------------
    async def steward_page(self, request: Request) -> Response:
        """Upload or paste a case; read its report; ingest it with the token."""
        lang = language(request)
        title = "Déposer un cas" if lang == "fr" else "Submit a case"
        writable = self.settings.token is not None

        def answer(body: str, status: int = 200) -> Response:
            html = page(title, steward.intro(lang, writable) + body, lang, other_language=other_language(request, lang))
            return HTMLResponse(html, status_code=status)

        if request.method == "GET":
            return answer(steward.form(lang, writable=writable))
        try:
            submitted, action, token = await steward.read_form(request, MAX_CASE_BYTES)
        except steward.FormError as exc:
            return answer(
                f'<p class="error" role="alert">{esc(exc.message.text(lang))}</p>' + steward.form(lang, writable=writable),
                exc.status,
            )
        again = steward.form(lang, submitted, writable=writable)
        if action == "ingest":
            request.state.write = True
            if not self.token_matches(token):
                said = (
                    "jeton absent ou faux : rien n'a été écrit" if lang == "fr" else "missing or wrong token: nothing was written"
                )
                return answer(f'<p class="error" role="alert">{esc(said)}</p>{again}', 401 if writable else 403)
            try:
                async with self.write_lock:
                    result = await self.blocking(steward.ingest_submitted, self.store, submitted)
            except RefusedError as exc:
                return answer(steward.report_section(exc.report, submitted, self.links, lang) + again, 422)
            except InputError as exc:
                return answer(steward.unreadable(exc, submitted, self.links, lang) + again, 400)
            cases = [(c.graph, c.initiative) for c in result.cases]
            done = steward.ingested_section(cases, list(result.replaced), self.links, lang)
            return answer(done + steward.report_section(result.report, submitted, self.links, lang), 201)
        report = await self.blocking(steward.validate_submitted, self.store, submitted)
        return answer(
            steward.report_section(report, submitted, self.links, lang) + again,
            200 if report.conforms and not report.errors else 422,
        )

    async def shapes_page(self, request: Request) -> Response:
        """The shapes: documented for a browser, as Turtle for a client."""
        lang = language(request)
        if not self.wants_html(request):
            triples = await anyio.to_thread.run_sync(load_shapes_triples, resources.resource_dir("shapes"))
            return self.rdf(request, Collected("graph", triples=triples))
        body = await self.blocking(Documentation(self.store, self.links).shapes_body, lang)
        title = "Formes SHACL" if lang == "fr" else "SHACL shapes"
        return HTMLResponse(page(title, body, lang, other_language=other_language(request, lang)), headers={"Vary": "Accept"})

    async def map_page(self, request: Request) -> Response:
        lang = language(request)
        title = "Carte des initiatives" if lang == "fr" else "Map of the initiatives"
        try:
            filters = await self.blocking(self.map.read_filters, dict(request.query_params), lang)
        except InputError as exc:
            body = f'<p class="error" role="alert">{esc(exc.message.text(lang))}</p><p><a href="/map?lang={lang}">{esc(title)}</a></p>'
            return HTMLResponse(page(title, body, lang, other_language=other_language(request, lang)), status_code=400)
        body = await self.blocking(self.map.body, filters, lang)
        return HTMLResponse(page(title, body, lang, other_language=other_language(request, lang)))

    async def cases(self, request: Request) -> Response:
        lang = language(request)
        return HTMLResponse(await self.blocking(self.pages.cases, lang, other_language(request, lang)))

    async def resource(self, request: Request) -> Response:
        if request.url.path == "/resource":
            iri = request.query_params.get("iri", "")
            if not iri:
                raise HttpError(400, Message("paramètre « iri » manquant", 'missing "iri" parameter'))
        else:
            iri = self.settings.base + request.url.path.lstrip("/")
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise HttpError(400, Message("IRI invalide", "invalid IRI")) from None
        lang = language(request)
        if self.wants_html(request):
            html = await self.blocking(self.pages.resource, iri, lang, other_language(request, lang))
            if html is None:
                raise self.not_found(iri)
            return HTMLResponse(html, headers={"Vary": "Accept"})
        triples = await self.blocking(description, self.store, iri)
        if not triples:
            raise self.not_found(iri)
        return self.rdf(request, Collected("graph", triples=triples))

    @staticmethod
    def not_found(iri: str) -> HttpError:
        return HttpError(404, Message(f"le graphe ne dit rien de {iri}", f"the graph states nothing about {iri}"))


def _whole(text: str | None, default: int) -> int:
    """A page number or size from the query string; ``default`` for anything but a whole number."""
    return int(text) if text is not None and text.isdigit() and len(text) < 7 else default


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, Message("corps de requête non UTF-8", "request body is not UTF-8")) from None


def create_app(store: Store, settings: ServerSettings | None = None) -> Starlette:
    """The ASGI application serving ``store``."""
    server = Server(store, settings or ServerSettings())

    def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def wrapped(request: Request) -> Response:
            lang = language(request)
            try:
                return await handler(request)
            except HttpError as exc:
                return _error(exc.status, exc.message, lang, exc.headers)
            except LimitReached as exc:
                return _error(exc.status, exc.message, lang)
            except StoreCrashed as exc:
                return _error(503, exc.message, lang, {"Retry-After": "1"})
            except StoreError as exc:
                return _error(502 if "://" in (exc.path or "") else 500, exc.message, lang)
            except IsgraphError as exc:
                return _error(400, Message(exc.render("fr"), exc.render("en")), lang)

        return wrapped

    routes = [
        Route("/", guarded(server.home)),
        Route("/sparql", guarded(server.sparql), methods=["GET", "POST"]),
        Route("/api/queries", guarded(server.list_queries)),
        Route("/api/queries/{name}", guarded(server.run_catalogue_query)),
        Route("/queries", guarded(server.list_queries)),
        Route("/queries/{name}", guarded(server.run_catalogue_query)),
        Route("/api/openapi.json", guarded(server.openapi_document)),
        Route("/status", guarded(server.status)),
        Route("/api/ingest", guarded(server.ingest_case), methods=["POST"]),
        Route("/store", guarded(server.graph_store), methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/store/{path:path}", guarded(server.graph_store), methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/dataset", guarded(server.dataset)),
        Route("/.well-known/void", guarded(server.dataset)),
        *(Route(path, guarded(server.dump)) for path in DUMPS),
        Mount("/assets", app=StaticFiles(directory=ASSETS, follow_symlink=False), name="assets"),
        Route("/cases", guarded(server.cases)),
        Route("/map", guarded(server.map_page)),
        Route("/shapes", guarded(server.shapes_page)),
        Route("/steward", guarded(server.steward_page), methods=["GET", "POST"]),
        Route("/resource", guarded(server.resource)),
        Route("/{path:path}", guarded(server.resource)),
    ]
    return Starlette(routes=routes, middleware=[Middleware(Cors, origins=server.settings.cors)])


def _error(status: int, message: Message, lang: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.text(lang) + "\n", status_code=status, headers=headers)
