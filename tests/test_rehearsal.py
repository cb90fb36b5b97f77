"""A whole workshop, rehearsed end to end as a room runs it, compressed with an injected clock.

Two facilitators' laptops (two data directories). Laptop A creates the session with its participants from the
command line, opens it at the projector's 100x28, starts the clock, answers across three pillars, writes notes
with hostile Markdown, adds an action item, marks a question and a practice not applicable, parks a question,
takes the break, quits and reopens (time and position kept, the time closed not counted). Laptop B gets the
session as a file, answers one question differently and adds a note. Both export, both merge both ways, A sees and
settles the conflict, the settlement travels back, and both produce the report. At each step the test checks what
the room sees and what is stored. This test grows with every feature.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual import events
from textual.widgets import TextArea

from tests.clocks import FakeClock
from wat_tui.cli import main
from wat_tui.exchange.conflicts import open_conflicts
from wat_tui.lens.risk import Risk
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.screens.break_screen import BreakScreen
from wat_tui.ui.screens.conflicts import ConflictsScreen
from wat_tui.ui.screens.reason import ReasonScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen

ROOM = (100, 28)
HOSTILE_NOTE = "Quota alarms **exist** for Lambda [red]only[/] <script>alert(1)</script> \x1b]0;pwned\x07"


def screen_text(app: WatApp) -> str:
    """What the room reads: the screen as text, one line per row."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, body in re.findall(r'<text [^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(y), []).append((float(x), html.unescape(body).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(parts)) for _, parts in sorted(rows.items()))


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def workspace(app: WatApp) -> WorkspaceScreen:
    ws = app.screen
    assert isinstance(ws, WorkspaceScreen), ws
    return ws


def stored(data_dir: Path, sid: str):  # type: ignore[no-untyped-def]
    review = Review.open(data_dir)
    try:
        return review.state(sid), tk.load_timeline(review, sid), tk.parking_lot(review, sid)
    finally:
        review.close()


async def test_a_five_hour_workshop_on_two_laptops(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_dir, b_dir = tmp_path / "laptop-a", tmp_path / "laptop-b"
    # The workshop starts a minute from now, so that stamps made by the command line come before the room's.
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    clock = FakeClock(start)

    # -- preparation: the session and its participants, from the command line ---------------------------------
    out = cli(capsys, "--data-dir", str(a_dir), "new", "Checkout review", "--workload-type", "critical-ecommerce",
              "--duration", "5h", "--participant", "Ana Ruiz:Facilitator",
              "--participant", "Ben Okafor:Workload owner", "--participant", "Dana Levi:Security specialist")
    cli(capsys, "--data-dir", str(a_dir), "--as", "Ana Ruiz", "list")  # who facilitates on laptop A
    review = Review.open(a_dir)
    sid = review.find_session("Checkout review")
    assert out.strip() == sid  # the new session's id, for scripts
    agenda = tk.load_agenda(review, sid)
    review.close()
    pillar_blocks = [b for b in agenda if b.kind == "pillar"]
    assert [b.pillar for b in pillar_blocks[:3]] == ["reliability", "security", "performance"]

    # -- laptop A in the room, at the projector's size -------------------------------------------------------
    app = build_app(a_dir, sid, clock=clock)
    async with app.run_test(size=ROOM) as pilot:
        await pilot.pause()
        ws = workspace(app)
        first_block = ws.clock.timeline.keys(pillar_blocks[0])
        assert ws.current_key == first_block[0]  # where the agenda starts, not OPS01
        assert "REL01" in screen_text(app)
        assert "c to start" in screen_text(app)

        await pilot.press("c")  # the clock starts on the question on screen
        await pilot.pause()
        seen = screen_text(app)
        assert "▶" in seen and "pace: after 10 min" in seen and "ahead" not in seen

        # Reliability: two practices in place, then "None of these" on the next question
        await pilot.press("1", "2")
        clock.advance(minutes=6)
        await pilot.press("n")
        await pilot.press("minus")
        clock.advance(minutes=5)
        await pilot.pause()
        rel = ws.current_key
        # A note with hostile Markdown on this question, typed and saved as it is typed
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#note-body", TextArea).insert(HOSTILE_NOTE)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("v")  # the notes pane, in place of the outline at this width
        await pilot.pause()
        seen = screen_text(app)
        assert "[red]only[/]" in seen and "\\x1b]0;pwned\\x07" in seen  # shown as written, never run
        assert "pwned" not in app.title and "\x1b" not in seen
        await pilot.press("v")
        # An action item for it
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#action-title").value = "Alarm at 80% of every quota"  # type: ignore[attr-defined]
        app.screen.query_one("#action-due").value = "2027-01-15"  # type: ignore[attr-defined]
        app.screen.query_one("#action-owner").value = "Ben Okafor"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Someone says the alarm exists already: the notes pane (F4), down past the note to the item, space closes
        # it; it does not after all: space opens it again. Then back to the practices (F3) and the outline (v).
        await pilot.press("f4", "down", "space")
        await pilot.pause()
        assert [a.status for a in ws.state.actions_for(rel)] == ["done"]
        await pilot.press("space")
        await pilot.pause()
        assert [a.status for a in ws.state.actions_for(rel)] == ["open"]
        await pilot.press("f3", "v")
        await pilot.pause()
        assert "-show-notes" not in ws.classes
        # Park the third question for the DBA
        await pilot.press("n")
        await pilot.press("L")
        await pilot.pause()
        parked = ws.current_key
        await pilot.press("L")  # again: say why, in the facilitator's words
        await pilot.pause()
        await pilot.press(*"needs the DBA", "enter")
        await pilot.pause()
        assert "parked: needs the DBA" in screen_text(app)

        # Security: the first question does not apply (reason 1), a practice of the next one does not either
        await pilot.press("N")
        await pilot.pause()
        clock.advance(minutes=8)
        assert ws.clock.strip().block.pillar == "security"  # type: ignore[union-attr]
        sec_na = ws.current_key
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("1")
        await pilot.press("n")
        await pilot.pause()
        sec_choice = ws.current_key
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("2")
        await pilot.press("3")
        clock.advance(minutes=7)

        # Performance
        await pilot.press("N")
        await pilot.press("1")
        perf = ws.current_key
        clock.advance(minutes=4)
        await pilot.pause()
        seen = screen_text(app)
        assert "pace: after 10 min" not in seen  # thirty minutes counted: the pace is judged now

        # The wrap-up board: the action item and the parking lot with its reason, from one place
        await pilot.press("b")
        await pilot.pause()
        board = screen_text(app)
        assert "Alarm at 80% of every quota" in board and "needs the DBA" in board
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ws

        # The break, with its large countdown; time recorded against the break block
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BreakScreen)
        clock.advance(minutes=10)
        await pilot.press("escape")
        await pilot.pause()
        before_quit = ws.clock.strip().elapsed
        await pilot.press("ctrl+q")
    assert before_quit == 40 * 60

    state, timeline, lot = stored(a_dir, sid)
    assert timeline.status(clock.now()) == "paused"  # quitting stopped the clock
    assert [(p.key, p.reason) for p in lot] == [(parked, "needs the DBA")]
    assert state.answers[sec_na].not_applicable and state.answers[sec_na].reason
    assert state.answers[sec_choice].na_choices
    assert [n.body for n in state.notes_for(rel)] == [HOSTILE_NOTE]
    assert [(a.title, a.owner) for a in state.actions_for(rel)] == [("Alarm at 80% of every quota", "Ben Okafor")]
    assert perf in state.answers

    # -- the second facilitator's laptop B gets the session as a file ---------------------------------------
    handout = tmp_path / "a-1.json"
    cli(capsys, "--data-dir", str(a_dir), "export", sid, "-o", str(handout))
    assert "Merged 1 file" in cli(capsys, "--data-dir", str(b_dir), "--as", "Bo Chen", "merge", str(handout))

    # -- four minutes later A reopens: time and position kept, the minutes closed not counted -----------------
    clock.advance(minutes=4)
    app = build_app(a_dir, sid, clock=clock)
    async with app.run_test(size=ROOM) as pilot:
        await pilot.pause()
        ws = workspace(app)
        assert ws.current_key == perf
        strip = ws.clock.strip()
        assert strip.status == "paused" and strip.elapsed == 40 * 60
        assert "PAUSED" in screen_text(app)
        await pilot.press("c")
        await pilot.press("3")  # the room adds a practice on the performance question, after the handout
        clock.advance(minutes=3)
        await pilot.press("ctrl+q")

    app = build_app(b_dir, sid, clock=clock)
    async with app.run_test(size=ROOM) as pilot:
        await pilot.pause()
        ws = workspace(app)
        ws.go_to_key(perf)
        await pilot.press("1", "2")  # B ticks differently on the same performance question
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#note-body", TextArea).insert("Seen from the breakout room: CDN only for images.")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+q")

    # -- both export, both merge both ways ------------------------------------------------------------------
    from_a, from_b = tmp_path / "a-2.json", tmp_path / "b-1.json"
    cli(capsys, "--data-dir", str(a_dir), "export", sid, "-o", str(from_a))
    cli(capsys, "--data-dir", str(b_dir), "export", sid, "-o", str(from_b))
    assert "1 open conflict(s)" in cli(capsys, "--data-dir", str(a_dir), "merge", str(from_b))
    cli(capsys, "--data-dir", str(b_dir), "merge", str(from_a))
    for d in (a_dir, b_dir):
        review = Review.open(d)
        assert [c.target for c in open_conflicts(review, sid)] == [f"answer/{perf}"]
        review.close()

    # -- A sees the conflict and settles it ------------------------------------------------------------------
    app = build_app(a_dir, sid, clock=clock)
    async with app.run_test(size=ROOM) as pilot:
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        shown = screen_text(app)
        # both values, each with who wrote it and when (the device names come from the machine)
        assert "Conflicts · 1 open" in shown and "1 selected:" in shown and "2 selected:" in shown
        assert shown.count("from") >= 2
        assert "Ana Ruiz on this laptop" in shown  # people's names, not the computer account
        detail = str(app.screen.query_one("#conflict-detail").render())  # the other value, scrolled to below
        assert "Bo Chen on" in detail
        await pilot.press("2")  # keep laptop B's value
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+q")
    settled = tmp_path / "a-3.json"
    cli(capsys, "--data-dir", str(a_dir), "export", sid, "-o", str(settled))
    cli(capsys, "--data-dir", str(b_dir), "merge", str(settled))

    # -- both reports ----------------------------------------------------------------------------------------
    reports = []
    for d in (a_dir, b_dir):
        review = Review.open(d)
        assert open_conflicts(review, sid) == []
        review.close()
        reports.append(cli(capsys, "--data-dir", str(d), "report", sid))
    a_report, b_report = reports
    assert a_report == b_report  # the same session on both laptops
    assert "**Actual duration:** 43m" in a_report  # 40 + 3 minutes: the minutes closed are not counted
    assert "Parking lot" in a_report and "Seen from the breakout room" in a_report
    assert re.search(r"(?<!\\)<script>", a_report) is None and "\\<script>" in a_report  # escaped Markdown
    assert "\x1b" not in a_report and "\x07" not in a_report
    assert "## Open merge conflicts\n\nNone:" in a_report  # settled on A, and the settlement reached B
    assert "Seen from the breakout room" in a_report.split("Note from **Bo Chen**", 1)[1]  # signed by B's facilitator

    # -- afterwards: a milestone on A reaches B with the next file, and the follow-up compares against it -------
    cli(capsys, "--data-dir", str(a_dir), "milestone", sid, "After the workshop")
    milestone_file = tmp_path / "a-4.json"
    cli(capsys, "--data-dir", str(a_dir), "export", sid, "-o", str(milestone_file))
    cli(capsys, "--data-dir", str(b_dir), "merge", str(milestone_file))
    review = Review.open(b_dir)
    assert [m.name for m in review.milestones(sid)] == ["After the workshop"]
    review.close()
    assert "## Progress since After the workshop" in cli(capsys, "--data-dir", str(b_dir), "report", sid)

    # -- the follow-up on B runs in the app: only the open high and medium risks, one of them scored ------------
    clock.advance(minutes=60)  # (a month later in life; the bundle check holds stamps to a day ahead of now)
    app = build_app(b_dir, sid, clock=clock, followup=True)
    async with app.run_test(size=ROOM) as pilot:
        await pilot.pause()
        ws = workspace(app)
        assert "Follow-up · " in screen_text(app)
        at_risk = {Risk.HIGH, Risk.MEDIUM}
        assert ws.order and all(ws.state.risk(lens, q) in at_risk for lens, q in ws.order)
        first = ws.current_key
        await pilot.press("J", "J", "J", "K")  # impact high, effort low: a quick win
        await pilot.pause()
        assert "impact HIGH · effort LOW" in screen_text(app)
        for key in ("x", "1"):  # typed at once, as a facilitator does: the first practice does not apply
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")
        await pilot.pause()
        for _ in ws.order:
            await pilot.press("n")
        assert ws.index == len(ws.order) - 1  # the last open risk: n stays, and says where to go next
        await pilot.press("ctrl+q")
    review = Review.open(b_dir)
    analysis = review.analysis(sid)[first]
    assert (analysis.impact, analysis.effort) == ("high", "low")
    alias, _, qid = first.partition("/")
    assert review.answer_of(sid, alias, qid).na_choices  # saved as any edit
    assert tk.stored_agenda(review, sid) == tk.stored_agenda(Review.open(a_dir), sid)  # the workshop's untouched
    review.close()
    follow_file = tmp_path / "b-followup.json"
    cli(capsys, "--data-dir", str(b_dir), "export", sid, "-o", str(follow_file))
    cli(capsys, "--data-dir", str(a_dir), "merge", str(follow_file))
    report = cli(capsys, "--data-dir", str(a_dir), "report", sid)
    assert "quick win" in report.lower()  # the score travelled to A and reached the impact/effort matrix
