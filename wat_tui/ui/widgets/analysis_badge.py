"""The open question's analysis in a few cells for its one-line header: ``impact HIGH · effort LOW``.

Shown once the room has scored either axis (J, K, or the findings table); an axis not scored yet reads ``–``.
Words as well as colour, like the risk badges: the projector's room reads it without telling colours apart.
"""

from __future__ import annotations

from rich.text import Text

from wat_tui.review.analysis import Analysis, Level
from wat_tui.ui.themes import Palette

#: Between the two axes, and the mark of an axis not scored yet.
SEPARATOR = " · "
UNSET = "–"


def _level(level: Level | None, palette: Palette) -> Text:
    return Text(level.upper(), style=f"bold {palette.accent}") if level else Text(UNSET, style=palette.muted)


def analysis_badge(analysis: Analysis | None, palette: Palette) -> Text:
    """``impact HIGH · effort LOW`` for a scored question; an empty text when neither axis is scored."""
    out = Text()
    if analysis is None or (analysis.impact is None and analysis.effort is None):
        return out
    out.append("impact ", style=palette.muted)
    out.append_text(_level(analysis.impact, palette))
    out.append(f"{SEPARATOR}effort ", style=palette.muted)
    out.append_text(_level(analysis.effort, palette))
    return out
