"""`habitlink web`: serve the API with uvicorn."""

from __future__ import annotations

import uvicorn

from bot.config import Settings
from web_admin.app import asgi, build_web, create_app


async def serve(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    async with build_web(settings) as web:
        config = uvicorn.Config(
            asgi(create_app(web)),
            host=host or settings.web_host,
            port=port or settings.web_port,
            access_log=False,  # our own access line has the request id and no query string
            log_config=None,  # keep HabitLink's logging set-up
            lifespan="off",
            proxy_headers=True,
            server_header=False,
        )
        await uvicorn.Server(config).serve()
    return 0
