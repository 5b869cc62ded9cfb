"""Cross-origin reads (CORS): pages of other sites (YASGUI, Sparnatural, an observatory's
own pages) may query the server and read its answers.

Every read (GET, and POST queries) gets ``Access-Control-Allow-Origin`` for the allowed
origins; a preflight (OPTIONS) is answered for GET and POST with the headers a SPARQL
client sends. A write (an update, an ingest) gets it only when it carried the token: a
page of another site can never read what a refused write answered, and without the
token nothing is written anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, Authorization"


class Cors(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        super().__init__(app)
        self.origins = tuple(origins)

    def allowed(self, origin: str | None) -> str | None:
        """The value of ``Access-Control-Allow-Origin`` for ``origin`` (None: no CORS)."""
        if not origin or not self.origins:
            return None
        if "*" in self.origins:
            return "*"
        return origin if origin in self.origins else None

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        origin = self.allowed(request.headers.get("origin"))
        if request.method == "OPTIONS" and request.headers.get("access-control-request-method"):
            if origin is None or request.headers["access-control-request-method"] not in ("GET", "POST"):
                return Response(status_code=403, headers={"Vary": "Origin"})
            return Response(
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": "GET, POST",
                    "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                    "Access-Control-Max-Age": "600",
                    "Vary": "Origin",
                },
            )
        response = await call_next(request)
        write = getattr(request.state, "write", False)
        if origin is not None and (not write or getattr(request.state, "authorised", False)):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Server-Timing"
            response.headers.append("Vary", "Origin")
        return response
