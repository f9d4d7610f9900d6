"""Line sums: what closing, revaluation, statements and checks read, kept by every batch.

``line_sums`` holds debit, credit and the signed original amount per book,
kind, period, source type, account, business unit, dimension set and
original currency. A store written before is summed once from its lines.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KEYS = ["book", "kind", "period", "source_type", "account", "org", "dimset", "currency_orig"]


def upgrade() -> None:
    op.create_table(
        "line_sums",
        *[sa.Column(c, sa.SmallInteger if c == "kind" else sa.Integer, primary_key=True) for c in KEYS],
        sa.Column("debit", sa.BigInteger, nullable=False),
        sa.Column("credit", sa.BigInteger, nullable=False),
        sa.Column("orig", sa.BigInteger, nullable=False),
    )
    op.execute(
        "INSERT INTO line_sums (book, kind, period, source_type, account, org, dimset, currency_orig, debit, credit, "
        "orig) SELECT v.book, v.kind, v.period, v.source_type, l.account, l.org, l.dimset, l.currency_orig, "
        "SUM(l.debit), SUM(l.credit), SUM(CASE WHEN l.credit > 0 THEN -l.amount_orig ELSE l.amount_orig END) "
        "FROM lines l JOIN vouchers v ON v.id = l.voucher "
        "GROUP BY v.book, v.kind, v.period, v.source_type, l.account, l.org, l.dimset, l.currency_orig")


def downgrade() -> None:
    op.drop_table("line_sums")
