"""Make ``tests/fixtures/db/<revision>.sqlite3``: a small review stored by the current schema revision.

Run it once per new Alembic revision (``.venv/bin/python scripts/make_fixture_db.py``) and commit the
file; older fixtures stay as they are, and tests/test_migrations.py upgrades every one of them to head and
checks the review survived. The review is built through the Review facade, the same calls a facilitator's
keystrokes make, so the fixture holds what real use produces (operations, registers, undo entries, the
remembered position).
"""

from __future__ import annotations

import argparse
import getpass
import shutil
import socket
import sqlite3
import sys
import tempfile
from pathlib import Path

from wat_tui.review.service import Review
from wat_tui.store.db import HEAD_REVISION, current_revision
from wat_tui.store.paths import DB_NAME

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "db"
SESSION_NAME = "Fixture: payments API"


def build(review: Review) -> str:
    """The scenario every fixture holds; tests/test_migrations.py states what it must read back as."""
    sid = review.create_session(
        SESSION_NAME, workload="Payments API (API Gateway, Lambda, DynamoDB)", workload_type="financial",
        planned_minutes=270, lenses=("serverless",),
        participants=(("Ana Ruiz", "Facilitator"), ("Ben Okafor", "Workload owner")),
    )
    review.set_participant(sid, "Dana Levi", "Security specialist", "dana@example.com")
    for cid in ("sls_app_health_structured_logs", "sls_app_health_distributed_tracing",
                "sls_app_health_actionable_alarms"):
        review.toggle_choice(sid, "serverless", "sls-app-health", cid)
    review.toggle_choice(sid, "serverless", "sls-app-lifecycle", "sls_app_lifecycle_no")
    review.set_not_applicable(sid, "serverless", "sls-performance", "BUSINESS_PRIORITIES")
    review.toggle_choice(sid, "serverless", "sls-api-access", "sls_api_access_authn_every_route")
    review.set_choice_not_applicable(sid, "serverless", "sls-api-access", "sls_api_access_keys_for_metering",
                                     "OUT_OF_SCOPE")
    first = "Logs are JSON; **no** trace sampling yet."
    kept = review.add_note(sid, "serverless/sls-app-health", "Ana Ruiz", first)
    review.edit_note(sid, kept, first + "\n\n- X-Ray on the checkout path only.")
    review.add_note(sid, "serverless/sls-api-access", "Dana Levi", "Partner keys are shared by e-mail.",
                    private=True)
    dropped = review.add_note(sid, "serverless/sls-cost", "Ben Okafor", "typo")
    review.delete_note(sid, dropped)
    aid = review.add_action(sid, "Rotate partner API keys", "Dana Levi", "2027-01-15", "open",
                            "serverless/sls-api-access")
    review.edit_action(sid, aid, status="in progress")
    gone = review.add_action(sid, "Duplicate item", "Ben Okafor")
    review.delete_action(sid, gone)
    review.toggle_choice(sid, "serverless", "sls-cost", "sls_cost_budget_alerts")
    review.undo(sid)  # an undone edit, so the undo table holds both states
    review.set_position(sid, "serverless/sls-api-access")
    return sid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="replace an existing fixture for this revision")
    args = parser.parse_args(argv)
    out = FIXTURE_DIR / f"{HEAD_REVISION}.sqlite3"
    if out.exists() and not args.force:
        print(f"{out} exists; fixtures are history, so it is kept (--force replaces it)", file=sys.stderr)
        return 1
    # Neutral writer details: the fixture is committed, so it must not carry this machine's user or host name.
    getpass.getuser = lambda: "fixture"
    socket.gethostname = lambda: "fixture-host"
    with tempfile.TemporaryDirectory() as tmp:
        review = Review.open(Path(tmp))
        build(review)
        review.close()
        conn = sqlite3.connect(Path(tmp) / DB_NAME)  # a script's own look at the file, below the app
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        conn.execute("VACUUM")
        conn.close()
        assert current_revision(Path(tmp) / DB_NAME) == HEAD_REVISION
        FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / DB_NAME, out)
    conn = sqlite3.connect(out)
    ops = conn.execute("SELECT COUNT(*) FROM operation").fetchone()[0]
    conn.close()
    print(f"{out}: revision {HEAD_REVISION}, {ops} operations, {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
