"""Issue 14 in the report: top risks and the improvement plan follow the room's analysis once it exists (and say
so), the impact/effort matrix, and "Progress since <milestone>"; every new section parses as CommonMark with
hostile names kept as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import Run
from tests.test_report_support import STRICT, check_structure, headings, section, tables
from wat_tui.exchange.report import render_markdown
from wat_tui.review.analysis import BY_ANALYSIS
from wat_tui.review.service import Review
from wat_tui.review.state import Answer

HOSTILE = "# <b>Q1</b> [x](javascript:alert(1)) | pipe *star"


@pytest.fixture
def session(review: Review) -> tuple[Review, str, list[str], list[str]]:
    """Three questions at high risk; (review, sid, keys, labels)."""
    sid = review.create_session("Shop review", workload="Shop", workload_type="critical-ecommerce")
    lens = review.state(sid).lenses[0]
    keys, labels = [], []
    for q in lens.questions[:3]:
        assert q.none_choice is not None
        review.toggle_choice(sid, lens.alias, q.id, q.none_choice.id)
        keys.append(f"{lens.alias}/{q.id}")
        labels.append(q.label)
    return review, sid, keys, labels


def _order(md: str, labels: list[str], title: str) -> list[str]:
    body = section(md, title)
    return sorted((lbl for lbl in labels if f"{lbl}:" in body), key=lambda lbl: body.index(f"{lbl}:"))


def test_without_analysis_the_report_keeps_the_frameworks_order(session: tuple[Review, str, list[str], list[str]]
                                                                 ) -> None:
    review, sid, _, labels = session
    md = render_markdown(review, sid)
    assert "ordered by the framework's risk level" in section(md, "Top risks")
    assert BY_ANALYSIS not in md
    titles = [t for _, t in headings(md)]
    assert "Impact and effort" not in titles and not any(t.startswith("Progress since") for t in titles)
    assert "High-risk questions" in titles
    assert _order(md, labels, "Top risks") == labels


def test_top_risks_and_the_plan_follow_the_analysis(session: tuple[Review, str, list[str], list[str]]) -> None:
    review, sid, keys, labels = session
    review.set_analysis(sid, keys[2], "high", "low", "cheap and urgent")  # a quick win
    review.set_analysis(sid, keys[1], "high", "high")  # a major project
    md = render_markdown(review, sid)
    hs = check_structure(md)
    top = section(md, "Top risks")
    assert f"ordered {BY_ANALYSIS}" in top
    assert _order(md, labels, "Top risks") == [labels[2], labels[1], labels[0]]
    assert "Analysis: impact high, effort low (quick win)." in top and "Not analysed yet." in top
    plan = section(md, "Improvement plan")
    assert f"ordered {BY_ANALYSIS}" in plan
    assert [t for lvl, t in hs if lvl == 3 and t in ("Analysed questions", "Not analysed yet")] == [
        "Analysed questions", "Not analysed yet"]
    assert _order(md, labels, "Improvement plan") == [labels[2], labels[1], labels[0]]
    assert "cheap and urgent" in plan
    matrix_md = section(md, "Impact and effort")
    (grid,) = tables(matrix_md)
    assert grid[0] == ["Impact by effort", "low effort", "medium effort", "high effort"]
    high = next(r for r in grid if r[0] == "high impact")
    assert high[1] == f"quick win (1): {labels[2]}" and high[3] == f"major project (1): {labels[1]}"
    assert f"Not scored yet (1): {labels[0]}" in matrix_md


def test_progress_since_the_latest_milestone(session: tuple[Review, str, list[str], list[str]], run: Run,
                                            data_dir: Path) -> None:
    review, sid, keys, labels = session
    aid = review.add_action(sid, "Turn on MFA", owner="Bo", question=keys[0])
    review.record_milestone(sid, "Workshop")
    lens = review.state(sid).lenses[0]
    q = lens.questions[0]
    review.set_answer(sid, lens.alias, q.id, Answer(tuple(c.id for c in q.choices if not c.is_none_choice)))
    review.edit_action(sid, aid, status="done")
    md = render_markdown(review, sid)
    check_structure(md)
    progress = section(md, "Progress since Workshop")
    assert "From milestone Workshop, recorded " in progress
    assert "1 resolved, 0 new, 0 changed level, 2 still open; 1 actions closed" in progress
    assert f"{labels[0]}:" in section(progress, "Resolved") and "Turn on MFA" in section(progress, "Actions closed")
    pillar = tables(progress)[0]
    assert pillar[0] == ["Pillar", "Resolved", "New", "Changed level", "Open now"]
    assert pillar[1] == ["Operational Excellence", "1", "0", "0", "2"]
    # The command line's report has it too.
    review.close()
    code, out, _ = run("report", "Shop")
    assert code == 0 and "## Progress since Workshop" in out


def test_hostile_names_stay_text_in_the_new_sections(session: tuple[Review, str, list[str], list[str]]) -> None:
    review, sid, keys, labels = session
    review.set_analysis(sid, keys[0], "low", "low", HOSTILE)
    review.record_milestone(sid, HOSTILE)
    md = render_markdown(review, sid)
    check_structure(md)  # no raw HTML, levels never skip, tables rectangular
    tokens = STRICT.parse(md)
    shown = ["".join(c.content for c in tokens[i + 1].children or []) for i, t in enumerate(tokens)
             if t.type == "heading_open" and t.tag == "h2"]
    assert f"Progress since {HOSTILE}" in shown  # the name, as text, in the heading
    assert HOSTILE in section(md, "Improvement plan").replace("\\", "")


def test_a_disputed_analysis_is_listed_in_words(session: tuple[Review, str, list[str], list[str]],
                                                tmp_path: Path) -> None:
    from wat_tui.exchange.bundle import write_bundle
    from wat_tui.exchange.merge import merge_files

    review, sid, keys, labels = session
    other = Review.open(tmp_path / "other")
    try:
        first = tmp_path / "first.json"
        write_bundle(review, sid, first)
        merge_files(other, [first])
        review.set_analysis(sid, keys[0], "high", "low", "here")
        other.set_analysis(sid, keys[0], "low", "high", "there")
        back = tmp_path / "back.json"
        write_bundle(other, sid, back)
        merge_files(review, [back])
    finally:
        other.close()
    md = render_markdown(review, sid)
    check_structure(md)
    disputed = section(md, "Open merge conflicts")
    assert f"**Analysis of {labels[0]}: " in disputed
    assert "impact high, effort low: “here”" in disputed and "impact low, effort high: “there”" in disputed


def test_the_action_plan_has_a_roadmap_and_names_findings_without_an_action(
        session: tuple[Review, str, list[str], list[str]]) -> None:
    review, sid, keys, labels = session
    aid = review.add_action(sid, "Turn on MFA", owner="Bo", due="2027-02-10", question=keys[0])
    review.link_action(sid, aid, keys[1])
    review.add_action(sid, "Write the runbook", due="2027-01-05")
    review.add_action(sid, "Tag every resource")
    md = render_markdown(review, sid)
    check_structure(md)
    road = section(md, "Roadmap")
    lines = [ln for ln in road.splitlines() if ln.startswith("- ")]
    assert lines == [
        "- **2027-01** (owners: none named): Write the runbook",
        f"- **2027-02** (owners: Bo): Turn on MFA ({labels[0]}, {labels[1]})",
        "- **no due date** (owners: none named): Tag every resource",
    ]
    left = section(md, "Findings no action addresses")
    assert f"- {labels[2]}: " in left and "(high risk)" in left and f"- {labels[0]}:" not in left
    review.set_cadence(sid, "post-incident")
    md = render_markdown(review, sid)
    assert "14 days after this review, following the post-incident cadence chosen for this review" in section(
        md, "Next review")
