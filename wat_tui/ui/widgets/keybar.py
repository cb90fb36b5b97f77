"""A one-line key bar: the screen's shown bindings as plain text, fitted to the terminal's width.

Textual's Footer makes a widget per key, which costs about a tenth of a second at launch; one Static paints the
same hints for almost nothing, and the help screen (F1) lists every key. On a projector's 100 columns or a small
terminal's 80 not every hint fits: the bar keeps whole hints in order and always ends with help, instead of cutting
the last hint in half.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.events import Resize
from textual.keys import key_to_character
from textual.widgets import Static

from wat_tui.ui.themes import Palette

#: Keys whose Textual names a person would not read as the key.
KEY_NAMES = {"minus": "-", "plus": "+", "question_mark": "?", "space": "Space", "escape": "Esc", "pageup": "PgUp",
             "pagedown": "PgDn"}


def key_name(key: str) -> str:
    """A binding's keys as a person reads them, for the help (F1): "=" not "equals_sign", "Ctrl+B", "F2"."""
    return ", ".join(_one_key(k) for k in key.split(","))


def _one_key(k: str) -> str:
    if k in KEY_NAMES:
        return KEY_NAMES[k]
    if k.startswith("ctrl+"):
        return "Ctrl+" + _one_key(k[5:]).upper()
    if k.startswith("f") and k[1:].isdigit():
        return k.upper()
    if len(k) > 1:
        character = key_to_character(k)  # equals_sign, left_square_bracket, ...
        if character is not None:
            return character
        return k.replace("_", " ").capitalize()  # enter, backspace: a word
    return k


def _key_name(b: Binding) -> str:
    """The first key as the bar shows it: as the help names it, but "^z" for Ctrl+Z."""
    if b.key_display:
        return b.key_display
    key = b.key.split(",")[0]
    if key.startswith("ctrl+") and len(key) == 6:
        return "^" + key[5:]
    return _one_key(key)


def _hint(b: Binding, palette: Palette) -> Text:
    text = Text()
    text.append(f" {_key_name(b)} ", style=f"bold {palette.accent}")
    text.append(f"{b.description} ", style=palette.text)
    return text


def key_hints(bindings: list[Binding], palette: Palette, width: int | None = None) -> Text:
    """The shown bindings' hints, in order; with a ``width``, only the whole hints that fit, and help always."""
    shown = [b for b in bindings if b.show]
    hints = [_hint(b, palette) for b in shown]
    text = Text()
    if width is None or sum(h.cell_len for h in hints) <= width:
        for h in hints:
            text.append_text(h)
        return text
    help_hint = next((h for b, h in zip(shown, hints, strict=True) if b.action == "help"), None)
    room = width - (help_hint.cell_len if help_hint is not None else 0)
    for h in hints:
        if h is help_hint:
            continue
        if h.cell_len > room:
            break
        text.append_text(h)
        room -= h.cell_len
    if help_hint is not None:
        text.append_text(help_hint)
    return text


class KeyBar(Static):
    """The hints, painted again when the bar's width changes."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._hints: tuple[list[Binding], Palette] | None = None

    def show(self, bindings: list[Binding], palette: Palette) -> None:
        self._hints = (bindings, palette)
        self._paint()

    def on_resize(self, event: Resize) -> None:
        self._paint()

    def _paint(self) -> None:
        if self._hints is not None:
            self.update(key_hints(*self._hints, self.content_size.width or self.app.size.width))
