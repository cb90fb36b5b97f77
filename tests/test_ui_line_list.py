"""LineList (widgets/line_list.py), the list under the notes pane's notes and action items and the board's lists,
driven as a facilitator drives it: keys, clicks, disabled options, long options, scrolling, and no repaint for
the options it already shows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.widgets.option_list import Option

from tests.ui_support import demo_app
from wat_tui.ui.screens.action_editor import ActionEditor
from wat_tui.ui.screens.board import ParkedList
from wat_tui.ui.screens.note_editor import NoteEditor
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.line_list import LineList
from wat_tui.ui.widgets.note_preview import NotePreview
from wat_tui.ui.widgets.notes import ActionList, NoteList, NotesPane

SIZE = (120, 36)
#: The demo's first reliability question: one note and one action item (Chen Wei's quota alarms).
QUOTAS = "wellarchitected/manage-service-limits"


async def on_quotas(pilot: Pilot[None], notes: Sequence[str] = (), actions: Sequence[str] = ()) -> WorkspaceScreen:
    """The workspace on the quotas question, with ``notes`` and action items titled ``actions`` added to it."""
    ws = pilot.app.screen
    assert isinstance(ws, WorkspaceScreen)
    for body in notes:
        ws.review.add_note(ws.session_id, QUOTAS, "Ana Ruiz", body)
    for title in actions:
        ws.review.add_action(ws.session_id, title, question=QUOTAS)
    ws.go_to_key(QUOTAS)
    ws.reload()
    await pilot.pause()
    return ws


def rows(widget: LineList) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def row_of(widget: LineList, words: str) -> int:
    return next(y for y, row in enumerate(rows(widget)) if words in row)


def lit(widget: LineList, y: int) -> object:
    """The background a row is drawn on (the highlighted option's rows have the cursor's)."""
    return next(iter(widget.render_line(y))).style.bgcolor  # type: ignore[union-attr]


def status(ws: WorkspaceScreen) -> list[str]:
    return [a.status for a in ws.state.actions_for(QUOTAS)]


async def test_f4_then_down_and_up_move_the_note_highlight_the_preview_follows_and_enter_edits(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, ["Second note: the sale doubles traffic", "Third note: ask the bank"])
        notes, pane = ws.state.notes_for(QUOTAS), ws.query_one(NotesPane)
        assert len(notes) == 3
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.focused, NoteList)
        assert pane.highlighted_note == notes[0]
        for key, index in [("down", 1), ("down", 2), ("down", 2), ("up", 1)]:
            await pilot.press(key)
            await pilot.pause()
            assert pane.highlighted_note == notes[index]
            preview = "\n".join(line.plain for line in ws.query_one(NotePreview).text_lines())
            assert notes[index].body.split(":")[0] in preview
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and app.screen.query_one(TextArea).text == notes[1].body


async def test_space_closes_and_reopens_the_highlighted_action_and_enter_edits_it(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, actions=["Ask the bank for its quota"])
        await pilot.press("f4", "tab", "down")
        await pilot.pause()
        actions = ws.query_one(ActionList)
        assert app.focused is actions and actions.highlighted == 1
        await pilot.press("space")
        await pilot.pause()
        assert status(ws) == ["open", "done"]  # as the workspace read it again from the database
        assert str(actions.get_option_at_index(1).prompt).startswith("✓ Ask") and actions.highlighted == 1
        await pilot.press("space")
        await pilot.pause()
        assert status(ws) == ["open", "open"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionEditor)
        assert app.screen.query_one("#action-title", Input).value == "Ask the bank for its quota"


async def test_a_click_on_a_note_highlights_it_and_opens_it(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, ["Second note", "Third note"])
        notes = ws.query_one(NoteList)
        assert notes.highlighted == 0
        await pilot.click("#note-list", offset=(4, row_of(notes, "Third note")))
        await pilot.pause()
        assert notes.highlighted == 2
        assert isinstance(app.screen, NoteEditor) and app.screen.query_one(TextArea).text == "Third note"


async def test_a_board_list_with_only_a_disabled_option_highlights_and_chooses_nothing(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        for a in app.review.state(sid).actions:
            app.review.delete_action(sid, a.id)
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        board = app.screen
        actions, parked = board.query_one(ActionList), board.query_one(ParkedList)
        assert app.focused is actions and "No action items" in rows(actions)[0]
        await pilot.press("down", "up", "end", "home", "space", "enter")
        await pilot.click("#board-actions", offset=(4, 0))
        await pilot.pause()
        assert actions.highlighted is None and app.screen is board
        parked.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "Nothing parked." in rows(parked)[0] and parked.highlighted is None and app.screen is board


class OneList(App[None]):
    """A LineList alone, with options the app never mixes: enabled ones between disabled ones."""

    chosen: list[int]

    def compose(self) -> ComposeResult:
        self.chosen = []
        yield LineList()

    def on_mount(self) -> None:
        self.query_one(LineList).set_options([Option("first"), Option("off one", disabled=True), Option("second"),
                                              Option("off two", disabled=True)])
        self.query_one(LineList).focus()

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        self.chosen.append(event.index)


async def test_up_and_down_skip_disabled_options_which_cannot_be_chosen() -> None:
    app = OneList()
    async with app.run_test(size=(40, 10)) as pilot:
        listed = app.query_one(LineList)
        seen = []
        for key in ["down", "down", "down", "up", "up", "end", "home"]:
            await pilot.press(key)
            seen.append(listed.highlighted)
        assert seen == [0, 2, 2, 0, 0, 2, 0]
        listed.highlighted = 1  # "off one"
        await pilot.click(LineList, offset=(2, 3))  # "off two"
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == [] and listed.highlighted is None
        await pilot.click(LineList, offset=(2, 2))
        await pilot.pause()
        assert app.chosen == [2] and listed.highlighted == 2


LONG = ("Raise the Lambda concurrent executions quota in every Region the checkout runs in, and write down "
        "who asked for it and when, so next year's review finds it")
WIDE = "見積もりの上限を監視する" * 6
UNBROKEN = "https://example.com/" + "x" * 70


async def test_a_long_action_item_is_wrapped_to_the_list_and_highlighted_as_one(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, actions=[LONG, WIDE, UNBROKEN])
        actions = ws.query_one(ActionList)
        actions.styles.max_height = 40  # all of it in view at once
        await pilot.press("f4", "tab")
        await pilot.pause()
        shown, width = rows(actions), actions.size.width
        assert width < len(LONG) and all(actions.render_line(y).cell_length <= width for y in range(len(shown)))
        squeezed = "".join("".join(shown).split())
        for title in (LONG, WIDE, UNBROKEN):
            assert "".join(title.split()) in squeezed, title  # every word is there, nothing cut at the edge
        first, last = row_of(actions, "□ Raise the Lambda"), row_of(actions, "review finds it")
        assert last - first >= 3
        await pilot.press("down")
        await pilot.pause()
        assert actions.highlighted == 1
        # The title's lines and the details line under them are lit together; the options around them are not.
        assert {lit(actions, y) for y in range(first, last + 2)} == {lit(actions, first)}
        assert lit(actions, first - 1) != lit(actions, first) != lit(actions, last + 2)


async def test_the_highlighted_note_stays_in_view_as_down_goes_past_the_lists_height(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    bodies = [f"note {i:02d} " + "word " * (4 * (i % 2)) + f"end{i:02d}" for i in range(12)]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, bodies)
        notes = ws.query_one(NoteList)
        await pilot.press("f4")
        await pilot.pause()
        assert notes.size.height == 10 and notes.virtual_size.height > 10
        for i in range(12):  # the demo's note first, then these
            await pilot.press("down")
            await pilot.pause()
            assert notes.highlighted == i + 1
            first, last = row_of(notes, f"note {i:02d}"), row_of(notes, f"end{i:02d}")  # both in view
            lit_rows = [y for y in range(notes.size.height) if lit(notes, y) == lit(notes, first)]
            assert lit_rows == list(range(first, last + 1)), (i, rows(notes))
        assert notes.scroll_offset.y > 0 and "end11" in rows(notes)[-1]
        await pilot.click("#note-list", offset=(4, notes.size.height - 1))  # a click counts the rows scrolled
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-body", TextArea).text == bodies[11]


async def test_set_options_with_the_options_shown_repaints_nothing(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, ["Second note", "Third note"])
        notes = ws.query_one(NoteList)
        await pilot.pause()
        before = [notes.render_line(y) for y in range(notes.size.height)]
        same = [notes.get_option_at_index(i) for i in range(notes.option_count)]
        copies = [Option(o.prompt.copy(), id=o.id) for o in same]  # type: ignore[union-attr]
        notes.set_options(copies)
        await pilot.pause()
        assert all(notes.render_line(y) is strip for y, strip in enumerate(before)) and notes.highlighted == 0
        third = row_of(notes, "Third note")
        copies[2] = Option(Text("Ana Ruiz  Fourth thought"), id=same[2].id)
        notes.set_options(copies)
        await pilot.pause()
        assert notes.render_line(third) is not before[third] and "Fourth" in notes.render_line(third).text


# -- defects: the lines kept and the lines scrolled over ----------------------------------------------------------


async def test_the_mouse_wheel_scrolls_the_notes_no_further_than_their_last_line(data_dir: Path) -> None:
    """Notes listed on exactly the list's text width (32 cells at 120x36, its scrollbar shown)."""
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, [f"n{i:02d} abcdefgh ijklmnopq" for i in range(14)])
        notes = ws.query_one(NoteList)
        await pilot.press("f4")
        await pilot.pause()
        assert len(rows(notes)[row_of(notes, "n00")].rstrip()) == notes.scrollable_content_region.width
        for _ in range(30):  # the wheel over the list (the pilot has no public helper for it)
            await pilot._post_mouse_events([events.MouseScrollDown], "#note-list", offset=(3, 3))
        await pilot.pause()
        assert "n13 abcdefgh ijklmnopq" in rows(notes)[-1] and all(row.strip() for row in rows(notes)), rows(notes)


async def test_the_notes_pane_opened_at_a_new_width_shows_its_highlighted_note(data_dir: Path) -> None:
    """The last note highlighted in the wide layout; the terminal narrowed (the pane hides); F4 shows it again."""
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, [f"n{i:02d} abcdefgh ijklmno" for i in range(14)])
        notes = ws.query_one(NoteList)
        await pilot.press("f4", "end", "f2")
        await pilot.pause()
        assert notes.highlighted == 14 and "n13" in rows(notes)[-1]
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert notes.highlighted == 14 and notes.size.width < 33
        assert any("n13" in row for row in rows(notes)), rows(notes)
