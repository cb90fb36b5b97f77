"""Reading what the facilitator fetched from the AWS tool: get-answer, list-answers, a workload export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.validate import validate_parameters

from wat_tui.errors import WatError
from wat_tui.exchange.aws_import import read_tool_files

# Our own words, in the shape of the tool's API model (checked against botocore's model below).
ANSWER: dict[str, Any] = {
    "QuestionId": "securely-operate", "PillarId": "security",
    "QuestionTitle": "How does the team run this workload safely day to day?",
    "QuestionDescription": "Words of our own for a test.",
    "Choices": [{"ChoiceId": "sec_securely_operate_multi_accounts", "Title": "Separate accounts",
                 "Description": "One per environment."},
                {"ChoiceId": "sec_securely_operate_no", "Title": "None of these"}],
    "SelectedChoices": ["sec_securely_operate_multi_accounts"],
    "ChoiceAnswers": [], "IsApplicable": True, "Risk": "MEDIUM", "Notes": "From the tool [red]x[/] \x1b]0;t\x07",
}
GET_ANSWER = {"WorkloadId": "a" * 32, "LensAlias": "wellarchitected",
              "LensArn": "arn:aws:wellarchitected::aws:lens/wellarchitected", "Answer": ANSWER}
LIST_ANSWERS = {"WorkloadId": "a" * 32, "LensAlias": "serverless", "AnswerSummaries": [
    {"QuestionId": "sls-ops-1", "PillarId": "operationalExcellence", "QuestionTitle": "How do you watch functions?",
     "Choices": [{"ChoiceId": "sls_a", "Title": "Structured logs"}], "SelectedChoices": [],
     "ChoiceAnswerSummaries": [{"ChoiceId": "sls_a", "Status": "NOT_APPLICABLE", "Reason": "OUT_OF_SCOPE"}],
     "IsApplicable": False, "Risk": "NOT_APPLICABLE", "Reason": "BUSINESS_PRIORITIES"}]}


def write(tmp_path: Path, name: str, doc: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_fixtures_have_the_shape_of_the_tools_api_model() -> None:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    validate_parameters(GET_ANSWER, model.operation_model("GetAnswer").output_shape)
    validate_parameters(LIST_ANSWERS, model.operation_model("ListAnswers").output_shape)


def test_get_answer_list_answers_and_a_workload_export_are_read(tmp_path: Path) -> None:
    export = {"workload": [{"WorkloadId": "a" * 32}], "lenses": [{"wellarchitected": [ANSWER]}]}
    overlay = read_tool_files([write(tmp_path, "get.json", GET_ANSWER), write(tmp_path, "list.json", LIST_ANSWERS),
                               write(tmp_path, "workload.json", export)])
    text = overlay.questions["wellarchitected"]["securely-operate"]
    assert text.title == ANSWER["QuestionTitle"] and text.choices["sec_securely_operate_multi_accounts"].title == (
        "Separate accounts")
    assert overlay.answers["wellarchitected"]["securely-operate"].selected == ("sec_securely_operate_multi_accounts",)
    assert overlay.answers["wellarchitected"]["securely-operate"].notes == ANSWER["Notes"]  # kept as text
    sls = overlay.answers["serverless"]["sls-ops-1"]
    assert sls.applicable is False and sls.reason == "BUSINESS_PRIORITIES" and sls.not_applicable_choices == {
        "sls_a": "OUT_OF_SCOPE"}


@pytest.mark.parametrize(("doc", "where"), [
    ([1, 2], "expected an object"),
    ({"Something": 1}, "not output of 'aws wellarchitected get-answer'"),
    ({"LensAlias": "wellarchitected", "Answer": {**ANSWER, "QuestionId": 5}}, "Answer.QuestionId: expected text"),
    ({"LensAlias": "wellarchitected", "Answer": {**ANSWER, "QuestionTitle": "t" * 5000}},
     "Answer.QuestionTitle: 5,000 characters"),
    ({"LensAlias": "wellarchitected", "Answer": {**ANSWER, "SelectedChoices": ["nope"]}},
     "Answer.SelectedChoices: choice 'nope' is not among"),
    ({"LensAlias": "wellarchitected", "Answer": {**ANSWER, "IsApplicable": False, "Reason": "BORED"}},
     "Answer.Reason: 'BORED' is not one of"),
    ({"LensAlias": "bad alias", "Answer": ANSWER}, "LensAlias (lens alias): 'bad alias' is not an id"),
    ({"LensAlias": "serverless", "AnswerSummaries": []}, "holds no answers"),
    ({"lenses": [{"wellarchitected": [{**ANSWER, "Choices": "x"}]}]}, "lenses[0].wellarchitected[0].Choices: "),
])
def test_hostile_files_are_refused_with_one_located_message(tmp_path: Path, doc: Any, where: str) -> None:
    good = write(tmp_path, "good.json", GET_ANSWER)
    bad = write(tmp_path, "bad.json", doc)
    with pytest.raises(WatError) as info:
        read_tool_files([good, bad])
    message = str(info.value)
    assert message.startswith(f"{bad}: ") and where in message and "\n" not in message


def test_files_that_are_not_json_or_not_files(tmp_path: Path) -> None:
    (tmp_path / "trunc.json").write_text('{"Answer": {', encoding="utf-8")
    (tmp_path / "bytes.json").write_bytes(b"\xff\xfe")
    for name, expected in (("trunc.json", "not JSON"), ("bytes.json", "not UTF-8"), ("missing.json", "cannot read")):
        with pytest.raises(WatError, match=expected):
            read_tool_files([tmp_path / name])
    with pytest.raises(WatError, match="not a regular file"):
        read_tool_files([tmp_path])


def test_a_session_starts_from_the_answers_already_in_the_tool(tmp_path: Path) -> None:
    from wat_tui.exchange.aws_import import start_session
    from wat_tui.review.service import Review

    overlay = read_tool_files([write(tmp_path, "get.json", GET_ANSWER), write(tmp_path, "list.json", LIST_ANSWERS)])
    with Review.open(tmp_path / "data") as review:
        sid, left_out = start_session(review, overlay, "From the tool")
        state = review.state(sid)
        assert [lens.alias for lens in state.lenses] == ["wellarchitected"]
        answer = state.answer("wellarchitected", "securely-operate")
        assert answer is not None and answer.selected == ("sec_securely_operate_multi_accounts",)
        [note] = state.notes_for("wellarchitected/securely-operate")
        assert note.author == "AWS Well-Architected Tool" and note.body == ANSWER["Notes"]
        # the tool's serverless lens is not wat-tui's own (once under the same alias): said, never filled in
        assert left_out == ["lens 'serverless': the tool's own lens, which this laptop does not have (wat-tui's "
                            "own wat-serverless has practices of its own); its wording is kept"]
