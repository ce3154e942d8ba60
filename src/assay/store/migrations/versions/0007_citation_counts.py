"""Each score's citations counted into two columns of its verdict row.

Reports of large stores read scores without the judges' words and tally each judge's
citations as they read the scores (`Store.audit_scores`): all of them, and those found
in the target's own words. The store now writes both counts with every score; this
adds the columns and fills them in for the scores stored before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

from assay.schema import EVIDENCE_CHECKS

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 5_000

_verdicts = sa.table(
    "verdicts",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("citations", sa.JSON),
    sa.column("citation_count", sa.Integer),
    sa.column("verified_citation_count", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.add_column(sa.Column("citation_count", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("verified_citation_count", sa.Integer(), nullable=True))
    conn = op.get_bind()
    update = (
        sa.update(_verdicts)
        .where(_verdicts.c.id == sa.bindparam("row_id"))
        .values(
            citation_count=sa.bindparam("total"),
            verified_citation_count=sa.bindparam("verified"),
        )
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_verdicts.c.id, sa.cast(_verdicts.c.citations, sa.Text))
            .where(_verdicts.c.id > last, _verdicts.c.status == "ok")
            .order_by(_verdicts.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        counts = []
        for row_id, text in rows:
            citations = (json.loads(text) if text else None) or []
            verified = sum(c.get("verified") in EVIDENCE_CHECKS for c in citations)
            counts.append({"row_id": row_id, "total": len(citations), "verified": verified})
        conn.execute(update, counts)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.drop_column("verified_citation_count")
        batch.drop_column("citation_count")
