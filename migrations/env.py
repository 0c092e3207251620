"""Alembic environment: the models' metadata, a URL from the settings, batch mode for SQLite."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

import provenance.models  # noqa: F401  (registers every table on the metadata)
from provenance.models import metadata
from provenance.settings import Settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)

target_metadata = metadata


#: What raw-SQL revisions own (0002, 0006): the full-text tables (and FTS5's own tables named after them)
#: and PostgreSQL's full-text indexes.
FULL_TEXT = ("rendition_fts", "gloss_fts", "translation_fts")
FULL_TEXT_INDEXES = ("ix_rendition_text_fts", "ix_gloss_fts", "ix_translation_fts")


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave out what raw-SQL revisions own: the full-text tables and indexes (see 0002 and 0006)."""
    if name and (name.startswith(FULL_TEXT) or name in FULL_TEXT_INDEXES):
        return False
    return True


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      dialect_opts={"paramstyle": "named"}, render_as_batch=True, compare_type=True,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    section = config.get_section(config.config_ini_section, {})
    section["sqlalchemy.url"] = _url()
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    schema = config.attributes.get("schema")
    if schema:  # tests run each PostgreSQL suite in a schema of its own
        connection.exec_driver_sql(f'SET search_path TO "{schema}"')
        connection.dialect.default_schema_name = schema
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
