"""Issue 14 in the app: the open question's header shows its impact and effort once scored (J, K, or the
findings table), from the analysis read with the session, never per keypress."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable

from tests.ui_support import demo_app, until
from wat_tui.review.analysis import Analysis
from wat_tui.review.service import Review
from wat_tui.ui.app import WatApp
from wat_tui.ui.screens.analysis import FindingsScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.themes import PALETTES
from wat_tui.ui.widgets.analysis_badge import analysis_badge
from wat_tui.ui.widgets.question import QuestionPane

SIZE = (120, 36)


def stored(data_dir: Path, sid: str) -> dict[str, Analysis]:
    with Review.open(data_dir) as review:
        return review.analysis(sid)


def header(app: WatApp) -> str:
    return app.screen.query_one(QuestionPane).header_text()


def test_the_badge_says_both_axes_in_words() -> None:
    palette = PALETTES["wat-dark"]
    assert analysis_badge(None, palette).plain == ""
    assert analysis_badge(Analysis(), palette).plain == ""
    assert analysis_badge(Analysis(note="later"), palette).plain == ""
    assert analysis_badge(Analysis("high", "low"), palette).plain == "impact HIGH · effort LOW"
    assert analysis_badge(Analysis(None, "medium"), palette).plain == "impact – · effort MEDIUM"
    assert isinstance(analysis_badge(Analysis("low"), palette), Text)


async def test_the_question_header_shows_impact_and_effort(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        key = ws.current_key
        assert "impact" not in header(app)
        await pilot.press("J", "J", "J")  # high
        await pilot.pause()
        assert "impact HIGH · effort –" in header(app)
        await pilot.press("K")
        await pilot.pause()
        assert "impact HIGH · effort LOW" in header(app)
        assert stored(data_dir, sid)[key] == Analysis("high", "low")
        await pilot.press("n")  # another question: not scored, nothing said
        await pilot.pause()
        assert ws.current_key != key and "impact" not in header(app)
        await pilot.press("p")
        await pilot.pause()
        assert ws.current_key == key and "impact HIGH · effort LOW" in header(app)
        # scored in the findings table: the header says so when the room comes back
        await pilot.press("Z")
        await until(pilot, lambda: isinstance(app.screen, FindingsScreen))
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        screen.query_one(DataTable).move_cursor(row=[f.key for f in screen.shown()].index(key))
        await pilot.press("K", "escape")
        await pilot.pause()
        assert app.screen is ws and "impact HIGH · effort MEDIUM" in header(app)
        await pilot.press("ctrl+z")  # undo: back to low
        await pilot.pause()
        assert "impact HIGH · effort LOW" in header(app)
