"""The store's own errors: the database file cannot take a write now, or cannot be trusted.

SQLite's errors about the file (not about what was asked) become one of these in one place,
``OpLog.transaction()`` (and, when a database is opened, ``store/db.py``). Each message names the database and
says what to do. A write that raised one of them changed nothing: its transaction was rolled back, so doing the
same edit again later is safe. The CLI prints the message as one error line; the app keeps what was typed and
tries again (``wat_tui/ui/screens/store_error.py``).
"""

from __future__ import annotations

from pathlib import Path

from wat_tui.errors import WatError


class StoreError(WatError):
    """A write or an open failed for the file's sake: the disk could not be read or written, and the like."""

    #: A few words for a heading: what went wrong, in the room's words.
    headline = "the database could not be written"
    #: True when the cause usually goes away by itself (another program finishes), so retrying soon may work.
    transient = False

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        #: The database file, when known.
        self.path = path


class StoreBusy(StoreError):
    """Another program held the database's write lock for longer than the busy timeout (a large merge)."""

    headline = "the database is locked by another program"
    transient = True


class StoreFull(StoreError):
    """The disk (or the file size limit) is full."""

    headline = "the disk is full"


class StoreReadOnly(StoreError):
    """The database file or its directory cannot be written."""

    headline = "the database is read-only"


class StoreDamaged(StoreError):
    """The file is damaged, or is not a wat-tui database at all."""

    headline = "the database is damaged"


__all__ = ["StoreBusy", "StoreDamaged", "StoreError", "StoreFull", "StoreReadOnly"]
