"""A bare Textual app with the same widgets as the workspace and no wat-tui code: the floor for launch time."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Collapsible, Footer, Markdown, OptionList, Static, Tree


class BareApp(App[None]):
    CSS = """
    #top { height: 1; } #body { height: 1fr; } Tree { width: 34; } #q { width: 1fr; } #notes { width: 36; }
    OptionList { height: auto; }
    """

    def __init__(self, ticking: bool = False) -> None:
        super().__init__()
        self.ticking = ticking

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static(Text("Session"), id="title")
            yield Static(Text("14:05"), id="clock")
        with Horizontal(id="body"):
            tree: Tree[None] = Tree("Review")
            for p in range(6):
                node = tree.root.add(Text(f"Pillar {p}"), expand=p == 1)
                for q in range(11):
                    node.add_leaf(Text(f"○ Q{p}{q:02d} Question title"))
            yield tree
            with Vertical(id="q"):
                yield Static(Text("▲ HIGH  SEC07"))
                yield Static(Text("Does the team know what kinds of data this workload holds?"))
                with VerticalScroll():
                    with Collapsible(title="About"):
                        yield Static(Text("About text " * 20))
                    yield OptionList(*[Text(f"{i} [ ] HIGH Practice {i}") for i in range(1, 10)])
            with Vertical(id="notes"):
                yield Static(Text("Notes (1)"))
                yield OptionList(Text("Ana  A note"))
                yield Markdown("A **note** with *Markdown*.")
                yield Static(Text("Action items (1)"))
                yield OptionList(Text("□ An action"))
        yield Footer()

    BINDINGS = [("n", "next", "Next")]

    def action_next(self) -> None:
        """What a bare app does on a key: new text in two widgets and a new list of options."""
        self.count = getattr(self, "count", 0) + 1
        self.query_one("#title", Static).update(Text(f"Question {self.count}"))
        self.query_one("#q OptionList", OptionList).set_options(
            [Text(f"{i} [ ] HIGH Practice {i} of question {self.count}") for i in range(1, 10)])

    def on_mount(self) -> None:
        if self.ticking:
            self.set_interval(1.0, lambda: self.query_one("#clock", Static).update(Text("14:06")))
