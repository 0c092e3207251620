"""full-text index on rendition texts, for trace

SQLite: an FTS5 table over rendition.text (external content, kept by triggers;
texts are immutable, so insert and delete are all it needs). PostgreSQL: a GIN
index on to_tsvector('simple', text), 'simple' because quotes come in every
language and no single stemmer fits them all.

Revision ID: 0002
Revises: 0001
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE VIRTUAL TABLE rendition_fts USING fts5(text, content='rendition', content_rowid='rowid', "
                   "tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER rendition_fts_ai AFTER INSERT ON rendition WHEN new.text IS NOT NULL BEGIN "
                   "INSERT INTO rendition_fts(rowid, text) VALUES (new.rowid, new.text); END")
        op.execute("CREATE TRIGGER rendition_fts_ad AFTER DELETE ON rendition WHEN old.text IS NOT NULL BEGIN "
                   "INSERT INTO rendition_fts(rendition_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END")
        op.execute("INSERT INTO rendition_fts(rendition_fts) VALUES ('rebuild')")
        # document frequency of each term, so trace can search by a query's rarest words
        op.execute("CREATE VIRTUAL TABLE rendition_fts_vocab USING fts5vocab(rendition_fts, 'row')")
        # texts are immutable: the database refuses an UPDATE that changes them
        op.execute("CREATE TRIGGER rendition_text_immutable BEFORE UPDATE OF text, text_hash ON rendition "
                   "WHEN old.text IS NOT new.text OR old.text_hash IS NOT new.text_hash BEGIN "
                   "SELECT RAISE(ABORT, 'rendition texts are immutable: record a revision instead'); END")
    elif dialect == "postgresql":
        op.execute("CREATE INDEX ix_rendition_text_fts ON rendition USING gin (to_tsvector('simple', coalesce(text, '')))")
        op.execute("CREATE FUNCTION rendition_text_immutable() RETURNS trigger AS $$ BEGIN "
                   "IF NEW.text IS DISTINCT FROM OLD.text OR NEW.text_hash IS DISTINCT FROM OLD.text_hash THEN "
                   "RAISE EXCEPTION 'rendition texts are immutable: record a revision instead'; END IF; "
                   "RETURN NEW; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER rendition_text_immutable BEFORE UPDATE ON rendition "
                   "FOR EACH ROW EXECUTE FUNCTION rendition_text_immutable()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS rendition_text_immutable")
        op.execute("DROP TRIGGER IF EXISTS rendition_fts_ad")
        op.execute("DROP TRIGGER IF EXISTS rendition_fts_ai")
        op.execute("DROP TABLE IF EXISTS rendition_fts_vocab")
        op.execute("DROP TABLE IF EXISTS rendition_fts")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS rendition_text_immutable ON rendition")
        op.execute("DROP FUNCTION IF EXISTS rendition_text_immutable()")
        op.execute("DROP INDEX IF EXISTS ix_rendition_text_fts")
