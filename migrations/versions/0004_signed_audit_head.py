"""signed audit head, audit events by entity, stored answers in pieces

- ``audit_checkpoint``: the audit log's signed head (count, last sequence
  number and hash, and a keyed hash of them), rewritten by every write.
- ``ix_audit_event_entity``: each record's latest event, for the check that
  rows still match what the log recorded.
- ``stored_answer`` holds pieces (quote, node, edge, lineage) stamped with the
  version of the code that built them, instead of whole graphs: derived data,
  so the table is emptied and ``provenance db upgrade`` builds the pieces
  again (reads build answers live until then).

Revision ID: 0004
Revises: 0003
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("mac", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_checkpoint_single")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoint")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_entity", ["entity_type", "entity_id", "seq"], unique=False)
    with op.batch_alter_table("stored_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_answer_quote_id"))
    op.drop_table("stored_answer")
    op.create_table(
        "stored_answer",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("quote_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("sort_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("kind IN ('quote', 'node', 'edge', 'lineage')", name=op.f("ck_stored_answer_kind")),
        sa.ForeignKeyConstraint(["quote_id"], ["quote.id"], name=op.f("fk_stored_answer_quote_id_quote"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_stored_answer")),
    )
    with op.batch_alter_table("stored_answer", schema=None) as batch_op:
        batch_op.create_index("ix_stored_answer_quote_kind", ["quote_id", "kind", "sort_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stored_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_stored_answer_quote_kind")
    op.drop_table("stored_answer")
    op.create_table(
        "stored_answer",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("quote_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('graph', 'lineage')", name=op.f("ck_stored_answer_kind")),
        sa.ForeignKeyConstraint(["quote_id"], ["quote.id"], name=op.f("fk_stored_answer_quote_id_quote"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_stored_answer")),
    )
    with op.batch_alter_table("stored_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_answer_quote_id"), ["quote_id"], unique=False)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")
    op.drop_table("audit_checkpoint")
