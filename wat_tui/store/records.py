"""The store's tables beside the operation log: the session listing, lens links, writers, this laptop's own
settings and undo stack, and the look-ups into the log that the registers do not answer.

Every query of the running app is here, in ``oplog.py`` or in ``lenses.py``: the domain above (``Review``) calls
these by name and never writes SQL. They run on the connection the operation log uses, inside its transactions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from wat_tui.store.oplog import Op

#: A session's listing row: id, name, workload, workload type, planned minutes, created at.
SessionRow = tuple[str, str, str, str, int, str]
#: One undo entry: its id, the target, and the value (canonical JSON) it puts back.
UndoStep = tuple[int, str, str]


class Records:
    """Named queries on one SQLite connection (the operation log's)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- sessions ----------------------------------------------------------------------------------------------

    def add_session(self, row: SessionRow) -> None:
        self.conn.execute(
            "INSERT INTO session(id, name, workload, workload_type, planned_minutes, created_at)"
            " VALUES (?,?,?,?,?,?)", row)

    def update_session(self, row: SessionRow) -> None:
        sid, *fields = row
        self.conn.execute(
            "UPDATE session SET name=?, workload=?, workload_type=?, planned_minutes=?, created_at=? WHERE id=?",
            (*fields, sid))

    def session(self, sid: str) -> SessionRow | None:
        row = self.conn.execute(
            "SELECT id, name, workload, workload_type, planned_minutes, created_at FROM session WHERE id=?", (sid,)
        ).fetchone()
        return tuple(row) if row else None

    def sessions(self) -> list[SessionRow]:
        """Every session, newest first."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT id, name, workload, workload_type, planned_minutes, created_at FROM session"
            " ORDER BY created_at DESC, name")]

    def session_names(self) -> list[tuple[str, str]]:
        return [(str(i), str(n)) for i, n in self.conn.execute("SELECT id, name FROM session")]

    def session_exists(self, sid: str) -> bool:
        return self.conn.execute("SELECT 1 FROM session WHERE id=?", (sid,)).fetchone() is not None

    def lens_links(self, sid: str) -> list[tuple[str, str]]:
        """(alias, content hash) of the session's lenses, in order."""
        return [(str(a), str(h)) for a, h in self.conn.execute(
            "SELECT alias, content_hash FROM session_lens WHERE session_id=? ORDER BY position", (sid,))]

    def set_lens_links(self, sid: str, links: Sequence[tuple[str, str]]) -> None:
        self.conn.execute("DELETE FROM session_lens WHERE session_id=?", (sid,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO session_lens(session_id, alias, content_hash, position) VALUES (?,?,?,?)",
            [(sid, alias, content_hash, i) for i, (alias, content_hash) in enumerate(links)])

    # -- the log, where the registers do not answer ---------------------------------------------------------------

    def logged_values(self, sid: str, target: str) -> list[Any]:
        """Every value ever written to ``target`` (tombstones included), newest first."""
        rows = self.conn.execute(
            "SELECT value FROM operation WHERE session_id=? AND target=? ORDER BY hlc DESC", (sid, target)
        ).fetchall()
        return [json.loads(text) for (text,) in rows]

    def latest_stamp(self, sid: str, writer_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT MAX(hlc) FROM operation WHERE session_id=? AND writer_id=?", (sid, writer_id)
        ).fetchone()
        return str(row[0]) if row and row[0] is not None else None

    def op(self, writer_id: str, seq: int) -> Op | None:
        row = self.conn.execute(
            "SELECT session_id, target, value, vv, hlc, source, extra FROM operation WHERE writer_id=? AND seq=?",
            (writer_id, seq),
        ).fetchone()
        if row is None:
            return None
        sid, target, value, vv, hlc, source, extra = row
        return Op(writer_id, seq, sid, target, json.loads(value), json.loads(vv), hlc, source, json.loads(extra))

    def op_source(self, writer_id: str, seq: int) -> str:
        row = self.conn.execute(
            "SELECT source FROM operation WHERE writer_id=? AND seq=?", (writer_id, seq)
        ).fetchone()
        return str(row[0]) if row else ""

    def conflicted_targets(self, sid: str) -> list[str]:
        return [str(t) for (t,) in self.conn.execute(
            "SELECT target FROM register WHERE session_id=? GROUP BY target HAVING COUNT(*) > 1 ORDER BY target",
            (sid,),
        )]

    # -- writers and this database's own facts ------------------------------------------------------------------

    def writers(self) -> dict[str, tuple[str, str]]:
        return {str(w): (n or "", d or "") for w, n, d in self.conn.execute(
            "SELECT writer_id, name, device FROM writer")}

    def add_writers(self, names: dict[str, tuple[str, str]]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO writer(writer_id, name, device) VALUES (?,?,?)",
                              [(w, n, d) for w, (n, d) in names.items()])

    def meta(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.conn.execute("SELECT key, value FROM meta")}

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def local_setting(self, sid: str, key: str) -> str | None:
        row = self.conn.execute(
            "SELECT value FROM local_state WHERE session_id=? AND key=?", (sid, key)
        ).fetchone()
        return str(row[0]) if row else None

    def set_local_setting(self, sid: str, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO local_state(session_id, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT(session_id, key) DO UPDATE SET value=excluded.value",
            (sid, key, value),
        )

    def cache_kib(self) -> int:
        """The page cache's size (negative: KiB, positive: pages, as SQLite's ``cache_size``)."""
        return int(self.conn.execute("PRAGMA cache_size").fetchone()[0])

    def set_cache_kib(self, size: int) -> None:
        self.conn.execute(f"PRAGMA cache_size={int(size)}")

    # -- undo ----------------------------------------------------------------------------------------------------

    def push_undo(self, sid: str, changes: Sequence[tuple[str, str, str]]) -> None:
        """One action's (target, before, after) as the newest undoable action; what could be redone is dropped."""
        action = (self.conn.execute(
            "SELECT MAX(action) FROM undo_entry WHERE session_id=?", (sid,)).fetchone()[0] or 0) + 1
        self.conn.execute("UPDATE undo_entry SET state='dropped' WHERE session_id=? AND state='undone'", (sid,))
        self.conn.executemany(
            "INSERT INTO undo_entry(session_id, action, target, before, after, state) VALUES (?,?,?,?,?,'done')",
            [(sid, action, target, before, after) for target, before, after in changes])

    def undo_steps(self, sid: str, undo: bool) -> list[UndoStep]:
        """The steps of the action to undo (its ``before`` values, last change first) or to redo (its ``after``
        values, in order); empty when there is none."""
        state, pick, column = ("done", "MAX", "before") if undo else ("undone", "MIN", "after")
        row = self.conn.execute(
            f"SELECT {pick}(action) FROM undo_entry WHERE session_id=? AND state=?", (sid, state)
        ).fetchone()
        if row[0] is None:
            return []
        steps: list[UndoStep] = [(int(i), str(t), str(v)) for i, t, v in self.conn.execute(
            f"SELECT id, target, {column} FROM undo_entry WHERE session_id=? AND action=? ORDER BY id",
            (sid, row[0]))]
        if undo:
            steps.reverse()
        return steps

    def mark_undo(self, entry: int, undone: bool) -> None:
        self.conn.execute("UPDATE undo_entry SET state=? WHERE id=?", ("undone" if undone else "done", entry))
