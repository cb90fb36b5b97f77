"""The merge laws, proven over generated histories of three laptops editing one session at once.

Each laptop is its own data directory, database and writer id; edits go through the Review facade (answers,
notes, action items, deletions included) and travel only as exported bundle files. Whatever happened, merging is
commutative, associative and idempotent; no operation is ever lost; nothing is picked silently (the registers
hold exactly the operations that no other operation on the same target had seen, and every such register with
differing values is listed as a conflict); and a resolution, once shared, clears the conflict everywhere.
"""

from __future__ import annotations

import shutil
import tempfile
from itertools import count
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.support import raw_sql
from tests.test_bundle import LENS, dump
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.conflicts import keep_value, open_conflicts
from wat_tui.exchange.merge import merge_files
from wat_tui.review.service import Review
from wat_tui.review.state import ACTION_STATUSES, Answer
from wat_tui.store.oplog import canonical

WORDS = st.sampled_from(["yes", "no", "later"])  # few values, so equal concurrent edits also happen
ANSWER = st.tuples(st.just("answer"), st.integers(0, 1), st.integers(0, 7))
EDITS = st.one_of(
    ANSWER,
    ANSWER,
    st.tuples(st.just("clear"), st.integers(0, 1)),
    st.tuples(st.just("note"), st.integers(0, 1), WORDS),
    st.tuples(st.just("edit_note"), st.integers(0, 9), WORDS),
    st.tuples(st.just("edit_note"), st.just(0), WORDS),
    st.tuples(st.just("delete_note"), st.integers(0, 9)),
    st.tuples(st.just("action"), WORDS),
    st.tuples(st.just("edit_action"), st.integers(0, 9), st.sampled_from(["title", "owner", "status"]), WORDS),
    st.tuples(st.just("delete_action"), st.integers(0, 9)),
)
EDIT_STEP = st.tuples(st.just("edit"), st.integers(0, 2), EDITS)
SYNC_STEP = st.tuples(st.just("sync"), st.integers(0, 2), st.integers(1, 2))  # to (src + 1 or 2) % 3
STEPS = st.lists(st.one_of(EDIT_STEP, EDIT_STEP, EDIT_STEP, SYNC_STEP), min_size=4, max_size=16)


class Laptops:
    """Laptops sharing one session, prepared on the first and handed to the others as a bundle."""

    def __init__(self, root: Path, n: int = 3) -> None:
        self.root = root
        self.files = count()
        self.reviews = [Review.open(root / f"laptop{i}") for i in range(n)]
        lead = self.reviews[0]
        self.sid = lead.create_session("Laws", lenses=[LENS])
        lens = lead.state(self.sid).lenses[0]
        self.questions = [(q.id, [c.id for c in q.choices][:3]) for q in lens.questions[:2]]
        # Prepared before handing out, so every laptop can edit and delete the same note and item.
        lead.add_note(self.sid, f"{LENS}/{self.questions[0][0]}", "lead", "agenda")
        lead.add_action(self.sid, "follow up", owner="lead")
        start = self.export(0)
        for r in self.reviews[1:]:
            merge_files(r, [start])

    def export(self, i: int) -> Path:
        path = self.root / f"bundle{next(self.files)}-from-{i}.json"
        write_bundle(self.reviews[i], self.sid, path)
        return path

    def fresh(self, name: str) -> Review:
        return Review.open(self.root / name)

    def sync(self, src: int, dst: int) -> None:
        if src != dst:
            merge_files(self.reviews[dst], [self.export(src)])

    def full_exchange(self) -> None:
        for i in range(1, len(self.reviews)):
            self.sync(i, 0)
        for i in range(1, len(self.reviews)):
            self.sync(0, i)

    def edit(self, i: int, edit: tuple[Any, ...]) -> None:
        r, sid = self.reviews[i], self.sid
        state = r.state(sid)
        kind = edit[0]
        if kind in ("answer", "clear"):
            qid, choices = self.questions[edit[1]]
            picked = tuple(c for j, c in enumerate(choices) if kind == "answer" and edit[2] >> j & 1)
            r.set_answer(sid, LENS, qid, Answer(picked))
        elif kind == "note":
            r.add_note(sid, f"{LENS}/{self.questions[edit[1]][0]}", f"writer {i}", edit[2])
        elif kind in ("edit_note", "delete_note") and state.notes:
            note = state.notes[edit[1] % len(state.notes)]
            if kind == "edit_note":
                r.edit_note(sid, note.id, edit[2])
            else:
                r.delete_note(sid, note.id)
        elif kind == "action":
            r.add_action(sid, edit[1], owner=f"writer {i}")
        elif kind in ("edit_action", "delete_action") and state.actions:
            item = state.actions[edit[1] % len(state.actions)]
            if kind == "delete_action":
                r.delete_action(sid, item.id)
            else:
                value = ACTION_STATUSES[len(edit[3]) % 3] if edit[2] == "status" else edit[3]
                r.edit_action(sid, item.id, **{edit[2]: value})

    def close(self) -> None:
        for r in self.reviews:
            r.close()


def ops(review: Review, sid: str) -> set[tuple[Any, ...]]:
    return set(raw_sql(
        review, "SELECT writer_id, seq, target, value, vv, hlc FROM operation WHERE session_id=?", (sid,)))


def registers(review: Review, sid: str) -> list[tuple[Any, ...]]:
    return raw_sql(
        review, "SELECT target, writer_id, seq, value FROM register WHERE session_id=? ORDER BY 1, 2, 3", (sid,))


def same(a: Review, b: Review, sid: str) -> None:
    assert ops(a, sid) == ops(b, sid)
    assert registers(a, sid) == registers(b, sid)


def check_no_silent_pick(review: Review, sid: str) -> None:
    """Registers hold exactly the ops no other op on their target saw; differing ones are listed as conflicts."""
    log = review.ops(sid)
    expected = sorted(
        (op.target, op.writer_id, op.seq, canonical(op.value)) for op in log
        if not any(o.target == op.target and o is not op and o.saw(op.writer_id, op.seq) for o in log)
    )
    assert registers(review, sid) == expected
    differing: dict[str, set[str]] = {}
    for target, _, _, value in expected:
        differing.setdefault(target, set()).add(value)
    assert {c.target for c in open_conflicts(review, sid)} == {t for t, vs in differing.items() if len(vs) > 1}


def run_history(laptops: Laptops, steps: list[tuple[Any, ...]]) -> None:
    for step in steps:
        if step[0] == "edit":
            laptops.edit(step[1], step[2])
        else:
            laptops.sync(step[1], (step[1] + step[2]) % 3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
@example(steps=[  # every kind of conflict at once: an answer, a note edited twice, an edit against a delete
    ("edit", 0, ("answer", 0, 1)), ("edit", 1, ("answer", 0, 2)), ("edit", 2, ("edit_note", 0, "yes")),
    ("edit", 1, ("edit_note", 0, "no")), ("edit", 0, ("delete_action", 0)),
    ("edit", 2, ("edit_action", 0, "title", "later")), ("sync", 0, 1),
])
def test_merge_laws(steps: list[tuple[Any, ...]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="laws-"))
    laptops = Laptops(root)
    try:
        run_history(laptops, steps)
        sid = laptops.sid
        a, b, c = (laptops.export(i) for i in range(3))
        left = laptops.fresh("left")  # ((A + B) + C), one file at a time
        for f in (a, b, c):
            merge_files(left, [f])
        reverse = laptops.fresh("reverse")  # C, B, A in one merge
        merge_files(reverse, [c, b, a])
        pair = laptops.fresh("pair")  # A + (B + C)
        merge_files(pair, [b, c])
        bc = root / "bc.json"
        write_bundle(pair, sid, bc)
        right = laptops.fresh("right")
        merge_files(right, [a, bc])
        same(left, reverse, sid)  # commutative
        same(left, right, sid)  # associative
        assert ops(left, sid) == set().union(*(ops(r, sid) for r in laptops.reviews))  # nothing lost
        check_no_silent_pick(left, sid)
        for r in laptops.reviews:
            check_no_silent_pick(r, sid)
        before = dump(root / "left")
        merge_files(left, [a, c])  # idempotent: the same files again change nothing at all
        assert dump(root / "left") == before
        event(f"conflicts after the merge: {min(len(open_conflicts(left, sid)), 3)}+")
        open_before = open_conflicts(left, sid)
        for conflict in open_before:  # resolve everything on one laptop, one by one, then share
            v = conflict.values[0]
            keep_value(left, sid, conflict.target, v.writer_id, v.seq)
            still = {c.target for c in open_conflicts(left, sid)}
            assert conflict.target not in still
            assert still == {c.target for c in open_before[open_before.index(conflict) + 1:]}  # no side effects
        resolved = root / "resolved.json"
        write_bundle(left, sid, resolved)
        for r in laptops.reviews:
            merge_files(r, [resolved])
            assert open_conflicts(r, sid) == []
            same(r, left, sid)
        for r in (left, reverse, pair, right):
            r.close()
    finally:
        laptops.close()
        shutil.rmtree(root, ignore_errors=True)


class ExchangeMachine(RuleBasedStateMachine):
    """Random edits, exports, imports and resolutions across three laptops; a full exchange always converges."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="exchange-"))
        self.laptops = Laptops(self.root)

    @rule(i=st.integers(0, 2), edit=EDITS)
    def edit(self, i: int, edit: tuple[Any, ...]) -> None:
        self.laptops.edit(i, edit)

    @rule(src=st.integers(0, 2), dst=st.integers(0, 2))
    def exchange_one_file(self, src: int, dst: int) -> None:
        self.laptops.sync(src, dst)

    @rule(i=st.integers(0, 2), pick=st.integers(0, 5))
    def resolve_one(self, i: int, pick: int) -> None:
        conflicts = open_conflicts(self.laptops.reviews[i], self.laptops.sid)
        if conflicts:
            c = conflicts[pick % len(conflicts)]
            v = c.values[pick % len(c.values)]
            keep_value(self.laptops.reviews[i], self.laptops.sid, c.target, v.writer_id, v.seq)

    @precondition(lambda self: True)
    @rule(i=st.integers(0, 2))
    def resolve_everything_and_share(self, i: int) -> None:
        sid, reviews = self.laptops.sid, self.laptops.reviews
        self.laptops.full_exchange()
        while conflicts := open_conflicts(reviews[i], sid):
            c = conflicts[0]
            keep_value(reviews[i], sid, c.target, c.values[-1].writer_id, c.values[-1].seq)
        for j in range(3):
            self.laptops.sync(i, j)
            assert open_conflicts(reviews[j], sid) == []

    @invariant()
    def nothing_is_picked_silently(self) -> None:
        for r in self.laptops.reviews:
            check_no_silent_pick(r, self.laptops.sid)

    def teardown(self) -> None:
        try:
            self.laptops.full_exchange()
            first, *others = self.laptops.reviews
            for r in others:
                same(first, r, self.laptops.sid)
                assert r.state(self.laptops.sid).answers == first.state(self.laptops.sid).answers
        finally:
            self.laptops.close()
            shutil.rmtree(self.root, ignore_errors=True)


ExchangeMachine.TestCase.settings = settings(max_examples=15, stateful_step_count=16, deadline=None,
                                             suppress_health_check=[HealthCheck.too_slow])
TestExchangeMachine = ExchangeMachine.TestCase
