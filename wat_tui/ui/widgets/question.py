"""The question pane: the prompt the room hears, what it is about, how to run it, and the practices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from wat_tui.lens.model import Choice, Lens, Question
from wat_tui.lens.risk import Risk
from wat_tui.review.state import Answer
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.badges import badge, level_text
from wat_tui.ui.widgets.lines import text_line

#: The longest parking-lot reason the question's one-line header shows (the rest is cut with "…").
PARKED_REASON_CELLS = 40

REASON_LABELS = {
    "OUT_OF_SCOPE": "Out of scope",
    "BUSINESS_PRIORITIES": "Business priorities",
    "ARCHITECTURE_CONSTRAINTS": "Architecture constraints",
    "OTHER": "Other",
    "NONE": "No reason given",
}


def practice_line(console: Console, head: Text, body: Text, width: int) -> Text:
    """A practice's line: ``head`` (key, tick box, level) then ``body`` (its title) wrapped to ``width`` cells, a
    title that wraps going on under its first word, not under the tick box (a hanging indent).

    Wrapped here once per question and width, and handed to the list as plain lines that already fit: the list
    then neither measures nor wraps it again (a renderable wrapping itself was measured and drawn three times
    per keypress, and a two-column table before it cost a third of every repaint)."""
    indent = head.cell_len
    out = head.copy()
    for i, line in enumerate(body.wrap(console, max(1, width - indent))):
        if i:
            out.append("\n" + " " * indent)
        line.rstrip()
        out.append_text(line)
    out.no_wrap = True
    return out


def choice_key(index: int, choice: Choice) -> str:
    """The key that toggles a choice: 1-9 and 0 for the tenth; minus for "None of these"."""
    if choice.is_none_choice:
        return "-"
    return str((index + 1) % 10) if index < 10 else " "


class ChoiceList(Widget, can_focus=True):
    """The practices as a checklist; space or enter ticks the highlighted one.

    Drawn line by line from lines it keeps (like the outline, nav.py): ticking a practice repaints that
    practice's lines only, and a new question wraps each practice once, at the width the layout gives
    (Textual's OptionList measured and drew every option again on every change, most of a keypress)."""

    BINDINGS = [
        ("space", "tick", "Tick"),
        Binding("enter", "tick", "Tick", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice-list--highlighted"}

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        color: $foreground;
        & > .choice-list--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .choice-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    @dataclass
    class Toggled(Message):
        choice_id: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.choice_ids: list[str] = []
        #: Each line's two parts as last shown, to repaint only the lines an edit changed.
        self._prompts: list[tuple[Text, Text]] = []
        #: Each practice's lines, wrapped to :attr:`_wrapped_at` cells.
        self._wrapped: list[list[Text]] = []
        self._wrapped_at = 0
        #: Line -> (practice, its line); practice -> its first line.
        self._owner: list[tuple[int, int]] = []
        self._first: list[int] = []
        #: Lines drawn, by (practice, line, highlighted, focused, width): dropped for a practice when it changes.
        self._drawn: dict[tuple[int, int, bool, bool, int], Strip] = {}
        self._highlighted: int | None = None
        self._styles: dict[tuple[bool, bool], Style] = {}

    # -- what the workspace asks -----------------------------------------------------------------------------

    def show(self, question: Question, answer: Answer, palette: Palette) -> None:
        prompts = []
        practice = 0  # the practices' own numbering (1-9, 0) skips "None of these"
        for c in question.choices:
            prompts.append(self._prompt(-1 if c.is_none_choice else practice, c, answer, palette))
            practice += not c.is_none_choice
        ids = [c.id for c in question.choices]
        if ids == self.choice_ids and len(prompts) == len(self._prompts) and self._wrapped_at:
            # The same question after an edit: repaint only the lines that changed.
            for i, (old, new) in enumerate(zip(self._prompts, prompts, strict=True)):
                if old != new:
                    self._prompts[i] = new
                    self._replace(i)
            return
        keep = self._highlighted
        self.choice_ids = ids
        self._prompts = prompts
        self._wrap(self._wrapped_at)
        self.refresh(layout=True)
        if keep is not None and keep < len(ids):
            self.highlighted = keep
        else:
            self.highlighted = 0 if ids else None

    @property
    def highlighted(self) -> int | None:
        """The highlighted practice's index (space or Enter ticks it), or None for an empty list."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self.choice_ids) - 1)) if self.choice_ids else None
        before, self._highlighted = self._highlighted, index
        if before != index:
            self._refresh_practice(before)
            self._refresh_practice(index)
        if index is not None:
            self.scroll_to_highlight()

    def title_at(self, index: int) -> str:
        """The practice's title as shown (with its N/A reason), without key, tick box or level."""
        return self._prompts[index][1].plain

    def line_of(self, index: int) -> int:
        """The first line of practice ``index`` in the list."""
        return self._first[index]

    # -- lines ---------------------------------------------------------------------------------------------

    def _wrap(self, width: int) -> None:
        """Wrap every practice to ``width`` cells (0: not laid out yet, one line each) and index the lines."""
        self._wrapped_at = width
        console = self.app.console
        self._wrapped = [list(practice_line(console, head, body, width or 1000).split("\n", allow_blank=True))
                         for head, body in self._prompts]
        self._index_lines()

    def _index_lines(self) -> None:
        self._owner, self._first = [], []
        for i, lines in enumerate(self._wrapped):
            self._first.append(len(self._owner))
            self._owner.extend((i, n) for n in range(len(lines)))
        self._drawn.clear()

    def _replace(self, index: int) -> None:
        """Wrap one practice again after an edit; the list is laid out again only if it changed height."""
        head, body = self._prompts[index]
        line = practice_line(self.app.console, head, body, self._wrapped_at or 1000)
        lines = list(line.split("\n", allow_blank=True))
        before = len(self._wrapped[index])
        self._wrapped[index] = lines
        for key in [k for k in self._drawn if k[0] == index]:
            del self._drawn[key]
        if len(lines) != before:
            self._index_lines()
            self.refresh(layout=True)
        else:
            self._refresh_practice(index)

    def _refresh_practice(self, index: int | None) -> None:
        if index is None or not self.is_mounted or index >= len(self._first):
            return
        self.refresh(Region(0, self._first[index], self.size.width, len(self._wrapped[index])))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width != self._wrapped_at:
            self._wrap(width)  # the layout's width: each practice is wrapped here, once per width
        return len(self._owner)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not 0 <= y < len(self._owner):
            return Strip.blank(width, self.rich_style)
        index, n = self._owner[y]
        lit, focused = index == self._highlighted, self.has_focus
        key = (index, n, lit, focused, width)
        strip = self._drawn.get(key)
        if strip is None:
            strip = self._drawn[key] = text_line(self.app.console, self._wrapped[index][n], self._line_style(lit),
                                                 width)
        return strip

    def _line_style(self, lit: bool) -> Style:
        """The list's style, or the highlight's over it; worked out once per theme and focus (each is a walk up
        the widget tree)."""
        key = (lit, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if lit:
                style += self.get_component_rich_style("choice-list--highlighted")
            self._styles[key] = style
        return style

    def notify_style_update(self) -> None:
        self._drawn.clear()  # a theme or focus change: the lines are drawn again
        self._styles.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self._refresh_practice(self._highlighted)

    def on_blur(self) -> None:
        self._refresh_practice(self._highlighted)

    def _prompt(self, index: int, c: Choice, answer: Answer, palette: Palette) -> tuple[Text, Text]:
        """The practice's line in its two parts (see :func:`practice_line`): key, tick box and level; title."""
        key = choice_key(index, c)
        na_reason = answer.na_choices.get(c.id)
        if na_reason is not None:
            box, box_style = "[–]", palette.na
        elif c.id in answer.selected:
            box, box_style = "[✓]", f"bold {palette.none}"
        else:
            box, box_style = "[ ]", palette.muted
        head = Text(no_wrap=True)
        head.append(f"{key} ", style=f"bold {palette.accent}")
        head.append(box, style=box_style)
        head.append(" ")
        level = {"HIGH": "HIGH", "MEDIUM": "MED", "LOW": "LOW"}.get(c.risk_level or "", "")
        if c.is_none_choice:
            head.append("     ")
        elif level:
            head.append_text(level_text(c.risk_level, palette, level.ljust(5)))
        body = plain(c.title, "bold" if c.id in answer.selected else "")
        if na_reason is not None:
            body.append(f"  N/A: {visible(REASON_LABELS.get(na_reason, na_reason), single_line=True)}",
                        style=palette.na)
        return head, body

    def scroll_to_highlight(self, top: bool = False) -> None:
        """The list is as tall as its practices and the question pane scrolls it: bring the highlight into view."""
        parent = self.parent
        index = self._highlighted
        if index is None or not isinstance(parent, Widget) or not self.is_mounted or index >= len(self._first):
            return
        region = Region(0, self.virtual_region.y + self._first[index], self.size.width, len(self._wrapped[index]))
        parent.scroll_to_region(region, animate=False, force=True, immediate=True, top=top)

    def action_cursor(self, step: int) -> None:
        if self.choice_ids:
            self.highlighted = (self._highlighted or 0) + step if self._highlighted is not None else 0

    def action_edge(self, end: int) -> None:
        if self.choice_ids:
            self.highlighted = len(self.choice_ids) - 1 if end else 0

    def action_tick(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Toggled(self.choice_ids[self._highlighted]))

    async def _on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not 0 <= offset.y < len(self._owner):
            return
        self.highlighted = self._owner[offset.y][0]
        self.action_tick()


class QuestionPane(Vertical):
    """Everything about the open question; ``show`` repaints it from the lens and the answer.

    The header and the prompt stay put; the rest scrolls, so the room never loses the question being asked.
    """

    def compose(self) -> ComposeResult:
        yield Static(id="q-header")
        yield Static(id="q-prompt")
        with VerticalScroll(id="q-scroll"):
            yield Static(id="q-status")
            with Collapsible(title="About this question (d)", id="q-about", collapsed=True):
                yield Static(id="q-description")
            with Collapsible(title="Facilitation hint (h)", id="q-hint-box", collapsed=True):
                yield Static(id="q-hint")
            yield ChoiceList(id="choices")
            yield Static(id="q-plan")

    def __init__(self, *children: Widget, **kwargs: object) -> None:
        super().__init__(*children, **kwargs)  # type: ignore[arg-type]
        #: The room sees this pane (focus mode): the facilitation hint is the facilitator's, so it is not shown.
        self.for_the_room = False
        self._has_hint = False

    def show(self, lens: Lens, question: Question, answer: Answer, risk: Risk, palette: Palette,
             show_plan: bool, parked: str | None = None, wording: str | None = None,
             prepared: bool = False, scored: Text | None = None) -> None:
        """``parked``: the question's parking-lot reason ("" for none, or parked with no more said) while it is
        parked, else None. ``wording``: while the AWS tool's official wording is on (W), "official" when
        ``question`` is in its words, "own" when the tool has none for it; None while our words are chosen."""
        pillar = lens.pillar(question.pillar_id)
        header = Text()
        header.append_text(badge(risk, palette, width=0))
        header.append("  ")
        header.append(visible(question.label, single_line=True), style=f"bold {palette.accent}")
        if scored:  # the room's impact and effort (wat_tui/ui/widgets/analysis_badge.py)
            header.append("  ")
            header.append_text(scored)
        if prepared:  # answered before the workshop: the room has not confirmed it yet
            header.append("  ◌ prepared (= confirms)", style=f"bold {palette.warning}")
        if wording == "official":
            header.append("  official wording", style=f"bold {palette.warning}")
        elif wording == "own":
            header.append("  own words (no official wording)", style=palette.muted)
        if parked is not None:  # before the pillar's name: the header is one line and the end may be cut off
            if parked.strip():
                header.append("  ⇢ parked", style=f"bold {palette.warning}")
                header.append_text(plain(f": {_shortened(parked, PARKED_REASON_CELLS)}", palette.warning,
                                         single_line=True))
            else:
                header.append("  ⇢ parked for follow-up", style=f"bold {palette.warning}")
        header.append_text(plain(f"  {pillar.name if pillar else ''} · {lens.name}", palette.muted, single_line=True))
        if header != getattr(self, "_header", None):
            self._header = header
            self.query_one("#q-header", Static).update(header)
        self.query_one(ChoiceList).show(question, answer, palette)
        plan = self.query_one("#q-plan", Static)
        opened = show_plan and not plan.display
        plan.display = show_plan
        if show_plan:
            plan.update(improvement_plan_text(question, answer, risk, palette))
        if opened:  # the plan sits below the practices, often below the pane's edge: bring it into view
            self.call_after_refresh(self._scroll_to_plan)
        last = (question.id, lens.alias, palette, answer.not_applicable, answer.reason, wording)
        same = last == getattr(self, "_last", None)
        self._last = last
        if same:
            return  # an edit on the open question: the prompt and the texts about it have not changed
        self.query_one("#q-prompt", Static).update(plain(question.title, f"bold {palette.question}"))
        status = Text()
        if answer.not_applicable:
            reason = REASON_LABELS.get(answer.reason or "", answer.reason or "")
            status.append(f"Not applicable: {visible(reason, single_line=True)}", style=f"bold {palette.na}")
        self.query_one("#q-status", Static).update(status)
        self.query_one("#q-status").display = bool(answer.not_applicable)
        self.query_one("#q-description", Static).update(plain(question.description or "No description."))
        hint = question.helpful_resource.text if question.helpful_resource else ""
        self.query_one("#q-hint", Static).update(plain(hint))
        self._has_hint = bool(hint)
        self._show_hint()

    def show_to_the_room(self, room: bool) -> None:
        """Focus mode: the room reads this pane, so the facilitation hint is hidden until it ends."""
        self.for_the_room = room
        self._show_hint()

    def _show_hint(self) -> None:
        self.query_one("#q-hint-box").display = self._has_hint and not self.for_the_room

    def _scroll_to_plan(self) -> None:
        plan = self.query_one("#q-plan", Static)
        if plan.display:
            self.query_one("#q-scroll", VerticalScroll).scroll_to_widget(plan, animate=False, top=True)

    def toggle(self, section: str) -> None:
        """Open or close "about" or "hint"."""
        box = self.query_one("#q-about" if section == "about" else "#q-hint-box", Collapsible)
        box.collapsed = not box.collapsed

    def on_mount(self) -> None:
        # The header is one line: what does not fit (a long parking reason, the lens's name) ends in "…".
        header = self.query_one("#q-header", Static)
        header.styles.text_wrap = "nowrap"
        header.styles.text_overflow = "ellipsis"
        # Tall screens have room for what the question is about; short ones keep it one key away.
        self.query_one("#q-about", Collapsible).collapsed = self.app.size.height < 30

    def scroll_to_top(self) -> None:
        self.query_one("#q-scroll", VerticalScroll).scroll_home(animate=False)


def _shortened(text: str, cells: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= cells else text[:cells - 1].rstrip() + "…"


def missing_practices(question: Question, answer: Answer, risk: Risk) -> list[Choice]:
    """Practices not in place (nor marked not applicable), high level first; none for a question that does not
    apply (the report's rule, exchange/report_model.py)."""
    if risk is Risk.NOT_APPLICABLE:
        return []
    order = {"HIGH": 0, "MEDIUM": 1, "LOW": 2}
    missing = [c for c in question.choices if not c.is_none_choice and c.id not in answer.selected
               and c.id not in answer.na_choices]
    return sorted(missing, key=lambda c: order.get(c.risk_level or "", 3))


def improvement_plan_text(question: Question, answer: Answer, risk: Risk, palette: Palette) -> Text:
    text = Text()
    text.append("Improvement plan\n", style=f"bold {palette.accent}")
    missing = missing_practices(question, answer, risk)
    if risk is Risk.NOT_APPLICABLE:
        text.append("The question is not applicable: nothing to improve.", style=palette.na)
    elif not missing:
        text.append("Every practice is in place or not applicable.", style=palette.none)
    for c in missing:
        text.append("• ")
        text.append_text(plain(c.title, "bold"))
        if c.risk_level:
            text.append(" (")
            text.append_text(level_text(c.risk_level, palette))
            text.append(")")
        plan = c.improvement_plan.text if c.improvement_plan else ""
        text.append_text(plain(f"\n  {plan}\n" if plan else "\n"))
    return text
