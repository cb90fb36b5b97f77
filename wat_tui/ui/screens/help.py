"""Help: every key from the bindings, and the facilitator's guide.

Opening it builds the keys and empty guide tabs only. A guide is a Markdown widget of a few hundred block widgets;
building all six as the screen opened took 1 to 3 seconds, so a guide is built when its tab is shown and dropped
when another guide's is.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static, TabbedContent, TabPane

from wat_tui.lens.builtin import guide_paths
from wat_tui.ui.base import WatScreen
from wat_tui.ui.widgets.keybar import key_name

#: What each section of the keys is called in the list.
WHERE = {"workspace": "In the review", "practices list": "In the practices list", "anywhere": "Anywhere"}


def keys_table(sections: list[tuple[str, list[Binding]]]) -> Text:
    """Every key, section by section, as one piece of text: a rich Table here cost more to lay out than the rest
    of the help screen together."""
    rows: list[tuple[str, list[tuple[str, str]]]] = []
    for where, bindings in sections:
        ticks = [b for b in bindings if b.action.startswith("toggle_choice(")]
        entries = []
        for b in bindings:
            if b in ticks[1:]:
                continue
            if b is (ticks[0] if ticks else None):
                entries.append(("1-9, 0", f"Tick practice 1 to {len(ticks)} (0 is the tenth)"))
            else:
                entries.append((key_name(b.key), b.description or b.action))
        rows.append((where, entries))
    width = max((len(k) for _, entries in rows for k, _ in entries), default=0) + 2
    text = Text(no_wrap=False)
    for i, (where, entries) in enumerate(rows):
        text.append(("\n" if i else "") + WHERE.get(where, where.capitalize()) + "\n", style="bold underline")
        for key, what in entries:
            text.append(key.ljust(width), style="bold")
            text.append(what + "\n")
    text.rstrip()
    return text


def guide_title(path: Path) -> str:
    """A guide's tab title from its file name: ``02-roles.md`` is "Roles"."""
    return path.stem.split("-", 1)[-1].replace("-", " ").capitalize()


class HelpScreen(WatScreen[None]):
    BINDINGS = [("escape", "dismiss", "Close"), ("q", "dismiss", "Close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.table = keys_table(sections)
        #: Each guide tab's pane id and file; its Markdown is built when the tab is first shown.
        self.guides = {f"guide-{path.stem}": path for path in guide_paths()}

    def compose(self) -> ComposeResult:
        with TabbedContent(id="help-tabs"):
            with TabPane("Keys", id="keys"), VerticalScroll():
                yield Static(self.table)
            for pane_id, path in self.guides.items():
                yield TabPane(guide_title(path), id=pane_id)

    @on(TabbedContent.TabActivated)
    def _show_guide(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        # One guide built at a time: hidden guides' widgets still slow every switch of tab (300-500 ms with all six).
        for other in self.query(TabPane):
            if other is not pane and other.id in self.guides:
                other.remove_children()
        path = self.guides.get(pane.id or "")
        if path is None or pane.children:
            return
        pane.mount(Markdown(path.read_text(encoding="utf-8")))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
