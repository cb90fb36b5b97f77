"""Durations as facilitators type them, and refusals that say what was wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wat_tui.errors import WatError
from wat_tui.review.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("5h", 300), ("4h30m", 270), ("4h 30m", 270), ("90m", 90), ("5.5h", 330), ("1:45", 105), ("0:05", 5),
        ("45", 45), ("5", 5), (" 2H ", 120), ("24h", 1440), ("1m", 1), ("0.5h", 30),
    ],
)
def test_accepted(text: str, minutes: int, data_dir: Path) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    "text",
    ["5x", "", "  ", "h", "0", "0:00", "0h", "25h", "1:60", "30m4h", "5h5h", "4h30", "-5h", "5h-", ".5h",
     "1e3h",
     "five hours", "5hh", "0.4m"],
)
def test_refused_with_the_text_named(text: str, data_dir: Path) -> None:
    with pytest.raises(WatError) as info:
        parse_duration(text)
    assert repr(text) in str(info.value)
    assert "\n" not in str(info.value)


@given(st.integers(min_value=1, max_value=24 * 60))
def test_format_then_parse_round_trips(minutes: int) -> None:
    assert parse_duration(format_duration(minutes)) == minutes


@given(st.integers(min_value=0, max_value=24), st.integers(min_value=0, max_value=59))
def test_hours_and_minutes_spellings_agree(h: int, m: int) -> None:
    total = h * 60 + m
    if not 1 <= total <= 24 * 60:
        with pytest.raises(WatError):
            parse_duration(f"{h}:{m:02d}")
        return
    assert parse_duration(f"{h}:{m:02d}") == total
    assert parse_duration(f"{h}h{m}m") == total
    assert parse_duration(f"{total}m") == total


def test_format_duration(data_dir: Path) -> None:
    assert [format_duration(m) for m in (5, 60, 90, 300, 305)] == ["5m", "1h", "1h30m", "5h", "5h05m"]
