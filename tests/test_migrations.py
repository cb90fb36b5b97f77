"""Migrations: the schema the code declares is the one Alembic builds, old databases upgrade with their data
intact, and a migration that fails leaves the user's file exactly as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from wat_tui.errors import WatError
from wat_tui.review.service import Review
from wat_tui.store import db
from wat_tui.store.db import HEAD_REVISION, MIGRATIONS_DIR, MigrationError, current_revision, prepare_database
from wat_tui.store.paths import DB_NAME

FIXTURES = sorted((Path(__file__).resolve().parent / "fixtures" / "db").glob("*.sqlite3"))


def schema(path: Path) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'alembic_version'")]
        out = {}
        for t in tables:
            cols = conn.execute(f'PRAGMA table_info("{t}")').fetchall()
            fks = conn.execute(f'PRAGMA foreign_key_list("{t}")').fetchall()
            indexes = conn.execute(f'PRAGMA index_list("{t}")').fetchall()
            out[t] = {
                "columns": {c[1]: (c[2], bool(c[3])) for c in cols},  # name: (type, not null)
                "primary_key": {c[1] for c in cols if c[5]},
                "foreign_keys": {(f[3], f"{f[2]}.{f[4]}") for f in fks},
                "indexes": {i[1] for i in indexes if not i[1].startswith("sqlite_autoindex")},
            }
        return out
    finally:
        conn.close()


def declared() -> dict[str, dict[str, Any]]:
    from sqlalchemy.dialects import sqlite
    from sqlmodel import SQLModel

    import wat_tui.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    dialect = sqlite.dialect()
    return {
        name: {
            "columns": {c.name: (c.type.compile(dialect=dialect), not c.nullable) for c in table.columns},
            "primary_key": {c.name for c in table.primary_key.columns},
            "foreign_keys": {(fk.parent.name, fk.target_fullname) for fk in table.foreign_keys},
            "indexes": {i.name for i in table.indexes},
        }
        for name, table in SQLModel.metadata.tables.items()
    }


def test_head_revision_is_alembic_head(data_dir: Path) -> None:
    heads = ScriptDirectory(str(MIGRATIONS_DIR)).get_heads()
    assert heads == [HEAD_REVISION]


def test_fresh_database_has_exactly_the_declared_schema(data_dir: Path) -> None:
    Review.open(data_dir).close()
    path = data_dir / DB_NAME
    assert current_revision(path) == HEAD_REVISION
    built, wanted = schema(path), declared()
    assert sorted(built) == sorted(wanted)
    for table in wanted:
        assert built[table] == wanted[table], table


def autogenerate_differences(path: Path) -> list[Any]:
    """What ``alembic revision --autogenerate`` would write to bring the database at ``path`` to the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import wat_tui.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_the_models_need_no_new_revision(tmp_path: Path) -> None:
    """Alembic's own comparison of a database migrated to head with the SQLModel tables finds nothing to do, so a
    model changed without a revision cannot land."""
    path = tmp_path / "head.sqlite3"
    db.run_migrations(path)
    assert autogenerate_differences(path) == []


def test_the_comparison_sees_a_model_without_its_revision(tmp_path: Path) -> None:
    path = tmp_path / "head.sqlite3"
    db.run_migrations(path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE meta ADD COLUMN spare TEXT")
    conn.execute("DROP INDEX ix_operation_session_id")
    conn.commit()
    conn.close()
    found = {d[0] for d in autogenerate_differences(path)}
    assert {"remove_column", "add_index"} <= found


def test_there_is_a_fixture_for_every_revision(data_dir: Path) -> None:
    revisions = {s.revision for s in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
    assert {p.stem for p in FIXTURES} == revisions


def describe(review: Review, sid: str) -> dict[str, Any]:
    """The review as a person would read it back, without the random ids."""
    st = review.state(sid)
    return {
        "session": (st.name, st.workload, st.workload_type, st.planned_minutes),
        "lenses": [lens.alias for lens in st.lenses],
        "answers": {k: (a.selected, a.na_choices, a.not_applicable, a.reason) for k, a in st.answers.items()},
        "risks": {k: st.risk(st.lenses[0], st.lenses[0].question(k.split("/")[1])).value  # type: ignore[arg-type]
                  for k in st.answers},
        "notes": [(n.question, n.author, n.body, n.private) for n in st.notes],
        "actions": [(a.title, a.owner, a.due, a.status, a.question) for a in st.actions],
        "participants": [(p.name, p.role, p.email) for p in st.participants],
        "conflicts": len(st.conflicts),
        "position": review.position(sid),
    }


EXPECTED = {
    "session": ("Fixture: payments API", "Payments API (API Gateway, Lambda, DynamoDB)", "financial", 270),
    "lenses": ["serverless"],
    "answers": {
        "serverless/sls-app-health": (
            ("sls_app_health_actionable_alarms", "sls_app_health_distributed_tracing",
             "sls_app_health_structured_logs"), {}, False, None),
        "serverless/sls-app-lifecycle": (("sls_app_lifecycle_no",), {}, False, None),
        "serverless/sls-performance": ((), {}, True, "BUSINESS_PRIORITIES"),
        "serverless/sls-api-access": (("sls_api_access_authn_every_route",),
                                      {"sls_api_access_keys_for_metering": "OUT_OF_SCOPE"}, False, None),
    },
    "risks": {"serverless/sls-app-health": "MEDIUM", "serverless/sls-app-lifecycle": "HIGH",
              "serverless/sls-performance": "NOT_APPLICABLE", "serverless/sls-api-access": "HIGH"},
    "notes": [
        ("serverless/sls-app-health", "Ana Ruiz",
         "Logs are JSON; **no** trace sampling yet.\n\n- X-Ray on the checkout path only.", False),
        ("serverless/sls-api-access", "Dana Levi", "Partner keys are shared by e-mail.", True),
    ],
    "actions": [
        ("Rotate partner API keys", "Dana Levi", "2027-01-15", "in progress", "serverless/sls-api-access"),
    ],
    "participants": [("Ana Ruiz", "Facilitator", ""), ("Ben Okafor", "Workload owner", ""),
                     ("Dana Levi", "Security specialist", "dana@example.com")],
    "conflicts": 0,
    "position": "serverless/sls-api-access",
}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_upgrades_to_head_with_its_review_intact(fixture: Path, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    shutil.copyfile(fixture, data_dir / DB_NAME)
    old_rev = current_revision(data_dir / DB_NAME)
    assert old_rev == fixture.stem
    review = Review.open(data_dir)
    try:
        assert current_revision(data_dir / DB_NAME) == HEAD_REVISION
        backup = data_dir / f"{DB_NAME}.pre-{old_rev}.bak"
        assert backup.exists() == (old_rev != HEAD_REVISION)
        (sid,) = [s.id for s in review.list_sessions()]
        assert review.find_session("Fixture") == sid
        assert describe(review, sid) == EXPECTED
        # The history came along too: the undone edit can be redone, and new edits append after the old ops.
        assert review.redo(sid) is True
        assert review.state(sid).answer("serverless", "sls-cost") is not None
        last_seq = max(op.seq for op in review.ops(sid) if op.writer_id == review.writer_id)
        review.toggle_choice(sid, "serverless", "sls-cost", "sls_cost_cost_visibility")
        assert max(op.seq for op in review.ops(sid)) == last_seq + 1
    finally:
        review.close()


def make_old_database(path: Path) -> bytes:
    """A database file with no tables yet, as a first start interrupted before its migration leaves it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=7")  # a header of its own, so the file has content to compare
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_migration_keeps_a_backup_of_the_file_it_started_from(data_dir: Path) -> None:
    path = data_dir / DB_NAME
    original = make_old_database(path)
    review = Review.open(data_dir)
    review.close()
    backup = data_dir / f"{DB_NAME}.pre-none.bak"
    assert backup.read_bytes() == original
    assert current_revision(path) == HEAD_REVISION
    assert sorted(p.name for p in data_dir.iterdir() if "migrating" in p.name) == []


def test_failed_migration_leaves_the_original_untouched(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_dir / DB_NAME
    original = make_old_database(path)

    def broken(work: Path, target: str = "head") -> None:
        conn = sqlite3.connect(work)
        conn.execute("CREATE TABLE half_done(x)")  # change the work copy, then fail half-way
        conn.commit()
        conn.close()
        raise RuntimeError("disk full")

    monkeypatch.setattr(db, "run_migrations", broken)
    with pytest.raises(MigrationError, match="disk full") as info:
        Review.open(data_dir)
    assert isinstance(info.value, WatError)
    assert str(path) in str(info.value)
    assert path.read_bytes() == original
    assert [p.name for p in data_dir.iterdir() if "migrating" in p.name] == []


def test_another_programs_database_is_refused_untouched(data_dir: Path) -> None:
    """A SQLite file with tables but no wat-tui revision is never migrated, copied into or written."""
    path = data_dir / DB_NAME
    make_old_database(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('owner', 'someone else')")
    conn.commit()
    conn.close()
    original = path.read_bytes()
    with pytest.raises(MigrationError, match="not a wat-tui database.*meta"):
        prepare_database(path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME]


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir: Path) -> None:
    Review.open(data_dir).close()
    path = data_dir / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    original = path.read_bytes()
    with pytest.raises(MigrationError, match="9999.*newer wat-tui"):
        Review.open(data_dir)
    assert path.read_bytes() == original


def test_a_file_that_is_not_a_database_is_refused_untouched(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / DB_NAME
    path.write_bytes(b"this is a shopping list, not a database\n" * 100)
    original = path.read_bytes()
    with pytest.raises(WatError, match="not a wat-tui database"):
        Review.open(data_dir)
    assert path.read_bytes() == original
