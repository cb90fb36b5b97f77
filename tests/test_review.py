"""The Review facade: everything a facilitator does in a session, without a screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import raw_dump, raw_ingest
from wat_tui.errors import Ambiguous, NotFound, WatError
from wat_tui.lens.risk import NA_REASONS, Risk
from wat_tui.review.service import Review
from wat_tui.review.state import Answer

WA = "wellarchitected"
Q = "tracking-change-management"  # NONE: all five practices; MEDIUM: the two HIGH-level ones; else HIGH
PLANNED = "rel_tracking_change_management_planned_changemgmt"
FUNCTIONAL = "rel_tracking_change_management_functional_testing"
REST = (
    "rel_tracking_change_management_resiliency_testing",
    "rel_tracking_change_management_immutable_infrastructure",
    "rel_tracking_change_management_automated_changemgmt",
)
NONE_OF_THESE = "rel_tracking_change_management_no"


@pytest.fixture
def sid(review: Review) -> str:
    return review.create_session(
        "Checkout review", workload="ShopFast checkout", workload_type="critical-ecommerce",
        planned_minutes=300, lenses=(WA, "serverless"), participants=[("Ana Ruiz", "Facilitator")],
    )


def risk(review: Review, sid: str, alias: str = WA, qid: str = Q) -> Risk:
    st = review.state(sid)
    lens = st.lens(alias)
    assert lens is not None
    question = lens.question(qid)
    assert question is not None
    return st.risk(lens, question)


def dump(review: Review) -> list[str]:
    return raw_dump(review)


def test_create_session_records_everything(review: Review, sid: str) -> None:
    st = review.state(sid)
    assert (st.name, st.workload, st.workload_type, st.planned_minutes) == (
        "Checkout review", "ShopFast checkout", "critical-ecommerce", 300)
    assert [lens.alias for lens in st.lenses] == [WA, "serverless"]
    assert [(p.name, p.role) for p in st.participants] == [("Ana Ruiz", "Facilitator")]
    assert st.answered == 0
    assert st.total_questions == sum(len(lens.questions) for lens in st.lenses) > 50
    assert st.created_at.endswith("+00:00")
    (summary,) = review.list_sessions()
    assert (summary.id, summary.name, summary.answered, summary.total) == (sid, "Checkout review", 0,
                                                                          st.total_questions)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "needs a name"),
        ({"workload_type": "spaceship"}, "unknown workload type 'spaceship'"),
        ({"lenses": ("nosuchlens",)}, "no lens with alias 'nosuchlens'"),
        ({"lenses": ()}, "at least one lens"),
    ],
)
def test_create_session_refuses_bad_input_and_changes_nothing(
    review: Review, kwargs: dict[str, object], message: str
) -> None:
    before = dump(review)
    args: dict[str, object] = {"name": "x", **kwargs}
    name = str(args.pop("name"))
    with pytest.raises(WatError, match=message):
        review.create_session(name, **args)  # type: ignore[arg-type]
    assert dump(review) == before


def test_risk_follows_the_rules_of_a_real_question(review: Review, sid: str) -> None:
    assert risk(review, sid) is Risk.UNANSWERED
    review.toggle_choice(sid, WA, Q, PLANNED)
    assert risk(review, sid) is Risk.HIGH
    review.toggle_choice(sid, WA, Q, FUNCTIONAL)
    assert risk(review, sid) is Risk.MEDIUM
    for cid in REST:
        review.toggle_choice(sid, WA, Q, cid)
    assert risk(review, sid) is Risk.NONE
    review.toggle_choice(sid, WA, Q, REST[0])  # untick
    assert risk(review, sid) is Risk.MEDIUM
    assert review.state(sid).answered == 1


def test_none_of_these_is_exclusive(review: Review, sid: str) -> None:
    review.toggle_choice(sid, WA, Q, PLANNED)
    review.toggle_choice(sid, WA, Q, FUNCTIONAL)
    answer = review.toggle_choice(sid, WA, Q, NONE_OF_THESE)
    assert answer.selected == (NONE_OF_THESE,)
    assert risk(review, sid) is Risk.HIGH
    answer = review.toggle_choice(sid, WA, Q, PLANNED)
    assert answer.selected == (PLANNED,)
    review.toggle_choice(sid, WA, Q, PLANNED)
    assert review.state(sid).answer(WA, Q) is None  # nothing ticked: unanswered again
    assert risk(review, sid) is Risk.UNANSWERED


@pytest.mark.parametrize("reason", NA_REASONS)
def test_question_not_applicable_with_each_reason(review: Review, sid: str, reason: str) -> None:
    review.toggle_choice(sid, WA, Q, PLANNED)
    review.set_not_applicable(sid, WA, Q, reason)
    answer = review.state(sid).answer(WA, Q)
    assert answer is not None and (answer.not_applicable, answer.reason) == (True, reason)
    assert risk(review, sid) is Risk.NOT_APPLICABLE
    review.set_not_applicable(sid, WA, Q, None)
    assert risk(review, sid) is Risk.HIGH  # the ticks were kept underneath


def test_bad_reasons_are_refused_without_a_change(review: Review, sid: str) -> None:
    before = dump(review)
    with pytest.raises(WatError, match="unknown reason 'BORED'"):
        review.set_not_applicable(sid, WA, Q, "BORED")
    with pytest.raises(WatError, match="unknown reason"):
        review.set_choice_not_applicable(sid, WA, Q, PLANNED, "out of scope")
    with pytest.raises(NotFound, match="no choice 'made_up'"):
        review.toggle_choice(sid, WA, Q, "made_up")
    with pytest.raises(NotFound, match="no choice"):
        review.set_answer(sid, WA, Q, Answer(selected=("made_up",)))
    with pytest.raises(NotFound, match="no question"):
        review.toggle_choice(sid, WA, "no-such-question", PLANNED)
    with pytest.raises(NotFound, match="no lens 'saas'"):
        review.toggle_choice(sid, "saas", Q, PLANNED)
    with pytest.raises(NotFound):
        review.toggle_choice("no-such-session", WA, Q, PLANNED)
    assert dump(review) == before


def test_a_choice_not_applicable_counts_as_in_place(review: Review, sid: str) -> None:
    for cid in (PLANNED, FUNCTIONAL, REST[0], REST[1]):
        review.toggle_choice(sid, WA, Q, cid)
    assert risk(review, sid) is Risk.MEDIUM
    review.set_choice_not_applicable(sid, WA, Q, REST[2], "ARCHITECTURE_CONSTRAINTS")
    assert risk(review, sid) is Risk.NONE
    answer = review.state(sid).answer(WA, Q)
    assert answer is not None and answer.na_choices == {REST[2]: "ARCHITECTURE_CONSTRAINTS"}
    # Ticking it again makes it a practice in place, no longer "not applicable".
    answer = review.toggle_choice(sid, WA, Q, REST[2])
    assert answer.na_choices == {} and REST[2] in answer.selected
    # Only not-applicable choices, nothing ticked: answered, with the rules applied to them.
    review.set_choice_not_applicable(
        sid, WA, "backing-up-data", "rel_backing_up_data_identified_backups_data", "OTHER")
    assert risk(review, sid, WA, "backing-up-data") is Risk.HIGH
    review.set_choice_not_applicable(sid, WA, Q, REST[2], None)
    assert REST[2] in review.answer_of(sid, WA, Q).selected  # clearing the mark keeps the tick


def test_notes_add_edit_delete(review: Review, sid: str) -> None:
    key = f"{WA}/{Q}"
    first = review.add_note(sid, key, "Ana Ruiz", "Deploys are **manual**.")
    second = review.add_note(sid, key, "Dana Levi", "Keys in the wiki", private=True)
    notes = review.state(sid).notes_for(key)
    assert [(n.id, n.author, n.body, n.private) for n in notes] == [
        (first, "Ana Ruiz", "Deploys are **manual**.", False),
        (second, "Dana Levi", "Keys in the wiki", True),
    ]
    review.edit_note(sid, first, "Deploys are manual, from a laptop.")
    review.edit_note(sid, second, "Keys in the wiki (rotated)", private=False)
    notes = review.state(sid).notes_for(key)
    assert [(n.author, n.body, n.private) for n in notes] == [
        ("Ana Ruiz", "Deploys are manual, from a laptop.", False),
        ("Dana Levi", "Keys in the wiki (rotated)", False),
    ]
    review.delete_note(sid, first)
    assert [n.id for n in review.state(sid).notes] == [second]
    before = dump(review)
    with pytest.raises(NotFound):
        review.edit_note(sid, first, "too late")
    with pytest.raises(NotFound):
        review.delete_note(sid, "not-a-note")
    assert dump(review) == before


def test_action_items_add_edit_delete_with_validation(review: Review, sid: str) -> None:
    key = f"{WA}/{Q}"
    aid = review.add_action(sid, "Build a pipeline", "Chen Wei", "2027-01-31", "open", key)
    (item,) = review.state(sid).actions_for(key)
    assert (item.id, item.title, item.owner, item.due, item.status) == (aid, "Build a pipeline", "Chen Wei",
                                                                         "2027-01-31", "open")
    review.edit_action(sid, aid, status="in progress", due="2027-02-28")
    (item,) = review.state(sid).actions
    assert (item.status, item.due, item.title) == ("in progress", "2027-02-28", "Build a pipeline")
    before = dump(review)
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: review.add_action(sid, "  "), "needs a title"),
        (lambda: review.add_action(sid, "x", status="blocked"), "unknown status 'blocked'"),
        (lambda: review.add_action(sid, "x", due="31/01/2027"), "YYYY-MM-DD"),
        (lambda: review.add_action(sid, "x", due="2027-02-30"), "YYYY-MM-DD"),
        (lambda: review.edit_action(sid, aid, status="finished"), "unknown status"),
        (lambda: review.edit_action(sid, aid, due="tomorrow"), "YYYY-MM-DD"),
        (lambda: review.edit_action(sid, aid, colour="red"), "unknown action item field 'colour'"),
        (lambda: review.edit_action(sid, "nope", title="x"), "no action item"),
    ]
    for call, message in calls:
        with pytest.raises(WatError, match=message):
            call()
    assert dump(review) == before
    review.edit_action(sid, aid, due="")  # clearing the due date is allowed
    review.delete_action(sid, aid)
    assert review.state(sid).actions == []
    assert review.state(sid).conflicts == []
    with pytest.raises(NotFound):
        review.delete_action(sid, aid)


def test_participants_keyed_by_name_or_email(review: Review, sid: str) -> None:
    key = review.set_participant(sid, "  Ben   Okafor ", "Workload owner")
    assert review.set_participant(sid, "ben okafor", "Operations engineer") == key
    review.set_participant(sid, "Dana Levi", "Security specialist", "Dana@Example.com")
    people = {p.name: (p.role, p.email) for p in review.state(sid).participants}
    assert people == {"Ana Ruiz": ("Facilitator", ""), "ben okafor": ("Operations engineer", ""),
                      "Dana Levi": ("Security specialist", "Dana@Example.com")}
    review.remove_participant(sid, key)
    assert sorted(p.name for p in review.state(sid).participants) == ["Ana Ruiz", "Dana Levi"]
    with pytest.raises(WatError, match="needs a name"):
        review.set_participant(sid, " ", "Other")


def test_undo_and_redo_across_several_actions(review: Review, sid: str) -> None:
    review.toggle_choice(sid, WA, Q, PLANNED)
    review.toggle_choice(sid, WA, Q, FUNCTIONAL)
    aid = review.add_action(sid, "Pipeline", "Chen", "2027-01-31")
    review.set_session_field(sid, "name", "Renamed")
    assert review.undo(sid)
    assert review.state(sid).name == "Checkout review"
    assert review.list_sessions()[0].name == "Checkout review"  # the listing row follows undo too
    assert review.undo(sid)
    assert review.state(sid).actions == []  # the whole action item, all its fields, in one step
    assert review.undo(sid)
    assert risk(review, sid) is Risk.HIGH
    assert review.redo(sid)
    assert risk(review, sid) is Risk.MEDIUM
    assert review.redo(sid)
    assert [a.id for a in review.state(sid).actions] == [aid]
    assert review.undo(sid) and review.undo(sid) and review.undo(sid)
    assert risk(review, sid) is Risk.UNANSWERED
    assert review.undo(sid) is False  # creating the session is not an undoable edit
    assert review.redo(sid)
    assert risk(review, sid) is Risk.HIGH
    # A new edit after undo drops what could have been redone.
    review.toggle_choice(sid, WA, Q, NONE_OF_THESE)
    assert review.redo(sid) is False
    assert review.answer_of(sid, WA, Q).selected == (NONE_OF_THESE,)
    assert review.state(sid).name == "Checkout review"
    assert review.undo(sid)
    assert review.answer_of(sid, WA, Q).selected == (PLANNED,)
    assert review.state(sid).conflicts == []


def test_undo_is_a_new_operation_not_a_rewrite(review: Review, sid: str) -> None:
    review.toggle_choice(sid, WA, Q, PLANNED)
    ops_before = review.ops(sid)
    review.undo(sid)
    ops_after = review.ops(sid)
    assert ops_after[: len(ops_before)] == ops_before
    assert len(ops_after) == len(ops_before) + 1 and ops_after[-1].value is None


def test_position_is_remembered_across_close_and_reopen(data_dir: Path) -> None:
    review = Review.open(data_dir)
    sid = review.create_session("Position")
    assert review.position(sid) is None
    review.set_position(sid, f"{WA}/{Q}")
    review.set_position(sid, f"{WA}/identities")
    review.close()
    again = Review.open(data_dir)
    try:
        assert again.position(sid) == f"{WA}/identities"
    finally:
        again.close()


def test_find_session(review: Review) -> None:
    one = review.create_session("Payments API")
    two = review.create_session("Payments batch")
    three = review.create_session("Search")
    assert review.find_session(one) == one
    assert review.find_session(three[:8]) == three
    assert review.find_session("Payments API") == one
    assert review.find_session("payments a") == one
    assert review.find_session("sea") == three
    with pytest.raises(Ambiguous, match="matches 2 sessions") as info:
        review.find_session("Payments")
    assert "Payments API" in str(info.value) and "Payments batch" in str(info.value)
    with pytest.raises(NotFound, match="no session matches 'Billing'"):
        review.find_session("Billing")
    assert two != one


def test_an_empty_reference_matches_nothing(review: Review) -> None:
    review.create_session("Only one")
    for ref in ("", "   "):
        with pytest.raises(NotFound):
            review.find_session(ref)


def test_an_exact_name_wins_over_a_longer_name_it_prefixes(review: Review) -> None:
    short = review.create_session("Payments")
    review.create_session("Payments batch")
    assert review.find_session("Payments") == short


def test_demo_is_built_once_through_the_facade(review: Review) -> None:
    from wat_tui.review.demo import ensure_demo

    sid = ensure_demo(review)
    ops = len(review.ops(sid))
    assert ensure_demo(review) == sid
    assert len(review.ops(sid)) == ops
    st = review.state(sid)
    counts = st.counts()
    assert st.answered >= 10 and len(st.notes) >= 5 and len(st.actions) >= 5 and len(st.participants) >= 5
    assert counts[Risk.HIGH] and counts[Risk.MEDIUM] and counts[Risk.NONE]
    assert any(a.na_choices for a in st.answers.values())  # a practice that does not apply, with its reason
    assert st.conflicts == []
    assert review.undo(sid)  # built from real, undoable edits
    # No demo answer marks a "None of these" choice not applicable.
    for answer in st.answers.values():
        assert not any(c.endswith("_no") for c in answer.na_choices)


def test_session_fields_are_validated_before_anything_is_written(review: Review, sid: str) -> None:
    before = dump(review)
    for field, value, message in [
        ("planned_minutes", "abc", "whole minutes"),
        ("planned_minutes", 0, "whole minutes"),
        ("planned_minutes", 24 * 60 + 1, "whole minutes"),
        ("name", "  ", "needs a name"),
        ("name", 5, "expected text"),
        ("workload_type", "spaceship", "unknown workload type"),
        ("colour", "red", "unknown session field"),
    ]:
        with pytest.raises(WatError, match=message):
            review.set_session_field(sid, field, value)
    assert dump(review) == before
    review.set_session_field(sid, "planned_minutes", 270)
    review.set_session_field(sid, "workload_type", "financial")
    (summary,) = review.list_sessions()
    assert (summary.planned_minutes, summary.workload_type) == (270, "financial")


def test_none_of_these_cannot_be_marked_not_applicable(review: Review, sid: str) -> None:
    before = dump(review)
    with pytest.raises(WatError, match="'None of these'"):
        review.set_choice_not_applicable(sid, WA, Q, NONE_OF_THESE, "OUT_OF_SCOPE")
    assert dump(review) == before


def test_removing_an_unknown_participant_is_refused(review: Review, sid: str) -> None:
    before = dump(review)
    with pytest.raises(NotFound, match="no participant"):
        review.remove_participant(sid, "nobody")
    assert dump(review) == before


def test_names_match_regardless_of_case_and_prefixes_of_ids_and_names_compete(review: Review) -> None:
    api = review.create_session("Payments API")
    review.create_session("Payments API v2")
    assert review.find_session("payments api") == api
    other = review.create_session("x")
    named_like_id = review.create_session(other[:6] + " review")
    with pytest.raises(Ambiguous):
        review.find_session(other[:6])
    assert review.find_session(other) == other
    assert review.find_session(other[:6] + " r") == named_like_id


def test_notes_keep_the_order_they_were_written_in_when_edited(review: Review, sid: str) -> None:
    key = f"{WA}/{Q}"
    first = review.add_note(sid, key, "Ana", "first")
    second = review.add_note(sid, key, "Ana", "second")
    review.edit_note(sid, first, "first, edited")
    assert [n.id for n in review.state(sid).notes_for(key)] == [first, second]
    review.undo(sid)
    assert [n.id for n in review.state(sid).notes_for(key)] == [first, second]


def test_an_edit_that_changes_nothing_records_nothing(review: Review, sid: str) -> None:
    review.toggle_choice(sid, WA, Q, PLANNED)
    before = dump(review)
    review.set_not_applicable(sid, WA, Q, None)  # it was applicable already
    review.set_session_field(sid, "name", "Checkout review")
    review.set_choice_not_applicable(sid, WA, Q, FUNCTIONAL, None)
    review.edit_action(sid, review.add_action(sid, "x"))  # no fields
    review.undo(sid)  # takes back the action item only
    assert review.undo(sid)  # and then the tick: the no-ops left nothing in between
    assert review.state(sid).answer(WA, Q) is None
    assert review.redo(sid) and review.redo(sid)
    assert len(review.state(sid).actions) == 1
    assert before != dump(review)  # (the redone edits are new operations)


def test_the_same_value_still_resolves_a_conflict(review: Review, sid: str) -> None:
    from wat_tui.store.oplog import Op

    target = "session/workload"
    mine = review.values(sid, target)[0]
    with review.transaction():
        raw_ingest(review, Op("other-writer", 1, sid, target, "theirs", {}, "0000000000001-00000-other"))
    assert len(review.values(sid, target)) == 2
    review.set_session_field(sid, "workload", mine.value)
    assert [v.value for v in review.values(sid, target)] == [mine.value]


def test_position_needs_a_session_and_planned_minutes_a_range(review: Review) -> None:
    with pytest.raises(NotFound):
        review.set_position("no-such-session", "wellarchitected/identities")
    for minutes in (0, 24 * 60 + 1, 90.5):
        with pytest.raises(WatError, match="planned duration"):
            review.create_session("x", planned_minutes=minutes)  # type: ignore[arg-type]
    assert review.list_sessions() == []
