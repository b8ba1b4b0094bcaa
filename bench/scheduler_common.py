"""What both parts of bench.bench_scheduler share: the platform, the outbox worker, the habit."""

from __future__ import annotations

TELEGRAM = "telegram"
WORKER = "bench-scheduler"
TITLE = "Read 10 pages"
