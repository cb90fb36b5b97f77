"""Preparation and follow-up rhythm: the invitation pack, the agenda on paper, the follow-up meeting and the
review cadence (review/preparation.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.test_analysis import COST01, REL01, SEC01, WA, select, workshop
from wat_tui.errors import WatError
from wat_tui.review.agenda import Block, plan_agenda
from wat_tui.review.analysis import Analysis
from wat_tui.review.preparation import (
    DUE_WINDOW_DAYS,
    FOLLOWUP_MAX,
    FOLLOWUP_MIN,
    ROLE_BRINGS,
    agenda_markdown,
    cadence_dates,
    due_status,
    followup_plan,
    invitation_pack,
)
from wat_tui.review.service import Review
from wat_tui.review.state import ROLES
from wat_tui.review.workload_types import presets

STRICT = MarkdownIt("commonmark").enable("table")
START = datetime(2027, 1, 12, 9, 0)


def headings(md: str) -> list[tuple[int, str]]:
    tokens = STRICT.parse(md)
    return [(int(t.tag[1:]), tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def inline_tokens(md: str) -> list[Token]:
    return [c for t in STRICT.parse(md) if t.type == "inline" for c in (t.children or [])]


def assert_no_markup_from_text(md: str) -> None:
    tokens = STRICT.parse(md)
    assert not any(t.type in ("html_block", "html_inline", "blockquote_open", "code_block", "fence",
                              "ordered_list_open", "hr") for t in tokens)
    assert not any(c.type in ("html_inline", "link_open", "image", "em_open", "strong_open", "code_inline")
                   for c in inline_tokens(md))


def test_every_role_has_something_to_bring() -> None:
    assert set(ROLE_BRINGS) == set(ROLES)
    assert all(ROLE_BRINGS[r] for r in ROLES)


def test_agenda_with_times_and_without(review: Review) -> None:
    sid, state = workshop(review)
    blocks = plan_agenda(300, presets().workload_type("financial"), state.lenses)
    md = agenda_markdown(blocks, START)
    assert headings(md) == [(1, "Agenda")]
    rendered = STRICT.render(md)
    assert "<td>09:00</td>" in rendered and "ends 14:00 (5h in all)" in md
    assert md.count("\n| ") == len(blocks) + 1
    bare = agenda_markdown(blocks, None, level=2)
    assert headings(bare) == [(2, "Agenda")] and "09:00" not in bare and "start time is not set" in bare
    late = agenda_markdown([Block("a", "opening", "Late", 120)], datetime(2027, 1, 12, 23, 0))
    assert "2027-01-13 01:00" in late


def test_invitation_pack(review: Review) -> None:
    sid, _ = workshop(review)
    review.set_participant(sid, "Cy", "Security specialist", "cy@example.com")
    state = review.state(sid)
    wt = presets().workload_type(state.workload_type)
    blocks = plan_agenda(state.planned_minutes, wt, state.lenses)
    md = invitation_pack(state, blocks, START, wt)
    heads = headings(md)
    assert heads[0] == (1, "Invitation: Payments")
    assert [h for lvl, h in heads if lvl == 2] == ["The workload", "Who is coming", "Agenda", "What to bring",
                                                   "Read ahead"]
    assert [h for lvl, h in heads if lvl == 3] == [
        "Facilitator: Ana", "Workload owner: Bo", "Security specialist: Cy", "Security", "Reliability"]
    levels = [lvl for lvl, _ in heads]
    assert levels.count(1) == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert "Roles nobody holds yet: Operations engineer" in md and "Finance representative" in md
    assert "Security specialist (" not in md.split("Roles nobody holds yet")[1]
    assert "architecture diagram" in md and "incident" in md.lower()
    lens = state.lens(WA)
    assert lens is not None
    sec = lens.pillar("security")
    assert sec is not None
    assert all(f"- {q.label}: " in md for q in sec.questions)
    assert "OPS01" not in md  # operational excellence is no primary pillar of a financial application
    assert "09:00" in md and "Financial application" in md


HOSTILE = "<img src=x onerror=alert(1)> *Eve* [x](http://e.com)\n# Boss\n> quote\n1. one `code` ![i](j)"


def test_hostile_names_stay_text(review: Review) -> None:
    sid = review.create_session(HOSTILE, workload=HOSTILE, workload_type="general")
    review.set_participant(sid, HOSTILE, "Workload owner")
    review.set_participant(sid, "- dash", "Other")
    review.add_note(sid, f"{WA}/securely-operate", HOSTILE, HOSTILE)
    state = review.state(sid)
    wt = presets().workload_type("general")
    blocks = [Block("b1", "opening", HOSTILE, 30), *plan_agenda(60, wt, state.lenses)]
    for md in (invitation_pack(state, blocks, START, wt), invitation_pack(state, blocks, None, wt),
               agenda_markdown(blocks, START)):
        assert_no_markup_from_text(md)
        assert all(not content.startswith("Boss") for _, content in headings(md))
        assert "\x1b" not in md
    md = invitation_pack(state, blocks, START, wt)
    assert headings(md)[0][0] == 1 and sum(1 for lvl, _ in headings(md) if lvl == 1) == 1
    assert "&lt;img src=x onerror=alert(1)&gt;" in STRICT.render(md)


@given(st.text(max_size=40), st.text(max_size=40))
@settings(max_examples=50, deadline=None)
def test_agenda_titles_never_break_the_table(title: str, other: str) -> None:
    blocks = [Block("a", "opening", title, 10), Block("b", "pillar", other, 20)]
    md = agenda_markdown(blocks, START)
    tokens = STRICT.parse(md)
    assert [t.type for t in tokens].count("tr_open") == 3
    assert headings(md) == [(1, "Agenda")]


def test_cadence_dates_follow_the_presets() -> None:
    day = date(2026, 12, 1)
    assert cadence_dates(day, "critical") == (day + timedelta(days=90), day + timedelta(days=30))
    assert cadence_dates(day, "existing") == (day + timedelta(days=180), None)
    assert cadence_dates(day, "post-incident") == (day + timedelta(days=14), None)
    assert cadence_dates(day, "new") == (day + timedelta(days=90), None)
    for c in presets().cadences:
        full, light = cadence_dates(day, c.id)
        assert (full - day).days == c.next_review_days
        assert light is None or (light - day).days == c.light_review_days
    with pytest.raises(WatError, match="unknown review cadence 'weekly'"):
        cadence_dates(day, "weekly")


def test_due_status() -> None:
    due = date(2027, 3, 1)
    assert due_status(due, due + timedelta(days=1)) == "overdue"
    assert due_status(due, due) == "due"
    assert due_status(due, due - timedelta(days=DUE_WINDOW_DAYS)) == "due"
    assert due_status(due, due - timedelta(days=DUE_WINDOW_DAYS + 1)) == "not yet"


def test_followup_plan_covers_open_risks_and_actions(review: Review) -> None:
    sid, _ = workshop(review)
    review.add_action(sid, "Threat model", owner="Ana", question=SEC01)
    review.add_action(sid, "Quotas", owner="Bo", due="2027-01-01")
    review.add_action(sid, "Unowned")
    review.add_action(sid, "Finished", owner="Ana", status="done")
    state = review.state(sid)
    plan = followup_plan(state, {REL01: Analysis("high", "low")}, "critical")
    assert FOLLOWUP_MIN <= sum(i.minutes for i in plan) <= FOLLOWUP_MAX
    assert plan[0].kind == "opening" and plan[-1].kind == "closing"
    assert "30 days" in plan[-1].title
    risks = [i for i in plan if i.kind == "risks"]
    assert risks[0].title.startswith("Security: 1 high")
    covered = {k for i in risks for k in i.keys}
    assert covered == {SEC01, REL01, COST01}
    actions = [i for i in plan if i.kind == "actions"]
    assert [i.title for i in actions] == ["Open actions owned by Ana (1)", "Open actions owned by Bo (1)",
                                         "Open actions without an owner (1)"]
    assert all(i.minutes >= 3 for i in plan)
    assert "180 days" in followup_plan(state, {}, "existing")[-1].title


def test_followup_plan_with_nothing_open(review: Review) -> None:
    sid = review.create_session("calm")
    plan = followup_plan(review.state(sid), {}, "existing")
    assert [i.kind for i in plan] == ["opening", "risks", "closing"]
    assert sum(i.minutes for i in plan) == FOLLOWUP_MIN


def test_followup_plan_fits_an_hour_however_much_is_open(review: Review) -> None:
    sid, _ = workshop(review)
    state = review.state(sid)
    lens = state.lens(WA)
    assert lens is not None
    for q in lens.questions:  # "None of these" everywhere: every question at high risk
        if q.none_choice and state.risk(lens, q).value not in ("HIGH",):
            select(review, sid, f"{WA}/{q.id}", none=True)
    for i in range(40):
        review.add_action(sid, f"task {i}", owner=f"owner {i}")
    state = review.state(sid)
    plan = followup_plan(state, {}, "critical")
    assert FOLLOWUP_MIN <= sum(i.minutes for i in plan) <= FOLLOWUP_MAX
    assert all(i.minutes >= 3 for i in plan)
    assert "Everything else" in plan[-2].title
    covered = {k for i in plan for k in i.keys}
    assert len([k for k in covered if k.startswith(WA)]) == sum(
        1 for q in lens.questions if review.state(sid).risk(lens, q).value in ("HIGH", "MEDIUM"))
    assert len([k for k in covered if not k.startswith(WA)]) == 40
