"""Parse the durations facilitators type: ``5h``, ``4h30m``, ``90m``, ``5.5h``, ``1:45``."""

from __future__ import annotations

import re

from wat_tui.errors import WatError

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m)")


def parse_duration(text: str) -> int:
    """Minutes in a duration; raises WatError naming the text when it is not one."""
    s = text.strip().lower().replace(" ", "")
    m = re.fullmatch(r"(\d+):([0-5]\d)", s)
    if m:
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    elif s.isdigit():
        minutes = int(s)
    elif re.fullmatch(r"(?:\d+(?:\.\d+)?[hm])+", s):
        minutes = 0
        units = [u for _, u in _PART.findall(s)]
        if len(units) != len(set(units)) or (units == ["m", "h"]):
            raise WatError(f"duration {text!r}: give hours before minutes, each once (for example 4h30m)")
        for number, unit in _PART.findall(s):
            minutes += round(float(number) * (60 if unit == "h" else 1))
    else:
        raise WatError(f"duration {text!r}: expected hours and minutes such as 5h, 4h30m, 90m or 1:45")
    if not 1 <= minutes <= 24 * 60:
        raise WatError(f"duration {text!r}: must be between 1 minute and 24 hours")
    return minutes


def format_duration(minutes: int) -> str:
    h, m = divmod(int(minutes), 60)
    if h and m:
        return f"{h}h{m:02d}m"
    return f"{h}h" if h else f"{m}m"
