"""Phase 3 of the review on screen: the findings scored on business impact and technical effort, and ranked.

The workspace scores the open question with two keys (J impact, K effort: each moves none, low, medium, high,
none) through :func:`cycle_analysis`. :class:`FindingsScreen` lists every finding (a question at high or medium
risk, or a missing practice the analysis names) in a table sortable by priority, risk, impact, effort and pillar;
x on a question shows or hides its missing practices beneath it, each scored with the same J and K (a practice
once scored is a finding of its own); Enter opens the question in the workspace. :class:`MatrixScreen` draws the
impact/effort matrix as four quadrants with their counts and finding ids. :class:`MilestoneScreen` asks for a
milestone's name and records it. Everything is read and written through the review (review/analysis.py holds
the rules).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from wat_tui.errors import WatError
from wat_tui.review import analysis as an
from wat_tui.review.analysis import Analysis, Finding, Level, Quadrant
from wat_tui.review.state import SessionState
from wat_tui.ui.base import WatModal, WatScreen
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.keybar import KeyBar

Axis = Literal["impact", "effort"]
#: What J and K step through: not scored, then low, medium, high, and back to not scored.
CYCLE: tuple[Level | None, ...] = (None, "low", "medium", "high")
AXIS_NAMES = {"impact": "business impact", "effort": "technical effort"}
#: Risk as a symbol and a word, readable without colour (as the outline and the badges show it).
RISK_MARKS = {"HIGH": ("▲", "HIGH"), "MEDIUM": ("●", "MED"), "LOW": ("·", "LOW")}
Sort = Literal["priority", "risk", "impact", "effort", "pillar"]


def next_level(level: Level | None) -> Level | None:
    """The level after ``level`` in :data:`CYCLE` (high goes back to not scored)."""
    return CYCLE[(CYCLE.index(level) + 1) % len(CYCLE)]


def level_word(level: Level | None) -> str:
    return level if level is not None else "not set"


def describe(label: str, a: Analysis, changed: Axis) -> str:
    """What the notification says after a score changed: the new value first, the other axis, the quadrant."""
    other: Axis = "effort" if changed == "impact" else "impact"
    words = (f"{label} {AXIS_NAMES[changed]}: {level_word(getattr(a, changed))} "
             f"({AXIS_NAMES[other]}: {level_word(getattr(a, other))})")
    q = an.quadrant(a.impact, a.effort)
    return words + (f", {q}" if q else "")


def cycle_analysis(screen: WatScreen[Any], session_id: str,
                   key: str, axis: Axis, label: str, *, at_risk: bool = True,
                   then: Callable[[], object] | None = None) -> Analysis | None:
    """Move finding ``key``'s ``axis`` to its next level, keeping the other axis and the note, and say so.
    Returns the analysis written (None if the store refused it: the store's dialog retries it)."""
    app = screen.wat_app
    old = app.review.analysis(session_id).get(key, Analysis())
    level = next_level(getattr(old, axis))
    new = Analysis(level if axis == "impact" else old.impact, level if axis == "effort" else old.effort, old.note)

    def write() -> None:
        app.review.set_analysis(session_id, key, new.impact, new.effort, new.note)

    try:
        saved = app.save(write, then=then)
    except WatError as exc:
        screen.notify(str(exc), severity="error", markup=False)
        return None
    message = describe(label, new, axis)
    if not at_risk:
        message += " (not a finding now: the question is not at high or medium risk)"
    screen.notify(message, markup=False)
    if saved and then is not None:
        then()
    return new if saved else None


def risk_text(risk: str | None, palette: Palette) -> Text:
    if risk not in RISK_MARKS:
        return Text("–", style=palette.muted)
    mark, word = RISK_MARKS[risk]
    style = {"HIGH": palette.high, "MEDIUM": palette.medium}.get(risk, palette.muted)
    return Text(f"{mark} {word}", style=f"bold {style}")


def level_text(level: Level | None, palette: Palette) -> Text:
    return Text(level, style="bold") if level else Text("–", style=palette.muted)


def _rank(value: str | None, order: tuple[str, ...]) -> int:
    return order.index(value) if value in order else len(order)


def sorted_findings(items: list[Finding], by: Sort) -> list[Finding]:
    """``items`` (in session order) in the order ``by`` asks; ties keep the priority order."""
    ranked = an.prioritised(items)
    if by == "priority":
        return ranked
    pillar_order = list(dict.fromkeys((f.lens, f.pillar) for f in items))
    keys: dict[Sort, Callable[[Finding], tuple[int, ...]]] = {
        "risk": lambda f: (_rank(f.question_risk, an.RISK_ORDER), _rank(f.risk, an.RISK_ORDER)),
        "impact": lambda f: (_rank(f.impact, ("high", "medium", "low")), _rank(f.effort, ("low", "medium", "high"))),
        "effort": lambda f: (_rank(f.effort, ("low", "medium", "high")), _rank(f.impact, ("high", "medium", "low"))),
        "pillar": lambda f: (pillar_order.index((f.lens, f.pillar)),),
    }
    return sorted(ranked, key=keys[by])  # sorted() is stable: the priority order breaks ties


SORT_WORDS: dict[Sort, str] = {
    "priority": "by priority: impact, effort, risk", "risk": "by risk level",
    "impact": "by business impact (high first)", "effort": "by technical effort (low first)",
    "pillar": "by pillar, in session order"}


class FindingsScreen(WatScreen[str | None]):
    """Every finding with its pillar, risk, impact and effort. Dismisses with a question key to open, or None."""

    DEFAULT_CSS = """
    FindingsScreen { padding: 0 1; }
    FindingsScreen #findings-title { height: 1; background: $surface; }
    FindingsScreen #findings-order { height: 1; }
    FindingsScreen #findings-table { height: 1fr; }
    FindingsScreen #findings-keys { dock: bottom; height: 1; background: $surface; text-wrap: nowrap;
                                    text-overflow: ellipsis; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="findings-back"),
        Binding("enter", "open", "Open question", show=False, id="findings-open"),
        Binding("J", "impact", "Impact", id="findings-impact"),
        Binding("K", "effort", "Effort", id="findings-effort"),
        Binding("x", "practices", "Practices", id="findings-practices"),
        Binding("w", "note", "Note", id="findings-note"),
        Binding("m", "matrix", "Matrix", id="findings-matrix"),
        Binding("o", "sort('priority')", "Priority", id="findings-sort-priority"),
        Binding("r", "sort('risk')", "Risk", id="findings-sort-risk"),
        Binding("i", "sort('impact')", "By impact", id="findings-sort-impact"),
        Binding("e", "sort('effort')", "By effort", id="findings-sort-effort"),
        Binding("p", "sort('pillar')", "Pillar", id="findings-sort-pillar"),
        Binding("a", "roadmap", "Action roadmap", show=False, id="findings-roadmap"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.sort: Sort = "priority"
        self.findings: list[Finding] = []
        #: Questions (``alias/qid``) whose missing practices show beneath them.
        self.expanded: set[str] = set()
        self.state: SessionState | None = None
        self.analysis: dict[str, Analysis] = {}
        self.name_ = ""

    def compose(self) -> ComposeResult:
        yield Static(id="findings-title")
        yield Static(id="findings-order")
        yield DataTable(id="findings-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar(id="findings-keys")

    def on_mount(self) -> None:
        self.query_one(KeyBar).show([b for b in self.BINDINGS if isinstance(b, Binding)], self.wat_app.palette)
        self.show_findings()
        self.query_one(DataTable).focus()

    def read(self) -> None:
        review = self.wat_app.review
        self.state = state = review.state(self.session_id)
        self.analysis = review.analysis(self.session_id)
        self.name_ = state.name
        self.findings = an.findings(state, self.analysis)
        self.expanded &= {f.key for f in self.findings if f.choice is None}

    def shown(self) -> list[Finding]:
        """The rows: the findings in the order asked; beneath an expanded question every missing practice of it
        in the lens's order (its scored ones there, not in their ranked place, so scoring never moves a row)."""
        rows: list[Finding] = []
        for f in sorted_findings(self.findings, self.sort):
            if f.choice is not None and f"{f.lens}/{f.question}" in self.expanded:
                continue
            rows.append(f)
            if f.choice is None and f.key in self.expanded and self.state is not None:
                rows += an.missing_practices(self.state, self.analysis, f.key)
        return rows

    def show_findings(self, keep: str | None = None) -> None:
        """Read the session again and fill the table; the row of finding ``keep`` (else the highlighted) stays."""
        table = self.query_one(DataTable)
        if keep is None and table.row_count:
            keep = self.highlighted_key()
        self.read()
        palette = self.wat_app.palette
        scored = sum(f.analysed for f in self.findings)
        title = Text()
        title.append_text(plain(f"Findings · {self.name_}", "bold", single_line=True))
        title.append(f"  {len(self.findings)} at risk, {scored} scored", style=palette.muted)
        self.query_one("#findings-title", Static).update(title)
        self.query_one("#findings-order", Static).update(
            Text(f"Sorted {SORT_WORDS[self.sort]} · ⏎ open · J/K score · x practices · w note (✎)",
                 style=palette.muted))
        table.clear(columns=True)
        width = max(self.app.size.width, 60)
        title_width = max(16, width - 78)
        table.add_column("Finding", key="label")
        table.add_column("Title", key="title", width=title_width)
        table.add_column("Pillar", key="pillar")
        table.add_column("Risk", key="risk")
        table.add_column("Impact", key="impact")
        table.add_column("Effort", key="effort")
        table.add_column("Quadrant", key="quadrant")
        rows = self.shown()
        for f in rows:
            label = plain(self._label(f), "bold" if f.choice is None or f.analysed else "", single_line=True)
            name = plain(f.title, single_line=True)
            name.truncate(title_width, overflow="ellipsis")
            table.add_row(label, name, plain(f.pillar_name, single_line=True), risk_text(f.risk, palette),
                          level_text(f.impact, palette), level_text(f.effort, palette),
                          Text(f.quadrant or "–", style="" if f.quadrant else palette.muted), key=f.key)
        if not rows:
            table.add_row(Text("–"), Text("No question is at high or medium risk yet.", style=palette.muted),
                          "", "", "", "", "", key="")
        keys = [f.key for f in rows]
        if keep in keys:
            table.move_cursor(row=keys.index(keep))

    def _label(self, f: Finding) -> str:
        """A question's id, marked ▾ while its practices show; a practice's id indented beneath it."""
        mark = " ✎" if f.note else ""  # the room wrote a note on it: w shows it
        if f.choice is not None:
            return f"  {f.label}{mark}"
        return (f"▾ {f.label}" if f.key in self.expanded else f.label) + mark

    def highlighted(self) -> Finding | None:
        table = self.query_one(DataTable)
        if not self.findings or table.cursor_row < 0:
            return None
        rows = self.shown()
        return rows[table.cursor_row] if table.cursor_row < len(rows) else None

    def highlighted_key(self) -> str | None:
        f = self.highlighted()
        return f.key if f else None

    # -- keys ---------------------------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        f = self.highlighted()
        if f is None:
            self.app.bell()
            return
        self.dismiss(f"{f.lens}/{f.question}")

    def _score(self, axis: Axis) -> None:
        f = self.highlighted()
        if f is None:
            self.app.bell()
            return
        cycle_analysis(self, self.session_id, f.key, axis, f.label, then=lambda: self.show_findings(f.key))

    def action_impact(self) -> None:
        self._score("impact")

    def action_effort(self) -> None:
        self._score("effort")

    def action_note(self) -> None:
        """w: write or change the highlighted finding's analysis note (its impact and effort stay)."""
        f = self.highlighted()
        if f is None:
            self.app.bell()
            return
        key = f.key
        old = self.analysis.get(key, Analysis())

        def done(note: str | None) -> None:
            if note is None or note == old.note:
                return
            review = self.wat_app.review

            def write() -> None:
                review.set_analysis(self.session_id, key, old.impact, old.effort, note)

            try:
                saved = self.wat_app.save(write, then=lambda: self.show_findings(key))
            except WatError as exc:
                self.notify(visible(str(exc)), severity="error", markup=False)
                return
            if saved:
                self.show_findings(key)
                self.notify(f"{f.label}: note saved." if note else f"{f.label}: note removed.", markup=False)

        self.app.push_screen(AnalysisNoteScreen(f.label, old.note), done)

    def action_practices(self) -> None:
        """x: show or hide the highlighted question's missing practices (on a practice: hide its question's)."""
        f = self.highlighted()
        if f is None:
            self.app.bell()
            return
        question = f"{f.lens}/{f.question}"
        if question in self.expanded:
            self.expanded.discard(question)
            self.show_findings(question)
            return
        if self.state is None or not an.missing_practices(self.state, self.analysis, question):
            self.notify(f"{f.question_label}: no practice is missing (the risk rules flag the answer as a whole).",
                        markup=False)
            return
        self.expanded.add(question)
        self.show_findings(question)

    def action_sort(self, by: str) -> None:
        if by in SORT_WORDS:
            self.sort = by
            self.show_findings()

    def action_matrix(self) -> None:
        self.app.push_screen(MatrixScreen(self.session_id))

    def action_roadmap(self) -> None:
        """a: the action roadmap; a question opened there opens in the workspace."""
        from wat_tui.ui.screens.roadmap import RoadmapScreen

        def done(question: str | None) -> None:
            if question:
                self.dismiss(question)
            else:
                self.show_findings()

        self.app.push_screen(RoadmapScreen(self.session_id), done)

    def action_close(self) -> None:
        self.dismiss(None)


#: The four quadrants as drawn: rows impact (high or medium, then low), columns effort (low, then medium or high).
GRID: tuple[tuple[Quadrant, Quadrant], tuple[Quadrant, Quadrant]] = (
    ("quick win", "major project"), ("fill-in", "deprioritised"))
QUADRANT_TITLES: dict[Quadrant, str] = {
    "quick win": "QUICK WINS", "major project": "MAJOR PROJECTS", "fill-in": "FILL-INS",
    "deprioritised": "DEPRIORITISED"}
#: Finding ids listed per cell before "+N more".
CELL_IDS = 24


def by_quadrant(items: list[Finding]) -> tuple[dict[Quadrant, list[Finding]], list[Finding]]:
    """Scored findings per quadrant in priority order, and the findings not placed yet (an axis not scored)."""
    cells: dict[Quadrant, list[Finding]] = {q: [] for q in an.QUADRANTS}
    unscored: list[Finding] = []
    for f in an.prioritised(items):
        q = f.quadrant
        (cells[q] if q is not None else unscored).append(f)
    return cells, unscored


def _ids(items: list[Finding], most: int = CELL_IDS) -> str:
    ids = [f.label for f in items[:most]]
    more = len(items) - len(ids)
    return ", ".join(ids) + (f", +{more} more" if more > 0 else "")


def matrix_renderable(items: list[Finding], palette: Palette) -> RenderableType:
    """The impact/effort matrix as a 2x2 grid: each cell its quadrant, count and finding ids."""
    cells, unscored = by_quadrant(items)
    grid = Table(box=box.SQUARE, show_header=True, expand=True, header_style=f"bold {palette.accent}",
                 show_lines=True)
    grid.add_column("", width=14, style=f"bold {palette.accent}")
    grid.add_column("low effort", ratio=1)
    grid.add_column("medium or high effort", ratio=1)
    notes: dict[Quadrant, str] = {
        "quick win": "do first", "major project": "plan and fund", "fill-in": "when there is time",
        "deprioritised": "rethink"}
    for row_name, row in zip(("high or medium impact", "low impact"), GRID, strict=True):
        out: list[RenderableType] = [Text(row_name)]
        for q in row:
            t = Text()
            t.append(f"{QUADRANT_TITLES[q]} ({len(cells[q])})", style="bold")
            t.append(f" · {notes[q]}\n", style=palette.muted)
            t.append_text(plain(_ids(cells[q]), single_line=True) if cells[q] else Text("none", palette.muted))
            out.append(t)
        grid.add_row(*out)
    foot = Text()
    if unscored:
        foot.append(f"Not scored yet ({len(unscored)}): ", style="bold")
        foot.append_text(plain(_ids(unscored, 40), single_line=True))
        foot.append("\n")
    foot.append(f"Each cell {an.ordering_used(items)}. ", style=palette.muted)
    foot.append("Medium counts as high on both axes: a quick win needs low effort; only low impact makes a "
                "fill-in or a deprioritised item.", style=palette.muted)
    return Group(grid, foot)


class MatrixScreen(WatScreen[None]):
    """The impact/effort matrix of the session's findings."""

    DEFAULT_CSS = """
    MatrixScreen { padding: 0 1; }
    MatrixScreen #matrix-title { height: 1; background: $surface; }
    MatrixScreen #matrix-body { height: 1fr; }
    MatrixScreen #matrix-keys { dock: bottom; height: 1; background: $surface; text-wrap: nowrap;
                                text-overflow: ellipsis; }
    """

    BINDINGS = [Binding("escape,m", "close", "Back", id="matrix-back")]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-title")
        yield Static(id="matrix-body")
        yield KeyBar(id="matrix-keys")

    def on_mount(self) -> None:
        review = self.wat_app.review
        palette = self.wat_app.palette
        state = review.state(self.session_id)
        items = an.findings(state, review.analysis(self.session_id))
        title = Text()
        title.append_text(plain(f"Impact / effort · {state.name}", "bold", single_line=True))
        title.append(f"  {len(items)} findings", style=palette.muted)
        self.query_one("#matrix-title", Static).update(title)
        self.query_one("#matrix-body", Static).update(matrix_renderable(items, palette))
        self.query_one(KeyBar).show([b for b in self.BINDINGS if isinstance(b, Binding)], palette)

    def action_close(self) -> None:
        self.dismiss(None)


class AnalysisNoteScreen(WatModal[str | None]):
    """The analysis note of one finding (why this impact, what the effort depends on); dismisses with the text, or
    None when cancelled. An empty note removes it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, label: str, note: str) -> None:
        super().__init__()
        self.label = label
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="analysis-note"):
            yield Static(plain(f"Analysis note · {self.label}", "bold", single_line=True), classes="dialog-title")
            yield Static(plain("Why this impact, what the effort depends on: it goes in the report beside the "
                               "finding."))
            yield Input(value=self.note, placeholder="A line or two", max_length=an.NOTE_MAX, id="analysis-note-text")
            yield Static(Text("Enter save · Esc cancel"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class MilestoneScreen(WatModal[str | None]):
    """Asks for a milestone's name and records it; dismisses with the name recorded, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        found = self.wat_app.review.milestones(self.session_id)
        so_far = (f"{len(found)} so far; the last: {found[-1].name} ({found[-1].at[:10]})." if found
                  else "The first one of this session.")
        with Vertical(classes="dialog", id="milestone"):
            yield Static(Text("Record a milestone", "bold"), classes="dialog-title")
            yield Static(plain("A dated snapshot of the answers, risks, analysis and action items, kept as it is "
                               "to compare with later. " + so_far))
            yield Input(placeholder="Name, e.g. End of workshop", max_length=200, id="milestone-name")
            yield Static(id="milestone-problem")
            yield Static(Text("Enter record · Esc cancel"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        problem = self.query_one("#milestone-problem", Static)
        if not name:
            problem.update(Text("A milestone needs a name.", "bold"))
            return
        try:
            saved = self.wat_app.save(lambda: self.wat_app.review.record_milestone(self.session_id, name))
        except WatError as exc:
            problem.update(plain(str(exc), "bold"))
            return
        self.dismiss(name if saved else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
