"""Merge: pick other facilitators' session files, preview what they bring in, then apply it in one go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DirectoryTree, Static, TextArea

from wat_tui.errors import WatError
from wat_tui.exchange.merge import MergeReport, merge_files, preview
from wat_tui.ui.base import WatModal
from wat_tui.ui.text import plain


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


class JsonTree(DirectoryTree):
    def filter_paths(self, paths: Any) -> Any:
        return [p for p in paths if p.is_dir() or p.suffix.lower() == ".json"]


class MergeScreen(WatModal[MergeReport | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+r", "preview", "Preview"),
                Binding("ctrl+s", "apply", "Apply")]

    def __init__(self, session_id: str | None, start: Path) -> None:
        super().__init__()
        self.session_id = session_id
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="merge"):
            yield Static(Text("Merge session files", style="bold"), classes="dialog-title")
            with Horizontal(id="merge-body"):
                yield JsonTree(str(self.start), id="merge-tree")
                with Vertical(id="merge-right"):
                    yield Static("Files to merge, one a line (Enter on a file in the tree adds it):")
                    yield TextArea(id="merge-files")
                    with VerticalScroll(id="merge-preview-box"):
                        yield Static(id="merge-preview")
            with Horizontal(classes="row buttons"):
                yield Button("Preview", id="preview")
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    def paths(self) -> list[Path]:
        text = self.query_one("#merge-files", TextArea).text
        return [Path(line.strip()).expanduser() for line in text.splitlines() if line.strip()]

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        area = self.query_one("#merge-files", TextArea)
        if str(event.path) not in area.text.splitlines():
            area.text = (area.text.rstrip("\n") + "\n" + str(event.path)).lstrip("\n")

    def _show(self, content: Text) -> None:
        self.query_one("#merge-preview", Static).update(content)

    def action_preview(self) -> None:
        try:
            self._show(report_text(preview(self.wat_app.review, self.paths(), into=self.session_id)))
        except WatError as exc:
            self._show(plain(str(exc), "bold"))

    def action_apply(self) -> None:
        try:
            report = merge_files(self.wat_app.review, self.paths(), into=self.session_id)
        except WatError as exc:
            self._show(plain(str(exc), "bold"))
            return
        self.dismiss(report)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"preview": self.action_preview, "apply": self.action_apply}.get(event.button.id or "", self.action_cancel)()
