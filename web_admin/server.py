"""`habitlink web`: serve the API with uvicorn."""

from __future__ import annotations

import socket

import uvicorn

from bot.config import Settings, require_strong_secret
from core.db.engine import Database
from web_admin.app import asgi, build_web, create_app

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class Server(uvicorn.Server):
    """Closes the database's connections as part of the graceful shutdown. Uvicorn raises the
    stopping signal (Ctrl+C) again once it has shut down, and that cancels whatever runs next:
    closing the pool afterwards was cut off mid-way and logged an error with a traceback."""

    def __init__(self, config: uvicorn.Config, db: Database) -> None:
        super().__init__(config)
        self.db = db

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await super().shutdown(sockets)
        await self.db.dispose()


async def serve(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    settings = settings.with_local_secret()
    host = host or settings.web_host
    port = port or settings.web_port
    # photo links follow --host and --port unless PUBLIC_BASE_URL says otherwise
    settings = settings.model_copy(update={"web_host": host, "web_port": port})
    if host not in LOOPBACK:
        require_strong_secret(
            "SECRET_KEY", settings.secret_key, f"habitlink web listens on {host}, not only here."
        )
    async with build_web(settings) as web:
        config = uvicorn.Config(
            asgi(create_app(web)),
            host=host,
            port=port,
            access_log=False,  # our own access line has the request id and no query string
            log_config=None,  # keep HabitLink's logging set-up
            lifespan="off",
            proxy_headers=True,
            server_header=False,
        )
        await Server(config, web.db).serve()
    return 0
