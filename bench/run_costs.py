"""What a burst run costs besides wall time: peak memory of this process, CPU of the server.

Used by bench/scheduler_burst.py. Linux only (/proc); each function returns None elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import asyncpg


# --- peak memory of a run ----------------------------------------------------------------------
def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# --- the server's CPU (PostgreSQL on this machine) -----------------------------------------------
SERVER_PIDS_SQL = (
    "SELECT pid FROM pg_stat_activity "
    "WHERE datname = current_database() AND backend_type = 'client backend'"
)


async def server_cpu(conn: asyncpg.Connection) -> dict[int, float] | None:
    """CPU seconds so far of each client backend of this database, from /proc (None when the
    server is elsewhere or /proc is not readable). Less sensitive to a loaded machine than wall
    time: CPU a process gets, not time it waits for a core."""
    pids = [row["pid"] for row in await conn.fetch(SERVER_PIDS_SQL)]
    return _proc_cpu(pids)  # a few small reads of /proc, untimed


def _proc_cpu(pids: list[int]) -> dict[int, float] | None:
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[1].split()
        found[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return found


def cpu_spent(before: dict[int, float] | None, after: dict[int, float] | None) -> float | None:
    """Backends that started in between count from zero (a backend that ended is lost: the
    pool keeps its connections)."""
    if before is None or after is None:
        return None
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def reset_peak() -> int | None:
    """Reset this process's peak-RSS mark (Linux); returns the current RSS in kB, or None."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return None
    return _status_kb("VmRSS")


def peak_growth_mb(start_kb: int | None) -> float | None:
    peak = _status_kb("VmHWM")
    if start_kb is None or peak is None:
        return None
    return round((peak - start_kb) / 1024, 1)
