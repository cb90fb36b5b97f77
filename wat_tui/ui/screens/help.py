"""Help: every key from the bindings, and the facilitator's guide."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static, TabbedContent, TabPane

from wat_tui.lens.builtin import guide_paths
from wat_tui.ui.base import WatModal

KEY_NAMES = {"minus": "-", "question_mark": "?", "ctrl+z": "Ctrl+Z", "ctrl+y": "Ctrl+Y", "ctrl+p": "Ctrl+P",
             "ctrl+t": "Ctrl+T", "ctrl+s": "Ctrl+S", "space": "Space", "escape": "Esc"}


def keys_table(sections: list[tuple[str, list[Binding]]]) -> Table:
    table = Table(show_header=True, header_style="bold", expand=True, box=None)
    table.add_column("Key", no_wrap=True, width=10)
    table.add_column("What it does")
    table.add_column("Where", style="dim")
    for where, bindings in sections:
        ticks = [b for b in bindings if b.action.startswith("toggle_choice(")]
        for b in bindings:
            if b in ticks[1:]:
                continue
            if b is (ticks[0] if ticks else None):
                key, what = "1-9, 0", f"Tick practice 1 to {len(ticks)} (0 is the tenth)"
            else:
                key = ", ".join(KEY_NAMES.get(k, k.upper() if k.startswith("f") and k[1:].isdigit() else k)
                                for k in b.key.split(","))
                what = b.description or b.action
            table.add_row(Text(key, style="bold"), Text(what), Text(where))
    return table


class HelpScreen(WatModal[None]):
    BINDINGS = [("escape", "dismiss", "Close"), ("q", "dismiss", "Close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.table = keys_table(sections)

    def compose(self) -> ComposeResult:
        with TabbedContent(id="help-tabs"):
            with TabPane("Keys", id="keys"), VerticalScroll():
                yield Static(self.table)
            for path in guide_paths():
                title = path.stem.split("-", 1)[-1].replace("-", " ").capitalize()
                with TabPane(title, id=f"guide-{path.stem}"):
                    yield Markdown(path.read_text(encoding="utf-8"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
