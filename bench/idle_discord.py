"""The Discord processes of bench_idle, pointed at the fake Discord server (tests/fakes).

    python -m bench.idle_discord run     # `habitlink run` (bot.cli) with DISCORD_BOT_TOKEN set
    python -m bench.idle_discord echo    # the baseline: a bare discord.py echo client

discord.py has no setting for its API and gateway addresses, so this launcher sets them
(`discord.http.Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`) from BENCH_DISCORD_API and
BENCH_DISCORD_GATEWAY, as tests/fakes/discord_api.py does in-process, and then runs the
process unchanged. It imports discord.py first, which `habitlink run` with Discord on does too.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import discord
import discord.gateway
import discord.http
import yarl


def point_at_fake() -> None:
    discord.http.Route.BASE = os.environ["BENCH_DISCORD_API"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["BENCH_DISCORD_GATEWAY"])


class Echo(discord.Client):
    async def on_message(self, message: discord.Message) -> None:
        if self.user is not None and message.author.id != self.user.id and message.content:
            await message.channel.send(message.content)


async def echo() -> None:
    """The least a Discord bot process in Python holds: one client, connected, echoing."""
    intents = discord.Intents.default()
    intents.message_content = True
    client = Echo(intents=intents)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with client:
        task = asyncio.create_task(client.start(os.environ["DISCORD_BOT_TOKEN"]))
        await stop.wait()
        await client.close()
        await asyncio.gather(task, return_exceptions=True)


def main(argv: list[str]) -> int:
    point_at_fake()
    if argv == ["echo"]:
        asyncio.run(echo())
        return 0
    if argv == ["run"]:
        from bot.cli import main as habitlink

        return habitlink(["run"])
    print("usage: python -m bench.idle_discord run|echo", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
