"""Open the database: create or migrate it safely, then set the connection up for durable, shared use."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import sqlite3
import uuid
from pathlib import Path

from wat_tui.errors import WatError
from wat_tui.store.paths import DB_NAME, ensure_private_dir, make_private

#: The newest Alembic revision; a test checks this against the migrations folder.
HEAD_REVISION = "0001"
_PACKAGED_MIGRATIONS = Path(__file__).resolve().parent.parent / "_migrations"
#: A built wheel carries migrations/ inside the package; a checkout (and an editable install) reads it in place.
MIGRATIONS_DIR = (_PACKAGED_MIGRATIONS if _PACKAGED_MIGRATIONS.is_dir()
                  else Path(__file__).resolve().parent.parent.parent / "migrations")
BUSY_TIMEOUT_MS = 10_000


class MigrationError(WatError, RuntimeError):
    """The database could not be brought to this version's schema; the file was left as it was."""


def current_revision(path: Path) -> str | None:
    """The Alembic revision a database file is at, without importing Alembic."""
    # as_uri() percent-encodes '?', '#' and '%', which SQLite's URI parser would otherwise take as syntax.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
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


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}


def run_migrations(path: Path, target: str = "head") -> None:
    """Upgrade the database file at ``path`` in place (callers pass a copy)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # A creator, not a URL: a data directory named like 'a?b' or 'x%20y' must not be parsed as URL syntax.
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path))
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


def prepare_database(path: Path) -> bool:
    """Create the file, or bring it to the head revision; a failed migration leaves the original untouched.

    The work happens on a copy that replaces the original only when the migration succeeded; the original is
    also kept beside it as ``<name>.pre-<revision>.bak``. True when an existing database was migrated.
    """
    existed = path.exists()
    if existed:
        try:
            rev = current_revision(path)
        except sqlite3.DatabaseError as exc:
            raise MigrationError(
                f"{path}: not a wat-tui database ({exc}); move it aside to start afresh"
            ) from exc
        if rev == HEAD_REVISION:
            return False
        if rev is not None and rev not in known_revisions():
            raise MigrationError(
                f"{path}: database is at revision {rev}, which this version of wat-tui does not know"
                f" (newest known: {HEAD_REVISION}); use a newer wat-tui"
            )
        _checkpoint(path)
        backup = path.with_name(f"{path.name}.pre-{rev or 'none'}.bak")
        shutil.copy2(path, backup)
        make_private(backup)
    # A name of our own, so two processes opening the same database at once never share a work file.
    work = path.with_name(f"{path.name}.migrating-{uuid.uuid4().hex[:12]}")
    try:
        if existed:
            shutil.copy2(path, work)
        run_migrations(work)
        os.chmod(work, 0o600)
        _install(work, path, replace=existed)
    except Exception as exc:
        raise MigrationError(f"{path}: migration to revision {HEAD_REVISION} failed: {exc}") from exc
    finally:
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), Path(f"{work}-journal")):
            leftover.unlink(missing_ok=True)
    if existed:
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return existed


def _install(work: Path, path: Path, *, replace: bool) -> None:
    """Put the migrated file in place; a new database never overwrites one another process made meanwhile."""
    if replace:
        os.replace(work, path)
        return
    try:
        os.link(work, path)
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(work, path)


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
    migrated = prepare_database(path)
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        raise WatError(f"{path}: cannot open the database: {exc}") from exc
    make_private(path)
    _ensure_writer(conn, file_identity(path), migrated)
    return conn


def file_identity(path: Path) -> str:
    """Which file this is on disk: a copy (a restored backup, a moved data directory) has another identity."""
    st = os.stat(path)
    return f"{st.st_dev}:{st.st_ino}"


def _ensure_writer(conn: sqlite3.Connection, identity: str, migrated: bool = False) -> None:
    """Give the database its writer id: a new one when it is new, and when the file is a copy of another.

    A restored backup or a copied database must not go on numbering operations where the original left off, or
    two files would hold different operations under the same (writer, seq) ids. Our own migration replaces the
    file too, so after one the identity is updated and the writer kept.
    """
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('writer_id', 'file_identity')").fetchall())
    if "writer_id" in meta and meta.get("file_identity") == identity:
        return
    try:
        name = getpass.getuser()
    except Exception:
        name = "facilitator"
    device = socket.gethostname()
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('writer_id', 'file_identity')").fetchall())
        copied = "file_identity" in meta and meta["file_identity"] != identity and not migrated
        if "writer_id" not in meta or copied:
            writer = str(uuid.uuid4())
            conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                [("writer_id", writer), ("writer_name", name), ("device", device)],
            )
            conn.execute(
                "INSERT OR IGNORE INTO writer(writer_id, name, device) VALUES (?, ?, ?)", (writer, name, device)
            )
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('file_identity', ?)", (identity,))
