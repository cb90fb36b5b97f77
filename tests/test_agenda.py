"""The agenda planner and its edits: pure functions, so no database and no clock."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from wat_tui.errors import NotFound, WatError
from wat_tui.lens.builtin import GUIDE_DIR, builtin_lens_path
from wat_tui.lens.loader import load_lens
from wat_tui.lens.model import Choice, Lens, Pillar, Question
from wat_tui.review.agenda import (
    Block,
    PlannerSettings,
    add_break,
    apportion,
    block_questions,
    move_block,
    plan_agenda,
    remove_break,
    schedule,
    set_block_minutes,
    total_minutes,
)
from wat_tui.review.workload_types import WorkloadType, presets

TYPES = [wt.id for wt in presets().workload_types]


@cache
def lens(alias: str) -> Lens:
    path = builtin_lens_path(alias)
    assert path is not None
    return load_lens(path, alias)


def wa() -> list[Lens]:
    return [lens("wellarchitected")]


def wt(type_id: str) -> WorkloadType:
    return presets().workload_type(type_id)


def counter_ids() -> Callable[[], str]:
    c = itertools.count()
    return lambda: f"b{next(c)}"


def stretches(blocks: list[Block]) -> list[int]:
    """Minutes of work between breaks (and before the first, after the last)."""
    out = [0]
    for b in blocks:
        if b.kind == "break":
            out.append(0)
        else:
            out[-1] += b.minutes
    return out


# -- totals --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [240, 300, 360, 90, 61, 97, 241, 301, 333, 359, 599])
@pytest.mark.parametrize("type_id", TYPES)
def test_minutes_add_up_exactly(minutes: int, type_id: str) -> None:
    blocks = plan_agenda(minutes, wt(type_id), [lens("wellarchitected"), lens("serverless")])
    assert total_minutes(blocks) == minutes
    assert all(b.minutes >= 5 for b in blocks)
    assert blocks[0].kind == "opening" and blocks[-1].kind == "wrapup"
    assert len({b.id for b in blocks}) == len(blocks)


@settings(max_examples=150, deadline=None)
@given(
    minutes=st.integers(60, 600),
    type_id=st.sampled_from(TYPES),
    aliases=st.lists(st.sampled_from(["wellarchitected", "serverless", "saas"]), min_size=0, max_size=3,
                     unique=True),
)
def test_planner_totals_law(minutes: int, type_id: str, aliases: list[str]) -> None:
    lenses = [lens(a) for a in aliases]
    blocks = plan_agenda(minutes, wt(type_id), lenses)
    assert total_minutes(blocks) == minutes
    assert all(b.minutes >= 5 for b in blocks)
    kinds = [b.kind for b in blocks]
    assert kinds[0] == "opening" and kinds[-1] == "wrapup"
    # one block per pillar of the main lens, one per extra lens
    if lenses:
        assert {b.pillar for b in blocks if b.kind == "pillar"} == {p.id for p in lenses[0].pillars}
        assert [b.lens for b in blocks if b.kind == "lens"] == [x.alias for x in lenses[1:]]
    # no two breaks in a row
    assert all(not (a.kind == b.kind == "break") for a, b in itertools.pairwise(blocks))


def test_short_sessions_shrink_the_minimum_and_too_short_is_refused() -> None:
    blocks = plan_agenda(17, wt("general"), wa())
    assert total_minutes(blocks) == 17
    assert min(b.minutes for b in blocks) >= 1
    # Every duration the input accepts (1 to 1,440 minutes) plans (tests/test_short_sessions.py); none is refused.
    assert total_minutes(plan_agenda(5, wt("general"), wa())) == 5
    with pytest.raises(WatError, match="too short"):
        plan_agenda(0, wt("general"), wa())


def test_no_lens_gives_opening_and_wrapup() -> None:
    blocks = plan_agenda(120, wt("general"), [])
    assert [b.kind for b in blocks] == ["opening", "wrapup"]
    assert total_minutes(blocks) == 120


# -- priorities ----------------------------------------------------------------------------------------------


def pillar_minutes(blocks: list[Block]) -> dict[str, int]:
    return {b.pillar: b.minutes for b in blocks if b.kind == "pillar" and b.pillar}


def others(t: WorkloadType, minutes: dict[str, int]) -> dict[str, int]:
    return {p: m for p, m in minutes.items() if p not in t.primary and p != t.secondary}


def assert_priorities_decide(t: WorkloadType, blocks: list[Block], *, strict: bool = True) -> None:
    """First primary >= second primary >= ... >= secondary > every other pillar (>= when not ``strict``)."""
    m = pillar_minutes(blocks)
    primary = [m[p] for p in t.primary]
    assert all(a >= b for a, b in itertools.pairwise(primary)), m
    assert min(primary) >= m[t.secondary], m
    rest = others(t, m)
    assert all(m[t.secondary] > x if strict else m[t.secondary] >= x for x in rest.values()), m


LENS_SETS = {"wellarchitected": ["wellarchitected"], "with-serverless": ["wellarchitected", "serverless"],
             "with-saas": ["wellarchitected", "saas"]}


@pytest.mark.parametrize("lens_set", LENS_SETS, ids=list(LENS_SETS))
@pytest.mark.parametrize("minutes", [240, 300, 360])
@pytest.mark.parametrize("type_id", TYPES)
def test_priorities_decide_the_time(type_id: str, minutes: int, lens_set: str) -> None:
    t = wt(type_id)
    blocks = plan_agenda(minutes, t, [lens(a) for a in LENS_SETS[lens_set]])
    assert [b.pillar for b in blocks if b.kind == "pillar"] == t.pillar_order()
    assert total_minutes(blocks) == minutes
    assert_priorities_decide(t, blocks)


@settings(max_examples=150, deadline=None)
@given(
    minutes=st.integers(120, 720),
    type_id=st.sampled_from(TYPES),
    extra=st.lists(st.sampled_from(["serverless", "saas"]), max_size=2, unique=True),
)
def test_priorities_decide_the_time_law(minutes: int, type_id: str, extra: list[str]) -> None:
    t = wt(type_id)
    blocks = plan_agenda(minutes, t, [lens("wellarchitected"), *(lens(a) for a in extra)])
    assert total_minutes(blocks) == minutes
    assert_priorities_decide(t, blocks)


@settings(max_examples=100, deadline=None)
@given(minutes=st.integers(17, 119), type_id=st.sampled_from(TYPES),
       extra=st.lists(st.sampled_from(["serverless", "saas"]), max_size=2, unique=True))
def test_short_sessions_never_invert_the_priorities(minutes: int, type_id: str, extra: list[str]) -> None:
    """Too little time for the tiers: the block minimum flattens them into ties, but never inverts them."""
    t = wt(type_id)
    blocks = plan_agenda(minutes, t, [lens("wellarchitected"), *(lens(a) for a in extra)])
    assert total_minutes(blocks) == minutes
    assert_priorities_decide(t, blocks, strict=False)


@pytest.mark.parametrize("minutes", [60, 90])
@pytest.mark.parametrize("type_id", TYPES)
def test_one_and_a_half_hour_sessions_plan_and_keep_the_order(type_id: str, minutes: int) -> None:
    t = wt(type_id)
    alone = plan_agenda(minutes, t, wa())
    assert total_minutes(alone) == minutes and all(b.minutes >= 5 for b in alone)
    assert_priorities_decide(t, alone, strict=minutes >= 90)
    with_lens = plan_agenda(minutes, t, [lens("wellarchitected"), lens("serverless")])
    assert total_minutes(with_lens) == minutes and all(b.minutes >= 5 for b in with_lens)
    assert_priorities_decide(t, with_lens, strict=False)


# The two defects reported from a workshop: the old planner shared time by question count x weight.


def test_critical_ecommerce_gives_the_secondary_more_than_the_other_pillars() -> None:
    """Old planner, 300 min: Performance (secondary, 5 questions) 22 min, Operational Excellence and Cost 24."""
    t = wt("critical-ecommerce")
    m = pillar_minutes(plan_agenda(300, t, wa()))
    assert m["reliability"] >= m["security"] >= m["performance"], m
    for other in ("operationalExcellence", "costOptimization", "sustainability"):
        assert m["performance"] > m[other], m
    assert 40 <= m["performance"] <= 50 and 60 <= m["security"] <= m["reliability"] <= 75, m


def test_public_api_gives_its_first_primary_the_most_time() -> None:
    """Old planner, 300 min: Performance (first primary, 5 questions) 35 min against Reliability's 90."""
    t = wt("public-api")
    m = pillar_minutes(plan_agenda(300, t, wa()))
    assert m["performance"] >= m["reliability"] >= m["security"], m
    assert all(m["security"] > x for x in others(t, m).values()), m
    assert 60 <= m["reliability"] <= m["performance"] <= 75, m


def test_question_counts_split_time_only_within_a_tier() -> None:
    t = wt("startup-mvp")  # primary cost (11 questions), performance (5); secondary reliability; rest other
    m = pillar_minutes(plan_agenda(360, t, wa()))
    # operational excellence (11 questions) and sustainability (6) are both "other": more questions, more time
    assert m["operationalExcellence"] > m["sustainability"]
    spread = PlannerSettings().question_spread
    tier = [m[p] for p in others(t, m)]
    even = sum(tier) / len(tier)
    assert all(abs(x - even) <= spread * even + 1 for x in tier), m

    # however lopsided the question counts, they never move time across tiers
    def q(i: str, pillar: str) -> Question:
        return Question(i, i, "", (Choice(f"{i}_a", "a"),), (), pillar)

    def pillar(pid: str, n: int) -> Pillar:
        return Pillar(pid, pid, tuple(q(f"{pid}{i}", pid) for i in range(n)))

    lopsided = Lens("lop", "Lopsided", "1", "", "h", (
        pillar("costOptimization", 1), pillar("performance", 30), pillar("reliability", 1),
        pillar("operationalExcellence", 40), pillar("security", 1),
    ))
    blocks = plan_agenda(300, t, [lopsided])
    assert_priorities_decide(t, blocks)
    m = pillar_minutes(blocks)
    assert m["costOptimization"] >= m["performance"]  # the first primary, whatever its question count


def test_primaries_whose_question_counts_disagree_with_their_order_share_equally() -> None:
    t = wt("public-api")  # performance (5 questions) before reliability (13)
    m = pillar_minutes(plan_agenda(300, t, wa()))
    assert m["performance"] - m["reliability"] in (0, 1)
    t = wt("critical-ecommerce")  # reliability (13) before security (11): counts agree, so reliability gets more
    m = pillar_minutes(plan_agenda(300, t, wa()))
    assert m["reliability"] > m["security"]


# -- the guides quote the same numbers -----------------------------------------------------------------------

GUIDE_ROWS = {"Primary pillar": "primary", "Secondary pillar": "secondary", "Other pillars": "other"}


def guide_table(name: str) -> list[list[str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse((GUIDE_DIR / name).read_text(encoding="utf-8"))
    rows: list[list[str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            rows[-1].append(tok.content)
    return rows


def test_the_running_the_room_timebox_table_matches_the_planner() -> None:
    """Every preset with two primary pillars (the seed's six), in the guide's five-hour session with the
    Well-Architected lens alone, gives every pillar minutes within the guide's range for its tier."""
    header, *rows = guide_table("03-running-the-room.md")
    hours = re.search(r"(\d+)-hour session", header[1])
    assert hours, header
    ranges = {}
    for label, text in rows:
        found = re.fullmatch(r"(\d+)-(\d+) minutes( each)?", text)
        assert found and label in GUIDE_ROWS, (label, text)
        ranges[GUIDE_ROWS[label]] = (int(found[1]), int(found[2]))
    assert set(ranges) == set(GUIDE_ROWS.values())
    two_primaries = [wt(i) for i in TYPES if len(wt(i).primary) == 2]
    assert len(two_primaries) >= 6
    for t in two_primaries:
        m = pillar_minutes(plan_agenda(int(hours[1]) * 60, t, wa()))
        for p, minutes in m.items():
            tier = "primary" if p in t.primary else "secondary" if p == t.secondary else "other"
            low, high = ranges[tier]
            assert low <= minutes <= high, (t.id, p, minutes, ranges[tier])


def test_the_lenses_guide_quotes_the_planner_lens_minutes() -> None:
    text = (GUIDE_DIR / "06-lenses.md").read_text(encoding="utf-8")
    found = re.search(r"(\d+)-(\d+) extra minutes per lens", text)
    assert found, "06-lenses.md no longer quotes the minutes per lens"
    shares = presets().planner
    low, high = shares.lens_minutes
    assert (int(found[1]), int(found[2])) == (low, high)
    percents = re.search(r"extra lens one block.*?: (\d+)% of the review time.*?at\s+most (\d+)% of it", text, re.S)
    assert percents, "06-lenses.md no longer quotes the lens shares"
    assert (int(percents[1]), int(percents[2])) == (round(shares.lens_share * 100),
                                                     round(shares.lens_max_share * 100))
    for minutes in (240, 300, 360, 480):
        for extra in ("serverless", "saas"):
            blocks = plan_agenda(minutes, wt("general"), [lens("wellarchitected"), lens(extra)])
            assert [low <= b.minutes <= high for b in blocks if b.kind == "lens"] == [True], minutes


def test_extra_lenses_take_their_share_before_the_pillars() -> None:
    s = PlannerSettings()
    for minutes in (120, 240, 300, 360, 600):
        alone = plan_agenda(minutes, wt("financial"), wa())
        both = plan_agenda(minutes, wt("financial"), [lens("wellarchitected"), lens("serverless"), lens("saas")])
        review = sum(b.minutes for b in both if b.kind in ("pillar", "lens"))
        lens_minutes = [b.minutes for b in both if b.kind == "lens"]
        assert len(lens_minutes) == 2 and max(lens_minutes) - min(lens_minutes) <= 1  # one share each
        assert sum(lens_minutes) <= s.lens_max_share * review + 2
        assert all(m <= s.lens_max_minutes for m in lens_minutes)
        # the pillars share what the lenses leave, in the same order of priority
        a, b = pillar_minutes(alone), pillar_minutes(both)
        assert all(b[p] <= a[p] for p in a)
        assert_priorities_decide(wt("financial"), both, strict=minutes >= 120)


def test_unknown_pillars_of_a_custom_lens_come_last_in_lens_order() -> None:
    def q(i: str, pillar: str) -> Question:
        return Question(i, i, "", (Choice(f"{i}_a", "a"),), (), pillar)

    custom = Lens("custom", "Custom", "1", "", "h", (
        Pillar("zeta", "Zeta", (q("z1", "zeta"),)),
        Pillar("security", "Security", (q("s1", "security"), q("s2", "security"))),
        Pillar("alpha", "Alpha", (q("a1", "alpha"),)),
        Pillar("empty", "Empty", ()),
    ))
    blocks = plan_agenda(120, wt("financial"), [custom])
    assert [b.pillar for b in blocks if b.kind == "pillar"] == ["security", "zeta", "alpha"]


# -- breaks --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("type_id", TYPES)
@pytest.mark.parametrize(("minutes", "short", "long"), [(240, 2, 0), (300, 2, 0), (301, 1, 1), (360, 2, 1),
                                                       (90, 0, 0), (129, 0, 0), (130, 1, 0)])
def test_breaks_about_every_90_minutes_and_a_long_one_over_5_hours(type_id: str, minutes: int, short: int,
                                                                   long: int) -> None:
    blocks = plan_agenda(minutes, wt(type_id), [lens("wellarchitected"), lens("serverless")])
    breaks = [b for b in blocks if b.kind == "break"]
    assert sum(1 for b in breaks if b.minutes == 10) == short
    assert sum(1 for b in breaks if b.minutes == 30) == long
    work = stretches(blocks)
    assert all(w >= 30 for w in work), work
    if not breaks:  # a break needs 90 min of work before it and 30 after
        assert minutes < 90 + 10 + 30
    # a pillar is never split, so a stretch can exceed 90 min by at most one block
    largest = max(b.minutes for b in blocks if b.kind != "break")
    assert all(w <= 90 + largest for w in work) or not breaks, work
    # and no other choice of boundaries gives more even stretches
    sizes = [b.minutes for b in blocks if b.kind != "break"]
    cum = list(itertools.accumulate(sizes))[:-1]
    total = sum(sizes)

    def cost(cuts: tuple[int, ...]) -> float:
        edges = [0, *(cum[c] for c in cuts), total]
        parts = [b - a for a, b in itertools.pairwise(edges)]
        return sum(p * p for p in parts) if min(parts) >= 30 else float("inf")

    best = min(cost(c) for c in itertools.combinations(range(len(cum)), len(breaks)))
    assert sum(w * w for w in work) == best
    if long:
        # the long break is the one nearest the middle of the work
        done, positions = 0, {}
        for b in blocks:
            if b.kind == "break":
                positions[b.id] = done
            else:
                done += b.minutes
        middle = sum(work) / 2
        nearest = min(positions, key=lambda k: abs(positions[k] - middle))
        assert next(b for b in breaks if b.id == nearest).minutes == 30


def test_settings_are_respected() -> None:
    framed = plan_agenda(300, wt("general"), wa(), PlannerSettings(opening_minutes=30, wrapup_minutes=15))
    assert framed[0].minutes == 30 and framed[-1].minutes == 15 and total_minutes(framed) == 300
    # in a short session the opening is cut to an eighth of the working time
    assert plan_agenda(90, wt("general"), wa(), PlannerSettings(opening_minutes=30))[0].minutes == 90 // 8

    s = PlannerSettings(break_every_minutes=60, break_minutes=15, long_break_minutes=45,
                        long_break_over_minutes=240)
    blocks = plan_agenda(300, wt("general"), [lens("wellarchitected"), lens("saas")], s)
    assert total_minutes(blocks) == 300
    breaks = [b.minutes for b in blocks if b.kind == "break"]
    assert breaks.count(45) == 1 and set(breaks) == {15, 45}
    assert len(breaks) > len([b for b in plan_agenda(300, wt("general"), wa()) if b.kind == "break"])

    none = plan_agenda(300, wt("general"), wa(), PlannerSettings(breaks=False))
    assert all(b.kind != "break" for b in none) and total_minutes(none) == 300

    flat = plan_agenda(360, wt("general"), wa(), PlannerSettings(primary_weight=1, secondary_weight=1,
                                                                   question_spread=0))
    assert len({b.minutes for b in flat if b.kind == "pillar"}) <= 2  # equal, give or take the rounding
    by_count = plan_agenda(360, wt("startup-mvp"), wa(), PlannerSettings(question_spread=0.9))
    per_q = [b.minutes / len(block_questions(b, wa())) for b in by_count
             if b.pillar in ("operationalExcellence", "security", "sustainability")]  # the "other" tier
    assert max(per_q) - min(per_q) < 0.3  # a wide spread: within a tier, time follows the question counts
    lens_time = PlannerSettings(lens_share=0.5, lens_min_minutes=10, lens_max_minutes=100, lens_max_share=0.25)
    blocks = plan_agenda(300, wt("general"), [lens("wellarchitected"), lens("saas")], lens_time)
    assert [b.minutes for b in blocks if b.kind == "lens"] == [60]  # 0.5 of 240 capped to a quarter

    floor = plan_agenda(90, wt("general"), wa(), PlannerSettings(min_block_minutes=8))
    assert min(b.minutes for b in floor) >= 8


# -- apportioning --------------------------------------------------------------------------------------------


@given(
    weights=st.lists(st.floats(0.1, 100), min_size=1, max_size=12),
    minimum=st.integers(0, 6),
    extra=st.integers(0, 500),
)
def test_apportion_law(weights: list[float], minimum: int, extra: int) -> None:
    total = minimum * len(weights) + extra
    shares = apportion(total, weights, minimum)
    assert sum(shares) == total
    assert all(s >= minimum for s in shares)
    for (wa_, sa), (wb, sb) in itertools.permutations(zip(weights, shares, strict=True), 2):
        if wa_ > wb:
            assert sa >= sb


# -- edits ---------------------------------------------------------------------------------------------------


def plan() -> list[Block]:
    return plan_agenda(300, wt("financial"), [lens("wellarchitected"), lens("serverless")],
                       new_id=counter_ids())


def test_schedule_recomputes_from_the_start_time() -> None:
    blocks = plan()
    start = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    rows = schedule(blocks, start)
    assert rows[0].start == start and rows[-1].end == start + timedelta(minutes=300)
    assert all(a.end == b.start for a, b in itertools.pairwise(rows))
    moved = move_block(blocks, blocks[-2].id, 1)
    rows2 = schedule(moved, start)
    assert rows2[1].block.id == blocks[-2].id
    assert rows2[2].start == start + timedelta(minutes=blocks[0].minutes + blocks[-2].minutes)
    assert rows2[-1].end == rows[-1].end


def test_move_block_clamps_and_rejects_unknown_ids() -> None:
    blocks = plan()
    assert move_block(blocks, blocks[0].id, 99)[-1].id == blocks[0].id
    assert move_block(blocks, blocks[-1].id, -3)[0].id == blocks[-1].id
    with pytest.raises(NotFound):
        move_block(blocks, "nope", 0)


def test_changing_a_duration_keeps_the_end_by_rebalancing_pillar_and_lens_blocks() -> None:
    blocks = plan()
    target = next(b for b in blocks if b.kind == "pillar")
    edited = set_block_minutes(blocks, target.id, target.minutes + 20)
    assert total_minutes(edited) == total_minutes(blocks)
    by_id = {b.id: b for b in edited}
    assert by_id[target.id].minutes == target.minutes + 20
    for b in blocks:
        if b.kind in ("opening", "wrapup", "break"):
            assert by_id[b.id].minutes == b.minutes
        elif b.id != target.id:
            assert by_id[b.id].minutes <= b.minutes
    start = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    assert schedule(edited, start)[-1].end == schedule(blocks, start)[-1].end


def test_changing_a_duration_without_keep_end_moves_the_end() -> None:
    blocks = plan()
    opening = blocks[0]
    edited = set_block_minutes(blocks, opening.id, opening.minutes + 15, keep_end=False)
    assert total_minutes(edited) == total_minutes(blocks) + 15
    assert [b.minutes for b in edited[1:]] == [b.minutes for b in blocks[1:]]
    start = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    assert schedule(edited, start)[-1].end == schedule(blocks, start)[-1].end + timedelta(minutes=15)


def test_impossible_rebalance_is_refused_and_bad_minutes_too() -> None:
    blocks = plan()
    with pytest.raises(WatError, match="not enough time"):
        set_block_minutes(blocks, blocks[0].id, 290)
    with pytest.raises(WatError, match="at least 1 minute"):
        set_block_minutes(blocks, blocks[0].id, 0)


def test_add_and_remove_breaks() -> None:
    blocks = plan()
    after = blocks[3].id
    added, bid = add_break(blocks, after, 15, new_id=lambda: "new-break")
    assert bid == "new-break"
    assert [b.id for b in added].index(bid) == 4
    assert total_minutes(added) == total_minutes(blocks)
    removed = remove_break(added, bid)
    assert bid not in {b.id for b in removed}
    assert total_minutes(removed) == total_minutes(blocks)
    longer, bid2 = add_break(blocks, None, 5, keep_end=False)
    assert longer[0].id == bid2 and total_minutes(longer) == total_minutes(blocks) + 5
    shorter = remove_break(longer, bid2, keep_end=False)
    assert shorter == blocks
    with pytest.raises(WatError, match="not a break"):
        remove_break(blocks, blocks[0].id)


@settings(max_examples=80, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 90)), min_size=1, max_size=12))
def test_keep_end_edits_never_change_the_total(edits: list[tuple[int, int]]) -> None:
    blocks = plan()
    total = total_minutes(blocks)
    for index, minutes in edits:
        target = blocks[index % len(blocks)]
        try:
            blocks = set_block_minutes(blocks, target.id, minutes)
        except WatError:
            continue
        assert total_minutes(blocks) == total
        assert all(b.minutes >= 1 for b in blocks)


def test_block_round_trip_and_bad_stored_blocks() -> None:
    for b in plan():
        assert Block.from_dict(b.to_dict(), "here") == b
    good = plan()[1].to_dict()
    for bad, message in [
        ([], "expected an object"),
        (dict(good, kind="lunch"), "unknown block kind"),
        (dict(good, minutes=-1), "minutes"),
        (dict(good, minutes="5"), "minutes"),
        (dict(good, title=None), "title must be text"),
        (dict(good, lens=3), "lens must be text or null"),
    ]:
        with pytest.raises(WatError, match=f"agenda\\[2\\]: {message}"):
            Block.from_dict(bad, "agenda[2]")


# -- what an edit did, and breaks ----------------------------------------------------------------------------


def test_an_edit_says_which_other_blocks_moved() -> None:
    from wat_tui.review.agenda import Block, describe_changes, set_block_minutes

    blocks = [Block("o", "opening", "Opening", 20), Block("r", "pillar", "Reliability", 60, "reliability", "wa"),
              Block("s", "pillar", "Security", 40, "security", "wa"), Block("c", "pillar", "Cost", 20, "cost", "wa")]
    after = set_block_minutes(blocks, "r", 70)
    # the ten minutes come from the other pillars, in proportion to their length; the end stays
    assert describe_changes(blocks, after, edited="r") == ["Security 40 → 33 min", "Cost 20 → 17 min"]
    assert describe_changes(blocks, set_block_minutes(blocks, "r", 70, keep_end=False), edited="r") == [
        "the end moves later by 10 min"]
    assert describe_changes(blocks, blocks) == []


def test_more_than_two_hours_without_a_break_is_warned() -> None:
    from wat_tui.review.agenda import Block, break_warning, longest_without_break, move_block

    blocks = [Block("r", "pillar", "Reliability", 70, "reliability", "wa"), Block("b", "break", "Break", 10),
              Block("s", "pillar", "Security", 60, "security", "wa"), Block("p", "pillar", "Performance", 40,
                                                                            "performance", "wa")]
    assert longest_without_break(blocks)[0] == 100 and break_warning(blocks) is None
    moved = move_block(blocks, "b", 0)  # the break first: the three pillars run on for 170 minutes
    assert longest_without_break(moved)[0] == 170
    warning = break_warning(moved)
    assert warning is not None and warning.startswith("2h50m without a break, from Reliability to Performance")
