"""Open the database: create or migrate it safely, then set the connection up for durable, shared use."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import sqlite3
import uuid
from pathlib import Path

from wat_tui.store.paths import DB_NAME, ensure_private_dir, make_private

#: The newest Alembic revision; a test checks this against the migrations folder.
HEAD_REVISION = "0001"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


class MigrationError(RuntimeError):
    pass


def current_revision(path: Path) -> str | None:
    """The Alembic revision a database file is at, without importing Alembic."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return rev[0] if rev else None
    finally:
        conn.close()


def run_migrations(path: Path, target: str = "head") -> None:
    """Upgrade the database file at ``path`` in place (callers pass a copy)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
    finally:
        engine.dispose()


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def prepare_database(path: Path) -> None:
    """Create the file, or bring it to the head revision; a failed migration leaves the original untouched.

    The work happens on a copy that replaces the original only when the migration succeeded; the original is also
    kept beside it as ``<name>.pre-<revision>.bak``.
    """
    if path.exists():
        rev = current_revision(path)
        if rev == HEAD_REVISION:
            return
        _checkpoint(path)
        shutil.copy2(path, path.with_name(f"{path.name}.pre-{rev or 'none'}.bak"))
        make_private(path.with_name(f"{path.name}.pre-{rev or 'none'}.bak"))
    work = path.with_name(f"{path.name}.migrating")
    work.unlink(missing_ok=True)
    if path.exists():
        shutil.copy2(path, work)
    try:
        run_migrations(work)
    except Exception as exc:
        work.unlink(missing_ok=True)
        raise MigrationError(f"{path}: migration to revision {HEAD_REVISION} failed: {exc}") from exc
    os.chmod(work, 0o600)
    os.replace(work, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed edit survives a power cut, not just a crash of the app.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def open_database(directory: Path) -> sqlite3.Connection:
    ensure_private_dir(directory)
    path = directory / DB_NAME
    prepare_database(path)
    conn = connect(path)
    make_private(path)
    _ensure_writer(conn)
    return conn


def _ensure_writer(conn: sqlite3.Connection) -> None:
    if conn.execute("SELECT 1 FROM meta WHERE key='writer_id'").fetchone():
        return
    writer = str(uuid.uuid4())
    try:
        name = getpass.getuser()
    except Exception:
        name = "facilitator"
    device = socket.gethostname()
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)",
            [("writer_id", writer), ("writer_name", name), ("device", device)],
        )
        conn.execute("INSERT OR IGNORE INTO writer(writer_id, name, device) VALUES (?, ?, ?)", (writer, name, device))
