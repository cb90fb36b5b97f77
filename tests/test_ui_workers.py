"""The UI never blocks (issue 12): merging, previewing and writing the report run in a thread, on a connection of
their own, while the clock bar repaints and keys work; Esc stops what has not written yet; errors are one message.

Another program holding the database's write lock keeps a job waiting for as long as a test needs, so what the
app does meanwhile is seen without racing a timer.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from tests.test_ui_merge import two_laptops
from tests.test_ui_merge_screen import home as home  # noqa: F401 - the fixture: HOME in tmp_path
from tests.test_ui_merge_screen import open_merge
from tests.ui_support import FROZEN, demo_app, frozen_clock, until
from wat_tui.errors import WatError
from wat_tui.exchange import merge as exchange_merge
from wat_tui.exchange.conflicts import open_conflicts
from wat_tui.review.service import Review
from wat_tui.store.errors import StoreFull
from wat_tui.store.paths import DB_NAME
from wat_tui.ui.app import WatApp, build_app
from wat_tui.ui.jobs import Job, JobLine, JobStopped, Where, open_own_review, where_the_app_is
from wat_tui.ui.screens import merge as merge_screen
from wat_tui.ui.screens.export import ExportScreen
from wat_tui.ui.screens.merge import MergeScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.clock import ClockBar

SIZE = (100, 28)


class RushingClock:
    """A clock that the app ticks, a minute of room time for every real second: the clock bar's 1-second repaint
    shows a new minute each time, so a repaint can be seen."""

    ticking = True

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(minutes=time.monotonic() - self._t0)


@pytest.fixture
def lock(data_dir: Path) -> Iterator[list[sqlite3.Connection]]:
    """``hold(lock)``: another program takes the database's write lock until the test lets it go."""
    held: list[sqlite3.Connection] = []
    yield held
    for conn in held:
        conn.rollback()
        conn.close()


def hold(held: list[sqlite3.Connection], data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.append(conn)


def release(held: list[sqlite3.Connection]) -> None:
    conn = held.pop()
    conn.execute("ROLLBACK")
    conn.close()


def job_line(app: WatApp) -> JobLine:
    return app.screen.query_one(JobLine)


def shown(app: WatApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def start_merge(pilot: Pilot[None], app: WatApp, files: list[Path], key: str) -> None:
    await open_merge(pilot, app)
    app.screen.query_one("#merge-files", TextArea).text = "\n".join(str(f) for f in files)
    await pilot.press(key)


async def test_clock_and_keys_work_while_a_merge_waits_for_the_database(
        data_dir: Path, tmp_path: Path, home: Path, lock: list[sqlite3.Connection]) -> None:
    sid, from_b = two_laptops(tmp_path, data_dir)
    app = build_app(data_dir, sid, clock=RushingClock(FROZEN))
    async with app.run_test(size=SIZE) as pilot:
        hold(lock, data_dir)
        await start_merge(pilot, app, [from_b], "ctrl+s")
        line = job_line(app)
        await until(pilot, lambda: line.writing)
        assert "Merging" in shown(app, "#job-step") and line.display
        bar = app.screen_stack[-2].query_one(ClockBar)
        painted = str(bar.render())
        files = app.screen.query_one("#merge-files", TextArea)
        before = files.text
        await pilot.press("tab", "x")  # keys, handled at once
        assert app.focused is files and files.text == "x" + before
        await until(pilot, lambda: str(bar.render()) != painted, seconds=3)  # the clock bar repainted
        assert line.writing and isinstance(app.screen, MergeScreen)  # ... while the merge still waited
        await pilot.press("escape")  # cannot stop a merge that is writing: nothing breaks, nothing closes
        await pilot.pause()
        assert isinstance(app.screen, MergeScreen) and line.writing
        release(lock)
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert any(n.body == "Seen from room B" for n in app.review.state(sid).notes)
        assert len(open_conflicts(app.review, sid)) == 1


async def test_escape_stops_a_preview_and_nothing_comes_of_it(
        data_dir: Path, tmp_path: Path, home: Path, lock: list[sqlite3.Connection]) -> None:
    sid, from_b = two_laptops(tmp_path, data_dir)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        hold(lock, data_dir)
        await start_merge(pilot, app, [from_b], "ctrl+r")
        line = job_line(app)
        await until(pilot, lambda: "would bring in" in shown(app, "#job-step"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MergeScreen) and line.running is None and not line.display
        assert shown(app, "#merge-preview") == "Preview stopped."
        release(lock)
        await pilot.pause(0.5)  # the stopped preview's thread ends; what it found is not shown
        assert shown(app, "#merge-preview") == "Preview stopped."
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert not any(n.body == "Seen from room B" for n in app.review.state(sid).notes)


async def test_a_refused_write_in_the_job_is_one_message_and_the_key_tries_again(
        data_dir: Path, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sid, from_b = two_laptops(tmp_path, data_dir)
    full = [True]

    def merge_bundles(review: Review, *args: object, **kwargs: object) -> object:
        if full[0]:
            raise StoreFull(f"{data_dir / DB_NAME}: the disk is full (database or disk is full)")
        return exchange_merge.merge_bundles(review, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(merge_screen, "merge_bundles", merge_bundles)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await start_merge(pilot, app, [from_b], "ctrl+s")
        await until(pilot, lambda: "disk is full" in shown(app, "#merge-preview"))
        message = shown(app, "#merge-preview")
        assert message.startswith("Could not save: the disk is full.") and "Nothing was changed" in message
        assert app.is_running and isinstance(app.screen, MergeScreen) and job_line(app).running is None
        full[0] = False
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert any(n.body == "Seen from room B" for n in app.review.state(sid).notes)


async def test_an_unexpected_failure_in_the_job_is_told_and_the_app_goes_on(
        data_dir: Path, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sid, from_b = two_laptops(tmp_path, data_dir)

    def merge_bundles(*args: object, **kwargs: object) -> object:
        raise ValueError("a bug [red]here[/red]")

    monkeypatch.setattr(merge_screen, "merge_bundles", merge_bundles)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await start_merge(pilot, app, [from_b], "ctrl+r")
        await until(pilot, lambda: "Something went wrong" in shown(app, "#merge-preview"))
        assert "ValueError: a bug [red]here[/red]" in shown(app, "#merge-preview")
        await pilot.press("tab", "escape")  # Esc from the file list closes the dialog too
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert app.is_running


@pytest.mark.parametrize("changed", [False, True])
async def test_the_merge_after_a_preview_reads_only_files_that_changed(
        data_dir: Path, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch, changed: bool) -> None:
    """Reading is most of a merge's time: what the preview read is merged as it was, unless a file changed."""
    sid, from_b = two_laptops(tmp_path, data_dir)
    reads: list[list[Path]] = []

    def read_bundles(paths: list[Path]) -> object:
        reads.append(list(paths))
        return exchange_merge.read_bundles(paths)

    monkeypatch.setattr(merge_screen, "read_bundles", read_bundles)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await start_merge(pilot, app, [from_b], "ctrl+r")
        await until(pilot, lambda: "Would bring in" in shown(app, "#merge-preview"))
        if changed:
            from_b.write_bytes(from_b.read_bytes() + b"\n")  # exported again meanwhile
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert any(n.body == "Seen from room B" for n in app.review.state(sid).notes)
    assert reads == [[from_b]] * (2 if changed else 1)


async def test_a_bad_file_is_named_in_one_message(data_dir: Path, tmp_path: Path, home: Path) -> None:
    sid, from_b = two_laptops(tmp_path, data_dir)
    cut = tmp_path / "cut[bold].json"
    cut.write_bytes(from_b.read_bytes()[:200])
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=SIZE) as pilot:
        await start_merge(pilot, app, [from_b, cut], "ctrl+r")
        await until(pilot, lambda: "truncated" in shown(app, "#merge-preview"))
        assert str(cut) in shown(app, "#merge-preview")  # the file's name as written, brackets and all


def test_a_job_opens_only_the_database_the_app_has_open(data_dir: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the app's directory is not known for sure (started with --data-dir elsewhere than
    WAT_TUI_DATA_DIR), a job refuses to run rather than write into another database, and creates none."""
    with Review.open(data_dir) as review:
        app_writer = review.writer_id
    elsewhere, empty = tmp_path / "elsewhere", tmp_path / "empty"
    Review.open(elsewhere).close()
    empty.mkdir()
    before = (elsewhere / DB_NAME).read_bytes()
    with pytest.raises(WatError, match="not the database this app has open"):
        open_own_review(Where(elsewhere, app_writer))
    assert (elsewhere / DB_NAME).read_bytes() == before
    with pytest.raises(WatError, match="is not there"):
        open_own_review(Where(empty, app_writer))
    assert list(empty.iterdir()) == []
    with open_own_review(Where(data_dir, app_writer)) as own:
        assert own.writer_id == app_writer

    # The app's own directory, also when it was opened with --data-dir (not the environment's or the default).
    monkeypatch.setenv("WAT_TUI_DATA_DIR", str(empty))
    with Review.open(data_dir) as review:
        assert where_the_app_is(review) == Where(data_dir, app_writer)


def test_a_job_stops_or_writes_never_both() -> None:
    """Esc (the UI thread) and the job's thread reaching its writes decide under one lock: once it writes, it
    cannot be stopped (and the dialog says so); once stopped, it never writes."""
    said: list[str] = []

    class Line:
        def post_message(self, message: JobLine.Step) -> None:
            said.append(message.text)

    writes = Job(Line())  # type: ignore[arg-type]
    writes.writing("Merging 3 operations…")
    assert writes.is_writing and not writes.stop()
    stopped = Job(Line())  # type: ignore[arg-type]
    assert stopped.stop()
    with pytest.raises(JobStopped):
        stopped.writing("Merging 3 operations…")
    with pytest.raises(JobStopped):
        stopped.step("Reading 1 file…")
    assert not stopped.is_writing and said == ["Merging 3 operations…"]


async def test_the_report_is_written_in_a_job(data_dir: Path, tmp_path: Path,
                                              lock: list[sqlite3.Connection]) -> None:
    """Writing the report only reads the database: another program's lock does not hold it up."""
    app, sid = demo_app(data_dir)
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        hold(lock, data_dir)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
    assert "ShopFast" in target.read_text(encoding="utf-8")


async def test_the_report_job_says_what_went_wrong(data_dir: Path, tmp_path: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "is a directory" in shown(app, "#export-error"))
        assert isinstance(app.screen, ExportScreen) and job_line(app).running is None
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
