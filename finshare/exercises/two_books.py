"""Exercise 03: one document in the CAS and the HKFRS books (conversion, classification by function).

Each student gets two 采购入库单 of 厦门制造工厂 (a 费用采购 and a 标准采购)
and their own CNY → HKD rate, and writes the business voucher of each in
FJ-CAS (CNY, the CAS chart) and in FJ-HKFRS (HKD, the HKFRS chart, expenses
classified by function). The engine posts the same documents into both books.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cached_property

import pandas as pd

from ..core.chart import Chart
from .answers import read_entries
from .compare import Comparison
from .exercise import Exercise, Question, unchecked, with_notes
from .fujian import fujian_case, master_with, post, rates_at
from .purchase_entries import EXTRA_MATERIALS, MasterViews

BOOKS = {"cas_voucher": ("FJ-CAS", "cas-", "CAS 账簿："), "hkfrs_voucher": ("FJ-HKFRS", "hkfrs-", "HKFRS 账簿：")}


class TwoBooks(MasterViews, Exercise):
    """同一单据，两个账簿 / One document, two books (see module docstring)."""

    name = "03-cas-hkfrs"
    title = "练习 03 同一单据的中国准则与香港准则凭证 / Exercise 03: one document in the CAS and HKFRS books"
    questions = (Question("cas_voucher", "FJ-CAS 凭证（人民币）/ the FJ-CAS vouchers (CNY)", "check_cas"),
                 Question("hkfrs_voucher", "FJ-HKFRS 凭证（港币）/ the FJ-HKFRS vouchers (HKD)", "check_hkfrs"))

    @cached_property
    def master(self):
        return master_with(materials=EXTRA_MATERIALS)

    def receipt_rows(self, rng):
        return receipts(rng)

    @cached_property
    def rate(self) -> Decimal:
        """The student's rate: one CNY buys this many HKD (four decimal places), from 2020-03-01."""
        return Decimal(int(self.rng("rate").integers(10500, 11500))).scaleb(-4)

    @property
    def rates(self) -> pd.DataFrame:
        """The rate table: ``date, from_currency, to_currency, rate``."""
        return pd.DataFrame([{"date": "2020-03-01", "from_currency": "CNY", "to_currency": "HKD", "rate": self.rate}])

    @property
    def account_map(self) -> pd.DataFrame:
        """The CAS → HKFRS account map of the HKFRS book, with names."""
        book = fujian_case().books["FJ-HKFRS"]
        amap = book.account_map.rename("hkfrs").rename_axis("cas").reset_index()
        return amap.assign(hkfrs_name_en=amap["hkfrs"].map(book.chart.accounts["name_en"]))

    @property
    def hkfrs_chart(self) -> pd.DataFrame:
        return fujian_case().books["FJ-HKFRS"].chart.accounts[["name_zh", "name_en", "normal_balance", "is_leaf"]]

    def expected(self, book: str) -> pd.DataFrame:
        lines, problems = post(self._docs, fujian_case().templates["PR"], book, rates_at(str(self.rate)))
        assert not problems, problems
        return lines

    # ------------------------------------------------------------------ checks
    def check_cas(self, value) -> list:
        return self._check("cas_voucher", value)

    def check_hkfrs(self, value) -> list:
        return self._check("hkfrs_voucher", value)

    def _check(self, variable: str, value) -> list:
        lines, problems = read_entries(value, variable)
        if lines is None:
            empty = self._comparison(variable, pd.DataFrame(columns=["doc_no", "side", "account", "amount"]))
            return unchecked([(r.name, r.title, r.max_points) for r in empty.results()], problems)
        return with_notes(self._comparison(variable, lines).results(), problems)

    def _comparison(self, variable: str, got: pd.DataFrame) -> Comparison:
        book_code, prefix, label = BOOKS[variable]
        book = fujian_case().books[book_code]
        want = self.expected(book_code)
        facts = self._facts(want, convert=book.currency != "CNY")
        other = Chart.builtin("CAS") if book.chart.name != "CAS" else Chart.builtin("HKFRS")
        return Comparison(got, want, book.chart, facts, (), prefix, label, other)

    def _facts(self, want: pd.DataFrame, convert: bool) -> dict:
        view = self.documents.set_index("doc_no")
        facts = {}
        for doc, row in view.to_dict("index").items():
            facts[doc] = {**row, "what": f"{row['biz_type']}, {row['material_name']}, {row['dept_name']}",
                          "amount_rule": "数量 × 单价，不含税 / quantity × unit price, tax-exclusive"}
            if convert:
                orig = int(want.loc[(want["doc_no"] == doc) & (want["side"] == "debit"), "amount_orig"].sum())
                facts[doc].update(amount_orig=orig, rate=self.rate)
        return facts


def receipts(rng) -> tuple[list[dict], list[dict]]:
    """Two receipts as text rows: a 费用采购 (管理 or 销售 department) and a 标准采购."""
    dept = rng.choice(["XM-ADM", "XM-MKT"])
    kinds = [("费用采购", rng.choice(["M002", "M003"]), dept), ("标准采购", rng.choice(["M001", "M004", "M005"]), "XM-PUR")]
    header, lines = [], []
    for i, k in enumerate(rng.permutation(2)):
        biz, material, department = kinds[k]
        doc = f"CG{301 + i}"
        qty, price = int(rng.integers(20, 900)), Decimal(int(rng.integers(101, 9999))).scaleb(-2)
        header.append({"doc_no": doc, "date": f"2020-03-{10 + 5 * i:02d}", "org": "XM", "biz_type": biz,
                       "supplier": rng.choice(["S001", "S002", "S003"]), "department": department,
                       "currency": "CNY", "status": "approved", "remark": ""})
        lines.append({"doc_no": doc, "line_no": "1", "material": material, "qty": str(qty), "price": str(price),
                      "amount": str(qty * price)})
    return header, lines
