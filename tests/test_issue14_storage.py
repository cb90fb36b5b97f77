"""Issue 14, stored: the analysis of findings, action items' links to findings, the session's cadence and
milestones are operations on declared registers, checked by the same rules locally and from bundles, and they
merge like everything else (milestones survive merging in any order)."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import database_dump as dump
from tests.test_ingest_validation import LENS, _append, _edited, _refused, _source
from tests.test_workshop_roundtrip import Workshop, check_round_trip
from wat_tui.errors import NotFound, WatError
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.merge import merge_files
from wat_tui.review.analysis import Analysis
from wat_tui.review.service import Review
from wat_tui.review.state import Answer
from wat_tui.review.targets import target_kind

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _session(review: Review, workload_type: str = "critical-ecommerce") -> tuple[str, str, list[str]]:
    """A session with two questions at high risk; (sid, alias, their keys)."""
    review.set_clock(lambda: T0)
    sid = review.create_session("Shop", workload="shop", workload_type=workload_type)
    lens = review.state(sid).lenses[0]
    keys = []
    for q in lens.questions[:2]:
        assert q.none_choice is not None
        review.toggle_choice(sid, lens.alias, q.id, q.none_choice.id)
        keys.append(f"{lens.alias}/{q.id}")
    return sid, lens.alias, keys


# -- analysis -------------------------------------------------------------------------------------------------


def test_analysis_is_stored_per_finding_and_per_practice(review: Review) -> None:
    sid, alias, keys = _session(review)
    q = review.state(sid).lenses[0].questions[0]
    practice = f"{keys[0]}/{q.choices[0].id}"
    review.set_analysis(sid, keys[0], "high", "low", "checkout depends on it")
    review.set_analysis(sid, practice, "medium", None)
    st_ = review.full_state(sid)
    assert st_.analysis == {keys[0]: Analysis("high", "low", "checkout depends on it"),
                            practice: Analysis("medium", None, "")}
    assert review.state(sid).analysis == {}  # the keypress read stays as it was
    review.undo(sid)
    assert practice not in review.analysis(sid)
    review.set_analysis(sid, keys[0], None, None, "")  # all empty clears it
    assert review.analysis(sid) == {}
    assert [v.value for v in review.values(sid, f"analysis/{keys[0]}")] == [None]  # a tombstone


@pytest.mark.parametrize(("key", "impact", "effort", "note", "problem"), [
    ("{k}", "huge", "low", "", "impact 'huge': expected low, medium or high"),
    ("{k}", "low", 3, "", "effort 3: expected low, medium or high"),
    ("{k}", "low", "low", "x" * 5001, "analysis note: 5,001 characters; at most 5,000"),
    ("{a}/ghost", "low", "low", "", "question 'ghost'"),
    ("{k}/ghost-choice", "low", "low", "", "has no choice 'ghost-choice'"),
    ("{k}/a/b", "low", "low", "", "expected <lens alias>/<question id>[/<choice id>]"),
])
def test_a_bad_analysis_is_refused_and_changes_nothing(review: Review, data_dir: Path, key: str, impact: Any,
                                                       effort: Any, note: str, problem: str) -> None:
    sid, alias, keys = _session(review)
    before = dump(data_dir)
    with pytest.raises(WatError, match=re.escape(problem)):
        review.set_analysis(sid, key.format(k=keys[0], a=alias), impact, effort, note)
    assert dump(data_dir) == before


# -- links ----------------------------------------------------------------------------------------------------


def test_actions_link_to_the_findings_they_address(review: Review) -> None:
    sid, alias, keys = _session(review)
    aid = review.add_action(sid, "Turn on MFA", question=keys[0])
    review.link_action(sid, aid, keys[1])
    review.link_action(sid, aid, keys[1])  # once is enough
    q = review.state(sid).lenses[0].questions[0]
    review.link_action(sid, aid, f"{keys[0]}/{q.choices[1].id}")
    assert review.full_state(sid).links == {aid: (keys[1], f"{keys[0]}/{q.choices[1].id}")}
    review.unlink_action(sid, aid, keys[1])
    assert review.action_findings(sid) == {aid: (f"{keys[0]}/{q.choices[1].id}",)}
    review.set_action_findings(sid, aid, [])
    assert review.action_findings(sid) == {}
    with pytest.raises(NotFound, match="question 'ghost'"):
        review.link_action(sid, aid, f"{alias}/ghost")
    with pytest.raises(NotFound, match="no action item"):
        review.link_action(sid, "no-such-action", keys[0])
    review.delete_action(sid, aid)
    with pytest.raises(NotFound, match="no action item"):
        review.link_action(sid, aid, keys[0])


# -- cadence --------------------------------------------------------------------------------------------------


def test_the_cadence_defaults_from_the_workload_type_and_can_be_chosen(review: Review, data_dir: Path) -> None:
    sid, _, _ = _session(review, "critical-ecommerce")
    assert (review.chosen_cadence(sid), review.cadence(sid)) == ("", "critical")
    review.set_cadence(sid, "post-incident")
    assert review.cadence(sid) == "post-incident" and review.full_state(sid).cadence == "post-incident"
    before = dump(data_dir)
    with pytest.raises(WatError, match="unknown review cadence 'weekly'; expected one of: new, existing"):
        review.set_cadence(sid, "weekly")
    assert dump(data_dir) == before
    review.set_cadence(sid, None)
    assert review.cadence(sid) == "critical"
    other = review.create_session("Plain", workload_type="startup-mvp")
    assert review.cadence(other) == "existing"


# -- milestones -----------------------------------------------------------------------------------------------


def test_a_milestone_is_a_named_dated_snapshot_that_never_changes(review: Review, data_dir: Path) -> None:
    sid, alias, keys = _session(review)
    review.set_analysis(sid, keys[0], "high", "low")
    aid = review.add_action(sid, "Turn on MFA", owner="Bo", question=keys[0])
    mid = review.record_milestone(sid, "  Workshop   day ", at=T0)
    (m,) = review.milestones(sid)
    assert (m.id, m.name, m.at) == (mid, "Workshop day", "2026-12-01T09:00:00+00:00")
    assert m.snapshot.risks()[keys[0]] == "HIGH"
    assert dict(m.snapshot.analysis) == {keys[0]: Analysis("high", "low")}
    assert [(a.id, a.status) for a in m.snapshot.actions] == [(aid, "open")]
    assert dict(m.snapshot.answers) == review.state(sid).answers  # what the risks were computed from
    # Later edits do not reach it, and undo does not take it back.
    review.edit_action(sid, aid, status="done")
    q = review.state(sid).lenses[0].questions[0]
    review.set_answer(sid, alias, q.id, Answer(tuple(c.id for c in q.choices if not c.is_none_choice)))
    assert review.undo(sid)  # the answer, not the milestone
    assert review.milestones(sid) == [m]
    assert review.find_milestone(sid, "workshop") == m and review.find_milestone(sid, mid[:6]) == m
    before = dump(data_dir)
    for name, problem in (("   ", "needs a name"), ("WORKSHOP DAY", "exists already"),
                          ("x" * 501, "milestone name: 501 characters; at most 500")):
        with pytest.raises(WatError, match=problem):
            review.record_milestone(sid, name)
    with pytest.raises(NotFound, match="no milestone matches 'March'"):
        review.find_milestone(sid, "March")
    assert dump(data_dir) == before


def test_everything_new_travels_in_a_bundle(review: Review, tmp_path: Path) -> None:
    sid, alias, keys = _session(review)
    review.set_analysis(sid, keys[0], "low", "high", "later")
    aid = review.add_action(sid, "Rotate keys")
    review.link_action(sid, aid, keys[1])
    review.set_cadence(sid, "new")
    review.record_milestone(sid, "Workshop", at=T0)
    path = tmp_path / "b.json"
    write_bundle(review, sid, path)
    other = Review.open(tmp_path / "other")
    try:
        merge_files(other, [path])
        mine, theirs = review.full_state(sid), other.full_state(sid)
        assert (theirs.analysis, theirs.links, theirs.cadence) == (mine.analysis, mine.links, "new")
        assert theirs.milestones == mine.milestones and len(theirs.milestones) == 1
    finally:
        other.close()
    for op in review.ops(sid):
        assert target_kind(op.target) is not None, op.target


# -- hostile values in a bundle ---------------------------------------------------------------------------------


def _milestone(**changes: Any) -> dict[str, Any]:
    value = {"format": "wat-tui-snapshot", "version": 1, "session": "s", "label": "Workshop",
             "taken_at": "2026-12-01T09:00:00+00:00",
             "questions": [{"key": "a/q", "pillar": "p", "pillar_name": "P", "label": "Q1", "title": "T",
                            "risk": "HIGH"}],
             "analysis": {"a/q": {"impact": "high", "effort": "low", "note": ""}},
             "actions": [{"id": "x", "title": "Fix", "status": "open", "owner": "", "due": ""}]}
    value.update(changes)
    return value


HOSTILE: list[tuple[str, str, Any, str, str]] = [
    ("an impact nobody knows", "analysis/{L}/{q}", {"impact": "huge"}, ".value.impact", "found 'huge'"),
    ("an analysis note of 5,001 characters", "analysis/{L}/{q}", {"note": "x" * 5001}, ".value.note",
     "text of 5001 characters; expected 0 to 5000"),
    ("an analysis of a question the lens lacks", "analysis/{L}/ghost", {"impact": "low"}, ".target",
     "question 'ghost'"),
    ("an analysis of a choice the question lacks", "analysis/{L}/{q}/ghost", {"impact": "low"}, ".target",
     "has no choice 'ghost'"),
    ("an analysis that is a list", "analysis/{L}/{q}", ["high"], ".value", "expected"),
    ("links that are no list", "action/a-1/findings", "{L}/{q}", ".value", "expected"),
    ("a link to a question the lens lacks", "action/a-1/findings", ["{L}/ghost"], ".value[0]", "question 'ghost'"),
    ("a link that is a number", "action/a-1/findings", [7], ".value[0]", "expected"),
    ("201 links", "action/a-1/findings", [f"{{L}}/x{i}" for i in range(201)], ".value", "more than 200"),
    ("a cadence that is a sentence", "session/cadence", "DROP TABLE", ".value", "does not have the expected form"),
    ("a cadence that is a number", "session/cadence", 30, ".value", "expected"),
    ("a milestone without a name", "milestone/m-1", _milestone(label=""), ".value.label", "expected 1 to 500"),
    ("a milestone of a newer snapshot version", "milestone/m-1", _milestone(version=2), ".value.version", "2"),
    ("a milestone with a risk nobody knows", "milestone/m-1",
     _milestone(questions=[{"key": "a/q", "pillar": "p", "pillar_name": "P", "label": "Q1", "title": "T",
                            "risk": "EVIL"}]), ".value.questions[0].risk", "EVIL"),
    ("a milestone taken in month 13", "milestone/m-1", _milestone(taken_at="2026-13-01T09:00:00+00:00"),
     ".value.taken_at", "not a date and time"),
    ("a milestone deleted", "milestone/m-1", None, ".value", "expected"),
    ("a milestone's answer with a number for a choice", "milestone/m-1",
     _milestone(answers={"a/q": {"selected": [1]}}), ".value.answers", "found an integer"),
    ("a milestone's answer with an unknown reason", "milestone/m-1",
     _milestone(answers={"a/q": {"not_applicable": True, "reason": "BORED"}}), ".value.answers.a/q.reason",
     "unknown reason 'BORED'"),
    ("a milestone's analysis with a bad level", "milestone/m-1",
     _milestone(analysis={"a/q": {"impact": "enormous"}}), ".value.analysis", "enormous"),
]


def _fill(value: Any, facts: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.replace("{L}", LENS).replace("{q}", facts["question"])
    if isinstance(value, list):
        return [_fill(v, facts) for v in value]
    return value


@pytest.mark.parametrize(("name", "target", "value", "where", "problem"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_value_in_a_bundle_refuses_the_file(data_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str], name: str, target: str,
                                                      value: Any, where: str, problem: str) -> None:
    Review.open(data_dir).close()
    _, path, facts = _source(tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    i = _append(doc, _fill(target, facts), _fill(value, facts))
    _refused(capsys, data_dir, _edited(path, doc), f"operations[{i}]{where}", problem)


# -- merge laws -------------------------------------------------------------------------------------------------


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["Workshop", "March", "April", "Q3"])),
                     min_size=1, max_size=6),
       order=st.permutations([0, 1, 2]))
def test_milestones_survive_merging_in_any_order(plan: list[tuple[int, str]], order: list[int]) -> None:
    """Three laptops record milestones of one session; whatever order their bundles are merged in, every
    laptop ends with every milestone, identical, and the same list."""
    root = Path(tempfile.mkdtemp(prefix="milestones-"))
    laptops = [Review.open(root / f"l{i}") for i in range(3)]
    try:
        sid, _, keys = _session(laptops[0])
        first = root / "first.json"
        write_bundle(laptops[0], sid, first)
        for r in laptops[1:]:
            merge_files(r, [first])
        recorded: dict[str, tuple[int, str]] = {}
        for n, (i, name) in enumerate(plan):
            laptops[i].set_analysis(sid, keys[n % 2], "high", ("low", "medium", "high")[n % 3])
            try:
                mid = laptops[i].record_milestone(sid, f"{name} {i}", at=T0.replace(day=1 + n))
            except WatError:
                continue  # the same name twice on one laptop
            recorded[mid] = (i, f"{name} {i}")
        bundles = []
        for i in range(3):
            bundles.append(root / f"b{i}.json")
            write_bundle(laptops[i], sid, bundles[-1])
        results = []
        for k, perm in enumerate(itertools.permutations(order)):
            if k > 2:
                break
            fresh = Review.open(root / f"fresh{k}")
            try:
                for i in perm:
                    merge_files(fresh, [bundles[i]])
                merge_files(fresh, [bundles[perm[0]]])  # and again: nothing changes
                results.append(fresh.milestones(sid))
            finally:
                fresh.close()
        assert all(r == results[0] for r in results)
        assert {m.id: m.name for m in results[0]} == {mid: name for mid, (_, name) in recorded.items()}
        for m in results[0]:  # each is what its laptop recorded
            (own,) = [x for x in laptops[recorded[m.id][0]].milestones(sid) if x.id == m.id]
            assert own == m
        # A milestone compared with itself shows no change.
        from wat_tui.review.compare import compare

        for m in results[0]:
            c = compare(m.snapshot, m.snapshot)
            assert not (c.resolved or c.new or c.changed or c.cleared or c.other or c.closed or c.new_actions)
    finally:
        for r in laptops:
            r.close()
        shutil.rmtree(root, ignore_errors=True)


class PlanWorkshop(Workshop):
    """The round-trip workshop with the analysis, links, cadence and milestones among its steps."""

    def do(self, i: int, step: tuple[Any, ...]) -> None:
        r, sid = self.laptops[i], self.sid
        if step[0] == "analysis":
            r.set_analysis(sid, self.key(step[1]), step[2], step[3], step[4])
        elif step[0] == "link":
            actions = r.state(sid).actions
            if actions:
                r.link_action(sid, actions[step[1] % len(actions)].id, self.key(step[1]))
        elif step[0] == "cadence":
            r.set_cadence(sid, step[1])
        elif step[0] == "milestone":
            with contextlib.suppress(WatError):  # that name exists on this laptop already
                r.record_milestone(sid, step[1], at=self.now)
        else:
            super().do(i, step)


LEVEL = st.sampled_from(["low", "medium", "high", None])
PLAN_STEP = st.one_of(
    st.tuples(st.just("analysis"), st.integers(0, 5), LEVEL, LEVEL, st.sampled_from(["", "why", "# not a heading"])),
    st.tuples(st.just("link"), st.integers(0, 5)),
    st.tuples(st.just("cadence"), st.sampled_from(["new", "existing", "critical", "post-incident", None])),
    st.tuples(st.just("milestone"), st.sampled_from(["Workshop", "March check-in", "[red]x[/]"])),
    st.tuples(st.just("action"), st.just("Fix it"), st.just("open")),
    st.tuples(st.just("tick"), st.integers(0, 5), st.integers(0, 4)),
    st.tuples(st.just("settle"),),
    st.tuples(st.just("undo"),),
    st.tuples(st.just("sync"),),
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.integers(0, 1), PLAN_STEP), min_size=3, max_size=14))
def test_random_workshops_with_analysis_and_milestones_round_trip(steps: list[tuple[int, tuple[Any, ...]]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="plan-workshop-"))
    w = PlanWorkshop(root)
    try:
        for i, step in steps:
            w.do(i, step)
        check_round_trip(w)
        a, b = (r.full_state(w.sid) for r in w.laptops)
        assert a.milestones == b.milestones
        assert (a.analysis, a.links) == (b.analysis, b.links) or a.conflicts
    finally:
        w.close()
        shutil.rmtree(root, ignore_errors=True)


def test_values_stored_before_the_rules_are_skipped_and_named(review: Review) -> None:
    """An analysis, links, a cadence or a milestone the app cannot use (planted beneath the rules, as an older
    version or a damaged file could leave them) is left out, named in ``unreadable``, and the report still
    renders."""
    from tests.support import raw_write
    from wat_tui.exchange.report import render_markdown

    sid, alias, keys = _session(review)
    aid = review.add_action(sid, "Fix")
    review.set_analysis(sid, keys[1], "high", "low")
    review.record_milestone(sid, "Good one", at=T0)
    planted = {f"analysis/{keys[0]}": {"impact": "huge"}, f"action/{aid}/findings": "not a list",
               "session/cadence": 42, "milestone/bad": {"format": "something else"}}
    for target, value in planted.items():
        raw_write(review, sid, target, value)
    full = review.full_state(sid)
    assert full.analysis == {keys[1]: Analysis("high", "low")} and full.links == {}
    assert full.cadence == "" and review.cadence(sid) == "critical"
    assert [m.name for m in full.milestones] == ["Good one"]
    assert set(planted) <= set(full.unreadable)
    md = render_markdown(review, sid)
    assert "## Data this version could not read" in md and "## Progress since Good one" in md


def test_a_milestone_written_twice_keeps_its_first_value(data_dir: Path, tmp_path: Path) -> None:
    """Milestones are written once; a hand-made bundle that writes one again does not change it."""
    Review.open(data_dir).close()
    sid, path, _ = _source(tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    _append(doc, "milestone/m-1", _milestone(session=sid, label="First"))
    _append(doc, "milestone/m-1", _milestone(session=sid, label="Rewritten"))
    with Review.open(data_dir) as review:
        merge_files(review, [_edited(path, doc)])
        assert [(m.id, m.name) for m in review.milestones(sid)] == [("m-1", "First")]
