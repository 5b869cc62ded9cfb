"""Running the application with uvicorn, until interrupted."""

from __future__ import annotations

import uvicorn

from isgraph.errors import StoreError
from isgraph.messages import Message
from isgraph.store import Store
from isgraph.web.app import create_app
from isgraph.web.settings import ServerSettings


def serve(store: Store, settings: ServerSettings) -> None:
    """Serve ``store`` on ``settings.host:settings.port`` until SIGINT or SIGTERM."""
    config = uvicorn.Config(
        create_app(store, settings), host=settings.host, port=settings.port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        raise StoreError(
            Message(
                f"impossible d'écouter sur {settings.host}:{settings.port} (port occupé ?)",
                f"cannot listen on {settings.host}:{settings.port} (port in use?)",
            )
        )
