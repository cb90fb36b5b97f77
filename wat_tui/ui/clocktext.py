"""What the clock strip says: wall clock, session elapsed against plan, projected end, the block's countdown,
the question's time against its share, and whether the room is behind.

Overrun and "behind" are told by a symbol and words as well as colour.
"""

from __future__ import annotations

from rich.text import Text

from wat_tui.review.clock import ClockStrip
from wat_tui.review.durations import format_duration
from wat_tui.ui.text import plain
from wat_tui.ui.themes import Palette


def hms(seconds: float) -> str:
    s = int(abs(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def strip_text(cs: ClockStrip, palette: Palette, narrow: bool = False) -> Text:
    text = Text()
    text.append(cs.now.astimezone().strftime("%H:%M"), style=f"bold {palette.text}")
    sep = (" │ ", palette.muted)
    if cs.status == "not started":
        text.append(*sep)
        text.append("○ clock not started · c to start", style=f"bold {palette.warning}")
        text.append(f"  planned {format_duration(int(cs.planned // 60))}", style=palette.muted)
        return text
    text.append(*sep)
    text.append("⏸ paused " if cs.status == "paused" else "▶ ", style=f"bold {palette.warning}"
                if cs.status == "paused" else palette.none)
    text.append(f"{hms(cs.elapsed)}", style=f"bold {palette.text}")
    text.append(f"/{format_duration(int(cs.planned // 60))}", style=palette.muted)
    if not narrow:
        text.append(f" ends {cs.projected_end.astimezone().strftime('%H:%M')}", style=palette.muted)
    if cs.block is not None and cs.block_remaining is not None:
        text.append(*sep)
        if not narrow:
            text.append_text(plain(cs.block.title[:24] + " ", palette.text))
        if cs.block_remaining < 0:
            text.append(f"⚠ +{hms(cs.block_remaining)} over", style=f"bold reverse {palette.warning}")
        else:
            style = f"bold {palette.warning}" if cs.block_remaining <= 120 else f"bold {palette.text}"
            text.append(f"{hms(cs.block_remaining)} left", style=style)
    if not narrow and cs.question_elapsed is not None and cs.question_share:
        over = cs.question_elapsed > cs.question_share
        text.append(*sep)
        text.append(f"Q {hms(cs.question_elapsed)}/{hms(cs.question_share)}",
                    style=f"bold {palette.warning}" if over else palette.muted)
    if cs.behind >= 60:
        text.append(*sep)
        text.append(f"▼ behind {int(cs.behind // 60)} min", style=f"bold {palette.warning}")
    elif cs.behind <= -60 and not narrow:
        text.append(*sep)
        text.append(f"▲ ahead {int(-cs.behind // 60)} min", style=palette.none)
    return text

