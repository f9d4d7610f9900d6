"""Baseline: the store as finshare 0.1.0 wrote it (journal rows with text keys).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DIMS = ["supplier", "customer", "department", "employee", "material", "bank_account"]


def upgrade() -> None:
    op.create_table(
        "journal",
        sa.Column("line_id", sa.String(120), primary_key=True),
        sa.Column("book", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("voucher_no", sa.String(40), nullable=False),
        sa.Column("voucher_word", sa.String(10), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("account", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("debit", sa.BigInteger, nullable=False),
        sa.Column("credit", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_orig", sa.BigInteger, nullable=False),
        sa.Column("currency_orig", sa.String(3), nullable=False),
        *[sa.Column(d, sa.String(40), nullable=False) for d in DIMS],
        sa.Column("source_type", sa.String(40), nullable=False),
        sa.Column("source_no", sa.String(40), nullable=False),
        sa.Column("business_class", sa.String(40), nullable=False),
        sa.Column("template", sa.String(40), nullable=False),
        sa.Column("template_line", sa.String(40), nullable=False),
        sa.Column("reverses", sa.String(40), nullable=False),
        sa.Column("batch", sa.Integer, nullable=False),
    )
    op.create_index("ix_journal_book_kind_period", "journal", ["book", "kind", "period"])
    op.create_index("ix_journal_source", "journal", ["source_type", "source_no"])
    op.create_table(
        "gl_links",
        sa.Column("gl_line_id", sa.String(120), primary_key=True),
        sa.Column("business_line_id", sa.String(120), primary_key=True),
    )
    op.create_table(
        "postings",
        sa.Column("source_type", sa.String(40), primary_key=True),
        sa.Column("source_no", sa.String(40), primary_key=True),
        sa.Column("book", sa.String(40), primary_key=True),
        sa.Column("generation", sa.Integer, primary_key=True),
        sa.Column("voucher_no", sa.String(40), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("batch", sa.Integer, nullable=False),
        sa.Column("reversed", sa.Boolean, nullable=False),
    )
    op.create_table(
        "batches",
        sa.Column("batch", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("lines", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "scheme_runs",
        sa.Column("scheme", sa.String(40), primary_key=True),
        sa.Column("run_at", sa.DateTime, primary_key=True),
        sa.Column("batch", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for name in ("scheme_runs", "batches", "postings", "gl_links", "journal"):
        op.drop_table(name)
