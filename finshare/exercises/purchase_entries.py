"""Exercise 01: journal entries (分录) for purchase receipts of both business classes.

Each student gets four 采购入库单 of 厦门制造工厂 (two 标准采购, two 费用采购
— one for a 管理 department, one for a 销售 department) with their own
suppliers, quantities and prices, and writes the business voucher of each in
the FJ-CAS book as a table ``doc_no, account, debit, credit, supplier,
department``. The engine posts the same documents with the case's template;
the checks compare document by document.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cached_property

import pandas as pd

from ..core import money
from .answers import read_entries
from .compare import Comparison
from .exercise import Exercise, Question, unchecked, with_notes
from .fujian import fujian_case, make_documents, master_with, post

#: Materials the exercises add to the case: steel (原材料) and spare parts bought for resale (库存商品).
EXTRA_MATERIALS = pd.DataFrame([
    {"code": "M004", "name_zh": "钢材", "name_en": "Steel", "unit": "吨", "category": "原材料", "account": "1403"},
    {"code": "M005", "name_zh": "备品配件", "name_en": "Spare parts for resale", "unit": "件", "category": "库存商品",
     "account": "1405"},
])
#: The fields of ``ex.documents``: name → (中文, English).
FIELDS = {
    "doc_no": ("单据编号", "document no."), "date": ("业务日期", "date"), "biz_type": ("单据类型", "business type"),
    "supplier": ("供应商", "supplier"), "supplier_name": ("供应商名称", "supplier name"),
    "department": ("部门", "department"), "dept_name": ("部门名称", "department name"),
    "dept_attr": ("部门属性", "department attribute"), "material": ("物料", "material"),
    "material_name": ("物料名称", "material name"), "qty": ("数量", "quantity"), "price": ("单价", "unit price"),
    "amount": ("金额（元，不含税）", "amount (CNY, tax-exclusive)"),
}
BOOK = "FJ-CAS"


class MasterViews:
    """The student's receipts and the master data as a student reads them.

    A subclass gives ``self.master`` and ``receipt_rows(rng)`` (header and line rows as text).
    """

    @cached_property
    def _docs(self):
        return make_documents("purchase_receipt", *self.receipt_rows(self.rng()), self.master)

    @property
    def documents(self) -> pd.DataFrame:
        """The student's receipts, one row each, amounts as exact yuan (Decimal)."""
        return documents_view(self._docs)

    @property
    def materials(self) -> pd.DataFrame:
        """物料 master data: ``account`` is the material's 存货或费用科目."""
        return self.master["materials"][["name_zh", "name_en", "category", "account"]]

    @property
    def departments(self) -> pd.DataFrame:
        """部门 master data: ``attribute`` is the 部门属性 (管理, 销售, 生产, 研发)."""
        return self.master["departments"][["name_zh", "name_en", "org", "attribute"]]

    @property
    def suppliers(self) -> pd.DataFrame:
        return self.master["suppliers"][["name_zh", "name_en", "uscc"]]


class PurchaseEntries(MasterViews, Exercise):
    """分录：采购入库单 / Journal entries for purchase receipts (see module docstring)."""

    name = "01-journal-entries"
    title = "练习 01 采购入库单的分录 / Exercise 01: journal entries for purchase receipts"
    questions = (Question("entries", "FJ-CAS 业务凭证分录 / the business vouchers in FJ-CAS", "check_entries"),)

    # -------------------------------------------------------------------- data
    @cached_property
    def master(self):
        return master_with(materials=EXTRA_MATERIALS)

    def receipt_rows(self, rng):
        return receipts(rng)

    @cached_property
    def expected(self) -> pd.DataFrame:
        lines, problems = post(self._docs, fujian_case().templates["PR"], BOOK)
        assert not problems, problems  # the exercise's own data always posts
        return lines

    def facts(self) -> dict:
        view = self.documents.set_index("doc_no")
        rule = "数量 × 单价，不含税 / quantity × unit price, tax-exclusive"
        return {doc: {**row, "what": f"{row['biz_type']}, {row['material_name']}, {row['dept_name']}",
                      "amount_rule": rule} for doc, row in view.to_dict("index").items()}

    # ------------------------------------------------------------------ checks
    def check_entries(self, value) -> list:
        comparison = self._comparison(pd.DataFrame(columns=self.expected.columns))
        lines, problems = read_entries(value, "entries")
        if lines is None:
            return unchecked([(r.name, r.title, r.max_points) for r in comparison.results()], problems)
        return with_notes(self._comparison(lines).results(), problems)

    def _comparison(self, got: pd.DataFrame) -> Comparison:
        return Comparison(got, self.expected, fujian_case().books[BOOK].chart, self.facts() if len(got) else {},
                          ("supplier", "department"))


def receipts(rng) -> tuple[list[dict], list[dict]]:
    """Four receipts as text rows: two 标准采购, one 费用采购 of a 管理 and one of a 销售 department."""
    kinds = [("标准采购", rng.choice(["M001", "M004", "M005"]), "XM-PUR"),
             ("标准采购", rng.choice(["M001", "M004", "M005"]), "XM-PUR"),
             ("费用采购", rng.choice(["M002", "M003"]), rng.choice(["XM-ADM", "XM-PUR"])),
             ("费用采购", rng.choice(["M002", "M003"]), "XM-MKT")]
    order = rng.permutation(len(kinds))
    days = sorted(rng.choice(range(2, 28), size=len(kinds), replace=False))
    header, lines = [], []
    for i, k in enumerate(order):
        biz, material, dept = kinds[k]
        doc = f"CG{101 + i}"
        qty = int(rng.integers(20, 2000))
        price = Decimal(int(rng.integers(100, 10000))).scaleb(-2)
        header.append({"doc_no": doc, "date": f"2020-03-{days[i]:02d}", "org": "XM", "biz_type": biz,
                       "supplier": rng.choice(["S001", "S002", "S003"]), "department": dept, "currency": "CNY",
                       "status": "approved", "remark": ""})
        lines.append({"doc_no": doc, "line_no": "1", "material": material, "qty": str(qty), "price": str(price),
                      "amount": str(qty * price)})
    return header, lines


def documents_view(docs) -> pd.DataFrame:
    """Header and line fields side by side, one row per document line, money as Decimal yuan."""
    flat = docs.flat()
    out = pd.DataFrame({f: flat[f].astype(object) for f in FIELDS if f in flat.columns})
    out["date"] = flat["date"].dt.strftime("%Y-%m-%d")
    out["amount"] = [money.to_decimal(int(m), 2) for m in flat["amount"]]
    out["qty"] = [Decimal(str(q)).normalize() for q in flat["qty"]]
    out["price"] = [Decimal(str(p)).quantize(Decimal("0.01")) for p in flat["price"]]
    return out.sort_values("doc_no", ignore_index=True)
