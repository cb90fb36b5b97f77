"""The room's view (``wat-tui present``): the facilitator's app and the presenter side by side on one data
directory, each with its own connection, as on the workshop laptop. Waits are on conditions, never on idle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Digits, Static

from tests.clocks import FakeClock
from tests.ui_support import FROZEN, make_demo
from tests.ui_support import until as wait_until
from wat_tui.cli.parser import build_parser, normalise
from wat_tui.cli.present import cmd_present, facilitated_session
from wat_tui.errors import NotFound
from wat_tui.exchange.bundle import bundle_text, export_bundle
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.store.errors import StoreBusy
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.presenter import PresenterApp, build_presenter
from wat_tui.ui.presenter_link import (
    FOLLOWING_WITHIN,
    HEARTBEAT_KEY,
    record_heartbeat,
    room_view_following,
)
from wat_tui.ui.presenter_text import Room, room_mode
from wat_tui.ui.screens.workspace import WorkspaceScreen

SIZE = (100, 28)


async def until(pilot: Pilot[None], holds: Callable[[], bool], seconds: float = 5.0) -> None:
    """Let both apps run until ``holds()``. (The facilitator's workspace stores its place on its own timer: a
    test calling the screen's methods itself would run them as the app last started, the room's view, since
    Textual finds a widget's app in a context variable.)"""
    await wait_until(pilot, holds, seconds, "the room's view did not follow in time")


def shown(app: PresenterApp) -> str:
    """Every word the room's view puts on its screen now (hidden widgets left out)."""
    return "\n".join(str(w.render()) for w in app.query(Static)
                     if all(getattr(node, "display", True) for node in w.ancestors_with_self))


def workspace(app: WatApp) -> WorkspaceScreen:
    assert isinstance(app.screen, WorkspaceScreen)
    return app.screen


def both(data_dir: Path, clock: FakeClock | None = None) -> tuple[WatApp, PresenterApp, str]:
    sid = make_demo(data_dir)
    clock = clock or FakeClock(FROZEN)
    return build_app(data_dir, sid, clock=clock), build_presenter(data_dir, sid, clock=clock), sid


def run_clock_on_open_question(review: Review, sid: str, now: datetime) -> None:
    """The session clock has run for 20 minutes in the block of the question the facilitator has open, and their
    app, still running, has just beaten its heartbeat (benchmarks/bench_presenter.py starts the same way)."""
    start = now - timedelta(minutes=20)
    tk.start_session_clock(review, sid, start)
    key = review.position(sid)
    tl = tk.load_timeline(review, sid)
    block = next(b for b in tl.blocks if key in tl.keys(b))
    tk.enter_block(review, sid, block.id, start)
    tk.set_question(review, sid, key, start)
    tk.heartbeat(review, sid, now)


def start_in_current_block(data_dir: Path, sid: str) -> None:
    with Review.open(data_dir) as r:
        r.set_clock(lambda: FROZEN)  # stamped as the facilitator's app stamps them: by the room's clock
        run_clock_on_open_question(r, sid, FROZEN)


async def test_follows_the_question_the_facilitator_opens(data_dir: Path) -> None:
    fac, room, sid = both(data_dir)
    start_in_current_block(data_dir, sid)
    async with fac.run_test(size=SIZE) as fp, room.run_test(size=SIZE) as rp:
        ws = workspace(fac)
        await until(rp, lambda: room.mode == "question" and ws.current[1].title in shown(room))
        await fp.press("n")
        title = ws.current[1].title
        await until(rp, lambda: title in shown(room))
        assert ws.current[1].label in shown(room)
        await fp.press("p")
        await until(rp, lambda: ws.current[1].title in shown(room) and title not in shown(room))


async def test_ticks_and_the_risk_badge_follow(data_dir: Path) -> None:
    fac, room, sid = both(data_dir)
    start_in_current_block(data_dir, sid)
    async with fac.run_test(size=SIZE) as fp, room.run_test(size=SIZE) as rp:
        ws = workspace(fac)
        await until(rp, lambda: room.mode == "question")
        practices = room.query_one("#room-q-practices", Static)
        first = next(c for c in ws.current[1].choices if not c.is_none_choice)
        line = lambda: next(ln for ln in str(practices.render()).splitlines() if first.title in ln)  # noqa: E731
        ticked = first.id in ws.current_answer().selected
        await fp.press("1")
        assert (first.id in ws.current_answer().selected) != ticked
        await until(rp, lambda: ("[✓]" in line()) != ticked)
        lens, q = ws.current
        badge = str(room.query_one("#room-q-header", Static).render()).split()[1]
        assert badge == ws.state.risk(lens, q).name.replace("MEDIUM", "MED").replace("UNANSWERED", "open")


async def test_private_notes_and_hints_never_show(data_dir: Path) -> None:
    fac, room, sid = both(data_dir)
    start_in_current_block(data_dir, sid)
    async with fac.run_test(size=(120, 36)) as fp, room.run_test(size=(120, 36)) as rp:
        ws = workspace(fac)
        key = ws.current_key
        fac.review.add_note(sid, key, "Ana", "Shared with the room: two accounts")
        fac.review.add_note(sid, key, "Ana", "Quietly: the CTO disagrees", private=True)
        await fp.press("h")  # the facilitator reads the hint on their own screen
        await until(rp, lambda: "Shared with the room" in shown(room))
        hint = ws.current[1].helpful_resource
        assert hint is not None and hint.text
        words = " ".join(hint.text.split()[:6])
        for text in (shown(room), room.export_screenshot()):
            assert "CTO disagrees" not in text.replace("&#160;", " ")
            assert words not in text.replace("&#160;", " ")
        # Made private later, a note leaves the room's screen.
        note = next(n for n in fac.review.state(sid).notes if n.body.startswith("Shared"))
        fac.review.edit_note(sid, note.id, note.body, private=True)
        await until(rp, lambda: "Shared with the room" not in shown(room))


async def test_a_break_shows_its_countdown(data_dir: Path) -> None:
    clock = FakeClock(FROZEN)
    fac, room, sid = both(data_dir, clock)
    start_in_current_block(data_dir, sid)
    async with fac.run_test(size=SIZE) as fp, room.run_test(size=SIZE) as rp:
        await until(rp, lambda: room.mode == "question")
        await fp.press("B")
        await until(rp, lambda: room.mode == "break")
        digits = room.query_one(Digits)
        assert digits.value == "10:00"
        assert "Back at" in shown(room) and "Next:" in shown(room)
        clock.advance(seconds=90)
        room.tick()
        assert digits.value == "08:30"
        clock.advance(minutes=9)
        room.tick()
        assert digits.value == "+00:30" and "Time to start again" in shown(room)
        await fp.press("escape")  # the break is over: the facilitator is back on the question
        await until(rp, lambda: room.mode == "question")


async def test_the_clock_of_a_facilitator_app_that_died_stops_counting(data_dir: Path) -> None:
    clock = FakeClock(FROZEN + timedelta(seconds=30))
    _, room, sid = both(data_dir, clock)
    start_in_current_block(data_dir, sid)  # 20 minutes counted by FROZEN, when the app last beat its heartbeat
    async with room.run_test(size=(120, 36)) as rp:
        await until(rp, lambda: room.room is not None)
        bar = room.query_one("#room-clock", Static)
        assert "▶ 20:30" in str(bar.render())  # the app is running: its clock counts up to now
        clock.advance(minutes=10)  # and no heartbeat since: it died
        room.reread()
        assert "⏸ PAUSED 20:00" in str(bar.render())


async def test_only_quit_and_theme_keys(data_dir: Path) -> None:
    fac, room, sid = both(data_dir)
    start_in_current_block(data_dir, sid)
    with Review.open(data_dir) as other:
        ops = len(other.ops(sid))
    async with room.run_test(size=SIZE) as rp:
        await until(rp, lambda: room.mode == "question")
        before = shown(room)
        for key in ("n", "p", "N", "1", "space", "enter", "minus", "x", "a", "i", "d", "h", "w", "e", "t", "f",
                    "v", "g", "s", "c", "A", "B", "L", "M", "E", "I", "C", "ctrl+z", "ctrl+y", "ctrl+p", "tab",
                    "escape", "f1", "question_mark", "down", "pagedown", "end"):
            await rp.press(key)
        await rp.pause()
        assert shown(room) == before and len(room.screen_stack) == 1 and room.is_running
        assert room.theme == "wat-projector"
        await rp.press("ctrl+t")
        assert room.theme == "wat-dark"
        await rp.press("q")
        await rp.pause()
        assert not room.is_running
    with Review.open(data_dir) as other:
        assert len(other.ops(sid)) == ops  # the room's view wrote nothing of the session


async def test_agenda_before_the_clock_starts_until_the_facilitator_moves(data_dir: Path) -> None:
    fac, room, sid = both(data_dir)
    async with fac.run_test(size=SIZE) as fp, room.run_test(size=SIZE) as rp:
        ws = workspace(fac)
        await until(rp, lambda: room.room is not None)
        assert room.mode == "agenda"
        text = shown(room)
        assert "Agenda" in text and "starting soon" in text and "Whole review" in text
        await fp.press("n")
        await until(rp, lambda: room.mode == "question" and ws.current[1].title in shown(room))


def test_room_mode_rules(data_dir: Path) -> None:
    sid = make_demo(data_dir)
    with Review.open(data_dir) as r:
        key = r.position(sid)
        room = Room(r.state(sid), tk.load_timeline(r, sid), key)
        assert room_mode(room, FROZEN, key) == "agenda"  # not started, nobody moved
        assert room_mode(room, FROZEN, "other/question") == "question"
        assert room_mode(Room(room.state, room.timeline, None), FROZEN, None) == "agenda"
        tk.start_session_clock(r, sid, FROZEN)  # the opening block: the agenda, as before the start
        room = Room(r.state(sid), tk.load_timeline(r, sid, live=True), key)
        assert room_mode(room, FROZEN, key) == "agenda"
        brk = next(b for b in room.timeline.blocks if b.kind == "break")
        tk.enter_block(r, sid, brk.id, FROZEN)
        room = Room(r.state(sid), tk.load_timeline(r, sid, live=True), key)
        assert room_mode(room, FROZEN, "other/question") == "break"


async def test_heartbeat_tells_the_facilitator_and_stays_on_this_laptop(data_dir: Path) -> None:
    fac, room, sid = both(data_dir)
    async with fac.run_test(size=SIZE), room.run_test(size=SIZE) as rp:
        await until(rp, lambda: room_view_following(fac.review, sid, FROZEN))
        assert not room_view_following(fac.review, sid, FROZEN + timedelta(seconds=FOLLOWING_WITHIN + 1))
        bundle = bundle_text(export_bundle(fac.review, sid))
        assert HEARTBEAT_KEY not in bundle and "presenter" not in bundle
    # The room's view closed: the facilitator's indicator goes off at once.
    with Review.open(data_dir) as r:
        assert not room_view_following(r, sid, FROZEN)
        r.set_local_setting(sid, HEARTBEAT_KEY, "not a time")
        assert not room_view_following(r, sid, FROZEN)
        record_heartbeat(r, sid, FROZEN)
        assert room_view_following(r, sid, FROZEN + timedelta(seconds=3))


async def test_closing_either_leaves_the_other_working(data_dir: Path) -> None:
    fac, room, sid = both(data_dir)
    start_in_current_block(data_dir, sid)
    async with room.run_test(size=SIZE) as rp:
        async with fac.run_test(size=SIZE) as fp:
            await until(rp, lambda: room.mode == "question")
            await fp.press("q")  # the facilitator quits: the room's view goes on
            await fp.pause()
        with Review.open(data_dir) as scribe:  # and still follows whoever writes next on this laptop
            scribe.add_note(sid, scribe.position(sid) or "", "Ana", "Written after the app closed")
        await until(rp, lambda: "Written after the app closed" in shown(room))
        assert room.is_running
    again = build_app(data_dir, sid, clock=FakeClock(FROZEN))
    room2 = build_presenter(data_dir, sid, clock=FakeClock(FROZEN))
    async with again.run_test(size=SIZE) as fp:
        async with room2.run_test(size=SIZE) as rp:
            await until(rp, lambda: room2.room is not None)
            await rp.press("q")
            await rp.pause()
        ws = workspace(again)
        ticked = ws.current_answer().selected
        await fp.press("1")  # the room's view is gone and held no lock: the facilitator's edit is saved at once
        assert workspace(again).current_answer().selected != ticked and again.store_problem is None


async def test_a_database_that_refuses_is_told_and_the_view_goes_on(data_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import wat_tui.ui.presenter as presenter

    _, room, sid = both(data_dir)
    start_in_current_block(data_dir, sid)
    async with room.run_test(size=SIZE) as rp:
        await until(rp, lambda: room.mode == "question")
        before = shown(room)

        def busy(*_: object) -> None:
            raise StoreBusy("wat-tui.sqlite3: the database is locked by another program", data_dir)

        monkeypatch.setattr(presenter.link, "record_heartbeat", busy)
        monkeypatch.setattr(presenter, "read_room", busy)
        room._heartbeat()
        room._seen = None  # as if another process had committed
        await until(rp, lambda: "cannot read the session" in shown(room))
        assert "cannot tell the facilitator" in shown(room) and room.is_running and room.mode == "question"
        assert before.split("\n")[:-1] == shown(room).split("\n")[:-1]  # the room keeps what it showed
        monkeypatch.undo()
        room._heartbeat()
        room._seen = None
        await until(rp, lambda: "⚠" not in shown(room))


def test_the_command_line_parses_present(data_dir: Path) -> None:
    parser = build_parser()
    args = parser.parse_args(normalise(["present"]))
    assert args.command == "present" and args.session is None
    args = parser.parse_args(normalise(["--data-dir", str(data_dir), "present", "checkout"]))
    assert args.command == "present" and args.session == "checkout"
    assert "present" in parser.format_help()


def test_present_refuses_what_it_cannot_show(data_dir: Path) -> None:
    args = build_parser().parse_args(normalise(["present", "nope"]))
    with pytest.raises(NotFound, match="nope"):
        cmd_present(args, data_dir)
    assert not data_dir.exists()  # a mistyped command leaves no database behind
    with Review.open(data_dir):
        pass
    with pytest.raises(NotFound, match="no sessions yet"):
        cmd_present(build_parser().parse_args(normalise(["present"])), data_dir)


def test_without_a_session_the_one_worked_on_here_last(data_dir: Path) -> None:
    with Review.open(data_dir) as r:
        r.set_clock(lambda: FROZEN)
        first = r.create_session("First")
        r.set_clock(lambda: FROZEN + timedelta(minutes=1))
        r.create_session("Second")
        r.set_clock(lambda: FROZEN + timedelta(minutes=2))
        r.add_note(first, "", "Ana", "back to the first one")
        assert facilitated_session(r) == first



async def test_the_facilitator_sees_the_room_view_and_moves_reach_it_at_once(data_dir: Path) -> None:
    """The facilitator's clock bar says a room view follows; while it does, a move is saved straight away (not
    after the workspace's POSITION_DELAY), so the room's screen follows a move within its 300 ms."""
    from wat_tui.ui.screens.workspace_time import ROOM_MARK
    from wat_tui.ui.widgets.clock import ClockBar

    fac, room, sid = both(data_dir)
    async with fac.run_test(size=SIZE) as fp, room.run_test(size=SIZE) as rp:
        ws = workspace(fac)
        bar = ws.query_one(ClockBar)
        await until(rp, lambda: room_view_following(fac.review, sid, FROZEN))
        await fp.press("n")
        await fp.pause()
        with Review.open(data_dir) as r:
            assert r.position(sid) == ws.current_key
        assert ws.room_view and ROOM_MARK.strip() in str(bar.render())
    with Review.open(data_dir) as r:
        assert not room_view_following(r, sid, FROZEN)


def test_none_of_these_carries_no_risk_level_on_the_rooms_screen(data_dir: Path) -> None:
    from wat_tui.review.state import Answer
    from wat_tui.ui.presenter_text import practices_text
    from wat_tui.ui.themes import PALETTES

    sid = make_demo(data_dir)
    with Review.open(data_dir) as r:
        lens = r.state(sid).lenses[0]
    q = next(q for q in lens.questions if any(c.is_none_choice for c in q.choices))
    none_line = next(ln for ln in practices_text(q, Answer(), next(iter(PALETTES.values()))).plain.splitlines()
                     if ln.startswith("-"))
    assert not any(level in none_line for level in ("HIGH", "MED", "LOW")), none_line
