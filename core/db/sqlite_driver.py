"""SQLAlchemy's aiosqlite adapter with one hand-off to aiosqlite's thread per statement.

aiosqlite runs every sqlite3 call in its own worker thread; each call is a queue put, a thread
wake-up and a future resolved back on the event loop (and, on a busy machine, a GIL hand-over
each way). SQLAlchemy's adapter makes three or four such calls per statement: open a cursor,
execute, fetch the rows, close the cursor. Here one function does all four in the worker
thread, and the cursor's description, rowcount and lastrowid come back with the rows, so a
statement costs one hand-off (and a commit or rollback with no transaction to end, none). SQL,
parameters, transactions and errors are unchanged: the same sqlite3 connection runs the same
calls in the same order, still off the event loop.

Passed to the engine as its DBAPI `module` (`core.db.engine.Database`).
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

_Result = tuple[Any, list[Any], int, int | None]


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> _Result:
    """In aiosqlite's thread: execute, fetch everything, close; what the adapter needs back."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A client-side cursor whose sqlite3 cursor lives only inside one thread call."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # Unlike the base class, no aiosqlite cursor is opened here (that is a hand-off).
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _async_soft_close(self) -> None:
        return None  # nothing is open in the thread between calls

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._run_async(operation, parameters, False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        try:
            return await_(self._run_async(operation, seq_of_parameters, True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _run_async(self, operation: Any, parameters: Any, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        async with self._adapt_connection._execute_mutex:
            result: _Result = await connection._execute(  # type: ignore[no-untyped-call]
                _run, connection._conn, operation, parameters, many
            )
        self._description, rows, self._rowcount, self._lastrowid = result
        self._rows = collections.deque(rows)

    def nextset(self) -> None:
        return None  # sqlite3 has no further result sets


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Also: no hand-off for a commit or rollback with no transaction open.

    sqlite3 only sends COMMIT or ROLLBACK when a transaction is open (otherwise both do
    nothing), and the pool rolls back every connection it gets back, after a commit too. Here
    the open transaction is checked first, on the event loop (aiosqlite's `in_transaction`
    reads sqlite3's flag there); without one the call would have done nothing in the thread."""

    __slots__ = ()
    _cursor_cls = OneHopCursor  # type: ignore[assignment]

    def _nothing_open(self) -> bool:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        return connection._connection is not None and not connection.in_transaction

    def rollback(self) -> None:
        if not self._nothing_open():
            super().rollback()

    def commit(self) -> None:
        if not self._nothing_open():
            super().commit()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The aiosqlite DBAPI adapter whose connections hand out `OneHopCursor`s."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def one_hop_dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)
