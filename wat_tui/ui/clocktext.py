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


def short_title(title: str, most: int) -> str:
    """A block's title in ``most`` characters: its head before a colon when that fits ("Opening"), else cut with
    an ellipsis."""
    if len(title) <= most:
        return title
    head = title.split(":", 1)[0].strip()
    if ":" in title and len(head) <= most:
        return head
    return title[: most - 1].rstrip() + "…"


def strip_text(cs: ClockStrip, palette: Palette, width: int = 200) -> Text:
    """The clock bar for a terminal ``width`` columns wide.

    Whatever the width, the bar keeps the block's name, its time left (or overrun and what to do) and the pace
    word; narrower terminals lose, in this order, the question's time, the projected end and the wall clock, and
    the block's name and the suggestion to park questions are shortened. At 80 columns the longest bar (paused, or
    a block over time with questions to park) leaves the session's name its ten columns.
    """
    show_question = width >= 140
    show_end = width >= 110
    show_wall = width >= 90
    title_len = 24 if width >= 140 else 20 if width >= 110 else 14 if width >= 90 else 12
    text = Text()
    sep = (" │ ", palette.muted)
    if show_wall:
        text.append(cs.now.astimezone().strftime("%H:%M"), style=f"bold {palette.text}")
        text.append(*sep)
    if cs.status == "not started":
        text.append("○ clock not started · c to start", style=f"bold {palette.warning}")
        text.append(f"  planned {format_duration(int(cs.planned // 60))}", style=palette.muted)
        return text
    if cs.status == "paused":
        text.append("⏸ PAUSED", style=f"bold reverse {palette.warning}")
        text.append(" ", style=palette.muted)
    else:
        text.append("▶ ", style=palette.none)
    # Narrow terminals count the session in hours and minutes (the block's countdown keeps its seconds).
    elapsed = hms(cs.elapsed)
    if width < 90 and cs.elapsed >= 3600:
        elapsed = elapsed[:-3]
    text.append(elapsed, style=f"bold {palette.text}")
    text.append(f"/{format_duration(int(cs.planned // 60))}", style=palette.muted)
    if show_end:
        text.append(f" ends {cs.projected_end.astimezone().strftime('%H:%M')}", style=palette.muted)
    if cs.block is not None and cs.block_remaining is not None:
        text.append(*sep)
        title = short_title(cs.block.title, title_len)
        if cs.block_remaining < 0:
            # Over time: say what the room should do, never "ahead" (see clock.pace), and still the pace.
            if width < 90:
                title = short_title(cs.block.title, 10)
            text.append_text(plain(f"⚠ {title} +{hms(cs.block_remaining)}", f"bold reverse {palette.warning}",
                                   single_line=True))
            n = len(cs.suggestions)
            if not n:
                ask = " · move on?"
            elif width >= 140:
                ask = f" · park {n} low-risk question{'s' if n != 1 else ''}?"
            elif width >= 90:
                ask = f" · park {n} low-risk?"
            else:
                ask = f" · park {n}?"
            text.append(ask, style=f"bold {palette.warning}")
        else:
            text.append_text(plain(title + " ", palette.text, single_line=True))
            style = f"bold {palette.warning}" if cs.block_remaining <= 120 else f"bold {palette.text}"
            text.append(f"{hms(cs.block_remaining)} left", style=style)
    if show_question and not cs.overrun and cs.question_elapsed is not None and cs.question_share:
        over = cs.question_elapsed > cs.question_share
        text.append(*sep)
        text.append(f"Q {hms(cs.question_elapsed)}/{hms(cs.question_share)}",
                    style=f"bold {palette.warning}" if over else palette.muted)
    text.append(*sep)
    if not cs.pace_known:
        text.append("pace: after 10 min", style=palette.muted)
    elif cs.behind >= 60:
        text.append(f"▼ behind {int(cs.behind // 60)} min", style=f"bold {palette.warning}")
    elif cs.behind <= -60:
        text.append(f"▲ ahead {int(-cs.behind // 60)} min", style=palette.none)
    else:
        text.append("on pace", style=palette.none)
    return text
