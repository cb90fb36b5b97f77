"""Where wat-tui keeps its data: owner-only, because reviews record security weaknesses."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from wat_tui.errors import WatError

ENV_VAR = "WAT_TUI_DATA_DIR"
DB_NAME = "wat-tui.sqlite3"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` wins, then ``WAT_TUI_DATA_DIR``, then platformdirs' user data directory."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("wat-tui", appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)
    except OSError as exc:
        raise WatError(f"{path}: cannot use it as the data directory: {exc.strerror or exc}") from exc
    return path


def make_private(path: Path) -> None:
    """Owner read/write at most, for the database and its WAL and shared-memory files.

    Permissions are only ever taken away: a database its owner made read-only stays read-only (opening it then
    says so), rather than being quietly made writable again.
    """
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(os.stat(p).st_mode)
            if mode & ~0o600:
                os.chmod(p, mode & 0o600)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise WatError(f"{p}: cannot make it readable by its owner only: {exc.strerror or exc}") from exc


def create_private(path: Path, *, exclusive: bool = True) -> None:
    """Create an empty file that is owner read/write from its first moment (never 0644 under a usual umask).

    SQLite gives a database's journal and WAL the database file's own mode, so a work file made here keeps
    those private too. ``exclusive``: fail if it exists; otherwise an existing file is emptied and tightened.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    try:
        if sys.platform != "win32":
            os.fchmod(fd, 0o600)  # also when the file existed (not exclusive) with a looser mode
    finally:
        os.close(fd)
