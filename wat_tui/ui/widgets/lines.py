"""One line of text drawn over a widget's style, for widgets that draw their lines once and keep them (the
outline, nav.py, and the question pane, question.py)."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_line(console: Console, text: Text, style: Style, width: int, tail: Segment | None = None) -> Strip:
    """``text`` (one line) over ``style``, padded or cut to ``width`` cells, then ``tail`` (a scrollbar's cell).

    One pass and one Strip: this is drawn for every line of a new question."""
    segments = [Segment(t, style + s if s else style, c) for t, s, c in text.render(console)]
    segments = Segment.adjust_line_length(segments, width, style)
    if tail is not None:
        segments.append(tail)
        width += tail.cell_length
    return Strip(segments, width)
