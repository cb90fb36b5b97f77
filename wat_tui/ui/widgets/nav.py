"""Navigation: lenses -> pillars -> questions, with progress and risk counts on every pillar.

Every label fits the outline's width: a long name is shortened with "…" so that what follows it (a pillar's risk
counts, a question's conflict and parking marks) is never cut off at the edge. Below the outline (where the notes
pane is hidden) it says how many notes and action items the open question has.

The outline is drawn line by line from lines it keeps: a keypress that moves the open question or changes one
question's risk repaints the two or three lines it changed, not the outline (Textual's Tree widget drew every
line again after any label changed or the view scrolled, and that was a third of a keypress).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from wat_tui.lens.model import Lens, Pillar, Question
from wat_tui.lens.risk import Risk
from wat_tui.review.state import SessionState
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.badges import BADGES, risk_colour
from wat_tui.ui.widgets.lines import KeptLinesView, text_line

#: Cells each level of the outline is indented by, under the open/closed mark of the level above.
INDENT = 2


@dataclass(frozen=True)
class NodeRef:
    alias: str
    pillar_id: str | None = None
    question_id: str | None = None

    @property
    def key(self) -> str | None:
        return f"{self.alias}/{self.question_id}" if self.question_id else None


@dataclass(eq=False)
class Row:
    """One line of the outline: a lens, a pillar or a question."""

    ref: NodeRef
    depth: int
    label: Text = field(default_factory=Text)
    #: The part of the label (start, end) shortened to fit the width; what follows it stays whole.
    span: tuple[int, int] = (0, 0)
    #: The lines drawn for this row, by (cursor here, focused, width): dropped when the label changes.
    drawn: dict[tuple[bool, bool, int], Strip] = field(default_factory=dict)

    @property
    def folds(self) -> bool:
        return self.ref.question_id is None


class NavTree(KeptLinesView, can_focus=True):
    """The review's outline; highlighting a question opens it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
        Binding("space", "fold", "Open or close", show=False),
        Binding("left", "close", "Close", show=False),
        Binding("right", "open", "Open", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"nav--cursor", "nav--fold"}

    DEFAULT_CSS = """
    NavTree {
        overflow-x: hidden;
        overflow-y: auto;
        & > .nav--fold { color: $text-muted; }
        & > .nav--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        &:focus > .nav--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    @dataclass
    class QuestionChosen(Message):
        key: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        #: Every row, lens by lens, in outline order (shown or folded away).
        self._rows: list[Row] = []
        #: The rows shown: a closed lens or pillar hides what is under it.
        self._shown: list[Row] = []
        #: Lenses and pillars that are open (a lens opens when loaded, a pillar when the room reaches it).
        self._open: set[NodeRef] = set()
        self._question_rows: dict[str, Row] = {}
        self._pillar_rows: dict[tuple[str, str], Row] = {}
        #: Question key -> its lens and pillar, so relabelling one question never walks the whole lens.
        self._place: dict[str, tuple[Lens, Pillar]] = {}
        self._state: SessionState | None = None
        #: Question keys with open merge conflicts (answers, notes or action items), badged with ⚡.
        self.conflicted: set[str] = set()
        #: Question keys in the parking lot, marked "⇢ parked" (the workspace sets it from the session clock).
        self.parked: frozenset[str] = frozenset()
        self._palette: Palette | None = None
        #: The row under the cursor (the open question, unless the facilitator moves through the outline).
        self._cursor: Row | None = None
        self._looks: dict[bool, tuple[Style, Style, Style]] = {}
        #: Whether the outline says the open question's notes and actions under it (the narrow layout, where the
        #: notes pane is hidden); see :meth:`say_notes`.
        self._tells_notes = False
        self._said_for: str | None = None

    @property
    def tells_notes(self) -> bool:
        return self._tells_notes

    @tells_notes.setter
    def tells_notes(self, tells: bool) -> None:
        self._tells_notes = tells
        if self._said_for is not None:
            self.say_notes(self._said_for)

    # -- what the workspace asks -----------------------------------------------------------------------------

    def load(self, state: SessionState, palette: Palette) -> None:
        self._state, self._palette = state, palette
        self._rows.clear()
        self._question_rows.clear()
        self._pillar_rows.clear()
        self._place.clear()
        for lens in state.lenses:
            name = plain(lens.name, "bold", single_line=True)
            lens_row = Row(NodeRef(lens.alias), 0, name, (0, len(name)))
            self._rows.append(lens_row)
            self._open.add(lens_row.ref)
            for pillar in lens.pillars:
                risks = self._risks(lens, pillar)
                prow = Row(NodeRef(lens.alias, pillar.id), 1)
                self._set(prow, self._pillar_label(pillar, risks))
                self._rows.append(prow)
                self._pillar_rows[(lens.alias, pillar.id)] = prow
                for q, risk in zip(pillar.questions, risks, strict=True):
                    qrow = Row(NodeRef(lens.alias, pillar.id, q.id), 2)
                    self._set(qrow, self._question_label(lens, q, risk))
                    key = f"{lens.alias}/{q.id}"
                    self._rows.append(qrow)
                    self._question_rows[key] = qrow
                    self._place[key] = (lens, pillar)
        was = self._cursor.ref.key if self._cursor is not None else None
        self._cursor = self._question_rows.get(was) if was is not None else None
        self._lay_out()

    def refresh_labels(self, state: SessionState, palette: Palette, key: str | None = None) -> None:
        """Relabel one question (and its pillar) or everything, after an edit or a theme change."""
        self._state = state
        if palette != self._palette:
            self._palette, key = palette, None
            for row in self._rows:
                row.drawn.clear()
            self.refresh()
        if key is not None:
            place = self._place.get(key)
            if place is not None:
                lens, pillar = place
                risks = self._risks(lens, pillar)
                self._relabel(self._pillar_rows[(lens.alias, pillar.id)], self._pillar_label(pillar, risks))
                for q, risk in zip(pillar.questions, risks, strict=True):
                    if f"{lens.alias}/{q.id}" == key:
                        self._relabel(self._question_rows[key], self._question_label(lens, q, risk))
            return
        for lens in state.lenses:
            for pillar in lens.pillars:
                if (lens.alias, pillar.id) not in self._pillar_rows:
                    continue
                risks = self._risks(lens, pillar)
                self._relabel(self._pillar_rows[(lens.alias, pillar.id)], self._pillar_label(pillar, risks))
                for q, risk in zip(pillar.questions, risks, strict=True):
                    qrow = self._question_rows.get(f"{lens.alias}/{q.id}")
                    if qrow is not None:
                        self._relabel(qrow, self._question_label(lens, q, risk))

    def select_question(self, key: str) -> None:
        """Show ``key`` as the cursor's place without reporting it back as the user's choice; its lens and
        pillar open if they were closed."""
        self.say_notes(key)
        row = self._question_rows.get(key)
        if row is None:
            return
        opened = False
        for ref in (NodeRef(row.ref.alias), NodeRef(row.ref.alias, row.ref.pillar_id)):
            if ref not in self._open:
                self._open.add(ref)
                opened = True
        if opened:
            self._lay_out()
        self._move_to(row)

    @property
    def cursor_ref(self) -> NodeRef | None:
        """What the cursor is on: a lens, a pillar or a question."""
        return self._cursor.ref if self._cursor is not None else None

    def pillar_refs(self, alias: str) -> list[NodeRef]:
        """The pillars the outline lists under the lens ``alias``."""
        return [r.ref for r in self._rows if r.depth == 1 and r.ref.alias == alias]

    def lens_refs(self) -> list[NodeRef]:
        """The lenses the outline lists."""
        return [r.ref for r in self._rows if r.depth == 0]

    def labels(self) -> list[Text]:
        """Every pillar's and question's label, shown or folded away."""
        return [r.label for r in self._rows if r.depth > 0]

    def label_of(self, key: str) -> str:
        """The label of the question ``alias/id`` as plain text."""
        return self._question_rows[key].label.plain

    def shown_lines(self) -> list[str]:
        """The outline's lines as text, as far as they are shown (open lenses and pillars)."""
        return [self._fitted(r).plain for r in self._shown]

    # -- labels --------------------------------------------------------------------------------------------

    def _set(self, row: Row, label: tuple[Text, int, int]) -> None:
        row.label, row.span = label[0], (label[1], label[2])
        row.drawn.clear()

    def _relabel(self, row: Row, label: tuple[Text, int, int]) -> None:
        """A new label, repainting its one line; only when it changed."""
        if row.label == label[0] and row.span == (label[1], label[2]):
            return
        self._set(row, label)
        self._refresh_row(row)

    def _risks(self, lens: Lens, pillar: Pillar) -> list[Risk]:
        """Each question's risk, worked out once for the pillar's label and the questions' own."""
        assert self._state is not None
        return [self._state.risk(lens, q) for q in pillar.questions]

    def _pillar_label(self, pillar: Pillar, risks: list[Risk]) -> tuple[Text, int, int]:
        """The pillar's name, then how many questions are answered and its high and medium risks (▲ and ●)."""
        assert self._palette is not None
        answered = sum(r is not Risk.UNANSWERED for r in risks)
        label = Text()
        label.append(visible(pillar.name, single_line=True), style="bold")
        end = len(label)
        label.append(f" {answered}/{len(risks)}", style=self._palette.muted)
        high, med = risks.count(Risk.HIGH), risks.count(Risk.MEDIUM)
        if high:
            label.append(f" ▲{high}", style=f"bold {self._palette.high}")
        if med:
            label.append(f" ●{med}", style=f"bold {self._palette.medium}")
        return label, 0, end

    def _question_label(self, lens: Lens, q: Question, risk: Risk) -> tuple[Text, int, int]:
        """The risk's symbol, the question's label and short title, then its marks: ⚡ a conflict, ⇢ parked."""
        assert self._palette is not None
        symbol, _ = BADGES[risk]
        colour = risk_colour(risk, self._palette)
        label = Text()
        label.append(f"{symbol} ", style=f"bold {colour}")
        label.append(visible(q.label, single_line=True), style=f"bold {colour}")
        start = len(label)
        label.append_text(plain(f" {q.tree_title}", single_line=True))
        end = len(label)
        key = f"{lens.alias}/{q.id}"
        if key in self.conflicted:
            label.append(" ⚡", style=self._palette.warning)
        if key in self.parked:
            label.append(" ⇢ parked", style=f"bold {self._palette.warning}")
        return label, start, end

    def say_notes(self, key: str) -> None:
        """Under the outline (shown where the notes pane is hidden): the question's notes and action items, and
        the key that shows them."""
        self._said_for = key
        if self._state is None:
            return
        notes, actions = len(self._state.notes_for(key)), len(self._state.actions_for(key))
        said = f"{notes} note{'s' if notes != 1 else ''} · {actions} action{'s' if actions != 1 else ''} (v)"
        if not self.tells_notes:
            said = ""  # the notes pane says it: nothing under the outline
        if said != self.border_subtitle:  # setting it repaints the whole outline, even to the same words
            self.border_subtitle = said

    # -- drawing -------------------------------------------------------------------------------------------

    def _width(self) -> int:
        """The cells a line has: the scrollbar's column is always left free, so lines drawn before it appears
        still fit after."""
        return max(1, self.scrollable_content_region.width - self.styles.scrollbar_size_vertical)

    def _fitted(self, row: Row) -> Text:
        """The row's line: its indent and open/closed mark, then its label with the name shortened with "…" so
        that what follows the name stays whole."""
        head = " " * (INDENT * row.depth)
        if row.folds:
            head += "▾ " if row.ref in self._open else "▸ "
        text = Text(head, no_wrap=True, end="")
        label = row.label
        over = len(head) + label.cell_len - self._width()
        start, end = row.span
        if over > 0 and end > start:
            name = label[start:end]
            name.truncate(max(3, name.cell_len - over), overflow="ellipsis")
            label = Text.assemble(label[:start], name, label[end:])
        text.append_text(label)
        text.truncate(self._width())
        return text

    def _draw(self, row: Row) -> Strip:
        at_cursor, focused, width = row is self._cursor, self.has_focus, self.scrollable_content_region.width
        key = (at_cursor, focused, width)
        strip = row.drawn.get(key)
        if strip is None:
            base, fold, cursor = self._look()
            text = self._fitted(row)
            if row.folds:  # the open/closed mark
                text.stylize(fold, 0, INDENT * row.depth + 1)
            strip = row.drawn[key] = text_line(self.app.console, text, base + cursor if at_cursor else base, width)
        return strip

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        if 0 <= index < len(self._shown):
            return self._draw(self._shown[index])
        return Strip.blank(self.scrollable_content_region.width, self.rich_style)

    def _look(self) -> tuple[Style, Style, Style]:
        """The outline's style, its open/closed marks' and its cursor's: worked out once per theme and focus."""
        key = self.has_focus
        look = self._looks.get(key)
        if look is None:
            look = self._looks[key] = (self.rich_style, self.get_component_rich_style("nav--fold", partial=True),
                                       self.get_component_rich_style("nav--cursor"))
        return look

    def notify_style_update(self) -> None:
        for row in self._rows:  # a theme or focus change: the lines are drawn again
            row.drawn.clear()
        self._looks.clear()
        super().notify_style_update()

    def _on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._shown))

    def on_focus(self) -> None:
        self._refresh_row(self._cursor)

    def on_blur(self) -> None:
        self._refresh_row(self._cursor)

    def _refresh_row(self, row: Row | None) -> None:
        if row is None or not self.is_mounted:
            return
        try:
            index = self._shown.index(row)
        except ValueError:
            return
        y = index - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _lay_out(self) -> None:
        """Work out which rows are shown (after loading, or a lens or pillar opening or closing)."""
        shown = []
        for row in self._rows:
            if row.depth >= 1 and NodeRef(row.ref.alias) not in self._open:
                continue
            if row.depth == 2 and NodeRef(row.ref.alias, row.ref.pillar_id) not in self._open:
                continue
            shown.append(row)
        self._shown = shown
        for row in self._rows:
            if row.folds:
                row.drawn.clear()  # the open/closed mark
        self.set_scrolled_size(Size(self.scrollable_content_region.width, len(shown)))  # a pillar opens: no layout
        self.refresh()

    # -- moving ----------------------------------------------------------------------------------------------

    def _move_to(self, row: Row | None) -> None:
        """The cursor to ``row``, repainting the lines it leaves and reaches, scrolling only when it leaves the
        view: then a page at a time, so it lands a third of the way down and the next moves do not scroll."""
        before, self._cursor = self._cursor, row
        if before is not row:
            self._refresh_row(before)
            self._refresh_row(row)
        if row is None or row not in self._shown:
            return
        line = self._shown.index(row)
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        if height > 0 and not top <= line < top + height:
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)

    def _cursor_index(self) -> int:
        if self._cursor is None or self._cursor not in self._shown:
            return -1
        return self._shown.index(self._cursor)

    def _user_moved(self, index: int) -> None:
        if not self._shown:
            return
        row = self._shown[max(0, min(index, len(self._shown) - 1))]
        self._move_to(row)
        if row.ref.key is not None:  # the facilitator moving through the outline opens questions
            self.post_message(self.QuestionChosen(row.ref.key))

    def action_cursor(self, step: int) -> None:
        self._user_moved(self._cursor_index() + step)

    def action_page(self, direction: int) -> None:
        self._user_moved(self._cursor_index() + direction * max(1, self.scrollable_content_region.height - 1))

    def action_edge(self, end: int) -> None:
        self._user_moved(len(self._shown) - 1 if end else 0)

    def action_choose(self) -> None:
        row = self._cursor
        if row is None:
            return
        if row.folds:
            self.action_fold()
        elif row.ref.key is not None:
            self.post_message(self.QuestionChosen(row.ref.key))

    def action_fold(self) -> None:
        row = self._cursor
        if row is not None and row.folds:
            self._open.symmetric_difference_update({row.ref})
            self._lay_out()
            self._move_to(row)

    def action_close(self) -> None:
        row = self._cursor
        if row is None:
            return
        if row.folds and row.ref in self._open:
            self.action_fold()
            return
        parent = NodeRef(row.ref.alias, row.ref.pillar_id) if row.depth == 2 else NodeRef(row.ref.alias)
        for candidate in self._shown:
            if candidate.ref == parent and candidate.folds:
                self._move_to(candidate)
                return

    def action_open(self) -> None:
        row = self._cursor
        if row is not None and row.folds and row.ref not in self._open:
            self.action_fold()

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        if not 0 <= index < len(self._shown):
            return
        row = self._shown[index]
        self._move_to(row)
        if row.folds:
            self.action_fold()
        elif row.ref.key is not None:
            self.post_message(self.QuestionChosen(row.ref.key))
