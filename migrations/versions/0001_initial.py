"""The first schema: lenses, sessions, the operation log and its registers.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )
    op.create_table(
        "lens_version",
        sa.Column("content_hash", sa.String, primary_key=True),
        sa.Column("alias", sa.String, nullable=False, index=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("version", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("source", sa.LargeBinary, nullable=False),
        sa.Column("origin", sa.String, nullable=False),
        sa.Column("stored_at", sa.String, nullable=False),
        sa.Column("pillar_count", sa.Integer, nullable=False),
        sa.Column("question_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "session",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("workload", sa.String, nullable=False),
        sa.Column("workload_type", sa.String, nullable=False),
        sa.Column("planned_minutes", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "session_lens",
        sa.Column("session_id", sa.String, sa.ForeignKey("session.id"), primary_key=True),
        sa.Column("alias", sa.String, primary_key=True),
        sa.Column("content_hash", sa.String, sa.ForeignKey("lens_version.content_hash"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "writer",
        sa.Column("writer_id", sa.String, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("device", sa.String, nullable=False),
    )
    op.create_table(
        "operation",
        sa.Column("writer_id", sa.String, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.String, sa.ForeignKey("session.id"), nullable=False, index=True),
        sa.Column("target", sa.String, nullable=False),
        sa.Column("value", sa.String, nullable=False),
        sa.Column("vv", sa.String, nullable=False),
        sa.Column("hlc", sa.String, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("extra", sa.String, nullable=False),
    )
    op.create_table(
        "register",
        sa.Column("session_id", sa.String, sa.ForeignKey("session.id"), primary_key=True),
        sa.Column("target", sa.String, primary_key=True),
        sa.Column("writer_id", sa.String, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("value", sa.String, nullable=False),
        sa.Column("vv", sa.String, nullable=False),
        sa.Column("hlc", sa.String, nullable=False),
    )
    op.create_table(
        "local_state",
        sa.Column("session_id", sa.String, sa.ForeignKey("session.id"), primary_key=True),
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )
    op.create_table(
        "undo_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.String, sa.ForeignKey("session.id"), nullable=False, index=True),
        sa.Column("action", sa.Integer, nullable=False),
        sa.Column("target", sa.String, nullable=False),
        sa.Column("before", sa.String, nullable=False),
        sa.Column("after", sa.String, nullable=False),
        sa.Column("state", sa.String, nullable=False),
    )


def downgrade() -> None:
    for name in ("undo_entry", "local_state", "register", "operation", "writer", "session_lens", "session",
                 "lens_version", "meta"):
        op.drop_table(name)
