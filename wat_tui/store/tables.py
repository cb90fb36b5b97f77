"""The schema, declared once, with SQLModel.

The store reads and writes these tables through SQLModel ``select()`` and SQLAlchemy Core statements built from
these classes (``records.py``, ``oplog.py``, ``lenses.py``); no module spells a table or column in SQL text. The
Alembic revisions create the same schema, and tests/test_migrations.py compares the two with Alembic's
``compare_metadata``, so a change here without a revision fails.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    """Facts about this database: its writer id, the writer's name and device."""

    key: str = Field(primary_key=True)
    value: str


class LensVersion(SQLModel, table=True):
    __tablename__ = "lens_version"
    content_hash: str = Field(primary_key=True)
    alias: str = Field(index=True)
    #: 1, 2, 3 ... per alias, in the order versions were stored.
    revision: int
    version: str
    name: str
    source: bytes
    origin: str
    stored_at: str
    pillar_count: int
    question_count: int


class Session(SQLModel, table=True):
    """Projection of a session's registers, for listing; the registers are the truth."""

    id: str = Field(primary_key=True)
    name: str = ""
    workload: str = ""
    workload_type: str = ""
    planned_minutes: int = 0
    created_at: str = ""


class SessionLens(SQLModel, table=True):
    __tablename__ = "session_lens"
    session_id: str = Field(primary_key=True, foreign_key="session.id")
    alias: str = Field(primary_key=True)
    content_hash: str = Field(foreign_key="lens_version.content_hash")
    position: int = 0


class Writer(SQLModel, table=True):
    writer_id: str = Field(primary_key=True)
    name: str = ""
    device: str = ""


class Operation(SQLModel, table=True):
    """One immutable change. ``value`` is JSON ("null" for a tombstone); ``vv`` the writer's version
    vector."""

    writer_id: str = Field(primary_key=True)
    seq: int = Field(primary_key=True)
    session_id: str = Field(index=True, foreign_key="session.id")
    target: str
    value: str
    vv: str
    hlc: str
    #: Where the operation came from: "local" or the bundle file it was imported from.
    source: str = "local"
    #: Fields from a newer format, kept so they are written out again.
    extra: str = "{}"


class Register(SQLModel, table=True):
    """Current values of every multi-value register: more than one row for a target is a conflict."""

    session_id: str = Field(primary_key=True, foreign_key="session.id")
    target: str = Field(primary_key=True)
    writer_id: str = Field(primary_key=True)
    seq: int = Field(primary_key=True)
    value: str
    vv: str
    hlc: str


class LocalState(SQLModel, table=True):
    """This laptop's own state for a session (not shared in bundles): the open question."""

    __tablename__ = "local_state"
    session_id: str = Field(primary_key=True, foreign_key="session.id")
    key: str = Field(primary_key=True)
    value: str


class UndoEntry(SQLModel, table=True):
    __tablename__ = "undo_entry"
    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(index=True, foreign_key="session.id")
    action: int
    target: str
    before: str
    after: str
    #: "done" (can be undone), "undone" (can be redone), "dropped" (a new edit came after an undo)
    state: str = "done"


def _table(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


#: The same tables as SQLAlchemy Core sees them, for statements that read columns rather than model objects.
META = _table(Meta)
LENS_VERSION = _table(LensVersion)
SESSION = _table(Session)
SESSION_LENS = _table(SessionLens)
WRITER = _table(Writer)
OPERATION = _table(Operation)
REGISTER = _table(Register)
LOCAL_STATE = _table(LocalState)
UNDO_ENTRY = _table(UndoEntry)
