"""Rolling backups of the database, and putting one back (``wat-tui restore``).

Opening the database makes a backup when the newest one is an hour old (a new database's first backup is due an
hour after it was made: there is nothing to lose before). The last :data:`KEEP` are kept in the data directory,
private (0600), named ``wat-tui-backup-<UTC time>.sqlite3``. Each is made with SQLite's backup API from the open
connection, so it is a consistent whole database even while other windows write, and only from a database that
passed ``PRAGMA quick_check`` (a damaged file never pushes a good backup out).

Restoring checks the backup, keeps the database it replaces beside it (``wat-tui.sqlite3.before-restore-<time>``,
never deleted), and gives the restored database a new writer id: the old writer went on numbering operations
after the backup was made, and those (writer, seq) ids must never be reused.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from wat_tui.errors import WatError
from wat_tui.store.db import (
    HEAD_REVISION,
    directory_lock,
    file_identity,
    fsync_path,
    give_new_writer,
    known_revisions,
    work_file,
)
from wat_tui.store.engine import Database
from wat_tui.store.errors import StoreError
from wat_tui.store.paths import DB_NAME, make_private
from wat_tui.store.tables import META

BACKUP_PREFIX = "wat-tui-backup-"
BACKUP_SUFFIX = ".sqlite3"
#: How many rolling backups are kept.
KEEP = 3
#: A backup is made on opening when the newest one is older than this.
BACKUP_EVERY_SECONDS = 3600.0
_STAMP = "%Y-%m-%dT%H%M%S.%fZ"
_NAME = re.compile(re.escape(BACKUP_PREFIX) + r"(\d{4}-\d\d-\d\dT\d{6}\.\d{6}Z)" + re.escape(BACKUP_SUFFIX))
#: Tables every wat-tui database has, at every revision.
_WAT_TABLES = {"alembic_version", "meta", "operation", "register", "session"}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made: datetime
    size: int
    sessions: int
    #: None when the file can be restored; else why not.
    problem: str | None


@dataclass(frozen=True)
class Restored:
    backup: Path
    made: datetime
    sessions: int
    #: Where the database it replaced was kept (None when there was none).
    kept: Path | None
    writer_id: str


def list_backups(directory: Path) -> list[Path]:
    """The rolling backups in ``directory``, newest first."""
    try:
        names = [n for n in os.listdir(directory) if _NAME.fullmatch(n)]
    except OSError:
        return []
    return [directory / n for n in sorted(names, reverse=True)]


def made_at(path: Path) -> datetime:
    """When a backup was made: from its name, else the file's modification time."""
    m = _NAME.fullmatch(path.name)
    if m:
        return datetime.strptime(m.group(1), _STAMP).replace(tzinfo=UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _created(database: Database) -> float:
    created = database.execute(select(META.c.value).where(META.c.key == "created")).scalar()
    if created is None:
        return 0.0  # made before databases recorded it: a backup is due now
    try:
        return datetime.fromisoformat(str(created)).timestamp()
    except ValueError:
        return 0.0


def backup_if_due(database: Database, path: Path) -> Path | None:
    """Make a backup when the newest one (or, without any, the database's creation) is an hour old.

    A backup that cannot be made (a full disk) does not stop the facilitator from working: the database itself
    was checked and is fine. Returns the new backup, or None.
    """
    now = time.time()
    backups = list_backups(path.parent)
    last = made_at(backups[0]).timestamp() if backups else _created(database)
    if 0 <= now - last < BACKUP_EVERY_SECONDS:
        return None
    try:
        return make_backup(database, path)
    except (OSError, sqlite3.Error, StoreError):
        return None


def make_backup(database: Database, path: Path) -> Path:
    """A whole copy of the open ``database``, through SQLite's backup API; then keep the last few."""
    directory = path.parent
    with directory_lock(directory, exclusive=False):
        work = work_file(path)
        try:
            dest = sqlite3.connect(work, isolation_level=None)
            try:
                database.driver.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no WAL beside it
            finally:
                dest.close()
            fsync_path(work)
            final = directory / f"{BACKUP_PREFIX}{datetime.now(UTC).strftime(_STAMP)}{BACKUP_SUFFIX}"
            os.replace(work, final)
            fsync_path(directory)
        finally:
            for leftover in (work, Path(f"{work}-journal"), Path(f"{work}-wal"), Path(f"{work}-shm")):
                leftover.unlink(missing_ok=True)
        for old in list_backups(directory)[KEEP:]:
            old.unlink(missing_ok=True)
    return final


def inspect(path: Path) -> BackupInfo:
    """What a backup holds and whether it can be restored; never writes to it."""
    try:
        made = made_at(path)
        size = path.stat().st_size
    except OSError as exc:
        return BackupInfo(path, datetime.fromtimestamp(0, UTC), 0, 0, f"cannot read it: {exc.strerror or exc}")
    try:
        sessions = check_backup(path)
    except WatError as exc:
        return BackupInfo(path, made, size, 0, str(exc).removeprefix(f"{path}: "))
    return BackupInfo(path, made, size, sessions, None)


def check_backup(path: Path) -> int:
    """Refuse anything that is not a whole, undamaged wat-tui database this version can read; the session count.

    Read-only and ``immutable``: checking a file never writes into it (nor creates a journal beside it).
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise WatError(f"{path}: cannot read it: {exc.strerror or exc}; 'wat-tui restore --list' shows the "
                       "backups") from exc
    if not stat.S_ISREG(st.st_mode):
        raise WatError(f"{path}: not a regular file, so not a backup")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise WatError(f"{path}: cannot open it: {exc}") from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = _WAT_TABLES - tables
        if missing:
            raise WatError(f"{path}: not a wat-tui database (it has no {', '.join(sorted(missing))} "
                           "table); it was not restored")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        rev = row[0] if row else None
        if rev != HEAD_REVISION and rev not in known_revisions():
            raise WatError(f"{path}: a wat-tui database at revision {rev}, which this version does not know; "
                           "use a newer wat-tui to restore it")
        check = conn.execute("PRAGMA quick_check(1)").fetchall()
        if check != [("ok",)]:
            detail = "; ".join(ln for ln in str(check[0][0] if check else "?").splitlines() if not ln.startswith("***"))
            raise WatError(f"{path}: damaged (SQLite's check says: {detail[:200]})")
        if conn.execute("SELECT 1 FROM meta WHERE key='writer_id'").fetchone() is None:
            raise WatError(f"{path}: not a whole wat-tui database (it has no writer id)")
        sessions: int = conn.execute("SELECT COUNT(*) FROM session").fetchone()[0]
        return sessions
    except sqlite3.DatabaseError as exc:
        raise WatError(f"{path}: not a wat-tui database, or a damaged one ({exc}); it was not restored") from exc
    finally:
        conn.close()


def find_backup(directory: Path, which: str | None) -> Path:
    """The backup a person named (a name from ``--list``, or a path), or the newest one that can be restored."""
    if which is not None:
        named = directory / which
        if os.sep not in which and (os.altsep is None or os.altsep not in which) and named.exists():
            return named
        return Path(which).expanduser()
    backups = list_backups(directory)
    if not backups:
        raise WatError(f"{directory}: no backup to restore from yet (one is made when wat-tui opens the "
                       "database, at most once an hour, from the database's second hour on)")
    problems = []
    for candidate in backups:
        info = inspect(candidate)
        if info.problem is None:
            return candidate
        problems.append(f"{candidate.name}: {info.problem}")
    raise WatError(f"{directory}: none of the {len(backups)} backups can be restored ({problems[0]})")


def restore(directory: Path, which: str | None = None) -> Restored:
    """Replace the database with a backup, keeping the replaced file beside it; see the module's docstring.

    Close wat-tui everywhere on this database first: a window left open would go on writing into the file that
    was moved aside.
    """
    path = directory / DB_NAME
    chosen = find_backup(directory, which)
    sessions = check_backup(chosen)
    if path.exists() and chosen.resolve() == path.resolve():
        raise WatError(f"{chosen}: that is the database itself, not a backup of it")
    made = made_at(chosen)
    with directory_lock(directory, exclusive=True):
        work = work_file(path)
        try:
            src = sqlite3.connect(f"{chosen.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                dest = sqlite3.connect(work, isolation_level=None)
                try:
                    src.backup(dest)
                finally:
                    dest.close()
            finally:
                src.close()
            restored = Database(work)
            try:
                writer = give_new_writer(restored, file_identity(work))
                restored.pragma("journal_mode=DELETE")  # one self-contained file again, no WAL beside it
            finally:
                restored.close()
            fsync_path(work)
            kept = _move_aside(path)
            os.replace(work, path)
            fsync_path(directory)
        except (sqlite3.Error, StoreError) as exc:
            raise WatError(f"{chosen}: cannot restore it: {exc}") from exc
        except OSError as exc:
            raise WatError(f"{path}: cannot restore {chosen.name} into it: {exc.strerror or exc}") from exc
        finally:
            for leftover in (work, Path(f"{work}-journal"), Path(f"{work}-wal"), Path(f"{work}-shm")):
                leftover.unlink(missing_ok=True)
    return Restored(chosen, made, sessions, kept, writer)


def _move_aside(path: Path) -> Path | None:
    """Keep the database being replaced (with its WAL, which may hold its newest edits) under a new name."""
    if not path.exists():
        return None
    kept = path.with_name(f"{path.name}.before-restore-{datetime.now(UTC).strftime(_STAMP)}")
    os.replace(path, kept)
    wal = Path(f"{path}-wal")
    if wal.exists():
        os.replace(wal, Path(f"{kept}-wal"))
    Path(f"{path}-shm").unlink(missing_ok=True)
    make_private(kept)
    return kept
