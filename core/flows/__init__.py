"""Where multi-step conversations keep their place: a port with memory and Redis stores."""

from core.flows.base import FlowKey, FlowState, FlowStore
from core.flows.memory import MemoryFlowStore

__all__ = ["FlowKey", "FlowState", "FlowStore", "MemoryFlowStore"]
