"""Helpers shared by the tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from wat_tui.review.service import Review
from wat_tui.store.oplog import Op
from wat_tui.store.paths import DB_NAME


def database_dump(data_dir: Path) -> list[str] | None:
    """Every row of every table as SQL, to show that bad input changed nothing; None when there is no database.

    Never creates the file: a test that a command left no database behind must not leave one itself.
    """
    db = data_dir / DB_NAME
    if not db.exists():
        return None
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# -- the store beneath a Review, for tests that plant data the app's rules would refuse ----------------------
# The one place the tests reach below the Review's door (tests/test_architecture.py keeps wat_tui itself out).


def raw_write(review: Review, sid: str, target: str, value: Any) -> Op:
    """Write ``value`` to a register as this laptop, skipping every rule and the undo stack (data an older
    version or a damaged file could hold)."""
    return review._log.write(sid, target, value)


def raw_ingest(review: Review, op: Op) -> bool:
    """Add one foreign operation as it is, skipping the merge's checks; False when it was already here."""
    return review._log.ingest(op)


def raw_ops(review: Review, sid: str) -> list[Op]:
    """The session's operation log as stored."""
    return review._log.ops(sid)


def raw_sql(review: Review, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one SQL statement on the review's own database connection (the driver's, beneath SQLAlchemy); its
    rows."""
    return [tuple(row) for row in review._db.driver.execute(sql, params).fetchall()]


def raw_dump(review: Review) -> list[str]:
    """Every row of every table as SQL, through the review's own connection (sees its open transaction)."""
    return list(review._db.driver.iterdump())


class FailingWrites:
    """Make every write statement of a review's store fail as SQLite fails it (``message``, result ``code``)
    while ``failing`` is set: a full disk or a read-only file, which cannot be made real under a live WAL
    connection. Hooked into the store's engine, beneath the code under test."""

    _WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self, review: Review, message: str, code: int, *, everywhere: bool = False) -> None:
        """``everywhere``: every engine of this process fails too (the app's merge and export jobs open their
        own connection to the same database); :meth:`remove` takes the hook away."""
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self._message = message
        self._code = code
        self.failing = False
        self._target: Any = Engine if everywhere else review._db.engine
        event.listen(self._target, "before_cursor_execute", self._check)

    def remove(self) -> None:
        from sqlalchemy import event

        if event.contains(self._target, "before_cursor_execute", self._check):
            event.remove(self._target, "before_cursor_execute", self._check)

    def _check(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.failing and statement.lstrip().upper().startswith(self._WRITES):
            error = sqlite3.OperationalError(self._message)
            error.sqlite_errorcode = self._code  # type: ignore[attr-defined]
            raise error


#: A test's way to run the command line: ``run("list")`` gives (exit status, stdout, stderr).
Run = Callable[..., tuple[int, str, str]]


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """Run ``wat-tui ARGV`` in this process; what it printed, separated from anything printed before."""
    from wat_tui.cli import main

    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str, *needles: str) -> str:
    """``err`` is exactly one ``wat-tui: error:`` line holding every needle; returns it."""
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n") and lines[0].startswith("wat-tui: error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]
