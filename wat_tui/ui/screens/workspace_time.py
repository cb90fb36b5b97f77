"""The workspace's time and sharing keys: the clock, parking, the bell, the agenda, a break; merging files and
settling conflicts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wat_tui.errors import WatError
from wat_tui.ui.text import visible

if TYPE_CHECKING:
    from wat_tui.ui.screens.workspace import WorkspaceScreen


def clock(ws: WorkspaceScreen) -> None:
    ws.notify(ws.clock.start_or_pause(), markup=False)
    ws.clock.follow(ws.current_key, ws.state)
    ws._repaint_clock()


def park(ws: WorkspaceScreen) -> None:
    from wat_tui.review import timekeeping as tk

    key = ws.current_key
    parked = key in ws.clock.timeline.parked
    try:
        if parked:
            tk.unpark_question(ws.review, ws.session_id, key)
        else:
            tk.park_question(ws.review, ws.session_id, key, "Parked in the room for follow-up",
                             ws._author())
    except WatError as exc:
        ws.notify(visible(str(exc)), severity="error", markup=False)
    else:
        label = visible(ws.current[1].label, single_line=True)
        ws.notify(f"{label} {'back from' if parked else 'moved to'} the parking lot.", markup=False)
    ws.reload(key)


def bell(ws: WorkspaceScreen) -> None:
    ws.bell = not ws.bell
    ws.review.set_local_setting(ws.session_id, "bell", "on" if ws.bell else "off")
    ws.notify(f"Terminal bell {'on' if ws.bell else 'off'} for block alerts.")


def agenda(ws: WorkspaceScreen) -> None:
    from wat_tui.ui.screens.agenda import AgendaScreen

    ws.app.push_screen(AgendaScreen(ws.session_id, ws.clock), lambda _: ws.reload())


def take_break(ws: WorkspaceScreen) -> None:
    from wat_tui.ui.screens.break_screen import BreakScreen

    def back(_: object) -> None:
        # The break is over: the room is back on the question on screen, so the clock leaves the break block.
        ws.clock.follow(ws.current_key, ws.state)
        ws.reload()

    ws.app.push_screen(BreakScreen(ws.clock), back)


def merge(ws: WorkspaceScreen) -> None:
    from pathlib import Path

    from wat_tui.exchange.merge import MergeReport
    from wat_tui.ui.screens.merge import MergeScreen

    def done(report: MergeReport | None) -> None:
        if report is not None:
            ws.notify(f"Merged {report.operations} operations; {len(report.conflicts)} conflicts open"
                      + (" (C to see them)." if report.conflicts else "."), markup=False)
            ws.reload()

    ws.app.push_screen(MergeScreen(ws.session_id, Path.cwd()), done)


def conflicts(ws: WorkspaceScreen) -> None:
    from wat_tui.ui.screens.conflicts import ConflictsScreen

    def done(question: str | None) -> None:
        ws.reload()
        if question:
            ws.go_to_key(question)

    ws.app.push_screen(ConflictsScreen(ws.session_id), done)
