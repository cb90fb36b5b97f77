"""The review report's contents: sections, summary, ordering, conflicts, agenda sections, determinism."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.test_report_support import (
    answer,
    check_structure,
    choose_none,
    foreign_write,
    new_session,
    section,
    tables,
)
from wat_tui.exchange.report import render_markdown
from wat_tui.exchange.report_html import render_html
from wat_tui.exchange.report_model import question_views, top_risks
from wat_tui.review.demo import ensure_demo
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState

# -- the demo session, end to end ----------------------------------------------------------------------------


def test_demo_report_has_every_section_in_a_valid_tree(review: Review) -> None:
    sid = ensure_demo(review)
    md = render_markdown(review, sid)
    hs = check_structure(md)
    titles = [t for level, t in hs if level == 2]
    assert titles == [
        "Summary",
        "Findings: AWS Well-Architected Framework",
        "Findings: Serverless Applications Lens",
        "Improvement plan",
        "Action plan",
        "Open merge conflicts",
        "Next review",
    ]
    assert "- **Facilitators:** Ana Ruiz" in md
    assert "AWS Well-Architected Framework (version 2026.11)" in md
    assert "- **Workload type:** Critical e-commerce" in md
    assert "- **Planned duration:** 5h" in md
    assert "Actual duration" not in md  # no time was recorded
    participants = next(t for t in tables(md) if t[0] == ["Name", "Role"])
    assert participants[1:] == [
        ["Ana Ruiz", "Facilitator"],
        ["Ben Okafor", "Workload owner"],
        ["Chen Wei", "Operations engineer"],
        ["Dana Levi", "Security specialist"],
        ["Eli Novak", "Finance representative"],
    ]


def test_demo_summary_tables_match_the_state(review: Review) -> None:
    sid = ensure_demo(review)
    md = render_markdown(review, sid)
    state = review.state(sid)
    summaries = [t for t in tables(md) if t[0][0] == "Pillar"]
    assert len(summaries) == len(state.lenses)
    for lens, rows in zip(state.lenses, summaries, strict=True):
        assert rows[0] == ["Pillar", "High", "Medium", "No risk", "Not applicable", "Unanswered"]
        assert [r[0] for r in rows[1:-1]] == [p.name for p in lens.pillars]
        for pillar, row in zip(lens.pillars, rows[1:-1], strict=True):
            risks = [state.risk(lens, q).value for q in pillar.questions]
            assert [int(x) for x in row[1:]] == [
                risks.count(r) for r in ("HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE", "UNANSWERED")
            ]
        assert rows[-1][1:] == [str(sum(int(r[i]) for r in rows[1:-1])) for i in range(1, 6)]


def test_demo_questions_show_practices_reasons_notes_and_actions(review: Review) -> None:
    sid = ensure_demo(review)
    md = render_markdown(review, sid)
    rel02 = md[md.index("#### REL02") : md.index("#### REL03")]
    assert "Risk: **medium risk**" in rel02
    assert (
        "- Provision redundant connectivity between private networks in the cloud and on-premises "
        "environments (REL02-BP02): out of scope"
    ) in rel02
    sec02 = md[md.index("#### SEC02") : md.index("#### SEC03")]
    assert "Risk: **high risk**" in sec02
    in_place, missing = sec02[sec02.index("In place:") :].split("Missing:")
    assert "- Rely on a centralized identity provider (SEC02-BP04)\n" in in_place
    assert "- Use temporary credentials (SEC02-BP02), framework risk HIGH" in missing
    assert "- Replace CI's IAM user keys with OIDC federation (owner Chen Wei, due 2026-12-20, open)" in sec02
    assert "Note from **Ana Ruiz**:" in sec02
    assert "> People sign in through the corporate identity provider (IdP)" in sec02
    sec06 = md[md.index("#### SEC06") : md.index("#### SEC07")]
    assert sec06.split("\n\n")[1] == "Risk: **high risk**"
    assert "- Reduce manual management and interactive access (SEC06-BP03)" in sec06
    rel12 = md[md.index("#### REL12") : md.index("#### REL13")]
    assert "None of the practices is in place." in rel12 and "In place:" not in rel12


def test_private_notes_stay_out_unless_asked_for(review: Review) -> None:
    sid = ensure_demo(review)
    secret = "Dana thinks the CI keys are older than 2 years."
    plain = render_markdown(review, sid)
    assert secret not in plain and "private to the facilitator" not in plain
    with_private = render_markdown(review, sid, include_private=True)
    assert secret in with_private
    assert "Note from **Ana Ruiz** (private to the facilitator):" in with_private
    assert "includes notes marked private" in with_private


def test_the_same_session_gives_the_same_bytes(review: Review, data_dir: Path) -> None:
    sid = ensure_demo(review)
    first = render_markdown(review, sid)
    other = Review.open(data_dir)
    try:
        assert render_markdown(other, sid) == first
        assert render_html(other, sid) == render_html(review, sid)
    finally:
        other.close()
    dated = render_markdown(review, sid, today=date(2031, 5, 6))
    assert "- **Report date:** 2031-05-06" in dated and "Report date" not in first


# -- ordering ------------------------------------------------------------------------------------------------


def test_top_risks_follow_the_level_of_what_is_missing_then_question_order(review: Review) -> None:
    sid = new_session(review)
    answer(review, sid, "priorities", {"HIGH"})  # OPS01: only MEDIUM/LOW practices missing
    choose_none(review, sid, "ops-model")  # OPS02: everything missing, HIGH first
    answer(review, sid, "org-culture", {"MEDIUM"})  # OPS03: HIGH practices missing
    ranked = [v.question.label for v in top_risks(question_views(review.state(sid)))]
    assert ranked == ["OPS02", "OPS03", "OPS01"]
    md = render_markdown(review, sid)
    top = section(md, "Top risks")
    assert top.index("OPS02:") < top.index("OPS03:") < top.index("OPS01:")
    assert "Missing (framework risk MEDIUM)" in top.split("\n3. ")[1]


def test_improvement_plan_lists_every_question_at_risk_high_first(review: Review) -> None:
    sid = new_session(review)
    answer(review, sid, "priorities", {"HIGH"})
    choose_none(review, sid, "ops-model")
    answer(review, sid, "org-culture", {"HIGH", "MEDIUM", "LOW"})  # no risk: not in the plan
    md = render_markdown(review, sid)
    plan = section(md, "Improvement plan")
    assert (
        plan.index("### High-risk questions")
        < plan.index("#### OPS02")
        < plan.index("### Medium-risk questions")
    )
    assert plan.index("### Medium-risk questions") < plan.index("#### OPS01")
    assert "OPS03" not in plan
    lens = review.state(sid).lens("wellarchitected")
    assert lens is not None
    q = lens.question("ops-model")
    assert q is not None
    levels = []
    for c in (c for c in q.choices if not c.is_none_choice):
        assert c.improvement_plan is not None
        assert c.improvement_plan.text in plan
        levels.append((plan.index(c.improvement_plan.text), c.risk_level))
    order = [lvl for _, lvl in sorted(levels)]
    assert order == sorted(order, key=["HIGH", "MEDIUM", "LOW"].index)


def test_none_of_these_is_not_listed_as_a_practice_in_place(review: Review) -> None:
    sid = new_session(review)
    choose_none(review, sid, "ops-model")  # OPS02: the room said none of its practices is in place
    q = review.state(sid).lens("wellarchitected").question("ops-model")  # type: ignore[union-attr]
    assert q is not None and q.none_choice is not None
    practices = [c for c in q.choices if not c.is_none_choice]
    md = render_markdown(review, sid)
    ops02 = section(md, f"OPS02: {q.title}")
    assert "Risk: **high risk**" in ops02
    assert "In place:" not in ops02 and f"- {q.none_choice.title}" not in ops02
    assert "None of the practices is in place." in ops02
    missing = ops02[ops02.index("Missing:") :]
    for c in practices:
        assert f"- {c.title} ({c.ref})" in missing
    view = next(v for v in question_views(review.state(sid)) if v.question.id == "ops-model")
    assert view.in_place == () and view.none_chosen and len(view.missing) == len(practices)
    page = render_html(review, sid)
    body = page[page.index("<h4>OPS02: ") :]
    body = body[: body.index("<h4>", 1)]
    assert "None of the practices is in place." in body
    assert "In place:" not in body and f"<li>{q.none_choice.title}</li>" not in body
    assert "<p>Missing:</p>" in body


def test_a_conflict_over_none_of_these_does_not_call_it_a_practice(review: Review) -> None:
    sid = new_session(review)
    answer(review, sid, "ops-model", {"HIGH"})
    foreign_write(
        review,
        sid,
        1,
        "answer/wellarchitected/ops-model",
        {"selected": ["ops_ops_model_no"], "na_choices": {}, "not_applicable": False, "reason": None},
        "b.json",
    )
    conflicts = section(render_markdown(review, sid), "Open merge conflicts")
    assert "in place: none of the practices" in conflicts
    assert "in place: None of these" not in conflicts


def test_action_plan_table_sorted_by_due_date(review: Review) -> None:
    sid = new_session(review)
    review.add_action(sid, "Later", "Ben", "2026-03-01", "open", "wellarchitected/priorities")
    review.add_action(sid, "Undated", "", "", "in progress", None)
    review.add_action(sid, "Sooner", "Ana", "2026-02-01", "done", "wellarchitected/ops-model")
    md = render_markdown(review, sid)
    plan = next(t for t in tables(md) if t[0][0] == "Action")
    assert plan == [
        ["Action", "Owner", "Due", "Status", "Question"],
        [
            "Sooner",
            "Ana",
            "2026-02-01",
            "done",
            "OPS02: "
            + review.state(sid)
            .lens("wellarchitected")  # type: ignore[union-attr]
            .question("ops-model")
            .tree_title,
        ],  # type: ignore[union-attr]
        [
            "Later",
            "Ben",
            "2026-03-01",
            "open",
            "OPS01: "
            + review.state(sid)
            .lens("wellarchitected")  # type: ignore[union-attr]
            .question("priorities")
            .tree_title,
        ],  # type: ignore[union-attr]
        ["Undated", "—", "—", "in progress", "—"],
    ]


def test_next_review_date_follows_the_workload_types_cadence(review: Review) -> None:
    sid = new_session(review)
    nxt = section(render_markdown(review, sid), "Next review")
    assert "**2026-04-10**, 90 days after this review" in nxt  # critical: 90 days after 2026-01-10
    assert "the first on **2026-02-09**" in nxt  # monthly check-ins
    review.set_session_field(sid, "workload_type", "startup-mvp")
    assert "**2026-07-09**, 180 days" in render_markdown(review, sid)
    foreign_write(review, sid, 1, "session/workload_type", "from-a-newer-app", "new.json", saw_all=True)
    review.project(sid)
    assert "has no review cadence" in section(render_markdown(review, sid), "Next review")


# -- conflicts -----------------------------------------------------------------------------------------------


def test_open_conflicts_are_listed_with_both_values_and_who_wrote_them(review: Review) -> None:
    sid = new_session(review)
    assert "None: every value" in section(render_markdown(review, sid), "Open merge conflicts")
    answer(review, sid, "priorities", {"HIGH"})
    foreign_write(
        review,
        sid,
        1,
        "answer/wellarchitected/priorities",
        {"selected": [], "na_choices": {}, "not_applicable": True, "reason": "OUT_OF_SCOPE"},
        "b.json",
    )
    aid = review.add_action(sid, "Fix | things", "Ana", "2026-02-01")
    foreign_write(review, sid, 2, f"action/{aid}/owner", "Chen <b>Wei</b>", "b.json")
    md = render_markdown(review, sid)
    check_structure(md)
    conflicts = section(md, "Open merge conflicts")
    assert "2 values were recorded differently" in conflicts
    assert "**Answer to OPS01: " in conflicts
    assert "question not applicable (out of scope)" in conflicts
    assert "in place: " in conflicts
    assert "by Chen Wei on chen-laptop, 2026-01-05" in conflicts and "from b.json" in conflicts
    assert "**Action item Fix \\| things: owner**" in conflicts
    assert "“Chen \\<b>Wei\\</b>”" in conflicts
    plan = next(t for t in tables(md) if t[0][0] == "Action")
    assert plan[1][3] == "open (conflict)"


def test_a_private_note_in_a_conflict_stays_hidden(review: Review) -> None:
    sid = new_session(review)
    nid = review.add_note(sid, "wellarchitected/priorities", "Ana", "secret one", private=True)
    foreign_write(
        review,
        sid,
        1,
        f"note/{nid}",
        {"question": "wellarchitected/priorities", "author": "Chen", "body": "secret two", "private": True},
        "b.json",
    )
    md = render_markdown(review, sid)
    assert "secret" not in md
    assert section(md, "Open merge conflicts").count("a private note (not shown)") == 2
    assert "secret two" in render_markdown(review, sid, include_private=True)


# -- agenda: parking lot and time report ---------------------------------------------------------------------


def test_parking_lot_and_time_report_appear_with_data(review: Review) -> None:
    from datetime import UTC, datetime, timedelta

    from wat_tui.review import timekeeping

    t0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    review.set_clock(lambda: t0)  # edits stamped at the session's time, as in the room
    sid = new_session(review)
    timekeeping.start_session_clock(review, sid, t0)
    blocks = timekeeping.load_agenda(review, sid)
    timekeeping.enter_block(review, sid, blocks[1].id, t0 + timedelta(minutes=22))
    timekeeping.set_question(review, sid, "wellarchitected/priorities", t0 + timedelta(minutes=25))
    timekeeping.pause(review, sid, t0 + timedelta(minutes=70))
    timekeeping.park_question(review, sid, "wellarchitected/ops-model", "Needs | the SRE lead", "Ana")
    md = render_markdown(review, sid)
    hs = check_structure(md)
    assert [t for lvl, t in hs if lvl == 2][-5:] == [
        "Action plan",
        "Parking lot",
        "Time report",
        "Open merge conflicts",
        "Next review",
    ]
    assert "- **Actual duration:** 1h10m" in md
    parked = next(t for t in tables(md) if t[0][0] == "Question")
    assert parked[1][3:] == ["Needs | the SRE lead", "Ana"] and parked[1][0].startswith("OPS02: ")
    times = next(t for t in tables(md) if t[0][0] == "Block")
    assert times[1] == [blocks[0].title, f"{blocks[0].minutes}m", "22m", f"+{22 - blocks[0].minutes}m"]
    assert times[-1][2] == "1h10m"
    timekeeping.resume(review, sid, t0 + timedelta(minutes=80))  # a clock left running: no wall clock read
    assert render_markdown(review, sid) == render_markdown(review, sid)
    assert "as of the last recorded timer event, 2026-01-10 10:20 UTC" in render_markdown(review, sid)


def test_one_report_reads_the_session_once(review: Review, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report, its parking lot and its time report share one SessionState snapshot."""
    from datetime import UTC, datetime, timedelta

    from wat_tui.review import timekeeping

    t0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    review.set_clock(lambda: t0)
    sid = new_session(review)
    timekeeping.start_session_clock(review, sid, t0)
    timekeeping.pause(review, sid, t0 + timedelta(minutes=30))
    timekeeping.park_question(review, sid, "wellarchitected/ops-model", "later", "Ana")
    calls: list[str] = []
    real = Review.state

    def counted(self: Review, session_id: str) -> SessionState:
        calls.append(session_id)
        return real(self, session_id)

    monkeypatch.setattr(Review, "state", counted)
    md = render_markdown(review, sid)
    assert "Parking lot" in md and "Time report" in md  # every part that reads the session ran
    assert calls == [sid]
    calls.clear()
    render_html(review, sid)
    assert calls == [sid]


def test_report_on_a_fresh_machine_creates_no_database(data_dir, capsys):  # type: ignore[no-untyped-def]
    from wat_tui.cli import main

    assert main(["report", "nobody"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("wat-tui: error: no session matches 'nobody'") and err.count("\n") == 1
    assert not data_dir.exists() or not any(data_dir.iterdir())
