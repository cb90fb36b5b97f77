"""Laws of the operation log: what makes merging two rooms' work safe.

Three writers edit copies of one session and exchange their logs in random orders. Whatever the order,
every replica ends with the same registers, equal to an independent reference (the ops on a target that no
other op on that target had seen); nothing is lost, re-ingesting changes nothing, and rebuilding from the
log agrees with incremental application.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wat_tui.store.db import prepare_database
from wat_tui.store.engine import Database
from wat_tui.store.oplog import HybridClock, Op, OpLog, canonical

SID = "00000000-0000-4000-8000-000000000001"
WRITERS = ("writer-a", "writer-b", "writer-c")
TARGETS = ("answer/wa/q1", "answer/wa/q2", "note/n1", "action/x1/title")
VALUES = ("x", "y", {"selected": ["c1"]}, None)  # None is a tombstone


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once to head with one session row; every replica is an in-memory copy of it."""
    path = tmp_path_factory.mktemp("oplog") / "template.sqlite3"
    prepare_database(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO session(id, name, workload, workload_type, planned_minutes, created_at)"
                 " VALUES (?, 'laws', '', 'general', 60, '2026-01-01T00:00:00+00:00')", (SID,))
    conn.commit()
    conn.close()
    return path


def replica(template: Path, writer: str) -> OpLog:
    src = sqlite3.connect(template)
    database = Database(Path(":memory:"))  # the store's engine and pragmas, on an in-memory copy
    src.backup(database.driver)
    src.close()
    return OpLog(database, writer)


def raw_registers(log: OpLog) -> list[tuple[Any, ...]]:
    return log.db.driver.execute(
        "SELECT session_id, target, writer_id, seq, value, vv, hlc FROM register ORDER BY 1, 2, 3, 4"
    ).fetchall()


def shown(log: OpLog) -> dict[str, list[str]]:
    """What a screen would show: each register's current values, equal ones collapsed, order-free."""
    return {t: sorted(canonical(v.value) for v in vs) for t, vs in log.registers(SID).items()}


def log_set(log: OpLog) -> dict[tuple[str, int], tuple[str, ...]]:
    return {op.id: op.payload() for op in log.ops(SID)}


def reference(ops: list[Op]) -> set[tuple[str, str, int]]:
    """Independent oracle: an op stays in its register unless another op on the same target had seen it."""
    return {
        (o.target, o.writer_id, o.seq) for o in ops
        if not any(p is not o and p.target == o.target and p.saw(o.writer_id, o.seq) for p in ops)
    }


def sync(dst: OpLog, src: OpLog, order: list[int]) -> None:
    ops = src.ops(SID)
    with dst.transaction():
        for i in order:
            if i < len(ops):
                dst.ingest(ops[i])
        for op in ops:  # the rest, so a sync always delivers the whole log (a bundle carries it whole)
            dst.ingest(op)


steps = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 2), st.sampled_from(TARGETS), st.sampled_from(VALUES)),
        st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2), st.permutations(range(40))),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=steps, final_orders=st.lists(st.permutations(range(120)), min_size=4, max_size=4))
def test_replicas_converge_lose_nothing_and_match_reference(
    template: Path, history: list[tuple[Any, ...]], final_orders: list[list[int]]
) -> None:
    logs = [replica(template, w) for w in WRITERS]
    for step in history:
        if step[0] == "write":
            _, who, target, value = step
            with logs[who].transaction():
                logs[who].write(SID, target, value)
        else:
            _, dst, src, order = step
            if dst != src:
                sync(logs[dst], logs[src], list(order))
    union: dict[tuple[str, int], Op] = {}
    for log in logs:
        union.update({op.id: op for op in log.ops(SID)})
    written = sum(1 for s in history if s[0] == "write")
    assert len(union) == written  # every write is an op, none duplicated

    # Everyone receives everything, each in its own order.
    all_ops = sorted(union.values(), key=lambda o: o.id)
    for log, order in zip(logs, final_orders, strict=False):
        with log.transaction():
            for i in order:
                if i < len(all_ops):
                    log.ingest(all_ops[i])
            for op in all_ops:
                log.ingest(op)
    # A fresh database that never wrote anything, fed in yet another order.
    fresh = replica(template, "writer-fresh")
    with fresh.transaction():
        for i in final_orders[3]:
            if i < len(all_ops):
                fresh.ingest(all_ops[i])
        for op in all_ops:
            fresh.ingest(op)

    expected = reference(all_ops)
    first = raw_registers(logs[0])
    for log in [*logs, fresh]:
        assert log_set(log) == {op.id: op.payload() for op in all_ops}  # log = union
        assert raw_registers(log) == first  # order did not matter
        assert {(t, w, s) for _, t, w, s, *_ in raw_registers(log)} == expected
        assert shown(log) == shown(logs[0])

    # Idempotent: the same ops again change nothing.
    dump = list(logs[1].db.driver.iterdump())
    with logs[1].transaction():
        assert not any(logs[1].ingest(op) for op in all_ops)
    assert list(logs[1].db.driver.iterdump()) == dump

    # Rebuilding from the log gives what incremental application gave.
    logs[2].rebuild(SID)
    assert raw_registers(logs[2]) == first

    # Anyone who has seen everything resolves each register to one value; sharing that clears it everywhere.
    with logs[0].transaction():
        for target in TARGETS:
            logs[0].write(SID, target, "agreed")
    sync(logs[1], logs[0], [])
    assert all(len(vs) == 1 for vs in logs[1].registers(SID).values())
    assert {t: [v.value for v in vs] for t, vs in logs[1].registers(SID).items()} == dict.fromkeys(
        TARGETS, ["agreed"])


@pytest.fixture
def pair(template: Path) -> Iterator[tuple[OpLog, OpLog]]:
    a, b = replica(template, "writer-a"), replica(template, "writer-b")
    yield a, b
    a.db.close()
    b.db.close()


def write(log: OpLog, target: str, value: Any) -> Op:
    with log.transaction():
        return log.write(SID, target, value)


def exchange(a: OpLog, b: OpLog) -> None:
    sync(a, b, [])
    sync(b, a, [])


def test_concurrent_different_writes_are_a_conflict_with_both_values(pair: tuple[OpLog, OpLog]) -> None:
    a, b = pair
    write(a, "answer/wa/q1", "from a")
    write(b, "answer/wa/q1", "from b")
    exchange(a, b)
    for log in pair:
        assert sorted(v.value for v in log.values(SID, "answer/wa/q1")) == ["from a", "from b"]


def test_equal_concurrent_writes_collapse(pair: tuple[OpLog, OpLog]) -> None:
    a, b = pair
    write(a, "answer/wa/q1", {"selected": ["c1", "c2"]})
    write(b, "answer/wa/q1", {"selected": ["c1", "c2"]})
    exchange(a, b)
    for log in pair:
        assert [v.value for v in log.values(SID, "answer/wa/q1")] == [{"selected": ["c1", "c2"]}]
        # Both ops are still in the register (so neither writer's history is lost), shown as one value.
        assert len(raw_registers(log)) == 2


def test_an_edit_after_seeing_a_conflict_resolves_it_everywhere(pair: tuple[OpLog, OpLog]) -> None:
    a, b = pair
    write(a, "note/n1", {"body": "a"})
    write(b, "note/n1", {"body": "b"})
    exchange(a, b)
    write(b, "note/n1", {"body": "a and b"})
    assert [v.value for v in b.values(SID, "note/n1")] == [{"body": "a and b"}]
    sync(a, b, [])
    assert [v.value for v in a.values(SID, "note/n1")] == [{"body": "a and b"}]


def test_a_sequential_edit_supersedes_without_conflict(pair: tuple[OpLog, OpLog]) -> None:
    a, b = pair
    write(a, "answer/wa/q2", "first")
    sync(b, a, [])
    write(b, "answer/wa/q2", "second")
    exchange(a, b)
    for log in pair:
        assert [v.value for v in log.values(SID, "answer/wa/q2")] == ["second"]


def test_a_delete_concurrent_with_an_edit_is_a_conflict(pair: tuple[OpLog, OpLog]) -> None:
    a, b = pair
    write(a, "note/n1", {"body": "draft"})
    sync(b, a, [])
    write(a, "note/n1", None)
    write(b, "note/n1", {"body": "edited"})
    exchange(a, b)
    for log in pair:
        values = [v.value for v in log.values(SID, "note/n1")]
        assert len(values) == 2
        assert None in values and {"body": "edited"} in values


def test_a_reused_op_id_with_another_payload_raises_and_changes_nothing(pair: tuple[OpLog, OpLog]) -> None:
    a, b = pair
    op = write(a, "answer/wa/q1", "genuine")
    sync(b, a, [])
    dump = list(b.db.driver.iterdump())
    forged = Op(op.writer_id, op.seq, SID, op.target, "forged", op.vv, op.hlc)
    with pytest.raises(ValueError, match="different payload"), b.transaction():
        b.ingest(forged)
    assert list(b.db.driver.iterdump()) == dump
    with b.transaction():
        assert b.ingest(op) is False  # the genuine one again is simply already here


def test_a_late_superseded_op_does_not_come_back(pair: tuple[OpLog, OpLog]) -> None:
    a, b = pair
    old = write(a, "answer/wa/q1", "old")
    new = write(a, "answer/wa/q1", "new")
    with b.transaction():
        assert b.ingest(new) is True
        assert b.ingest(old) is True
    assert [v.value for v in b.values(SID, "answer/wa/q1")] == ["new"]
    assert {o.id for o in b.ops(SID)} == {old.id, new.id}


def test_local_seq_counts_up_and_version_vector_includes_foreign_ops(pair: tuple[OpLog, OpLog]) -> None:
    a, b = pair
    first, second = write(a, "note/n1", "1"), write(a, "note/n1", "2")
    assert (first.seq, second.seq) == (1, 2)
    assert second.vv == {"writer-a": 1}
    sync(b, a, [])
    mine = write(b, "note/n2", "b")
    assert mine.id == ("writer-b", 1)
    assert mine.vv == {"writer-a": 2}


def test_hybrid_clock_is_monotonic_and_follows_what_it_observed(data_dir: Path) -> None:
    now = [1_000]
    clock = HybridClock("w", now_ms=lambda: now[0])
    first, second = clock.tick(), clock.tick()
    assert first < second  # same millisecond: the counter breaks the tie
    clock.observe("0000000005000-00003-other")
    later = clock.tick()
    assert later > "0000000005000-00003-other"
    now[0] = 9_000
    assert clock.tick() > later
    resumed = HybridClock("w", last=later, now_ms=lambda: 0)
    assert resumed.tick() > later


def test_hybrid_clock_stays_ordered_when_its_counter_would_overflow(data_dir: Path) -> None:
    """After observing a clock far ahead, every tick bumps the counter; the text order must still hold."""
    clock = HybridClock("w", now_ms=lambda: 0)
    clock.observe("9000000000000-99998-other")
    stamps = [clock.tick() for _ in range(4)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    assert all(len(s.split("-")[1]) == 5 for s in stamps)


def test_registers_by_prefix_include_keys_beyond_the_basic_plane(pair: tuple[OpLog, OpLog]) -> None:
    a, _ = pair
    for target in ("participant/😀 ana", "participant/ben", "participant/\uffffx", "participantz", "note/1"):
        write(a, target, target)
    assert sorted(a.registers(SID, "participant/")) == ["participant/ben", "participant/\uffffx",
                                                        "participant/😀 ana"]
    assert len(a.registers(SID)) == 5
