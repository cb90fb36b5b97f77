"""Every duration `wat-tui new --duration` accepts (1 minute to 24 hours) plans an agenda and opens in the app.

The planner degrades instead of refusing: an agenda too short for one minute per pillar merges each lens into
one block; too short for an opening and a wrap-up as well, it keeps only the lens blocks that fit.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clocks import QuietWallClock
from wat_tui.cli import main
from wat_tui.errors import WatError
from wat_tui.lens.builtin import builtin_lens_path
from wat_tui.lens.loader import load_lens
from wat_tui.lens.model import Choice, Lens, Pillar, Question
from wat_tui.review import timekeeping as tk
from wat_tui.review.agenda import Block, block_questions, plan_agenda, total_minutes
from wat_tui.review.service import Review
from wat_tui.review.targets import AGENDA_BLOCKS_MAX
from wat_tui.review.workload_types import WorkloadType, presets
from wat_tui.ui.app import build_app
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.nav import NavTree

#: What `wat-tui new --duration` accepts (review/durations.py).
ACCEPTED = range(1, 24 * 60 + 1)
TYPES = [wt.id for wt in presets().workload_types]
LENS_SETS = {"one lens": ("wellarchitected",), "three lenses": ("wellarchitected", "serverless", "saas")}


@cache
def lens(alias: str) -> Lens:
    path = builtin_lens_path(alias)
    assert path is not None
    return load_lens(path, alias)


def lenses(lens_set: str) -> list[Lens]:
    return [lens(a) for a in LENS_SETS[lens_set]]


def wt(type_id: str) -> WorkloadType:
    return presets().workload_type(type_id)


def counter_ids() -> Callable[[], str]:
    c = itertools.count()
    return lambda: f"b{next(c)}"


def wide_lens(pillars: int) -> Lens:
    """A custom lens with many one-question pillars (the pillar count drives the number of blocks)."""
    def question(i: int) -> Question:
        return Question(f"q{i}", f"Question {i}", "", (Choice(f"c{i}", "A practice"),), (), f"p{i}")

    return Lens("wide", "Wide", "1", "", "0" * 64,
                tuple(Pillar(f"p{i}", f"Pillar {i}", (question(i),)) for i in range(pillars)))


def assert_sensible(blocks: Sequence[Block], minutes: int, lens_list: Sequence[Lens]) -> None:
    """The minutes add up, every block lasts a minute or more, ids are unique, the agenda fits a stored one,
    and every question of the main lens has a block (the room can always review the main lens)."""
    assert total_minutes(blocks) == minutes, blocks
    assert all(b.minutes >= 1 for b in blocks), blocks
    assert len({b.id for b in blocks}) == len(blocks)
    assert len(blocks) <= AGENDA_BLOCKS_MAX
    assert not any(a.kind == b.kind == "break" for a, b in itertools.pairwise(blocks))
    if lens_list:
        covered = {(ln.alias, q.id) for b in blocks for ln, q in block_questions(b, lens_list)}
        assert {(lens_list[0].alias, q.id) for q in lens_list[0].questions} <= covered


# -- the planner -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lens_set", LENS_SETS)
def test_every_accepted_duration_plans_an_agenda(lens_set: str) -> None:
    for minutes in ACCEPTED:
        assert_sensible(plan_agenda(minutes, wt("general"), lenses(lens_set), new_id=counter_ids()), minutes,
                        lenses(lens_set))


@pytest.mark.parametrize("lens_set", LENS_SETS)
@pytest.mark.parametrize("type_id", TYPES)
def test_every_short_duration_plans_for_every_workload_type(type_id: str, lens_set: str) -> None:
    """The range where the planner degrades, all of it, for every workload type."""
    for minutes in range(1, 121):
        assert_sensible(plan_agenda(minutes, wt(type_id), lenses(lens_set), new_id=counter_ids()), minutes,
                        lenses(lens_set))


@settings(max_examples=300, deadline=None)
@given(minutes=st.sampled_from(ACCEPTED), type_id=st.sampled_from(TYPES), lens_set=st.sampled_from(list(LENS_SETS)))
def test_planner_law_for_every_accepted_duration(minutes: int, type_id: str, lens_set: str) -> None:
    assert_sensible(plan_agenda(minutes, wt(type_id), lenses(lens_set)), minutes, lenses(lens_set))


@settings(max_examples=150, deadline=None)
@given(minutes=st.sampled_from(ACCEPTED), pillars=st.sampled_from([1, 7, 99, 100]),
       extra=st.lists(st.sampled_from(["serverless", "saas"]), max_size=2, unique=True))
def test_a_lens_with_many_pillars_plans_for_every_duration(minutes: int, pillars: int, extra: list[str]) -> None:
    """Up to the loader's pillar limit: the agenda never needs more minutes, or more blocks, than it has."""
    lens_list = [wide_lens(pillars), *(lens(a) for a in extra)]
    assert_sensible(plan_agenda(minutes, wt("general"), lens_list), minutes, lens_list)


def test_short_sessions_merge_pillars_then_drop_opening_and_wrapup() -> None:
    wa, three = lenses("one lens"), lenses("three lenses")
    # Six pillars and an opening and a wrap-up need 8 minutes: 8 plans them all.
    assert [b.kind for b in plan_agenda(8, wt("general"), wa)] == ["opening", *["pillar"] * 6, "wrapup"]
    # Shorter: the pillars become one block for the lens, between the opening and the wrap-up.
    five = plan_agenda(5, wt("general"), wa)
    assert [(b.kind, b.lens) for b in five] == [("opening", None), ("lens", "wellarchitected"), ("wrapup", None)]
    assert [b.minutes for b in five] == [1, 3, 1]
    # Shorter still: only the lens blocks that fit, the main lens first.
    assert [(b.kind, b.lens, b.minutes) for b in plan_agenda(2, wt("general"), wa)] == [
        ("lens", "wellarchitected", 2)]
    assert [(b.kind, b.lens, b.minutes) for b in plan_agenda(2, wt("general"), three)] == [
        ("lens", "wellarchitected", 1), ("lens", "serverless", 1)]
    assert [(b.kind, b.minutes) for b in plan_agenda(1, wt("general"), three)] == [("lens", 1)]
    # The main lens keeps the larger share when it is merged.
    merged = plan_agenda(9, wt("general"), three)
    assert [b.kind for b in merged] == ["opening", "lens", "lens", "lens", "wrapup"]
    assert merged[1].minutes >= max(merged[2].minutes, merged[3].minutes)


def test_no_lens_and_no_time_still_plans() -> None:
    assert [(b.kind, b.minutes) for b in plan_agenda(1, wt("general"), [])] == [("opening", 1)]
    with pytest.raises(WatError, match="at least 1 min"):
        plan_agenda(0, wt("general"), lenses("one lens"))


# -- through the CLI and the app -------------------------------------------------------------------------------


@pytest.mark.parametrize("duration, minutes", [("1m", 1), ("5m", 5), ("24h", 1440)])
async def test_a_session_of_any_accepted_duration_opens(duration: str, minutes: int, data_dir: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["new", f"Review {duration}", "--duration", duration,
                 "--lens", "wellarchitected", "--lens", "serverless", "--lens", "saas"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    sid = out.strip()
    app = build_app(data_dir, sid, clock=QuietWallClock())
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        blocks = ws.clock.timeline.blocks
        assert total_minutes(blocks) == minutes and all(b.minutes >= 1 for b in blocks)
        # Every question of every lens can be reached, in the agenda's order first.
        assert len(ws.order) == sum(len(x.questions) for x in ws.state.lenses)
        nav = ws.query_one(NavTree)
        assert len(nav.lens_refs()) == 3
        await pilot.press("c")  # start the clock: the proposed agenda is saved
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert ws.current_key == f"{ws.order[1][0].alias}/{ws.order[1][1].id}"
    review = Review.open(data_dir)
    try:
        saved = tk.stored_agenda(review, sid)
        assert saved is not None and total_minutes(saved) == minutes
    finally:
        review.close()
