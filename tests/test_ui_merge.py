"""The Merge and Conflicts screens, driven with keys on two laptops' worth of databases."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from tests.ui_support import frozen_clock, make_demo
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.conflicts import open_conflicts
from wat_tui.exchange.merge import merge_files
from wat_tui.review.service import Review
from wat_tui.ui.app import build_app
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.nav import NavTree

SIZE = (120, 36)
KEY = ("wellarchitected", "data-classification")


def two_laptops(tmp_path: Path, data_dir: Path) -> tuple[str, Path]:
    """Laptop A has the demo; laptop B gets it from A's file; both answer the same question differently."""
    sid = make_demo(data_dir)
    a = Review.open(data_dir)
    handout = tmp_path / "handout.json"
    write_bundle(a, sid, handout)
    b = Review.open(tmp_path / "laptop-b")
    merge_files(b, [handout])
    lens_a = a.state(sid).lens(KEY[0])
    assert lens_a is not None
    question = lens_a.question(KEY[1])
    assert question is not None
    a.toggle_choice(sid, *KEY, question.choices[2].id)
    b.toggle_choice(sid, *KEY, question.choices[3].id)
    b.add_note(sid, "/".join(KEY), "Bo", "Seen from room B")
    from_b = tmp_path / "from-b.json"
    write_bundle(b, sid, from_b)
    a.close()
    b.close()
    return sid, from_b


async def test_merge_screen_previews_then_applies(data_dir: Path, tmp_path: Path) -> None:
    sid, from_b = two_laptops(tmp_path, data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        app.screen.query_one("#merge-files", TextArea).text = str(from_b)
        await pilot.press("ctrl+r")
        await pilot.pause()
        shown = str(app.screen.query_one("#merge-preview").render())
        assert "Would bring in" in shown and "Open conflicts afterwards: 1" in shown
        assert open_conflicts(app.review, sid) == []  # a preview writes nothing
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert [c.target for c in open_conflicts(app.review, sid)] == ["answer/" + "/".join(KEY)]
        assert "/".join(KEY) in app.screen.query_one(NavTree).conflicted
        assert any(n.body == "Seen from room B" for n in app.screen.state.notes)


async def test_conflicts_screen_keeps_one_value(data_dir: Path, tmp_path: Path) -> None:
    sid, from_b = two_laptops(tmp_path, data_dir)
    review = Review.open(data_dir)
    merge_files(review, [from_b])
    values = open_conflicts(review, sid)[0].values
    review.close()
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        detail = str(app.screen.query_one("#conflict-detail").render())
        assert "from local" in detail and "from-b.json" in detail
        await pilot.press("2")
        await pilot.pause()
        assert "none open" in str(app.screen.query_one("#conflicts-title").render())
        await pilot.press("escape")
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        answer = ws.state.answer(*KEY)
        assert answer is not None and answer.to_value() == values[1].value
        assert ws.query_one(NavTree).conflicted == set()
