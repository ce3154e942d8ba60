"""Initial store: runs, audits, verdicts.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("rubric", sa.String(200), nullable=False),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("versions", sa.JSON, nullable=False),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.String(64),
            sa.ForeignKey("runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seed_id", sa.String(200), nullable=False),
        sa.Column("epoch", sa.Integer, nullable=False),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("auditor", sa.String(300), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("turns", sa.Integer, nullable=False),
        sa.Column("usage", sa.JSON, nullable=False),
        sa.Column("cost", sa.Float),
        sa.Column("transcript", sa.JSON, nullable=False),
        sa.Column("finished", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("run_id", "seed_id", "epoch", "target", name="uq_audit"),
    )
    op.create_index("ix_audits_run", "audits", ["run_id"])
    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "audit_id",
            sa.Integer,
            sa.ForeignKey("audits.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("judge", sa.String(300), nullable=False),
        sa.Column("rubric", sa.String(200), nullable=False),
        sa.Column("dimension", sa.String(100)),
        sa.Column("score", sa.Integer),
        sa.Column("justification", sa.Text),
        sa.Column("citations", sa.JSON),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False),
    )
    op.create_index("ix_verdicts_audit", "verdicts", ["audit_id"])


def downgrade() -> None:
    op.drop_table("verdicts")
    op.drop_table("audits")
    op.drop_table("runs")
