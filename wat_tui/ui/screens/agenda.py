"""The agenda: the planned blocks with their times; reorder, resize, add or remove breaks, start a block.

Every change is saved at once (one undoable operation); planned start and end times recompute from the session
clock's first start, or from now when the clock has not started. An edit can move other blocks (the end is kept,
so a longer block takes minutes from the pillars after it): the screen says what moved after each edit, and warns
when the agenda leaves more than two hours without a break, asking before leaving it so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from wat_tui.errors import WatError
from wat_tui.review import agenda as ag
from wat_tui.review import timekeeping as tk
from wat_tui.ui.base import WatModal
from wat_tui.ui.clocktext import hms
from wat_tui.ui.roomclock import RoomClock
from wat_tui.ui.text import plain, visible

if TYPE_CHECKING:
    from wat_tui.review.service import Review

KIND_MARKS = {"opening": "◆", "pillar": "■", "lens": "◇", "break": "☕", "wrapup": "◆"}


class AgendaScreen(WatModal[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Back", id="agenda-back"),
        Binding("plus,equals_sign", "minutes(5)", "+5 min", id="agenda-longer"),
        Binding("minus", "minutes(-5)", "-5 min", id="agenda-shorter"),
        Binding("u", "move(-1)", "Move up", id="agenda-up"),
        Binding("d", "move(1)", "Move down", id="agenda-down"),
        Binding("b", "add_break", "Add break after", id="agenda-add-break"),
        Binding("x", "remove_break", "Remove break", id="agenda-remove-break"),
        Binding("enter", "enter_block", "Start this block", id="agenda-enter"),
        Binding("r", "replan", "Propose again", id="agenda-replan"),
    ]

    def __init__(self, session_id: str, clock: RoomClock) -> None:
        super().__init__()
        self.session_id = session_id
        self.clock = clock
        #: An edit was made on this visit: leaving with a stretch over two hours without a break asks first.
        self._edited = False
        #: The facilitator was told on Esc; a second Esc leaves the agenda as it is.
        self._asked = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="agenda"):
            yield Static(id="agenda-title", classes="dialog-title")
            yield DataTable(id="agenda-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="agenda-changes")
            yield Static(id="agenda-warning")
            yield Static(Text("+/- minutes · u/d move · b add break · x remove break · Enter start block · "
                              "r propose again · Esc back"), classes="dialog-help")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("", "Start", "End", "Min", "Block", "Used")
        self.refresh_table()
        table.focus()

    @property
    def review(self) -> Review:
        return self.wat_app.review

    def blocks(self) -> list[ag.Block]:
        return tk.load_agenda(self.review, self.session_id)

    def refresh_table(self, select: str | None = None) -> None:
        palette = self.wat_app.palette
        blocks = self.blocks()
        tl = self.clock.timeline
        now = self.clock.now()
        starts = [iv.start for iv in tl.intervals]
        start = min(starts) if starts else now
        current = tl.current(now)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for sb in ag.schedule(blocks, start):
            b = sb.block
            used = tl.block_elapsed(b.id, now)
            mark = "▶" if current is not None and current.block == b.id else KIND_MARKS.get(b.kind, " ")
            over = used > b.minutes * 60
            table.add_row(
                Text(mark, style=palette.accent),
                sb.start.astimezone().strftime("%H:%M"), sb.end.astimezone().strftime("%H:%M"),
                Text(str(b.minutes), justify="right"),
                plain(b.title, "bold" if b.kind in ("pillar", "lens") else ""),
                Text(hms(used) + (" ⚠ over" if over else ""), style=palette.warning if over else palette.muted),
                key=b.id,
            )
        total = ag.total_minutes(blocks)
        self.query_one("#agenda-title", Static).update(
            Text(f"Agenda · {len(blocks)} blocks · {total // 60}h{total % 60:02d}m planned", style="bold"))
        self._show_warning(blocks)
        if select is not None:
            table.move_cursor(row=next((i for i, b in enumerate(blocks) if b.id == select), 0))
        elif keep is not None and blocks:
            table.move_cursor(row=min(keep, len(blocks) - 1))

    def selected(self) -> ag.Block | None:
        table = self.query_one(DataTable)
        blocks = self.blocks()
        row = table.cursor_row
        return blocks[row] if blocks and row is not None and 0 <= row < len(blocks) else None

    def _show_warning(self, blocks: list[ag.Block]) -> str | None:
        warning = ag.break_warning(blocks)
        text = Text()
        if warning:
            palette = self.wat_app.palette
            text.append("⚠ ", style=f"bold {palette.warning}")
            text.append_text(plain(warning, f"bold {palette.warning}"))
            if self._asked:
                text.append(" · Esc again to leave it so", style=f"bold {palette.warning}")
        shown = self.query_one("#agenda-warning", Static)
        shown.update(text)
        shown.display = bool(warning)
        return warning

    def _change(self, edit: Callable[[list[ag.Block]], tuple[list[ag.Block], str | None]], did: str,
                edited: str | None = None) -> None:
        """Save one edit, then say under the table what it did and every other block it moved (``edited`` is the
        block the facilitator touched; None: the block the edit selects, such as a new break). Said on the screen,
        not in a notification, which would cover the agenda's own lines."""
        before = self.blocks()
        try:
            blocks, select = edit(before)
            tk.save_agenda(self.review, self.session_id, blocks)
        except WatError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._edited, self._asked = True, False
        self.clock.reload()
        self.refresh_table(select)
        others = ag.describe_changes(before, blocks, edited or select)
        said = visible(did + (" · also: " + "; ".join(others) if others else " · nothing else moved"),
                       single_line=True)
        changes = self.query_one("#agenda-changes", Static)
        changes.update(Text(said, style=self.wat_app.palette.text))
        changes.display = True

    def action_minutes(self, delta: int) -> None:
        b = self.selected()
        if b is not None:
            self._change(lambda bs: (ag.set_block_minutes(bs, b.id, b.minutes + delta), b.id),
                         f"{b.title} {b.minutes} → {b.minutes + delta} min", b.id)

    def action_move(self, step: int) -> None:
        b = self.selected()
        if b is not None:
            self._change(lambda bs: (ag.move_block(bs, b.id, [x.id for x in bs].index(b.id) + step), b.id),
                         f"{b.title} moved {'up' if step < 0 else 'down'}", b.id)

    def action_add_break(self) -> None:
        b = self.selected()
        self._change(lambda bs: ag.add_break(bs, b.id if b else None),
                     f"break added after {b.title}" if b else "break added first")

    def action_remove_break(self) -> None:
        b = self.selected()
        if b is not None:
            self._change(lambda bs: (ag.remove_break(bs, b.id), None), f"{b.title} removed", b.id)

    def action_replan(self) -> None:
        self._change(lambda bs: (tk.propose_agenda(self.review, self.session_id), None), "agenda proposed again")

    def action_enter_block(self) -> None:
        b = self.selected()
        if b is None:
            return
        if tk.stored_agenda(self.review, self.session_id) is None:
            tk.save_agenda(self.review, self.session_id, self.blocks())
        tk.enter_block(self.review, self.session_id, b.id, self.clock.now())
        self.clock.reload()
        self.notify(f"Now: {visible(b.title, single_line=True)}", markup=False)
        self.refresh_table(b.id)

    def on_data_table_row_selected(self) -> None:
        self.action_enter_block()

    async def action_dismiss(self, result: None = None) -> None:
        # Edited into a stretch over two hours without a break: say so once before the room goes on with it.
        if self._edited and not self._asked and ag.break_warning(self.blocks()):
            self._asked = True
            self._show_warning(self.blocks())
            return
        self.dismiss(result)
