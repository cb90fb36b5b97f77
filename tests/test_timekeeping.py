"""Timers, pacing, alerts and the parking lot, with an injected clock: nothing here sleeps."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.clocks import FakeClock
from tests.support import raw_write
from wat_tui.errors import NotFound, WatError
from wat_tui.review.agenda import Block, set_block_minutes, total_minutes
from wat_tui.review.clock import (
    MAX_RATE,
    AlertTracker,
    ClockStrip,
    Interval,
    SystemClock,
    Timeline,
    clock_strip,
    covered,
    pace,
    utc,
)
from wat_tui.review.service import Review
from wat_tui.review.timekeeping import (
    current_block,
    enter_block,
    intervals,
    load_agenda,
    load_timeline,
    park_question,
    parking_lot,
    pause,
    resume,
    save_agenda,
    set_question,
    start_session_clock,
    stored_agenda,
    time_report,
    unpark_question,
)

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
WA = "wellarchitected"
COST_Q = [
    "cloud-financial-management", "govern-usage", "monitor-usage", "decomissioning-resources",
    "select-service", "type-size-number-resources", "pricing-model", "data-transfer",
    "manage-demand-resources", "evaluate-new-services-review", "evaluate-cost-effort",
]
LOW_ONLY = f"{WA}/evaluate-cost-effort"  # its one practice is LOW risk


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


def make(review: Review, minutes: int = 300) -> str:
    return review.create_session("Timers", workload_type="general", planned_minutes=minutes, lenses=(WA,))


def strip(review: Review, sid: str, clock: FakeClock) -> ClockStrip:
    return clock_strip(load_timeline(review, sid, live=True), clock.now())


def small_agenda(review: Review, sid: str) -> list[Block]:
    """Opening 10 min, the cost pillar 22 min (11 questions: 2 min each), wrap-up 8 min."""
    blocks = [Block("open", "opening", "Opening", 10),
              Block("cost", "pillar", "Cost", 22, "costOptimization", WA),
              Block("wrap", "wrapup", "Wrap-up", 8)]
    save_agenda(review, sid, blocks)
    return blocks


def answer(review: Review, sid: str, qid: str) -> None:
    q = review.state(sid).lens(WA).question(qid)  # type: ignore[union-attr]
    assert q is not None
    review.toggle_choice(sid, WA, qid, q.choices[0].id)


def timer_ops(review: Review, sid: str) -> int:
    return sum(1 for op in review.ops(sid) if op.target.startswith("timer/"))


# -- agenda storage ------------------------------------------------------------------------------------------


def test_agenda_is_proposed_until_saved_and_saving_is_undoable(review: Review) -> None:
    sid = make(review)
    proposal = load_agenda(review, sid)
    assert load_agenda(review, sid) == proposal  # stable ids: the screen and the clock agree
    assert stored_agenda(review, sid) is None and total_minutes(proposal) == 300
    edited = set_block_minutes(proposal, proposal[1].id, proposal[1].minutes + 10)
    save_agenda(review, sid, edited)
    assert load_agenda(review, sid) == edited
    assert review.undo(sid)
    assert stored_agenda(review, sid) is None
    with pytest.raises(WatError, match="at least 1 minute"):
        save_agenda(review, sid, [replace(proposal[0], minutes=0)])
    with pytest.raises(WatError, match="same id"):
        save_agenda(review, sid, [proposal[0], proposal[0]])
    assert stored_agenda(review, sid) is None


def test_a_malformed_stored_agenda_or_timer_names_the_register(review: Review) -> None:
    sid = make(review)
    with review.transaction():
        raw_write(review, sid, "agenda", [{"id": "x", "kind": "nap", "title": "t", "minutes": 3}])
        raw_write(review, sid, "timer/bad", {"block": "x", "start": "yesterday"})
    # Stored values the app cannot use are skipped, never a crash, and the session names them.
    assert stored_agenda(review, sid) is None and load_agenda(review, sid)  # the proposal stands in
    assert intervals(review, sid) == []
    assert {"agenda", "timer/bad"} <= set(review.state(sid).unreadable)


# -- countdown, overrun, alerts ------------------------------------------------------------------------------


def test_countdown_then_overrun(review: Review, clock: FakeClock) -> None:
    sid = make(review)
    iv = start_session_clock(review, sid, clock.now())
    agenda = stored_agenda(review, sid)
    assert agenda is not None and agenda == load_agenda(review, sid)  # starting saved the proposal
    first = agenda[0]
    assert iv.block == first.id
    assert start_session_clock(review, sid, clock.now()) == iv  # already running: nothing new
    clock.advance(minutes=5)
    s = strip(review, sid, clock)
    assert s.status == "running" and s.elapsed == 300
    assert s.block == first and s.block_remaining == first.minutes * 60 - 300 and not s.overrun
    clock.advance(minutes=first.minutes)
    s = strip(review, sid, clock)
    assert s.block_remaining == -300 and s.overrun
    assert current_block(review, sid, clock.now()) == first


def test_each_alert_fires_once_while_ticking_every_second(review: Review, clock: FakeClock) -> None:
    sid = make(review)
    blocks = small_agenda(review, sid)
    start_session_clock(review, sid, clock.now())
    tl = load_timeline(review, sid, live=True)
    tracker = AlertTracker()
    fired = []
    for second in range(1, 15 * 60):
        clock.advance(seconds=1)
        s = clock_strip(tl, clock.now())
        if second == 12 * 60:  # the room moves on, two minutes late
            enter_block(review, sid, "cost", clock.now())
            tl = load_timeline(review, sid, live=True)
            s = clock_strip(tl, clock.now())
        for alert in tracker.update(s.block.id if s.block else None, s.block_remaining):
            fired.append((second, alert.block_id, alert.kind))
    assert fired == [(8 * 60, "open", "warning"), (10 * 60, "open", "overrun")]
    assert blocks[1].minutes == 22  # the cost block has 22 minutes: no alert for it yet


def test_alert_tracker_judges_a_first_sighting_by_time_and_rearms_when_lengthened() -> None:
    tracker = AlertTracker(grace=5)
    assert tracker.update("old", -300) == []  # reopened long after it ran out: no ring
    assert tracker.update("old", -301) == []
    assert [a.kind for a in tracker.update("late", 118)] == ["warning"]  # just crossed: the tick was late
    assert tracker.update("gone", 100) == []
    assert tracker.update("b", 130) == []
    assert [a.threshold for a in tracker.update("b", 119)] == [120]
    assert tracker.update("b", 100) == []
    assert tracker.update("b", 400) == []  # the facilitator gave the block more time
    assert [a.threshold for a in tracker.update("b", 120)] == [120]
    both = tracker.update("b", -1)
    assert [a.kind for a in both] == ["overrun"]
    assert [a.kind for a in AlertTracker().update("c", 0)] == ["overrun"]
    assert tracker.update(None, None) == []
    tracker.forget(["b"])
    assert tracker.update("old", 500) == []


def test_reopening_after_a_block_ran_out_does_not_ring_again(data_dir: Path, clock: FakeClock) -> None:
    r = Review.open(data_dir)
    sid = make(r)
    small_agenda(r, sid)
    start_session_clock(r, sid, clock.now())
    r.close()
    clock.advance(minutes=15)
    r = Review.open(data_dir)
    tracker = AlertTracker()
    for _ in range(3):
        s = strip(r, sid, clock)
        assert tracker.update(s.block.id if s.block else None, s.block_remaining) == []
        clock.advance(seconds=1)
    r.close()


# -- pause, resume, reopening --------------------------------------------------------------------------------


def test_pause_and_resume(review: Review, clock: FakeClock) -> None:
    sid = make(review)
    small_agenda(review, sid)
    assert resume(review, sid, clock.now()) is None  # never started
    start_session_clock(review, sid, clock.now())
    set_question(review, sid, f"{WA}/{COST_Q[0]}", clock.now())
    clock.advance(minutes=5)
    assert pause(review, sid, clock.now())
    assert not pause(review, sid, clock.now())
    before = timer_ops(review, sid)
    assert set_question(review, sid, f"{WA}/{COST_Q[1]}", clock.now()) is None  # paused: writes nothing
    assert timer_ops(review, sid) == before
    clock.advance(minutes=20)
    s = strip(review, sid, clock)
    assert s.status == "paused" and s.elapsed == 300 and s.block_remaining == 300
    assert s.question == f"{WA}/{COST_Q[0]}"
    iv = resume(review, sid, clock.now())
    assert iv is not None and iv.block == "open" and iv.question == f"{WA}/{COST_Q[0]}"
    assert resume(review, sid, clock.now()) is None  # already running
    clock.advance(minutes=5)
    s = strip(review, sid, clock)
    assert s.status == "running" and s.elapsed == 600 and s.block_remaining == 0
    assert s.question_elapsed == 600


def test_reopening_keeps_the_elapsed_time(data_dir: Path, clock: FakeClock) -> None:
    r = Review.open(data_dir)
    sid = make(r)
    start_session_clock(r, sid, clock.now())
    clock.advance(minutes=10)
    r.close()  # a crash: the interval is still open
    clock.advance(minutes=5)
    r = Review.open(data_dir)
    s = strip(r, sid, clock)
    assert s.status == "running" and s.elapsed == 900
    pause(r, sid, clock.now())
    r.close()
    clock.advance(minutes=30)
    r = Review.open(data_dir)
    s = strip(r, sid, clock)
    assert s.status == "paused" and s.elapsed == 900
    start_session_clock(r, sid, clock.now())  # starting again after a pause resumes where it was
    clock.advance(minutes=1)
    assert strip(r, sid, clock).elapsed == 960
    r.close()


def test_entering_blocks_times_each_and_restarts_a_stopped_clock(review: Review, clock: FakeClock) -> None:
    sid = make(review)
    small_agenda(review, sid)
    start_session_clock(review, sid, clock.now())
    clock.advance(minutes=7)
    enter_block(review, sid, "cost", clock.now())
    clock.advance(minutes=3)
    pause(review, sid, clock.now())
    clock.advance(minutes=10)
    enter_block(review, sid, "wrap", clock.now())
    clock.advance(minutes=1)
    tl = load_timeline(review, sid, live=True)
    now = clock.now()
    assert (tl.block_elapsed("open", now), tl.block_elapsed("cost", now), tl.block_elapsed("wrap", now)) == (
        420, 180, 60)
    assert tl.status(now) == "running" and tl.elapsed(now) == 660
    with pytest.raises(NotFound, match="no block 'nope'"):
        enter_block(review, sid, "nope", clock.now())
    with pytest.raises(NotFound):
        start_session_clock(review, sid, clock.now(), block_id="nope")
    start_session_clock(review, sid, clock.now(), block_id="cost")
    assert current_block(review, sid, clock.now()) == tl.block("cost")


def test_undoing_the_agenda_while_the_clock_runs_leaves_the_blocks_enterable(review: Review,
                                                                            clock: FakeClock) -> None:
    """Found by the workshop round trip: the facilitator edits the agenda, goes to the break (the clock starts),
    then undoes the edit. The agenda in force is the proposal again; moving on to a pillar must still work, and
    the proposal it enters is saved with it, as starting the clock saves it."""
    sid = make(review)
    proposal = load_agenda(review, sid)
    save_agenda(review, sid, set_block_minutes(proposal, proposal[1].id, proposal[1].minutes + 5, keep_end=False))
    brk = next(b for b in proposal if b.kind == "break")
    enter_block(review, sid, brk.id, clock.now())
    assert review.undo(sid)  # the agenda edit, not the clock
    assert stored_agenda(review, sid) is None and load_agenda(review, sid) == proposal
    clock.advance(minutes=3)
    pillar = proposal[1]
    enter_block(review, sid, pillar.id, clock.now())
    assert stored_agenda(review, sid) == proposal
    assert current_block(review, sid, clock.now()) == pillar
    with pytest.raises(NotFound, match="no block 'nope'"):
        enter_block(review, sid, "nope", clock.now())


def test_intervals_are_only_added_and_undo_leaves_them_alone(review: Review, clock: FakeClock) -> None:
    sid = make(review)
    small_agenda(review, sid)
    start_session_clock(review, sid, clock.now())
    for i, qid in enumerate(COST_Q[:4]):
        clock.advance(seconds=30 + i)
        set_question(review, sid, f"{WA}/{qid}", clock.now())
        assert set_question(review, sid, f"{WA}/{qid}", clock.now()) is not None  # same question: no write
    answer(review, sid, COST_Q[0])
    clock.advance(minutes=1)
    pause(review, sid, clock.now())
    writes: dict[str, list[dict[str, object]]] = {}
    for op in review.ops(sid):
        if op.target.startswith("timer/"):
            writes.setdefault(op.target, []).append(op.value)
    assert len(writes) == 5
    for values in writes.values():
        assert values[0]["stop"] is None and len(values) == 2
        assert {k: v for k, v in values[1].items() if k != "stop"} == {k: v for k, v in values[0].items()
                                                                         if k != "stop"}
    elapsed = strip(review, sid, clock).elapsed
    assert review.undo(sid)  # undoes the answer, not the clock
    assert review.state(sid).answer(WA, COST_Q[0]) is None
    assert strip(review, sid, clock).elapsed == elapsed
    assert Counter(op.target for op in review.ops(sid) if op.target.startswith("timer/")) == Counter(
        {t: 2 for t in writes})


def test_the_clock_writes_through_the_edit_path_without_touching_undo(review: Review, clock: FakeClock) -> None:
    """Intervals take the same path as edits (the rules, this writer's stamps) but never enter the undo stack:
    the clock moving between an undo and a redo leaves the redo there."""
    sid = make(review)
    small_agenda(review, sid)
    answer(review, sid, COST_Q[0])
    assert review.undo(sid)
    start_session_clock(review, sid, clock.now())
    clock.advance(minutes=1)
    pause(review, sid, clock.now())
    timers = [op for op in review.ops(sid) if op.target.startswith("timer/")]
    assert len(timers) == 2 and {op.writer_id for op in timers} == {review.writer_id}
    assert review.redo(sid)  # the clock's writes dropped nothing
    assert review.state(sid).answer(WA, COST_Q[0]) is not None
    assert review.undo(sid) and review.state(sid).answer(WA, COST_Q[0]) is None
    assert review.undo(sid)  # the agenda saved by hand before the clock ran: the last thing on the stack
    assert not review.undo(sid)  # nothing of the clock's is on it
    assert timer_ops(review, sid) == 2
    with pytest.raises(WatError):  # the interval rule holds for the clock as for a merged interval
        review.record(sid, [("timer/x", {"block": "b", "question": None, "start": "yesterday", "stop": None})])


def test_overlapping_intervals_from_two_laptops_count_once(review: Review, clock: FakeClock) -> None:
    sid = make(review)
    small_agenda(review, sid)
    with review.transaction():
        raw_write(review, sid, "timer/a", {"block": "open", "question": None,
                                          "start": "2025-03-04T09:00:00+00:00",
                                          "stop": "2025-03-04T09:10:00+00:00"})
        raw_write(review, sid, "timer/b", {"block": "open", "question": None,
                                          "start": "2025-03-04T09:05:00Z",
                                          "stop": "2025-03-04T09:12:00+00:00"})
    clock.advance(minutes=30)
    s = strip(review, sid, clock)
    assert s.elapsed == 720 and s.status == "paused" and s.block_remaining == 600 - 720


# -- questions, pacing, parking lot --------------------------------------------------------------------------


def test_question_time_against_its_share(review: Review, clock: FakeClock) -> None:
    sid = make(review)
    small_agenda(review, sid)
    start_session_clock(review, sid, clock.now(), block_id="cost")
    set_question(review, sid, f"{WA}/{COST_Q[0]}", clock.now())
    clock.advance(seconds=90)
    s = strip(review, sid, clock)
    assert s.question == f"{WA}/{COST_Q[0]}" and s.question_elapsed == 90 and s.question_share == 120
    clock.advance(seconds=60)
    s = strip(review, sid, clock)
    assert s.question_elapsed is not None and s.question_share is not None
    assert s.question_elapsed - s.question_share == 30  # 30 s over its share


def test_behind_projected_end_and_suggestions(review: Review, clock: FakeClock) -> None:
    review.set_clock(clock.now)
    sid = make(review)
    small_agenda(review, sid)
    start_session_clock(review, sid, clock.now())
    clock.advance(minutes=10)
    enter_block(review, sid, "cost", clock.now())
    set_question(review, sid, f"{WA}/{COST_Q[0]}", clock.now())
    clock.advance(minutes=10)  # ten minutes on a question whose share is two
    s = strip(review, sid, clock)
    # progress: the opening's 600 s + work in progress worth one average question (120 s); used 1200 s
    assert s.pace_known and s.behind == 480
    rate = 1200 / 720
    # what is left: ten questions' shares (the eleventh is in progress) at this pace, then the wrap-up as planned
    assert s.projected_end == clock.now() + timedelta(seconds=(1320 - 120) * rate + 480)
    assert s.suggestions == (LOW_ONLY,)
    assert clock_strip(load_timeline(review, sid, live=True), clock.now(), suggest_after=600).suggestions == ()
    answer(review, sid, COST_Q[0])  # answered just now: its share is done, the next one has not begun
    assert strip(review, sid, clock).behind == 480
    park_question(review, sid, LOW_ONLY, "needs the finance team", "Ana")
    s = strip(review, sid, clock)
    assert s.behind == 360 and s.suggestions == ()


def test_pace_is_not_judged_before_ten_minutes_and_a_new_session_is_never_ahead(review: Review,
                                                                                clock: FakeClock) -> None:
    """Reported: right after c on a new session the bar said "ahead 29 min"."""
    review.set_clock(clock.now)
    sid = make(review)
    start_session_clock(review, sid, clock.now())
    # c pressed on the first question: the workspace follows the room into its pillar block
    first = next(b for b in load_timeline(review, sid, live=True).blocks if b.kind == "pillar")
    enter_block(review, sid, first.id, clock.now())
    for minutes in (0, 1, 9):
        clock.set(T0 + timedelta(minutes=minutes))
        s = strip(review, sid, clock)
        assert not s.pace_known and s.behind >= 0, minutes
    clock.set(T0 + timedelta(minutes=12))  # twelve minutes in, nothing answered: behind, never ahead
    s = strip(review, sid, clock)
    assert s.pace_known and s.behind > 0


def test_prepared_answers_are_not_pace(review: Review, clock: FakeClock) -> None:
    """Reported: the demo (half answered beforehand) said "ahead 118 min" as soon as the clock started."""
    review.set_clock(clock.now)
    sid = make(review)
    small_agenda(review, sid)
    for qid in COST_Q[:6]:  # preparation, the day before
        answer(review, sid, qid)
    clock.advance(minutes=60 * 24)
    start_session_clock(review, sid, clock.now(), block_id="cost")
    set_question(review, sid, f"{WA}/{COST_Q[6]}", clock.now())
    clock.advance(minutes=11)
    s = strip(review, sid, clock)
    assert s.pace_known and s.behind > 0  # eleven minutes, nothing settled in the room: not ahead
    # ... but the prepared questions are no longer left to do: five left (one in progress) plus the wrap-up
    assert s.projected_end <= clock.now() + timedelta(seconds=5 * 120 * MAX_RATE + 480)


def test_the_projected_end_does_not_move_when_the_facilitator_browses(review: Review, clock: FakeClock) -> None:
    """Reported: the projected end jumped between 17:21 and 18:43 as the facilitator moved between questions."""
    review.set_clock(clock.now)
    sid = make(review)
    start_session_clock(review, sid, clock.now())
    clock.advance(minutes=25)
    tl = load_timeline(review, sid, live=True)
    blocks = [b for b in tl.blocks if tl.keys(b)]
    answer(review, sid, tl.keys(blocks[0])[0].split("/", 1)[1])
    clock.advance(minutes=5)
    before = strip(review, sid, clock)
    for b in blocks[:4]:  # no time passes while the facilitator looks around
        enter_block(review, sid, b.id, clock.now())
        for key in tl.keys(b)[:3]:
            set_question(review, sid, key, clock.now())
            s = strip(review, sid, clock)
            assert (s.projected_end, s.behind) == (before.projected_end, before.behind)


def test_an_overrun_block_never_says_ahead(review: Review, clock: FakeClock) -> None:
    """Reported: "⚠ +04:44 over" next to "▲ ahead 36 min"; the bar says what to do instead."""
    from wat_tui.ui.clocktext import strip_text
    from wat_tui.ui.themes import PALETTES

    review.set_clock(clock.now)
    sid = make(review)
    small_agenda(review, sid)
    for qid in COST_Q[:10]:
        answer(review, sid, qid)  # prepared: the room is far "ahead" of a naive count
    start_session_clock(review, sid, clock.now(), block_id="cost")
    clock.advance(minutes=22 + 4, seconds=44)
    s = strip(review, sid, clock)
    assert s.overrun and s.suggestions == (LOW_ONLY,)
    words = strip_text(s, PALETTES["wat-dark"]).plain
    assert "⚠ Cost +04:44 · park 1 low-risk question?" in words
    assert "ahead" not in words


def test_pace_by_hand_made_timelines() -> None:
    blocks = (Block("a", "opening", "Opening", 20), Block("b", "break", "Break", 10),
              Block("c", "wrapup", "Wrap-up", 30))
    idle = Timeline(blocks, ())
    p = pace(idle, T0)
    assert (p.elapsed, p.behind, p.projected_end, p.known) == (0, 0, T0 + timedelta(minutes=60), False)
    assert idle.status(T0) == "not started" and clock_strip(idle, T0).block is None
    tl = Timeline(blocks, (Interval("1", "a", None, T0, T0 + timedelta(minutes=5)),
                           Interval("2", "b", None, T0 + timedelta(minutes=5))))
    now = T0 + timedelta(minutes=7)
    p = pace(tl, now)
    # five minutes of opening, then the break: the opening is passed (nothing of it left), the break 120 s in
    assert p.progress == 420 and p.behind == 0 and not p.known
    assert p.projected_end == now + timedelta(seconds=480 + 1800)
    now = T0 + timedelta(minutes=25)  # the break ran 10 min over its 10: progress stops at its length
    p = pace(tl, now)
    assert p.progress == 900 and p.behind == 600 and p.known
    assert p.projected_end == now + timedelta(minutes=30)  # the wrap-up does not stretch with pace


def test_parking_lot(review: Review) -> None:
    sid = make(review)
    park_question(review, sid, f"{WA}/{COST_Q[2]}", "offline with finance", "Ana")
    park_question(review, sid, f"{WA}/{COST_Q[0]}")
    lot = parking_lot(review, sid)
    assert [p.question_id for p in lot] == [COST_Q[0], COST_Q[2]]  # lens order
    assert lot[1].reason == "offline with finance" and lot[1].parked_by == "Ana" and lot[1].pillar == (
        "costOptimization")
    unpark_question(review, sid, f"{WA}/{COST_Q[0]}")
    assert [p.question_id for p in parking_lot(review, sid)] == [COST_Q[2]]
    assert review.undo(sid)
    assert len(parking_lot(review, sid)) == 2
    with pytest.raises(NotFound, match="no question"):
        park_question(review, sid, f"{WA}/nope")
    with pytest.raises(NotFound, match="not in the parking lot"):
        unpark_question(review, sid, f"{WA}/{COST_Q[5]}")


def test_time_report_planned_against_actual(review: Review, clock: FakeClock) -> None:
    sid = make(review)
    small_agenda(review, sid)
    start_session_clock(review, sid, clock.now())
    clock.advance(minutes=12)
    enter_block(review, sid, "cost", clock.now())
    set_question(review, sid, f"{WA}/{COST_Q[0]}", clock.now())
    clock.advance(minutes=3)
    answer(review, sid, COST_Q[0])
    set_question(review, sid, f"{WA}/{COST_Q[1]}", clock.now())
    clock.advance(minutes=1)
    park_question(review, sid, f"{WA}/{COST_Q[1]}")
    rows = time_report(review, sid, clock.now())
    assert [(r.block_id, r.planned_seconds, r.actual_seconds) for r in rows] == [
        ("open", 600, 720), ("cost", 1320, 240), ("wrap", 480, 0)]
    assert rows[0].over_seconds == 120
    qs = {q.key.split("/")[1]: q for q in rows[1].questions}
    assert len(qs) == 11 and all(q.planned_seconds == 120 for q in qs.values())
    assert (qs[COST_Q[0]].actual_seconds, qs[COST_Q[0]].answered) == (180, True)
    assert (qs[COST_Q[1]].actual_seconds, qs[COST_Q[1]].parked) == (60, True)
    assert qs[COST_Q[2]].actual_seconds == 0
    # the cost block is dropped from the agenda later: its time is still reported
    save_agenda(review, sid, [b for b in load_agenda(review, sid) if b.id != "cost"])
    rows = time_report(review, sid, clock.now())
    assert [(r.kind, r.actual_seconds) for r in rows] == [("opening", 720), ("wrapup", 0), ("removed", 240)]


# -- clock primitives ----------------------------------------------------------------------------------------


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60), st.booleans()), max_size=12))
def test_covered_is_the_measure_of_the_union(spans: list[tuple[int, int, bool]]) -> None:
    now = T0 + timedelta(seconds=230)
    ivs = [Interval(str(i), "b", None, T0 + timedelta(seconds=s),
                    None if is_open else T0 + timedelta(seconds=s + d))
           for i, (s, d, is_open) in enumerate(spans)]
    seconds: set[int] = set()
    for s, d, is_open in spans:
        seconds.update(range(s, 230 if is_open else min(s + d, 230)))
    assert covered(ivs, now) == len(seconds)


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60), st.booleans(), st.sampled_from("ab")),
                max_size=12), st.integers(0, 300))
def test_the_timeline_fast_path_agrees_with_the_plain_sum(spans: list[tuple[int, int, bool, str]],
                                                          at: int) -> None:
    ivs = tuple(Interval(str(i), block, f"q/{block}", T0 + timedelta(seconds=s),
                         None if is_open else T0 + timedelta(seconds=s + d))
                for i, (s, d, is_open, block) in enumerate(spans))
    tl = Timeline((), ivs)
    now = T0 + timedelta(seconds=at)
    assert tl.elapsed(now) == covered(ivs, now)
    for block in "ab":
        assert tl.block_elapsed(block, now) == covered([iv for iv in ivs if iv.block == block], now)
        assert tl.question_elapsed(f"q/{block}", now) == tl.block_elapsed(block, now)
    started = [iv for iv in ivs if iv.start <= now]
    expected = max((iv for iv in started if iv.stop is None), key=lambda iv: iv.order, default=None) or max(
        started, key=lambda iv: iv.order, default=None)
    assert tl.current(now) == expected


def test_clocks() -> None:
    fake = FakeClock(T0)
    assert fake.advance(seconds=30, minutes=1) == T0 + timedelta(seconds=90)
    fake.set(T0)
    assert fake.now() == T0
    assert SystemClock().now().tzinfo is not None
    with pytest.raises(ValueError, match="naive"):
        utc(datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="naive"):
        FakeClock(datetime(2025, 1, 1))
