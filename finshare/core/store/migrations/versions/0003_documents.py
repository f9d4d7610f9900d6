"""Documents live in the store: status, content, source file and row; file fingerprints; leaner indexes.

* ``documents`` gains the document's status (and the status its file last
  said), date, business unit, whether it is posted, its source file and row,
  and its fields as text (``header``, ``lines``: values in the order of a
  ``layouts`` row).
* ``imports`` remembers each imported file's size, modification time and
  SHA-256, so an unchanged file is not read again.
* The voucher indexes cover only what they are asked for: business vouchers
  by document, reversals by the voucher they reverse.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CODE = 200


def upgrade() -> None:
    with op.batch_alter_table("documents") as b:
        b.add_column(sa.Column("status", sa.SmallInteger, nullable=False, server_default="2"))
        b.add_column(sa.Column("file_status", sa.SmallInteger, nullable=False, server_default="2"))
        b.add_column(sa.Column("posted", sa.SmallInteger, nullable=False, server_default="0"))
        b.add_column(sa.Column("date", sa.Integer))
        b.add_column(sa.Column("org", sa.Integer))
        b.add_column(sa.Column("source_file", sa.Integer))
        b.add_column(sa.Column("source_row", sa.Integer))
        b.add_column(sa.Column("layout", sa.Integer))
        b.add_column(sa.Column("header", sa.Text))
        b.add_column(sa.Column("lines", sa.Text))
    op.execute("UPDATE documents SET posted = 1 WHERE id IN (SELECT document FROM vouchers WHERE kind = 1) "
               "AND id NOT IN (SELECT document FROM vouchers WHERE kind = 1 AND id IN "
               "(SELECT reverses FROM vouchers WHERE reverses IS NOT NULL))")
    op.create_index("ix_documents_pending", "documents", ["doc_type"],
                    sqlite_where=sa.text("posted = 0"), postgresql_where=sa.text("posted = 0"))
    op.create_table(
        "layouts", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("columns", sa.Text, nullable=False, unique=True))
    op.create_table(
        "imports", sa.Column("file", sa.String(CODE), primary_key=True),
        sa.Column("doc_type", sa.String(CODE), nullable=False), sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False), sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False), sa.Column("imported_at", sa.DateTime, nullable=False))
    op.drop_index("ix_vouchers_document", table_name="vouchers")
    op.drop_index("ix_vouchers_reverses", table_name="vouchers")
    op.create_index("ix_vouchers_document", "vouchers", ["document"],
                    sqlite_where=sa.text("kind = 1"), postgresql_where=sa.text("kind = 1"))
    op.create_index("ix_vouchers_reverses", "vouchers", ["reverses"],
                    sqlite_where=sa.text("reverses IS NOT NULL"), postgresql_where=sa.text("reverses IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_vouchers_reverses", table_name="vouchers")
    op.drop_index("ix_vouchers_document", table_name="vouchers")
    op.create_index("ix_vouchers_document", "vouchers", ["document"])
    op.create_index("ix_vouchers_reverses", "vouchers", ["reverses"])
    op.drop_table("imports")
    op.drop_table("layouts")
    op.drop_index("ix_documents_pending", table_name="documents")
    with op.batch_alter_table("documents") as b:
        for c in ("lines", "header", "layout", "source_row", "source_file", "org", "date", "posted",
                  "file_status", "status"):
            b.drop_column(c)
