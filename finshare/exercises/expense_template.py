"""Exercise 02: a voucher template for a new document type, the 费用报销单 (expense claim).

Each student gets four expense claims of 厦门制造工厂 — paid from the bank
(银行付款) or set against the employee's advance (冲借款), for a 管理 or a
销售 department — and writes the template (YAML text) that posts them: two
business classes on 付款方式, and line conditions on 部门属性. The student's
template is posted by the engine into FJ-CAS; the result is compared with the
vouchers the rules of the exercise give. A hidden check posts four more
claims the student never saw.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cached_property

import pandas as pd

from ..core import money
from ..core.posting import DIMS
from .compare import Comparison
from .exercise import Exercise, Question, unchecked
from .fujian import fujian_case, make_documents, master_with, post
from .result import CheckResult
from .template_answer import problem_text, read_template

EXTRA_EMPLOYEES = pd.DataFrame([
    {"code": "E003", "name_zh": "王芳", "name_en": "Wang Fang", "department": "XM-PUR"},
    {"code": "E004", "name_zh": "赵磊", "name_en": "Zhao Lei", "department": "XM-MKT"},
])
ITEMS = ["差旅费", "交通费", "办公费", "业务招待费", "通讯费"]
#: The exercise's rules: expense account by department attribute, credit by payment.
EXPENSE_ACCOUNT = {"管理": "6602", "销售": "6601"}
CREDIT = {"银行付款": ("1002", "bank_account"), "冲借款": ("1221", "employee")}
BOOK = "FJ-CAS"
DIMS_CHECKED = ("department", "employee", "bank_account")


class ExpenseTemplate(Exercise):
    """凭证模板：费用报销单 / A voucher template for expense claims (see module docstring)."""

    name = "02-expense-template"
    title = "练习 02 费用报销单凭证模板 / Exercise 02: a voucher template for expense claims"
    questions = (Question("template_yaml", "凭证模板 / the voucher template", "check_template",
                          hidden="check_hidden"),)

    @cached_property
    def master(self):
        return master_with(employees=EXTRA_EMPLOYEES)

    @cached_property
    def _docs(self):
        return make_documents("expense_claim", *claims(self.rng(), "BX2"), self.master)

    @cached_property
    def _hidden_docs(self):
        return make_documents("expense_claim", *claims(self.rng("hidden"), "BX9"), self.master)

    @property
    def documents(self) -> pd.DataFrame:
        """The four claims: header fields, one row per document, total amount in yuan (Decimal)."""
        return claims_view(self._docs)

    @property
    def lines(self) -> pd.DataFrame:
        """The claims' lines (费用项目 and amount in yuan)."""
        view = self._docs.view("lines")
        return view[["doc_no", "line_no", "item", "amount"]]

    @property
    def example_template(self) -> str:
        """The Fujian purchase-receipt template, to read as an example of the format."""
        from .fujian import case_dir
        return (case_dir() / "templates" / "purchase_receipt.yaml").read_text(encoding="utf-8")

    @property
    def doctype(self):
        """The 费用报销单 document type: its fields, their Chinese labels and types."""
        return self._docs.doctype

    # ------------------------------------------------------------------ checks
    def check_template(self, value) -> list[CheckResult]:
        tpl, why = read_template(value, "expense_claim")
        if tpl is None:
            return unchecked(self._shape(), why)
        got, problems = post(self._docs, tpl, BOOK)
        results = [CheckResult("valid", _VALID, 2, 2), self._structure(tpl), self._classes(problems)]
        results += self._comparison(got, self._docs).results()
        return results + [self._posting(problems)]

    def check_hidden(self, value) -> list[CheckResult]:
        title = "另外四张报销单 / four more expense claims"
        tpl, _ = read_template(value, "expense_claim") if value is not None else (None, [])
        if tpl is None:
            return [CheckResult("hidden-documents", title, 0, 4, ("模板不能读取 / the template could not be read",))]
        got, problems = post(self._hidden_docs, tpl, BOOK)
        cmp = self._comparison(got, self._hidden_docs)
        bad = cmp.bad_docs() | {p.source.document for p in problems if p.source.document}
        facts = cmp.facts
        notes = [f"{doc}（{facts[doc]['pay_mode']}，{facts[doc]['dept_attr']}）的凭证不对 / the voucher of {doc} "
                 f"({facts[doc]['pay_mode']}, a {facts[doc]['dept_attr']} department) is not right"
                 for doc in cmp.docs() if doc in bad]
        return [CheckResult("hidden-documents", title, 4 - len(notes), 4, tuple(notes))]

    def _shape(self) -> list[tuple[str, str, int]]:
        empty = self._comparison(pd.DataFrame(columns=["doc_no", "side", "account", "amount", *DIMS]), self._docs)
        return [("valid", _VALID, 2), ("structure", _STRUCTURE, 2), ("classes", _CLASSES, 4),
                *((r.name, r.title, r.max_points) for r in empty.results()), ("posting", _POSTING, 2)]

    def _structure(self, tpl) -> CheckResult:
        notes = []
        by_pay = [c for c in tpl.classes if c.when is not None and "pay_mode" in c.when.fields]
        if len(by_pay) < 2:
            notes.append("需要两个按付款方式区分的业务分类 / two business classes chosen by 付款方式 are needed: the "
                         "two ways of paying give different credit entries")
        lines = [ln for c in tpl.classes for ln in c.lines if ln.when is not None and "dept_attr" in ln.when.fields]
        if not lines:
            notes.append("没有按部门属性的行条件 / no entry line has a condition (when:) on 部门属性")
        return CheckResult("structure", _STRUCTURE, 2 - len(notes), 2, tuple(notes))

    def _classes(self, problems) -> CheckResult:
        codes = {"no-business-class", "ambiguous-business-class"}
        notes = [problem_text(p) for p in problems if p.code in codes]
        bad = {p.source.document for p in problems if p.code in codes}
        return CheckResult("classes", _CLASSES, 4 - len(bad), 4, tuple(notes))

    def _posting(self, problems) -> CheckResult:
        codes = {"no-business-class", "ambiguous-business-class"}
        notes = [problem_text(p) for p in problems if p.code not in codes]
        return CheckResult("posting", _POSTING, 0 if notes else 2, 2, tuple(notes[:10]))

    def _comparison(self, got, docs) -> Comparison:
        want, facts = expected_lines(docs)
        return Comparison(got, want, fujian_case().books[BOOK].chart, facts, DIMS_CHECKED)


_VALID = "模板能读取并通过检查 / the template loads and passes the checks"
_STRUCTURE = "业务分类与行条件 / business classes and line conditions"
_CLASSES = "每张单据恰好属于一个业务分类 / each claim falls into exactly one business class"
_POSTING = "过账没有问题 / the claims post without problems"


def claims(rng, prefix: str) -> tuple[list[dict], list[dict]]:
    """Four claims as text rows, one of each (payment × department attribute), in a seeded order."""
    kinds = [(pay, dept) for pay in ("银行付款", "冲借款") for dept in ("管理", "销售")]
    staff = {"管理": ["E001", "E003"], "销售": ["E002", "E004"]}
    dept_of = {"E001": "XM-ADM", "E002": "XM-MKT", "E003": "XM-PUR", "E004": "XM-MKT"}
    days = sorted(rng.choice(range(2, 28), size=4, replace=False))
    header, lines = [], []
    for i, k in enumerate(rng.permutation(4)):
        pay, attr = kinds[k]
        doc, emp = f"{prefix}{i + 1:02d}", rng.choice(staff[attr])
        header.append({"doc_no": doc, "date": f"2020-03-{days[i]:02d}", "org": "XM", "pay_mode": pay,
                       "employee": emp, "department": dept_of[emp],
                       "bank_account": "B001" if pay == "银行付款" else "", "currency": "CNY",
                       "status": "approved", "remark": ""})
        for n, item in enumerate(rng.choice(ITEMS, size=int(rng.integers(1, 3)), replace=False), start=1):
            amount = Decimal(int(rng.integers(5000, 500000))).scaleb(-2)
            lines.append({"doc_no": doc, "line_no": str(n), "item": str(item), "amount": str(amount)})
    return header, lines


def claims_view(docs) -> pd.DataFrame:
    h = docs.header
    totals = docs.lines.groupby("doc_no")["amount"].sum()
    out = pd.DataFrame({c: h[c].astype(object).to_numpy() for c in
                        ("doc_no", "pay_mode", "employee", "employee_name", "department", "dept_name", "dept_attr",
                         "bank_account")})
    out.insert(1, "date", h["date"].dt.strftime("%Y-%m-%d").to_numpy())
    out["bank_account"] = out["bank_account"].fillna("")
    out["amount"] = [money.to_decimal(int(totals.get(d, 0)), 2) for d in out["doc_no"]]
    return out.sort_values("doc_no", ignore_index=True)


def expected_lines(docs) -> tuple[pd.DataFrame, dict]:
    """The vouchers the exercise's rules give (one debit, one credit per claim), and facts for feedback."""
    view = claims_view(docs)
    rows, facts = [], {}
    for r in view.to_dict("records"):
        amount = money.to_minor(r["amount"], 2)
        credit, dim = CREDIT[r["pay_mode"]]
        blank = dict.fromkeys(DIMS, "")
        rows.append({**blank, "doc_no": r["doc_no"], "side": "debit", "account": EXPENSE_ACCOUNT[r["dept_attr"]],
                     "amount": amount, "department": r["department"]})
        rows.append({**blank, "doc_no": r["doc_no"], "side": "credit", "account": credit, "amount": amount,
                     dim: r[dim]})
        facts[r["doc_no"]] = {**r, "what": f"{r['pay_mode']}, {r['dept_name']} ({r['dept_attr']})",
                              "amount_rule": "报销单各行金额之和 / the sum of the claim's lines"}
    return pd.DataFrame(rows), facts
