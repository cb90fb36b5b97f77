"""The board (b in the workspace): the wrap-up from one screen, driven as a facilitator drives it (issue 13).

Every action item (edit, close or reopen, add, one owner's), the parking lot (why each question is there, and the
question opened in the workspace) and the open conflicts (the conflicts screen from there).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.ui_support import PREPARED, demo_app, make_demo
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.merge import merge_files
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.screens.action_editor import ActionEditor
from wat_tui.ui.screens.board import BoardScreen, ParkedList
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.notes import ActionList, IdList

SIZE = (120, 36)
QUOTAS = "wellarchitected/manage-service-limits"
TELEMETRY = "wellarchitected/telemetry"


def stored(data_dir: Path, sid: str) -> SessionState:
    review = Review.open(data_dir)
    try:
        return review.state(sid)
    finally:
        review.close()


def listed(widget: IdList) -> list[str]:
    return [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]


def said(app: WatApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_board(pilot: Pilot[None]) -> BoardScreen:
    await pilot.press("b")
    await pilot.pause()
    board = pilot.app.screen
    assert isinstance(board, BoardScreen)
    return board


def park(data_dir: Path, sid: str) -> None:
    """Two questions in the parking lot, one with why and who."""
    review = Review.open(data_dir)
    try:
        review.set_clock(lambda: PREPARED)
        tk.park_question(review, sid, QUOTAS, "Needs the [quota] spreadsheet", "Ana Ruiz")
        tk.park_question(review, sid, TELEMETRY)
    finally:
        review.close()


async def test_b_opens_the_board_with_every_action_item_of_the_session(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = await open_board(pilot)
        items = listed(board.query_one(ActionList))
        assert len(items) == len(stored(data_dir, sid).actions) == 10
        assert any("Alarm at 80% of Lambda" in i and "REL01 Service quotas" in i for i in items)
        assert any("S3 Intelligent-Tiering" in i and "whole session" in i for i in items)
        assert "10 open" in said(app, "#board-actions-title")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_enter_on_the_board_edits_an_action_item(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = await open_board(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ActionEditor)
        assert editor.query_one("#action-title", Input).value.startswith("Load-test checkout")
        editor.query_one("#action-owner", Input).value = "Ana Ruiz"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is board
        assert "Ana Ruiz" in listed(board.query_one(ActionList))[1]
    item = next(a for a in stored(data_dir, sid).actions if a.title.startswith("Load-test checkout"))
    assert item.owner == "Ana Ruiz"


async def test_space_on_the_board_closes_an_action_item_and_opens_it_again(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = await open_board(pilot)
        await pilot.press("space")
        await pilot.pause()
        first = stored(data_dir, sid).actions[0]
        assert first.status == "done"
        assert listed(board.query_one(ActionList))[0].startswith("✓ ")
        assert "9 open" in said(app, "#board-actions-title")
        await pilot.press("space")
        await pilot.pause()
    assert stored(data_dir, sid).actions[0].status == "open"


async def test_o_shows_one_owners_items_at_a_time(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = await open_board(pilot)
        seen = []
        for _ in range(5):  # four owners in the demo, then everyone's again
            await pilot.press("o")
            await pilot.pause()
            seen.append((board.owner, len(listed(board.query_one(ActionList)))))
        assert seen == [("Ben Okafor", 1), ("Chen Wei", 5), ("Dana Levi", 2), ("Eli Novak", 2), (None, 10)]
        await pilot.press("o", "o")
        await pilot.pause()
        assert "owner: Chen Wei" in said(app, "#board-actions-title")


async def test_t_on_the_board_adds_an_item_for_the_whole_session_owned_by_anyone(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = await open_board(pilot)
        await pilot.press("t")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ActionEditor)
        editor.query_one("#action-title", Input).value = "Send the report to the [CTO]"
        editor.query_one("#action-owner", Input).value = "Priya from finance"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is board
        assert any("Send the report to the [CTO]" in i for i in listed(board.query_one(ActionList)))
    item = next(a for a in stored(data_dir, sid).actions if a.title == "Send the report to the [CTO]")
    assert (item.owner, item.question) == ("Priya from finance", None)


async def test_the_parking_lot_says_why_and_enter_opens_the_question_in_the_workspace(data_dir: Path) -> None:
    sid = make_demo(data_dir)
    park(data_dir, sid)
    from tests.ui_support import frozen_clock

    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = await open_board(pilot)
        parked = listed(board.query_one(ParkedList))
        assert len(parked) == 2
        quotas = next(p for p in parked if "REL01 Service quotas" in p)
        assert "Needs the [quota] spreadsheet · parked by Ana Ruiz" in quotas  # text, never markup
        assert "Parking lot (2)" in said(app, "#board-parking-title")
        board.query_one(ParkedList).focus()
        while "REL01" not in listed(board.query_one(ParkedList))[board.query_one(ParkedList).highlighted or 0]:
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        assert ws.current_key == QUOTAS


async def test_g_opens_the_highlighted_items_question(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_board(pilot)
        await pilot.press("down", "g")
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        assert ws.current_key == "wellarchitected/adapt-to-changes"


def conflicting_demo(data_dir: Path) -> str:
    """The demo on this laptop, where the same action item was renamed here and on another laptop."""
    sid = make_demo(data_dir)
    here, there = Review.open(data_dir), Review.open(data_dir.parent / "other")
    try:
        here.set_clock(lambda: PREPARED)
        there.set_clock(lambda: PREPARED)
        write_bundle(here, sid, data_dir.parent / "here.json")
        merge_files(there, [data_dir.parent / "here.json"])
        item = here.state(sid).actions[0].id
        here.edit_action(sid, item, title="Alarm at 80% of every quota")
        there.edit_action(sid, item, title="Alarm at 90% of the Lambda quotas")
        write_bundle(there, sid, data_dir.parent / "there.json")
        merge_files(here, [data_dir.parent / "there.json"])
        return sid
    finally:
        here.close()
        there.close()


async def test_the_board_names_open_conflicts_and_c_opens_the_conflicts_screen(data_dir: Path) -> None:
    from tests.ui_support import frozen_clock
    from wat_tui.ui.screens.conflicts import ConflictsScreen

    sid = conflicting_demo(data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = await open_board(pilot)
        assert "Conflicts (1)" in said(app, "#board-conflicts-title")
        assert "⚡" in said(app, "#board-conflicts")
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        await pilot.press("1")  # keep the first value
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is board
        assert "Conflicts (0)" in said(app, "#board-conflicts-title")


async def test_the_board_with_nothing_parked_and_no_items_says_so(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    review = Review.open(data_dir)
    try:
        for a in review.state(sid).actions:
            review.delete_action(sid, a.id)
    finally:
        review.close()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = await open_board(pilot)
        assert listed(board.query_one(ActionList)) == ["No action items.  t adds one."]
        assert listed(board.query_one(ParkedList)) == ["Nothing parked."]
        assert "None open" in said(app, "#board-conflicts")
        await pilot.press("space", "enter")  # nothing to close or edit: nothing happens
        await pilot.pause()
        assert app.screen is board


@pytest.mark.parametrize(("size", "theme"), [((80, 24), "wat-dark"), ((120, 36), "wat-projector")],
                         ids=["80x24", "projector-120x36"])
def test_board_picture(snap_compare, data_dir: Path, size: tuple[int, int], theme: str) -> None:  # type: ignore[no-untyped-def]
    """How the board looks with two questions parked (see test_ui_snapshots.py for how pictures are kept)."""
    from tests.ui_support import frozen_clock

    sid = make_demo(data_dir)
    park(data_dir, sid)
    assert snap_compare(build_app(data_dir, sid, clock=frozen_clock(), theme=theme), terminal_size=size,
                        press=["b"])


def test_the_board_key_belongs_to_the_notes_part_and_to_nothing_else_on_the_workspace() -> None:
    from textual.binding import Binding

    from wat_tui.ui.screens.workspace_notes import NotesKeys

    [board] = [b for b in NotesKeys.BINDINGS if isinstance(b, Binding) and b.id == "board"]
    assert board.key == "b" and board.action == "board" and "parking lot" in board.description
    others = [b for b in (*WorkspaceScreen.BINDINGS, *WatApp.BINDINGS) if isinstance(b, Binding) and b is not board]
    assert all("b" not in b.key.split(",") for b in others)
