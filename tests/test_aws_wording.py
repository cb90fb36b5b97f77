"""The report says which wording it uses: wat-tui's own words, or the tool's official wording imported on this
laptop (never for our own lenses, whose questions are not the tool's whatever their alias)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import Run
from tests.test_aws_import import GET_ANSWER, LIST_ANSWERS
from wat_tui.exchange.aws_import import WORDING_FILE, report_wording
from wat_tui.review.service import Review


def lenses(data_dir: Path, *aliases: str) -> list:  # type: ignore[type-arg]
    with Review.open(data_dir) as review:
        return list(review.state(review.create_session("W", lenses=aliases)).lenses)


def test_our_own_words_when_nothing_was_imported(data_dir: Path) -> None:
    ls = lenses(data_dir, "wellarchitected", "wat-serverless")
    assert report_wording(data_dir, ls) == report_wording(data_dir, ls, official=True) == (
        "Questions and practices in wat-tui's own words (the ids are the AWS Well-Architected Tool's where the "
        "lens is the tool's).")


def test_the_tools_wording_once_imported(run: Run, data_dir: Path, tmp_path: Path) -> None:
    ls = lenses(data_dir, "wellarchitected", "serverless")  # serverless: our own lens of an earlier version
    for name, doc in (("get.json", GET_ANSWER), ("list.json", LIST_ANSWERS)):
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
        assert run("aws", "import", str(tmp_path / name))[0] == 0
    assert report_wording(data_dir, ls, official=True) == (
        "Questions and practices in the AWS Well-Architected Tool's official wording, imported on this laptop "
        "from the tool (AWS Well-Architected Framework: 1 of 57 questions); wat-tui's own words elsewhere.")
    # shown in our words while the overlay is off, and the imported wording is named as not used
    assert report_wording(data_dir, ls).endswith(
        "The tool's official wording imported on this laptop (for AWS Well-Architected Framework) is not used in "
        "this report.")


def test_a_damaged_copy_is_said_and_the_report_goes_on(data_dir: Path) -> None:
    ls = lenses(data_dir, "wellarchitected")
    (data_dir / WORDING_FILE).write_text("{not json", encoding="utf-8")
    assert "cannot be read" in report_wording(data_dir, ls, official=True)
