"""Answers prepared before the workshop are marked until the room confirms them (issue 14, preparation)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.clocks import FakeClock
from wat_tui.errors import WatError
from wat_tui.exchange.report import render_markdown
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.review.state import Answer
from wat_tui.ui.app import build_app
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.question import QuestionPane

BEFORE = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
START = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
ALIAS = "wellarchitected"


def _session(review: Review) -> tuple[str, list[str]]:
    sid = review.create_session("Prepared", lenses=(ALIAS,))
    qs = review.state(sid).lenses[0].questions
    return sid, [qs[0].id, qs[1].id, qs[2].id]


def _answer(review: Review, sid: str, qid: str) -> None:
    q = review.state(sid).lens(ALIAS).question(qid)  # type: ignore[union-attr]
    assert q is not None
    review.set_answer(sid, ALIAS, qid, Answer(selected=(q.choices[0].id,)))


def test_answers_before_the_clock_are_prepared_until_confirmed(review: Review) -> None:
    sid, (a, b, c) = _session(review)
    review.set_clock(lambda: BEFORE)
    _answer(review, sid, a)
    _answer(review, sid, b)
    assert tk.load_timeline(review, sid).prefilled == frozenset()  # no workshop yet: nothing to tell apart
    review.set_clock(lambda: START)
    tk.start_session_clock(review, sid, START)
    assert tk.load_timeline(review, sid).prefilled == {f"{ALIAS}/{a}", f"{ALIAS}/{b}"}
    review.set_clock(lambda: START + timedelta(minutes=5))
    _answer(review, sid, c)  # answered in the room: never prepared
    review.confirm_answer(sid, ALIAS, a)
    tl = tk.load_timeline(review, sid)
    assert tl.prefilled == {f"{ALIAS}/{b}"}
    assert review.state(sid).answers[f"{ALIAS}/{a}"].selected  # confirming changed nothing of the answer
    report = render_markdown(review, sid)
    section = report.split("## Prepared answers not confirmed in the room", 1)[1].split("\n## ", 1)[0]
    labels = {q.id: q.label for q in review.state(sid).lenses[0].questions}
    assert labels[b] in section and labels[a] not in section and labels[c] not in section


def test_confirming_needs_an_answer_and_no_conflict(review: Review) -> None:
    sid, (a, _, _) = _session(review)
    with pytest.raises(WatError, match="no answer to confirm"):
        review.confirm_answer(sid, ALIAS, a)


def test_a_session_without_prepared_answers_has_no_such_section(review: Review) -> None:
    sid, _ = _session(review)
    assert "Prepared answers not confirmed" not in render_markdown(review, sid)


async def test_the_workspace_shows_the_badge_and_equals_confirms(data_dir: Path) -> None:
    with Review.open(data_dir) as review:
        sid, (a, _, _) = _session(review)
        review.set_clock(lambda: BEFORE)
        _answer(review, sid, a)
        review.set_clock(lambda: START)
        tk.start_session_clock(review, sid, START)
        tk.heartbeat(review, sid, START + timedelta(minutes=1))
    clock = FakeClock(START + timedelta(minutes=1))
    app = build_app(data_dir, sid, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        ws.go_to_key(f"{ALIAS}/{a}")
        await pilot.pause()
        header = ws.query_one(QuestionPane)
        assert "◌ prepared" in header.header_text()
        await pilot.press("equals_sign")
        await pilot.pause()
        assert "prepared" not in header.header_text()
    with Review.open(data_dir) as review:
        assert tk.load_timeline(review, sid).prefilled == frozenset()
