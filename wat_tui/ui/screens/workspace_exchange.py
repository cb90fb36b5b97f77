"""The workspace's exchange keys: exporting the report, merging another laptop's files, settling conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from wat_tui.ui.screens.workspace_part import WorkspacePart

if TYPE_CHECKING:
    from wat_tui.exchange.merge import MergeReport


class ExchangeKeys(WorkspacePart):
    """What leaves this laptop (the report) and what comes in (another laptop's files, and their conflicts)."""

    BINDINGS = [
        Binding("E", "export", "Export report", show=False, id="export"),
        Binding("I", "merge", "Merge files", show=False, id="merge"),
        Binding("C", "conflicts", "Conflicts", show=False, id="conflicts"),
    ]

    def action_export(self) -> None:
        from wat_tui.ui.screens.export import ExportScreen

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Report written to {path}", markup=False)

        self.app.push_screen(ExportScreen(self.session_id, self.state.name, Path.cwd()), done)

    def action_merge(self) -> None:
        from wat_tui.ui.screens.merge import MergeScreen

        def done(report: MergeReport | None) -> None:
            if report is not None:
                self.notify(f"Merged {report.operations} operations; {len(report.conflicts)} conflicts open"
                            + (" (C to see them)." if report.conflicts else "."), markup=False)
                self.reload()

        self.app.push_screen(MergeScreen(self.session_id, Path.cwd()), done)

    def action_conflicts(self) -> None:
        from wat_tui.ui.screens.conflicts import ConflictsScreen

        def done(question: str | None) -> None:
            self.reload()
            if question:
                self.go_to_key(question)

        self.app.push_screen(ConflictsScreen(self.session_id), done)
