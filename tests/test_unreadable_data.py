"""Whatever is already stored, the app opens the session and says what it cannot read; it never crashes on it.

Older databases, or data taken before the ingest rules, may hold register values the app cannot use. Each case
writes one such value with the store's low-level writer (``raw_write`` in tests/support.py, which skips every
rule) and then reads the session every way the app and the report do: ``Review.state`` (the value is skipped
and its target listed in ``SessionState.unreadable``), the session list, the timeline and time report, the
Markdown report (which says what it could not read), and the app itself, which must open the workspace.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support import raw_ingest, raw_write
from wat_tui.exchange.report import render_markdown
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.review.state import Answer

LENS = "serverless"
NOW = datetime(2026, 11, 27, 14, 5, tzinfo=UTC)


def _now() -> datetime:
    return NOW


def _session(review: Review, clock: bool = True, planned: int = 240) -> tuple[str, str]:
    review.set_clock(_now)
    sid = review.create_session("Shop review", planned_minutes=planned, lenses=[LENS],
                                participants=[("Ana", "Facilitator")])
    q = review.state(sid).lenses[0].questions[0]
    review.set_answer(sid, LENS, q.id, Answer((q.choices[0].id,)))
    review.add_note(sid, f"{LENS}/{q.id}", "Ana", "Cold starts")
    review.add_action(sid, "Add provisioned concurrency", question=f"{LENS}/{q.id}")
    if clock:
        tk.start_session_clock(review, sid, NOW - timedelta(minutes=30))
        tk.pause(review, sid, NOW - timedelta(minutes=5))
    return sid, q.id


def _timer(**changes: Any) -> dict[str, Any]:
    return {"block": None, "question": None, "start": "2026-11-27T13:00:00+00:00",
            "stop": "2026-11-27T13:10:00+00:00", **changes}


#: (name, target ("{q}" is a question id, "{a}" an action item id), value, listed as unreadable)
BAD: list[tuple[str, str, Any, bool]] = [
    ("planned minutes as text", "session/planned_minutes", "x", True),
    ("planned minutes 10**100", "session/planned_minutes", 10**100, True),
    ("planned minutes 0", "session/planned_minutes", 0, True),
    ("planned minutes -1", "session/planned_minutes", -1, True),
    ("a session name that is a number", "session/name", 5, True),
    ("no lenses", "session/lenses", [], True),
    ("lenses as text", "session/lenses", "serverless", True),
    ("a lens nobody stored", "session/lenses", [{"alias": LENS, "hash": "0" * 64, "version": "1"}], True),
    ("an answer whose choices are a number", "answer/serverless/{q}", {"selected": 5}, True),
    ("an answer that is a list", "answer/serverless/{q}", [1], True),
    ("an answer with numbers for reasons", "answer/serverless/{q}",
     {"selected": [], "na_choices": {"x": 5}, "not_applicable": True, "reason": 7}, True),
    ("an answer with choices the question lacks", "answer/serverless/{q}",
     {"selected": ["ghost"], "na_choices": {}, "not_applicable": False, "reason": None}, False),
    ("a note that is text", "note/n1", "hello", True),
    ("a note whose body is a number", "note/n1", {"question": "", "author": 1, "body": 5, "private": "yes"}, True),
    ("an action item on a number", "action/a1", {"question": 5}, True),
    ("an action title that is a number", "action/{a}/title", 5, True),
    ("a participant whose name is a number", "participant/x", {"name": 5, "role": [], "email": None}, True),
    ("a participant that is text", "participant/x", "x", True),
    ("an agenda that is text", "agenda", "x", True),
    ("an agenda block of an unknown kind", "agenda", [{"id": "x", "kind": "nap", "title": "t", "minutes": 3}], True),
    ("an agenda block on a pillar the lens lacks", "agenda",
     [{"id": "b1", "kind": "pillar", "title": "x", "minutes": 10, "pillar": "nope", "lens": LENS}], False),
    ("an agenda block on a lens the session lacks", "agenda",
     [{"id": "b1", "kind": "lens", "title": "x", "minutes": 10, "pillar": None, "lens": "nope"}], False),
    ("an empty agenda", "agenda", [], False),
    ("a timer with text for times", "timer/t1", _timer(start="soon"), True),
    ("a timer that is a list", "timer/t1", [1, 2], True),
    ("a timer in month 13", "timer/t1", _timer(start="2026-13-45T09:00:00Z"), True),
    ("a timer that stops before it starts", "timer/t1", _timer(stop="2026-11-27T12:00:00+00:00"), True),
    ("a parked question that is text", "parking/serverless/{q}", "x", True),
    ("a parking reason that is a number", "parking/serverless/{q}", {"reason": 5, "parked_by": []}, True),
]


def _write_bad(data_dir: Path, target: str, value: Any, clock: bool = True) -> tuple[str, str]:
    review = Review.open(data_dir)
    try:
        sid, qid = _session(review, clock)
        aid = review.state(sid).actions[0].id
        target = target.replace("{q}", qid).replace("{a}", aid)
        raw_write(review, sid, target, value)
        review.project(sid)  # what a merge does after foreign operations arrive
        return sid, target
    finally:
        review.close()


def _read_everything(data_dir: Path, sid: str) -> tuple[list[str], str]:
    review = Review.open(data_dir)
    try:
        state = review.state(sid)
        assert state.lenses, "the session keeps a lens to show"
        assert [s.id for s in review.list_sessions()] == [sid]
        tk.load_timeline(review, sid, state, live=True)
        tk.time_report(review, sid, NOW)
        tk.parking_lot(review, sid, state)
        tk.load_agenda(review, sid, state=state)
        report = render_markdown(review, sid)
        return list(state.unreadable), report
    finally:
        review.close()


async def _opens_the_workspace(data_dir: Path, sid: str) -> None:
    from tests.clocks import FakeClock
    from wat_tui.ui.app import build_app
    from wat_tui.ui.screens.workspace import WorkspaceScreen

    app = build_app(data_dir, sid, clock=FakeClock(NOW))
    try:
        async with app.run_test(size=(100, 28)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WorkspaceScreen), type(app.screen).__name__
            await pilot.press("down")
            await pilot.pause()
            assert isinstance(app.screen, WorkspaceScreen)
    finally:
        app.review.close()


@pytest.mark.parametrize(("name", "target", "value", "listed"), BAD, ids=[c[0] for c in BAD])
async def test_a_stored_value_the_app_cannot_use_is_skipped_and_named(
    data_dir: Path, name: str, target: str, value: Any, listed: bool
) -> None:
    sid, target = _write_bad(data_dir, target, value)
    unreadable, report = _read_everything(data_dir, sid)
    if listed:
        assert target in unreadable
        assert "## Data this version could not read" in report
    await _opens_the_workspace(data_dir, sid)


@pytest.mark.parametrize("minutes", [0, -5, "x"])
async def test_without_an_agenda_a_bad_planned_duration_still_opens(data_dir: Path, minutes: Any) -> None:
    """With no saved agenda the app plans one from the planned duration; one it cannot plan from must not stop the
    session opening."""
    sid, _ = _write_bad(data_dir, "session/planned_minutes", minutes, clock=False)
    unreadable, _ = _read_everything(data_dir, sid)
    assert unreadable == ["session/planned_minutes"]
    await _opens_the_workspace(data_dir, sid)


async def test_a_planned_duration_too_short_to_plan_still_opens(data_dir: Path) -> None:
    """Five minutes is a valid duration, but too short for one minute per agenda block: the app still opens."""
    review = Review.open(data_dir)
    try:
        sid, _ = _session(review, clock=False, planned=5)
    finally:
        review.close()
    unreadable, _ = _read_everything(data_dir, sid)
    assert unreadable == []
    await _opens_the_workspace(data_dir, sid)


def test_a_readable_value_beside_an_unreadable_one_is_shown(data_dir: Path) -> None:
    """Two laptops' concurrent values of one register: the one that reads is shown, the other named."""
    review = Review.open(data_dir)
    try:
        sid, qid = _session(review, clock=False)
        from wat_tui.store.oplog import Op

        raw_ingest(review, Op("other-laptop", 1, sid, f"answer/{LENS}/{qid}", {"selected": 5}, {},
                             f"{int(NOW.timestamp() * 1000) + 1:013d}-00000-other-laptop"))
        state = review.state(sid)
        assert f"answer/{LENS}/{qid}" in state.unreadable
        answer = state.answer(LENS, qid)
        assert answer is not None and answer.selected  # this laptop's own value, still shown
    finally:
        review.close()



def test_a_conflict_holding_an_unreadable_value_is_listed_not_a_crash(tmp_path: Path) -> None:
    """Two laptops each wrote a value for one answer, one unreadable (taken in by an older app, before the ingest
    rules): the conflicts list says so instead of failing."""
    from wat_tui.exchange.bundle import write_bundle
    from wat_tui.exchange.conflicts import open_conflicts
    from wat_tui.exchange.merge import merge_files

    a, b = Review.open(tmp_path / "a"), Review.open(tmp_path / "b")
    try:
        sid, _ = _session(a)
        write_bundle(a, sid, tmp_path / "a.json")
        merge_files(b, [tmp_path / "a.json"])
        q = a.state(sid).lenses[0].questions[1]
        target = f"answer/{LENS}/{q.id}"
        a.set_answer(sid, LENS, q.id, Answer((q.choices[0].id,)))
        with b.transaction():
            raw_write(b, sid, target, {"selected": 5})
        bad = next(op for op in b.ops(sid) if op.target == target)
        with a.transaction():
            raw_ingest(a, bad)
        [conflict] = open_conflicts(a, sid)
        assert conflict.target == target
        assert any("cannot read" in v.summary for v in conflict.values)
    finally:
        a.close()
        b.close()
