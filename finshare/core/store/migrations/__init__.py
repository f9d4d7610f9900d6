"""Alembic migrations of the ledger store; :func:`finshare.core.store.schema.upgrade` runs them."""
