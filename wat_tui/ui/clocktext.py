"""What the clock strip says: wall clock, session elapsed against plan, projected end, the block's countdown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text

from wat_tui.review.durations import format_duration
from wat_tui.review.state import SessionState
from wat_tui.ui.themes import Palette


def clock_text(review: Any, state: SessionState, now: datetime, palette: Palette) -> Text:
    local = now.astimezone()
    text = Text()
    text.append(local.strftime("%H:%M"), style=f"bold {palette.text}")
    text.append(f"  planned {format_duration(state.planned_minutes)}", style=palette.muted)
    return text
