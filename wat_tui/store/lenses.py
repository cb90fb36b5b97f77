"""Stored lens versions: the exact bytes of every lens a session uses, keyed by content hash."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from wat_tui.lens.loader import load_lens_bytes
from wat_tui.lens.model import Lens


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
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._cache: dict[str, Lens] = {}

    def store(self, lens: Lens, source: bytes, origin: str) -> tuple[StoredLens, bool]:
        """Keep this version of the lens; returns it and whether it was new. Same bytes: nothing changes."""
        existing = self.by_hash(lens.content_hash)
        if existing is not None:
            return existing, False
        row = self.conn.execute(
            "SELECT MAX(revision) FROM lens_version WHERE alias=?", (lens.alias,)
        ).fetchone()
        revision = (row[0] or 0) + 1
        self.conn.execute(
            "INSERT INTO lens_version(content_hash, alias, revision, version, name, source, origin,"
            " stored_at, pillar_count, question_count) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (lens.content_hash, lens.alias, revision, lens.version, lens.name, source, origin,
             datetime.now(UTC).isoformat(timespec="seconds"), len(lens.pillars), len(lens.questions)),
        )
        stored = self.by_hash(lens.content_hash)
        assert stored is not None
        self._cache[lens.content_hash] = lens
        return stored, True

    def by_hash(self, content_hash: str) -> StoredLens | None:
        row = self.conn.execute(
            "SELECT alias, revision, version, name, content_hash, origin, pillar_count, question_count"
            " FROM lens_version WHERE content_hash=?",
            (content_hash,),
        ).fetchone()
        return StoredLens(*row) if row else None

    def latest(self, alias: str) -> StoredLens | None:
        row = self.conn.execute(
            "SELECT alias, revision, version, name, content_hash, origin, pillar_count, question_count"
            " FROM lens_version WHERE alias=? ORDER BY revision DESC LIMIT 1",
            (alias,),
        ).fetchone()
        return StoredLens(*row) if row else None

    def all_latest(self) -> list[StoredLens]:
        rows = self.conn.execute(
            "SELECT alias, revision, version, name, content_hash, origin, pillar_count, question_count"
            " FROM lens_version v"
            " WHERE revision = (SELECT MAX(revision) FROM lens_version w WHERE w.alias=v.alias)"
            " ORDER BY alias"
        ).fetchall()
        return [StoredLens(*r) for r in rows]

    def source(self, content_hash: str) -> bytes | None:
        """The stored bytes of a lens version, exactly as they were read."""
        row = self.conn.execute("SELECT source FROM lens_version WHERE content_hash=?", (content_hash,)).fetchone()
        return bytes(row[0]) if row else None

    def load(self, content_hash: str) -> Lens:
        """The lens model for a stored version (parsed once per process)."""
        lens = self._cache.get(content_hash)
        if lens is None:
            row = self.conn.execute(
                "SELECT source, alias FROM lens_version WHERE content_hash=?", (content_hash,)
            ).fetchone()
            if row is None:
                raise KeyError(content_hash)
            lens = load_lens_bytes(row[0], f"stored lens {row[1]}", alias=row[1])
            self._cache[content_hash] = lens
        return lens
