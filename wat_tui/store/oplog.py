"""The operation log and its multi-value registers.

Every change is an immutable :class:`Op` ``(writer_id, seq)`` that writes a JSON value (``None`` is a
tombstone) to one target of a session. An op supersedes exactly the register values its version vector had
seen; values that did not see each other stay side by side, and when they differ that is a conflict for a
person to resolve. Applying the same set of ops in any order gives the same registers, which is what makes
merging safe.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select

from wat_tui.store.engine import Database
from wat_tui.store.tables import OPERATION, REGISTER

VersionVector = dict[str, int]
#: Hybrid clock stamps are ``<13-digit ms>-<5-digit counter>-<writer id>``.
MAX_COUNTER = 99_999
#: How far ahead of this laptop's clock a stamp from elsewhere may be: laptops' clocks disagree by minutes, not
#: days. The merge refuses an operation stamped further ahead, and the clock never follows one (which would push
#: every later local stamp past the 13 digits a bundle may carry).
MAX_AHEAD_MS = 24 * 60 * 60 * 1000


@dataclass(frozen=True)
class Op:
    writer_id: str
    seq: int
    session_id: str
    target: str
    value: Any
    vv: VersionVector
    hlc: str
    source: str = "local"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> tuple[str, int]:
        return (self.writer_id, self.seq)

    def payload(self) -> tuple[str, str, str, str, str]:
        """What must match when the same op id arrives twice."""
        return (self.session_id, self.target, canonical(self.value), canonical(self.vv), self.hlc)

    def saw(self, writer_id: str, seq: int) -> bool:
        return self.vv.get(writer_id, 0) >= seq


@dataclass(frozen=True)
class Value:
    """One current value of a register, with who wrote it."""

    writer_id: str
    seq: int
    value: Any
    hlc: str


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
#: The C encoder behind ``json.dumps``, made once: ``json.dumps`` with these options builds a new one on every
#: call, which was a third of the cost of merging a large bundle. Same output (a test compares them).
_MAKE_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_C_CANONICAL: Any = (
    _MAKE_C_ENCODER(None, _CANONICAL.default, json.encoder.encode_basestring, None, ":", ",", True, False,
                    True)
    if _MAKE_C_ENCODER is not None else None
)


def canonical(value: Any) -> str:
    """The JSON text two ops must share to be the same: keys sorted, no spaces, non-ASCII kept as is."""
    if _C_CANONICAL is None:
        return _CANONICAL.encode(value)
    return "".join(_C_CANONICAL(value, 0))


class HybridClock:
    """Hybrid logical clock: wall-clock milliseconds, a counter for ties, and the writer id.

    It orders history for display; it never decides which value survives.
    """

    def __init__(self, writer_id: str, last: str | None = None, now_ms: Any = None) -> None:
        self.writer_id = writer_id
        self._now = now_ms or (lambda: int(time.time() * 1000))
        self.ms, self.counter = _split(last) if last else (0, 0)

    def tick(self) -> str:
        now = int(self._now())
        if now > self.ms:
            self.ms, self.counter = now, 0
        else:
            self.counter += 1
            if self.counter > MAX_COUNTER:
                # The stamp is compared as text: a sixth counter digit would sort before "99999". Running a
                # millisecond ahead keeps the order (this happens only after observing a clock far ahead).
                self.ms, self.counter = self.ms + 1, 0
        return f"{self.ms:013d}-{self.counter:05d}-{self.writer_id}"

    def observe(self, stamp: str) -> None:
        """Run no earlier than ``stamp`` from now on; a stamp more than :data:`MAX_AHEAD_MS` ahead of this clock is
        not followed (a wrong clock elsewhere, or an operation taken before the merge refused such stamps)."""
        ms, counter = _split(stamp)
        if (ms, counter) > (self.ms, self.counter) and ms <= self.horizon_ms():
            self.ms, self.counter = ms, counter

    def wall_ms(self) -> int:
        """This laptop's clock in milliseconds since 1970: the system's, or the app's injected one when that is
        later (a test's or a rehearsal's frozen clock)."""
        return max(int(self._now()), int(time.time() * 1000))

    def horizon_ms(self) -> int:
        """The latest stamp taken as real: :data:`MAX_AHEAD_MS` past :meth:`wall_ms`."""
        return self.wall_ms() + MAX_AHEAD_MS


def _split(stamp: str) -> tuple[int, int]:
    ms, counter, _ = stamp.split("-", 2)
    return int(ms), int(counter)


_OP = OPERATION
_REG = REGISTER
#: Statements run once per row through :meth:`Database.execute_many` (positional rows, in the tables' column
#: order): an edit and a merge write these.
_INSERT_OP = insert(_OP)
_INSERT_REG = insert(_REG)
_DELETE_REG = delete(_REG).where(
    _REG.c.session_id == bindparam("s"), _REG.c.target == bindparam("t"), _REG.c.writer_id == bindparam("w"),
    _REG.c.seq == bindparam("q"))


# Statements of the hot paths, built once with their parameters named.
_MAX_SEQ = select(func.max(_OP.c.seq)).where(_OP.c.writer_id == bindparam("writer"))
_MAX_HLC = select(func.max(_OP.c.hlc))
_VERSION_VECTOR = (select(_OP.c.writer_id, func.max(_OP.c.seq)).where(_OP.c.session_id == bindparam("sid"))
                   .group_by(_OP.c.writer_id))
_PAYLOAD = select(_OP.c.session_id, _OP.c.target, _OP.c.value, _OP.c.vv, _OP.c.hlc).where(
    _OP.c.writer_id == bindparam("writer"), _OP.c.seq == bindparam("seq"))
_ONE_REGISTER = (_REG.c.session_id == bindparam("sid"), _REG.c.target == bindparam("target"))
_REGISTER_SEEN = select(_REG.c.writer_id, _REG.c.seq, _REG.c.vv).where(*_ONE_REGISTER)
_REGISTER_VALUES = (select(_REG.c.writer_id, _REG.c.seq, _REG.c.value, _REG.c.hlc).where(*_ONE_REGISTER)
                    .order_by(_REG.c.hlc))
_REGISTERS = (select(_REG.c.target, _REG.c.writer_id, _REG.c.seq, _REG.c.value, _REG.c.hlc)
              .where(_REG.c.session_id == bindparam("sid")).order_by(_REG.c.target, _REG.c.hlc))
_REGISTERS_FROM = _REGISTERS.where(_REG.c.target >= bindparam("low"), _REG.c.target < bindparam("high"))
_REGISTERS_BUT = _REGISTERS.where(or_(_REG.c.target < bindparam("low"), _REG.c.target >= bindparam("high")))


def _after(prefix: str) -> str:
    """The first text after every text that starts with ``prefix`` (its last character plus one)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class OpLog:
    """Appends and applies ops on one database; every public write runs in a transaction."""

    def __init__(self, db: Database, writer_id: str) -> None:
        self.db = db
        self.writer_id = writer_id
        self._seq = 0
        self.clock = HybridClock(writer_id)
        self._vv: dict[str, VersionVector] = {}
        #: ``PRAGMA data_version`` when the caches were last filled; None until the first transaction fills them.
        self._data_version: int | None = None

    def _max_seq(self) -> int:
        return int(self.db.execute(_MAX_SEQ, {"writer": self.writer_id}).scalar() or 0)

    def outside_changes(self) -> int:
        """SQLite's ``data_version``: it moves when another connection commits to the database."""
        return self._db_version()

    def _db_version(self) -> int:
        return int(self.db.pragma("data_version"))

    def _catch_up(self) -> None:
        """Take the next sequence number, and refresh the cached version vectors and clock, under the write lock.

        Other processes and windows on the same database share this writer id. Only inside ``BEGIN IMMEDIATE``
        can nobody commit between reading ``MAX(seq)`` and writing ``seq + 1``; read anywhere else, another
        process's commit can slip in between and the same ``seq`` is handed out twice (the insert fails), or
        an op is written without having seen the ones before it (a false conflict). ``MAX(seq)`` is one look-up
        in the primary key, so it is read every time; the version vectors and the clock only when someone
        else has committed since they were read.
        """
        self._seq = self._max_seq()
        version = self._db_version()
        if version == self._data_version:
            return
        self._data_version = version
        self._vv.clear()
        last = self.db.execute(_MAX_HLC).scalar()
        if last:
            self.clock.observe(last)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One user action: everything inside commits together or not at all.

        SQLite's errors about the file arrive as the store's own (store/errors.py, raised by
        :class:`~wat_tui.store.engine.Database`): a write that cannot take the lock in time is
        :class:`StoreBusy`, a full disk :class:`StoreFull`, a read-only file :class:`StoreReadOnly`, a damaged
        one :class:`StoreDamaged`, each naming the database. Nothing was changed then, so the caller may simply
        do the same action again.
        """
        if self.db.in_transaction:
            yield
            return
        self.db.begin_write()
        try:
            self._catch_up()
            yield
            # Inside the try: if COMMIT itself fails, roll back too, or every later action would nest into
            # this dead transaction and never commit.
            self.db.commit()
        except BaseException:
            self.db.rollback()
            self._vv.clear()
            self._data_version = None  # what was cached inside the rolled-back transaction is not true
            raise

    def version_vector(self, session_id: str) -> VersionVector:
        vv = self._vv.get(session_id)
        if vv is None:
            rows = self.db.execute(_VERSION_VECTOR, {"sid": session_id})
            vv = self._vv[session_id] = {w: s for w, s in rows}
        return vv

    def write(self, session_id: str, target: str, value: Any) -> Op:
        """A local edit: a new op that has seen everything this database knows of the session."""
        if not self.db.in_transaction:  # the sequence number must be taken under the write lock
            with self.transaction():
                return self.write(session_id, target, value)
        self._seq += 1
        op = Op(
            writer_id=self.writer_id,
            seq=self._seq,
            session_id=session_id,
            target=target,
            value=value,
            vv=dict(self.version_vector(session_id)),
            hlc=self.clock.tick(),
        )
        self._store(op)
        self.apply(op)
        return op

    def _store(self, op: Op) -> None:
        self.db.execute_many(_INSERT_OP, [
            (op.writer_id, op.seq, op.session_id, op.target, canonical(op.value), canonical(op.vv), op.hlc,
             op.source, canonical(op.extra))])
        vv = self.version_vector(op.session_id)
        if vv.get(op.writer_id, 0) < op.seq:
            vv[op.writer_id] = op.seq

    def ingest(self, op: Op) -> bool:
        """Add a foreign op; False when it was already here. A reused id with another payload raises."""
        if not self.db.in_transaction:
            with self.transaction():
                return self.ingest(op)
        row = self.db.execute(_PAYLOAD, {"writer": op.writer_id, "seq": op.seq}).first()
        if row is not None:
            stored = (row[0], row[1], canonical(json.loads(row[2])), canonical(json.loads(row[3])), row[4])
            if stored != op.payload():
                raise ValueError(f"operation {op.writer_id}:{op.seq} arrived with a different payload")
            return False
        self._store(op)
        self.clock.observe(op.hlc)
        self.apply(op)
        return True

    def apply(self, op: Op) -> None:
        """Fold one op into its register: drop what it saw, keep it unless a current value saw it."""
        rows = self.db.execute(_REGISTER_SEEN, {"sid": op.session_id, "target": op.target}).all()
        for _, _, vv_text in rows:
            if json.loads(vv_text).get(op.writer_id, 0) >= op.seq:
                return  # a value already here has seen this op: it arrives late and is superseded
        superseded = [(op.session_id, op.target, w, s) for w, s, _ in rows if op.saw(w, s)]
        self.db.execute_many(_DELETE_REG, superseded)
        self.db.execute_many(_INSERT_REG, [
            (op.session_id, op.target, op.writer_id, op.seq, canonical(op.value), canonical(op.vv), op.hlc)])

    def values(self, session_id: str, target: str) -> list[Value]:
        """The register's current values, oldest first; equal values collapse into the newest."""
        rows = self.db.execute(_REGISTER_VALUES, {"sid": session_id, "target": target})
        return collapse(Value(w, s, json.loads(v), h) for w, s, v, h in rows)

    def registers(self, session_id: str, prefix: str = "", *, skip: str = "") -> dict[str, list[Value]]:
        """Every register of a session whose target starts with ``prefix``, except those starting with ``skip``
        (left unread and undecoded: a milestone holds a whole snapshot, and the workspace reads the session
        after every key)."""
        # The range ends just after the prefix (its last character plus one), not at prefix + U+FFFF: a key
        # such as a participant's name may continue with characters beyond U+FFFF (an emoji).
        if prefix and ord(prefix[-1]) < 0x10FFFF:
            rows = self.db.execute(_REGISTERS_FROM, {
                "sid": session_id, "low": prefix, "high": _after(prefix)}).all()
        elif skip and ord(skip[-1]) < 0x10FFFF:
            rows = self.db.execute(_REGISTERS_BUT, {"sid": session_id, "low": skip, "high": _after(skip)}).all()
        else:
            rows = self.db.execute(_REGISTERS, {"sid": session_id}).all()
        grouped: dict[str, list[Value]] = {}
        for t, w, s, v, h in rows:
            if t.startswith(prefix) and not (skip and t.startswith(skip)):
                grouped.setdefault(t, []).append(Value(w, s, json.loads(v), h))
        return {t: collapse(vs) for t, vs in grouped.items()}

    def ops(self, session_id: str) -> list[Op]:
        rows = self.db.execute(select(
            _OP.c.writer_id, _OP.c.seq, _OP.c.target, _OP.c.value, _OP.c.vv, _OP.c.hlc, _OP.c.source, _OP.c.extra,
        ).where(_OP.c.session_id == session_id).order_by(_OP.c.writer_id, _OP.c.seq)).all()
        return [
            Op(w, s, session_id, t, json.loads(v), json.loads(vv), h, src, json.loads(ex))
            for w, s, t, v, vv, h, src, ex in rows
        ]

    def rebuild(self, session_id: str) -> None:
        """Recompute the registers from the log (used by tests and benchmarks to check materialisation)."""
        with self.transaction():
            self.db.execute(delete(_REG).where(_REG.c.session_id == session_id))
            for op in self.ops(session_id):
                self.apply(op)

    def ingest_many(self, ops: Iterable[Op]) -> list[Op]:
        """Add a batch of foreign ops (a merge): the same result as :meth:`ingest` one by one, in that order.

        A merge brings tens of thousands of ops; a statement per op and per register row would blow the merge
        budget, so this checks ids per writer in one query, inserts with ``executemany`` and folds each
        touched register in memory with the same rule as :meth:`apply`. Returns the ops that were new. A
        reused id with another payload raises ValueError before anything is written.
        """
        if not self.db.in_transaction:
            with self.transaction():
                return self.ingest_many(ops)
        batch: dict[tuple[str, int], Op] = {}
        for op in ops:
            key = (op.writer_id, op.seq)
            seen = batch.get(key)
            if seen is None:
                batch[key] = op
            elif seen is not op and seen.payload() != op.payload():
                raise ValueError(f"operation {op.writer_id}:{op.seq} arrived with a different payload")
        by_writer: dict[str, list[int]] = {}
        for w, s in batch:
            by_writer.setdefault(w, []).append(s)
        present: set[tuple[str, int]] = set()
        for w, seqs in by_writer.items():
            rows = self.db.execute(select(
                _OP.c.seq, _OP.c.session_id, _OP.c.target, _OP.c.value, _OP.c.vv, _OP.c.hlc,
            ).where(_OP.c.writer_id == w, _OP.c.seq.between(min(seqs), max(seqs)))).all()
            for seq, sid, target, value, vv, hlc in rows:
                found = batch.get((w, seq))
                if found is None:
                    continue
                payload = found.payload()
                if (sid, target, value, vv, hlc) != payload and (
                    sid, target, canonical(json.loads(value)), canonical(json.loads(vv)), hlc
                ) != payload:
                    raise ValueError(f"operation {w}:{seq} arrived with a different payload")
                present.add((w, seq))
        new = [op for key, op in batch.items() if key not in present] if present else list(batch.values())
        if not new:
            return []
        stored = [(op.writer_id, op.seq, op.session_id, op.target, canonical(op.value), canonical(op.vv),
                   op.hlc, op.source, canonical(op.extra) if op.extra else "{}") for op in new]
        self.db.execute_many(_INSERT_OP, stored)
        for op in new:
            vv = self.version_vector(op.session_id)
            if vv.get(op.writer_id, 0) < op.seq:
                vv[op.writer_id] = op.seq
        self.clock.observe(max(op.hlc for op in new))
        self._apply_many(new, stored)
        return new

    def _apply_many(self, ops: list[Op], stored: list[tuple[str, int, str, str, str, str, str, str, str]]
                    ) -> None:
        """:meth:`apply` for a batch: read each touched register once, fold in memory, write back changes.

        ``stored`` holds each op's row as inserted (its canonical value and version vector text).
        """
        groups: dict[tuple[str, str], list[int]] = {}
        for i, op in enumerate(ops):
            groups.setdefault((op.session_id, op.target), []).append(i)
        current: dict[tuple[str, str], dict[tuple[str, int], VersionVector]] = {key: {} for key in groups}
        if len(groups) < 200:
            for sid, target in groups:
                for w, s, vv_text in self.db.execute(_REGISTER_SEEN, {"sid": sid, "target": target}):
                    current[(sid, target)][(w, s)] = json.loads(vv_text)
        else:
            for sid in {sid for sid, _ in groups}:
                for target, w, s, vv_text in self.db.execute(select(
                        _REG.c.target, _REG.c.writer_id, _REG.c.seq, _REG.c.vv).where(_REG.c.session_id == sid)):
                    found = current.get((sid, target))
                    if found is not None:
                        found[(w, s)] = json.loads(vv_text)
        deletes: list[tuple[str, str, str, int]] = []
        inserts: list[tuple[str, str, str, int, str, str, str]] = []
        for (sid, target), indexes in groups.items():
            regs = current[(sid, target)]
            before = set(regs)
            added: dict[tuple[str, int], int] = {}
            for i in indexes:
                op = ops[i]
                w, s, op_vv = op.writer_id, op.seq, op.vv
                if not regs:  # the common case: a new note or item, or the first value of a register
                    regs[(w, s)] = op_vv
                    added[(w, s)] = i
                    continue
                late = False
                for vv in regs.values():
                    if vv.get(w, 0) >= s:
                        late = True  # a value already here has seen this op
                        break
                if late:
                    continue
                for rid in [rid for rid in regs if op_vv.get(rid[0], 0) >= rid[1]]:
                    del regs[rid]
                    added.pop(rid, None)
                regs[(w, s)] = op_vv
                added[(w, s)] = i
            if before:
                deletes.extend((sid, target, w, s) for w, s in before - regs.keys())
            for (w, s), i in added.items():
                row = stored[i]
                inserts.append((sid, target, w, s, row[4], row[5], row[6]))
        self.db.execute_many(_DELETE_REG, deletes)
        self.db.execute_many(_INSERT_REG, inserts)


def collapse(values: Iterable[Value]) -> list[Value]:
    out: list[Value] = []
    for v in values:
        same = [i for i, o in enumerate(out) if canonical(o.value) == canonical(v.value)]
        if same:
            out[same[0]] = max(out[same[0]], v, key=lambda x: x.hlc)
        else:
            out.append(v)
    return out
