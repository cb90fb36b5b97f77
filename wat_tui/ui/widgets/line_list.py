"""A list of options drawn line by line from lines it keeps: the notes pane's notes and action items, and the
board's lists.

It answers to the part of Textual's OptionList those lists use (``set_options``, ``add_option``,
``get_option_at_index``, ``option_count``, ``highlighted``, Textual's ``Option``), and draws like the outline
(nav.py): each option is wrapped once at the list's width, a new highlight repaints the lines of the two options
it leaves and reaches, and a list given the options it already shows repaints nothing. OptionList measured and
drew every option again on each change, a sixth of a move to a question with notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widgets.option_list import Option

from wat_tui.ui.widgets.lines import KeptLinesView, text_line


class LineList(KeptLinesView, can_focus=True):
    """Options (Textual's ``Option``: a Rich Text prompt, an id, maybe disabled); Enter or a click selects one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"line-list--highlighted", "line-list--disabled"}

    DEFAULT_CSS = """
    LineList {
        height: auto;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        color: $foreground;
        & > .line-list--disabled { color: $text-disabled; }
        & > .line-list--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .line-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    @dataclass
    class Highlighted(Message):
        """The highlight moved to option ``index``."""

        line_list: LineList
        index: int

    @dataclass
    class Selected(Message):
        """Option ``index`` was chosen (Enter or a click)."""

        line_list: LineList
        index: int

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._options: list[Option] = []
        #: Each option's lines at :attr:`_wrapped_at` cells; line -> its option; option -> its first line.
        self._lines: list[Text] = []
        self._owner: list[int] = []
        self._first: list[int] = []
        self._wrapped_at = 0
        #: Lines drawn, by (line, highlighted, focused, width); dropped when the options change.
        self._drawn: dict[tuple[int, bool, bool, int], Strip] = {}
        self._styles: dict[tuple[bool, bool, bool], Style] = {}
        self._highlighted: int | None = None

    # -- OptionList's part -----------------------------------------------------------------------------------

    @property
    def option_count(self) -> int:
        return len(self._options)

    def get_option_at_index(self, index: int) -> Option:
        return self._options[index]

    def set_options(self, options: list[Option]) -> None:
        before = [(o.id, o.prompt, o.disabled) for o in self._options]
        if before == [(o.id, o.prompt, o.disabled) for o in options]:
            return  # the options it shows: nothing to draw
        self._options = list(options)
        self._options_changed()

    def add_option(self, option: Option) -> None:
        self._options.append(option)
        self._options_changed()

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            if not self._options:
                index = None
            else:
                index = max(0, min(index, len(self._options) - 1))
                if self._options[index].disabled:
                    index = None
        before, self._highlighted = self._highlighted, index
        if before != index:
            self._refresh_option(before)
            self._refresh_option(index)
            if index is not None:
                self.post_message(self.Highlighted(self, index))
        if index is not None:
            self._scroll_to_option(index)

    # -- lines -----------------------------------------------------------------------------------------------

    def _options_changed(self) -> None:
        lines = len(self._lines)
        self._wrap(self._wrapped_at)
        if self._highlighted is not None and (self._highlighted >= len(self._options)
                                              or self._options[self._highlighted].disabled):
            self._highlighted = None
        self._set_virtual_size()
        self.refresh(layout=len(self._lines) != lines)

    def _width(self) -> int:
        """The cells an option's lines have: the scrollbar's column is always left free (the layout's width for
        get_content_height counts it), so lines wrapped before the scrollbar shows still fit after."""
        return max(1, self.content_region.width - self.styles.scrollbar_size_vertical)

    def _wrap(self, width: int) -> None:
        self._wrapped_at = width
        self._lines, self._owner, self._first = [], [], []
        console = self.app.console
        for i, option in enumerate(self._options):
            prompt = option.prompt if isinstance(option.prompt, Text) else Text(str(option.prompt))
            self._first.append(len(self._lines))
            for line in prompt.wrap(console, width or 1000):
                line.rstrip()
                self._lines.append(line)
                self._owner.append(i)
        self._drawn.clear()

    def _set_virtual_size(self) -> None:
        self.virtual_size = Size(self._wrapped_at, len(self._lines))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        cells = max(1, width - self.styles.scrollbar_size_vertical)
        if cells != self._wrapped_at:
            self._wrap(cells)  # the layout's width: each option is wrapped here, once per width
        return len(self._lines)

    def _on_resize(self, event: events.Resize) -> None:
        if self._width() != self._wrapped_at:
            self._wrap(self._width())
        self._set_virtual_size()
        if self._highlighted is not None:  # its lines may have moved at the new width
            self.call_after_refresh(self._scroll_to_option, self._highlighted)

    def on_show(self) -> None:
        # Shown again (the notes pane in the narrow layout): the highlighted option in view, as it was left.
        if self._highlighted is not None:
            self.call_after_refresh(self._scroll_to_option, self._highlighted)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, self._line_style(False, False))
        option = self._owner[index]
        lit, focused = option == self._highlighted, self.has_focus
        key = (index, lit, focused, width)
        strip = self._drawn.get(key)
        if strip is None:
            style = self._line_style(lit, self._options[option].disabled)
            strip = self._drawn[key] = text_line(self.app.console, self._lines[index], style, width)
        return strip

    def _line_style(self, lit: bool, disabled: bool) -> Style:
        key = (lit, disabled, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if disabled:
                style += self.get_component_rich_style("line-list--disabled")
            if lit:
                style += self.get_component_rich_style("line-list--highlighted")
            self._styles[key] = style
        return style

    def notify_style_update(self) -> None:
        self._drawn.clear()  # a theme or focus change: the lines are drawn again
        self._styles.clear()
        super().notify_style_update()

    def _refresh_option(self, index: int | None) -> None:
        if index is None or index >= len(self._first) or not self.is_mounted:
            return
        for key in [k for k in self._drawn if self._owner[k[0]] == index]:
            del self._drawn[key]
        top = round(self.scroll_offset.y)
        count = self._option_lines(index)
        self.refresh(Region(0, self._first[index] - top, self.size.width, count))

    def _option_lines(self, index: int) -> int:
        end = self._first[index + 1] if index + 1 < len(self._first) else len(self._lines)
        return end - self._first[index]

    def _scroll_to_option(self, index: int) -> None:
        if not self.is_mounted or index >= len(self._first):
            return
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        first, count = self._first[index], self._option_lines(index)
        if height <= 0:
            return
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif first + count > top + height:
            self.scroll_to(y=first + min(count, height) - height, animate=False, immediate=True)

    def on_focus(self) -> None:
        self._refresh_option(self._highlighted)

    def on_blur(self) -> None:
        self._refresh_option(self._highlighted)

    # -- keys and the mouse ----------------------------------------------------------------------------------

    def _enabled(self) -> list[int]:
        return [i for i, o in enumerate(self._options) if not o.disabled]

    def action_cursor(self, step: int) -> None:
        enabled = self._enabled()
        if not enabled:
            return
        if self._highlighted is None:
            self.highlighted = enabled[0]
            return
        later = [i for i in enabled if (i > self._highlighted if step > 0 else i < self._highlighted)]
        if later:
            self.highlighted = later[0] if step > 0 else later[-1]

    def action_edge(self, end: int) -> None:
        enabled = self._enabled()
        if enabled:
            self.highlighted = enabled[-1] if end else enabled[0]

    def action_select(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Selected(self, self._highlighted))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        if 0 <= index < len(self._owner) and not self._options[self._owner[index]].disabled:
            self.highlighted = self._owner[index]
            self.action_select()

