"""The analysis phase: findings, their impact/effort scores, the matrix and the ordering (review/analysis.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from wat_tui.errors import WatError
from wat_tui.lens.risk import Risk
from wat_tui.review.analysis import (
    BY_ANALYSIS,
    BY_RISK,
    LEVELS,
    QUADRANTS,
    Analysis,
    AnalysisError,
    Finding,
    Level,
    check_level,
    findings,
    matrix,
    missing_practices,
    natural_key,
    ordering_used,
    prioritised,
    quadrant,
    render_matrix_lines,
    render_matrix_markdown,
    stale_keys,
    validate_analysis,
)
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState

STRICT = MarkdownIt("commonmark").enable("table")
WA = "wellarchitected"
SEC01 = f"{WA}/securely-operate"
REL01 = f"{WA}/manage-service-limits"
COST01 = f"{WA}/cloud-financial-management"
OPS01 = f"{WA}/priorities"
PERF01 = f"{WA}/architecture"


def select(review: Review, sid: str, key: str, levels: Iterable[str | None] = (), *, none: bool = False) -> None:
    """Put in place the practices of ``key`` whose framework level is in ``levels`` (or "None of these")."""
    lens = review.state(sid).lens(WA)
    assert lens is not None
    q = lens.question(key.split("/")[1])
    assert q is not None
    wanted = set(levels)
    for c in q.choices:
        if (none and c.is_none_choice) or (not none and not c.is_none_choice and c.risk_level in wanted):
            review.toggle_choice(sid, WA, q.id, c.id)


def workshop(review: Review, name: str = "Payments") -> tuple[str, SessionState]:
    """A small review: SEC01 high (none of these), REL01 medium, COST01 high, OPS01 no risk, PERF01 n/a."""
    sid = review.create_session(name, workload="payments API", workload_type="financial",
                                participants=[("Ana", "Facilitator"), ("Bo", "Workload owner")])
    select(review, sid, SEC01, none=True)
    select(review, sid, REL01, ["HIGH"])
    select(review, sid, COST01, ["MEDIUM"])
    select(review, sid, OPS01, ["HIGH", "MEDIUM", "LOW", None])
    review.set_not_applicable(sid, WA, "architecture", "OUT_OF_SCOPE")
    return sid, review.state(sid)


@pytest.fixture
def session(review: Review) -> tuple[Review, str, SessionState]:
    sid, state = workshop(review)
    return review, sid, state


def make(label: str, impact: Level | None = None, effort: Level | None = None, risk: str | None = "HIGH",
         key: str | None = None) -> Finding:
    return Finding(key or f"wa/{label}", "wa", label, None, "security", "Security", label, f"title {label}",
                   risk, risk or "HIGH", label, impact, effort)


def test_the_questions_at_risk_are_the_findings(session: tuple[Review, str, SessionState]) -> None:
    _, _, state = session
    fs = findings(state, {})
    assert [f.key for f in fs] == [SEC01, REL01, COST01]
    sec = fs[0]
    assert (sec.label, sec.risk, sec.pillar, sec.pillar_name, sec.choice) == (
        "SEC01", "HIGH", "security", "Security", None)
    assert fs[1].risk == "MEDIUM" and fs[1].question_label == "REL01"
    assert not any(f.analysed for f in fs)


def test_practice_findings_only_for_missing_practices_named_in_the_analysis(
        session: tuple[Review, str, SessionState]) -> None:
    _, _, state = session
    lens = state.lens(WA)
    assert lens is not None
    rel = lens.question("manage-service-limits")
    assert rel is not None
    medium = next(c for c in rel.choices if c.risk_level == "MEDIUM")
    in_place = next(c for c in rel.choices if c.risk_level == "HIGH")
    analysis = {
        f"{REL01}/{medium.id}": Analysis("high", "low", "quotas page"),
        f"{REL01}/{in_place.id}": Analysis("high", "low"),  # in place: no finding
        f"{OPS01}/x": Analysis("low", "low"),  # the question is not at risk
        REL01: Analysis("medium", "high"),
    }
    fs = findings(state, analysis)
    practice = [f for f in fs if f.choice]
    assert [f.key for f in practice] == [f"{REL01}/{medium.id}"]
    p = practice[0]
    assert (p.label, p.risk, p.question_risk, p.question_label, p.note) == (
        medium.ref, "MEDIUM", "MEDIUM", "REL01", "quotas page")
    assert [f.key for f in fs].index(p.key) == [f.key for f in fs].index(REL01) + 1
    assert next(f for f in fs if f.key == REL01).quadrant == "major project"
    assert stale_keys(state, analysis) == sorted([f"{REL01}/{in_place.id}", f"{OPS01}/x"])


def test_missing_practices_of_a_question_at_risk_scored_or_not(session: tuple[Review, str, SessionState]) -> None:
    review, sid, state = session
    lens = state.lens(WA)
    assert lens is not None
    rel = lens.question("manage-service-limits")
    assert rel is not None
    missing = [c for c in rel.choices if not c.is_none_choice and c.risk_level != "HIGH"]
    assert missing  # REL01 has its HIGH-level practices in place only
    scored = f"{REL01}/{missing[0].id}"
    analysis = {scored: Analysis("high", "low", "quotas page")}
    ps = missing_practices(state, analysis, REL01)
    assert [f.choice for f in ps] == [c.id for c in missing]  # the lens's order, "None of these" left out
    assert all(f.question == rel.id and f.question_risk == "MEDIUM" and f.question_label == "REL01" for f in ps)
    assert (ps[0].key, ps[0].impact, ps[0].effort, ps[0].note, ps[0].quadrant) == (
        scored, "high", "low", "quotas page", "quick win")
    assert not any(f.analysed for f in ps[1:])
    assert [(f.pillar, f.label, f.risk) for f in ps] == [
        ("reliability", c.ref or f"REL01/{c.id}", c.risk_level) for c in missing]
    # the one scored is a finding of its own, right after its question; the others only once scored
    assert [f.key for f in findings(state, analysis) if f.question == rel.id] == [REL01, scored]
    # a practice marked not applicable is in place: not missing
    review.set_choice_not_applicable(sid, WA, rel.id, missing[1].id, "OUT_OF_SCOPE")
    after = missing_practices(review.state(sid), analysis, REL01)
    assert missing[1].id not in [f.choice for f in after] and len(after) == len(missing) - 1
    # "None of these" leaves every practice missing; questions not at risk, and unknown keys, have none
    sec = lens.question("securely-operate")
    assert sec is not None
    assert [f.choice for f in missing_practices(state, {}, SEC01)] == [
        c.id for c in sec.choices if not c.is_none_choice]
    assert missing_practices(state, {}, OPS01) == []
    assert missing_practices(state, {}, PERF01) == []
    assert missing_practices(state, {}, f"{WA}/no-such-question") == []
    assert missing_practices(state, {}, "nolens/x") == []


def test_analysis_value_round_trip_and_errors() -> None:
    a = Analysis("high", None, "note é")
    assert Analysis.from_value(a.to_value()) == a
    assert validate_analysis({}) == Analysis()
    assert validate_analysis({"note": None}) == Analysis()
    with pytest.raises(AnalysisError, match=r"^impact 'huge': expected low, medium or high$"):
        validate_analysis({"impact": "huge"})
    with pytest.raises(WatError, match=r"effort 3: expected low, medium or high"):
        Analysis.from_value({"effort": 3})
    with pytest.raises(AnalysisError, match="unknown field 'cost'"):
        validate_analysis({"cost": "low"})
    with pytest.raises(AnalysisError, match="expected an object"):
        validate_analysis(["high"])
    with pytest.raises(AnalysisError, match="note: expected text"):
        validate_analysis({"note": 5})
    with pytest.raises(AnalysisError, match="at most"):
        Analysis(note="x" * 5001)
    assert check_level("impact", None) is None


def test_the_four_corners_and_the_medium_rule() -> None:
    assert quadrant("high", "low") == "quick win"
    assert quadrant("high", "high") == "major project"
    assert quadrant("low", "low") == "fill-in"
    assert quadrant("low", "high") == "deprioritised"
    # medium rounds up on both axes
    assert quadrant("medium", "low") == "quick win"
    assert quadrant("high", "medium") == "major project"
    assert quadrant("medium", "medium") == "major project"
    assert quadrant("low", "medium") == "deprioritised"
    assert quadrant(None, "low") is None and quadrant("high", None) is None
    with pytest.raises(AnalysisError):
        quadrant("huge", "low")  # type: ignore[arg-type]


@given(st.sampled_from(LEVELS), st.sampled_from(LEVELS), st.sampled_from(LEVELS))
def test_quadrant_is_monotone(impact: Level, effort: Level, other: Level) -> None:
    """Raising impact never moves a finding off the high-impact side; raising effort never makes it cheaper."""
    high_impact = {"quick win", "major project"}
    low_effort = {"quick win", "fill-in"}
    if LEVELS.index(other) >= LEVELS.index(impact) and quadrant(impact, effort) in high_impact:
        assert quadrant(other, effort) in high_impact
    if LEVELS.index(other) >= LEVELS.index(effort) and quadrant(impact, effort) not in low_effort:
        assert quadrant(impact, other) not in low_effort


def test_matrix_counts_and_labels() -> None:
    fs = [make("SEC01", "high", "low"), make("SEC02", "medium", "low", "MEDIUM"), make("REL01", "low", "high"),
          make("COST01"), make("OPS02", "high", None)]
    m = matrix(fs)
    assert m.labels("high", "low") == ("SEC01",)
    assert m.labels("medium", "low") == ("SEC02",)
    assert m.count("low", "high") == 1
    assert m.unscored == ("COST01", "OPS02") or set(m.unscored) == {"COST01", "OPS02"}
    assert m.quadrant_counts() == {"quick win": 2, "major project": 0, "fill-in": 0, "deprioritised": 1}
    assert m.total == 5


def cells_per_row(md: str) -> list[int]:
    """How many cells each row of the Markdown's tables has, header rows included."""
    rows: list[int] = []
    for t in STRICT.parse(md):
        if t.type == "tr_open":
            rows.append(0)
        elif t.type in ("th_open", "td_open"):
            rows[-1] += 1
    return rows


def test_matrix_markdown_is_a_table_with_escaped_labels() -> None:
    hostile = "X|1 <b>*em*</b>\n# head"
    m = matrix([make(hostile, "high", "low"), make("SEC02", "low", "high"), make("REL9")])
    md = render_matrix_markdown(m)
    tokens = STRICT.parse(md)
    types = [t.type for t in tokens]
    assert types.count("table_open") == 1 and "html_inline" not in types and "heading_open" not in types
    assert types.count("tr_open") == 4
    assert all(not (t.children and any(c.type in ("html_inline", "em_open") for c in t.children))
               for t in tokens if t.type == "inline")
    rendered = STRICT.render(md)
    assert "quick win (1): X|1 &lt;b&gt;*em*&lt;/b&gt; # head" in rendered
    assert "deprioritised (1): SEC02" in rendered
    assert "Not scored yet (1): REL9" in rendered
    assert cells_per_row(md) == [4, 4, 4, 4]  # the hostile pipe made no extra cell


@pytest.mark.parametrize("width", [80, 100, 120])
def test_matrix_lines_fit_and_name_every_cell(width: int) -> None:
    fs = [make(f"SEC{i:02d}", "high", "low") for i in range(1, 41)]
    fs += [make("REL01", "medium", "medium"), make("COST-BP01", "low", "low"), make("OPS1", None, None)]
    lines = render_matrix_lines(matrix(fs), width)
    assert all(len(line) <= width for line in lines), [len(x) for x in lines]
    body = "\n".join(lines)
    for name in ("QUICK WIN (40)", "MAJOR PROJECT (1)", "FILL-IN (1)", "DEPRIORITISED (0)"):
        assert name in body
    assert "high impact" in body and "low effort" in body and "more" in body
    assert "Not scored yet (1): OPS1" in body
    # the cut-off arithmetic is right: labels shown plus "+N more" is the cell's count
    quick = [line.split("|")[2].strip() for line in lines if line.startswith("|")]
    shown = [x for x in quick if x.startswith("SEC")]
    more = next(int(x.split()[0][1:]) for x in quick if x.startswith("+"))
    assert sum(len(x.rstrip(",").split(", ")) for x in shown) + more == 40


def test_matrix_lines_without_findings_and_too_narrow() -> None:
    lines = render_matrix_lines(matrix([]), 80)
    assert all(len(x) <= 80 for x in lines) and "FILL-IN (0)" in "\n".join(lines)
    with pytest.raises(ValueError):
        render_matrix_lines(matrix([]), 40)
    hostile = render_matrix_lines(matrix([make("A\x1b[31m\nB", "high", "low")]), 80)
    assert all("\x1b" not in x and "\n" not in x for x in hostile)


def test_prioritised_order() -> None:
    fs = [
        make("U-MED", risk="MEDIUM"), make("U-HIGH"), make("B", "high", "high"), make("A", "high", "low", "MEDIUM"),
        make("C", "high", "low", "HIGH"), make("D", "low", "low"), make("E", "medium", None),
        make("SEC10", "high", "low", "HIGH"), make("SEC2", "high", "low", "HIGH"),
    ]
    assert [f.label for f in prioritised(fs)] == [
        "C", "SEC2", "SEC10", "A", "B", "E", "D", "U-HIGH", "U-MED"]
    assert ordering_used(fs) == BY_ANALYSIS
    assert ordering_used([make("x"), make("y", risk="LOW")]) == BY_RISK
    assert ordering_used([]) == BY_RISK
    assert [f.label for f in prioritised([make("p", risk=None), make("q", risk="LOW")])] == ["q", "p"]


@given(st.lists(st.tuples(st.sampled_from([*LEVELS, None]), st.sampled_from([*LEVELS, None]),
                          st.sampled_from(["HIGH", "MEDIUM", "LOW", None])), max_size=12))
def test_prioritised_is_a_stable_permutation_with_analysed_first(rows: list[tuple[Level | None, Level | None,
                                                                               str | None]]) -> None:
    fs = [make(f"Q{i}", imp, eff, risk) for i, (imp, eff, risk) in enumerate(rows)]
    out = prioritised(fs)
    assert sorted(f.key for f in out) == sorted(f.key for f in fs)
    flags = [f.analysed for f in out]
    assert flags == sorted(flags, reverse=True)
    assert prioritised(list(reversed(fs))) == out


def test_natural_key() -> None:
    assert sorted(["SEC10", "SEC2", "SEC1-BP10", "SEC1-BP2"], key=natural_key) == [
        "SEC1-BP2", "SEC1-BP10", "SEC2", "SEC10"]


def test_findings_on_an_empty_session(review: Review, tmp_path: Path) -> None:
    sid = review.create_session("empty")
    state = review.state(sid)
    assert findings(state, {}) == []
    assert state.counts()[Risk.UNANSWERED] == state.total_questions
    assert QUADRANTS == ("quick win", "major project", "fill-in", "deprioritised")


def test_matrix_lines_count_labels_with_commas_and_cut_long_ones() -> None:
    fs = [make("A, b", "high", "low"), make("A" + "X" * 60, "high", "low")]
    fs += [make(f"L{i}", "high", "low") for i in range(30)]
    cells = [line.split("|")[2].strip() for line in render_matrix_lines(matrix(fs), 80, max_label_lines=3)
             if line.startswith("|")]
    title = cells.index("QUICK WIN (32)")
    # width 80: 18 columns of labels; the comma in a label does not confuse the count of hidden ones
    assert cells[title + 1: title + 4] == ["A, b,", "AXXXXXXXXXXXXXXX~,", "+30 more"]
    everything = render_matrix_lines(matrix(fs), 120, max_label_lines=100)
    assert all(len(line) <= 120 for line in everything)
    shown = {p for line in everything for p in line.replace(",", " ").replace("|", " ").split()}
    assert {f"L{i}" for i in range(30)} <= shown and "b" in shown and "+30" not in shown
