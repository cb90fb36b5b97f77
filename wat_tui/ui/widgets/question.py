"""The question pane: the prompt the room hears, what it is about, how to run it, the practices and the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from wat_tui.lens.model import Choice, Lens, Question
from wat_tui.lens.risk import Risk
from wat_tui.review.state import Answer
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.badges import badge, level_text
from wat_tui.ui.widgets.lines import KeptLinesView, scroll_target, text_line, thumb_span

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


@dataclass(eq=False)
class Line:
    """One line of the question pane as it is drawn."""

    text: Text
    #: The practice the line shows (its index in the question's choices), or -1.
    practice: int = -1
    #: "about" or "hint": a click on the line opens or closes that section.
    toggles: str = ""
    #: The line drawn, by (highlighted, focused, width, scrollbar cell): a line whose text changes is a new Line.
    drawn: dict[tuple[bool, bool, int, str], Strip] = field(default_factory=dict)


@dataclass(frozen=True)
class Shown:
    """What the pane shows: the question, its answer and risk, and how the workspace wants it shown."""

    lens: Lens
    question: Question
    answer: Answer
    risk: Risk
    palette: Palette
    show_plan: bool
    parked: str | None
    wording: str | None
    prepared: bool
    scored: Text | None


#: The sections that open and close, with their titles.
SECTIONS = {"about": "About this question (d)", "hint": "Facilitation hint (h)"}


class QuestionPane(KeptLinesView, can_focus=True):
    """Everything about the open question, drawn line by line: the header and the prompt the room hears (they
    stay put at the top), then, scrolling under them, whether it applies, what it is about, how to run it (the
    facilitation hint), the practices as a checklist and the improvement plan.

    One widget drawing lines it keeps, like the outline (nav.py): the next question is wrapped once at the pane's
    width and drawn without a layout pass of the screen, and ticking a practice repaints the lines that changed
    (the header's risk badge and that practice). Built from Textual's Static, Collapsible and a list, a move laid
    the whole screen out again and drew each part over, most of a keypress.

    Focused, it is the practices list: up and down move the highlight, space or Enter ticks, a click ticks.
    """

    BINDINGS = [
        ("space", "tick", "Tick"),
        Binding("enter", "tick", "Tick", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"question-pane--highlighted", "question-pane--track",
                                             "question-pane--thumb"}

    DEFAULT_CSS = """
    QuestionPane {
        overflow-x: hidden;
        overflow-y: scroll;
        /* The pane draws its own scrollbar in its last column (see render_line). */
        scrollbar-size-vertical: 0;
        color: $foreground;
        & > .question-pane--track { background: $scrollbar-background; }
        & > .question-pane--thumb { background: $scrollbar; }
        & > .question-pane--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .question-pane--highlighted {
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
        #: The room sees this pane (focus mode): the facilitation hint is the facilitator's, so it is not shown.
        self.for_the_room = False
        #: No blank lines around the header and the prompt (a projector's 28 lines, a small terminal's 24).
        self._compact = False
        self._open = {"about": False, "hint": False}
        self._shown: Shown | None = None
        #: The lines that stay put (blank, header, blank, prompt) and the lines that scroll under them.
        self._head: list[Line] = []
        self._body: list[Line] = []
        #: Practice -> its first line in the body and how many lines it has.
        self._practice_lines: list[tuple[int, int]] = []
        self._plan_line = -1
        #: Each practice's two parts as last shown (see practice_line) and its lines wrapped, by width.
        self._prompts: list[tuple[Text, Text]] = []
        self._wrapped: dict[tuple[object, ...], list[Text]] = {}
        self._highlighted: int | None = None
        self._styles: dict[tuple[bool, bool], Style] = {}
        self._bars: dict[str, Segment] = {}
        #: The cells of text a line has and the lines the pane shows, as last laid out; the scrollbar's thumb.
        self._cells = 0
        self._rows = 0
        self._thumb_key: tuple[int, int, int, int] = (-1, -1, -1, -1)
        self._thumb_at = (0, 0)

    # -- what the workspace asks -----------------------------------------------------------------------------

    def show(self, lens: Lens, question: Question, answer: Answer, risk: Risk, palette: Palette,
             show_plan: bool, parked: str | None = None, wording: str | None = None,
             prepared: bool = False, scored: Text | None = None) -> None:
        """``parked``: the question's parking-lot reason ("" for none, or parked with no more said) while it is
        parked, else None. ``wording``: while the AWS tool's official wording is on (W), "official" when
        ``question`` is in its words, "own" when the tool has none for it; None while our words are chosen."""
        before = self._shown
        moved = before is None or (before.lens.alias, before.question.id) != (lens.alias, question.id)
        plan_opened = show_plan and (before is None or not before.show_plan)
        if before is None or moved or before.palette != palette or before.question is not question:
            self._wrapped.clear()  # another question, theme or wording: every part is wrapped again
        self._shown = Shown(lens, question, answer, risk, palette, show_plan, parked, wording, prepared, scored)
        ids = [c.id for c in question.choices]
        if ids != self.choice_ids:
            self.choice_ids = ids
            keep = self._highlighted
            self._highlighted = None if not ids else (keep if keep is not None and keep < len(ids) else 0)
        self._prompts = self._practice_prompts(question, answer, palette)
        self._lay_out(fresh=moved)
        if plan_opened and not moved:  # the plan sits below the practices: bring it into view
            self._bring_into_view(self._plan_line, 1, top=True)

    @property
    def compact(self) -> bool:
        return self._compact

    @compact.setter
    def compact(self, compact: bool) -> None:
        if compact != self._compact:
            self._compact = compact
            self._lay_out()

    def show_to_the_room(self, room: bool) -> None:
        """Focus mode: the room reads this pane, so the facilitation hint is hidden until it ends."""
        if room != self.for_the_room:
            self.for_the_room = room
            self._lay_out()

    def toggle(self, section: str) -> None:
        """Open or close "about" or "hint"."""
        self._open[section] = not self._open[section]
        self._lay_out()

    def is_open(self, section: str) -> bool:
        return self._open[section]

    def scroll_to_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    @property
    def highlighted(self) -> int | None:
        """The highlighted practice's index (space or Enter ticks it), or None for a question without any."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self.choice_ids) - 1)) if self.choice_ids else None
        before, self._highlighted = self._highlighted, index
        if before != index:
            self._refresh_practice(before)
            self._refresh_practice(index)
        if index is not None and index < len(self._practice_lines):
            self._bring_into_view(*self._practice_lines[index])

    # -- what tests and the help read ------------------------------------------------------------------------

    def title_at(self, index: int) -> str:
        """The practice's title as shown (with its N/A reason), without key, tick box or level."""
        return self._prompts[index][1].plain

    def line_of(self, index: int) -> int:
        """Where practice ``index`` starts in the pane as it is scrolled now (outside 0..height: out of view)."""
        return self._on_screen(self._practice_lines[index][0])

    def plan_line(self) -> int | None:
        """Where the improvement plan starts in the pane as it is scrolled now, or None while it is closed."""
        return None if self._plan_line < 0 else self._on_screen(self._plan_line)

    def header_text(self) -> str:
        return self._header().plain if self._shown else ""

    def prompt_text(self) -> str:
        return self._prompt_text().plain if self._shown else ""

    def section_text(self, part: str) -> str:
        """The text of "status", "about", "hint" or "plan" as shown, its lines joined (empty when not shown)."""
        if self._shown is None:
            return ""
        if part == "status":
            lines = self._status_lines()
        elif part == "plan":
            lines = self._plan_lines()
        else:
            lines = self._section_lines(part)
        return "\n".join(t.plain for t in lines)

    def header_shown(self) -> str:
        """The header's one line as drawn at the pane's width (cut with "…" when it does not fit)."""
        return next((line.text.plain for line in self._head if line.text.plain), "")

    @property
    def head_height(self) -> int:
        """The lines at the top that stay put (the header and the prompt); the rest scrolls under them."""
        return len(self._head)

    def all_lines(self) -> list[str]:
        """Every line of the pane, scrolled into view or not, as text."""
        return [line.text.plain for line in [*self._head, *self._body]]

    # -- lines -----------------------------------------------------------------------------------------------

    def _width(self) -> int:
        """The cells a line of text has: the last column is the scrollbar's."""
        return self.scrollable_content_region.width - 1

    def _thumb_now(self) -> tuple[int, int]:
        """The thumb for the pane as it is scrolled now, worked out once per scroll position and shape (each
        line drawn asks)."""
        key = (round(self.scroll_offset.y), self._rows, len(self._head), len(self._body))
        if key != self._thumb_key:
            self._thumb_key, self._thumb_at = key, self._thumb()
        return self._thumb_at

    def _thumb(self) -> tuple[int, int]:
        """The scrollbar's thumb, from line to line of the pane, beside the lines that scroll (under the head)."""
        head = len(self._head)
        start, end = thumb_span(self._rows - head, len(self._body), round(self.scroll_offset.y))
        return (0, 0) if start == end else (head + start, head + end)

    def _lay_out(self, fresh: bool = False) -> None:
        """Build every line at the pane's width and repaint the lines that changed (``fresh``: all of them, for
        another question)."""
        width = self._cells = self._width()
        self._rows = self.scrollable_content_region.height
        if self._shown is None or width <= 0:
            return  # not laid out yet: the first resize builds the lines
        head = ([] if self._compact else [Line(Text())]) + [Line(self._header_line(width)), Line(Text())]
        head += [Line(t) for t in self._wrap("prompt", self._prompt_text(), width)]
        if not self._compact:
            head.append(Line(Text()))
        body = [Line(t) for t in self._status_lines()]
        if body:
            body.append(Line(Text()))
        for section, title in SECTIONS.items():
            if section == "hint" and (self.for_the_room or not self._hint()):
                continue
            mark = "▼" if self._open[section] else "▶"
            body.append(Line(Text(f" {mark} {title}", style="bold", no_wrap=True), toggles=section))
            body += [Line(t) for t in self._section_lines(section)]
        self._practice_lines = []
        for i, lines in enumerate(self._practice_wraps(width)):
            self._practice_lines.append((len(body), len(lines)))
            body += [Line(t, practice=i) for t in lines]
        plan = self._plan_lines()
        self._plan_line = len(body) + 1 if plan else -1
        if plan:
            body += [Line(Text()), *(Line(t) for t in plan), Line(Text())]
        self._replace(head, body, width, fresh)

    def _replace(self, head: list[Line], body: list[Line], width: int, fresh: bool) -> None:
        """Keep the lines (and what was drawn of them) that did not change; repaint the ones that did."""
        same_shape = not fresh and len(head) == len(self._head) and len(body) == len(self._body)
        changed: list[int] = []  # lines of the pane as it is scrolled now
        if same_shape:
            top = round(self.scroll_offset.y)
            for y, (old, new) in enumerate(zip(self._head, head, strict=True)):
                if old.text == new.text:
                    head[y] = old
                else:
                    changed.append(y)
            for i, (old, new) in enumerate(zip(self._body, body, strict=True)):
                if old.text == new.text and old.practice == new.practice:
                    body[i] = old
                elif i >= top:
                    changed.append(len(head) + i - top)
        self._head, self._body = head, body
        self.set_scrolled_size(Size(width, len(head) + len(body)))
        if not same_shape:
            self.refresh()
            return
        for y in changed:
            if y < self.size.height:
                self.refresh(Region(0, y, self.size.width, 1))

    def _line_at(self, y: int) -> Line | None:
        if y < len(self._head):
            return self._head[y]
        index = y - len(self._head) + round(self.scroll_offset.y)
        return self._body[index] if 0 <= index < len(self._body) else None

    def _on_screen(self, body_index: int) -> int:
        return body_index + len(self._head) - round(self.scroll_offset.y)

    def _bring_into_view(self, first: int, count: int, top: bool = False) -> None:
        """Scroll the body so that its lines ``first`` to ``first + count`` show under the header."""
        target = scroll_target(first, count, self._rows - len(self._head), round(self.scroll_offset.y), top)
        if target is not None:
            self.scroll_to(y=target, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        width = self._cells  # as laid out (on_resize): working out the region for each line is a tenth of it
        start, end = self._thumb_now()
        bar = "" if y < len(self._head) or start == end else "thumb" if start <= y < end else "track"
        line = self._line_at(y)
        if line is None:
            return Strip([Segment(" " * width, self._line_style(False)), self._bar(bar)], width + 1)
        lit, focused = line.practice >= 0 and line.practice == self._highlighted, self.has_focus
        key = (lit, focused, width, bar)
        strip = line.drawn.get(key)
        if strip is None:
            strip = line.drawn[key] = text_line(self.app.console, line.text, self._line_style(lit), width,
                                                self._bar(bar))
        return strip

    def _bar(self, part: str) -> Segment:
        """The scrollbar's cell on a line: "thumb", "track", or "" (a line that does not scroll, or all fit)."""
        cell = self._bars.get(part)
        if cell is None:
            style = self._line_style(False)
            if part:
                style += self.get_component_rich_style(f"question-pane--{part}")
            cell = self._bars[part] = Segment(" ", style)
        return cell

    def _line_style(self, lit: bool) -> Style:
        """The pane's style, or the highlight's over it; worked out once per theme and focus (each is a walk up
        the widget tree)."""
        key = (lit, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if lit:
                style += self.get_component_rich_style("question-pane--highlighted")
            self._styles[key] = style
        return style

    def _refresh_practice(self, index: int | None) -> None:
        if index is None or index >= len(self._practice_lines) or not self.is_mounted:
            return
        first, count = self._practice_lines[index]
        for line in self._body[first:first + count]:
            line.drawn.clear()
        self.refresh(Region(0, self._on_screen(first), self.size.width, count))

    def notify_style_update(self) -> None:
        for line in [*self._head, *self._body]:  # a theme or focus change: the lines are drawn again
            line.drawn.clear()
        self._styles.clear()
        self._bars.clear()
        super().notify_style_update()


    def on_resize(self) -> None:
        self._lay_out()

    def on_mount(self) -> None:
        # Tall screens have room for what the question is about; short ones keep it one key away.
        self._open["about"] = self.app.size.height >= 30

    def on_focus(self) -> None:
        self._refresh_practice(self._highlighted)

    def on_blur(self) -> None:
        self._refresh_practice(self._highlighted)

    # -- the parts -------------------------------------------------------------------------------------------

    def _wrap(self, tag: object, text: Text, width: int, indent: int = 0) -> list[Text]:
        """``text`` wrapped to ``width`` cells under ``indent`` spaces; kept per question, part and width."""
        key = (tag, text.plain, width, indent)
        lines = self._wrapped.get(key)
        if lines is None:
            lines = []
            for line in text.wrap(self.app.console, max(1, width - indent)):
                line.rstrip()
                lines.append(Text(" " * indent).append_text(line) if indent else line)
            self._wrapped[key] = lines
        return lines

    @property
    def _q(self) -> Shown:
        assert self._shown is not None
        return self._shown

    def _hint(self) -> str:
        resource = self._q.question.helpful_resource
        return resource.text if resource else ""

    def _prompt_text(self) -> Text:
        return plain(self._q.question.title, f"bold {self._q.palette.question}")

    def _header(self) -> Text:
        q = self._q
        lens, question, palette, parked, wording, scored = q.lens, q.question, q.palette, q.parked, q.wording, q.scored
        risk, prepared = q.risk, q.prepared
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
        return header

    def _header_line(self, width: int) -> Text:
        """The header is one line: what does not fit (a long parking reason, the lens's name) ends in "…"."""
        header = self._header()
        header.no_wrap = True
        header.truncate(width, overflow="ellipsis")
        return header

    def _status_lines(self) -> list[Text]:
        answer, palette = self._q.answer, self._q.palette
        if not answer.not_applicable:
            return []
        reason = REASON_LABELS.get(answer.reason or "", answer.reason or "")
        status = Text(f"Not applicable: {visible(reason, single_line=True)}", style=f"bold {palette.na}")
        return self._wrap("status", status, self._cells)

    def _section_lines(self, section: str) -> list[Text]:
        if not self._open[section] or (section == "hint" and self.for_the_room):
            return []
        if section == "about":
            description = self._q.question.description or "No description."
            return self._wrap(section, plain(description), self._cells, 2)
        return self._wrap(section, plain(self._hint()), self._cells, 2)

    def _plan_lines(self) -> list[Text]:
        q = self._q
        if not q.show_plan:
            return []
        question, answer, risk, palette = q.question, q.answer, q.risk, q.palette
        lines = []
        for line in self._wrap("plan", improvement_plan_text(question, answer, risk, palette), self._cells - 2):
            bar = Text()
            bar.append("█", style=palette.accent)  # a bar down its left edge, as a quote's
            bar.append(" ")
            lines.append(bar.append_text(line))
        return lines

    def _practice_prompts(self, question: Question, answer: Answer, palette: Palette) -> list[tuple[Text, Text]]:
        prompts = []
        practice = 0  # the practices' own numbering (1-9, 0) skips "None of these"
        for c in question.choices:
            prompts.append(_prompt(-1 if c.is_none_choice else practice, c, answer, palette))
            practice += not c.is_none_choice
        return prompts

    def _practice_wraps(self, width: int) -> list[list[Text]]:
        """Each practice wrapped with its hanging indent (see practice_line), once per tick state and width."""
        out = []
        for i, (head, body) in enumerate(self._prompts):
            key = ("practice", i, head.plain, body.plain, width)
            lines = self._wrapped.get(key)
            if lines is None:
                line = practice_line(self.app.console, head, body, width)
                lines = self._wrapped[key] = list(line.split("\n", allow_blank=True))
            out.append(lines)
        return out

    # -- keys and the mouse ----------------------------------------------------------------------------------

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
        line = self._line_at(offset.y) if offset is not None else None
        if line is None:
            return
        if line.toggles:
            self.toggle(line.toggles)
        elif line.practice >= 0:
            self.highlighted = line.practice
            self.action_tick()


def practice_head(index: int, c: Choice, answer: Answer, palette: Palette) -> Text:
    """A practice's key, tick box and level, as the facilitator's screen and the room's view show them:
    ``index`` is the practice's own number from 0 (-1 for "None of these", which has no level)."""
    na_reason = answer.na_choices.get(c.id)
    if na_reason is not None:
        box, box_style = "[–]", palette.na
    elif c.id in answer.selected:
        box, box_style = "[✓]", f"bold {palette.none}"
    else:
        box, box_style = "[ ]", palette.muted
    head = Text(no_wrap=True)
    head.append(f"{choice_key(index, c)} ", style=f"bold {palette.accent}")
    head.append(box, style=box_style)
    head.append(" ")
    level = "" if c.is_none_choice else {"HIGH": "HIGH", "MEDIUM": "MED", "LOW": "LOW"}.get(c.risk_level or "", "")
    head.append_text(level_text(c.risk_level, palette, level.ljust(5)) if level else Text("     "))
    return head


def _prompt(index: int, c: Choice, answer: Answer, palette: Palette) -> tuple[Text, Text]:
    """The practice's line in its two parts (see :func:`practice_line`): key, tick box and level; title."""
    na_reason = answer.na_choices.get(c.id)
    body = plain(c.title, "bold" if c.id in answer.selected else "")
    if na_reason is not None:
        body.append(f"  N/A: {visible(REASON_LABELS.get(na_reason, na_reason), single_line=True)}",
                    style=palette.na)
    return practice_head(index, c, answer, palette), body


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
