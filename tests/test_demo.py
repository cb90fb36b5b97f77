"""The demo session: the seed's e-commerce example half-way through its review, and its answers agree with
its own notes. Checked through the same ``Review`` API the screens and the report read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import raw_sql
from wat_tui.errors import NotFound, WatError
from wat_tui.lens.risk import Risk
from wat_tui.review import demo
from wat_tui.review.demo import DemoAnswer, ensure_demo
from wat_tui.review.service import Review
from wat_tui.review.state import Answer, SessionState

WA = "wellarchitected"


@pytest.fixture
def state(review: Review) -> SessionState:
    return review.state(ensure_demo(review))


def answer(state: SessionState, key: str) -> Answer:
    alias, _, qid = key.partition("/")
    a = state.answer(alias, qid)
    assert a is not None, f"{key} is not answered"
    return a


def notes_on(state: SessionState, key: str) -> str:
    return "\n".join(n.body for n in state.notes_for(key))


def all_text(state: SessionState) -> str:
    return "\n".join([state.name, state.workload, *(n.body for n in state.notes), *(a.title for a in state.actions)])


# -- the session as a whole -----------------------------------------------------------------------------------


def test_demo_is_the_seeds_e_commerce_platform_half_way_through(review: Review, state: SessionState) -> None:
    sid = state.id
    assert (state.workload_type, state.planned_minutes) == ("critical-ecommerce", 300)
    assert [lens.alias for lens in state.lenses] == [WA, "serverless"]
    for part in ("React", "API Gateway", "Lambda", "DynamoDB", "S3"):
        assert part in state.workload
    assert [(p.name, p.role) for p in state.participants] == list(demo.PARTICIPANTS)
    assert [p.role for p in state.participants] == [
        "Facilitator", "Workload owner", "Operations engineer", "Security specialist", "Finance representative",
    ]
    counts = state.counts()
    assert counts[Risk.HIGH] >= 3 and counts[Risk.MEDIUM] >= 3 and counts[Risk.NONE] >= 2
    # Half-way: a good part answered, much still to do, and a question skipped inside a pillar the room did.
    assert 15 <= state.answered <= state.total_questions // 2
    lens = state.lens(WA)
    assert lens is not None
    covered = {p.id for p in lens.pillars if any(state.answer(WA, q.id) for q in p.questions)}
    assert len(covered) >= 4
    reliability = lens.pillar("reliability")
    assert reliability is not None
    assert any(state.risk(lens, q) is Risk.UNANSWERED for q in reliability.questions)
    assert [n.body for n in state.notes if n.private] == ["Dana thinks the CI keys are older than 2 years."]
    people = {p.name for p in state.participants}
    assert len(state.actions) >= 5
    for a in state.actions:
        assert a.owner in people and re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.due), a
    assert state.conflicts == []
    # The room is on the question it is discussing, and the demo is made once.
    assert review.position(sid) == demo.CURRENT_QUESTION
    ops = len(review.ops(sid))
    assert ensure_demo(review) == sid and len(review.ops(sid)) == ops
    assert raw_sql(review, "SELECT value FROM meta WHERE key='demo_session'") == [(sid,)]


def test_every_answer_in_the_data_is_stored_exactly(state: SessionState) -> None:
    """Nothing the data names is dropped or changed on the way in."""
    for item in demo.ANSWERS:
        a = answer(state, item.key)
        assert set(a.selected) == set(item.chosen), item.key
        assert a.na_choices == dict(item.not_applicable), item.key
        assert not a.not_applicable, item.key
    assert len(state.answers) == len(demo.ANSWERS)
    for key, _, body, _ in demo.NOTES:
        assert body in [n.body for n in state.notes_for(key)]


# -- unknown ids are refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("ANSWERS", DemoAnswer("saas/tenant-isolation", ("x",)), "no lens 'saas'"),
        ("ANSWERS", DemoAnswer(f"{WA}/no-such-question", ()), "no question 'no-such-question'"),
        ("ANSWERS", DemoAnswer(f"{WA}/backing-up-data", ("rel_backing_up_data_tape_in_a_drawer",)),
         "no choice 'rel_backing_up_data_tape_in_a_drawer'"),
        ("ANSWERS", DemoAnswer(f"{WA}/sus-region", (), (("sus_sus_region_a9", "OUT_OF_SCOPE"),)),
         "no choice 'sus_sus_region_a9'"),
        ("NOTES", (f"{WA}/no-such-question", demo.FACILITATOR, "text", False), "no question 'no-such-question'"),
        ("ACTIONS", ("Do it", "Chen Wei", "2027-01-01", "open", "serverless/no-such-question"),
         "no question 'no-such-question'"),
    ],
)
def test_an_unknown_id_is_refused_and_nothing_is_written(
    review: Review, monkeypatch: pytest.MonkeyPatch, field: str, bad: object, message: str
) -> None:
    monkeypatch.setattr(demo, field, (*getattr(demo, field), bad))
    with pytest.raises(NotFound, match=re.escape(message)):
        ensure_demo(review)
    assert review.list_sessions() == []
    assert raw_sql(review, "SELECT value FROM meta WHERE key='demo_session'") == []
    monkeypatch.undo()
    assert ensure_demo(review)  # the real data still builds in the same database


def test_a_self_contradicting_answer_is_refused(review: Review, monkeypatch: pytest.MonkeyPatch) -> None:
    both = DemoAnswer(f"{WA}/sus-region", ("sus_sus_region_a2", "sus_sus_region_no"))
    monkeypatch.setattr(demo, "ANSWERS", (*demo.ANSWERS, both))
    with pytest.raises(WatError, match="'None of these' is ticked together with practices"):
        ensure_demo(review)
    twice = DemoAnswer(f"{WA}/identities", ("sec_identities_unique",))
    monkeypatch.setattr(demo, "ANSWERS", (*demo.ANSWERS[:-1], twice))
    with pytest.raises(WatError, match="answered twice"):
        ensure_demo(review)
    assert review.list_sessions() == []


def test_unknown_people_are_refused(review: Review, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "ACTIONS", (("Do it", "Mallory", "2027-01-01", "open", None),))
    with pytest.raises(NotFound, match="'Mallory' is not a participant"):
        ensure_demo(review)


# -- the notes agree with the answers -------------------------------------------------------------------------


def test_identities_note_agrees_with_what_is_ticked(state: SessionState) -> None:
    key = f"{WA}/identities"
    note, a = notes_on(state, key), answer(state, key)
    assert "corporate identity provider" in note and "MFA" in note and "Secrets Manager" in note
    for practice in ("identity_provider", "enforce_mechanisms", "secrets", "groups_attributes"):
        assert f"sec_identities_{practice}" in a.selected
    assert "long-lived access keys" in note and "nobody has rotated" in note
    assert "sec_identities_unique" not in a.selected  # temporary credentials
    assert "sec_identities_audit" not in a.selected
    lens = state.lens(WA)
    question = lens.question("identities") if lens else None
    assert lens is not None and question is not None and state.risk(lens, question) is Risk.HIGH


def test_no_note_about_long_lived_keys_sits_on_an_answer_with_temporary_credentials(state: SessionState) -> None:
    mentions = [n for n in state.notes if "long-lived" in n.body]
    assert mentions
    for n in mentions:
        assert "sec_identities_unique" not in answer(state, n.question).selected


def test_compute_protection_is_answered_because_lambda_functions_are_compute(state: SessionState) -> None:
    key = f"{WA}/protect-compute"
    a = answer(state, key)
    assert not a.not_applicable and not a.na_choices and a.selected
    note = notes_on(state, key)
    assert "Lambda functions" in note and "no SSH" in note
    assert a.selected == ("sec_protect_compute_reduce_manual_management",)
    assert "pile up" in note and "sec_protect_compute_vulnerability_management" not in a.selected
    assert "nothing checks" in note and "sec_protect_compute_validate_software_integrity" not in a.selected


def test_dynamodb_is_on_reserved_capacity_never_on_demand(state: SessionState) -> None:
    dynamo = [n.body for n in state.notes if "DynamoDB" in n.body]
    assert any("reserved capacity" in body for body in dynamo)
    assert not re.search(r"on[- ]demand", all_text(state), re.IGNORECASE)
    assert "cost_pricing_model_analysis" in answer(state, f"{WA}/pricing-model").selected


def test_nothing_mentions_ecs(state: SessionState) -> None:
    assert not re.search(r"\bECS\b|Elastic Container", all_text(state), re.IGNORECASE)


def test_not_applicable_only_where_it_truly_does_not_apply(state: SessionState) -> None:
    marked = {
        (key, cid, reason) for key, a in state.answers.items() for cid, reason in a.na_choices.items()
    }
    assert marked == {(
        f"{WA}/planning-network-topology", "rel_planning_network_topology_ha_conn_private_networks",
        "OUT_OF_SCOPE",
    )}
    assert not any(a.not_applicable for a in state.answers.values())
    note = notes_on(state, f"{WA}/planning-network-topology")
    assert "no data centre or office network" in note and "do not apply" in note


def test_the_seeds_practices_the_team_has_are_ticked_and_the_gaps_are_not(state: SessionState) -> None:
    def ticked(qid: str, cid: str) -> bool:
        return cid in answer(state, f"{WA}/{qid}").selected

    # Security: WAF on CloudFront, one role per function; WAF rules by hand; GuardDuty off.
    assert "AWS WAF sits on CloudFront" in notes_on(state, f"{WA}/network-protection")
    assert ticked("network-protection", "sec_network_protection_inspection")
    assert not ticked("network-protection", "sec_network_auto_protect")
    assert "own IAM role" in notes_on(state, f"{WA}/permissions")
    assert ticked("permissions", "sec_permissions_least_privileges")
    assert "Nobody trims" in notes_on(state, f"{WA}/permissions")
    assert not ticked("permissions", "sec_permissions_continuous_reduction")
    boundaries = answer(state, "serverless/sls-security-boundaries").selected
    assert "sls_security_boundaries_per_function_roles" in boundaries
    assert "sls_security_boundaries_permission_review" not in boundaries
    assert "GuardDuty is not enabled" in notes_on(state, f"{WA}/detect-investigate-events")
    assert not ticked("detect-investigate-events", "sec_detect_investigate_events_security_alerts")
    # Reliability: Multi-AZ and Global Tables in place; no restore, no failover tried, no resilience testing.
    assert "Global Tables" in notes_on(state, f"{WA}/fault-isolation")
    assert ticked("fault-isolation", "rel_fault_isolation_multiaz_region_system")
    assert "Nobody has tried a restore" in notes_on(state, f"{WA}/backing-up-data")
    assert not ticked("backing-up-data", "rel_backing_up_data_periodic_recovery_testing_data")
    recovery = notes_on(state, f"{WA}/planning-for-recovery")
    assert "Cross-Region Replication" in recovery and "never been tried" in recovery
    assert not ticked("planning-for-recovery", "rel_planning_for_recovery_dr_tested")
    assert answer(state, f"{WA}/testing-resiliency").selected == ("rel_testing_resiliency_no",)
    assert "load test" in notes_on(state, f"{WA}/adapt-to-changes")
    assert not ticked("adapt-to-changes", "rel_adapt_to_changes_load_tested_adapt")
    # Operational excellence: business metrics watched, no tracing; blue-green for the functions only.
    telemetry = notes_on(state, f"{WA}/telemetry")
    assert "Conversion rate" in telemetry and "checkout" in telemetry
    assert ticked("telemetry", "ops_observability_identify_kpis")
    assert not ticked("telemetry", "ops_observability_dist_trace")
    changes = notes_on(state, f"{WA}/tracking-change-management")
    assert "blue-green" in changes and "by hand" in changes
    assert not ticked("tracking-change-management", "rel_tracking_change_management_automated_changemgmt")
    assert not ticked("mit-deploy-risks", "ops_mit_deploy_risks_auto_testing_and_rollback")
    # Cost: reserved capacity and Spot Instances, Regions not chosen on price.
    pricing = notes_on(state, f"{WA}/pricing-model")
    assert "Spot Instances" in pricing and "not price" in pricing
    assert not ticked("pricing-model", "cost_pricing_model_region_cost")


def test_the_demo_is_rebuilt_in_a_new_database_the_same_way(tmp_path: Path, state: SessionState) -> None:
    other = Review.open(tmp_path / "other")
    try:
        again = other.state(ensure_demo(other))
    finally:
        other.close()
    assert again.answers == state.answers
    assert [(n.question, n.body, n.private) for n in again.notes] == [
        (n.question, n.body, n.private) for n in state.notes
    ]
