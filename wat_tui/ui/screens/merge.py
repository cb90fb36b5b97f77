"""Merge: pick other facilitators' session files, preview what they bring in, then apply it in one go.

Reading, checking and merging run as a job in a thread (``wat_tui/ui/jobs.py``): a merge of ten files takes
seconds, and the room's clocks keep running meanwhile. The file tree opens in the folder the last merge of this
session took its files from, else the home folder, and shows folders and bundle files only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DirectoryTree, Footer, Static, TextArea

from wat_tui.exchange.bundle import Bundle
from wat_tui.exchange.merge import MergeReport, merge_bundles, read_bundles
from wat_tui.review.service import Review
from wat_tui.store.errors import StoreError
from wat_tui.ui.base import WatModal
from wat_tui.ui.jobs import Job, JobLine
from wat_tui.ui.text import plain

#: What session bundles are called (``wat-tui export -o room-a.json``; the bundle is JSON).
BUNDLE_SUFFIX = ".json"
#: This laptop's setting for a session: the folder its last merge took files from.
FOLDER_SETTING = "merge_folder"
STILL_WRITING = "The merge is being written: it cannot be stopped halfway, and ends in a moment."


def report_text(report: MergeReport) -> Text:
    verb = "Merged" if report.applied else "Would bring in"
    text = Text()
    text.append_text(plain(f"{verb} {report.operations} operations into '{report.session_name}'", "bold"))
    text.append_text(plain(f" ({report.already_here} already here)\n"))
    for w in report.writers:
        text.append_text(plain(f"  {w.name or w.writer_id[:8]} on {w.device or '?'}: {w.operations} operations, "
                               f"{w.answers} answers, {w.notes} notes, {w.actions} action items\n"))
    if report.lenses_added:
        text.append_text(plain(f"  lenses stored: {', '.join(report.lenses_added)}\n"))
    text.append_text(plain(f"Open conflicts afterwards: {len(report.conflicts)}\n", "bold"))
    for c in report.conflicts[:20]:
        text.append_text(plain(f"  ⚡ {c.label}\n"))
    return text


@dataclass(frozen=True)
class ReadFiles:
    """Bundle files as a job read them: each path with its size and time of change, and what was parsed."""

    files: tuple[tuple[str, int, int], ...]
    bundles: tuple[Bundle, ...]


@dataclass(frozen=True)
class Merged:
    """What a preview or merge job hands back: its report, and the files it read (for the merge after a preview)."""

    report: MergeReport
    read: ReadFiles


def _stat(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    try:
        return tuple((str(p), st.st_size, st.st_mtime_ns) for p in paths for st in [p.stat()])
    except OSError:
        return ()  # read_bundles names what is wrong with the file


def merge_job(paths: list[Path], into: str | None, *, apply: bool,
              read_before: ReadFiles | None = None) -> Callable[[Review, Job], Merged]:
    """The work of a preview (``apply`` False) or a merge, for a job's thread. Files ``read_before`` (by the
    preview) that have not changed since are not read again: reading is most of the time a merge takes."""

    def work(review: Review, job: Job) -> Merged:
        files = _stat(paths)
        if read_before is not None and files and read_before.files == files:
            bundles = read_before.bundles
        else:
            job.step(f"Reading {len(paths)} file{'s' if len(paths) != 1 else ''}…")
            bundles = tuple(read_bundles(paths))
        count = f"{sum(len(b.ops) for b in bundles):,} operations"
        if apply:
            job.writing(f"Merging {count}…")
        else:
            job.step(f"Checking what {count} would bring in…")
        report = merge_bundles(review, bundles, into, apply=apply)
        with contextlib.suppress(StoreError):  # only a convenience: the tree opens there next time
            review.set_local_setting(report.session_id, FOLDER_SETTING, str(paths[-1].parent))
        return Merged(report, ReadFiles(files, bundles))

    return work


def start_folder(review: Review, session_id: str | None) -> Path:
    """Where the tree opens: the folder the last merge into this session used, else the home folder."""
    remembered = review.local_setting(session_id, FOLDER_SETTING) if session_id else None
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return Path.home()


def _is_folder(path: Path) -> bool:
    """A folder the tree can open (a broken link or an unreadable entry is not one)."""
    try:
        return path.is_dir()
    except OSError:
        return False


class BundleTree(DirectoryTree):
    """Folders and bundle files; nothing hidden (no dot-folders such as .git or .venv)."""

    BINDINGS = [Binding("backspace", "up", "Folder up", id="merge-folder-up")]

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (p.suffix.lower() == BUNDLE_SUFFIX or _is_folder(p))]

    def on_mount(self) -> None:
        self.border_subtitle = "Enter adds a file"
        self._show_folder()

    async def watch_path(self) -> None:
        await super().watch_path()
        self._show_folder()

    def _show_folder(self) -> None:
        home, folder = Path.home(), Path(self.path)
        shown = Path("~") / folder.relative_to(home) if home in (folder, *folder.parents) else folder
        self.border_title = plain(str(shown), single_line=True)

    def action_up(self) -> None:
        self.path = Path(self.path).parent


class MergeScreen(WatModal[MergeReport | None]):
    DEFAULT_CSS = """
    #merge-tree { border: round $primary-muted; }
    #merge-tree:focus { border: round $accent; }
    #merge-preview-box { height: 1fr; border: round $primary-muted; }
    #merge-preview-box:focus { border: round $accent; }
    #merge .buttons { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+r", "preview", "Preview the merge", id="merge-preview"),
        Binding("ctrl+s", "apply", "Merge now", id="merge-apply"),
        Binding("escape", "cancel", "Stop / close", id="merge-cancel"),
    ]

    def __init__(self, session_id: str | None, _working_dir: Path | None = None) -> None:
        """The tree opens where :func:`start_folder` says. ``_working_dir`` is not used: the workspace still
        passes its working directory, where the tree used to open (a project's .git and .venv, not bundles)."""
        super().__init__()
        self.session_id = session_id
        #: The files the last preview read, kept for the merge that follows it.
        self._read: ReadFiles | None = None

    def compose(self) -> ComposeResult:
        start = start_folder(self.wat_app.review, self.session_id)
        with Vertical(classes="dialog wide", id="merge"):
            yield Static(Text("Merge session files", style="bold"), classes="dialog-title")
            with Horizontal(id="merge-body"):
                yield BundleTree(start, id="merge-tree")
                with Vertical(id="merge-right"):
                    yield Static("Files to merge, one a line:")
                    yield TextArea(id="merge-files")
                    yield JobLine(id="merge-job")
                    with VerticalScroll(id="merge-preview-box") as box:
                        box.border_title = "Preview"
                        yield Static(id="merge-preview")
            with Horizontal(classes="row buttons"):
                # One line each: the footer says the keys, so the buttons are there for the mouse.
                yield Button("Preview", id="preview", compact=True)
                yield Button("Merge", variant="primary", id="apply", compact=True)
                yield Button("Close", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#merge-preview-box").display = False  # nothing to show (nor to Tab into) yet
        # Room for the preview at 80x24 too (these win over app.tcss's sizes for a dialog and the file list).
        self.query_one("#merge").styles.height = "90%"
        self.query_one("#merge-files").styles.height = 4

    def paths(self) -> list[Path]:
        text = self.query_one("#merge-files", TextArea).text
        return [Path(line.strip()).expanduser() for line in text.splitlines() if line.strip()]

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        area = self.query_one("#merge-files", TextArea)
        if str(event.path) not in area.text.splitlines():
            area.text = (area.text.rstrip("\n") + "\n" + str(event.path)).lstrip("\n")

    def _show(self, content: Text) -> None:
        self.query_one("#merge-preview", Static).update(content)
        self.query_one("#merge-preview-box").display = True

    def _start(self, apply: bool) -> None:
        paths = self.paths()
        if not paths:
            self._show(plain("No files yet: Enter on a bundle in the tree adds it, or type its path.", "bold"))
            return
        name, first = ("merge", "Merging…") if apply else ("preview", "Previewing…")
        work = merge_job(paths, self.session_id, apply=apply, read_before=self._read)
        if not self.query_one(JobLine).start(name, first, work):
            self.notify(STILL_WRITING, markup=False)

    def action_preview(self) -> None:
        self._start(apply=False)

    def action_apply(self) -> None:
        self._start(apply=True)

    @on(JobLine.Done)
    def _done(self, event: JobLine.Done) -> None:
        merged: Merged = event.result
        self._read, report = merged.read, merged.report
        if report.applied:
            self.dismiss(report)
        else:
            self._show(report_text(report))

    @on(JobLine.Failed)
    def _failed(self, event: JobLine.Failed) -> None:
        self._show(event.message)

    def action_cancel(self) -> None:
        line = self.query_one(JobLine)
        what = line.running
        if what is None:
            self.dismiss(None)
        elif line.stop():
            self._show(plain("Preview stopped." if what == "preview" else
                             "Merge stopped before it wrote anything: nothing was changed.", "bold"))
        else:
            self.notify(STILL_WRITING, markup=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"preview": self.action_preview, "apply": self.action_apply}.get(event.button.id or "", self.action_cancel)()
