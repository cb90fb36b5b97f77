"""The notes pane: the open question's notes (Markdown, each with its author) and its action items; and the lists
of ids the board uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Markdown

from wat_tui.exchange.aws import plain_text
from wat_tui.review.state import ActionItem, Note
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.line_list import LineList
from wat_tui.ui.widgets.lines import KeptLinesView, scroll_target, text_line, thumb_span
from wat_tui.ui.widgets.note_preview import MORE, Looks, note_blocks, note_lines, note_parser

__all__ = ["ActionList", "IdList", "NotesPane", "action_text", "note_markdown", "note_parser", "summary"]

#: The most lines the preview of a note takes; a longer note ends with :data:`MORE`.
PREVIEW_LINES = 16


def summary(body: str, width: int = 60) -> str:
    """The note's first line of text as a reader sees it, cut to ``width``: the Markdown is read first, so a cut
    never leaves half of an emphasis (``**``) or a link behind, and raw HTML stays the characters typed."""
    for line in plain_text(body).splitlines():
        s = line.strip().removeprefix("- ").strip()
        if s:
            return s if len(s) <= width else s[: width - 1].rstrip() + "…"
    return "(empty)"


def note_markdown(body: str = "", *, id: str) -> Markdown:
    """A rendered note in Textual's Markdown widget: the note editor's live preview. (The notes pane draws its
    preview itself, note_preview.py: this widget mounts a widget per paragraph, too slow for every move.)"""
    return Markdown(visible(body), id=id, parser_factory=note_parser)


class IdList(LineList):
    """A list whose options carry ids; Enter or a click on one posts ``Chosen`` with the id."""

    @dataclass
    class Chosen(Message):
        item_id: str

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        event.stop()
        option_id = self.get_option_at_index(event.index).id
        if option_id:
            self.post_message(self.Chosen(option_id))


class ActionList(IdList):
    """Action items: Enter edits the highlighted one, space closes it (done) or opens it again."""

    BINDINGS = [Binding("space", "close_or_reopen", "Done / reopen", id="action-done")]

    class Chosen(IdList.Chosen):
        """An action item was picked: ``item_id`` is its id."""

    @dataclass
    class DoneToggled(Message):
        """Close the item ``item_id``, or open it again if it is done."""

        item_id: str

    def action_close_or_reopen(self) -> None:
        if self.highlighted is not None:
            option = self.get_option_at_index(self.highlighted)
            if option.id:
                self.post_message(self.DoneToggled(option.id))


def action_text(a: ActionItem, palette: Palette, where: str = "") -> Text:
    """An action item as listed: its status mark and title, then owner, due date, status (and ``where``)."""
    mark = {"done": "✓", "in progress": "◐"}.get(a.status, "□")
    t = Text()
    t.append(f"{mark} ", style=palette.none if a.status == "done" else palette.accent)
    t.append_text(plain(a.title, "bold"))
    details = " · ".join(x for x in (a.owner, a.due, a.status, where) if x)
    if details:
        t.append("\n  ")
        t.append_text(plain(details, palette.muted))
    if a.conflict_fields:
        t.append(f"  ⚡ {', '.join(a.conflict_fields)}", style=palette.warning)
    return t


@dataclass(eq=False)
class Line:
    """One line of the notes pane as it is drawn."""

    text: Text
    #: The note (0..) or action item (after the notes) the line lists, or -1.
    item: int = -1
    #: A line of the preview: drawn over its background, inset by a cell each side.
    preview: bool = False
    #: The line drawn, by (highlighted, focused, width, scrollbar cell): a line whose text changes is a new Line.
    drawn: dict[tuple[bool, bool, int, str], Strip] = field(default_factory=dict)


class NotesPane(KeptLinesView, can_focus=True):
    """The open question's notes and action items, drawn line by line: the notes listed (author and first line),
    the highlighted note's Markdown below them (note_preview.py), then the action items.

    One widget drawing lines it keeps, like the question pane: a move to a question with notes repaints the
    pane's lines and lays nothing out. (Two lists, a preview and two titles changed height with every question's
    notes, and laid the whole screen out again on each such move.)

    Focused, up and down go through the notes and then the action items: Enter opens the highlighted one, space
    closes the highlighted action item or opens it again. The preview keeps the last note highlighted.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
        Binding("space", "close_or_reopen", "Done / reopen", id="action-done"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"notes-pane--highlighted", "notes-pane--preview", "notes-pane--track",
                                             "notes-pane--thumb"}

    DEFAULT_CSS = """
    NotesPane {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        /* The pane draws its own scrollbar in its last column (see render_line). */
        scrollbar-size-vertical: 0;
        color: $foreground;
        & > .notes-pane--preview { background: $surface; }
        & > .notes-pane--track { background: $scrollbar-background; }
        & > .notes-pane--thumb { background: $scrollbar; }
        & > .notes-pane--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .notes-pane--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    @dataclass
    class NoteChosen(Message):
        """Enter or a click on the note ``item_id``: open it."""

        item_id: str

    @dataclass
    class ActionChosen(Message):
        """Enter or a click on the action item ``item_id``: edit it."""

        item_id: str

    @dataclass
    class DoneToggled(Message):
        """Close the action item ``item_id``, or open it again if it is done."""

        item_id: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._notes: list[Note] = []
        self._actions: list[ActionItem] = []
        self._palette: Palette | None = None
        self._shown: tuple[object, ...] | None = None
        self._question: str | None = None
        self._on_action = False
        #: The highlighted item (notes first, then action items) and the note the preview shows.
        self._cursor: int | None = None
        self._previewed = 0
        self._lines: list[Line] = []
        #: The rows under the last line.
        self._blank = Line(Text())
        #: Item -> its first line and how many lines it has.
        self._item_lines: list[tuple[int, int]] = []
        #: What was worked out for this question, by (what, note, width): summaries and previews.
        self._made: dict[tuple[str, int, int], list[Text]] = {}
        self._styles: dict[tuple[bool, bool, bool], Style] = {}
        self._bars: dict[str, Segment] = {}
        self._cells = 0
        self._rows = 0

    # -- what the workspace asks -----------------------------------------------------------------------------

    def show(self, question: str, notes: list[Note], actions: list[ActionItem], palette: Palette) -> None:
        """Question ``question``'s notes and action items. On another question the first of them is highlighted;
        on the same one the highlight stays where it was, as far as it can."""
        shown = (tuple(notes), tuple(actions), palette)
        moved = question != self._question
        self._question = question
        if shown == self._shown and not moved:
            return  # nothing changed: nothing to repaint
        self._notes, self._actions, self._palette = notes, actions, palette
        if shown != self._shown:
            self._made.clear()
        self._shown = shown
        items = len(notes) + len(actions)
        if not items:
            self._cursor = None
        elif self._cursor is None or moved:
            self._cursor = 0
        else:
            self._cursor = min(self._cursor, items - 1)
        if moved or (self._cursor is not None and self._cursor < len(notes)):
            self._previewed = self._cursor or 0
        self._previewed = min(self._previewed, max(0, len(notes) - 1))
        if moved and self.scroll_offset.y:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._lay_out()
        self._bindings_changed()

    @property
    def highlighted_note(self) -> Note | None:
        """The note the preview shows (the highlighted one, or the last highlighted while on an action item)."""
        return self._notes[self._previewed] if self._notes else None

    @property
    def highlighted_action(self) -> ActionItem | None:
        i = self._cursor
        return self._actions[i - len(self._notes)] if i is not None and i >= len(self._notes) else None

    @property
    def highlighted(self) -> int | None:
        """The highlighted item: a note's index, or an action item's index plus the number of notes."""
        return self._cursor

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        items = len(self._notes) + len(self._actions)
        if index is not None:
            index = max(0, min(index, items - 1)) if items else None
        before, self._cursor = self._cursor, index
        if index is not None and index < len(self._notes) and index != self._previewed:
            self._previewed = index
            self._lay_out()  # another note in the preview
        elif before != index:
            self._refresh_item(before)
            self._refresh_item(index)
        self._bindings_changed()
        self._highlight_in_view()

    # -- what tests and the help read ------------------------------------------------------------------------

    def listed_notes(self) -> list[str]:
        """Each note as listed (author and first line), its lines joined by a space."""
        return [self._item_text(i) for i in range(len(self._notes))]

    def listed_actions(self) -> list[str]:
        """Each action item as listed, its lines joined by a space."""
        return [self._item_text(len(self._notes) + i) for i in range(len(self._actions))]

    def preview_lines(self) -> list[str]:
        """The preview's lines as drawn, without their inset."""
        return [line.text.plain[1:].rstrip() for line in self._lines if line.preview]

    def all_lines(self) -> list[str]:
        """Every line of the pane, scrolled into view or not, as text."""
        return [line.text.plain.rstrip() for line in self._lines]

    def style_of(self, words: str) -> Style:
        """The style the preview draws ``words`` in (the first segment holding them), in view or not."""
        width = self._cells
        for line in (line for line in self._lines if line.preview):
            for segment in self._draw(line, width, ""):
                if words in segment.text:
                    return segment.style or Style()
        raise LookupError(words)

    def _item_text(self, item: int) -> str:
        first, count = self._item_lines[item]
        return " ".join(line.text.plain.strip() for line in self._lines[first:first + count])

    # -- lines -----------------------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        """Build every line at the pane's width and repaint the lines that changed."""
        width = self._cells = self.scrollable_content_region.width - 1  # the last column is the scrollbar's
        self._rows = self.scrollable_content_region.height
        palette = self._palette
        if palette is None or width <= 0:
            return  # not laid out yet: the first resize builds the lines
        muted, accent = Style.parse(palette.muted), Style.parse(f"bold {palette.accent}")
        lines = [Line(Text())]
        title = Text("Notes ", style=accent)
        title.append(f"({len(self._notes)})  w write · e edit", style=muted)
        lines.append(Line(title))
        self._item_lines = []
        for i in range(len(self._notes)):
            listed = self._note_listed(i, width, palette)
            self._item_lines.append((len(lines), len(listed)))
            lines += [Line(t, item=i) for t in listed]
        if self._notes:
            lines += [Line(t, preview=True) for t in self._preview(width)]
        lines.append(Line(Text()))
        title = Text("Action items ", style=accent)
        title.append(f"({len(self._actions)})  t add", style=muted)
        lines.append(Line(title))
        if self._actions:
            lines.append(Line(Text("⏎ edit · space done/reopen", style=muted)))
        for i, a in enumerate(self._actions):
            item = len(self._notes) + i
            wrapped = list(action_text(a, palette).wrap(self.app.console, width))
            self._item_lines.append((len(lines), len(wrapped)))
            lines += [Line(t, item=item) for t in wrapped]
        self._replace(lines, width)

    def _note_listed(self, i: int, width: int, palette: Palette) -> list[Text]:
        key = ("listed", i, width)
        made = self._made.get(key)
        if made is None:
            n = self._notes[i]
            t = Text()
            t.append_text(plain(n.author or "anonymous", f"bold {palette.accent}"))
            if n.private:
                t.append(" (private)", style=palette.muted)
            if n.conflict:
                t.append(" ⚡ conflict", style=palette.warning)
            t.append("  ")
            t.append_text(plain(summary(n.body)))
            made = self._made[key] = list(t.wrap(self.app.console, width))
        return made

    def _preview(self, width: int) -> list[Text]:
        """The previewed note's lines, inset by a cell each side; cut to :data:`PREVIEW_LINES` with
        :data:`MORE` as the last line."""
        key = ("preview", self._previewed, width)
        made = self._made.get(key)
        if made is None:
            assert self._palette is not None
            looks = Looks.of(self._palette)
            lines = note_lines(note_blocks(self._notes[self._previewed].body, looks), self.app.console,
                               max(1, width - 2))
            if len(lines) > PREVIEW_LINES:
                lines = [*lines[:PREVIEW_LINES - 1], Text(MORE, style=looks.muted)]
            made = self._made[key] = [Text(" ").append_text(line) for line in lines]
        return made

    def _replace(self, lines: list[Line], width: int) -> None:
        """Keep the lines (and what was drawn of them) that did not change; repaint the ones that did."""
        top = round(self.scroll_offset.y)
        changed: list[int] = []
        for y, new in enumerate(lines):
            old = self._lines[y] if y < len(self._lines) else None
            if old is not None and (old.text, old.item, old.preview) == (new.text, new.item, new.preview):
                lines[y] = old
            elif y >= top:
                changed.append(y - top)
        changed += range(len(lines) - top, len(self._lines) - top)  # lines no longer there
        thumb = self._thumb()
        self._lines = lines
        self.set_scrolled_size(Size(width, len(lines)))
        if self._thumb() != thumb:
            self.refresh()  # the scrollbar's thumb is on every line
            return
        shown = [y for y in changed if 0 <= y < self.size.height]
        if shown:  # one region from the first line changed to the last
            self.refresh(Region(0, min(shown), self.size.width, max(shown) - min(shown) + 1))

    def _thumb(self) -> tuple[int, int]:
        return thumb_span(self._rows, len(self._lines), round(self.scroll_offset.y))

    def _bring_into_view(self, first: int, count: int) -> None:
        target = scroll_target(first, count, self._rows, round(self.scroll_offset.y))
        if target is not None:
            self.scroll_to(y=target, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        width = self._cells
        start, end = self._thumb()
        bar = "" if start == end else "thumb" if start <= y < end else "track"
        index = y + round(self.scroll_offset.y)
        if not 0 <= index < len(self._lines):
            return self._draw(self._blank, width, bar)
        return self._draw(self._lines[index], width, bar)

    def _draw(self, line: Line, width: int, bar: str) -> Strip:
        lit, focused = line.item >= 0 and line.item == self._cursor, self.has_focus
        key = (lit, focused, width, bar)
        strip = line.drawn.get(key)
        if strip is None:
            strip = line.drawn[key] = text_line(self.app.console, line.text, self._line_style(lit, line.preview),
                                                width, self._bar(bar))
        return strip

    def _bar(self, part: str) -> Segment:
        """The scrollbar's cell on a line: "thumb", "track", or "" (every line fits)."""
        cell = self._bars.get(part)
        if cell is None:
            style = self._line_style(False, False)
            if part:
                style += self.get_component_rich_style(f"notes-pane--{part}")
            cell = self._bars[part] = Segment(" ", style)
        return cell

    def _line_style(self, lit: bool, preview: bool) -> Style:
        """The pane's style, the preview's or the highlight's over it; once per theme and focus."""
        key = (lit, preview, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if preview:
                style += self.get_component_rich_style("notes-pane--preview")
            if lit:
                style += self.get_component_rich_style("notes-pane--highlighted")
            self._styles[key] = style
        return style

    def _refresh_item(self, item: int | None) -> None:
        if item is None or item >= len(self._item_lines) or not self.is_mounted:
            return
        first, count = self._item_lines[item]  # its lines' strips are kept by highlight and focus
        self.refresh(Region(0, first - round(self.scroll_offset.y), self.size.width, count))

    def notify_style_update(self) -> None:
        self._styles.clear()  # a theme or focus change: every line is drawn again
        self._bars.clear()
        for line in [*self._lines, self._blank]:
            line.drawn.clear()
        super().notify_style_update()

    def on_resize(self) -> None:
        self._lay_out()  # what was worked out is kept by width
        self.refresh()  # every row at the new width, the rows under the last line too
        self._highlight_in_view()

    def on_show(self) -> None:
        # Shown again (the narrow layout's v): the highlighted item in view, as it was left.
        self.call_after_refresh(self._highlight_in_view)

    def _highlight_in_view(self) -> None:
        if self._cursor is not None and self._cursor < len(self._item_lines):
            self._bring_into_view(*self._item_lines[self._cursor])

    def on_blur(self) -> None:
        self._refresh_item(self._cursor)

    # -- keys and the mouse ----------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        if self._cursor is None:
            self.highlighted = 0
        else:
            self.highlighted = self._cursor + step

    def action_edge(self, end: int) -> None:
        self.highlighted = len(self._notes) + len(self._actions) - 1 if end else 0

    def action_choose(self) -> None:
        note, action = self._chosen()
        if action is not None:
            self.post_message(self.ActionChosen(action.id))
        elif note is not None:
            self.post_message(self.NoteChosen(note.id))

    def _chosen(self) -> tuple[Note | None, ActionItem | None]:
        i = self._cursor
        if i is None:
            return None, None
        return (self._notes[i], None) if i < len(self._notes) else (None, self._actions[i - len(self._notes)])

    def action_close_or_reopen(self) -> None:
        action = self.highlighted_action
        if action is not None:
            self.post_message(self.DoneToggled(action.id))

    def _bindings_changed(self) -> None:
        """Space closes an action item, so the footer names it only while one is highlighted (a footer redraw
        is a screenful: only when it changes, and only while the pane has the keys)."""
        on_action = self.highlighted_action is not None
        if on_action != self._on_action:
            self._on_action = on_action
            if self.has_focus:
                self.refresh_bindings()

    def on_focus(self) -> None:
        self._refresh_item(self._cursor)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_or_reopen":
            return self.highlighted_action is not None  # on a note it is not a key: not in the footer
        return True

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        item = self._lines[index].item if 0 <= index < len(self._lines) else -1
        if item >= 0:
            self.highlighted = item
            self.action_choose()
