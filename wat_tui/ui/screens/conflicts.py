"""Open merge conflicts: every value with its author, device, time and source file, and ways to resolve them.

Resolving writes one more operation that has seen every value, so the conflict clears everywhere once shared.
Leaving it for later is always fine: it stays listed here, badged in the outline, and in the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wat_tui.errors import WatError
from wat_tui.exchange.conflicts import ConflictValue, ConflictView, keep_both, keep_value, open_conflicts
from wat_tui.exchange.report_model import RISK_WORDS
from wat_tui.ui.base import WatModal
from wat_tui.ui.text import plain
from wat_tui.ui.widgets.badges import BADGES, risk_colour

if TYPE_CHECKING:
    from wat_tui.review.service import Review


def where_from(source: str) -> str:
    """The file a value arrived in, or that it was made here ("local", as the operation log says)."""
    return "from local edits" if source == "local" else f"from {source}"


class ConflictsScreen(WatModal[str | None]):
    """Dismisses with a question key when the facilitator wants to settle it in the workspace, else None."""

    BINDINGS = [
        Binding("escape", "close", "Leave for later", id="conflicts-close"),
        *(Binding(str(i), f"keep({i - 1})", f"Keep value {i}", show=False, id=f"conflicts-keep-{i}")
          for i in range(1, 10)),
        Binding("b", "keep_both", "Keep both (notes)", id="conflicts-both"),
        Binding("g", "go", "Go to the question", id="conflicts-go"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.conflicts: list[ConflictView] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="conflicts"):
            yield Static(id="conflicts-title", classes="dialog-title")
            with Horizontal(id="conflicts-body"):
                yield OptionList(id="conflict-list")
                with VerticalScroll(id="conflict-detail-box"):
                    yield Static(id="conflict-detail")
            yield Static(Text("1-9 keep that value · b keep both (notes) · g go to the question and write a new "
                              "value · Esc leave for later"), classes="dialog-help")

    @property
    def review(self) -> Review:
        return self.wat_app.review

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(OptionList).focus()

    def refresh_list(self) -> None:
        self.conflicts = open_conflicts(self.review, self.session_id)
        n = len(self.conflicts)
        self.query_one("#conflicts-title", Static).update(
            Text(f"Conflicts · {n} open" if n else "Conflicts · none open: every merged value agrees", style="bold"))
        ol = self.query_one(OptionList)
        keep = ol.highlighted or 0
        ol.set_options([Option(plain(f"⚡ {c.label}"), id=c.target) for c in self.conflicts])
        if self.conflicts:
            ol.highlighted = min(keep, n - 1)
        self.show_detail()

    def selected(self) -> ConflictView | None:
        i = self.query_one(OptionList).highlighted
        return self.conflicts[i] if i is not None and 0 <= i < len(self.conflicts) else None

    def show_detail(self) -> None:
        palette = self.wat_app.palette
        c = self.selected()
        text = Text()
        if c is not None:
            text.append_text(plain(c.label, "bold"))
            text.append("\n")
            for i, v in enumerate(c.values, 1):
                text.append(f"\n{i} ", style=f"bold {palette.accent}")
                text.append_text(plain(v.summary or "(deleted)", "bold"))
                if v.risk is not None:
                    text.append("\n  If kept: ")
                    symbol = BADGES[v.risk][0]
                    text.append(f"{symbol} {RISK_WORDS[v.risk]}", style=f"bold {risk_colour(v.risk, palette)}")
                text.append("\n  ")
                text.append_text(plain(self.who(v), palette.text))
                text.append_text(plain(f" · {v.time.astimezone().strftime('%Y-%m-%d %H:%M')} · "
                                       f"{where_from(v.source)}\n", palette.muted))
        self.query_one("#conflict-detail", Static).update(text)

    def who(self, v: ConflictValue) -> str:
        """Who made the value, by name where the writer's name is known, and on which laptop."""
        if v.writer_id == self.review.writer_id:
            return f"{v.author} on this laptop"
        return f"{v.author} on {v.device or 'another laptop'}"

    def on_option_list_option_highlighted(self) -> None:
        self.show_detail()

    def _resolve(self, do: Any) -> None:
        try:
            do()
        except WatError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.refresh_list()

    def action_keep(self, index: int) -> None:
        c = self.selected()
        if c is not None and index < len(c.values):
            v = c.values[index]
            self._resolve(lambda: keep_value(self.review, self.session_id, c.target, v.writer_id, v.seq))

    def action_keep_both(self) -> None:
        c = self.selected()
        if c is None:
            return
        if not c.can_keep_both:
            self.notify("Keeping both works for notes; keep one value, or go to the question and write a new one.")
            return
        v = c.values[0]
        self._resolve(lambda: keep_both(self.review, self.session_id, c.target, v.writer_id, v.seq))

    def action_go(self) -> None:
        c = self.selected()
        if c is not None and c.question:
            self.dismiss(c.question)

    def action_close(self) -> None:
        self.dismiss(None)
