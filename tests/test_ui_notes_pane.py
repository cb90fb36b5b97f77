"""The notes pane (widgets/notes.py): one widget drawing the open question's notes, the highlighted note's preview
and the action items from lines it keeps, driven as a facilitator drives it: F4 and the arrows through the notes
and on to the action items, Enter, space, clicks, the mouse wheel, long items, and lines kept when nothing changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.ui_support import demo_app
from wat_tui.ui.screens.action_editor import ActionEditor
from wat_tui.ui.screens.note_editor import NoteEditor
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.notes import NotesPane

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


def rows(pane: NotesPane) -> list[str]:
    """The pane's rows as drawn on the screen (the last cell is its scrollbar's)."""
    return [pane.render_line(y).text for y in range(pane.size.height)]


def row_of(pane: NotesPane, words: str) -> int:
    return next(y for y, row in enumerate(rows(pane)) if words in row)


def lit(pane: NotesPane, y: int) -> object:
    """The background a row is drawn on (the highlighted item's rows have the cursor's)."""
    return next(iter(pane.render_line(y))).style.bgcolor  # type: ignore[union-attr]


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
        assert app.focused is pane
        assert pane.highlighted_note == notes[0]
        for key, index in [("down", 1), ("down", 2), ("up", 1)]:
            await pilot.press(key)
            await pilot.pause()
            assert pane.highlighted_note == notes[index] and pane.highlighted == index
            assert notes[index].body.split(":")[0] in "\n".join(pane.preview_lines())
            assert lit(pane, row_of(pane, notes[index].body.split(":")[0])) != lit(pane, 0)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and app.screen.query_one(TextArea).text == notes[1].body


async def test_down_goes_on_from_the_notes_to_the_action_items_where_space_closes_and_enter_edits(
        data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, actions=["Ask the bank for its quota"])
        pane = ws.query_one(NotesPane)
        await pilot.press("f4", "space")  # on the note: space is not a key of the pane, nothing closes
        await pilot.pause()
        assert status(ws) == ["open", "open"]
        assert "Done / reopen" not in [b.binding.description for b in app.active_bindings.values() if b.enabled]
        await pilot.press("down", "down", "down")  # past the last item: it stays there
        await pilot.pause()
        assert app.focused is pane and pane.highlighted == 2
        assert pane.highlighted_action is not None and pane.highlighted_action.title == "Ask the bank for its quota"
        assert pane.highlighted_note == ws.state.notes_for(QUOTAS)[0]  # the preview keeps the last note
        assert "Done / reopen" in [b.binding.description for b in app.active_bindings.values() if b.enabled]
        await pilot.press("space")
        await pilot.pause()
        assert status(ws) == ["open", "done"]  # as the workspace read it again from the database
        assert pane.listed_actions()[1].startswith("✓ Ask") and pane.highlighted == 2
        await pilot.press("space")
        await pilot.pause()
        assert status(ws) == ["open", "open"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionEditor)
        assert app.screen.query_one("#action-title", Input).value == "Ask the bank for its quota"


async def test_a_click_on_a_note_highlights_it_and_opens_it_and_on_an_action_item_edits_it(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, ["Second note", "Third note"])
        pane = ws.query_one(NotesPane)
        assert pane.highlighted == 0
        await pilot.click("#notes", offset=(4, row_of(pane, "Third note")))
        await pilot.pause()
        assert pane.highlighted == 2
        assert isinstance(app.screen, NoteEditor) and app.screen.query_one(TextArea).text == "Third note"
        app.pop_screen()
        await pilot.pause()
        await pilot.click("#notes", offset=(4, row_of(pane, "Alarm at 80%")))
        await pilot.pause()
        assert isinstance(app.screen, ActionEditor)
        assert app.screen.query_one("#action-title", Input).value.startswith("Alarm at 80%")


LONG = ("Raise the Lambda concurrent executions quota in every Region the checkout runs in, and write down "
        "who asked for it and when, so next year's review finds it")
WIDE = "見積もりの上限を監視する" * 6
UNBROKEN = "https://example.com/" + "x" * 70


async def test_a_long_action_item_is_wrapped_to_the_pane_and_highlighted_as_one(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(120, 60)) as pilot:  # all of it in view at once
        await pilot.pause()
        ws = await on_quotas(pilot, actions=[LONG, WIDE, UNBROKEN])
        pane = ws.query_one(NotesPane)
        await pilot.press("f4", "down")
        await pilot.pause()
        shown, width = rows(pane), pane.scrollable_content_region.width
        assert width < len(LONG) and all(pane.render_line(y).cell_length <= width for y in range(len(shown)))
        squeezed = "".join("".join(shown).split())
        for title in (LONG, WIDE, UNBROKEN):
            assert "".join(title.split()) in squeezed, title  # every word is there, nothing cut at the edge
        first, last = row_of(pane, "□ Raise the Lambda"), row_of(pane, "review finds it")
        assert last - first >= 3
        await pilot.press("down")
        await pilot.pause()
        assert pane.highlighted == 2
        # The title's lines and the details line under them are lit together; the items around them are not.
        assert {lit(pane, y) for y in range(first, last + 2)} == {lit(pane, first)}
        assert lit(pane, first - 1) != lit(pane, first) != lit(pane, last + 2)


async def test_the_highlighted_item_stays_in_view_as_down_goes_past_the_panes_height(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    bodies = [f"note {i:02d} " + "word " * (4 * (i % 2)) + f"end{i:02d}" for i in range(12)]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, bodies, actions=[f"action {i:02d}" for i in range(8)])
        pane = ws.query_one(NotesPane)
        await pilot.press("f4")
        await pilot.pause()
        assert pane.virtual_size.height > pane.size.height
        for i in range(12):  # the demo's note first, then these
            await pilot.press("down")
            await pilot.pause()
            assert pane.highlighted == i + 1
            first, last = row_of(pane, f"note {i:02d}"), row_of(pane, f"end{i:02d}")  # both in view
            lit_rows = [y for y in range(pane.size.height) if lit(pane, y) == lit(pane, first)]
            assert lit_rows == list(range(first, last + 1)), (i, rows(pane))
        for _ in range(9):   # the demo's action item, then these
            await pilot.press("down")
            await pilot.pause()
        assert pane.scroll_offset.y > 0 and "action 07" in rows(pane)[-2]  # its title, then its status
        await pilot.click("#notes", offset=(4, pane.size.height - 1))  # a click counts the rows scrolled
        await pilot.pause()
        assert isinstance(app.screen, ActionEditor)
        assert app.screen.query_one("#action-title", Input).value == "action 07"


async def test_the_same_notes_shown_again_repaint_nothing_and_a_changed_note_only_its_lines(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, ["Second note", "Third note"])
        pane = ws.query_one(NotesPane)
        await pilot.pause()
        before = [pane.render_line(y) for y in range(pane.size.height)]
        ws.reload()  # the session read again, nothing changed
        await pilot.pause()
        again = [pane.render_line(y) for y in range(pane.size.height)]
        assert [y for y in range(len(again)) if again[y] is not before[y]] == [] and pane.highlighted == 0
        third = row_of(pane, "Third note")
        note = ws.state.notes_for(QUOTAS)[2]
        ws.review.edit_note(ws.session_id, note.id, "Fourth thought")
        ws.reload()
        await pilot.pause()
        after = [pane.render_line(y) for y in range(pane.size.height)]
        assert "Fourth thought" in after[third].text
        assert [y for y in range(len(after)) if after[y] is not before[y]] == [third]


async def test_the_mouse_wheel_scrolls_the_pane_no_further_than_its_last_line(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, [f"n{i:02d} abcdefgh ijklmnopq" for i in range(24)])
        pane = ws.query_one(NotesPane)
        for _ in range(40):  # the wheel over the pane (the pilot has no public helper for it)
            await pilot._post_mouse_events([events.MouseScrollDown], "#notes", offset=(3, 3))
        await pilot.pause()
        shown = rows(pane)
        assert pane.scroll_offset.y > 0 and "Alarm at 80%" in "".join(shown) and shown[-1].strip(), shown


async def test_the_notes_pane_opened_at_a_new_width_shows_its_highlighted_note(data_dir: Path) -> None:
    """The last note highlighted in the wide layout; the terminal narrowed (the pane hides); F4 shows it again."""
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, [f"n{i:02d} abcdefgh ijklmno" for i in range(24)])
        pane = ws.query_one(NotesPane)
        await pilot.press("f4", *["down"] * 24, "f2")
        await pilot.pause()
        assert pane.highlighted == 24 and "n23" in "".join(rows(pane))
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert pane.highlighted == 24 and pane.size.width < 33
        assert any("n23" in row for row in rows(pane)), rows(pane)
