"""The help (F1) names keys as a person reads them, never by Textual's internal names ("equals_sign")."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from wat_tui.ui.app import WatApp
from wat_tui.ui.screens.board import BoardScreen
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.keybar import key_name
from wat_tui.ui.widgets.question import QuestionPane


@pytest.mark.parametrize(("key", "shown"), [
    ("equals_sign", "="), ("minus", "-"), ("plus,equals_sign", "+, ="), ("ctrl+z", "Ctrl+Z"),
    ("ctrl+q,q", "Ctrl+Q, q"), ("f2", "F2"), ("question_mark,f1", "?, F1"), ("space", "Space"),
    ("escape", "Esc"), ("enter", "Enter"), ("pageup", "PgUp"), ("x", "x"), ("N", "N"),
])
def test_key_names(key: str, shown: str) -> None:
    assert key_name(key) == shown


@pytest.mark.parametrize("owner", [WorkspaceScreen, WatApp, QuestionPane, BoardScreen])
def test_no_key_the_help_lists_shows_an_internal_name(owner: type) -> None:
    for b in owner.BINDINGS:
        key = b.key if isinstance(b, Binding) else b[0]
        assert "_" not in key_name(key), (owner.__name__, key, key_name(key))


def test_the_key_bar_names_keys_short_and_readable() -> None:
    from wat_tui.ui.widgets.keybar import _key_name

    shown = {b.key: _key_name(b) for b in (Binding("escape", "x", "Back"), Binding("ctrl+z", "x", "Undo"),
                                           Binding("f1", "x", "Help"), Binding("equals_sign", "x", "Confirm"),
                                           Binding("left_square_bracket", "x", "Earlier", key_display="["),
                                           Binding("n", "x", "Next"), Binding("question_mark,f1", "x", "Help"))}
    assert shown == {"escape": "Esc", "ctrl+z": "^z", "f1": "F1", "equals_sign": "=", "left_square_bracket": "[",
                     "n": "n", "question_mark,f1": "?"}
