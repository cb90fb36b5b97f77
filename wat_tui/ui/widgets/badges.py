"""Risk badges: a symbol and a word as well as a colour, so risk reads in greyscale and to colour-blind eyes."""

from __future__ import annotations

from rich.text import Text

from wat_tui.lens.risk import Risk
from wat_tui.ui.themes import Palette

BADGES: dict[Risk, tuple[str, str]] = {
    Risk.HIGH: ("▲", "HIGH"),
    Risk.MEDIUM: ("●", "MED"),
    Risk.NONE: ("✓", "NONE"),
    Risk.NOT_APPLICABLE: ("–", "N/A"),
    Risk.UNANSWERED: ("○", "open"),
}

LEVEL_MARKS = {"HIGH": "H", "MEDIUM": "M", "LOW": "L"}


def risk_colour(risk: Risk, palette: Palette) -> str:
    return {
        Risk.HIGH: palette.high,
        Risk.MEDIUM: palette.medium,
        Risk.NONE: palette.none,
        Risk.NOT_APPLICABLE: palette.na,
        Risk.UNANSWERED: palette.open,
    }[risk]


def badge(risk: Risk, palette: Palette, width: int = 6) -> Text:
    symbol, word = BADGES[risk]
    style = f"bold {risk_colour(risk, palette)}" if risk in (Risk.HIGH, Risk.MEDIUM) else risk_colour(risk, palette)
    return Text(f"{symbol} {word}".ljust(width), style=style)


def level_text(level: str | None, palette: Palette, label: str | None = None) -> Text:
    """A practice's framework risk level, e.g. ``HIGH`` in the high colour."""
    if not level:
        return Text("")
    colour = {"HIGH": palette.high, "MEDIUM": palette.medium, "LOW": palette.muted}.get(level, palette.muted)
    return Text(label or level, style=colour)
