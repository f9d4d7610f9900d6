"""Clearings: the receivable clearing history (核销记录), one row per receipt and invoice.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clearings",
        sa.Column("receipt", sa.String(200), primary_key=True),
        sa.Column("invoice", sa.String(200), primary_key=True),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("customer", sa.String(200), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("fee", sa.BigInteger, nullable=False),
        sa.Column("advance", sa.BigInteger, nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("agreed", sa.String(80), nullable=False),
        sa.Column("score", sa.SmallInteger, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("voucher", sa.String(200), nullable=False),
        sa.Column("batch", sa.Integer),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String(80), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("clearings")
