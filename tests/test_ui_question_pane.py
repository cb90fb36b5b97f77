"""The question pane (widgets/question.py): its sections open and close from the keys and the mouse, the header
and prompt stay put while the rest scrolls, and its own scrollbar shows where the view is."""

from __future__ import annotations

from pathlib import Path

from tests.ui_support import demo_app
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.question import QuestionPane


def pane_of(app: object) -> tuple[WorkspaceScreen, QuestionPane]:
    ws = app.screen  # type: ignore[attr-defined]
    assert isinstance(ws, WorkspaceScreen)
    return ws, ws.query_one(QuestionPane)


async def test_about_and_hint_open_and_close_with_their_keys_and_a_click(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(100, 28)) as pilot:  # under 30 lines: "about" starts closed
        await pilot.pause()
        ws, pane = pane_of(app)
        description = ws.current[1].description or ""
        first_words = " ".join(description.split()[:3])
        assert first_words and not pane.is_open("about") and not pane.is_open("hint")
        assert "▶ About this question (d)" in "\n".join(pane.all_lines())
        assert first_words not in "\n".join(pane.all_lines())
        await pilot.press("d")
        await pilot.pause()
        assert pane.is_open("about") and first_words in "\n".join(pane.all_lines())
        assert "▼ About this question (d)" in "\n".join(pane.all_lines())
        await pilot.press("d")
        await pilot.pause()
        assert not pane.is_open("about") and first_words not in "\n".join(pane.all_lines())
        # A click on the hint's title line opens it, as h does.
        y = next(y for y in range(pane.size.height) if "Facilitation hint (h)" in pane.render_line(y).text)
        await pilot.click(QuestionPane, offset=(4, y))
        await pilot.pause()
        assert pane.is_open("hint") and pane.section_text("hint")


async def test_a_tall_screen_opens_about_and_the_header_stays_put_while_the_rest_scrolls(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        ws, pane = pane_of(app)
        assert pane.is_open("about")
        ws.go_to_key("wellarchitected/dev-integ")  # ten practices and its description: taller than the pane
        await pilot.pause()
        await pilot.press("h", "i")  # the hint open too, and the plan under the practices
        await pilot.pause()
        top = [pane.render_line(y).text for y in range(pane.head_height)]
        assert ws.current[1].label in top[1]
        pane.scroll_to_top()
        await pilot.pause()
        for _ in range(len(ws.current[1].choices) - 1):
            await pilot.press("down")
        await pilot.pause()
        assert pane.scroll_offset.y > 0  # the body scrolled to keep the highlighted practice in view
        assert [pane.render_line(y).text for y in range(pane.head_height)] == top  # header and prompt did not
        # Its own scrollbar: the last cell of the scrolling lines is the track, a few of them the thumb.
        styles = {pane.render_line(y)._segments[-1].style for y in range(pane.head_height, pane.size.height)}
        assert len(styles) == 2
