"""The store's tables (SQLAlchemy Core). Migrations in `migrations/` create them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("started", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True)),
    Column("status", String(32), nullable=False),  # running | ok | error | interrupted
    Column("error", Text),
    Column("rubric", String(200), nullable=False),
    Column("config", JSON, nullable=False),
    Column("versions", JSON, nullable=False),
)

audits = Table(
    "audits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("seed_id", String(200), nullable=False),
    Column("epoch", Integer, nullable=False),
    Column("target", String(300), nullable=False),
    Column("auditor", String(300), nullable=False),
    Column("status", String(32), nullable=False),  # ok | error | auditor_failure
    Column("error", Text),
    Column("turns", Integer, nullable=False),
    Column("usage", JSON, nullable=False),
    Column("cost", Float),
    Column("transcript", JSON, nullable=False),
    Column("finished", DateTime(timezone=True), nullable=False),
    Column("details", JSON),  # auditor statistics (migration 0003)
    UniqueConstraint("run_id", "seed_id", "epoch", "target", name="uq_audit"),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Integer, ForeignKey("audits.id", ondelete="CASCADE"), nullable=False),
    Column("judge", String(300), nullable=False),  # the judge's model name
    Column("seat", String(64), nullable=False),  # judge, judge2, ... (migration 0004)
    Column("rubric", String(200), nullable=False),
    Column("dimension", String(100)),  # NULL on an error row
    Column("score", Integer),  # NULL on an error row
    Column("justification", Text),
    Column("citations", JSON),
    Column("status", String(32), nullable=False),  # ok | error
    Column("error", Text),
    Column("attempts", Integer, nullable=False),
    # The judge's notes (migration 0005): on the first row of a verdict only; the
    # other rows hold SQL NULL (none_as_null), which reads back without JSON decoding.
    Column("summary", Text),
    Column("highlights", JSON(none_as_null=True)),
    # The score's citations counted (migration 0007), so reports tally each judge's
    # citations while reading the scores, without decoding them: all, and those found
    # in the target's words (`exact` or `fuzzy`). NULL on an error row.
    Column("citation_count", Integer),
    Column("verified_citation_count", Integer),
)

static_results = Table(
    "static_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("target", String(300), nullable=False),
    Column("item_id", String(200), nullable=False),
    Column("behaviour", String(100), nullable=False),
    Column("source", String(500), nullable=False),
    Column("status", String(32), nullable=False),  # ok | error
    Column("score", Float),  # P(misaligned choice); NULL on an error row
    Column("method", String(32)),  # logprobs | answer
    Column("answer", String(8)),
    Column("error", Text),
    UniqueConstraint("run_id", "target", "item_id", name="uq_static_result"),
)

Index("ix_audits_run", audits.c.run_id)
Index("ix_static_results_run", static_results.c.run_id)
Index("ix_verdicts_audit", verdicts.c.audit_id)
