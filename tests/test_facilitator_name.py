"""Each laptop says once who facilitates on it (``--as NAME``): notes carry that name, and after a merge the other
laptop shows it in conflicts instead of the computer account (``root`` on every training VM)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.support import Run, database_dump, one_error_line
from tests.ui_support import FROZEN, frozen_clock, make_demo
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.merge import merge_files
from wat_tui.review.service import Review
from wat_tui.ui.app import build_app
from wat_tui.ui.screens.workspace import WorkspaceScreen

SIZE = (120, 36)


def test_as_name_is_remembered_and_travels_in_bundles(data_dir: Path, tmp_path: Path, run: Run) -> None:
    sid = make_demo(data_dir)
    with Review.open(data_dir) as review:
        assert not review.facilitator_named
    code, _, err = run("--data-dir", str(data_dir), "--as", "  Ana   Lima ", "list")
    assert code == 0, err
    with Review.open(data_dir) as review:
        assert review.facilitator_named and review.writer_name == "Ana Lima"
        writer = review.writer_id
        assert review.writers()[writer][0] == "Ana Lima"
        bundle = tmp_path / "ana.json"
        write_bundle(review, sid, bundle)
    with Review.open(tmp_path / "laptop-b") as other:
        merge_files(other, [bundle])
        assert other.writers()[writer][0] == "Ana Lima"  # what laptop B's conflicts and report show
        assert not other.facilitator_named  # laptop B has not said its own name yet
    # A later run without --as keeps it.
    assert run("--data-dir", str(data_dir), "list")[0] == 0
    with Review.open(data_dir) as review:
        assert review.writer_name == "Ana Lima"


@pytest.mark.parametrize("name", ["", "   ", "Ana\x1b[31m", "x" * 81])
def test_a_bad_name_is_one_error_and_changes_nothing(data_dir: Path, run: Run, name: str) -> None:
    make_demo(data_dir)
    before = database_dump(data_dir)
    code, _, err = run("--data-dir", str(data_dir), "--as", name, "list")
    assert code == 1
    one_error_line(err, "facilitator's name")
    assert database_dump(data_dir) == before


def test_the_option_goes_before_or_after_the_command(data_dir: Path, run: Run) -> None:
    make_demo(data_dir)
    assert run("--as", "Bo", "--data-dir", str(data_dir), "list")[0] == 0
    with Review.open(data_dir) as review:
        assert review.writer_name == "Bo"
    assert run("list", "--data-dir", str(data_dir), "--as", "Cy")[0] == 0
    with Review.open(data_dir) as review:
        assert review.writer_name == "Cy"


async def test_a_note_on_laptop_b_is_signed_by_b_not_by_a_s_facilitator(data_dir: Path, tmp_path: Path) -> None:
    """Laptop B merged A's session (whose participants list A's facilitator); a note written on B is B's."""
    sid = make_demo(data_dir)
    with Review.open(data_dir) as a:
        a.set_facilitator_name("Ana Ruiz")
        handout = tmp_path / "handout.json"
        write_bundle(a, sid, handout)
    laptop_b = tmp_path / "laptop-b"
    with Review.open(laptop_b) as b:
        b.set_clock(lambda: FROZEN)
        merge_files(b, [handout])
        b.set_facilitator_name("Bo Chen")
        assert any(p.role == "Facilitator" and p.name != "Bo Chen" for p in b.state(sid).participants)
    app = build_app(laptop_b, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#note-body", TextArea).insert("Seen from room B")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    with Review.open(laptop_b) as b:
        assert [n.author for n in b.state(sid).notes if n.body == "Seen from room B"] == ["Bo Chen"]


async def test_the_app_asks_once_and_remembers(data_dir: Path) -> None:
    from textual.widgets import Input

    from wat_tui.ui.screens.facilitator_name import FacilitatorNameScreen

    sid = make_demo(data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock(), ask_name=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FacilitatorNameScreen)
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press("enter")  # an empty name is refused, and said so
        await pilot.pause()
        assert isinstance(app.screen, FacilitatorNameScreen)
        assert "empty" in str(app.screen.query_one("#facilitator-name-problem").render())
        field.value = "Ana [bold]Ruiz[/bold]"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    with Review.open(data_dir) as review:
        assert review.facilitator_named and review.writer_name == "Ana [bold]Ruiz[/bold]"  # text, kept as typed
    again = build_app(data_dir, sid, clock=frozen_clock(), ask_name=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, WorkspaceScreen)  # asked once


async def test_later_leaves_the_account_name_and_asks_next_time(data_dir: Path) -> None:
    from wat_tui.ui.screens.facilitator_name import FacilitatorNameScreen

    sid = make_demo(data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock(), ask_name=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    with Review.open(data_dir) as review:
        assert not review.facilitator_named
    again = build_app(data_dir, sid, clock=frozen_clock(), ask_name=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, FacilitatorNameScreen)
