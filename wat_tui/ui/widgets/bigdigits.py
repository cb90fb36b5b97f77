"""Large digits for the break countdown, as big as the space they are given, so the back row reads them.

The font is our own: each character is a 5x7 grid of dots (a colon is one dot wide). A dot is drawn some cells
wide and some rows tall with the full block █, at the largest size that fits the widget. The widget subclasses
Textual's ``Digits`` so that ``value`` and ``update`` (and a query for ``Digits``) work as before.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Digits

#: Dots of each character, top row first: "#" is ink.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": (".###.", "##.##", "##.##", "##.##", "##.##", "##.##", ".###."),
    "1": ("..##.", ".###.", "..##.", "..##.", "..##.", "..##.", ".####"),
    "2": (".###.", "##.##", "...##", "..##.", ".##..", "##...", "#####"),
    "3": ("####.", "...##", "...##", ".###.", "...##", "...##", "####."),
    "4": ("...##", "..###", ".#.##", "#..##", "#####", "...##", "...##"),
    "5": ("#####", "##...", "####.", "...##", "...##", "##.##", ".###."),
    "6": (".###.", "##...", "##...", "####.", "##.##", "##.##", ".###."),
    "7": ("#####", "...##", "..##.", "..##.", ".##..", ".##..", ".##.."),
    "8": (".###.", "##.##", "##.##", ".###.", "##.##", "##.##", ".###."),
    "9": (".###.", "##.##", "##.##", ".####", "...##", "...##", ".###."),
    ":": (".", ".", "#", ".", "#", ".", "."),
    "+": (".....", "..#..", "..#..", "#####", "..#..", "..#..", "....."),
    "-": (".....", ".....", ".....", "#####", ".....", ".....", "....."),
    " ": (".", ".", ".", ".", ".", ".", "."),
}
ROWS = 7
#: A dot is at most this many times as tall as it is wide on screen (a cell is about twice as tall as it is
#: wide): much taller, narrow digits read less well from afar.
MOST_TALL = 1.5
#: Columns left blank at each side: a projector may cut off the edges of the picture.
MARGIN = 2


def dots(text: str) -> list[str]:
    """The text's dot rows, one dot of space between characters; a character the font lacks is left out."""
    glyphs = [GLYPHS[ch] for ch in text if ch in GLYPHS]
    return [".".join(g[row] for g in glyphs) for row in range(ROWS)]


def scale_for(text: str, width: int, height: int) -> tuple[float, float] | None:
    """The largest dot size (cells wide, rows tall) at which ``text`` fits ``width`` x ``height`` cells with
    :data:`MARGIN` on each side; None when a dot would be smaller than a cell."""
    grid = dots(text)
    wide = len(grid[0]) if grid and grid[0] else 0
    if wide == 0:
        return None
    sx = (width - 2 * MARGIN) / wide
    sy = min(height / ROWS, sx * MOST_TALL / 2)
    return (sx, sy) if sx >= 1 and sy >= 1 else None


def big_lines(text: str, width: int, height: int) -> list[str] | None:
    """``text`` drawn as large as fits ``width`` x ``height`` cells, or None when it cannot be drawn that big.

    A dot's size need not be a whole number of cells: dots are a cell wider or taller than their neighbours here
    and there, which the eye does not notice at this size, and the digits use all the room. Only the full block
    is used (no half blocks), so every terminal font draws the digits evenly.
    """
    scale = scale_for(text, width, height)
    if scale is None:
        return None
    sx, sy = scale
    grid = dots(text)
    wide = len(grid[0])
    columns = [min(int(c / sx), wide - 1) for c in range(int(wide * sx))]
    return ["".join("█" if grid[min(int(y / sy), ROWS - 1)][d] == "#" else " " for d in columns)
            for y in range(int(ROWS * sy))]


class BigDigits(Digits):
    """A countdown in digits that fill the widget; plain digits when the widget is too small for the font."""

    DEFAULT_CSS = """
    BigDigits {
        width: 1fr;
        height: 1fr;
    }
    """
    _drawn: tuple[tuple[str, Size], list[str]] | None = None

    def big_lines(self) -> list[str]:
        """What is drawn now, line by line, centred in the widget (whole lines: centring line by line would
        shift rows whose ink ends early)."""
        width, height = self.content_size
        lines = big_lines(self.value, width, height) or [self.value]
        left = " " * max(0, (width - max(len(line) for line in lines)) // 2)
        return [""] * max(0, (height - len(lines)) // 2) + [left + line for line in lines]

    def render_line(self, y: int) -> Strip:
        # Drawn cell by cell: rendered as text, each line's leading spaces would be trimmed and its rows shift.
        lines = self._lines()
        line = lines[y] if 0 <= y < len(lines) else ""
        width = self.content_size.width
        ink = self.rich_style
        # Gaps styled apart from ink, so that a picture (SVG) puts each run of ink at its own column rather than
        # one line of text whose spaces and blocks a font may draw at different widths.
        gap = Style(bgcolor=ink.bgcolor)
        runs = [m.group() for m in re.finditer(r" +|[^ ]+", line[:width].ljust(width))]
        return Strip([Segment(run, gap if run[0] == " " else ink) for run in runs], width)

    def _lines(self) -> list[str]:
        """:meth:`big_lines`, drawn again only when the value or the size changed (not once a line)."""
        key = (self.value, self.content_size)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self.big_lines())
        return self._drawn[1]
