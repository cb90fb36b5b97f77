"""A one-line key bar: the screen's shown bindings as plain text.

Textual's Footer makes a widget per key, which costs about a tenth of a second at launch; one Static paints the
same hints for almost nothing, and the help screen (F1) lists every key.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from wat_tui.ui.themes import Palette

SHORT = {"question_mark": "?", "minus": "-", "ctrl+z": "^z", "ctrl+t": "^t", "ctrl+p": "^p"}


def key_hints(bindings: list[Binding], palette: Palette) -> Text:
    text = Text()
    for b in bindings:
        if not b.show:
            continue
        key = b.key.split(",")[0]
        text.append(f" {SHORT.get(key, key.upper() if len(key) == 2 and key[0] == 'f' else key)} ",
                    style=f"bold {palette.accent}")
        text.append(f"{b.description} ", style=palette.text)
    return text


class KeyBar(Static):
    def show(self, bindings: list[Binding], palette: Palette) -> None:
        self.update(key_hints(bindings, palette))
