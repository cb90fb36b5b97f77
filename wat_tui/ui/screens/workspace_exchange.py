"""The workspace's exchange keys: exporting the report, merging another laptop's files, settling conflicts; and
the analysis that follows the review (impact and effort of the open question, the findings, a milestone)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from wat_tui.review.analysis import Analysis
from wat_tui.review.state import SessionState
from wat_tui.store.errors import StoreError
from wat_tui.ui.screens.workspace_part import WorkspacePart
from wat_tui.ui.widgets.analysis_badge import analysis_badge

if TYPE_CHECKING:
    from wat_tui.exchange.merge import MergeReport


class ExchangeKeys(WorkspacePart):
    """What leaves this laptop (the report) and what comes in (another laptop's files, and their conflicts)."""

    BINDINGS = [
        Binding("E", "export", "Export report", show=False, id="export"),
        Binding("I", "merge", "Merge files", show=False, id="merge"),
        Binding("C", "conflicts", "Conflicts", show=False, id="conflicts"),
        Binding("J", "impact", "Business impact (none, low, medium, high)", show=False, id="impact"),
        Binding("K", "effort", "Technical effort (none, low, medium, high)", show=False, id="effort"),
        Binding("Z", "findings", "Findings: impact, effort, matrix", show=False, id="findings"),
        Binding("Y", "milestone", "Record a milestone", show=False, id="milestone"),
        Binding("R", "roadmap", "Action roadmap and progress since a milestone", show=False, id="roadmap"),
    ]

    #: The session's analysis, read once per read of the session (:attr:`state`): moving between questions
    #: reads nothing, an edit (a reload) reads it again with the session.
    _analysis: dict[str, Analysis] | None = None
    _analysis_of: SessionState | None = None

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

    # -- analysis (issue 14) ------------------------------------------------------------------------------------

    def scored_badge(self) -> Text:
        """The open question's impact and effort for its header (``impact HIGH · effort LOW``; empty while
        neither is scored)."""
        if self._analysis is None or self._analysis_of is not self.state:
            try:
                self._analysis = self.review.analysis(self.session_id)
            except StoreError:
                return Text()  # the store's own error shows elsewhere; the header waits for the next read
            self._analysis_of = self.state
        return analysis_badge(self._analysis.get(self.current_key), self.palette)

    def _scored(self) -> None:
        """After J or K: the header shows the new scores."""
        self._analysis = None
        self.reload(self.current_key)

    def action_impact(self) -> None:
        """J: the open question's business impact moves on: none, low, medium, high, none."""
        from wat_tui.review.analysis import AT_RISK
        from wat_tui.ui.screens.analysis import cycle_analysis

        lens, q = self.current
        cycle_analysis(self, self.session_id, self.current_key, "impact", q.label,
                       at_risk=self.state.risk(lens, q) in AT_RISK, then=self._scored)

    def action_effort(self) -> None:
        """K: the open question's technical effort moves on: none, low, medium, high, none."""
        from wat_tui.review.analysis import AT_RISK
        from wat_tui.ui.screens.analysis import cycle_analysis

        lens, q = self.current
        cycle_analysis(self, self.session_id, self.current_key, "effort", q.label,
                       at_risk=self.state.risk(lens, q) in AT_RISK, then=self._scored)

    def action_findings(self) -> None:
        from wat_tui.ui.screens.analysis import FindingsScreen

        def done(question: str | None) -> None:
            self.reload()
            if question:
                self.go_to_key(question)

        self.app.push_screen(FindingsScreen(self.session_id), done)

    def action_milestone(self) -> None:
        from wat_tui.ui.screens.analysis import MilestoneScreen

        def done(name: str | None) -> None:
            if name is not None:
                self.notify(f"Milestone {name!r} recorded.", markup=False)

        self.app.push_screen(MilestoneScreen(self.session_id), done)

    def action_roadmap(self) -> None:
        """R: the actions by month of due date and the findings without one (c there: progress since a
        milestone); Enter opens a question here."""
        from wat_tui.ui.screens.roadmap import RoadmapScreen

        def done(question: str | None) -> None:
            self.reload()
            if question:
                self.go_to_key(question)

        self.app.push_screen(RoadmapScreen(self.session_id), done)
