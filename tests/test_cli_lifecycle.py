"""The commands before and after the workshop: prepare, agenda, and the AWS tool's payloads, push and import."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.session
import pytest
from botocore.stub import Stubber

from tests.support import database_dump
from tests.test_aws_import import GET_ANSWER
from wat_tui.cli import main
from wat_tui.review.demo import ensure_demo
from wat_tui.review.service import Review


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(data_dir: Path) -> str:
    with Review.open(data_dir) as review:
        return ensure_demo(review)


def test_prepare_writes_the_invitation_pack(capsys: pytest.CaptureFixture[str], demo: str, tmp_path: Path) -> None:
    code, out, err = run(capsys, "prepare", demo, "--start", "2026-12-08 09:00")
    assert code == 0 and err == ""
    assert out.startswith("# Invitation: ") and "## The workload" in out and "09:00" in out
    target = tmp_path / "invite.md"
    assert run(capsys, "prepare", demo, "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Invitation: ")
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_agenda_alone_and_a_bad_start(capsys: pytest.CaptureFixture[str], demo: str) -> None:
    code, out, _ = run(capsys, "agenda", demo, "--start", "2026-12-08T09:00")
    assert code == 0 and out.startswith("# Agenda") and "Reliability" in out
    code, out, err = run(capsys, "agenda", demo, "--start", "tomorrow morning")
    assert code == 1 and err == "wat-tui: error: --start 'tomorrow morning': expected a date and time such as " \
        "'2026-12-08 09:00'\n"


def test_aws_payloads_are_written_and_checked(capsys: pytest.CaptureFixture[str], demo: str, tmp_path: Path) -> None:
    folder = tmp_path / "payloads"
    code, out, err = run(capsys, "aws", "payloads", demo, "-o", str(folder))
    assert code == 0 and err == "", err
    assert "Checked against the tool's API model: all valid." in out
    assert "Left out lens serverless" in out and "private note(s) left out" in out
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.json"))
    assert "wellarchitected/lens-review.json" in files and len(files) > 10
    one = json.loads((folder / files[0]).read_text(encoding="utf-8"))
    assert set(one) in ({"UpdateAnswer"}, {"UpdateLensReview"})


def test_aws_push_dry_run_then_send_through_a_stub(capsys: pytest.CaptureFixture[str], demo: str,
                                                    monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    from wat_tui.cli import aws as cli_aws
    from wat_tui.exchange.aws import build_payloads

    with Review.open(data_dir) as review:
        payloads = build_payloads(review.state(demo))
    client = botocore.session.get_session().create_client(
        "wellarchitected", region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    stub = Stubber(client)
    monkeypatch.setattr(cli_aws, "make_client", lambda profile, region: client)
    workload = "c" * 32
    for sends in (False, True):  # the dry run and the real run both read the tool's answers first
        for req in payloads.answers:
            stub.add_response("get_answer", {"Answer": {"QuestionId": req.question_id, "SelectedChoices": []}},
                              {"WorkloadId": workload, "LensAlias": req.lens, "QuestionId": req.question_id})
        if sends:
            for req in payloads.answers:
                stub.add_response("update_answer", {}, {"WorkloadId": workload, **req.params})
            for lr in payloads.lens_reviews:
                stub.add_response("update_lens_review", {}, {"WorkloadId": workload, **lr.params})
    with stub:
        code, out, err = run(capsys, "aws", "push", demo, "--workload-id", workload)
        assert code == 0 and "Dry run: nothing was sent." in out, err
        assert f"{len(payloads.answers)} of {len(payloads.answers)} answer(s) would change" in out
        code, out, err = run(capsys, "aws", "push", demo, "--workload-id", workload, "--yes")
        assert code == 0 and f"Sent {len(payloads.answers)} answer(s)" in out, err
        stub.assert_no_pending_responses()


def test_aws_import_keeps_the_wording_and_starts_a_session(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                          tmp_path: Path) -> None:
    source = tmp_path / "get.json"
    source.write_text(json.dumps(GET_ANSWER), encoding="utf-8")
    code, out, err = run(capsys, "aws", "import", str(source), "--start", "From the tool")
    assert code == 0 and err == "", err
    assert "Kept the tool's wording of 1 question(s) (wellarchitected)" in out and "Started session" in out
    kept = json.loads((data_dir / "tool-wording.json").read_text(encoding="utf-8"))
    assert kept["questions"]["wellarchitected"]["securely-operate"]["title"] == GET_ANSWER["Answer"]["QuestionTitle"]
    assert oct((data_dir / "tool-wording.json").stat().st_mode & 0o777) == "0o600"
    with Review.open(data_dir) as review:
        sid = review.find_session("From the tool")
        assert review.state(sid).answer("wellarchitected", "securely-operate") is not None


def test_a_hostile_tool_file_changes_nothing(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                             tmp_path: Path) -> None:
    with Review.open(data_dir) as review:
        ensure_demo(review)
    before = database_dump(data_dir)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"LensAlias": "wellarchitected", "Answer": {"QuestionId": 5}}), encoding="utf-8")
    code, out, err = run(capsys, "aws", "import", str(bad), "--start", "Nope")
    assert code == 1 and out == "" and err.startswith(f"wat-tui: error: {bad}: Answer.QuestionId: ")
    assert database_dump(data_dir) == before and not (data_dir / "tool-wording.json").exists()
