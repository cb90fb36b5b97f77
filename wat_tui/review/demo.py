"""The demo session: the seed's e-commerce platform half-way through its review.

Built through the same calls a facilitator's keystrokes go through, so it exercises the real paths.
"""

from __future__ import annotations

from wat_tui.review.service import Review

DEMO_NAME = "Demo: ShopFast checkout review"
DEMO_WORKLOAD = "ShopFast e-commerce platform (React, API Gateway, Lambda, DynamoDB, S3)"

PARTICIPANTS = (
    ("Ana Ruiz", "Facilitator"),
    ("Ben Okafor", "Workload owner"),
    ("Chen Wei", "Operations engineer"),
    ("Dana Levi", "Security specialist"),
    ("Eli Novak", "Finance representative"),
)

THIRD_PARTY_SHARING = "sec_permissions_share_securely_third_party"

# (lens alias, question id, choices in place by position in the lens, or "none", or "na")
ANSWERS: tuple[tuple[str, str, object], ...] = (
    ("wellarchitected", "manage-service-limits", (0, 1, 2, 3, 4)),
    ("wellarchitected", "planning-network-topology", (0, 1, 2)),
    ("wellarchitected", "service-architecture", (0, 1, 2)),
    ("wellarchitected", "prevent-interaction-failure", (0, 1)),
    ("wellarchitected", "mitigate-interaction-failure", (0, 1, 2, 3, 4, 5, 6)),
    ("wellarchitected", "monitor-aws-resources", (0, 1, 2, 3)),
    ("wellarchitected", "adapt-to-changes", (1,)),
    ("wellarchitected", "tracking-change-management", "none"),
    ("wellarchitected", "backing-up-data", (0, 1, 2, 3, 4)),
    ("wellarchitected", "securely-operate", (0, 1, 2, 4, 5)),
    ("wellarchitected", "identities", (0, 1, 2)),
    ("wellarchitected", "permissions", (0, 1, 2, 3, 4, 5, 6, 7)),
    ("wellarchitected", "detect-investigate-events", (0,)),
    ("wellarchitected", "network-protection", (0, 1, 2, 3)),
    ("wellarchitected", "protect-compute", "na"),
    ("wellarchitected", "data-classification", (0, 1)),
)

NOTES = (
    ("wellarchitected/manage-service-limits",
     "Quotas are tracked in a shared sheet; Lambda concurrency was raised to **3,000** before "
     "Black Friday.\n\n"
     "- Chen: no alarm yet when usage passes 80% of a quota."),
    ("wellarchitected/adapt-to-changes",
     "Auto scaling exists only for the **ECS** reporting service. DynamoDB is on-demand.\n\n"
     "Load test last ran in March; nobody owns it."),
    ("wellarchitected/tracking-change-management",
     "Deployments are manual from a laptop on Fridays. Rollback = redeploy the previous zip.\n\n"
     "> \"We find out about failed deploys from Twitter.\" (Ben)"),
    ("wellarchitected/detect-investigate-events",
     "CloudTrail is on in the main account only. GuardDuty not enabled. Security Hub not in use."),
    ("wellarchitected/identities",
     "SSO via the corporate IdP for humans. Two IAM users with long-lived keys remain for the CI system."),
)

ACTIONS = (
    ("Enable GuardDuty and Security Hub in every account", "Dana Levi", "2026-12-15", "open",
     "wellarchitected/detect-investigate-events"),
    ("Automate deployments with a pipeline and one-click rollback", "Chen Wei", "2027-01-31", "in progress",
     "wellarchitected/tracking-change-management"),
    ("Replace CI's IAM user keys with OIDC federation", "Chen Wei", "2026-12-20", "open",
     "wellarchitected/identities"),
    ("Alarm at 80% of Lambda and DynamoDB quotas", "Chen Wei", "2026-12-10", "open",
     "wellarchitected/manage-service-limits"),
    ("Tag every resource with cost centre and tenant", "Eli Novak", "2027-02-28", "open", None),
)


def ensure_demo(review: Review) -> str:
    """The demo session's id, creating it the first time."""
    row = review.conn.execute("SELECT value FROM meta WHERE key='demo_session'").fetchone()
    if row and review.conn.execute("SELECT 1 FROM session WHERE id=?", (row[0],)).fetchone():
        return str(row[0])
    # One transaction: an interrupted first run leaves no half-made demo behind to be duplicated next time.
    with review.log.transaction():
        sid = review.create_session(
            DEMO_NAME, workload=DEMO_WORKLOAD, workload_type="critical-ecommerce", planned_minutes=300,
            lenses=("wellarchitected", "serverless"), participants=PARTICIPANTS,
        )
        state = review.state(sid)
        for alias, qid, how in ANSWERS:
            lens = state.lens(alias)
            question = lens.question(qid) if lens else None
            if question is None:
                continue
            if how == "na":
                review.set_not_applicable(sid, alias, qid, "ARCHITECTURE_CONSTRAINTS")
                continue
            practices = [c for c in question.choices if not c.is_none_choice]
            if how == "none":
                picks = [question.none_choice.id] if question.none_choice else []
            else:
                picks = [practices[i].id for i in how if i < len(practices)] if isinstance(how, tuple) else []
            for cid in picks:
                review.toggle_choice(sid, alias, qid, cid)
        last = ANSWERS[-1]
        # Nothing is shared with third parties: that practice does not apply (so it counts as in place).
        lens = state.lens("wellarchitected")
        question = lens.question("permissions") if lens else None
        if question is not None and question.choice(THIRD_PARTY_SHARING) is not None:
            review.set_choice_not_applicable(sid, "wellarchitected", "permissions", THIRD_PARTY_SHARING,
                                             "OUT_OF_SCOPE")
        for key, body in NOTES:
            review.add_note(sid, key, "Ana Ruiz", body)
        review.add_note(sid, "wellarchitected/identities", "Ana Ruiz",
                        "Dana thinks the CI keys are older than 2 years.", private=True)
        for title, owner, due, status, question_key in ACTIONS:
            review.add_action(sid, title, owner, due, status, question_key)
        review.set_position(sid, f"{last[0]}/{last[1]}")
        review.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('demo_session', ?)", (sid,))
    return sid
