"""The demo session: the seed's e-commerce platform half-way through its review.

The workload is the seed's worked example (a React frontend, API Gateway, Lambda functions, DynamoDB and S3). It
is a critical e-commerce workload, so the agenda takes reliability and security first: the room has been
through reliability (one question left for later), is part-way through security and is now discussing data
classification; a few questions from other pillars were answered when the talk reached them. The team has
some of the seed's practices (WAF on CloudFront, one IAM role per function, Multi-AZ, Global Tables, S3
Cross-Region Replication, blue-green releases of the functions, business metrics on a dashboard, reserved
capacity for DynamoDB, Spot Instances for analytics) and lacks others; every note agrees with what is ticked.

Practices are named by their choice ids in the lens, never by position. :func:`ensure_demo` checks every lens,
question and choice id (and every author and owner) before it writes anything, and refuses unknown ones: the
demo never drops an answer without a word. It is built through the same calls a facilitator's keystrokes go
through, so it exercises the real paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from wat_tui.errors import NotFound, WatError
from wat_tui.lens.model import Question
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState

DEMO_NAME = "Demo: ShopFast checkout review"
DEMO_WORKLOAD = "ShopFast e-commerce platform (React, API Gateway, Lambda, DynamoDB, S3)"
DEMO_LENSES = ("wellarchitected", "serverless")

FACILITATOR = "Ana Ruiz"
PARTICIPANTS = (
    (FACILITATOR, "Facilitator"),
    ("Ben Okafor", "Workload owner"),
    ("Chen Wei", "Operations engineer"),
    ("Dana Levi", "Security specialist"),
    ("Eli Novak", "Finance representative"),
)

#: The question the room is discussing now: the workspace opens on it.
CURRENT_QUESTION = "wellarchitected/data-classification"


@dataclass(frozen=True)
class DemoAnswer:
    """What the room agreed for one question (``lens/question``): the choices ticked, by id ("None of these"
    is ticked alone), and practices that do not apply to this workload, each with one of the tool's reasons."""

    key: str
    chosen: tuple[str, ...]
    not_applicable: tuple[tuple[str, str], ...] = ()


# In the order the room answered them.
ANSWERS: tuple[DemoAnswer, ...] = (
    # -- Reliability: the first block on a critical e-commerce agenda ---------------------------------------
    DemoAnswer("wellarchitected/manage-service-limits", (
        "rel_manage_service_limits_aware_quotas_and_constraints",
        "rel_manage_service_limits_limits_considered",
        "rel_manage_service_limits_aware_fixed_limits",
    )),
    DemoAnswer("wellarchitected/planning-network-topology", (
        "rel_planning_network_topology_ha_conn_users",
        "rel_planning_network_topology_ip_subnet_allocation",
    ), not_applicable=(
        # Nothing on premises to connect to: the shop was built in the cloud.
        ("rel_planning_network_topology_ha_conn_private_networks", "OUT_OF_SCOPE"),
    )),
    DemoAnswer("wellarchitected/service-architecture", (
        "rel_service_architecture_monolith_soa_microservice",
        "rel_service_architecture_business_domains",
        "rel_service_architecture_api_contracts",
    )),
    DemoAnswer("wellarchitected/prevent-interaction-failure", (
        "rel_prevent_interaction_failure_identify",
        "rel_prevent_interaction_failure_loosely_coupled_system",
        "rel_prevent_interaction_failure_idempotent",
    )),
    DemoAnswer("wellarchitected/mitigate-interaction-failure", (
        "rel_mitigate_interaction_failure_graceful_degradation",
        "rel_mitigate_interaction_failure_throttle_requests",
        "rel_mitigate_interaction_failure_limit_retries",
        "rel_mitigate_interaction_failure_fail_fast",
        "rel_mitigate_interaction_failure_client_timeouts",
        "rel_mitigate_interaction_failure_stateless",
    )),
    DemoAnswer("wellarchitected/monitor-aws-resources", (
        "rel_monitor_aws_resources_monitor_resources",
        "rel_monitor_aws_resources_notification_aggregation",
        "rel_monitor_aws_resources_notification_monitor",
        "rel_monitor_aws_resources_storage_analytics",
    )),
    # Business metrics came up with monitoring: recorded under operational excellence, where they belong.
    DemoAnswer("wellarchitected/telemetry", (
        "ops_observability_identify_kpis",
        "ops_observability_application_telemetry",
        "ops_observability_customer_telemetry",
    )),
    DemoAnswer("wellarchitected/adapt-to-changes", (
        "rel_adapt_to_changes_autoscale_adapt",
        "rel_adapt_to_changes_reactive_adapt_auto",
        "rel_adapt_to_changes_proactive_adapt_auto",
    )),
    # Reserved capacity came up with DynamoDB's scaling, while the finance representative was in the room.
    DemoAnswer("wellarchitected/pricing-model", (
        "cost_pricing_model_analysis",
    )),
    DemoAnswer("wellarchitected/tracking-change-management", (
        "rel_tracking_change_management_planned_changemgmt",
        "rel_tracking_change_management_functional_testing",
        "rel_tracking_change_management_immutable_infrastructure",
    )),
    DemoAnswer("wellarchitected/mit-deploy-risks", (
        "ops_mit_deploy_risks_plan_for_unsucessful_changes",
        "ops_mit_deploy_risks_test_val_chg",
        "ops_mit_deploy_risks_deploy_mgmt_sys",
    )),
    DemoAnswer("wellarchitected/backing-up-data", (
        "rel_backing_up_data_identified_backups_data",
        "rel_backing_up_data_secured_backups_data",
        "rel_backing_up_data_automated_backups_data",
    )),
    DemoAnswer("wellarchitected/fault-isolation", (
        "rel_fault_isolation_multiaz_region_system",
        "rel_fault_isolation_single_az_system",
        "rel_fault_isolation_use_bulkhead",
    )),
    # REL11 (withstand-component-failures) is left for later: the room moved on without agreeing.
    DemoAnswer("wellarchitected/testing-resiliency", (
        "rel_testing_resiliency_no",
    )),
    DemoAnswer("wellarchitected/planning-for-recovery", (
        "rel_planning_for_recovery_objective_defined_recovery",
        "rel_planning_for_recovery_disaster_recovery",
    )),
    # -- Security: the second block, in progress ------------------------------------------------------------
    DemoAnswer("wellarchitected/securely-operate", (
        "sec_securely_operate_multi_accounts",
        "sec_securely_operate_aws_account",
        "sec_securely_operate_control_objectives",
        "sec_securely_operate_updated_threats",
        "sec_securely_operate_reduce_management_scope",
    )),
    DemoAnswer("wellarchitected/identities", (
        "sec_identities_enforce_mechanisms",
        "sec_identities_secrets",
        "sec_identities_identity_provider",
        "sec_identities_groups_attributes",
    )),
    DemoAnswer("wellarchitected/permissions", (
        "sec_permissions_define",
        "sec_permissions_least_privileges",
        "sec_permissions_define_guardrails",
        "sec_permissions_lifecycle",
    )),
    # One role per function is also what the serverless lens asks about: answered while it was fresh.
    DemoAnswer("serverless/sls-security-boundaries", (
        "sls_security_boundaries_per_function_roles",
        "sls_security_boundaries_resource_policies",
        "sls_security_boundaries_managed_secrets",
        "sls_security_boundaries_account_separation",
        "sls_security_boundaries_network_placement",
    )),
    DemoAnswer("wellarchitected/detect-investigate-events", (
        "sec_detect_investigate_events_app_service_logging",
    )),
    DemoAnswer("wellarchitected/network-protection", (
        "sec_network_protection_create_layers",
        "sec_network_protection_layered",
        "sec_network_protection_inspection",
    )),
    DemoAnswer("wellarchitected/protect-compute", (
        "sec_protect_compute_reduce_manual_management",
    )),
    # Under discussion now (CURRENT_QUESTION).
    DemoAnswer("wellarchitected/data-classification", (
        "sec_data_classification_identify_data",
        "sec_data_classification_define_protection",
    )),
)

# (question key, author, body, private): what the facilitator typed, in the order it was typed.
NOTES: tuple[tuple[str, str, str, bool], ...] = (
    ("wellarchitected/manage-service-limits", FACILITATOR,
     "Quotas are tracked in a shared spreadsheet for both Regions; Lambda concurrency was raised to "
     "**3,000** before last year's peak sale.\n\n"
     "- Chen: no alarm yet when usage passes 80% of a quota.", False),
    ("wellarchitected/planning-network-topology", FACILITATOR,
     "There is no data centre or office network to connect: the shop was built in the cloud, so redundant "
     "links to on-premises do not apply. Shoppers come in through Route 53, CloudFront and API Gateway.\n\n"
     "The only VPC is the analytics one, with subnets in three zones and room to grow; there is no address "
     "plan yet for the day it is connected to other networks.", False),
    ("wellarchitected/telemetry", FACILITATOR,
     "Conversion rate and time to complete checkout (measured in the shoppers' browsers) are on the business "
     "dashboard, next to Lambda errors and DynamoDB throttling.\n\n"
     "Calls to the payment provider are not measured, and nothing traces a request across API Gateway and "
     "Lambda.", False),
    ("wellarchitected/adapt-to-changes", FACILITATOR,
     "Lambda scales by itself. The DynamoDB tables use provisioned capacity with auto scaling, and "
     "**reserved capacity** covers their steady base load.\n\n"
     "The last load test ran in March, before the catalogue rewrite, and nobody owns it.", False),
    ("wellarchitected/pricing-model", FACILITATOR,
     "Eli: DynamoDB reserved capacity covers the tables' steady base load, and the nightly analytics "
     "processing runs on Spot Instances. Lambda and API Gateway have no commitment yet, and the Regions were "
     "chosen for latency, not price.", False),
    ("wellarchitected/tracking-change-management", FACILITATOR,
     "Every backend release follows the written release runbook through the pipeline: tests in staging, then "
     "a blue-green switch of the Lambda aliases that switches back by itself if the error alarm fires.\n\n"
     "The React frontend is still copied to S3 by hand from a laptop; rolling it back means rebuilding the "
     "previous tag.", False),
    ("wellarchitected/backing-up-data", FACILITATOR,
     "Point-in-time recovery is on for every DynamoDB table, and AWS Backup keeps encrypted daily copies.\n\n"
     "> \"Global Tables are not a backup: a bad write reaches both Regions.\" (Chen)\n\n"
     "Nobody has tried a restore yet.", False),
    ("wellarchitected/fault-isolation", FACILITATOR,
     "Everything on the shop's path runs across three Availability Zones, and DynamoDB Global Tables keep a "
     "live copy of products, carts and orders in a second Region. Checkout has reserved concurrency of its "
     "own, so a rush on the catalogue cannot starve it. The analytics job is the one thing in a single zone, "
     "and it restarts in another one by itself when interrupted.", False),
    ("wellarchitected/testing-resiliency", FACILITATOR,
     "No failure playbooks, no written post-incident reviews, no game days and no fault injection so far: "
     "incidents are talked through in the team chat and then forgotten. The March load test is out of date "
     "(see REL07).", False),
    ("wellarchitected/planning-for-recovery", FACILITATOR,
     "The business agreed its recovery objectives: back within one hour, losing at most five minutes of "
     "orders. The plan is to move to the second Region: Global Tables hold the data, and S3 Cross-Region "
     "Replication copies the product images and the frontend build.\n\n"
     "The move has never been tried and would be done by hand, step by step; nobody checks that the second "
     "Region's configuration still matches the first.", False),
    ("wellarchitected/securely-operate", FACILITATOR,
     "Production, staging and development are separate AWS accounts in one organization; the root users "
     "have hardware MFA and no access keys. Nobody has drawn a threat model for checkout or payment.", False),
    ("wellarchitected/identities", FACILITATOR,
     "People sign in through the corporate identity provider (IdP) with single sign-on and MFA, and get "
     "access through their team's group. The payment provider's API key is in Secrets Manager.\n\n"
     "The CI system still uses two IAM users with long-lived access keys, and nobody has rotated them.",
     False),
    ("wellarchitected/identities", FACILITATOR, "Dana thinks the CI keys are older than 2 years.", True),
    ("wellarchitected/permissions", FACILITATOR,
     "Every Lambda function has its own IAM role, limited to its own table and actions. Leavers lose access "
     "when they leave the identity provider, and organization policies block the riskiest actions.\n\n"
     "Nobody trims permissions that go unused, and public and cross-account access are not analysed.", False),
    ("wellarchitected/detect-investigate-events", FACILITATOR,
     "CloudTrail, API Gateway access logs and Lambda logs are on, but each account keeps its own and there is "
     "no central log account. GuardDuty is not enabled and Security Hub is not in use.", False),
    ("wellarchitected/network-protection", FACILITATOR,
     "AWS WAF sits on CloudFront with the managed rule sets and a rate limit on checkout. The analytics "
     "instances are in private subnets that accept no inbound traffic. WAF rules are changed by hand in the "
     "console.", False),
    ("wellarchitected/protect-compute", FACILITATOR,
     "Compute here means the Lambda functions and the analytics Spot Instances. Nobody logs in to either: "
     "there is no SSH, and every analytics run starts fresh instances.\n\n"
     "Alerts about vulnerable npm packages pile up with no agreed time to fix them, and nothing checks that "
     "the code deployed is the code that was built.", False),
)

# (title, owner, due, status, question key or None)
ACTIONS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("Alarm at 80% of Lambda and DynamoDB quotas", "Chen Wei", "2026-12-10", "open",
     "wellarchitected/manage-service-limits"),
    ("Load-test checkout at twice last year's peak, and give the test an owner", "Ben Okafor", "2027-02-15",
     "open", "wellarchitected/adapt-to-changes"),
    ("Move the frontend deployment into the pipeline, with a one-step rollback", "Chen Wei", "2027-01-31",
     "in progress", "wellarchitected/tracking-change-management"),
    ("Restore the orders table into a test account and time it", "Chen Wei", "2027-01-15", "open",
     "wellarchitected/backing-up-data"),
    ("Rehearse a move to the second Region in staging", "Chen Wei", "2027-03-31", "open",
     "wellarchitected/planning-for-recovery"),
    ("Threat-model the checkout and payment flow", "Dana Levi", "2027-01-15", "open",
     "wellarchitected/securely-operate"),
    ("Replace CI's IAM user keys with OIDC federation", "Chen Wei", "2026-12-20", "open",
     "wellarchitected/identities"),
    ("Enable GuardDuty and Security Hub in every account", "Dana Levi", "2026-12-15", "open",
     "wellarchitected/detect-investigate-events"),
    ("Price a Compute Savings Plan for the Lambda functions", "Eli Novak", "2027-02-28", "open",
     "wellarchitected/pricing-model"),
    ("Move product images to S3 Intelligent-Tiering", "Eli Novak", "2027-01-31", "open", None),
)


def _question(state: SessionState, key: str, where: str) -> Question:
    alias, _, qid = key.partition("/")
    lens = state.lens(alias)
    if lens is None:
        raise NotFound(f"demo data, {where}: the demo session has no lens {alias!r}")
    question = lens.question(qid)
    if question is None:
        raise NotFound(f"demo data, {where}: lens {alias!r} has no question {qid!r}")
    return question


def check_demo_data(state: SessionState) -> None:
    """Refuse the demo data if it names a lens, question or choice the session's lenses lack, a person who
    is not a participant, or an answer that contradicts itself."""
    seen: set[str] = set()
    for a in ANSWERS:
        where = f"answer to {a.key}"
        question = _question(state, a.key, where)
        na_ids = [cid for cid, _ in a.not_applicable]
        for cid in (*a.chosen, *na_ids):
            if question.choice(cid) is None:
                raise NotFound(f"demo data, {where}: question {question.label} has no choice {cid!r}")
        if a.key in seen:
            raise WatError(f"demo data, {where}: answered twice")
        seen.add(a.key)
        none = question.none_choice
        if none is not None and none.id in a.chosen and len(a.chosen) > 1:
            raise WatError(f"demo data, {where}: 'None of these' is ticked together with practices")
        if set(a.chosen) & set(na_ids):
            raise WatError(f"demo data, {where}: a practice is both in place and not applicable")
    _question(state, CURRENT_QUESTION, "current question")
    people = {name for name, _ in PARTICIPANTS}
    for key, author, _, _ in NOTES:
        _question(state, key, f"note on {key}")
        if author not in people:
            raise NotFound(f"demo data, note on {key}: {author!r} is not a participant")
    for title, owner, _, _, question_key in ACTIONS:
        if question_key is not None:
            _question(state, question_key, f"action item {title!r}")
        if owner not in people:
            raise NotFound(f"demo data, action item {title!r}: owner {owner!r} is not a participant")


def ensure_demo(review: Review) -> str:
    """The demo session's id, creating it the first time."""
    existing = review.demo_session_id()
    if existing is not None:
        return existing
    # One transaction: an interrupted first run, or data the check refuses, leaves no half-made demo behind.
    with review.transaction():
        sid = review.create_session(
            DEMO_NAME, workload=DEMO_WORKLOAD, workload_type="critical-ecommerce", planned_minutes=300,
            lenses=DEMO_LENSES, participants=PARTICIPANTS,
        )
        check_demo_data(review.state(sid))
        for a in ANSWERS:
            alias, _, qid = a.key.partition("/")
            for cid in a.chosen:
                review.toggle_choice(sid, alias, qid, cid)
            for cid, reason in a.not_applicable:
                review.set_choice_not_applicable(sid, alias, qid, cid, reason)
        for key, author, body, private in NOTES:
            review.add_note(sid, key, author, body, private=private)
        for title, owner, due, status, question_key in ACTIONS:
            review.add_action(sid, title, owner, due, status, question_key)
        review.set_position(sid, CURRENT_QUESTION)
        review.set_demo_session_id(sid)
    return sid
