"""A list of things to tick whose boxes say ✓ or stay empty, so whether a line is ticked reads without colour."""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

T = TypeVar("T")
TICKED = "✓"


class TickList(SelectionList[T]):
    """Textual's SelectionList draws the same X in every box, ticked or not, and tells them apart by colour only."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # The box's inside, as SelectionList draws it (the same X as a Checkbox's).
        if len(segments) < 3 or segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments[1] = Segment(TICKED if option.value in self.selected else " ", segments[1].style)
        return Strip(segments, strip.cell_length)
