"""When the database cannot take a write: another program holds its lock past the busy timeout, the disk is
full, or the file is read-only. The store says so in its own words; the app keeps running, keeps what was typed,
tells the room what failed and what to do, and saves it once the cause is gone.

The lock is real (a second connection holding ``BEGIN IMMEDIATE``, with the busy timeout lowered); a full disk
and a read-only file are SQLite's own errors raised for every write statement by a wrapped connection (making a
file read-only under a live WAL connection does not stop its writes, and ``chattr +i`` on its shared-memory
file kills the process).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from tests.clocks import FakeClock
from tests.support import FailingWrites, raw_sql
from tests.ui_support import FROZEN, frozen_clock, make_demo, said_by, until
from wat_tui.cli import main
from wat_tui.exchange.bundle import write_bundle
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.store import db
from wat_tui.store.errors import StoreBusy, StoreError, StoreFull, StoreReadOnly
from wat_tui.store.paths import DB_NAME
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.screens import note_editor
from wat_tui.ui.screens.action_editor import ActionEditor
from wat_tui.ui.screens.note_editor import NoteEditor
from wat_tui.ui.screens.store_error import StoreErrorScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.clock import ClockBar

SIZE = (120, 36)
ALIAS, QID = "wellarchitected", "data-classification"
QUESTION = f"{ALIAS}/{QID}"
KINDS = ["locked", "full", "read-only"]
EXPECTED: dict[str, tuple[type[StoreError], str]] = {
    "locked": (StoreBusy, "locked"),
    "full": (StoreFull, "disk is full"),
    "read-only": (StoreReadOnly, "read-only"),
}
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class Trouble:
    """One cause of failing writes on a review's database, switched on and off."""

    def __init__(self, kind: str, review: Review, data_dir: Path) -> None:
        self.kind = kind
        self.review = review
        self.path = data_dir / DB_NAME
        self._holder: sqlite3.Connection | None = None
        self._failing: FailingWrites | None = None
        if kind != "locked":
            message, code = {"full": ("database or disk is full", 13),
                             "read-only": ("attempt to write a readonly database", 8)}[kind]
            # Every engine: the app's merge and export jobs write through their own connection.
            self._failing = FailingWrites(review, message, code, everywhere=True)

    def start(self) -> None:
        if self._failing is not None:
            self._failing.failing = True
        else:
            self._holder = sqlite3.connect(self.path, isolation_level=None)
            self._holder.execute("BEGIN IMMEDIATE")  # another program's write lock, held past the busy timeout

    def stop(self) -> None:
        if self._failing is not None:
            self._failing.failing = False
        elif self._holder is not None:
            self._holder.execute("ROLLBACK")
            self._holder.close()
            self._holder = None

    def remove(self) -> None:
        """Stop, and take the failing hook off every engine (the test is over)."""
        self.stop()
        if self._failing is not None:
            self._failing.remove()


@pytest.fixture(autouse=True)
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes give up on another program's lock after 0.1 s instead of 10 s."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)


@pytest.fixture
def trouble_stops() -> Iterator[list[Trouble]]:
    troubles: list[Trouble] = []
    yield troubles
    for t in troubles:
        t.remove()


def stored(data_dir: Path, sid: str):  # type: ignore[no-untyped-def]
    review = Review.open(data_dir)
    try:
        return review.state(sid)
    finally:
        review.close()




def start_app(data_dir: Path, kind: str, troubles: list[Trouble],
              clock: FakeClock | None = None) -> tuple[WatApp, str, Trouble, list[str]]:
    sid = make_demo(data_dir)
    app = build_app(data_dir, sid, clock=clock or frozen_clock())
    trouble = Trouble(kind, app.review, data_dir)
    troubles.append(trouble)
    return app, sid, trouble, said_by(app)


def unticked(ws: WorkspaceScreen) -> tuple[str, str]:
    """The key of a practice not ticked on the question on screen, and its choice id."""
    practices = [c for c in ws.current[1].choices if not c.is_none_choice]
    i = next(i for i, c in enumerate(practices) if c.id not in ws.current_answer().selected)
    return str((i + 1) % 10), practices[i].id


def dialog_text(app: WatApp) -> str:
    screen = app.screen
    assert isinstance(screen, StoreErrorScreen), screen
    return str(screen.query_one("#store-error-message").render())


# -- the store: its own errors, naming the database ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_write_that_the_file_refuses_is_the_store_s_own_error_and_changes_nothing(
        data_dir: Path, kind: str, trouble_stops: list[Trouble]) -> None:
    sid = make_demo(data_dir)
    review = Review.open(data_dir)
    try:
        notes_before = len(review.state(sid).notes)
        trouble = Trouble(kind, review, data_dir)
        trouble_stops.append(trouble)
        trouble.start()
        error_type, words = EXPECTED[kind]
        with pytest.raises(error_type) as caught:
            review.add_note(sid, QUESTION, "Ana", "Written while the file said no")
        assert str(data_dir / DB_NAME) in str(caught.value) and words in str(caught.value)
        assert caught.value.path == data_dir / DB_NAME
        assert len(review.state(sid).notes) == notes_before
        trouble.stop()
        review.add_note(sid, QUESTION, "Ana", "Written once the cause was gone")
        assert [n.body for n in review.state(sid).notes][-1] == "Written once the cause was gone"
        # After a busy failure, retries waited only briefly; a write that went through restores the full wait.
        assert raw_sql(review, "PRAGMA busy_timeout") == [(db.BUSY_TIMEOUT_MS,)]
    finally:
        review.close()


def test_a_locked_database_is_one_error_line_on_the_command_line(
        data_dir: Path, capsys: pytest.CaptureFixture[str], trouble_stops: list[Trouble]) -> None:
    make_demo(data_dir)
    review = Review.open(data_dir)
    trouble = Trouble("locked", review, data_dir)
    trouble_stops.append(trouble)
    try:
        trouble.start()
        assert main(["new", "While locked"]) == 1
    finally:
        trouble.stop()
        review.close()
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wat-tui: error: ") and "locked" in lines[0], err
    assert str(data_dir / DB_NAME) in lines[0]


# -- one-shot edits: a dialog that says what failed, and retries --------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_a_tick_that_cannot_be_saved_is_told_and_saved_once_the_cause_is_gone(
        data_dir: Path, kind: str, trouble_stops: list[Trouble]) -> None:
    app, sid, trouble, _ = start_app(data_dir, kind, trouble_stops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        key, first = unticked(ws)
        trouble.start()
        await pilot.press(key)
        await pilot.pause()
        shown = dialog_text(app)
        assert EXPECTED[kind][1] in shown and str(data_dir / DB_NAME) in shown
        assert "Nothing you typed is lost" in shown
        assert app.is_running
        await pilot.press("r")  # still failing: the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, StoreErrorScreen)
        trouble.stop()
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is ws
        assert first in ws.current_answer().selected  # the screen shows the saved tick
        assert app.store_problem is None
    answer = stored(data_dir, sid).answer(ALIAS, QID)
    assert answer is not None and first in answer.selected


async def test_the_dialog_retries_by_itself(data_dir: Path, trouble_stops: list[Trouble],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from wat_tui.ui.screens import store_error

    monkeypatch.setattr(store_error, "RETRY_EVERY", 0.2)
    app, sid, trouble, said = start_app(data_dir, "locked", trouble_stops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        key, first = unticked(ws)
        trouble.start()
        await pilot.press(key)
        await pilot.pause(0.5)
        assert isinstance(app.screen, StoreErrorScreen)
        trouble.stop()
        for _ in range(20):
            await pilot.pause(0.1)
            if app.screen is ws:
                break
        assert app.screen is ws
        assert any("Saved" in s for s in said), said
    answer = stored(data_dir, sid).answer(ALIAS, QID)
    assert answer is not None and first in answer.selected


async def test_esc_leaves_the_edit_unsaved_and_the_screen_shows_what_is_stored(
        data_dir: Path, trouble_stops: list[Trouble]) -> None:
    app, sid, trouble, _ = start_app(data_dir, "full", trouble_stops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        key, first = unticked(ws)
        trouble.start()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, StoreErrorScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ws and first not in ws.current_answer().selected
        trouble.stop()
        await pilot.press(key)  # carries on as usual
        await pilot.pause()
        assert first in ws.current_answer().selected


# -- text being typed: the editor keeps it and keeps trying -------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_a_note_typed_while_the_database_refuses_stays_in_the_editor_and_is_saved_later(
        data_dir: Path, kind: str, trouble_stops: list[Trouble], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(note_editor, "RETRY_EVERY", 0.2)
    app, sid, trouble, said = start_app(data_dir, kind, trouble_stops)
    before = {n.id for n in stored(data_dir, sid).notes}
    text = "Card numbers are in the debug logs"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        trouble.start()
        editor.query_one("#note-body", TextArea).insert(text)
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        status = str(editor.query_one("#note-status").render())
        assert "Not saved yet" in status and EXPECTED[kind][1] in status and "Nothing you typed is lost" in status
        assert any(EXPECTED[kind][1] in s for s in said), said  # and the whole app is told
        await pilot.press("escape")  # closing would lose the text: the editor stays
        await pilot.pause()
        assert app.screen is editor and app.is_running
        assert editor.query_one("#note-body", TextArea).text == text
        await pilot.press("space", "o", "k")  # typing goes on meanwhile
        await pilot.pause(0.5)
        assert [n for n in stored(data_dir, sid).notes if n.id not in before] == []
        trouble.stop()
        for _ in range(20):
            await pilot.pause(0.1)
            if not str(editor.query_one("#note-status").render()).strip():
                break
        new = [n.body for n in stored(data_dir, sid).notes if n.id not in before]
        assert new == [text + " ok"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_an_action_item_that_cannot_be_saved_is_offered_again_with_its_text(
        data_dir: Path, trouble_stops: list[Trouble]) -> None:
    app, sid, trouble, _ = start_app(data_dir, "read-only", trouble_stops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        trouble.start()
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#action-title", Input).value = "Mask card numbers in logs"
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ActionEditor)
        assert editor.query_one("#action-title", Input).value == "Mask card numbers in logs"
        assert "read-only" in str(editor.query_one("#action-error").render())
        trouble.stop()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    assert [a.title for a in stored(data_dir, sid).actions_for(QUESTION)][-1] == "Mask card numbers in logs"


# -- every other write path: the app carries on, says why, and the edit goes through afterwards ---------------


async def test_not_applicable_parking_undo_and_the_bell(data_dir: Path, trouble_stops: list[Trouble]) -> None:
    app, sid, trouble, _ = start_app(data_dir, "full", trouble_stops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for keys in (["L"], ["a", "2"], ["ctrl+z"], ["M"]):
            trouble.start()
            await pilot.press(*keys)
            await pilot.pause()
            assert "disk is full" in dialog_text(app), keys
            trouble.stop()
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, WorkspaceScreen), keys
    state = stored(data_dir, sid)
    review = Review.open(data_dir)
    try:
        assert [p.key for p in tk.parking_lot(review, sid)] == [QUESTION]
        assert review.local_setting(sid, "bell") == "off"
    finally:
        review.close()
    answer = state.answer(ALIAS, QID)
    assert answer is None or not answer.not_applicable  # set, then undone


async def test_the_clock_start_and_its_heartbeat(data_dir: Path, trouble_stops: list[Trouble]) -> None:
    clock = FakeClock(START)
    app, sid, trouble, said = start_app(data_dir, "locked", trouble_stops, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        trouble.start()
        await pilot.press("c")
        await pilot.pause()
        assert "locked" in dialog_text(app)
        trouble.stop()
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is ws and ws.clock.status == "running"
        trouble.start()
        clock.advance(seconds=tk.HEARTBEAT_EVERY + 1)
        ws.query_one(ClockBar).tick()  # the once-a-second repaint writes the heartbeat
        await pilot.pause()
        assert app.screen is ws and app.is_running
        assert any("locked" in s for s in said), said
        trouble.stop()
        clock.advance(seconds=1)
        ws.query_one(ClockBar).tick()
        await pilot.pause()
    review = Review.open(data_dir)
    try:
        timeline = tk.load_timeline(review, sid)
        assert timeline.elapsed(START + timedelta(hours=1)) >= tk.HEARTBEAT_EVERY
    finally:
        review.close()


async def test_quitting_while_the_clock_cannot_be_stopped(data_dir: Path, trouble_stops: list[Trouble]) -> None:
    clock = FakeClock(START)
    app, sid, trouble, _ = start_app(data_dir, "read-only", trouble_stops, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        clock.advance(minutes=10)
        trouble.start()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "read-only" in dialog_text(app) and app.is_running
        trouble.stop()
        await pilot.press("r")
        await pilot.pause()
    review = Review.open(data_dir)
    try:
        assert tk.load_timeline(review, sid).elapsed(START + timedelta(hours=1)) == 10 * 60  # stopped at quit
    finally:
        review.close()


async def test_moving_on_saves_the_position_once_the_cause_is_gone(
        data_dir: Path, trouble_stops: list[Trouble]) -> None:
    app, sid, trouble, said = start_app(data_dir, "full", trouble_stops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        trouble.start()
        await pilot.press("n")
        await pilot.pause(0.6)  # the position is written a moment after the last move
        assert app.is_running and any("disk is full" in s for s in said), said
        trouble.stop()
        await pilot.press("n")
        await pilot.pause(0.6)
        key = ws.current_key
    review = Review.open(data_dir)
    try:
        assert review.position(sid) == key
    finally:
        review.close()


async def test_agenda_edits_and_starting_a_block(data_dir: Path, trouble_stops: list[Trouble]) -> None:
    clock = FakeClock(START)
    app, sid, trouble, said = start_app(data_dir, "read-only", trouble_stops, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        before = tk.load_agenda(app.review, sid)
        trouble.start()
        await pilot.press("down", "plus")
        await pilot.pause()
        assert app.is_running and any("read-only" in s for s in said), said
        await pilot.press("enter")  # start the selected block
        await pilot.pause()
        assert app.is_running and "read-only" in " ".join(said[-2:]) + (
            dialog_text(app) if isinstance(app.screen, StoreErrorScreen) else "")
        trouble.stop()
        while not isinstance(app.screen, WorkspaceScreen):
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("down", "plus")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    review = Review.open(data_dir)
    try:
        after = tk.stored_agenda(review, sid)
    finally:
        review.close()
    assert after is not None and after[1].minutes == before[1].minutes + 5


async def test_a_break_that_cannot_be_stored_leaves_the_workspace_working(
        data_dir: Path, trouble_stops: list[Trouble]) -> None:
    """The break screen enters its block as it opens; refused, it closes again and the room is told."""
    clock = FakeClock(START)
    app, sid, trouble, said = start_app(data_dir, "full", trouble_stops, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        trouble.start()
        await pilot.press("B")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen) and app.is_running
        assert "disk is full" in said[-1] and "do it again" in said[-1]
        trouble.stop()
        await pilot.press("B")
        await pilot.pause()
        assert type(app.screen).__name__ == "BreakScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_merging_and_settling_a_conflict_on_a_full_disk(data_dir: Path, tmp_path: Path,
                                                              trouble_stops: list[Trouble]) -> None:
    """Laptop B answers the question differently and writes a note; merging its file and keeping one value each
    fail while the disk is full, say why, and go through once it is not."""
    sid = make_demo(data_dir)
    here = Review.open(data_dir)
    other = Review.open(tmp_path / "laptop-b")
    other.set_clock(lambda: FROZEN - timedelta(hours=1))  # the other laptop's clock agrees with this one's
    try:
        handout = tmp_path / "handout.json"
        write_bundle(here, sid, handout)
        from wat_tui.exchange.merge import merge_files

        merge_files(other, [handout])
        question = here.state(sid).lens(ALIAS).question(QID)  # type: ignore[union-attr]
        assert question is not None
        here.toggle_choice(sid, ALIAS, QID, question.choices[2].id)
        other.toggle_choice(sid, ALIAS, QID, question.choices[3].id)
        other.add_note(sid, QUESTION, "Bo", "Seen from room B")
        from_b = tmp_path / "from-b.json"
        write_bundle(other, sid, from_b)
    finally:
        here.close()
        other.close()
    app = build_app(data_dir, sid, clock=frozen_clock())
    trouble = Trouble("full", app.review, data_dir)
    trouble_stops.append(trouble)
    said = said_by(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        app.screen.query_one("#merge-files", TextArea).text = str(from_b)
        trouble.start()
        await pilot.press("ctrl+s")  # the merge runs in a job, on its own connection: the disk refuses it too
        await until(pilot, lambda: "disk is full" in str(app.screen.query_one("#merge-preview").render()))
        assert app.is_running
        trouble.stop()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        await pilot.press("C")
        await pilot.pause()
        trouble.start()
        await pilot.press("1")
        await pilot.pause()
        assert app.is_running and "disk is full" in said[-1]
        assert "1 open" in str(app.screen.query_one("#conflicts-title").render())
        trouble.stop()
        await pilot.press("1")
        await pilot.pause()
        assert "none open" in str(app.screen.query_one("#conflicts-title").render())
    state = stored(data_dir, sid)
    assert "Seen from room B" in [n.body for n in state.notes] and state.conflicts == []


async def test_the_report_can_be_written_while_another_program_holds_the_lock(
        data_dir: Path, tmp_path: Path, trouble_stops: list[Trouble]) -> None:
    """Exporting only reads the database: another program's write lock does not stop it."""
    app, sid, trouble, _ = start_app(data_dir, "locked", trouble_stops)
    target = tmp_path / "report.md"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        trouble.start()
        await pilot.press("E")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    assert "ShopFast" in target.read_text(encoding="utf-8")
