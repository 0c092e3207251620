"""stored answers: each quote's graph and each rendition's lineage as served JSON

Written in the transaction of every change to the quote (provenance.answers),
so a read is one primary-key lookup. Existing databases get theirs from
`provenance db upgrade` (which stores what is missing); until then reads build
the answer live, as before.

Revision ID: 0003
Revises: 0002
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
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


def downgrade() -> None:
    with op.batch_alter_table("stored_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_answer_quote_id"))
    op.drop_table("stored_answer")
