"""Flow state in this process: the zero-config default."""

from __future__ import annotations

from datetime import timedelta

from core.clock import Clock, SystemClock
from core.flows.base import DEFAULT_TTL_SECONDS, FlowKey, FlowState

SWEEP_EVERY = 1000  # writes between sweeps of abandoned states


class MemoryFlowStore:
    degraded = False

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._states: dict[FlowKey, tuple[FlowState, float]] = {}
        self._writes = 0

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def get(self, key: FlowKey) -> FlowState | None:
        item = self._states.get(key)
        if item is None:
            return None
        state, expires = item
        if expires <= self._now():
            del self._states[key]
            return None
        return state

    async def set(self, key: FlowKey, state: FlowState, ttl: int = DEFAULT_TTL_SECONDS) -> None:
        now = self._now()
        self._states[key] = (state, now + timedelta(seconds=ttl).total_seconds())
        self._writes += 1
        if self._writes % SWEEP_EVERY == 0:  # abandoned flows are never read again
            self._states = {k: v for k, v in self._states.items() if v[1] > now}

    async def clear(self, key: FlowKey) -> None:
        self._states.pop(key, None)
