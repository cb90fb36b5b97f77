"""User text made safe for the screen: shown as written, never as markup or terminal control.

The cleaning itself is :func:`wat_tui.termtext.for_terminal`, shared with the command line.
"""

from __future__ import annotations

from rich.text import Text

from wat_tui.termtext import for_terminal


def visible(text: str, *, single_line: bool = False) -> str:
    """Control, bidi and invisible characters (escape sequences included) replaced with a visible escape."""
    return for_terminal(text, single_line=single_line)


def plain(text: str, style: str = "", *, single_line: bool = False) -> Text:
    """A Rich Text that shows ``text`` literally: brackets stay brackets, escapes become visible."""
    return Text(for_terminal(text, single_line=single_line), style=style)
