"""One line of text drawn over a widget's style, for widgets that draw their lines once and keep them (the
outline, nav.py, and the practices list, question.py)."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_line(console: Console, text: Text, style: Style, width: int) -> Strip:
    """``text`` (one line) over ``style``, padded or cut to ``width`` cells."""
    segments = [Segment(t, style + s if s else style, c) for t, s, c in text.render(console)]
    return Strip(segments).extend_cell_length(width, style).crop(0, width)
