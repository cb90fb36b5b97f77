"""The Merge screen as the facilitator meets it (issue 13): where its file tree opens and what it shows, what Tab
reaches, what the footer says, and a preview followed by the merge itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DirectoryTree, Static, TextArea
from textual.widgets._footer import FooterKey

from tests.test_ui_merge import KEY, two_laptops
from tests.ui_support import frozen_clock, make_demo, until
from wat_tui.exchange.conflicts import open_conflicts
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.screens.merge import MergeScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen

SIZE = (100, 28)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The facilitator's home folder, and a working directory that is a project (where the tree used to open)."""
    home = tmp_path / "home"
    (home / "workshops").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    project = tmp_path / "project"
    for name in (".git", ".venv", "src"):
        (project / name).mkdir(parents=True)
    (project / "package.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(project)
    return home


def merge_screen(app: WatApp) -> MergeScreen:
    screen = app.screen
    assert isinstance(screen, MergeScreen)
    return screen


def tree_names(app: WatApp) -> list[str]:
    tree = app.screen.query_one(DirectoryTree)
    return [str(child.label) for child in tree.root.children]


async def open_merge(pilot: Pilot[None], app: WatApp) -> MergeScreen:
    await pilot.pause()
    await pilot.press("I")
    screen = merge_screen(app)
    await until(pilot, lambda: bool(screen.query_one(DirectoryTree).root.children))
    return screen


async def test_the_tree_opens_in_home_with_folders_and_bundles_only(data_dir: Path, home: Path) -> None:
    sid = make_demo(data_dir)
    for name in (".git", ".venv", ".cache"):
        (home / name).mkdir()
    (home / "room-b.json").write_text("{}", encoding="utf-8")
    (home / ".hidden.json").write_text("{}", encoding="utf-8")
    (home / "minutes.txt").write_text("x", encoding="utf-8")
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await open_merge(pilot, app)
        assert Path(app.screen.query_one(DirectoryTree).path) == home
        assert tree_names(app) == ["workshops", "room-b.json"]


async def test_enter_on_a_bundle_in_the_tree_lists_it_and_backspace_goes_up(data_dir: Path, home: Path) -> None:
    sid = make_demo(data_dir)
    (home / "room-b.json").write_text("{}", encoding="utf-8")
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_merge(pilot, app)
        assert app.focused is screen.query_one(DirectoryTree)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert screen.query_one("#merge-files", TextArea).text == str(home / "room-b.json")
        await pilot.press("backspace")
        await until(pilot, lambda: "home" in tree_names(app))
        assert Path(screen.query_one(DirectoryTree).path) == home.parent


async def test_tab_reaches_only_what_is_on_screen(data_dir: Path, tmp_path: Path, home: Path) -> None:
    """Before a preview there is nothing to scroll, so Tab skips where it will be; after one, Tab reaches it."""
    sid, from_b = two_laptops(tmp_path, data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_merge(pilot, app)

        async def tab_round() -> list[str]:
            seen = []
            for _ in range(8):
                focused = app.focused
                assert focused is not None and focused.screen is screen
                region = focused.region
                assert focused.display and region.width > 0 and region.height > 0
                assert screen.region.contains_region(region)
                if focused.id in seen:
                    break
                seen.append(focused.id or "")
                await pilot.press("tab")
            return seen

        assert await tab_round() == ["merge-tree", "merge-files", "preview", "apply", "cancel"]
        screen.query_one("#merge-files", TextArea).text = str(from_b)
        await pilot.press("ctrl+r")
        preview = screen.query_one("#merge-preview", Static)
        await until(pilot, lambda: "Would bring in" in str(preview.render()))
        screen.query_one("#merge-tree").focus()
        assert await tab_round() == ["merge-tree", "merge-files", "merge-preview-box", "preview", "apply",
                                     "cancel"]


async def test_the_footer_shows_the_screens_own_keys(data_dir: Path, home: Path) -> None:
    sid = make_demo(data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_merge(pilot, app)
        shown = {(k.key, k.description) for k in screen.query(FooterKey)}
        assert {("ctrl+r", "Preview the merge"), ("ctrl+s", "Merge now"), ("escape", "Stop / close")} <= shown
        footer_keys = [k for k in screen.query(FooterKey) if k.key == "ctrl+s"]
        assert footer_keys and footer_keys[0].region.y == SIZE[1] - 1  # on the bottom line, in view


async def test_preview_then_merge_brings_the_other_laptops_work_in(data_dir: Path, tmp_path: Path,
                                                                   home: Path) -> None:
    """The preview runs in a thread; Ctrl+S after it merges (a prototype's Ctrl+S did nothing after a preview)."""
    sid, from_b = two_laptops(tmp_path, data_dir)
    moved = home / "workshops" / "day1" / "from-b.json"
    moved.parent.mkdir()
    from_b.rename(moved)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_merge(pilot, app)
        await pilot.press("tab")
        await pilot.press(*str(moved))  # typed, as a facilitator would
        await pilot.press("ctrl+r")
        preview = screen.query_one("#merge-preview", Static)
        await until(pilot, lambda: "Would bring in" in str(preview.render()))
        assert "Open conflicts afterwards: 1" in str(preview.render())
        assert open_conflicts(app.review, sid) == []  # a preview writes nothing
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        state = app.review.state(sid)
        assert any(n.body == "Seen from room B" for n in state.notes)
        assert [c.target for c in open_conflicts(app.review, sid)] == ["answer/" + "/".join(KEY)]
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        assert any(n.body == "Seen from room B" for n in ws.state.notes)  # the screen reloaded

        # The next merge into this session opens where this one took its file from.
        await open_merge(pilot, app)
        assert Path(app.screen.query_one(DirectoryTree).path) == moved.parent
        assert tree_names(app) == ["from-b.json"]


async def test_the_buttons_do_what_the_keys_do(data_dir: Path, tmp_path: Path, home: Path) -> None:
    sid, from_b = two_laptops(tmp_path, data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_merge(pilot, app)
        await pilot.click("#preview")
        assert "No files yet" in str(screen.query_one("#merge-preview", Static).render())
        screen.query_one("#merge-files", TextArea).text = str(from_b)
        await pilot.click("#apply")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert any(n.body == "Seen from room B" for n in app.review.state(sid).notes)
        await open_merge(pilot, app)
        assert isinstance(app.screen.query_one("#cancel", Button), Button)
        await pilot.click("#cancel")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))

