"""The follow-up phase's record: snapshots of a session and what changed between two (review/compare.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.test_analysis import COST01, OPS01, PERF01, REL01, SEC01, WA, select, workshop
from wat_tui.lens.risk import Risk
from wat_tui.review.analysis import Analysis
from wat_tui.review.compare import (
    ActionAt,
    Move,
    QuestionAt,
    Snapshot,
    SnapshotError,
    compare,
    render_comparison_markdown,
    snapshot,
)
from wat_tui.review.service import Review

STRICT = MarkdownIt("commonmark").enable("table")
RISKS = [r.value for r in Risk]


def test_snapshot_round_trips_through_json(review: Review) -> None:
    sid, _ = workshop(review)
    review.add_action(sid, "Threat model", owner="Ana", due="2027-01-05", question=SEC01)
    state = review.state(sid)
    snap = snapshot(state, {SEC01: Analysis("high", "low", "n")}, label="Workshop", taken_at="2026-12-01T10:00")
    value = json.loads(json.dumps(snap.to_value()))
    assert Snapshot.from_value(value) == snap
    assert len(snap.questions) == state.total_questions
    risks = snap.risks()
    assert (risks[SEC01], risks[REL01], risks[OPS01], risks[PERF01]) == (
        "HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE")
    assert [a.title for a in snap.actions] == ["Threat model"]


@pytest.mark.parametrize("bad, message", [
    ([], "not a wat-tui snapshot"),
    ({"format": "wat-tui-snapshot", "version": 2}, "version 2"),
    ({"format": "wat-tui-snapshot", "version": 1}, "malformed"),
])
def test_bad_snapshots_are_refused(bad: object, message: str) -> None:
    with pytest.raises(SnapshotError, match=message):
        Snapshot.from_value(bad)


def test_bad_fields_are_named() -> None:
    good = Snapshot("s", "", "", (QuestionAt("wa/q", "p", "P", "Q1", "t", "HIGH"),), (), ()).to_value()
    bad_risk = json.loads(json.dumps(good))
    bad_risk["questions"][0]["risk"] = "SEVERE"
    with pytest.raises(SnapshotError, match="unknown risk 'SEVERE'"):
        Snapshot.from_value(bad_risk)
    bad_text = json.loads(json.dumps(good))
    bad_text["questions"][0]["title"] = 5
    with pytest.raises(SnapshotError, match="title must be text"):
        Snapshot.from_value(bad_text)
    bad_analysis = json.loads(json.dumps(good))
    bad_analysis["analysis"] = {"wa/q": {"impact": "huge"}}
    with pytest.raises(SnapshotError, match="impact 'huge'"):
        Snapshot.from_value(bad_analysis)


def test_progress_between_two_milestones(review: Review) -> None:
    sid, state = workshop(review)
    done = review.add_action(sid, "Threat model", owner="Ana", question=SEC01)
    review.add_action(sid, "Dropped idea")
    before = snapshot(review.state(sid), {}, label="Workshop")
    # SEC01 high -> resolved; REL01 medium -> no risk; COST01 high -> medium; OPS01 none -> high; PERF01 stays
    select(review, sid, SEC01, none=True)  # unselect "None of these"
    select(review, sid, SEC01, ["HIGH", "MEDIUM", "LOW", None])
    select(review, sid, REL01, ["MEDIUM", "LOW", None])
    select(review, sid, COST01, ["HIGH"])
    cost = state.lens(WA).question("cloud-financial-management")  # type: ignore[union-attr]
    assert cost is not None
    review.toggle_choice(sid, WA, cost.id, next(c.id for c in cost.choices if c.risk_level == "MEDIUM"))
    select(review, sid, OPS01, ["HIGH"])
    review.edit_action(sid, done, status="done")
    fresh = review.add_action(sid, "Quotas dashboard", question=REL01)
    dropped = next(a.id for a in review.state(sid).actions if a.title == "Dropped idea")
    review.delete_action(sid, dropped)
    after = snapshot(review.state(sid), {}, label="January check-in")
    cmp = compare(before, after)
    assert {m.key for m in cmp.resolved} == {REL01, SEC01}
    assert [m.key for m in cmp.new] == [OPS01] and cmp.new[0].before == "NONE"
    assert [(m.key, m.before, m.after) for m in cmp.changed] == [(COST01, "HIGH", "MEDIUM")]
    assert cmp.cleared == () and cmp.other == ()
    assert len(cmp.unchanged) == state.total_questions - 4
    assert [a.title for a in cmp.closed] == ["Threat model"]
    assert [a.id for a in cmp.new_actions] == [fresh]
    assert [a.title for a in cmp.removed_actions] == ["Dropped idea"]
    by = {p.pillar: p for p in cmp.pillars}
    assert (by["security"].resolved, by["security"].open) == (1, 0)
    assert (by["reliability"].resolved, by["costOptimization"].changed) == (1, 1)
    assert (by["operationalExcellence"].new, by["operationalExcellence"].open) == (1, 1)
    md = render_comparison_markdown(cmp)
    heads = headings(md)
    assert heads[0] == (2, "Progress since Workshop")
    assert [h for _, h in heads[1:]] == [
        "Resolved", "New risks", "Changed level", "Actions closed", "New actions", "Actions removed"]
    assert "2 resolved, 1 new, 1 changed level" in md
    assert "high to medium" in md


def headings(md: str) -> list[tuple[int, str]]:
    tokens = STRICT.parse(md)
    return [(int(t.tag[1:]), tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def test_cleared_answers_and_missing_questions() -> None:
    q = QuestionAt("wa/q1", "p", "P", "Q1", "t", "HIGH")
    a = Snapshot("s", "a", "", (q,), (), ())
    b = Snapshot("s", "b", "", (), (), ())  # the lens was dropped: the question counts as unanswered
    cmp = compare(a, b)
    assert [m.after for m in cmp.cleared] == ["UNANSWERED"] and cmp.resolved == ()
    assert [m.key for m in compare(b, a).new] == ["wa/q1"]


def test_hostile_text_stays_text() -> None:
    q = QuestionAt("wa/q", "p", "P | <b>", "# Q1", "*t*\n- item", "HIGH")
    q2 = QuestionAt("wa/q", "p", "P | <b>", "# Q1", "*t*\n- item", "NONE")
    act = ActionAt("x", "<script>alert(1)</script>", "done", "[me](http://e.com)", "2027-01-01")
    a = Snapshot("s", "1. <i>March</i>", "", (q,), (), ())
    b = Snapshot("s", "now", "", (q2,), (), (act,))
    md = render_comparison_markdown(compare(a, b))
    tokens = STRICT.parse(md)
    assert not any(t.type in ("html_block", "html_inline") for t in tokens)
    inline = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    assert not any(c.type in ("html_inline", "link_open", "em_open") for c in inline)
    assert "<h2>Progress since 1. &lt;i&gt;March&lt;/i&gt;</h2>" in STRICT.render(md)
    assert [h for _, h in headings(md)][1:] == ["Resolved", "Actions closed", "New actions"]
    assert render_comparison_markdown(compare(a, b), title="Since # x").startswith("## Since \\# x")


def test_nothing_to_report() -> None:
    a = Snapshot("s", "", "", (), (), ())
    md = render_comparison_markdown(compare(a, a))
    assert headings(md) == [(2, "Progress since the earlier snapshot")]
    assert "0 resolved, 0 new" in md


question_sets = st.dictionaries(st.sampled_from([f"wa/q{i}" for i in range(8)]),
                                st.tuples(st.sampled_from(["security", "reliability"]), st.sampled_from(RISKS)),
                                max_size=8)
action_sets = st.dictionaries(st.sampled_from(["a1", "a2", "a3", "a4"]),
                              st.sampled_from(["open", "in progress", "done"]), max_size=4)


def keys(moves: tuple[Move, ...]) -> set[str]:
    return {m.key for m in moves}


def make_snapshot(questions: dict[str, tuple[str, str]], actions: dict[str, str]) -> Snapshot:
    qs = tuple(QuestionAt(k, p, p.title(), k.upper(), f"title {k}", r) for k, (p, r) in sorted(questions.items()))
    acts = tuple(ActionAt(i, f"action {i}", s, "", "") for i, s in sorted(actions.items()))
    return Snapshot("s", "m", "", qs, (), acts)


@given(question_sets, action_sets)
def test_a_snapshot_compared_with_itself_is_all_unchanged(qs: dict[str, tuple[str, str]],
                                                          acts: dict[str, str]) -> None:
    s = make_snapshot(qs, acts)
    cmp = compare(s, s)
    assert cmp.resolved == cmp.new == cmp.changed == cmp.cleared == cmp.other == ()
    assert len(cmp.unchanged) == len(qs)
    assert cmp.closed == cmp.new_actions == cmp.removed_actions == ()
    assert Snapshot.from_value(json.loads(json.dumps(s.to_value()))) == s


@given(question_sets, question_sets, action_sets, action_sets)
def test_resolved_one_way_is_new_the_other(qa: dict[str, tuple[str, str]], qb: dict[str, tuple[str, str]],
                                           aa: dict[str, str], ab: dict[str, str]) -> None:
    a, b = make_snapshot(qa, aa), make_snapshot(qb, ab)
    forward, backward = compare(a, b), compare(b, a)
    assert keys(forward.resolved) | keys(forward.cleared) == keys(backward.new)
    if not forward.cleared:
        assert keys(forward.resolved) == keys(backward.new)
    assert keys(forward.changed) == keys(backward.changed)
    assert keys(forward.unchanged) == keys(backward.unchanged)
    everything = [forward.resolved, forward.new, forward.changed, forward.cleared, forward.other,
                  forward.unchanged]
    assert sum(len(x) for x in everything) == len(qa.keys() | qb.keys())
    assert {x.id for x in forward.new_actions} == {x.id for x in backward.removed_actions}
    assert sum(p.resolved for p in forward.pillars) == len(forward.resolved)
    md = render_comparison_markdown(forward)
    assert headings(md)[0][0] == 2
