"""The board: the wrap-up block run from one screen.

Every action item of the session (edit, close or reopen, add one, show one owner's), the parking lot (each parked
question with why, and a key to open it in the workspace) and the open conflicts (a key to settle them). It reads
and writes through the review only: the session's state, the parking lot and the open conflicts.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual.widgets.option_list import Option

from wat_tui.exchange.conflicts import ConflictView, open_conflicts
from wat_tui.review import timekeeping as tk
from wat_tui.review.state import ActionItem, SessionState
from wat_tui.ui.base import WatScreen
from wat_tui.ui.screens.action_editor import close_or_reopen, open_action_editor
from wat_tui.ui.text import plain
from wat_tui.ui.widgets.keybar import KeyBar
from wat_tui.ui.widgets.notes import ActionList, IdList, action_text

#: The owner filter's value for items nobody owns yet.
NOBODY = ""
#: At most this many conflicts are named on the board; the conflicts screen (C) lists them all.
CONFLICTS_NAMED = 4


class ParkedList(IdList):
    class Chosen(IdList.Chosen):
        """A parked question was picked: ``item_id`` is its key (``alias/id``)."""


class BoardScreen(WatScreen[str | None]):
    """Dismisses with a question key (``alias/id``) to open in the workspace, else None."""

    DEFAULT_CSS = """
    BoardScreen { padding: 0 1; }
    BoardScreen #board-title { height: 1; background: $surface; }
    BoardScreen #board-actions { height: 1fr; border: none; background: $background; }
    BoardScreen #board-lower { height: auto; max-height: 12; }
    BoardScreen #board-parking-box { width: 2fr; height: auto; }
    BoardScreen #board-conflicts-box { width: 1fr; height: auto; padding-left: 2; }
    BoardScreen #board-parking { height: auto; max-height: 7; border: none; background: $background; }
    BoardScreen #board-keys { dock: bottom; height: 1; background: $surface; text-wrap: nowrap;
                              text-overflow: ellipsis; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="board-back"),
        Binding("t", "add_action", "New action", id="board-add-action"),
        Binding("o", "next_owner", "Owner", id="board-owner"),
        Binding("g", "go", "Open question", id="board-go"),
        Binding("C", "conflicts", "Conflicts", id="board-conflicts"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.state: SessionState = self.wat_app.review.state(session_id)
        #: The owner whose items are shown (:data:`NOBODY` for items without one), None for everyone's.
        self.owner: str | None = None
        #: Question key -> how the board names it: its reference and short title (REL01 Service quotas).
        self._names = {f"{lens.alias}/{q.id}": f"{q.label} {q.short_title or q.title}"
                       for lens in self.state.lenses for q in lens.questions}

    def compose(self) -> ComposeResult:
        yield Static(plain(f"Board · {self.state.name}", "bold", single_line=True), id="board-title")
        yield Static(id="board-actions-title", classes="pane-title")
        yield ActionList(id="board-actions")
        with Horizontal(id="board-lower"):
            with Vertical(id="board-parking-box"):
                yield Static(id="board-parking-title", classes="pane-title")
                yield ParkedList(id="board-parking")
            with Vertical(id="board-conflicts-box"):
                yield Static(id="board-conflicts-title", classes="pane-title")
                yield Static(id="board-conflicts")
        yield KeyBar(id="board-keys")

    def on_mount(self) -> None:
        self.query_one(KeyBar).show([b for b in self.BINDINGS if isinstance(b, Binding)], self.wat_app.palette)
        self.show_board()
        self.query_one(ActionList).focus()

    # -- painting -----------------------------------------------------------------------------------------------

    def owners(self) -> list[str]:
        """The owners of the session's items, in name order; :data:`NOBODY` last when some item has none."""
        named = sorted({a.owner for a in self.state.actions if a.owner}, key=str.lower)
        return named + ([NOBODY] if any(not a.owner for a in self.state.actions) else [])

    def shown_actions(self) -> list[ActionItem]:
        return [a for a in self.state.actions if self.owner is None or a.owner == self.owner]

    def show_board(self) -> None:
        """Read the session again and paint all three parts."""
        self.state = self.wat_app.review.state(self.session_id)
        if self.owner is not None and self.owner not in self.owners():
            self.owner = None  # that person's last item went elsewhere
        self._show_actions()
        self._show_parking()
        self._show_conflicts(open_conflicts(self.wat_app.review, self.session_id))

    def _show_actions(self) -> None:
        palette = self.wat_app.palette
        actions = self.shown_actions()
        still_open = sum(a.status != "done" for a in actions)
        title = Text()
        title.append("Action items ", style=f"bold {palette.accent}")
        title.append(f"({len(actions)}, {still_open} open)  ", style=palette.muted)
        title.append("owner: ", style=palette.muted)
        who = "everyone" if self.owner is None else self.owner or "nobody yet"
        title.append_text(plain(who, "bold", single_line=True))
        title.append("  ⏎ edit · space done/reopen", style=palette.muted)
        self.query_one("#board-actions-title", Static).update(title)
        listed = self.query_one(ActionList)
        keep = listed.highlighted
        listed.set_options([Option(action_text(a, palette, self._where(a)), id=a.id) for a in actions])
        if actions:
            listed.highlighted = min(keep or 0, len(actions) - 1)
        else:
            listed.add_option(Option(Text("No action items" + ("" if self.owner is None else " for this owner")
                                          + ".  t adds one.", style=palette.muted), disabled=True))

    def _where(self, item: ActionItem) -> str:
        if item.question is None:
            return "whole session"
        return self._names.get(item.question, item.question)

    def _show_parking(self) -> None:
        palette = self.wat_app.palette
        parked = tk.parking_lot(self.wat_app.review, self.session_id, self.state)
        title = Text()
        title.append("Parking lot ", style=f"bold {palette.accent}")
        title.append(f"({len(parked)})" + ("  ⏎ open the question" if parked else ""), style=palette.muted)
        self.query_one("#board-parking-title", Static).update(title)
        listed = self.query_one(ParkedList)
        keep = listed.highlighted
        options = []
        for p in parked:
            t = Text()
            t.append("⇢ ", style=f"bold {palette.warning}")
            t.append_text(plain(self._names.get(p.key, p.label), "bold", single_line=True))
            why = " · ".join(x for x in (p.reason, p.parked_by and f"parked by {p.parked_by}") if x)
            if why:
                t.append("\n  ")
                t.append_text(plain(why, palette.muted, single_line=True))
            options.append(Option(t, id=p.key))
        listed.set_options(options)
        if options:
            listed.highlighted = min(keep or 0, len(options) - 1)
        else:
            listed.add_option(Option(Text("Nothing parked.", style=palette.muted), disabled=True))

    def _show_conflicts(self, conflicts: list[ConflictView]) -> None:
        palette = self.wat_app.palette
        title = Text()
        title.append("Conflicts ", style=f"bold {palette.accent}")
        title.append(f"({len(conflicts)})" + ("  C to settle" if conflicts else ""), style=palette.muted)
        self.query_one("#board-conflicts-title", Static).update(title)
        body = Text()
        if not conflicts:
            body.append("None open: every merged value agrees.", style=palette.muted)
        for c in conflicts[:CONFLICTS_NAMED]:
            body.append("⚡ ", style=palette.warning)
            body.append_text(plain(c.label, single_line=True))
            body.append("\n")
        if len(conflicts) > CONFLICTS_NAMED:
            body.append(f"and {len(conflicts) - CONFLICTS_NAMED} more", style=palette.muted)
        body.rstrip()
        self.query_one("#board-conflicts", Static).update(body)

    # -- keys ---------------------------------------------------------------------------------------------------

    def on_action_list_chosen(self, event: ActionList.Chosen) -> None:
        open_action_editor(self, self.session_id, self.state, event.item_id, None, "Edit action item",
                           then=self.show_board)

    def on_action_list_done_toggled(self, event: ActionList.DoneToggled) -> None:
        item = next((a for a in self.state.actions if a.id == event.item_id), None)
        if item is not None:
            close_or_reopen(self, self.session_id, item, then=self.show_board)

    def on_parked_list_chosen(self, event: ParkedList.Chosen) -> None:
        self.dismiss(event.item_id)

    def action_add_action(self) -> None:
        open_action_editor(self, self.session_id, self.state, None, None, "Action item for the whole session",
                           then=self.show_board)

    def action_next_owner(self) -> None:
        """Show everyone's items, then each owner's in turn, then everyone's again."""
        owners: list[str | None] = [None, *self.owners()]
        self.owner = owners[(owners.index(self.owner) + 1) % len(owners)] if self.owner in owners else None
        self.query_one(ActionList).highlighted = None
        self._show_actions()

    def action_go(self) -> None:
        """Open in the workspace the parked question highlighted, or the highlighted action item's question."""
        focused = self.focused
        if isinstance(focused, ParkedList | ActionList) and focused.highlighted is not None:
            option_id = focused.get_option_at_index(focused.highlighted).id
            if isinstance(focused, ParkedList) and option_id:
                self.dismiss(option_id)
                return
            item = next((a for a in self.state.actions if a.id == option_id), None)
            if item is not None and item.question:
                self.dismiss(item.question)
                return
        self.app.bell()

    def action_conflicts(self) -> None:
        from wat_tui.ui.screens.conflicts import ConflictsScreen

        def done(question: str | None) -> None:
            if question:
                self.dismiss(question)
            else:
                self.show_board()

        self.app.push_screen(ConflictsScreen(self.session_id), done)

    def action_close(self) -> None:
        self.dismiss(None)
