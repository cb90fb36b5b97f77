"""Helpers shared by the tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
