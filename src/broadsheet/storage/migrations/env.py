"""Alembic environment: runs on the connection that ``broadsheet.storage.migrate`` hands over."""

from __future__ import annotations

from alembic import context

from broadsheet.storage.schema import include_object, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
