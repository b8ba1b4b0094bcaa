"""Run a program's main() from a test that may already be inside an event loop."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def run_main(main: Callable[[list[str]], T], *argv: str) -> T:
    """Call `main(argv)` in a thread of its own, so an asyncio.run inside owns a fresh loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(main, list(argv)).result()
