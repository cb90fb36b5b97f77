"""Issue 13: the workspace at a projector's size (100x28) and a small terminal's (80x24), and agenda edits that say
what they moved.

Each test reads the words on screen at a size, not only a picture: what the back row must be able to read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui_support import demo_app
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.ui.app import WatApp
from wat_tui.ui.screens.agenda import AgendaScreen

SMALL, PROJECTOR, LAPTOP = (80, 24), (100, 28), (120, 36)


def screen_text(app: WatApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def said_by(app: WatApp) -> list[str]:
    """Every notification the app shows from now on."""
    said: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        said.append(message)
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return said


# -- agenda edits -----------------------------------------------------------------------------------------------

async def test_an_agenda_edit_says_which_other_blocks_it_moved(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    said = said_by(app)
    async with app.run_test(size=LAPTOP) as pilot:
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("down", "plus")  # Reliability 60 -> 65: later pillars give up the 5 minutes
        await pilot.pause()
        changes = str(app.screen.query_one("#agenda-changes").render())
        assert "Reliability 60 → 65 min" in changes
        others = changes.split("Reliability 60 → 65 min", 1)[1]
        assert "also:" in others and "→" in others, "no other block said to move"
        assert changes in said  # also told as a notification, read after the agenda closes


async def test_a_move_that_leaves_over_two_hours_without_a_break_warns_and_asks_before_leaving(
        data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=LAPTOP) as pilot:
        await pilot.press("A")
        await pilot.pause()
        # The demo's first break sits between Reliability (60 min) and Security (51 min): moving it below
        # Security leaves Opening, Reliability and Security (2h11m) in one stretch.
        await pilot.press("down", "down", "d")
        await pilot.pause()
        warning = str(app.screen.query_one("#agenda-warning").render())
        assert "2h11m without a break" in warning
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen), "left with the warning unread"
        assert "Esc again" in str(app.screen.query_one("#agenda-warning").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AgendaScreen)
    review = Review.open(data_dir)
    try:
        kinds = [b.kind for b in tk.stored_agenda(review, sid) or []]
    finally:
        review.close()
    assert kinds[:4] == ["opening", "pillar", "pillar", "break"]


async def test_the_agenda_leaves_at_once_when_every_stretch_has_a_break(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=LAPTOP) as pilot:
        await pilot.press("A")
        await pilot.pause()
        assert not str(app.screen.query_one("#agenda-warning").render()).strip()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AgendaScreen)
