"""Sending limits per platform: a port with an in-process and a Redis sliding window."""

from core.ratelimit.base import Limit, RateLimiter
from core.ratelimit.memory import MemoryRateLimiter

__all__ = ["Limit", "MemoryRateLimiter", "RateLimiter"]
