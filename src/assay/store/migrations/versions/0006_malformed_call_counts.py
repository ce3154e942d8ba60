"""Each audit's malformed target tool calls, counted once into its details.

Reports of large stores read audits without their transcripts; the count they need
from the transcript is kept in `details` (key `malformed_tool_calls`), as the store
now writes it for every new audit. This fills it in for audits stored before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from assay.schema import MALFORMED_TOOL_CALLS, Transcript, malformed_tool_calls

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500

_audits = sa.table(
    "audits",
    sa.column("id", sa.Integer),
    sa.column("transcript", sa.JSON),
    sa.column("details", sa.JSON),
)


def upgrade() -> None:
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_audits.c.id, _audits.c.transcript, _audits.c.details)
            .where(_audits.c.id > last)
            .order_by(_audits.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for audit_id, transcript, details in rows:
            details = dict(details or {})
            if MALFORMED_TOOL_CALLS not in details:
                count = malformed_tool_calls(Transcript.model_validate(transcript or {}))
                conn.execute(
                    sa.update(_audits)
                    .where(_audits.c.id == audit_id)
                    .values(details={**details, MALFORMED_TOOL_CALLS: count})
                )
        last = rows[-1][0]


def downgrade() -> None:
    # The count is derived data: leaving it in `details` harms nothing.
    pass
