"""What a shared store that is down raises, without importing the Redis client to say so.

redis-py costs a process about 6 MB; one that has no REDIS_URL never loads it, and then no
RedisError can be raised either.
"""

from __future__ import annotations

import sys


def store_errors() -> tuple[type[BaseException], ...]:
    """OSError, and redis's RedisError once redis is loaded (it cannot be raised before)."""
    loaded = sys.modules.get("redis.exceptions")
    if loaded is None:
        return (OSError,)
    redis_error: type[BaseException] = loaded.RedisError
    return (redis_error, OSError)
