"""What the widgets that draw their lines once and keep them share (the outline, nav.py; the question pane,
question.py; the notes pane, notes.py; the lists, line_list.py): one line of text drawn over a style, a ScrollView
that keeps to the scrolled size it sets itself, and the arithmetic of a scrollbar drawn in the lines' last cell."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget


def text_line(console: Console, text: Text, style: Style, width: int, tail: Segment | None = None) -> Strip:
    """``text`` (one line) over ``style``, padded or cut to ``width`` cells, then ``tail`` (a scrollbar's cell).

    One pass and one Strip: this is drawn for every line of a new question."""
    segments = [Segment(t, style + s if s else style, c) for t, s, c in text.render(console)]
    segments = Segment.adjust_line_length(segments, width, style)
    if tail is not None:
        segments.append(tail)
        width += tail.cell_length
    return Strip(segments, width)


class KeptLinesView(ScrollView):
    """A ScrollView whose scrolled (virtual) size is the one it sets itself, from the lines it keeps.

    Textual's ScrollView compares the virtual size each layout pass hands it (its region) with its own, finds them
    different on every layout pass anywhere on the screen, and repaints its scrollbar, and with it every line
    beside it. Here the comparison is with its own size, so only a real change of size or scrolled size counts."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, self.virtual_size, container_size, layout)

    def set_scrolled_size(self, size: Size) -> None:
        """Set the scrolled (virtual) size and the scrollbar, without the reactive's setter, which lays the whole
        screen out again: the widget keeps its own size, only what it scrolls changes. (A scrollbar that appears
        or goes still lays out: the widget's text width changes.)"""
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)


def thumb_span(rows: int, lines: int, offset: int) -> tuple[int, int]:
    """The scrollbar's thumb (first row, row after the last) for ``lines`` scrolled ``offset`` lines in a view of
    ``rows``; (0, 0) when every line fits.

    The question and notes panes draw it in each line's last cell: Textual's scrollbar is a widget of its own,
    repainted whole after every move (its thumb changes with each question's length), a tenth of a keypress."""
    if rows <= 0 or lines <= rows:
        return 0, 0
    size = max(1, rows * rows // lines)
    start = round(offset * (rows - size) / (lines - rows))
    return start, start + size


def scroll_target(first: int, count: int, rows: int, offset: int, top: bool = False) -> int | None:
    """Where to scroll a view of ``rows`` (scrolled ``offset``) so that lines ``first`` to ``first + count`` show
    (``top``: ``first`` at the top); None when they already do."""
    if rows <= 0 or first < 0:
        return None
    if top or first < offset:
        return first
    if first + count > offset + rows:
        return max(0, first + min(count, rows) - rows)
    return None
