"""LineList (widgets/line_list.py), the board's lists, driven as a facilitator drives it: keys, clicks, disabled
options, long options, scrolling, and no repaint for the options it already shows. (The notes pane draws its own
lines: test_ui_notes_pane.py.)"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.widgets.option_list import Option

from tests.ui_support import demo_app
from wat_tui.ui.screens.board import ParkedList
from wat_tui.ui.widgets.line_list import LineList
from wat_tui.ui.widgets.notes import ActionList

SIZE = (120, 36)


def rows(widget: LineList) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def row_of(widget: LineList, words: str) -> int:
    return next(y for y, row in enumerate(rows(widget)) if words in row)


def lit(widget: LineList, y: int) -> object:
    """The background a row is drawn on (the highlighted option's rows have the cursor's)."""
    return next(iter(widget.render_line(y))).style.bgcolor  # type: ignore[union-attr]


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


class ListOf(App[None]):
    """A LineList alone, 30 cells wide and ``height`` rows tall, with ``options``."""

    CSS = "LineList { width: 30; max-height: 8; }"

    def __init__(self, options: list[Option]) -> None:
        super().__init__()
        self.options = options

    def compose(self) -> ComposeResult:
        yield LineList()

    def on_mount(self) -> None:
        self.query_one(LineList).set_options(self.options)
        self.query_one(LineList).focus()


LONG = ("Raise the Lambda concurrent executions quota in every Region the checkout runs in, and write down "
        "who asked for it and when")
WIDE = "見積もりの上限を監視する" * 3
UNBROKEN = "https://example.com/" + "x" * 30


async def test_a_long_option_is_wrapped_to_the_list_and_highlighted_as_one() -> None:
    app = ListOf([Option("first"), Option(LONG), Option(WIDE), Option(UNBROKEN), Option("last")])
    async with app.run_test(size=(40, 30)) as pilot:
        listed = app.query_one(LineList)
        listed.styles.max_height = 30  # all of it in view at once
        await pilot.pause()
        shown, width = rows(listed), listed.size.width
        assert all(listed.render_line(y).cell_length <= width for y in range(len(shown)))
        squeezed = "".join("".join(shown).split())
        for title in (LONG, WIDE, UNBROKEN):
            assert "".join(title.split()) in squeezed, title  # every word is there, nothing cut at the edge
        first, last = row_of(listed, "Raise the Lambda"), row_of(listed, "when")
        assert last - first >= 3
        await pilot.press("down", "down")  # nothing highlighted yet: the first, then the long one
        await pilot.pause()
        assert listed.highlighted == 1
        assert {lit(listed, y) for y in range(first, last + 1)} == {lit(listed, first)}
        assert lit(listed, first - 1) != lit(listed, first) != lit(listed, last + 1)


async def test_the_wheel_scrolls_no_further_than_the_last_line_and_the_highlight_stays_in_view() -> None:
    app = ListOf([Option(f"n{i:02d} abcdefgh ijklmnopq rstu") for i in range(14)])
    async with app.run_test(size=(40, 20)) as pilot:
        listed = app.query_one(LineList)
        await pilot.pause()
        for _ in range(30):  # the wheel over the list (the pilot has no public helper for it)
            await pilot._post_mouse_events([events.MouseScrollDown], LineList, offset=(3, 3))
        await pilot.pause()
        assert "n13" in "".join(rows(listed)[-2:]) and all(row.strip() for row in rows(listed)), rows(listed)
        await pilot.press("home")
        await pilot.pause()
        assert "n00" in rows(listed)[0]
        await pilot.press("end")
        await pilot.pause()
        assert listed.highlighted == 13 and "n13" in "".join(rows(listed))


async def test_set_options_with_the_options_shown_repaints_nothing() -> None:
    same = [Option(Text(f"option {i}"), id=f"o{i}") for i in range(3)]
    app = ListOf(same)
    async with app.run_test(size=(40, 20)) as pilot:
        listed = app.query_one(LineList)
        await pilot.pause()
        before = [listed.render_line(y) for y in range(listed.size.height)]
        copies = [Option(o.prompt.copy(), id=o.id) for o in same]  # type: ignore[union-attr]
        listed.set_options(copies)
        await pilot.pause()
        assert all(listed.render_line(y) is strip for y, strip in enumerate(before))
        copies[2] = Option(Text("option four"), id="o2")
        listed.set_options(copies)
        await pilot.pause()
        assert listed.render_line(2) is not before[2] and "four" in listed.render_line(2).text
