"""The review as the AWS Well-Architected Tool takes it, checked offline against botocore's model of the tool."""

from __future__ import annotations

from pathlib import Path

import botocore.session
import pytest

from wat_tui.exchange.aws import (
    PILLAR_NOTES_MAX,
    QUESTION_NOTES_MAX,
    build_payloads,
    plain_text,
    problems,
)
from wat_tui.review.demo import ensure_demo
from wat_tui.review.service import Review

WA = "wellarchitected"


def model_max(operation: str, *path: str) -> int:
    shape = botocore.session.get_session().get_service_model("wellarchitected").operation_model(operation).input_shape
    for name in path:
        shape = shape.members[name] if name != "value" else shape.value
    return int(shape.metadata["max"])


def test_our_limits_are_the_tools() -> None:
    assert model_max("UpdateAnswer", "Notes") == QUESTION_NOTES_MAX
    assert model_max("UpdateLensReview", "PillarNotes", "value") == PILLAR_NOTES_MAX


def test_every_request_of_the_demo_passes_the_tools_model(review: Review) -> None:
    sid = ensure_demo(review)
    state = review.state(sid)
    p = build_payloads(state)
    assert len(p.answers) == sum(1 for k in state.answers if k.startswith(WA + "/"))
    for req in p.answers:
        assert problems("UpdateAnswer", req.params) == [], req.label
    for lr in p.lens_reviews:
        assert problems("UpdateLensReview", lr.params) == []
    # our own serverless lens is never pushed under the tool's alias
    assert [alias for alias, _ in p.skipped_lenses] == ["serverless"]
    assert all(r.lens == WA for r in p.answers)
    assert p.private_left_out == sum(1 for n in state.notes if n.private) > 0


def test_not_applicable_questions_and_practices_and_notes(review: Review) -> None:
    sid = review.create_session("Push", lenses=[WA])
    q1, q2 = review.state(sid).lens(WA).questions[:2]  # type: ignore[union-attr]
    review.set_not_applicable(sid, WA, q1.id, "BUSINESS_PRIORITIES")
    review.toggle_choice(sid, WA, q2.id, q2.choices[0].id)
    review.set_choice_not_applicable(sid, WA, q2.id, q2.choices[1].id, "OUT_OF_SCOPE")
    review.add_note(sid, f"{WA}/{q2.id}", "Ana", "**Quota** alarms [red]x[/]\n\n- one\n- two \x1b]0;t\x07")
    review.add_note(sid, f"{WA}/{q2.id}", "Ana", "only for the facilitator", private=True)
    p = build_payloads(review.state(sid))
    by_q = {r.question_id: r.params for r in p.answers}
    assert by_q[q1.id]["IsApplicable"] is False and by_q[q1.id]["Reason"] == "BUSINESS_PRIORITIES"
    assert by_q[q2.id]["SelectedChoices"] == [q2.choices[0].id]
    assert by_q[q2.id]["ChoiceUpdates"] == {q2.choices[1].id: {"Status": "NOT_APPLICABLE", "Reason": "OUT_OF_SCOPE"}}
    assert by_q[q2.id]["Notes"] == "Ana: Quota alarms [red]x[/]\n- one\n- two ]0;t"
    assert "facilitator" not in by_q[q2.id]["Notes"]
    assert "facilitator" in build_payloads(review.state(sid), include_private=True).answers[1].params["Notes"]
    for params in by_q.values():
        assert problems("UpdateAnswer", params) == []


def test_notes_longer_than_the_tool_takes_are_cut_at_a_line_and_the_cut_is_reported(review: Review) -> None:
    sid = review.create_session("Long", lenses=[WA])
    q = review.state(sid).lens(WA).questions[0]  # type: ignore[union-attr]
    body = "\n\n".join(f"Paragraph {i}: " + "words " * 30 for i in range(40))
    review.add_note(sid, f"{WA}/{q.id}", "Ana", body)
    p = build_payloads(review.state(sid))
    notes = p.answers[0].params["Notes"]
    assert len(notes) <= QUESTION_NOTES_MAX and notes.endswith("[cut: the rest is in the wat-tui report]")
    [cut] = p.cuts
    assert cut.where == f"{WA}/{q.label} notes" and cut.total > QUESTION_NOTES_MAX > cut.kept
    assert problems("UpdateAnswer", p.answers[0].params) == []


@pytest.mark.parametrize(("params", "expected"), [
    ({"LensAlias": WA, "QuestionId": "q", "Notes": "x" * 3000}, "Notes: 3000 characters, at most 2084"),
    ({"LensAlias": WA, "QuestionId": "q", "IsApplicable": False, "Reason": "BORED"}, "'BORED' is not one of"),
    ({"LensAlias": WA}, "Missing required parameter"),
    ({"LensAlias": WA, "QuestionId": "q", "SelectedChoices": "c1"}, "Invalid type"),
])
def test_the_check_finds_what_the_tool_would_refuse(params: dict[str, object], expected: str) -> None:
    assert any(expected in p for p in problems("UpdateAnswer", params)), problems("UpdateAnswer", params)


def test_plain_text_keeps_the_words_and_drops_the_marks() -> None:
    assert plain_text("# Title\n\nSome *em* and `code`.\n\n1. first\n2. second\n\n> quoted") == (
        "Title\nSome em and code.\n- first\n- second\nquoted")
    assert plain_text("") == "" and plain_text("\x07\x1b[2J") == "[2J"


def test_no_network_is_needed(monkeypatch: pytest.MonkeyPatch, review: Review, tmp_path: Path) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    sid = ensure_demo(review)
    for req in build_payloads(review.state(sid)).answers:
        assert problems("UpdateAnswer", req.params) == []


# -- the stubbed round trip: nothing leaves the machine -------------------------------------------------------


def stubbed_client():  # type: ignore[no-untyped-def]
    from botocore.stub import Stubber

    client = botocore.session.get_session().create_client(
        "wellarchitected", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    return client, Stubber(client)


def test_push_round_trip_through_a_stub_gives_the_same_risks(review: Review) -> None:
    from wat_tui.exchange.aws import plan_push, push
    from wat_tui.lens.risk import question_risk

    sid = ensure_demo(review)
    state = review.state(sid)
    payloads = build_payloads(state)
    workload = "a" * 32
    client, stub = stubbed_client()
    for req in payloads.answers:  # the tool holds nothing yet
        stub.add_response("get_answer", {"Answer": {"QuestionId": req.question_id, "SelectedChoices": []}},
                          {"WorkloadId": workload, "LensAlias": req.lens, "QuestionId": req.question_id})
    for req in payloads.answers:  # every request is checked against the model by the stubber
        stub.add_response("update_answer", {"WorkloadId": workload, "LensAlias": req.lens},
                          {"WorkloadId": workload, **req.params})
    for lr in payloads.lens_reviews:
        stub.add_response("update_lens_review", {"WorkloadId": workload}, {"WorkloadId": workload, **lr.params})
    stub.add_response("create_milestone", {"WorkloadId": workload, "MilestoneNumber": 1},
                      {"WorkloadId": workload, "MilestoneName": "After the workshop",
                       "ClientRequestToken": f"wat-tui-{workload[:16]}-After the workshop"})
    with stub:
        changes = plan_push(client, workload, payloads)
        assert sum(c.changes_anything for c in changes) == len(payloads.answers)
        result = push(client, workload, payloads, milestone="After the workshop")
        stub.assert_no_pending_responses()
    assert len(result.sent) == len(payloads.answers) and result.milestone == "After the workshop"
    # What the tool now holds gives the same risk as the room's answer, question by question.
    lens = state.lens(WA)
    assert lens is not None
    for req in payloads.answers:
        q = lens.question(req.question_id)
        assert q is not None
        na = {c for c, u in req.params.get("ChoiceUpdates", {}).items() if u["Status"] == "NOT_APPLICABLE"}
        back = question_risk(q, req.params.get("SelectedChoices", []),
                             not_applicable=not req.params.get("IsApplicable", True), na_choices=na)
        assert back == state.risk(lens, q), req.label


def test_a_failed_push_stops_and_says_what_was_sent(review: Review) -> None:
    from wat_tui.exchange.aws import PushFailed, push

    sid = ensure_demo(review)
    payloads = build_payloads(review.state(sid))
    workload = "b" * 32
    client, stub = stubbed_client()
    first, second = payloads.answers[:2]
    stub.add_response("update_answer", {}, {"WorkloadId": workload, **first.params})
    stub.add_client_error("update_answer", "ThrottlingException", "Rate exceeded")
    with stub, pytest.raises(PushFailed) as info:
        push(client, workload, payloads)
    message = str(info.value)
    assert f"{second.lens}/{second.label}" in message and "Rate exceeded" in message
    assert f"sent before the failure: {first.lens}/{first.label}" in message and info.value.sent == (
        f"{first.lens}/{first.label}",)
