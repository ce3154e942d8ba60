"""Judge notes: the summary and highlights a judge writes before its scores.

They belong to a whole verdict, not to one dimension, so they are stored once, on
the verdict's first row (its first dimension); its other rows hold NULL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.add_column(sa.Column("summary", sa.Text(), nullable=True))
        batch.add_column(sa.Column("highlights", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.drop_column("highlights")
        batch.drop_column("summary")
