"""Alembic environment: wat-tui passes an open connection in ``config.attributes['connection']``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

config = context.config
connection = config.attributes.get("connection")

if connection is None:
    url = config.get_main_option("sqlalchemy.url") or "sqlite://"
    with create_engine(url).connect() as conn:
        context.configure(connection=conn, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
