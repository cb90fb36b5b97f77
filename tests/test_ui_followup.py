"""The follow-up meeting run in the app (``wat-tui followup SESSION``, issue 14): n and p walk only the open high
and medium risks in the plan's order, the clock bar runs the follow-up plan, the board takes the open actions,
and what the room changes is saved as any edit is; the workshop's own clock and agenda are left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Static

from tests.clocks import FakeClock
from tests.ui_support import said_by, until
from wat_tui.lens.risk import Risk
from wat_tui.review import timekeeping as tk
from wat_tui.review.agenda import Block
from wat_tui.review.clock import Timeline
from wat_tui.review.durations import format_duration
from wat_tui.review.followup_meeting import FollowupMeeting, FollowupTimer, followup_meeting
from wat_tui.review.preparation import FollowupItem, followup_plan
from wat_tui.review.service import Review
from wat_tui.review.state import Answer
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.clocktext import short_title
from wat_tui.ui.screens.board import BoardScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.clock import ClockBar

SIZE = (100, 28)
START = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)


def reviewed_session(data_dir: Path) -> dict[str, Any]:
    """A reviewed session: high, medium and no-risk answers in two pillars, one open and one closed action."""
    with Review.open(data_dir) as review:
        review.set_clock(lambda: START - timedelta(days=30))
        sid = review.create_session("Shop review", workload="Shop", workload_type="critical-ecommerce")
        lens = review.state(sid).lenses[0]
        by_pillar = {p.id: p.questions for p in lens.pillars}
        pillars = list(by_pillar)
        high = [by_pillar[pillars[0]][0], by_pillar[pillars[1]][0]]
        medium = next(q for q in by_pillar[pillars[0]][1:]
                      if any(c.risk_level == "MEDIUM" for c in q.choices)
                      and any(c.risk_level == "HIGH" for c in q.choices))
        fine = by_pillar[pillars[1]][1]
        for q in high:
            assert q.none_choice is not None
            review.toggle_choice(sid, lens.alias, q.id, q.none_choice.id)
        review.set_answer(sid, lens.alias, medium.id,
                          Answer(tuple(c.id for c in medium.choices
                                if c.risk_level == "HIGH" and not c.is_none_choice)))
        review.set_answer(sid, lens.alias, fine.id,
                          Answer(tuple(c.id for c in fine.choices if not c.is_none_choice)))
        st = review.state(sid)
        assert [st.risk(lens, q) for q in (*high, medium, fine)] == [Risk.HIGH, Risk.HIGH, Risk.MEDIUM, Risk.NONE]
        key = f"{lens.alias}/{high[0].id}"
        open_id = review.add_action(sid, "Turn on MFA", owner="Bo", due="2027-01-15", question=key)
        review.add_action(sid, "Write the runbook", owner="Al", status="done", question=key)
        full = review.full_state(sid)
        plan = followup_plan(full, full.analysis, review.cadence(sid))
    walk = [k for item in plan if item.kind == "risks" for k in item.keys]
    return {"sid": sid, "alias": lens.alias, "walk": walk, "fine": f"{lens.alias}/{fine.id}", "open": open_id,
            "medium": medium, "plan": plan}


def followup_app(data_dir: Path, sid: str, clock: FakeClock) -> tuple[WatApp, list[str]]:
    app = build_app(data_dir, sid, clock=clock, followup=True)
    said = said_by(app)
    return app, said


def workspace(app: WatApp) -> WorkspaceScreen:
    ws = app.screen
    assert isinstance(ws, WorkspaceScreen)
    return ws


def bar(app: WatApp) -> str:
    ws = workspace(app)
    ws.query_one(ClockBar).tick()
    return str(ws.query_one(ClockBar).render())


def test_the_meeting_is_the_plan(data_dir: Path) -> None:
    s = reviewed_session(data_dir)
    with Review.open(data_dir) as review:
        meeting = followup_meeting(review, s["sid"])
    assert list(meeting.questions) == s["walk"] and len(s["walk"]) == 3 and s["fine"] not in s["walk"]
    assert list(meeting.actions) == [s["open"]]
    assert [b.minutes for b in meeting.blocks] == [i.minutes for i in s["plan"]]
    assert 30 <= meeting.minutes <= 60
    assert meeting.blocks[0].title.startswith("Opening: ") and meeting.blocks[-1].title.startswith("Close: ")
    assert not meeting.nothing_open


async def test_n_walks_only_the_open_risks_and_the_clock_runs_the_plan(data_dir: Path) -> None:
    s = reviewed_session(data_dir)
    clock = FakeClock(START)
    app, said = followup_app(data_dir, s["sid"], clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        title = ws.query_one("#session-title", Static)
        assert str(title.render()).startswith("Follow-up · Shop review")
        assert any(m.startswith("Follow-up: n and p walk the 3 open high and medium risks, then b for the 1 open "
                                "action") for m in said), said
        minutes = sum(i.minutes for i in s["plan"])
        assert "clock not started" in bar(app) and f"planned {format_duration(minutes)}" in bar(app), bar(app)
        seen = [ws.current_key]
        for _ in range(len(s["walk"])):  # one press past the end stays on the last
            await pilot.press("n")
            seen.append(ws.current_key)
        assert seen == [*s["walk"], s["walk"][-1]]
        assert any(m.startswith("That was the last open risk: b for the open actions") for m in said), said
        closed = next(k for k in ws.state.answers if k not in s["walk"])  # an answered question with no risk
        ws.go_to_key(closed)  # from the outline or g: not on the list, and it says so
        assert ws.current_key == s["walk"][-1]
        assert any("is not on this follow-up's list" in m for m in said), said
        for _ in range(len(s["walk"])):
            await pilot.press("p")
        assert ws.current_key == s["walk"][0]

        await pilot.press("c")  # the follow-up's clock: its first block is the opening
        assert "Opening 05:00 left" in bar(app), bar(app)
        clock.advance(minutes=2)
        assert "Opening 03:00 left" in bar(app)
        clock.advance(minutes=3)  # the opening's time is up: the clock moves to the first risk's block
        meeting = app.followup
        assert meeting is not None
        bar_now = bar(app)  # the bar's tick moves the clock on
        assert short_title(meeting.blocks[1].title, 14) in bar_now, bar_now
        assert block_title(app) == meeting.blocks[1].title and meeting.blocks[1].title.startswith(
            s["plan"][1].title.split(":")[0])
        assert ws.clock.strip().question == s["walk"][0]
        await pilot.press("b")  # the board takes the open actions, and so does the clock
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert block_title(app) == "Actions: owned by Bo (1)"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert "Actions" in bar(app)
    with Review.open(data_dir) as review:  # the workshop's clock and agenda are untouched
        assert tk.intervals(review, s["sid"]) == [] and tk.stored_agenda(review, s["sid"]) is None


def block_title(app: WatApp) -> str:
    ws = next(x for x in app.screen_stack if isinstance(x, WorkspaceScreen))
    block = ws.clock.strip().block
    return block.title if block is not None else ""


async def test_what_the_follow_up_changes_is_saved(data_dir: Path) -> None:
    s = reviewed_session(data_dir)
    app, _ = followup_app(data_dir, s["sid"], FakeClock(START))
    medium = s["medium"]
    key = f"{s['alias']}/{medium.id}"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        while ws.current_key != key:
            await pilot.press("n")
        practices = [c for c in medium.choices if not c.is_none_choice]
        missing = next(i for i, c in enumerate(practices) if c.risk_level == "MEDIUM")
        assert missing < 10
        await pilot.press(str((missing + 1) % 10))  # the room ticks a practice now in place
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("space")  # the open action is done
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
    app.review.close()
    with Review.open(data_dir) as review:
        st = review.state(s["sid"])
        answer = st.answer(s["alias"], medium.id)
        assert answer is not None and practices[missing].id in answer.selected
        assert {a.id: a.status for a in st.actions}[s["open"]] == "done"


async def test_a_session_with_nothing_open_opens_on_every_question(data_dir: Path) -> None:
    with Review.open(data_dir) as review:
        sid = review.create_session("Clean review", workload_type="critical-ecommerce")
        total = review.state(sid).total_questions
    app, said = followup_app(data_dir, sid, FakeClock(START))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        assert len(ws.order) == total
        assert any(m.startswith("Follow-up: nothing is open") for m in said), said
        await pilot.press("c")
        clock_text = bar(app)
        assert "Opening 05:00 left" in clock_text, clock_text
    app.review.close()


def test_the_timer_counts_a_question_discussed_only_after_time_on_it() -> None:
    plan = (FollowupItem("opening", "o", 5), FollowupItem("risks", "Security: 2 high", 6, ("w/a", "w/b")),
            FollowupItem("closing", "c", 5))
    blocks = (Block("o", "opening", "Opening: o", 5), Block("r", "pillar", "Security", 6),
              Block("c", "wrapup", "Close: c", 5))
    timer = FollowupTimer(FollowupMeeting("s", plan, blocks, {"r": ("w/a", "w/b")}, ("w/a", "w/b"), ()))
    base = Timeline((), ())
    timer.start_or_pause(START)
    timer.follow("w/a", timer.timeline(base), START)  # the clock started on the first question: still opening
    assert timer.intervals[-1].block == "o"
    assert timer.advance(timer.timeline(base), START + timedelta(minutes=5))
    assert (timer.intervals[-1].block, timer.intervals[-1].question) == ("r", "w/a")
    timer.follow("w/b", timer.timeline(base), START + timedelta(minutes=5, seconds=5))
    assert "w/a" not in timer.discussed  # five seconds is browsing
    timer.follow("w/a", timer.timeline(base), START + timedelta(minutes=6))
    assert "w/b" in timer.discussed
    assert timer.pause(START + timedelta(minutes=7)) and not timer.running
