"""Stored lens versions: the exact bytes of every lens a session uses, keyed by content hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, select

from wat_tui.lens.loader import load_lens_bytes
from wat_tui.lens.model import Lens
from wat_tui.store.engine import Database
from wat_tui.store.tables import LENS_VERSION, LensVersion


@dataclass(frozen=True)
class StoredLens:
    alias: str
    revision: int
    version: str
    name: str
    content_hash: str
    origin: str
    pillar_count: int
    question_count: int


class LensStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[str, Lens] = {}
        self._listed: dict[str, StoredLens] = {}

    def store(self, lens: Lens, source: bytes, origin: str) -> tuple[StoredLens, bool]:
        """Keep this version of the lens; returns it and whether it was new. Same bytes: nothing changes."""
        existing = self.by_hash(lens.content_hash)
        if existing is not None:
            return existing, False
        last = self.db.execute(select(func.max(LENS_VERSION.c.revision))
                               .where(LENS_VERSION.c.alias == lens.alias)).scalar()
        with self.db.session() as orm:
            orm.add(LensVersion(
                content_hash=lens.content_hash, alias=lens.alias, revision=int(last or 0) + 1,
                version=lens.version, name=lens.name, source=source, origin=origin,
                stored_at=datetime.now(UTC).isoformat(timespec="seconds"), pillar_count=len(lens.pillars),
                question_count=len(lens.questions)))
            orm.flush()
        stored = self.by_hash(lens.content_hash)
        assert stored is not None
        self._cache[lens.content_hash] = lens
        return stored, True

    def by_hash(self, content_hash: str) -> StoredLens | None:
        # A committed lens version never changes nor goes away: remembered once found outside a transaction
        # (Review.state asks after every key whether the session's lenses are stored).
        known = self._listed.get(content_hash)
        if known is not None:
            return known
        row = self.db.execute(_BY_HASH, {"hash": content_hash}).first()
        if row is None:
            return None
        found = StoredLens(*row)
        if not self.db.in_transaction:  # a row read inside a transaction may yet be rolled back with it
            self._listed[content_hash] = found
        return found

    def latest(self, alias: str) -> StoredLens | None:
        row = self.db.execute(select(*_LISTED).where(LENS_VERSION.c.alias == alias)
                              .order_by(LENS_VERSION.c.revision.desc()).limit(1)).first()
        return StoredLens(*row) if row else None

    def all_latest(self) -> list[StoredLens]:
        newest = (select(LENS_VERSION.c.alias, func.max(LENS_VERSION.c.revision).label("revision"))
                  .group_by(LENS_VERSION.c.alias).subquery())
        rows = self.db.execute(select(*_LISTED).join(
            newest, (LENS_VERSION.c.alias == newest.c.alias) & (LENS_VERSION.c.revision == newest.c.revision))
            .order_by(LENS_VERSION.c.alias)).all()
        return [StoredLens(*r) for r in rows]

    def source(self, content_hash: str) -> bytes | None:
        """The stored bytes of a lens version, exactly as they were read."""
        found = self.db.execute(select(LENS_VERSION.c.source)
                                .where(LENS_VERSION.c.content_hash == content_hash)).scalar()
        return bytes(found) if found is not None else None

    def load(self, content_hash: str) -> Lens:
        """The lens model for a stored version (parsed once per process)."""
        lens = self._cache.get(content_hash)
        if lens is None:
            row = self.db.execute(select(LENS_VERSION.c.source, LENS_VERSION.c.alias)
                                  .where(LENS_VERSION.c.content_hash == content_hash)).first()
            if row is None:
                raise KeyError(content_hash)
            lens = load_lens_bytes(row[0], f"stored lens {row[1]}", alias=row[1])
            self._cache[content_hash] = lens
        return lens


_LISTED = tuple(LENS_VERSION.c[name] for name in (
    "alias", "revision", "version", "name", "content_hash", "origin", "pillar_count", "question_count"))
_BY_HASH = select(*_LISTED).where(LENS_VERSION.c.content_hash == bindparam("hash"))
