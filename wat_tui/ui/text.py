"""User text made safe for the screen: shown as written, never as markup or terminal control."""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Replace control characters (escape sequences included) with a visible ``\\xNN`` form."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def plain(text: str, style: str = "") -> Text:
    """A Rich Text that shows ``text`` literally: brackets stay brackets, escapes become visible."""
    return Text(visible(text), style=style)
