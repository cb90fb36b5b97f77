"""The action-plan phase: actions linked to findings, the roadmap by month, and the CSV for issue trackers."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_analysis import COST01, REL01, SEC01, make, workshop
from wat_tui.review.analysis import Analysis, findings
from wat_tui.review.roadmap import (
    CSV_ENCODING,
    CSV_HEADER,
    NO_DUE_DATE,
    action_links,
    actions_csv,
    actions_for,
    addresses,
    roadmap,
    safe_cell,
    unaddressed,
)
from wat_tui.review.service import Review


def test_links_default_to_the_actions_question_and_add_stored_ones(review: Review) -> None:
    sid, _ = workshop(review)
    a1 = review.add_action(sid, "Threat model", question=SEC01)
    a2 = review.add_action(sid, "Budget alerts")
    a3 = review.add_action(sid, "Quotas", question=REL01)
    state = review.state(sid)
    links = action_links(state, {a2: [COST01], a3: [REL01, f"{REL01}/x"]})
    assert links == {a1: (SEC01,), a2: (COST01,), a3: (REL01, f"{REL01}/x")}
    assert action_links(state) == {a1: (SEC01,), a2: (), a3: (REL01,)}
    fs = findings(state, {})
    assert [f.key for f in unaddressed(fs, action_links(state))] == [COST01]
    assert unaddressed(fs, links) == []
    sec = next(f for f in fs if f.key == SEC01)
    assert [a.title for a in actions_for(sec, state, links)] == ["Threat model"]


def test_a_question_link_covers_its_practices_but_not_the_other_way() -> None:
    question = make("SEC01", key="wa/q")
    practice = make("SEC01-BP01", key="wa/q/c")
    assert addresses(["wa/q"], practice) and addresses(["wa/q"], question)
    assert addresses(["wa/q/c"], practice) and not addresses(["wa/q/c"], question)
    assert not addresses(["wa/qq"], question)
    assert unaddressed([question, practice], {"a": ["wa/q/c"]}) == [question]


def test_roadmap_by_month_with_owners(review: Review) -> None:
    sid, _ = workshop(review)
    review.add_action(sid, "b later", owner="Zoe", due="2027-02-01")
    review.add_action(sid, "a first", owner="ana", due="2027-01-20")
    review.add_action(sid, "c same month", owner="Bo", due="2027-01-05", status="done")
    review.add_action(sid, "d undated", owner="")
    review.add_action(sid, "e unowned", due="2027-01-31")
    state = review.state(sid)
    months = roadmap(state, action_links(state))
    assert [m.month for m in months] == ["2027-01", "2027-02", NO_DUE_DATE]
    jan = months[0]
    assert [i.action.title for i in jan.items] == ["c same month", "a first", "e unowned"]
    assert jan.owners == ("ana", "Bo") and jan.unowned == 1
    assert months[2].unowned == 1 and months[2].owners == ()
    open_only = roadmap(state, {}, include_done=False)
    assert [i.action.title for i in open_only[0].items] == ["a first", "e unowned"]
    assert roadmap(review.state(review.create_session("none")), {}) == []


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"])
def test_formula_starts_get_an_apostrophe(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_ordinary_cells_are_untouched() -> None:
    assert safe_cell("2027-01-05") == "2027-01-05" and safe_cell("a=b") == "a=b" and safe_cell("") == ""


def read_csv(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data, newline="")))


def test_csv_for_issue_trackers(review: Review) -> None:
    sid, state = workshop(review)
    lens = state.lens("wellarchitected")
    assert lens is not None
    rel = lens.question("manage-service-limits")
    assert rel is not None
    medium = next(c for c in rel.choices if c.risk_level == "MEDIUM")
    practice_key = f"{REL01}/{medium.id}"
    hostile = '=HYPERLINK("http://x","click"), "quoted"\nsecond line'
    a1 = review.add_action(sid, hostile, owner="@ana", due="2027-03-01", question=SEC01)
    review.add_action(sid, "Raise quotas; é ü", owner="Bo", due="2027-01-15", question=REL01)
    a3 = review.add_action(sid, "-Budget alerts", status="in progress")
    state = review.state(sid)
    analysis = {practice_key: Analysis("high", "low", "ask the +account team")}
    fs = findings(state, analysis)
    links = action_links(state, {a3: [COST01, "wellarchitected/gone"], a1: [practice_key]})
    data = actions_csv(state, links, fs)
    assert data.endswith("\r\n")
    data.encode(CSV_ENCODING)
    rows = read_csv(data)
    assert tuple(rows[0]) == CSV_HEADER
    assert [r[0] for r in rows[1:]] == ["Raise quotas; é ü", "'" + hostile, "'-Budget alerts"]
    quotas, threat, budget = rows[1:]
    assert quotas[2:5] == ["Bo", "2027-01-15", "open"]
    assert "REL01: " in quotas[1] and "Reliability" in quotas[1] and "medium risk" in quotas[1]
    assert quotas[5] == "reliability,medium-risk"
    assert threat[2] == "'@ana" and threat[5] == "security,high-risk,reliability,medium-risk"
    assert f"REL01 / {medium.ref}: {medium.title}" in threat[1]
    assert "Analysis: ask the +account team" in threat[1]
    assert "wellarchitected/gone: no longer a finding" in budget[1]
    assert budget[3:5] == ["", "in progress"] and budget[5] == "costOptimization,high-risk"
    assert all(len(r) == len(CSV_HEADER) for r in rows)
    assert all(c.startswith("'") or not c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_csv_cells_survive_any_text(titles: list[str]) -> None:
    """Whatever a person typed comes back from csv.reader unchanged, but for the guarding apostrophe."""
    class State:
        actions = [type("A", (), {"id": str(i), "title": t, "owner": t, "due": "", "status": "open",
                                  "question": None})() for i, t in enumerate(titles)]

    rows = read_csv(actions_csv(State(), {}, []))  # type: ignore[arg-type]
    assert len(rows) == len(titles) + 1
    got = sorted(r[0] for r in rows[1:])
    assert got == sorted(safe_cell(t) for t in titles)
