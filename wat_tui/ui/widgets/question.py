"""The question pane: the prompt the room hears, what it is about, how to run it, and the practices."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, OptionList, Static
from textual.widgets.option_list import Option

from wat_tui.lens.model import Choice, Lens, Question
from wat_tui.lens.risk import Risk
from wat_tui.review.state import Answer
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.badges import badge, level_text

#: The longest parking-lot reason the question's one-line header shows (the rest is cut with "…").
PARKED_REASON_CELLS = 40

REASON_LABELS = {
    "OUT_OF_SCOPE": "Out of scope",
    "BUSINESS_PRIORITIES": "Business priorities",
    "ARCHITECTURE_CONSTRAINTS": "Architecture constraints",
    "OTHER": "Other",
    "NONE": "No reason given",
}


class PracticeLine:
    """A practice's line: ``head`` (key, tick box, level) then ``body`` (its title); a title that wraps goes on
    under its first word, not under the tick box (a hanging indent).

    Wrapped here with the title's own wrapping, then handed over as one text whose lines all fit: a two-column
    table did the same and cost a third of every keypress's repaint."""

    def __init__(self, head: Text, body: Text) -> None:
        self.head = head
        self.body = body

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PracticeLine) and (self.head, self.body) == (other.head, other.body)

    __hash__ = None  # type: ignore[assignment]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.head.cell_len
        return Measurement(indent + 1, indent + self.body.cell_len)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.head.cell_len
        width = max(1, options.max_width - indent)
        out = self.head.copy()
        for i, line in enumerate(self.body.wrap(console, width)):
            if i:
                out.append("\n" + " " * indent)
            line.rstrip()
            out.append_text(line)
        out.no_wrap = True
        yield out


def practice_line(head: Text, body: Text) -> PracticeLine:
    """The practice's line (see :class:`PracticeLine`)."""
    return PracticeLine(head, body)


def choice_key(index: int, choice: Choice) -> str:
    """The key that toggles a choice: 1-9 and 0 for the tenth; minus for "None of these"."""
    if choice.is_none_choice:
        return "-"
    return str((index + 1) % 10) if index < 10 else " "


class ChoiceList(OptionList):
    """The practices as a checklist; space or enter ticks the highlighted one."""

    BINDINGS = [
        ("space", "tick", "Tick"),
        ("x", "not_applicable", "Practice N/A"),
    ]

    @dataclass
    class Toggled(Message):
        choice_id: str

    @dataclass
    class NotApplicableAsked(Message):
        choice_id: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.choice_ids: list[str] = []
        #: Each line's two parts as last shown, to repaint only the lines an edit changed.
        self._prompts: list[tuple[Text, Text]] = []

    def show(self, question: Question, answer: Answer, palette: Palette) -> None:
        keep = self.highlighted
        prompts = []
        practice = 0  # the practices' own numbering (1-9, 0) skips "None of these"
        for c in question.choices:
            prompts.append(self._prompt(-1 if c.is_none_choice else practice, c, answer, palette))
            practice += not c.is_none_choice
        ids = [c.id for c in question.choices]
        if ids == self.choice_ids and len(prompts) == len(self._prompts):
            # The same question after an edit: repaint only the lines that changed.
            for i, (old, new) in enumerate(zip(self._prompts, prompts, strict=True)):
                if old != new:
                    self.replace_option_prompt_at_index(i, practice_line(*new))
            self._prompts = prompts
            return
        self.choice_ids = ids
        self._prompts = prompts
        self.set_options([Option(practice_line(*p), id=cid) for p, cid in zip(prompts, ids, strict=True)])
        if keep is not None and keep < len(ids):
            self.highlighted = keep
        elif ids:
            self.highlighted = 0

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
        super().scroll_to_highlight(top)
        parent = self.parent
        if self.highlighted is None or not isinstance(parent, Widget) or not self.is_mounted:
            return
        try:
            y, height = self._index_to_line[self.highlighted], self._heights[self.highlighted]
        except KeyError:
            return
        region = Region(0, self.virtual_region.y + y, self.size.width, height)
        parent.scroll_to_region(region, animate=False, force=True, immediate=True)

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Toggled(self.choice_ids[self.highlighted]))

    def action_not_applicable(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.NotApplicableAsked(self.choice_ids[self.highlighted]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Toggled(event.option.id))


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
