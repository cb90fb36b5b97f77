"""Themes: dark (default), light, and a projector theme that reads from the back of the room.

The last theme chosen is remembered per laptop, in :data:`SETTINGS_FILE` in the data directory: a choice of this
screen, not of the session, so it is no operation of the log and never travels in a bundle. An unreadable file, or
one of another version, is ignored (the default theme) and replaced at the next choice.

Risk is never told by colour alone (every badge has a symbol and a word), but the colours are chosen so that the
projector theme's text has a contrast of at least 4.5:1, and the question's text at least 7:1 (a test checks both
from the values below).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from textual.theme import Theme

from wat_tui.errors import WatError
from wat_tui.fileio import read_regular, write_atomic


@dataclass(frozen=True)
class Palette:
    """Colours our widgets paint with directly (Rich styles), per theme."""

    background: str
    surface: str
    text: str
    muted: str
    question: str
    accent: str
    high: str
    medium: str
    none: str
    na: str
    open: str
    warning: str
    cursor_bg: str
    cursor_fg: str


PALETTES: dict[str, Palette] = {
    "wat-dark": Palette(
        background="#121212", surface="#1e1e1e", text="#e6e6e6", muted="#a8a8a8", question="#ffffff",
        accent="#7cc4ff", high="#ff7a7a", medium="#ffd166", none="#7ee08a", na="#b0b0b0", open="#d0d0d0",
        warning="#ffb347", cursor_bg="#2e5e9e", cursor_fg="#ffffff",
    ),
    "wat-light": Palette(
        background="#fafafa", surface="#ececec", text="#1a1a1a", muted="#4d4d4d", question="#000000",
        accent="#0b57a4", high="#b00020", medium="#8a5a00", none="#1b6e2a", na="#555555", open="#333333",
        warning="#9a4a00", cursor_bg="#c9dcf5", cursor_fg="#000000",
    ),
    "wat-projector": Palette(
        background="#000000", surface="#101010", text="#ffffff", muted="#d6d6d6", question="#ffffff",
        accent="#8fd3ff", high="#ff8c8c", medium="#ffe066", none="#8cf29a", na="#d0d0d0", open="#ffffff",
        warning="#ffb84d", cursor_bg="#1a3d80", cursor_fg="#ffffff",
    ),
}

THEME_ORDER = ("wat-dark", "wat-light", "wat-projector")
THEME_LABELS = {"wat-dark": "Dark", "wat-light": "Light", "wat-projector": "Projector"}


def _theme(name: str, dark: bool, primary: str) -> Theme:
    p = PALETTES[name]
    return Theme(
        name=name,
        primary=primary,
        secondary=p.accent,
        accent=p.accent,
        warning=p.warning,
        error=p.high,
        success=p.none,
        foreground=p.text,
        background=p.background,
        surface=p.surface,
        panel=p.surface,
        dark=dark,
        variables={
            "risk-high": p.high,
            "risk-medium": p.medium,
            "risk-none": p.none,
            "text-muted": p.muted,
            "block-cursor-background": p.cursor_bg,
            "block-cursor-foreground": p.cursor_fg,
            "block-cursor-text-style": "bold",
            "footer-key-foreground": p.accent,
        },
    )


THEMES = (
    _theme("wat-dark", True, "#2e5e9e"),
    _theme("wat-light", False, "#0b57a4"),
    _theme("wat-projector", True, "#1a3d80"),
)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour given as #rrggbb."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: This laptop's own settings, beside the database in the data directory: ``{"version": 1, "theme": name}``.
SETTINGS_FILE = "settings.json"
SETTINGS_VERSION = 1
#: A settings file larger than this is not read (it was not written by wat-tui).
_SETTINGS_MAX = 4096


def remembered_theme(data_dir: Path) -> str | None:
    """The theme chosen last on this laptop, or None (never chosen, or the file is unreadable or of another
    version, or names a theme that no longer exists)."""
    try:
        doc = json.loads(read_regular(data_dir / SETTINGS_FILE, _SETTINGS_MAX, what="settings file"))
    except (WatError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("version") != SETTINGS_VERSION:
        return None
    theme = doc.get("theme")
    return theme if theme in PALETTES else None


def remember_theme(data_dir: Path, theme: str) -> None:
    """Remember ``theme`` for the next start on this laptop; raises WatError naming the file if it cannot."""
    doc = {"version": SETTINGS_VERSION, "theme": theme}
    write_atomic(data_dir / SETTINGS_FILE, json.dumps(doc).encode(), what="the theme setting")
