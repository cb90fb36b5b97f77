"""The projector theme reads from the back of the room: contrast checked from the theme's own colours."""

from __future__ import annotations

from dataclasses import fields

import pytest

from wat_tui.ui.themes import PALETTES, THEMES, contrast

TEXT_FIELDS = ("text", "muted", "question", "accent", "high", "medium", "none", "na", "open", "warning")


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", list(PALETTES))
def test_all_text_has_at_least_4_5_to_1(name: str) -> None:
    p = PALETTES[name]
    for field in TEXT_FIELDS:
        colour = getattr(p, field)
        for bg in (p.background, p.surface):
            assert contrast(colour, bg) >= 4.5, f"{name}.{field} {colour} on {bg}"
    assert contrast(p.cursor_fg, p.cursor_bg) >= 4.5


def test_projector_question_text_has_at_least_7_to_1() -> None:
    p = PALETTES["wat-projector"]
    assert contrast(p.question, p.background) >= 7
    for field in TEXT_FIELDS:
        assert contrast(getattr(p, field), p.background) >= 7, field
    assert contrast(p.cursor_fg, p.cursor_bg) >= 7


def test_theme_objects_use_the_palettes() -> None:
    for theme in THEMES:
        p = PALETTES[theme.name]
        assert theme.background == p.background and theme.foreground == p.text
    assert {f.name for f in fields(PALETTES["wat-dark"])} >= set(TEXT_FIELDS)


def test_high_and_medium_differ_without_colour() -> None:
    from wat_tui.lens.risk import Risk
    from wat_tui.ui.widgets.badges import BADGES

    symbols = [BADGES[r][0] for r in Risk]
    words = [BADGES[r][1] for r in Risk]
    assert len(set(symbols)) == len(symbols) and len(set(words)) == len(words)
