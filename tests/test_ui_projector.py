"""Issue 13: the workspace at a projector's size (100x28) and a small terminal's (80x24), and agenda edits that say
what they moved.

Each test reads the words on screen at a size, not only a picture: what the back row must be able to read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui_support import demo_app, running_clock_app
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.ui.app import WatApp
from wat_tui.ui.screens.agenda import AgendaScreen

SMALL, PROJECTOR, LAPTOP = (80, 24), (100, 28), (120, 36)


def screen_text(app: WatApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# -- agenda edits -----------------------------------------------------------------------------------------------

async def test_an_agenda_edit_says_which_other_blocks_it_moved(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=LAPTOP) as pilot:
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("down", "plus")  # Reliability 60 -> 65: later pillars give up the 5 minutes
        await pilot.pause()
        changes = str(app.screen.query_one("#agenda-changes").render())
        assert "Reliability 60 → 65 min" in changes
        others = changes.split("Reliability 60 → 65 min", 1)[1]
        assert "also:" in others and "→" in others, "no other block said to move"


async def test_a_move_that_leaves_over_two_hours_without_a_break_warns_and_asks_before_leaving(
        data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=LAPTOP) as pilot:
        await pilot.press("A")
        await pilot.pause()
        # The demo's first break sits between Reliability (60 min) and Security (51 min): moving it below
        # Security leaves Opening, Reliability and Security (2h11m) in one stretch.
        await pilot.press("down", "down", "d")
        await pilot.pause()
        warning = str(app.screen.query_one("#agenda-warning").render())
        assert "2h11m without a break" in warning
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen), "left with the warning unread"
        assert "Esc again" in str(app.screen.query_one("#agenda-warning").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AgendaScreen)
    review = Review.open(data_dir)
    try:
        kinds = [b.kind for b in tk.stored_agenda(review, sid) or []]
    finally:
        review.close()
    assert kinds[:4] == ["opening", "pillar", "pillar", "break"]


async def test_the_agenda_leaves_at_once_when_every_stretch_has_a_break(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=LAPTOP) as pilot:
        await pilot.press("A")
        await pilot.pause()
        assert not str(app.screen.query_one("#agenda-warning").render()).strip()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AgendaScreen)


# -- the workspace at each size ---------------------------------------------------------------------------------

def lines_at(app: WatApp) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", [SMALL, PROJECTOR, LAPTOP], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_key_bar_is_never_cut(data_dir: Path, size: tuple[int, int]) -> None:
    app, _ = demo_app(data_dir, theme="wat-projector")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        keys = lines_at(app)[-1]
        assert "…" not in keys and len(keys) <= size[0]
        # The room's first keys stay, and help (which lists every key) is always there.
        for hint in ("n Next", "N Next pillar", "F1 Help"):
            assert hint in keys
        assert "ctrl+q" not in keys  # keys are written short (^q), leaving room for words


PACE_WORDS = ("behind", "ahead", "on pace", "pace:")


@pytest.mark.parametrize("size", [SMALL, PROJECTOR, LAPTOP], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_clock_bar_keeps_block_time_left_and_pace(data_dir: Path, size: tuple[int, int]) -> None:
    app = running_clock_app(data_dir, "wat-projector", minutes=95)
    async with app.run_test(size=size) as pilot:
        await pilot.press("P", "P")  # to Reliability: the clock follows the room into its block
        await pilot.pause()
        top = lines_at(app)[0]
        assert "Reliability" in top and " left" in top and any(w in top for w in PACE_WORDS)
        assert "…" not in top.split("│")[-1]


@pytest.mark.parametrize("size", [SMALL, PROJECTOR, LAPTOP], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_an_overrun_block_still_says_the_pace(data_dir: Path, size: tuple[int, int]) -> None:
    """Over time the bar says what to do, and still whether the room is behind: shortened, never dropped."""
    app = running_clock_app(data_dir, "wat-projector", minutes=95)  # the 20-minute opening is 75 minutes over
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        top = lines_at(app)[0]
        assert "⚠ Opening +1:15:00" in top and ("move on?" in top or "park" in top)
        assert top.rstrip().endswith("▼ behind 75 min")


def test_the_longest_clock_bar_fits_beside_the_session_name_at_80_columns() -> None:
    """Paused, a long block over time, questions to park, far behind: every part is said, shortened, in the 70
    columns an 80-column terminal leaves beside the session's name (six columns and the paddings)."""
    from datetime import UTC, datetime, timedelta

    from wat_tui.review.agenda import Block
    from wat_tui.review.clock import ClockStrip
    from wat_tui.ui.clocktext import strip_text
    from wat_tui.ui.themes import PALETTES

    now = datetime(2026, 11, 27, 14, 5, tzinfo=UTC)
    block = Block("ops", "pillar", "Operational Excellence", 20)
    cs = ClockStrip(now, "paused", 2 * 3600 + 35 * 60, 5 * 3600, 125 * 60, now + timedelta(hours=4), block,
                    -(62 * 60 + 5), None, None, None, ("a/q1", "a/q2", "a/q3"))
    words = strip_text(cs, PALETTES["wat-projector"], 80).plain
    assert len(words) <= 70, words
    for part in ("PAUSED", "2:35", "⚠ Operat", "+1:02:05", "park 3", "behind 125 min"):
        assert part in words, (part, words)


# -- the outline ------------------------------------------------------------------------------------------------

def outline_lines(app: WatApp) -> list[str]:
    from wat_tui.ui.widgets.nav import NavTree

    nav = app.screen.query_one(NavTree).region
    return [line[nav.x:nav.right] for line in lines_at(app)[nav.y:nav.bottom]]


def pillar_counts(app: WatApp) -> list[tuple[str, str]]:
    """Each pillar's name and the counts its outline line must end with ("12/13 ▲2 ●7"), in outline order."""
    from wat_tui.lens.risk import Risk

    state = app.screen.state  # type: ignore[attr-defined]
    out = []
    for lens in state.lenses:
        for pillar in lens.pillars:
            risks = [state.risk(lens, q) for q in pillar.questions]
            words = [f"{sum(r is not Risk.UNANSWERED for r in risks)}/{len(risks)}"]
            words += [f"{mark}{n}" for mark, n in (("▲", risks.count(Risk.HIGH)), ("●", risks.count(Risk.MEDIUM)))
                      if n]
            out.append((pillar.name, " ".join(words)))
    return out


@pytest.mark.parametrize("size", [SMALL, PROJECTOR, LAPTOP], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_outline_never_cuts_a_pillars_risk_counts(data_dir: Path, size: tuple[int, int]) -> None:
    """Reported at 120 columns: "Operational Excellence 2/11 ▲" lost its count of high risks off the edge."""
    from wat_tui.ui.widgets.nav import NavTree

    app, _ = demo_app(data_dir, theme="wat-projector")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        expected = pillar_counts(app)
        seen = 0
        for line in outline_lines(app):
            if not line.startswith(("  ▸ ", "  ▾ ")):  # pillars sit one level in, with their open/closed mark
                continue
            name = line[4:].rstrip("▕▏▎▍▌▋▊▉█ ")
            while expected and not name.startswith(expected[0][0][:6]):
                expected.pop(0)  # a pillar scrolled out of sight
            pillar, counts = expected.pop(0)
            seen += 1
            assert name.endswith(" " + counts), (line, counts)
            assert name.startswith(pillar) or "…" in name, line
        assert seen >= 6
        # Everything fits, so the outline never scrolls sideways (its scrollbar took a line the room can use).
        assert not app.screen.query_one(NavTree).show_horizontal_scrollbar


@pytest.mark.parametrize("size", [SMALL, PROJECTOR], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_outline_says_how_many_notes_and_actions_the_question_has(
        data_dir: Path, size: tuple[int, int]) -> None:
    """Below 110 columns the notes pane hides: the outline says what it holds and the key that shows it."""
    app, _ = demo_app(data_dir, theme="wat-projector")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "0 notes · 0 actions (v)" in "\n".join(outline_lines(app))
        await pilot.press("P", "P")  # the demo's first reliability question: one note, one action item
        await pilot.pause()
        assert "1 note · 1 action (v)" in "\n".join(outline_lines(app))
        await pilot.press("v")
        await pilot.pause()
        assert "Notes (1)" in screen_text(app)


async def test_a_parked_question_is_marked_in_words_in_the_outline(data_dir: Path) -> None:
    """The marker reads without colour: an arrow and the word, on the question's own line."""
    from wat_tui.ui.widgets.nav import NavTree

    app, _ = demo_app(data_dir, theme="wat-projector")
    async with app.run_test(size=PROJECTOR) as pilot:
        await pilot.pause()
        screen: Any = app.screen
        nav = screen.query_one(NavTree)
        # What the workspace does with the session clock's parking lot (clock.timeline.parked).
        nav.parked = frozenset({"wellarchitected/data-classification"})
        nav.refresh_labels(screen.state, screen.palette, "wellarchitected/data-classification")
        await pilot.pause()
        line = next(x for x in outline_lines(app) if "SEC07" in x)
        assert "⇢ parked" in line
        assert not any("parked" in x for x in outline_lines(app) if "SEC08" in x)


@pytest.mark.parametrize("size", [SMALL, PROJECTOR], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("key", ["wellarchitected/dev-integ", "wellarchitected/cloud-financial-management"],
                         ids=["most-practices", "longest-practices"])
async def test_the_question_and_every_practice_with_its_tick_are_on_screen(
        data_dir: Path, size: tuple[int, int], key: str) -> None:
    """The demo's question with the most practices (OPS05, ten and "None of these") and the one with the longest
    (COST01) fit without scrolling: the room sees every box."""
    app, _ = demo_app(data_dir, theme="wat-projector")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen: Any = app.screen
        screen.go_to_key(key)
        await pilot.pause()
        lens, question = screen.current
        text = screen_text(app)
        practices = [c for c in question.choices if not c.is_none_choice]
        for i in range(len(practices)):
            assert any(f"{(i + 1) % 10} [ ]" in line or f"{(i + 1) % 10} [✓]" in line for line in text.splitlines()), i
        assert "- [ ]" in text or "- [✓]" in text  # None of these
        assert question.label in text and question.title.split()[0] in text


async def test_a_resized_terminal_fits_the_key_bar_and_the_outline_again(data_dir: Path) -> None:
    """A laptop plugged into the projector mid-workshop: 120 columns become 100, and nothing is cut."""
    from wat_tui.ui.widgets.nav import NavTree

    app, _ = demo_app(data_dir, theme="wat-projector")
    async with app.run_test(size=LAPTOP) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(*PROJECTOR)
        await pilot.pause()
        keys = lines_at(app)[-1]
        assert "…" not in keys and "F1 Help" in keys
        assert any("Reliabili… 12/13 ▲2 ●7" in line for line in outline_lines(app))
        assert not app.screen.query_one(NavTree).show_horizontal_scrollbar
