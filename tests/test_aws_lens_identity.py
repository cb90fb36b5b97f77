"""Our Serverless and SaaS lenses have aliases of their own (wat-serverless, wat-saas): the tool's serverless and
saas lenses are other lenses. Sessions of earlier versions (alias serverless) still open, report and merge; push
refuses our lenses with why, and maps onto the tool's lens by id once its answers were imported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from tests.support import Run, database_dump, one_error_line
from wat_tui.cli import aws as cli_aws
from wat_tui.lens.builtin import BUILTIN_ALIASES, LEGACY_ALIASES, LENS_DIR
from wat_tui.lens.loader import load_lens
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME

OLD_DB = Path(__file__).parent / "fixtures" / "db" / "0001.sqlite3"  # a session on the old alias "serverless"
WORKLOAD = "c" * 32
#: list-answers for the tool's serverless lens, in the API's shape with our own words: one question shares an id
#: with ours (two of its practices too), one does not.
TOOL_SERVERLESS: dict[str, Any] = {"WorkloadId": WORKLOAD, "LensAlias": "serverless", "AnswerSummaries": [
    {"QuestionId": "sls-app-health", "PillarId": "operationalExcellence", "QuestionTitle": "Tool words: health?",
     "Choices": [{"ChoiceId": "sls_app_health_structured_logs", "Title": "Logs"},
                 {"ChoiceId": "sls_app_health_distributed_tracing", "Title": "Traces"},
                 {"ChoiceId": "tool_only_choice", "Title": "Something of the tool's"}],
     "SelectedChoices": [], "IsApplicable": True, "Risk": "UNANSWERED"},
    {"QuestionId": "tool-only-question", "PillarId": "reliability", "QuestionTitle": "Tool words: limits?",
     "Choices": [{"ChoiceId": "tool_q_a", "Title": "A"}], "SelectedChoices": [], "IsApplicable": True,
     "Risk": "UNANSWERED"}]}


def test_our_lenses_have_aliases_of_their_own_and_the_old_ones_still_resolve() -> None:
    assert BUILTIN_ALIASES == ("wellarchitected", "wat-serverless", "wat-saas")
    for old, new in LEGACY_ALIASES.items():
        legacy, current = load_lens(LENS_DIR / f"{old}.json", old), load_lens(LENS_DIR / f"{new}.json", new)
        assert json.loads((LENS_DIR / f"{new}.json").read_text())["_alias"] == new
        assert "wat-tui" in current.name  # never mistaken for the tool's lens of the same subject
        # the same questions and practices: a session of either alias reads the same review
        assert [(q.id, [c.id for c in q.choices]) for q in legacy.questions] == [
            (q.id, [c.id for c in q.choices]) for q in current.questions]


def test_new_sessions_get_the_new_alias(run: Run, data_dir: Path) -> None:
    assert run("new", "Fresh", "--lens", "wat-serverless", "--lens", "wat-saas")[0] == 0
    with Review.open(data_dir) as review:
        st = review.state(review.find_session("Fresh"))
        assert [lens.alias for lens in st.lenses] == ["wat-serverless", "wat-saas"]


def old_laptop(data_dir: Path) -> str:
    data_dir.mkdir(parents=True)
    shutil.copyfile(OLD_DB, data_dir / DB_NAME)
    with Review.open(data_dir) as review:
        [summary] = review.list_sessions()
        return summary.id


def test_a_session_of_an_earlier_version_opens_reports_and_merges(run: Run, data_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    sid = old_laptop(data_dir)
    with Review.open(data_dir) as review:
        st = review.state(sid)
        assert [lens.alias for lens in st.lenses] == ["serverless"]
        assert st.answer("serverless", "sls-app-health") is not None
        review.toggle_choice(sid, "serverless", "sls-cost", "sls_cost_budget_alerts")  # still edited
    code, out, err = run("report", sid)
    assert (code, err) == (0, "") and "Serverless Applications Lens" in out
    bundle = tmp_path / "old.watb"
    assert run("export", sid, "-o", str(bundle))[0] == 0
    # A laptop with this version and no earlier data takes the old session in: the bundle carries its lens.
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("WAT_TUI_DATA_DIR", str(fresh))
    code, out, err = run("merge", str(bundle))
    assert (code, err) == (0, ""), err
    with Review.open(fresh) as review:
        st = review.state(sid)
        assert [lens.alias for lens in st.lenses] == ["serverless"]
        assert "sls_cost_budget_alerts" in st.answer("serverless", "sls-cost").selected  # type: ignore[union-attr]


def test_payloads_leave_our_lenses_out_and_say_why(run: Run, data_dir: Path, tmp_path: Path) -> None:
    sid = old_laptop(data_dir)
    code, out, err = run("aws", "payloads", sid, "-o", str(tmp_path / "p"))
    assert (code, err) == (0, "")
    assert "Left out lens serverless: wat-tui's own Serverless Applications Lens (serverless) has practices and " \
           "ids of its own, not those of the tool's 'serverless' lens" in out
    assert "wat-tui aws import FILE" in out
    assert not list((tmp_path / "p").rglob("*.json"))


def stub_client(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Stubber]:
    client = botocore.session.get_session().create_client(
        "wellarchitected", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    monkeypatch.setattr(cli_aws, "make_client", lambda profile, region: client)
    return client, Stubber(client)


def test_push_refuses_a_lens_the_tool_does_not_know(run: Run, data_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    sid = old_laptop(data_dir)
    before = database_dump(data_dir)
    _, stub = stub_client(monkeypatch)
    with stub:  # nothing is asked of the tool
        code, out, err = run("aws", "push", sid, "--workload-id", WORKLOAD, "--yes")
    assert code == 1
    one_error_line(err, "nothing to send", "serverless: wat-tui's own", "practices and ids of its own")
    assert database_dump(data_dir) == before


def test_push_maps_onto_the_tools_lens_once_imported(run: Run, data_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    sid = old_laptop(data_dir)
    fetched = tmp_path / "list-answers.json"
    fetched.write_text(json.dumps(TOOL_SERVERLESS), encoding="utf-8")
    assert run("aws", "import", str(fetched))[0] == 0
    code, out, err = run("aws", "payloads", sid, "-o", str(tmp_path / "p"))
    assert (code, err) == (0, ""), err
    # Only the question the tool's lens shares goes; the rest is named, never silently dropped.
    assert "Left out lens" not in out
    assert "Not mapped: serverless/OPS 1: no practice 'sls_app_health_actionable_alarms' in the tool's " \
           "serverless question; left out." in out
    assert "Not mapped: serverless/OPS 2: no question 'sls-app-lifecycle' in what was imported of the tool's " \
           "serverless lens; left out." in out
    request = json.loads((tmp_path / "p" / "serverless" / "sls-app-health.json").read_text())["UpdateAnswer"]
    assert request["LensAlias"] == "serverless"
    assert sorted(request["SelectedChoices"]) == ["sls_app_health_distributed_tracing",
                                                  "sls_app_health_structured_logs"]
    review_notes = json.loads((tmp_path / "p" / "serverless" / "lens-review.json").read_text())["UpdateLensReview"]
    assert list(review_notes["PillarNotes"]) == ["operationalExcellence"]
    # The push sends exactly that, checked against the tool's model by the stubber.
    _, stub = stub_client(monkeypatch)
    stub.add_response("get_answer", {"Answer": {"QuestionId": "sls-app-health", "SelectedChoices": []}},
                      {"WorkloadId": WORKLOAD, "LensAlias": "serverless", "QuestionId": "sls-app-health"})
    stub.add_response("get_answer", {"Answer": {"QuestionId": "sls-app-health", "SelectedChoices": []}},
                      {"WorkloadId": WORKLOAD, "LensAlias": "serverless", "QuestionId": "sls-app-health"})
    stub.add_response("update_answer", {}, {"WorkloadId": WORKLOAD, **request})
    stub.add_response("update_lens_review", {}, {"WorkloadId": WORKLOAD, **review_notes})
    with stub:
        code, out, err = run("aws", "push", sid, "--workload-id", WORKLOAD)
        assert (code, err) == (0, "") and "serverless/OPS 1: practices 0 -> 2" in out
        code, out, err = run("aws", "push", sid, "--workload-id", WORKLOAD, "--yes")
        assert (code, err) == (0, ""), err
        stub.assert_no_pending_responses()
    assert "Sent 1 answer(s)" in out


ORR = Path(__file__).parent / "fixtures" / "lens-corpus" / "ORR-Lens.json"


def test_a_custom_lens_goes_to_the_arn_it_is_named_by(run: Run, data_dir: Path, tmp_path: Path) -> None:
    assert run("lens", "import", str(ORR), "--alias", "orr")[0] == 0
    assert run("new", "Custom", "--lens", "orr")[0] == 0
    with Review.open(data_dir) as review:
        sid = review.find_session("Custom")
        q = review.state(sid).lens("orr").questions[0]  # type: ignore[union-attr]
        review.toggle_choice(sid, "orr", q.id, q.choices[0].id)
    code, out, err = run("aws", "payloads", "Custom", "-o", str(tmp_path / "p"))
    assert code == 0 and "Left out lens orr: the tool has no lens 'orr' that this laptop knows of" in out
    assert "--as-lens orr=ARN" in out
    arn = "arn:aws:wellarchitected:eu-west-1:123456789012:lens/0123456789abcdef0123456789abcdef"
    code, out, err = run("aws", "payloads", "Custom", "-o", str(tmp_path / "q"), "--as-lens", f"orr={arn}")
    assert (code, err) == (0, "") and "all valid" in out
    request = json.loads((tmp_path / "q" / "orr" / f"{q.id}.json").read_text())["UpdateAnswer"]
    assert request["LensAlias"] == arn and request["SelectedChoices"] == [q.choices[0].id]
    code, out, err = run("aws", "payloads", "Custom", "-o", str(tmp_path / "r"), "--as-lens", "orr")
    assert code == 1
    one_error_line(err, "--as-lens 'orr': write it as ALIAS=TOOL_ALIAS")


def test_an_answer_none_of_whose_practices_maps_leaves_the_tools_selection_alone(run: Run, data_dir: Path,
                                                                                  tmp_path: Path) -> None:
    from wat_tui.exchange.aws import build_payloads, known_tool_lenses
    from wat_tui.exchange.aws_import import read_tool_files

    sid = old_laptop(data_dir)
    doc = json.loads(json.dumps(TOOL_SERVERLESS))
    doc["AnswerSummaries"][0]["Choices"] = [{"ChoiceId": "tool_only_choice", "Title": "Something of the tool's"}]
    fetched = tmp_path / "list-answers.json"
    fetched.write_text(json.dumps(doc), encoding="utf-8")
    tool = known_tool_lenses(read_tool_files([fetched]).questions)
    with Review.open(data_dir) as review:
        payloads = build_payloads(review.state(sid), tool_lenses=tool)
    [request] = payloads.answers
    assert request.lens == "serverless" and request.where == "serverless/OPS 1"
    assert "SelectedChoices" not in request.params and request.params["IsApplicable"] is True
    assert "serverless/OPS 1: none of the practices in place is in the tool's serverless question; the tool's " \
           "selection is left as it is" in payloads.unmapped
