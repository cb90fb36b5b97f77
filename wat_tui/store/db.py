"""Open the database: create or migrate it safely, then set the connection up for durable, shared use."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wat_tui.errors import WatError
from wat_tui.store.engine import Database
from wat_tui.store.errors import StoreBusy, StoreDamaged, StoreError, StoreFull, StoreReadOnly
from wat_tui.store.paths import DB_NAME, create_private, ensure_private_dir, make_private
from wat_tui.store.tables import META, WRITER

#: The newest Alembic revision; a test checks this against the migrations folder.
HEAD_REVISION = "0001"
_PACKAGED_MIGRATIONS = Path(__file__).resolve().parent.parent / "_migrations"
#: A built wheel carries migrations/ inside the package; a checkout (and an editable install) reads it in place.
MIGRATIONS_DIR = (_PACKAGED_MIGRATIONS if _PACKAGED_MIGRATIONS.is_dir()
                  else Path(__file__).resolve().parent.parent.parent / "migrations")
BUSY_TIMEOUT_MS = 10_000


class MigrationError(WatError, RuntimeError):
    """The database could not be brought to this version's schema; the file was left as it was."""


#: The database file is damaged, read-only, on a full disk or unreadable; the message names it. Kept as a name
#: for :class:`StoreError`, whose subclasses say which (store/errors.py).
DatabaseProblem = StoreError


#: Work files the store makes beside the database (a migration's copy, a backup or restore being written).
#: Each is made and removed while its maker holds the data directory's lock; one found otherwise is left by a
#: process that was killed, and the next open removes it.
WORK_MARKERS = (".migrating-", ".work-")
#: How old a work file must be before it counts as left behind, where the directory cannot be locked (Windows).
STALE_WORK_SECONDS = 3600.0
_BUSY, _LOCKED, _CORRUPT, _READONLY, _IOERR, _FULL, _CANTOPEN, _NOTADB = 5, 6, 11, 8, 10, 13, 14, 26
#: SQLite's primary result codes that are about the file, not about what was asked: a write that fails with one
#: of them is told as a :class:`StoreError` naming the database (:func:`database_problem`).
FILE_ERRORS = frozenset({_BUSY, _LOCKED, _CORRUPT, _READONLY, _IOERR, _FULL, _CANTOPEN, _NOTADB})
#: What SQLite says for each, for an error that carries no result code.
_WORDING = (("locked", _BUSY), ("busy", _BUSY), ("disk is full", _FULL), ("readonly", _READONLY),
            ("read-only", _READONLY), ("malformed", _CORRUPT), ("not a database", _NOTADB),
            ("disk i/o error", _IOERR), ("unable to open", _CANTOPEN))


def restore_hint(directory: Path) -> str:
    """What to do about a damaged database: restore a backup, when there is one."""
    from wat_tui.store.backup import list_backups

    count = len(list_backups(directory))
    if count:
        return (f"'wat-tui restore' puts back the newest of its {count} backup(s) ('wat-tui restore --list' "
                "shows them)")
    return "there is no backup of it to restore ('wat-tui restore --list'); move it aside to start afresh"


def _error_code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code (the low byte of the extended one), 0 when unknown."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def file_error_code(exc: sqlite3.Error) -> int:
    """The result code when ``exc`` is about the file (one of :data:`FILE_ERRORS`), else 0.

    Read from the error's code, or from SQLite's wording when it carries none.
    """
    code = _error_code(exc)
    if code == 0:
        text = str(exc).lower()
        code = next((c for words, c in _WORDING if words in text), 0)
    return code if code in FILE_ERRORS else 0


def database_problem(path: Path, exc: sqlite3.Error) -> StoreError:
    """One clear message for an SQLite error that is about the file, not about what the user asked."""
    code = file_error_code(exc)
    if code == _CORRUPT:
        return StoreDamaged(f"{path}: the database is damaged ({exc}); {restore_hint(path.parent)}", path)
    if code == _NOTADB:
        return StoreDamaged(f"{path}: not a wat-tui database ({exc}); {restore_hint(path.parent)}", path)
    if code == _READONLY:
        return StoreReadOnly(f"{path}: the database is read-only ({exc}); {_READ_ONLY_ADVICE}", path)
    if code == _FULL:
        return StoreFull(f"{path}: the disk is full ({exc}); nothing was changed: free some space and "
                         "try again", path)
    if code in (_BUSY, _LOCKED):
        return StoreBusy(f"{path}: the database is locked by another program (another wat-tui merging or "
                         f"restoring, or a backup tool) for more than {BUSY_TIMEOUT_MS // 1000} s ({exc}); "
                         "nothing was changed: try again when it has finished", path)
    if code == _IOERR:
        return StoreError(f"{path}: the disk could not be read or written ({exc}); nothing was changed", path)
    return StoreError(f"{path}: cannot open the database: {exc}", path)


_READ_ONLY_ADVICE = ("wat-tui saves each edit the moment it is made, so it must be able to write there: make it "
                     "writable (chmod u+w), or copy the data directory somewhere writable and use --data-dir")


def _check_writable(path: Path) -> None:
    """Refuse a database (or data directory) that cannot be written before anything tries to.

    ``os.access``, not a trial ``open()``: closing a file descriptor on the database would drop the POSIX locks
    that another SQLite connection of this process holds on it.
    """
    if not os.access(path.parent, os.W_OK):
        raise StoreReadOnly(f"{path.parent}: the data directory is read-only; {_READ_ONLY_ADVICE}", path)
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreReadOnly(f"{path}: the database is read-only; {_READ_ONLY_ADVICE}", path)


def check_integrity(database: Database, path: Path) -> None:
    """``PRAGMA quick_check``: every page of every table and index is read and its structure checked.

    About 20 ms for 10,000 operations; it is what notices a zeroed or overwritten page before a command reads
    half a review from it (or writes into it).
    """
    rows = database.pragma_rows("quick_check(1)")
    if rows != [("ok",)]:
        detail = "; ".join(line for line in str(rows[0][0]).splitlines() if not line.startswith("***")) \
            if rows else "no answer"
        raise StoreDamaged(f"{path}: the database is damaged (SQLite's check says: {detail[:200]}); "
                           f"{restore_hint(path.parent)}", path)


@contextmanager
def directory_lock(directory: Path, *, exclusive: bool, wait: bool = True) -> Iterator[bool]:
    """Lock the data directory (``flock``): shared while making work files, exclusive to remove left ones.

    Yields whether the lock was taken (always True when ``wait``). Where ``flock`` does not exist, yields True
    without locking; removing left files then goes by their age.
    """
    if sys.platform == "win32":
        yield True
        return
    import fcntl

    fd = os.open(directory, os.O_RDONLY)
    try:
        op = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, op)
            locked = True
        except BlockingIOError:
            locked = False
        yield locked
    finally:
        os.close(fd)  # releases the lock


def work_file(path: Path, kind: str = "work") -> Path:
    """A new private work file beside the database, named so a killed process's copy is recognised later."""
    work = path.with_name(f"{path.name}.{kind}-{uuid.uuid4().hex[:12]}")
    create_private(work)
    return work


def remove_leftovers(path: Path) -> None:
    """Remove work files (and their journals) that a killed migration, backup or restore left beside ``path``.

    Only when no other process is making one now: their makers hold the directory lock shared, so taking it
    exclusively without waiting proves every file found is left over.
    """
    directory = path.parent
    try:
        names = [n for n in os.listdir(directory)
                 if n.startswith(path.name) and any(m in n for m in WORK_MARKERS)]
    except OSError:
        return
    if not names:
        return
    with directory_lock(directory, exclusive=True, wait=False) as locked:
        if not locked:
            return
        for name in names:
            leftover = directory / name
            try:
                if sys.platform == "win32" and time.time() - leftover.stat().st_mtime < STALE_WORK_SECONDS:
                    continue
                leftover.unlink()
            except OSError:
                continue


def fsync_path(path: Path) -> None:
    """Flush a file (or a directory's entries, after a rename) to the disk."""
    if sys.platform == "win32" and path.is_dir():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


def _tables(path: Path) -> list[str]:
    """The tables a database file holds (none: an empty file, or one an interrupted first start left)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        return [str(r[0]) for r in rows]
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
    also kept beside it as ``<name>.pre-<revision>.bak``. True when an existing database was migrated. Every file
    made here is private (0600) from its first moment, and is made under the data directory's shared lock, so
    that one left by a killed process is told apart from one being made now (see :func:`remove_leftovers`).
    """
    existed = path.exists()
    rev: str | None = None
    if existed:
        try:
            rev = current_revision(path)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) or _error_code(exc) == _CORRUPT:
                raise database_problem(path, exc) from exc
            raise MigrationError(
                f"{path}: not a wat-tui database, or its first page is damaged ({exc}); "
                f"{restore_hint(path.parent)}"
            ) from exc
        if rev == HEAD_REVISION:
            return False
        if rev is None:
            foreign = _tables(path)
            if foreign:  # another program's database: never written into, never migrated
                raise MigrationError(
                    f"{path}: not a wat-tui database (it holds tables of another program: "
                    f"{', '.join(foreign[:5])}); move it away or use another --data-dir"
                )
        if rev is not None and rev not in known_revisions():
            raise MigrationError(
                f"{path}: database is at revision {rev}, which this version of wat-tui does not know"
                f" (newest known: {HEAD_REVISION}); use a newer wat-tui"
            )
    with directory_lock(path.parent, exclusive=False):
        if existed:
            _checkpoint(path)
            backup = path.with_name(f"{path.name}.pre-{rev or 'none'}.bak")
            create_private(backup, exclusive=False)
            shutil.copyfile(path, backup)
        # A name of our own, so two processes opening the same database at once never share a work file.
        work = work_file(path, "migrating")
        try:
            if existed:
                shutil.copyfile(path, work)
            run_migrations(work)
            os.chmod(work, 0o600)
            fsync_path(work)
            _install(work, path, replace=existed)
            fsync_path(path.parent)
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


def connect(path: Path) -> Database:
    """The database at ``path`` on its own engine and connection (WAL, busy timeout, FULL sync, foreign keys)."""
    return Database(path, BUSY_TIMEOUT_MS)


def open_database(directory: Path) -> Database:
    """Open (creating or migrating) the database in ``directory``, checked, private, and with its writer id.

    A damaged, read-only or foreign file is one :class:`WatError` naming it, and nothing is written into it.
    Files a killed process left beside it are removed; a rolling backup is made when one is due.
    """
    ensure_private_dir(directory)
    path = directory / DB_NAME
    remove_leftovers(path)
    _check_writable(path)
    migrated = prepare_database(path)
    try:
        database = connect(path)
    except sqlite3.Error as exc:
        raise database_problem(path, exc) from exc
    try:
        check_integrity(database, path)
        make_private(path)
        _ensure_writer(database, file_identity(path), migrated)
    except sqlite3.Error as exc:
        database.close()
        raise database_problem(path, exc) from exc
    except BaseException:
        database.close()
        raise
    from wat_tui.store.backup import backup_if_due

    backup_if_due(database, path)
    return database


def file_identity(path: Path) -> str:
    """Which file this is on disk: a copy (a restored backup, a moved data directory) has another identity."""
    st = os.stat(path)
    return f"{st.st_dev}:{st.st_ino}"


def _meta(database: Database, *keys: str) -> dict[str, str]:
    rows = database.execute(select(META.c.key, META.c.value).where(META.c.key.in_(keys))).all()
    return {str(k): str(v) for k, v in rows}


def _put_meta(database: Database, rows: dict[str, str]) -> None:
    database.execute(sqlite_insert(META).prefix_with("OR REPLACE"),
                     [{"key": k, "value": v} for k, v in rows.items()])


def _ensure_writer(database: Database, identity: str, migrated: bool = False) -> None:
    """Give the database its writer id: a new one when it is new, and when the file is a copy of another.

    A restored backup or a copied database must not go on numbering operations where the original left off, or
    two files would hold different operations under the same (writer, seq) ids. Our own migration replaces the
    file too, so after one the identity is updated and the writer kept.
    """
    meta = _meta(database, "writer_id", "file_identity")
    if "writer_id" in meta and meta.get("file_identity") == identity:
        return
    with database.write():
        meta = _meta(database, "writer_id", "file_identity")
        copied = "file_identity" in meta and meta["file_identity"] != identity and not migrated
        if "writer_id" not in meta:
            # A new database: the first backup is due an hour from now (there is nothing to lose before).
            database.execute(sqlite_insert(META).prefix_with("OR IGNORE"),
                             {"key": "created", "value": _now_text()})
        if "writer_id" not in meta or copied:
            _new_writer(database)
        _put_meta(database, {"file_identity": identity})


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_writer(database: Database) -> str:
    try:
        name = getpass.getuser()
    except Exception:
        name = "facilitator"
    device = socket.gethostname()
    writer = str(uuid.uuid4())
    _put_meta(database, {"writer_id": writer, "writer_name": name, "device": device})
    database.execute(sqlite_insert(WRITER).prefix_with("OR IGNORE"),
                     {"writer_id": writer, "name": name, "device": device})
    return writer


def give_new_writer(database: Database, identity: str) -> str:
    """Give a database that is about to replace another (a restored backup) a writer id of its own.

    The backup's writer went on numbering operations after the backup was made, in the file it replaces and in
    bundles exported from it; numbering on from the backup would reuse those (writer, seq) ids.
    """
    with database.write():
        writer = _new_writer(database)
        _put_meta(database, {"file_identity": identity})
    return writer
