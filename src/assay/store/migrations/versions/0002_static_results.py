"""Static eval results.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "static_results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.String(64),
            sa.ForeignKey("runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("item_id", sa.String(200), nullable=False),
        sa.Column("behaviour", sa.String(100), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("method", sa.String(32)),
        sa.Column("answer", sa.String(8)),
        sa.Column("error", sa.Text),
        sa.UniqueConstraint("run_id", "target", "item_id", name="uq_static_result"),
    )
    op.create_index("ix_static_results_run", "static_results", ["run_id"])


def downgrade() -> None:
    op.drop_table("static_results")
