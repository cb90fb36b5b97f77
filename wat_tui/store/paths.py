"""Where wat-tui keeps its data: owner-only, because reviews record security weaknesses."""

from __future__ import annotations

import os
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
    """Owner read/write only, for the database and its WAL and shared-memory files."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists():
            os.chmod(p, 0o600)
