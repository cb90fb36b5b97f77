"""``wat-tui restore [--list] [BACKUP]``: put back a rolling backup of the database (see store/backup.py).

It never opens the database it replaces (that one may be damaged past opening); the replaced file is kept
beside the restored one under a new name.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wat_tui.store.backup import inspect, list_backups, restore
from wat_tui.store.paths import DB_NAME, ensure_private_dir


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024))} kB"


def cmd_restore(args: argparse.Namespace, data: Path) -> int:
    if args.list:
        backups = list_backups(data)
        if not backups:
            _out(f"No backups in {data} yet. wat-tui makes one when it opens the database, at most once an "
                 f"hour (from the database's second hour on), and keeps the last 3.")
            return 0
        _out(f"Backups of {data / DB_NAME}, newest first:")
        for path in backups:
            info = inspect(path)
            state = "ok" if info.problem is None else f"cannot be restored: {info.problem}"
            _out(f"  {path.name}  made {info.made:%Y-%m-%d %H:%M} UTC  {_size(info.size)}  "
                 f"{info.sessions} session(s)  {state}")
        _out("Restore one with 'wat-tui restore NAME' (without NAME: the newest that is ok).")
        return 0
    ensure_private_dir(data)
    done = restore(data, args.backup)
    _out(f"Restored {done.backup.name} (made {done.made:%Y-%m-%d %H:%M} UTC, {done.sessions} session(s)) as "
         f"{data / DB_NAME}.")
    if done.kept is not None:
        _out(f"The database it replaced is kept as {done.kept.name}.")
    _out(f"Edits made after the backup are not in it; bundles exported since can be merged back with 'wat-tui "
         f"merge'. From now on this database writes as a new writer ({done.writer_id[:8]}).")
    return 0
