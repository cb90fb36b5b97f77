"""The database as the store uses it: one SQLAlchemy engine per file, and one connection on it.

SQLite takes a write lock only when a transaction says so (``BEGIN IMMEDIATE``); a deferred transaction that
starts reading and then writes can fail with "database is locked" at its first write, whatever the busy
timeout. So the connection runs in SQLAlchemy's AUTOCOMMIT mode (single statements commit on their own, the
way a read wants them) and :meth:`Database.begin_write` opens the write transactions itself; SQLAlchemy is
never asked to commit or roll back. The pragmas every connection needs (WAL, the busy timeout, FULL sync,
foreign keys) are set in the engine's ``connect`` event, so any connection the engine makes has them.

Reads and writes are SQLAlchemy Core statements and SQLModel ``select()`` built from the table models in
``tables.py``; the store's modules (``records``, ``oplog``, ``lenses``) are the only callers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Executable, create_engine, event
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

#: How long a statement waits for another program's write lock before failing as busy (milliseconds).
DEFAULT_BUSY_MS = 10_000
#: Milliseconds a write waits for another program's lock after one has already waited the full busy timeout
#: in vain, until a write commits again (see :meth:`Database.begin_write`).
RETRY_BUSY_MS = 200


def _set_pragmas(dbapi_connection: sqlite3.Connection, busy_ms: int) -> None:
    dbapi_connection.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed edit survives a power cut, not just a crash of the app.
    dbapi_connection.execute("PRAGMA synchronous=FULL")
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def make_engine(path: Path, busy_ms: int = DEFAULT_BUSY_MS) -> Engine:
    """An engine on the database file at ``path`` (a creator, not a URL: a directory named like ``a?b`` or
    ``x%20y`` must not be read as URL syntax)."""

    def creator() -> sqlite3.Connection:
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    engine = create_engine("sqlite://", creator=creator, poolclass=StaticPool, isolation_level="AUTOCOMMIT")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        _set_pragmas(dbapi_connection, busy_ms)

    return engine


def sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The SQLite error behind ``exc`` (SQLAlchemy wraps the driver's), or None when it is not one."""
    if isinstance(exc, DBAPIError) and isinstance(exc.orig, sqlite3.Error):
        return exc.orig
    if isinstance(exc, sqlite3.Error):
        return exc
    return None


class Database:
    """One open review database: its engine and the one connection the store works through."""

    def __init__(self, path: Path, busy_ms: int = DEFAULT_BUSY_MS) -> None:
        self.path = path
        self.engine = make_engine(path, busy_ms)
        self._compiled: dict[Executable, str] = {}
        #: The full busy timeout while a shorter one is in force after a busy failure, else None.
        self._patience: int | None = None
        try:
            self.connection: Connection = self.engine.connect()
        except DBAPIError as exc:
            self.engine.dispose()
            raise self.problem(exc) from exc

    def problem(self, exc: DBAPIError | sqlite3.Error) -> Exception:
        """The store's error for a failed statement: a :class:`~wat_tui.store.errors.StoreError` naming the
        database when the failure is about the file (busy, full, read-only, damaged), else SQLite's own error.

        After a busy failure the next statements wait only :data:`RETRY_BUSY_MS` for the lock, so an app
        retrying on a timer never freezes for the whole busy timeout again; a commit puts the full timeout back.
        """
        from wat_tui.store.db import database_problem, file_error_code
        from wat_tui.store.errors import StoreBusy

        orig = sqlite_error(exc)
        if orig is None:
            return exc
        if not file_error_code(orig):
            return orig
        problem = database_problem(self.path, orig)
        if isinstance(problem, StoreBusy) and self._patience is None:
            try:
                self._patience = int(self.driver.execute("PRAGMA busy_timeout").fetchone()[0])
                self.driver.execute(f"PRAGMA busy_timeout={min(self._patience, RETRY_BUSY_MS)}")
            except sqlite3.Error:
                self._patience = None
        return problem

    @property
    def driver(self) -> sqlite3.Connection:
        """The SQLite connection underneath, for what SQLAlchemy does not wrap (the backup API, pragmas)."""
        raw = self.connection.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        return raw

    # -- statements -------------------------------------------------------------------------------------------

    def execute(self, statement: Executable, params: Any = None) -> Result[*tuple[Any, ...]]:
        """Run a Core statement or a SQLModel ``select()``; a list of parameter dicts runs it for each."""
        try:
            if params is None:
                return self.connection.execute(statement)
            return self.connection.execute(statement, params)
        except (DBAPIError, sqlite3.Error) as exc:
            raise self.problem(exc) from exc

    def execute_many(self, statement: Executable, rows: Sequence[Sequence[Any]]) -> None:
        """Run a Core statement once per row of positional values: the bulk path (a merge inserts tens of
        thousands of rows), where building a parameter dict per row would cost a third of the merge budget.
        The statement is compiled once by SQLAlchemy and the rows go to the driver as they are."""
        if not rows:
            return
        sql = self._compiled.get(statement)
        if sql is None:
            sql = self._compiled[statement] = str(statement.compile(dialect=self.engine.dialect))  # type: ignore[attr-defined]
        self._driver_sql(sql, list(rows))

    def _driver_sql(self, sql: str, params: Any = None) -> CursorResult[Any]:
        try:
            return self.connection.exec_driver_sql(sql, params) if params is not None \
                else self.connection.exec_driver_sql(sql)
        except (DBAPIError, sqlite3.Error) as exc:
            raise self.problem(exc) from exc

    def pragma(self, text: str) -> Any:
        """The first value a ``PRAGMA`` returns (None when it returns nothing)."""
        result = self._driver_sql(f"PRAGMA {text}")
        if not result.returns_rows:
            return None
        row = result.first()
        return row[0] if row is not None else None

    def pragma_rows(self, text: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._driver_sql(f"PRAGMA {text}").all()]

    def session(self) -> Session:
        """A SQLModel session on this connection: it joins the transaction in progress, if any, and never
        commits on its own (objects it loads are not kept between calls)."""
        return Session(bind=self.connection, expire_on_commit=False)

    # -- transactions -----------------------------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self.driver.in_transaction

    @property
    def total_changes(self) -> int:
        return self.driver.total_changes

    def begin_write(self) -> None:
        """Start a transaction holding the write lock from its first statement."""
        self._driver_sql("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._driver_sql("COMMIT")
        if self._patience is not None:
            self.driver.execute(f"PRAGMA busy_timeout={self._patience}")
            self._patience = None

    def rollback(self) -> None:
        if self.driver.in_transaction:
            self.driver.execute("ROLLBACK")

    @contextmanager
    def write(self) -> Iterator[None]:
        """A short write transaction of its own (or a part of the one in progress)."""
        if self.in_transaction:
            yield
            return
        self.begin_write()
        try:
            yield
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def close(self) -> None:
        """Close the connection and the engine (closing twice is harmless)."""
        if self.connection.closed:
            return
        with suppress(sqlite3.Error):
            self.rollback()
        self.connection.close()
        self.engine.dispose()
