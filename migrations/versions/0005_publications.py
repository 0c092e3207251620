"""publications and anchors: the articles intake reads, and where a rendition sits in one

- ``publication``: an article's full text as read (immutable, content-hashed), with its URL, outlet, title,
  author, date, language and the time it was retrieved; one per text, URL and outlet (``key``).
- ``anchor``: a rendition's place in a publication, as a W3C Web Annotation TextQuoteSelector (exact,
  prefix, suffix) and TextPositionSelector (start, end).

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("outlet", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
        sa.Column("retrieved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
        sa.UniqueConstraint("key", name=op.f("uq_publication_key")),
    )
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_text_hash"), ["text_hash"], unique=False)
    op.create_table(
        "anchor",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("rendition_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("publication_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("exact", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("suffix", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f("ck_anchor_position")),
        sa.ForeignKeyConstraint(["rendition_id"], ["rendition.id"], name=op.f("fk_anchor_rendition_id_rendition"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["publication_id"], ["publication.id"],
                                name=op.f("fk_anchor_publication_id_publication"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anchor")),
        sa.UniqueConstraint("rendition_id", "publication_id", "start", name="uq_anchor_rendition_place"),
    )
    with op.batch_alter_table("anchor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_anchor_rendition_id"), ["rendition_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_anchor_publication_id"), ["publication_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("anchor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_anchor_publication_id"))
        batch_op.drop_index(batch_op.f("ix_anchor_rendition_id"))
    op.drop_table("anchor")
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_text_hash"))
    op.drop_table("publication")
