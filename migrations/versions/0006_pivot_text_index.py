"""full-text index on the pivot texts trace reads: human glosses and cached machine translations

Trace compares a query in the pivot language with each rendition's gloss and
cached translation; before, it read every gloss and every cached translation
of the pivot language and looked for the query's words in Python, a scan that
grew with the database. Like revision 0002 for rendition texts: SQLite FTS5
tables over gloss.text and translation_cache.output (external content, kept by
insert and delete triggers: both texts are written once), PostgreSQL GIN
indexes on to_tsvector('simple', ...).

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0006"
down_revision: Union[str, None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: (full-text table, content table, column)
INDEXED = (("gloss_fts", "gloss", "text"), ("translation_fts", "translation_cache", "output"))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for fts, table, column in INDEXED:
        if dialect == "sqlite":
            op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', content_rowid='rowid', "
                       "tokenize='unicode61 remove_diacritics 2')")
            op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                       f"INSERT INTO {fts}(rowid, {column}) VALUES (new.rowid, new.{column}); END")
            op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                       f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.rowid, old.{column}); END")
            op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        elif dialect == "postgresql":
            op.execute(f"CREATE INDEX ix_{fts} ON {table} USING gin (to_tsvector('simple', {column}))")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for fts, _table, _column in INDEXED:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_ad")
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_ai")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        elif dialect == "postgresql":
            op.execute(f"DROP INDEX IF EXISTS ix_{fts}")
