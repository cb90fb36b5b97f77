"""Phases 4 and 5 of the review on screen: the action roadmap and the progress since a milestone.

:class:`RoadmapScreen` lists the action items by month of due date (owner, due date, status, the findings each
addresses), then the findings no action addresses; Enter opens the highlighted row's question in the workspace.
:class:`CompareScreen` shows the risks resolved, new and still open per pillar and the actions closed, from the
latest milestone to now, or between two milestones chosen with keys. Both read the review only (review/roadmap.py
and review/compare.py hold the rules).
"""

from __future__ import annotations

from dataclasses import replace

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from wat_tui.review import analysis as an
from wat_tui.review import roadmap as rm
from wat_tui.review.analysis import Finding
from wat_tui.review.compare import Comparison, Milestone, Move, compare, snapshot
from wat_tui.review.state import SessionState
from wat_tui.ui.base import WatScreen
from wat_tui.ui.screens.analysis import RISK_MARKS, risk_text
from wat_tui.ui.text import plain
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.keybar import KeyBar

#: Row keys that are not an action or a finding (month headings, the section heading): Enter opens nothing.
HEADING = "heading:"


def question_of(key: str) -> str:
    """The question key (``alias/qid``) of a finding key (``alias/qid`` or ``alias/qid/choice``)."""
    return "/".join(key.split("/")[:2])


def finding_mark(key: str, by_key: dict[str, Finding], labels: dict[str, str]) -> str:
    """A linked finding as its id with its risk readable without colour (``▲ SEC07``), or its id alone when it
    is not at risk now."""
    f = by_key.get(key)
    if f is None:
        return labels.get(key) or labels.get(question_of(key)) or key
    mark = RISK_MARKS.get(f.risk or "", ("", ""))[0]
    return f"{mark} {f.label}".strip()


def question_labels(state: SessionState) -> dict[str, str]:
    return {f"{lens.alias}/{q.id}": q.label for lens in state.lenses for q in lens.questions}


class RoadmapScreen(WatScreen[str | None]):
    """The action plan: actions by month of due date, then the findings without an action. Dismisses with a
    question key to open in the workspace, or None."""

    DEFAULT_CSS = """
    RoadmapScreen { padding: 0 1; }
    RoadmapScreen #roadmap-title { height: 1; background: $surface; }
    RoadmapScreen #roadmap-help { height: 1; }
    RoadmapScreen #roadmap-table { height: 1fr; }
    RoadmapScreen #roadmap-keys { dock: bottom; height: 1; background: $surface; text-wrap: nowrap;
                                  text-overflow: ellipsis; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="roadmap-back"),
        Binding("enter", "open", "Open question", show=False, id="roadmap-open"),
        Binding("c", "compare", "Progress since milestone", id="roadmap-compare"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        #: Per table row: the question key Enter opens ("" for none).
        self.targets: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="roadmap-title")
        yield Static(id="roadmap-help")
        yield DataTable(id="roadmap-table", cursor_type="row", zebra_stripes=False)
        yield KeyBar(id="roadmap-keys")

    def on_mount(self) -> None:
        self.query_one(KeyBar).show([b for b in self.BINDINGS if isinstance(b, Binding)], self.wat_app.palette)
        self.show_roadmap()
        self.query_one(DataTable).focus()

    def show_roadmap(self) -> None:
        review = self.wat_app.review
        palette = self.wat_app.palette
        state = review.full_state(self.session_id)
        items = an.findings(state, state.analysis)
        by_key = {f.key: f for f in items}
        labels = question_labels(state)
        links = rm.action_links(state, state.links)
        months = rm.roadmap(state, links)
        missing = rm.unaddressed(items, links)
        title = Text()
        title.append_text(plain(f"Action roadmap · {state.name}", "bold", single_line=True))
        title.append(f"  {len(state.actions)} actions, {len(missing)} of {len(items)} findings without one",
                     style=palette.muted)
        self.query_one("#roadmap-title", Static).update(title)
        self.query_one("#roadmap-help", Static).update(
            Text("By month of due date · ⏎ open the question · ▲ HIGH ● MED risk · c progress since a milestone",
                 style=palette.muted))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = max(self.app.size.width, 60)
        side = 14 if width < 110 else 18
        # Item 11, due 10, status 11, two columns of ``side``, a cell's padding, the screen's and the scrollbar.
        title_width = max(16, width - 32 - 2 * side - 12 - (4 if width >= 110 else 8))
        table.add_column("Item", key="item", width=11)
        table.add_column("Title", key="title", width=title_width)
        table.add_column("Owner / pillar", key="owner", width=side)
        table.add_column("Due", key="due", width=10)
        table.add_column("Status", key="status", width=11)
        table.add_column("Findings", key="findings", width=side)

        def fit(value: str, style: str = "", most: int = side) -> Text:
            out = plain(value, style, single_line=True)
            out.truncate(most, overflow="ellipsis")
            return out

        self.targets = []

        def heading(key: str, words: Text, more: Text | str = "") -> None:
            table.add_row(words, more, "", "", "", "", key=HEADING + key)
            self.targets.append("")

        for month in months:
            owners = ", ".join(month.owners) or "no owner"
            if month.owners and month.unowned:
                owners += f" (+{month.unowned} without one)"
            count = f"{len(month.items)} action{'s' if len(month.items) != 1 else ''}"
            more = plain(f"{count} · {owners}", single_line=True)
            more.stylize(palette.muted)
            more.truncate(title_width, overflow="ellipsis")
            heading(month.month, Text(month.month, style=f"bold {palette.accent}"), more)
            for item in month.items:
                a = item.action
                name = plain(a.title, single_line=True)
                name.truncate(title_width, overflow="ellipsis")
                marks = ", ".join(finding_mark(k, by_key, labels) for k in item.findings)
                status = Text(a.status or "open", style="bold" if a.status != "done" else palette.muted)
                table.add_row(Text(labels.get(a.question or "", "–"), style=palette.muted), name,
                              fit(a.owner or "–"), Text(a.due or "–"), status, fit(marks or "–"), key=a.id)
                self.targets.append(a.question or "")
        if not months:
            heading("none", Text("–"), Text("No action item yet.", style=palette.muted))
        heading("unaddressed", Text("No action", style=f"bold {palette.accent}"),
                fit(f"{len(missing)} finding{'s' if len(missing) != 1 else ''}, no action addresses",
                    f"bold {palette.accent}", title_width))
        for f in missing:
            name = plain(f.title, single_line=True)
            name.truncate(title_width, overflow="ellipsis")
            label = f.label if f.choice is None else f"  {f.label}"
            table.add_row(fit(label, "bold", 11), name, fit(f.pillar_name, palette.muted), "", "",
                          risk_text(f.risk, palette), key="finding:" + f.key)
            self.targets.append(question_of(f.key))
        if not missing:
            heading("all", Text("–"), Text("Every finding has an action.", style=palette.muted))
        # Start on the first row Enter can open.
        first = next((i for i, t in enumerate(self.targets) if t), 0)
        table.move_cursor(row=first)

    def highlighted_target(self) -> str:
        row = self.query_one(DataTable).cursor_row
        return self.targets[row] if 0 <= row < len(self.targets) else ""

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        target = self.highlighted_target()
        if not target:
            self.app.bell()
            self.notify("This row has no question to open.", markup=False)
            return
        self.dismiss(target)

    def action_compare(self) -> None:
        self.app.push_screen(CompareScreen(self.session_id))

    def action_close(self) -> None:
        self.dismiss(None)


# -- progress since a milestone -----------------------------------------------------------------------------

NO_MILESTONE = ("No milestone yet, so nothing to compare with. Record one with Y in the workspace (or "
                "'wat-tui milestone SESSION NAME'); the next follow-up then shows what changed since.")


def _move_line(m: Move, palette: Palette, risk: str) -> Text:
    line = Text("  ")
    mark = RISK_MARKS.get(risk)
    if risk == "MEDIUM" or risk == "HIGH":
        assert mark is not None
        style = palette.high if risk == "HIGH" else palette.medium
        line.append(f"{mark[0]} {mark[1]:<4} ", style=f"bold {style}")
    else:
        line.append("       ")
    line.append_text(plain(f"{m.label}: {m.title}", single_line=True))
    words = {"HIGH": "high", "MEDIUM": "medium", "NONE": "no risk", "NOT_APPLICABLE": "not applicable",
             "UNANSWERED": "unanswered"}
    if m.before != m.after:
        line.append(f"  ({words.get(m.before, m.before)} → {words.get(m.after, m.after)})", style=palette.muted)
    return line


def comparison_renderable(cmp: Comparison, palette: Palette) -> RenderableType:
    """The comparison: counts, a table per pillar, then the questions and actions that moved."""
    parts: list[RenderableType] = []
    summary = Text()
    summary.append(f"{len(cmp.resolved)} resolved", style="bold")
    summary.append(f", {len(cmp.new)} new, {len(cmp.changed)} changed level, {len(cmp.still_open)} still open; "
                   f"{len(cmp.closed)} actions closed, {len(cmp.new_actions)} new.")
    parts.append(summary)
    moved = [p for p in cmp.pillars if p.resolved or p.new or p.changed or p.open]
    if moved:
        grid = Table(box=box.SIMPLE_HEAD, header_style=f"bold {palette.accent}", pad_edge=False)
        grid.add_column("Pillar")
        for name in ("Resolved", "New", "Changed level", "Open now"):
            grid.add_column(name, justify="right")
        for p in moved:
            grid.add_row(plain(p.name, single_line=True), str(p.resolved), str(p.new), str(p.changed), str(p.open))
        parts.append(grid)
    sections: tuple[tuple[str, tuple[Move, ...], bool], ...] = (
        ("Resolved", cmp.resolved, False), ("New risks", cmp.new, True), ("Changed level", cmp.changed, True),
        ("Answer cleared (not a resolution)", cmp.cleared, False), ("Unchanged, still open", cmp.still_open, True))
    for name, moves, now in sections:
        if not moves:
            continue
        parts.append(Text(f"{name} ({len(moves)})", style=f"bold {palette.accent}"))
        parts.extend(_move_line(m, palette, m.after if now else m.before) for m in moves)
    for name, actions in (("Actions closed", cmp.closed), ("New actions", cmp.new_actions),
                          ("Actions removed", cmp.removed_actions)):
        if not actions:
            continue
        parts.append(Text(f"{name} ({len(actions)})", style=f"bold {palette.accent}"))
        for x in actions:
            line = Text("  ")
            line.append_text(plain(x.title, single_line=True))
            bits = [b for b in (x.owner.strip(), f"due {x.due}" if x.due else "", x.status) if b]
            line.append(f"  ({', '.join(bits)})", style=palette.muted)
            parts.append(line)
    if not cmp.closed:
        parts.append(Text("No action closed in between.", style=palette.muted))
    return Group(*parts)


class CompareScreen(WatScreen[None]):
    """Risks resolved, new and unchanged per pillar, and actions closed: from a milestone (the latest unless
    chosen with [ and ]) to now or to a later milestone (chosen with t)."""

    DEFAULT_CSS = """
    CompareScreen { padding: 0 1; }
    CompareScreen #compare-title { height: 1; background: $surface; }
    CompareScreen #compare-span { height: auto; }
    CompareScreen #compare-scroll { height: 1fr; }
    CompareScreen #compare-keys { dock: bottom; height: 1; background: $surface; text-wrap: nowrap;
                                  text-overflow: ellipsis; }
    """

    BINDINGS = [
        Binding("escape,c", "close", "Back", id="compare-back"),
        Binding("left_square_bracket", "base(-1)", "From: earlier", id="compare-from-earlier", key_display="["),
        Binding("right_square_bracket", "base(1)", "From: later", id="compare-from-later", key_display="]"),
        Binding("t", "target", "To: next milestone / now", id="compare-to"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.milestones: list[Milestone] = []
        #: Index of the earlier milestone, and of the later one (None: the session now).
        self.base = -1
        self.target: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="compare-title")
        yield Static(id="compare-span")
        with VerticalScroll(id="compare-scroll"):
            yield Static(id="compare-body")
        yield KeyBar(id="compare-keys")

    def on_mount(self) -> None:
        self.milestones = self.wat_app.review.milestones(self.session_id)
        self.base = len(self.milestones) - 1
        # The key bar names a key by its binding's key: show [ and ] rather than their names.
        hints = [replace(b, key=b.key_display) if b.key_display else b for b in self.BINDINGS if isinstance(b, Binding)]
        self.query_one(KeyBar).show(hints, self.wat_app.palette)
        self.show_comparison()
        self.query_one("#compare-scroll").focus()

    def comparison(self) -> Comparison | None:
        if not self.milestones:
            return None
        before = self.milestones[self.base].snapshot
        if self.target is None:
            state = self.wat_app.review.full_state(self.session_id)
            after = snapshot(state, state.analysis, label="now")
        else:
            after = self.milestones[self.target].snapshot
        return compare(before, after)

    def show_comparison(self) -> None:
        palette = self.wat_app.palette
        name = self.wat_app.review.state(self.session_id).name
        title = Text()
        title.append_text(plain(f"Progress · {name}", "bold", single_line=True))
        title.append(f"  {len(self.milestones)} milestones", style=palette.muted)
        self.query_one("#compare-title", Static).update(title)
        span = self.query_one("#compare-span", Static)
        body = self.query_one("#compare-body", Static)
        cmp = self.comparison()
        if cmp is None:
            span.update(Text(""))
            body.update(Text(NO_MILESTONE, style="bold"))
            return
        a = self.milestones[self.base]
        words = Text("From milestone ")
        words.append_text(plain(a.name, "bold", single_line=True))
        words.append(f" ({a.at[:16].replace('T', ' ')}) to ")
        if self.target is None:
            words.append("now", style="bold")
        else:
            b = self.milestones[self.target]
            words.append("milestone ")
            words.append_text(plain(b.name, "bold", single_line=True))
            words.append(f" ({b.at[:16].replace('T', ' ')})")
        span.update(words)
        body.update(comparison_renderable(cmp, palette))

    def action_base(self, step: int) -> None:
        if not self.milestones:
            self.app.bell()
            return
        self.base = max(0, min(len(self.milestones) - 1, self.base + step))
        if self.target is not None and self.target <= self.base:
            self.target = None
        self.show_comparison()

    def action_target(self) -> None:
        if not self.milestones:
            self.app.bell()
            return
        options: list[int | None] = [*range(self.base + 1, len(self.milestones)), None]
        at = options.index(self.target) if self.target in options else len(options) - 1
        self.target = options[(at + 1) % len(options)]
        self.show_comparison()

    def action_close(self) -> None:
        self.dismiss(None)
