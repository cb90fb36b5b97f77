"""The store's tables beside the operation log: the session listing, lens links, writers, this laptop's own
settings and undo stack, and the look-ups into the log that the registers do not answer.

Every query of the running app is here, in ``oplog.py`` or in ``lenses.py``, built with SQLModel ``select()`` and
SQLAlchemy Core from the table models: the domain above (``Review``) calls these by name and never sees a
statement. They run on the connection the operation log uses, inside its transactions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col
from sqlmodel import select as select_records

from wat_tui.store.engine import Database
from wat_tui.store.oplog import Op
from wat_tui.store.tables import (
    LOCAL_STATE,
    META,
    OPERATION,
    REGISTER,
    SESSION,
    SESSION_LENS,
    UNDO_ENTRY,
    WRITER,
)
from wat_tui.store.tables import Session as SessionRecord

#: A session's listing row: id, name, workload, workload type, planned minutes, created at.
SessionRow = tuple[str, str, str, str, int, str]
#: One undo entry: its id, the target, and the value (canonical JSON) it puts back.
UndoStep = tuple[int, str, str]


class Records:
    """Named queries on one database (the operation log's), built from the table models."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- sessions ----------------------------------------------------------------------------------------------

    def add_session(self, row: SessionRow) -> None:
        sid, name, workload, workload_type, planned, created = row
        with self.db.session() as orm:
            orm.add(SessionRecord(id=sid, name=name, workload=workload, workload_type=workload_type,
                                  planned_minutes=planned, created_at=created))
            orm.flush()

    def update_session(self, row: SessionRow) -> None:
        sid, name, workload, workload_type, planned, created = row
        self.db.execute(update(SESSION).where(SESSION.c.id == sid).values(
            name=name, workload=workload, workload_type=workload_type, planned_minutes=planned,
            created_at=created))

    def session(self, sid: str) -> SessionRow | None:
        # Read on every repaint (Review.state): a Core statement; a SQLModel session costs ten times as much here.
        found = self.db.execute(_SESSION_ROW, {"sid": sid}).first()
        if found is None:
            return None
        i, name, workload, workload_type, planned, created = found
        return (str(i), str(name), str(workload), str(workload_type), int(planned), str(created))

    def sessions(self) -> list[SessionRow]:
        """Every session, newest first."""
        with self.db.session() as orm:
            return [_session_row(r) for r in orm.exec(select_records(SessionRecord).order_by(
                col(SessionRecord.created_at).desc(), col(SessionRecord.name)))]

    def session_names(self) -> list[tuple[str, str]]:
        return [(str(i), str(n)) for i, n in self.db.execute(select(SESSION.c.id, SESSION.c.name))]

    def session_exists(self, sid: str) -> bool:
        return self.db.execute(_SESSION_EXISTS, {"sid": sid}).first() is not None

    def lens_links(self, sid: str) -> list[tuple[str, str]]:
        """(alias, content hash) of the session's lenses, in order."""
        return [(str(a), str(h)) for a, h in self.db.execute(_LENS_LINKS, {"sid": sid})]

    def set_lens_links(self, sid: str, links: Sequence[tuple[str, str]]) -> None:
        self.db.execute(delete(SESSION_LENS).where(SESSION_LENS.c.session_id == sid))
        if links:
            self.db.execute(sqlite_insert(SESSION_LENS).prefix_with("OR IGNORE"), [
                {"session_id": sid, "alias": alias, "content_hash": content_hash, "position": i}
                for i, (alias, content_hash) in enumerate(links)])

    # -- the log, where the registers do not answer ---------------------------------------------------------------

    def logged_values(self, sid: str, target: str) -> list[Any]:
        """Every value ever written to ``target`` (tombstones included), newest first."""
        rows = self.db.execute(_LOGGED_VALUES, {"sid": sid, "target": target})
        return [json.loads(text) for (text,) in rows]

    def latest_stamp(self, sid: str, writer_id: str) -> str | None:
        stamp = self.db.execute(_LATEST_STAMP, {"sid": sid, "writer": writer_id}).scalar()
        return str(stamp) if stamp is not None else None

    def op(self, writer_id: str, seq: int) -> Op | None:
        row = self.db.execute(_OP, {"writer": writer_id, "seq": seq}).first()
        if row is None:
            return None
        sid, target, value, vv, hlc, source, extra = row
        return Op(writer_id, seq, sid, target, json.loads(value), json.loads(vv), hlc, source, json.loads(extra))

    def op_source(self, writer_id: str, seq: int) -> str:
        source = self.db.execute(_OP_SOURCE, {"writer": writer_id, "seq": seq}).scalar()
        return str(source) if source is not None else ""

    def conflicted_targets(self, sid: str) -> list[str]:
        return [str(t) for (t,) in self.db.execute(_CONFLICTED, {"sid": sid})]

    # -- writers and this database's own facts ------------------------------------------------------------------

    def writers(self) -> dict[str, tuple[str, str]]:
        return {str(w): (n or "", d or "") for w, n, d in self.db.execute(
            select(WRITER.c.writer_id, WRITER.c.name, WRITER.c.device))}

    def add_writers(self, names: dict[str, tuple[str, str]]) -> None:
        if names:
            self.db.execute(sqlite_insert(WRITER).prefix_with("OR IGNORE"), [
                {"writer_id": w, "name": n, "device": d} for w, (n, d) in names.items()])

    def rename_writer(self, writer_id: str, name: str) -> None:
        self.db.execute(update(WRITER).where(WRITER.c.writer_id == writer_id).values(name=name))

    def meta(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.db.execute(select(META.c.key, META.c.value))}

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(sqlite_insert(META).prefix_with("OR REPLACE"), {"key": key, "value": value})

    def local_setting(self, sid: str, key: str) -> str | None:
        value = self.db.execute(_LOCAL_SETTING, {"sid": sid, "key": key}).scalar()
        return str(value) if value is not None else None

    def set_local_setting(self, sid: str, key: str, value: str) -> None:
        self.db.execute(_SET_LOCAL_SETTING, {"session_id": sid, "key": key, "value": value})

    def cache_kib(self) -> int:
        """The page cache's size (negative: KiB, positive: pages, as SQLite's ``cache_size``)."""
        return int(self.db.pragma("cache_size"))

    def set_cache_kib(self, size: int) -> None:
        self.db.pragma(f"cache_size={int(size)}")

    # -- undo ----------------------------------------------------------------------------------------------------

    def push_undo(self, sid: str, changes: Sequence[tuple[str, str, str]]) -> None:
        """One action's (target, before, after) as the newest undoable action; what could be redone is dropped."""
        action = int(self.db.execute(_LAST_ACTION, {"sid": sid}).scalar() or 0) + 1
        self.db.execute(_DROP_REDO, {"sid": sid})
        if changes:
            self.db.execute(_PUSH_UNDO, [
                {"session_id": sid, "action": action, "target": target, "before": before, "after": after,
                 "state": "done"} for target, before, after in changes])

    def undo_steps(self, sid: str, undo: bool) -> list[UndoStep]:
        """The steps of the action to undo (its ``before`` values, last change first) or to redo (its ``after``
        values, in order); empty when there is none."""
        pick, steps_of = (_UNDO_ACTION, _UNDO_STEPS) if undo else (_REDO_ACTION, _REDO_STEPS)
        action = self.db.execute(pick, {"sid": sid}).scalar()
        if action is None:
            return []
        steps: list[UndoStep] = [(int(i), str(t), str(v)) for i, t, v in self.db.execute(
            steps_of, {"sid": sid, "action": action})]
        if undo:
            steps.reverse()
        return steps

    def mark_undo(self, entry: int, undone: bool) -> None:
        self.db.execute(_MARK_UNDO, {"entry": entry, "state": "undone" if undone else "done"})


# Statements run on every edit or screen refresh, built once with their parameters named (building a statement
# costs more than running it).
_SESSION_EXISTS = select(SESSION.c.id).where(SESSION.c.id == bindparam("sid"))
_SESSION_ROW = select(SESSION.c.id, SESSION.c.name, SESSION.c.workload, SESSION.c.workload_type,
                      SESSION.c.planned_minutes, SESSION.c.created_at).where(SESSION.c.id == bindparam("sid"))
_LENS_LINKS = (select(SESSION_LENS.c.alias, SESSION_LENS.c.content_hash)
               .where(SESSION_LENS.c.session_id == bindparam("sid")).order_by(SESSION_LENS.c.position))
_LOGGED_VALUES = (select(OPERATION.c.value)
                  .where(OPERATION.c.session_id == bindparam("sid"), OPERATION.c.target == bindparam("target"))
                  .order_by(OPERATION.c.hlc.desc()))
_LATEST_STAMP = select(func.max(OPERATION.c.hlc)).where(
    OPERATION.c.session_id == bindparam("sid"), OPERATION.c.writer_id == bindparam("writer"))
_OP_ID = (OPERATION.c.writer_id == bindparam("writer"), OPERATION.c.seq == bindparam("seq"))
_OP = select(OPERATION.c.session_id, OPERATION.c.target, OPERATION.c.value, OPERATION.c.vv, OPERATION.c.hlc,
             OPERATION.c.source, OPERATION.c.extra).where(*_OP_ID)
_OP_SOURCE = select(OPERATION.c.source).where(*_OP_ID)
_CONFLICTED = (select(REGISTER.c.target).where(REGISTER.c.session_id == bindparam("sid"))
               .group_by(REGISTER.c.target).having(func.count() > 1).order_by(REGISTER.c.target))
_LOCAL_SETTING = select(LOCAL_STATE.c.value).where(
    LOCAL_STATE.c.session_id == bindparam("sid"), LOCAL_STATE.c.key == bindparam("key"))
_UPSERT_LOCAL = sqlite_insert(LOCAL_STATE)
_SET_LOCAL_SETTING = _UPSERT_LOCAL.on_conflict_do_update(
    index_elements=[LOCAL_STATE.c.session_id, LOCAL_STATE.c.key], set_={"value": _UPSERT_LOCAL.excluded.value})
_UNDO_OF = UNDO_ENTRY.c.session_id == bindparam("sid")
_LAST_ACTION = select(func.max(UNDO_ENTRY.c.action)).where(_UNDO_OF)
_DROP_REDO = update(UNDO_ENTRY).where(_UNDO_OF, UNDO_ENTRY.c.state == "undone").values(state="dropped")
_PUSH_UNDO = insert(UNDO_ENTRY)
_UNDO_ACTION = select(func.max(UNDO_ENTRY.c.action)).where(_UNDO_OF, UNDO_ENTRY.c.state == "done")
_REDO_ACTION = select(func.min(UNDO_ENTRY.c.action)).where(_UNDO_OF, UNDO_ENTRY.c.state == "undone")
_UNDO_STEPS = (select(UNDO_ENTRY.c.id, UNDO_ENTRY.c.target, UNDO_ENTRY.c.before)
               .where(_UNDO_OF, UNDO_ENTRY.c.action == bindparam("action")).order_by(UNDO_ENTRY.c.id))
_REDO_STEPS = (select(UNDO_ENTRY.c.id, UNDO_ENTRY.c.target, UNDO_ENTRY.c.after)
               .where(_UNDO_OF, UNDO_ENTRY.c.action == bindparam("action")).order_by(UNDO_ENTRY.c.id))
_MARK_UNDO = (update(UNDO_ENTRY).where(UNDO_ENTRY.c.id == bindparam("entry"))
              .values(state=bindparam("state")))


def _session_row(record: SessionRecord) -> SessionRow:
    return (record.id, record.name, record.workload, record.workload_type, record.planned_minutes,
            record.created_at)
