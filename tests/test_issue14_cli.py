"""Issue 14 from the command line: milestone, compare, followup, cadence, actions, and `list` saying which
reviews are due. Each is driven as a user runs it; bad input gets one located line, a non-zero exit and no
change to the database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.support import Run, database_dump, one_error_line
from wat_tui.review.roadmap import CSV_HEADER
from wat_tui.review.service import Review
from wat_tui.review.state import Answer


@pytest.fixture
def shop(data_dir: Path) -> dict[str, str]:
    """A reviewed session: two questions at high risk (the first analysed), one action linked to the first."""
    with Review.open(data_dir) as review:
        sid = review.create_session("Shop review", workload="Shop", workload_type="critical-ecommerce")
        lens = review.state(sid).lenses[0]
        keys, labels = [], []
        for q in lens.questions[:2]:
            assert q.none_choice is not None
            review.toggle_choice(sid, lens.alias, q.id, q.none_choice.id)
            keys.append(f"{lens.alias}/{q.id}")
            labels.append(q.label)
        review.set_analysis(sid, keys[0], "high", "low", "checkout needs it")
        aid = review.add_action(sid, "=Turn on MFA", owner="Bo", due="2027-01-15", question=keys[0])
        review.link_action(sid, aid, keys[1])
        return {"sid": sid, "alias": lens.alias, "q0": lens.questions[0].id, "key0": keys[0], "label0": labels[0],
                "label1": labels[1], "aid": aid}


def _commonmark(doc: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(doc)
    return [t.tag for t in tokens if t.type == "heading_open"]


def test_a_milestone_is_recorded_and_listed(run: Run, shop: dict[str, str], data_dir: Path) -> None:
    code, out, err = run("milestone", "Shop", "Workshop day")
    assert code == 0 and err == "", err
    assert out.startswith("Recorded milestone Workshop day (") and "2 high, 0 medium, 1 action items" in out
    code, out, _ = run("milestone", "Shop")
    assert code == 0 and "Workshop day" in out and out.splitlines()[0].split() == [
        "ID", "NAME", "TAKEN", "HIGH", "MEDIUM", "OPEN", "ACTIONS"]
    before = database_dump(data_dir)
    for argv, needles in ((["milestone", "Shop", "  "], ["a milestone needs a name"]),
                          (["milestone", "Shop", "workshop DAY"], ["exists already"]),
                          (["milestone", "Nowhere", "X"], ["no session matches 'Nowhere'"]),
                          (["milestone", "Shop", "x" * 501], ["milestone name: 501 characters; at most 500"])):
        code, _, err = run(*argv)
        assert code == 1
        one_error_line(err, *needles)
    assert database_dump(data_dir) == before


def test_compare_shows_progress_since_the_latest_milestone(run: Run, shop: dict[str, str], data_dir: Path) -> None:
    code, _, err = run("compare", "Shop")
    assert code == 1
    one_error_line(err, "no milestone yet", "wat-tui milestone SESSION NAME")
    assert run("milestone", "Shop", "Workshop")[0] == 0
    code, out, _ = run("compare", "Shop")
    assert code == 0 and out.startswith("## Progress since Workshop") and "0 resolved, 0 new" in out
    with Review.open(data_dir) as review:  # the month after: the first question fixed, the action done
        q = review.state(shop["sid"]).lenses[0].question(shop["q0"])
        assert q is not None
        review.set_answer(shop["sid"], shop["alias"], q.id,
                          Answer(tuple(c.id for c in q.choices if not c.is_none_choice)))
        review.edit_action(shop["sid"], shop["aid"], status="done")
    code, out, _ = run("compare", "Shop")
    assert code == 0 and "1 resolved, 0 new, 0 changed level, 1 still open; 1 actions closed" in out
    assert "### Resolved" in out and shop["label0"] in out and "### Actions closed" in out
    assert "Turn on MFA" in out
    assert _commonmark(out)[0] == "h2"
    assert run("milestone", "Shop", "March check-in")[0] == 0
    code, out, _ = run("compare", "Shop", "Workshop", "March")
    assert code == 0 and out.startswith("## Progress from Workshop to March check-in") and "1 resolved" in out
    code, out, _ = run("compare", "Shop", "March")  # the later milestone against now: nothing moved
    assert code == 0 and "0 resolved, 0 new" in out
    before = database_dump(data_dir)
    code, _, err = run("compare", "Shop", "April")
    assert code == 1
    one_error_line(err, "no milestone matches 'April'", "'Workshop'")
    assert database_dump(data_dir) == before


def test_followup_plans_a_short_meeting_on_open_risks_and_actions(run: Run, shop: dict[str, str],
                                                                  tmp_path: Path) -> None:
    code, out, err = run("followup", "Shop", "--start", "2027-01-05 10:00")
    assert code == 0 and err == ""
    assert out.startswith("# Follow-up: Shop review")
    assert "Cadence: Critical workload" in out and "10:00" in out
    total = int(out.split("- Length: ")[1].split(" ")[0])
    assert 30 <= total <= 60
    assert shop["label0"] in out and shop["label1"] in out and "impact high, effort low" in out
    assert "\\=Turn on MFA" in out or "=Turn on MFA" in out
    assert _commonmark(out)[:4] == ["h1", "h2", "h2", "h2"]
    target = tmp_path / "followup.md"
    assert run("followup", "Shop", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Follow-up: ")
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    code, _, err = run("followup", "Shop", "--start", "soon")
    assert code == 1
    one_error_line(err, "--start 'soon'")


def test_followup_markdown_is_an_option_and_the_meeting_opens_in_the_app(
        run: Run, shop: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from wat_tui.cli import followup

    code, out, err = run("followup", "Shop", "--markdown")
    assert code == 0 and err == "" and out.startswith("# Follow-up: Shop review")
    assert shop["label0"] in out and "## Open actions" in out
    # Not in a terminal (a pipe, a script: as here), the plan is written rather than an app opened.
    code, piped, _ = run("followup", "Shop")
    assert code == 0 and piped == out
    opened: list[tuple[object, ...]] = []

    def run_app(data: Path, sid: str | None = None, *, followup: bool = False) -> int:
        opened.append((data, sid, followup))
        return 0

    monkeypatch.setattr(followup, "_in_a_terminal", lambda: True)
    monkeypatch.setattr("wat_tui.ui.app.run_app", run_app)
    code, out, _ = run("followup", "Shop")
    assert code == 0 and out == "" and opened == [(opened[0][0], shop["sid"], True)]
    code, out, _ = run("followup", "Shop", "--markdown")  # in a terminal, the option still prints the plan
    assert code == 0 and out.startswith("# Follow-up: ") and len(opened) == 1
    code, _, err = run("followup", "Nowhere")
    assert code == 1 and len(opened) == 1
    one_error_line(err, "no session matches 'Nowhere'")


def test_the_cadence_is_shown_and_chosen(run: Run, shop: dict[str, str], data_dir: Path) -> None:
    code, out, _ = run("cadence", "Shop")
    assert code == 0 and out.startswith("Cadence: Critical workload (critical, from the workload type)")
    assert "Next check-in: " in out
    code, out, _ = run("cadence", "Shop", "post-incident")
    assert code == 0 and "(post-incident, chosen for this session)" in out and "Next full review: " in out
    before = database_dump(data_dir)
    code, _, err = run("cadence", "Shop", "weekly")
    assert code == 1
    one_error_line(err, "unknown review cadence 'weekly'", "new, existing, critical, post-incident")
    assert database_dump(data_dir) == before
    code, out, _ = run("cadence", "Shop", "--default")
    assert code == 0 and "from the workload type" in out


def test_list_shows_reviews_due_or_overdue(run: Run, shop: dict[str, str], data_dir: Path) -> None:
    today = date.today()
    code, out, _ = run("list")
    assert code == 0 and "NEXT REVIEW" in out
    assert f"{(today + timedelta(days=30)).isoformat()} check-in" in out and "due or overdue" not in out
    assert run("cadence", "Shop", "post-incident")[0] == 0  # 14 days: due now
    code, out, _ = run("list")
    assert f"{(today + timedelta(days=14)).isoformat()} full review (due)" in out
    assert "1 review is due or overdue by cadence: Shop review." in out
    with Review.open(data_dir) as review:
        old = review.create_session("Old payments", workload_type="startup-mvp")
        review.set_session_field(old, "created_at", "2025-01-10T09:00:00+00:00")
    code, out, _ = run("list")
    assert "2025-07-09 full review (overdue)" in out
    assert "2 reviews are due or overdue by cadence: Shop review, Old payments." in out


def test_actions_export_as_csv_for_an_issue_tracker(run: Run, shop: dict[str, str], tmp_path: Path,
                                                    data_dir: Path) -> None:
    target = tmp_path / "actions.csv"
    code, out, err = run("actions", "Shop", "-o", str(target))
    assert code == 0 and err == "" and out == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_HEADER
    (row,) = rows[1:]
    title, description, owner, due, status, labels = row
    assert title == "'=Turn on MFA"  # never a formula in a spreadsheet
    assert shop["label0"] in description and shop["label1"] in description and "Analysis: checkout needs it" \
        in description
    assert (owner, due, status) == ("Bo", "2027-01-15", "open")
    with Review.open(data_dir) as review:  # "None of these": every practice of the question is missing
        lens = review.state(shop["sid"]).lenses[0]
        q = lens.question(shop["q0"])
        assert q is not None
        ids = [c.ref or c.id for c in q.choices if not c.is_none_choice]
    assert f"Missing practices: {', '.join(ids)}" in description
    assert "high-risk" in labels.split(",")
    code, out, _ = run("actions", "Shop")
    assert code == 0 and out.startswith('"Title","Description"')
    before = database_dump(data_dir)
    code, _, err = run("actions", "Shop", "-o", str(tmp_path))
    assert code == 1
    one_error_line(err, "is a directory")
    assert database_dump(data_dir) == before


@pytest.mark.parametrize("argv", [["compare"], ["milestone"], ["followup"], ["actions"], ["cadence"],
                                  ["compare", "Shop", "a", "b", "c"]])
def test_usage_errors(run: Run, argv: list[str]) -> None:
    code, _, err = run(*argv)
    assert code == 2
    one_error_line(err)


def test_commands_on_a_fresh_machine_create_no_database(run: Run, data_dir: Path) -> None:
    for argv in (["milestone", "Shop", "X"], ["compare", "Shop"], ["followup", "Shop"], ["actions", "Shop"],
                 ["cadence", "Shop"]):
        code, _, err = run(*argv)
        assert code == 1
        one_error_line(err, "no session matches 'Shop'")
    assert database_dump(data_dir) is None


def test_a_milestone_is_dated_by_the_clock(data_dir: Path) -> None:
    with Review.open(data_dir) as review:
        review.set_clock(lambda: datetime(2031, 5, 1, 12, 0, tzinfo=UTC))
        sid = review.create_session("Later")
        review.record_milestone(sid, "Far future")
        assert review.milestones(sid)[0].at == "2031-05-01T12:00:00+00:00"


def test_analysis_from_the_command_line(run: Run, shop: dict[str, str], data_dir: Path) -> None:
    code, out, _ = run("analysis", "Shop")
    assert code == 0 and out.splitlines()[0].split() == ["FINDING", "PILLAR", "RISK", "IMPACT", "EFFORT",
                                                         "QUADRANT", "KEY"]
    rows = [ln.split() for ln in out.splitlines()[1:] if ln.strip() and not ln.startswith("Ordered")]
    assert [r[0] for r in rows] == [shop["label0"], shop["label1"]]  # the analysed one first
    assert "Ordered by business impact, then technical effort, then risk level." in out
    code, out, _ = run("analysis", "Shop", shop["label1"].lower(), "--impact", "high", "--effort", "medium",
                       "--note", "needs the DBA")
    assert code == 0 and out.startswith(f"{shop['label1']} ({shop['alias']}/")
    assert "impact high, effort medium; major project" in out
    code, out, _ = run("analysis", "Shop", shop["label1"], "--effort", "-")  # keeps the impact and note
    assert "impact high, effort not scored" in out
    with Review.open(data_dir) as review:
        (a,) = [v for k, v in review.analysis(shop["sid"]).items() if k != shop["key0"]]
        assert (a.impact, a.effort, a.note) == ("high", None, "needs the DBA")
    code, out, _ = run("analysis", "Shop", shop["key0"], "--clear")
    assert code == 0 and out.startswith("Cleared the analysis of ")
    before = database_dump(data_dir)
    for argv, needles in ((["analysis", "Shop", shop["label0"], "--impact", "huge"],
                           ["--impact 'huge': expected low, medium, high or - (not scored)"]),
                          (["analysis", "Shop", "XYZ99", "--impact", "low"], ["no question 'XYZ99'"]),
                          (["analysis", "Shop", "--impact", "low"], ["need a FINDING"]),
                          (["analysis", "Shop", shop["label0"]], ["say what to set"]),
                          (["analysis", "Shop", shop["label0"], "--clear", "--note", "x"], ["--clear takes no"]),
                          (["analysis", "Shop", shop["label0"], "--note", "x" * 5001],
                           ["analysis note: 5,001 characters; at most 5,000"])):
        code, _, err = run(*argv)
        assert code == 1, argv
        one_error_line(err, *needles)
    assert database_dump(data_dir) == before


def test_link_an_action_to_findings_from_the_command_line(run: Run, shop: dict[str, str], data_dir: Path) -> None:
    code, out, _ = run("link", "Shop", shop["aid"][:8], shop["label0"])
    assert code == 0 and out.startswith("=Turn on MFA addresses: ")
    linked = out.strip().split("addresses: ")[1].split(", ")
    assert len(linked) == 2 and linked[1] == shop["key0"]
    code, out, _ = run("link", "Shop", "=Turn on MFA", shop["label0"], "--remove")
    assert code == 0 and shop["key0"] not in out.split("addresses: ")[1].split(", ")
    before = database_dump(data_dir)
    for argv, needle in ((["link", "Shop", "nothing-like-it", shop["label0"]], "no action item 'nothing-like-it'"),
                         (["link", "Shop", shop["aid"], "XYZ99"], "no question 'XYZ99'")):
        code, _, err = run(*argv)
        assert code == 1
        one_error_line(err, needle)
    assert database_dump(data_dir) == before
