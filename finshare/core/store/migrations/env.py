"""Alembic environment: migrations run on the connection the store hands over.

The store opens the connection, takes the write lock and passes it as
``config.attributes["connection"]``; this file never creates an engine.
"""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
