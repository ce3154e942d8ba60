"""Judge panel seats: a verdict belongs to a seat (judge, judge2, ...), not a model name.

A panel may name the same model twice; each seat keeps its own verdicts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.add_column(sa.Column("seat", sa.String(64), nullable=False, server_default="judge"))


def downgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.drop_column("seat")
