"""Export: write the review report (Markdown or a standalone HTML page) to a file, from inside the app.

The report is rendered and written as a job in a thread (``wat_tui/ui/jobs.py``): three lenses and two thousand
notes take a moment, and the room's clocks keep running meanwhile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Footer, Input, RadioButton, RadioSet, Static

from wat_tui.errors import WatError
from wat_tui.review.service import Review
from wat_tui.ui.base import WatModal
from wat_tui.ui.jobs import Job, JobLine
from wat_tui.ui.text import plain


def default_name(session_name: str, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", session_name.lower()).strip("-") or "review"
    return f"{slug}-report.{'html' if fmt == 'html' else 'md'}"


def report_job(session_id: str, fmt: str, path: Path, private: bool) -> Callable[[Review, Job], Path]:
    """Render the report and write it to ``path``, for a job's thread; returns the path."""
    from wat_tui.exchange.document import render_report, write_report

    def work(review: Review, job: Job) -> Path:
        if path.is_dir():
            raise WatError(f"{path}: is a directory; give a file name for the report")
        content = render_report(review, session_id, fmt, include_private=private)
        job.writing(f"Writing {path.name}…")
        write_report(path, content)
        return path

    return work


class ExportScreen(WatModal[Path | None]):
    """Dismisses with the written file's path, or None when cancelled."""

    BINDINGS = [Binding("ctrl+s", "export", "Write the report", id="export-write"),
                Binding("escape", "cancel", "Stop / close", id="export-cancel")]

    def __init__(self, session_id: str, session_name: str, directory: Path) -> None:
        super().__init__()
        self.session_id = session_id
        self.session_name = session_name
        self.directory = directory

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export"):
            yield Static(Text("Export the report", style="bold"), classes="dialog-title")
            with RadioSet(id="export-format"):
                yield RadioButton("Markdown", value=True, id="fmt-md")
                yield RadioButton("HTML page (print-friendly)", id="fmt-html")
            yield Checkbox("Include private notes", False, id="export-private")
            yield Input(str(self.directory / default_name(self.session_name, "md")), id="export-path")
            with Horizontal(classes="row buttons"):
                yield Button("Write", variant="primary", id="write")
                yield Button("Cancel", id="cancel")
            yield JobLine(id="export-job")
            yield Static(id="export-error", classes="error")
        yield Footer()

    def fmt(self) -> str:
        return "html" if self.query_one("#fmt-html", RadioButton).value else "md"

    def on_radio_set_changed(self) -> None:
        path = self.query_one("#export-path", Input)
        current = Path(path.value)
        path.value = str(current.with_name(default_name(self.session_name, self.fmt())))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.action_export()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_export()

    def action_cancel(self) -> None:
        line = self.query_one(JobLine)
        if line.running is None:
            self.dismiss(None)
        elif line.stop():
            self._error("Stopped: no report was written.")
        else:
            self.notify("The report is being written; it is done in a moment.", markup=False)

    def action_export(self) -> None:
        private = self.query_one("#export-private", Checkbox).value
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        if self.query_one(JobLine).start("report", "Putting the report together…",
                                         report_job(self.session_id, self.fmt(), path, private)):
            self._error("")

    def _error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(plain(message))

    @on(JobLine.Done)
    def _written(self, event: JobLine.Done) -> None:
        self.dismiss(event.result)

    @on(JobLine.Failed)
    def _failed(self, event: JobLine.Failed) -> None:
        self.query_one("#export-error", Static).update(event.message)
