"""Export: write the review report (Markdown or a standalone HTML page) to a file, from inside the app."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static

from wat_tui.errors import WatError
from wat_tui.ui.base import WatModal
from wat_tui.ui.text import plain


def default_name(session_name: str, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", session_name.lower()).strip("-") or "review"
    return f"{slug}-report.{'html' if fmt == 'html' else 'md'}"


class ExportScreen(WatModal[Path | None]):
    """Dismisses with the written file's path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "export", "Write report")]

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
            yield Static(id="export-error", classes="error")

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
        self.dismiss(None)

    def action_export(self) -> None:
        from wat_tui.exchange.document import render_report, write_report

        review = self.wat_app.review
        private = self.query_one("#export-private", Checkbox).value
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        try:
            content = render_report(review, self.session_id, self.fmt(), include_private=private)
            if path.is_dir():
                raise WatError(f"{path}: is a directory; give a file name for the report")
            write_report(path, content)
        except WatError as exc:
            self.query_one("#export-error", Static).update(plain(str(exc)))
            return
        self.dismiss(path)
