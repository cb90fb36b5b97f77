"""The workspace's time and sharing keys: the clock, parking, the bell, the agenda, a break; merging files and
settling conflicts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wat_tui.errors import WatError
from wat_tui.ui.text import visible

if TYPE_CHECKING:
    from wat_tui.ui.screens.workspace import WorkspaceScreen


def clock(ws: WorkspaceScreen) -> None:
    # Two writes, each retried on its own if refused: starting twice would pause the clock again.
    ws.wat_app.save(lambda: ws.notify(ws.clock.start_or_pause(), markup=False), then=ws._repaint_clock)
    ws.wat_app.save(lambda: ws.clock.follow(ws.current_key, ws.state), then=ws._repaint_clock)
    ws._repaint_clock()


def park(ws: WorkspaceScreen) -> None:
    from wat_tui.review import timekeeping as tk

    key = ws.current_key
    parked = key in ws.clock.timeline.parked
    label = visible(ws.current[1].label, single_line=True)

    def move() -> None:
        if parked:
            tk.unpark_question(ws.review, ws.session_id, key)
        else:
            tk.park_question(ws.review, ws.session_id, key, "Parked in the room for follow-up",
                             ws._author())
        ws.notify(f"{label} {'back from' if parked else 'moved to'} the parking lot.", markup=False)

    try:
        ws.wat_app.save(move, then=lambda: ws.reload(key))
    except WatError as exc:
        ws.notify(visible(str(exc)), severity="error", markup=False)
    ws.reload(key)


def bell(ws: WorkspaceScreen) -> None:
    on = not ws.bell

    def switch() -> None:
        ws.review.set_local_setting(ws.session_id, "bell", "on" if on else "off")
        ws.bell = on
        ws.notify(f"Terminal bell {'on' if on else 'off'} for block alerts.")

    ws.wat_app.save(switch)


def agenda(ws: WorkspaceScreen) -> None:
    from wat_tui.ui.screens.agenda import AgendaScreen

    ws.app.push_screen(AgendaScreen(ws.session_id, ws.clock), lambda _: ws.reload())


def take_break(ws: WorkspaceScreen) -> None:
    from wat_tui.ui.screens.break_screen import BreakScreen

    def back(_: object) -> None:
        # The break is over: the room is back on the question on screen, so the clock leaves the break block.
        ws.wat_app.save(lambda: ws.clock.follow(ws.current_key, ws.state), then=ws.reload)
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
