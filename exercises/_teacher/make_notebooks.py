"""Write every exercise's starter notebook and the teacher's solution notebook from one source.

    python exercises/_teacher/make_notebooks.py

An answer cell is a pair (starter, solution); everything else is the same in
both notebooks, so they cannot drift apart. Outputs are left empty: the
grader never trusts stored outputs, and students run the cells themselves.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
EXERCISES = HERE.parent


def md(text):
    return ("markdown", text.strip())


def code(text, tags=()):
    return ("code", text.strip(), tuple(tags))


def answer(starter, solution):
    return ("answer", starter.strip(), solution.strip())


def setup(name):
    return [
        md("""
## 0. 你的学号 Your student id

在下面填写你的学号（和教师名单上的完全一样），然后从上到下运行所有单元格。每个人的数据都由学号决定，所以答案不能照抄。
*Write your student id below (exactly as on the class list), then run every cell from the top. Everyone's data depends
on the id, so answers cannot be copied.*
"""),
        ("id",),
        code(f"""
import pandas as pd
from decimal import Decimal, ROUND_HALF_UP

from finshare.exercises import start

ex = start("{name}", STUDENT_ID)
ex
"""),
    ]


def check_md():
    return md("""
运行下面的单元格检查答案：它给出得分和反馈（哪里不对，而不是正确答案）。可以反复修改、反复检查。
*Run the cell below to check your answer: it shows your points and feedback (what is wrong, not the right answer).
Change and check as often as you like.*
""")


NOTEBOOKS = {}

NOTEBOOKS["01-journal-entries"] = [
    md("""
# 练习 01 采购入库单的分录 Exercise 01: journal entries for purchase receipts

厦门制造工厂三月收到四张采购入库单（货到票未到），两张**标准采购**、两张**费用采购**。请写出每张单据在
**福建制造公司中国准则账簿 FJ-CAS** 中的业务凭证分录。对应课程第 1、2 章。

*The Xiamen factory received four purchase receipts in March (goods received, invoices not yet): two **standard
purchases** (标准采购) and two **expense purchases** (费用采购). Write the business voucher of each in the **FJ-CAS**
book. Follows chapters 1 and 2 of the course.*

提示 Hints:
- 标准采购的借方是物料的存货科目（见物料资料的 `account`）；*a standard purchase debits the material's inventory account;*
- 费用采购的借方按采购部门的**部门属性**：管理 → 管理费用，销售 → 销售费用，并带上部门（核算项目）；
  *an expense purchase debits an expense account chosen by the department's **attribute**, with the department as dimension;*
- 贷方：发票未到的应付款（暂估），带上供应商（核算项目）；*the credit is the accrued payable (no invoice yet), with the supplier.*
"""),
    *setup("01-journal-entries"),
    md("## 1. 数据 The data\n\n四张入库单（金额为不含税人民币元）和相关的基础资料。*The four receipts (CNY, tax-exclusive) and the master data.*"),
    code("ex.documents"),
    code("ex.materials"),
    code("ex.departments"),
    md("""
## 2. 答案 Your answer

把分录写成一张表 `entries`，每行一条分录：`doc_no`（单据编号）、`account`（科目编码，如 `"6602"`）、`debit`（借方金额）、
`credit`（贷方金额）、`supplier`（供应商编码）、`department`（部门编码）。金额以元为单位，最多两位小数；不用的核算项目留空 `""`。

*Write the entries as a table `entries`, one row per entry line: `doc_no`, `account` (a code such as `"6602"`),
`debit`, `credit` (yuan, at most two decimals), `supplier`, `department` (codes; leave unused dimensions `""`).*
"""),
    answer("""
# 答案 ANSWER: 每行一条分录 one row per entry line, e.g.
# entries = pd.DataFrame([
#     {"doc_no": "CG101", "account": "....", "debit": "0.00", "credit": "0.00", "supplier": "", "department": ""},
#     ...
# ])
entries = None
""", """
EXPENSE = {"管理": "6602", "销售": "6601"}           # 部门属性 → 费用科目
rows = []
for d in ex.documents.itertuples():
    if d.biz_type == "标准采购":
        debit, department = ex.materials.loc[d.material, "account"], ""
    else:
        debit, department = EXPENSE[d.dept_attr], d.department
    rows.append({"doc_no": d.doc_no, "account": debit, "debit": d.amount, "credit": 0,
                 "supplier": "", "department": department})
    rows.append({"doc_no": d.doc_no, "account": "220202", "debit": 0, "credit": d.amount,
                 "supplier": d.supplier, "department": ""})
entries = pd.DataFrame(rows)
entries
"""),
    check_md(),
    code('ex.check("entries", entries)'),
]

NOTEBOOKS["02-expense-template"] = [
    md("""
# 练习 02 费用报销单凭证模板 Exercise 02: a voucher template for expense claims

共享中心要为新单据类型**费用报销单**（`expense_claim`）配置凭证模板。员工报销部门费用，公司或者**银行付款**
（贷记银行存款，带付款账户），或者**冲借款**（冲减员工以前的借款，贷记其他应收款，带报销人）。借方按费用承担部门的
**部门属性**：管理 → 管理费用，销售 → 销售费用，带部门。对应课程第 2 章。

*The sharing centre needs a voucher template for a new document type, the **expense claim**. An employee claims a
department's expenses; the company either **pays from the bank** (银行付款: credit bank deposits, with the bank
account) or **sets the claim against the employee's advance** (冲借款: credit other receivables, with the employee).
The debit goes by the department's **attribute**: 管理 → administrative expenses, 销售 → selling expenses, with the
department. Follows chapter 2.*

要求 Requirements: 两个按**付款方式**区分的业务分类；借方用按**部门属性**的行条件；模板必须把下面的报销单正确过账到 FJ-CAS。
评分时还会用另外几张你没有见过的报销单检查。
*Two business classes chosen by 付款方式; debit lines with line conditions on 部门属性; the template must post the
claims below correctly into FJ-CAS. Grading also posts a few claims you have not seen.*
"""),
    *setup("02-expense-template"),
    md("## 1. 数据 The data\n\n单据类型的字段（条件里可以用字段名或中文标签）和四张报销单。*The document type's fields (conditions may use the field names or their Chinese labels) and four claims.*"),
    code("ex.doctype.table()"),
    code("ex.documents"),
    code("ex.lines"),
    md("格式可以参考福建案例的采购入库单模板：*For the format, read the Fujian purchase-receipt template:*"),
    code("print(ex.example_template)"),
    md("""
## 2. 答案 Your answer

把模板写成 YAML 文本，放在 `template_yaml` 里（`doc_type: expense_claim`）。条件只能用字段、常量、比较、`in`、`and/or/not`。
*Write the template as YAML text in `template_yaml` (`doc_type: expense_claim`). Conditions use fields, literals,
comparisons, `in` and `and/or/not` only.*
"""),
    answer('''
# 答案 ANSWER: the YAML text of your template, e.g.
# template_yaml = """
# code: BX
# doc_type: expense_claim
# chart: CAS
# classes:
#   - code: ...
#     when: ...
#     lines:
#       - {id: 1, side: debit, account: "....", when: ..., amount: amount, dimensions: {...}}
# """
template_yaml = None
''', '''
template_yaml = """
code: BX
name_zh: 费用报销单凭证模板
name_en: Expense claim voucher template
doc_type: expense_claim
chart: CAS
voucher_word: 记
classes:
  - code: BANK
    name_zh: 银行付款
    when: 付款方式 == "银行付款"
    lines:
      - {id: 1, side: debit, account: "6602", when: 部门属性 == "管理", amount: amount, dimensions: {department: department}, summary: "{报销人姓名}报销 {doc_no}"}
      - {id: 2, side: debit, account: "6601", when: 部门属性 == "销售", amount: amount, dimensions: {department: department}, summary: "{报销人姓名}报销 {doc_no}"}
      - {id: 3, side: credit, account: "1002", amount: amount, dimensions: {bank_account: bank_account}, summary: "付报销款 {doc_no}"}
  - code: ADV
    name_zh: 冲借款
    when: 付款方式 == "冲借款"
    lines:
      - {id: 1, side: debit, account: "6602", when: 部门属性 == "管理", amount: amount, dimensions: {department: department}, summary: "{报销人姓名}报销 {doc_no}"}
      - {id: 2, side: debit, account: "6601", when: 部门属性 == "销售", amount: amount, dimensions: {department: department}, summary: "{报销人姓名}报销 {doc_no}"}
      - {id: 3, side: credit, account: "1221", amount: amount, dimensions: {employee: employee}, summary: "冲借款 {doc_no}"}
"""
'''),
    check_md(),
    code('ex.check("template_yaml", template_yaml)'),
]

NOTEBOOKS["03-cas-hkfrs"] = [
    md("""
# 练习 03 同一单据的中国准则与香港准则凭证 Exercise 03: one document in the CAS and HKFRS books

福建制造公司在香港上市，同一张单据要同时记入 **FJ-CAS**（人民币，CAS 科目表）和 **FJ-HKFRS**（港币，HKFRS 科目表，
费用按**功能**分类）。请写出两张入库单在两个账簿中的业务凭证。对应课程第 1、3 章。

*Fujian Manufacturing is listed in Hong Kong: one document is booked in **FJ-CAS** (CNY, the CAS chart) and in
**FJ-HKFRS** (HKD, the HKFRS chart, expenses classified **by function**). Write the business vouchers of the two
receipts in both books. Follows chapters 1 and 3.*

提示 Hints: 港币金额 = 人民币金额 × 汇率，每行四舍五入到分；HKFRS 科目用科目对照表 `ex.account_map` 得到。
*HKD = CNY × rate, each line rounded half up to the cent; HKFRS accounts come from the account map.*
"""),
    *setup("03-cas-hkfrs"),
    md("## 1. 数据 The data\n\n两张入库单、你的汇率、科目对照表和 HKFRS 科目表。*The two receipts, your rate, the account map and the HKFRS chart.*"),
    code("ex.documents"),
    code("ex.rates"),
    code("ex.materials"),
    code("ex.account_map"),
    code("ex.hkfrs_chart"),
    md("""
## 2. 答案 Your answers

两张表 `cas_voucher`（人民币）和 `hkfrs_voucher`（港币），列为 `doc_no, account, debit, credit`（金额以元为单位，最多两位小数）。
*Two tables, `cas_voucher` (CNY) and `hkfrs_voucher` (HKD), with columns `doc_no, account, debit, credit`.*
"""),
    answer("""
# 答案 ANSWER: e.g. pd.DataFrame([{"doc_no": "CG301", "account": "....", "debit": "0.00", "credit": "0.00"}, ...])
cas_voucher = None
""", """
EXPENSE = {"管理": "6602", "销售": "6601"}
rows = []
for d in ex.documents.itertuples():
    debit = ex.materials.loc[d.material, "account"] if d.biz_type == "标准采购" else EXPENSE[d.dept_attr]
    rows.append({"doc_no": d.doc_no, "account": debit, "debit": d.amount, "credit": Decimal(0)})
    rows.append({"doc_no": d.doc_no, "account": "220202", "debit": Decimal(0), "credit": d.amount})
cas_voucher = pd.DataFrame(rows)
cas_voucher
"""),
    code('ex.check("cas_voucher", cas_voucher)'),
    answer("""
# 答案 ANSWER: the same vouchers in FJ-HKFRS, in HKD
hkfrs_voucher = None
""", """
amap = ex.account_map.set_index("cas")["hkfrs"]
rate = ex.rates.loc[0, "rate"]


def to_hkd(cny):
    return (Decimal(cny) * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


hkfrs_voucher = cas_voucher.assign(account=cas_voucher["account"].map(amap),
                                   debit=cas_voucher["debit"].map(to_hkd),
                                   credit=cas_voucher["credit"].map(to_hkd))
hkfrs_voucher
"""),
    check_md(),
    code('ex.check("hkfrs_voucher", hkfrs_voucher)'),
]

NOTEBOOKS["04-master-data"] = [
    md("""
# 练习 04 基础资料与统一社会信用代码 Exercise 04: master data and credit codes

统一社会信用代码（GB 32100-2015）有 18 位，字符取自 31 个字符的字符表（0–9 和 A–Y，不用 I、O、Z、S、V），最后一位是校验码：
前 17 位的字符值乘以权重 3^(i−1) mod 31 求和得 S，校验值 = (31 − S mod 31) mod 31，再查字符表。对应课程第 1 章。

*The unified social credit code has 18 characters from a 31-character alphabet (0–9 and A–Y without I, O, Z, S,
V); the last is a check character: S = Σ value × weight over the first 17 (weights 3^(i−1) mod 31), check value =
(31 − S mod 31) mod 31, looked up in the alphabet. Follows chapter 1.*

三个问题 Three questions:
1. `invalid_codes`：`ex.codes` 中哪些代码无效？*which of `ex.codes` are invalid?*
2. `check_char`：`ex.prefix` 的校验码是哪个字符？*the check character of `ex.prefix`?*
3. `suppliers`：`ex.new_suppliers` 要导入基础资料，但检查不通过。请修正（只有一个代码的校验码打错了；重复的编码请改成新编码；币别用 ISO 代码），每个供应商都要保留。
   *`ex.new_suppliers` is refused by the master-data checks: correct it (one code's check character was mistyped;
   give a repeated supplier code a new one; currencies are ISO codes), keeping every supplier.*
"""),
    *setup("04-master-data"),
    md("## 1. 数据 The data"),
    code('print("字符表 alphabet:", ex.alphabet)\nprint("权重 weights:", ex.weights)'),
    code("ex.codes"),
    code("ex.prefix"),
    code("ex.new_suppliers"),
    md("## 2. 答案 Your answers"),
    answer("""
# 答案 ANSWER: a list of codes, e.g. ["9135…", "9135…"]
invalid_codes = None
""", """
def check_of(first17):
    s = sum(ex.alphabet.index(c) * w for c, w in zip(first17, ex.weights))
    return ex.alphabet[(31 - s % 31) % 31]


def is_valid(code):
    return len(code) == 18 and all(c in ex.alphabet for c in code) and check_of(code[:17]) == code[17]


invalid_codes = [c for c in ex.codes if not is_valid(c)]
invalid_codes
"""),
    code('ex.check("invalid_codes", invalid_codes)'),
    answer("""
# 答案 ANSWER: one character, e.g. "X"
check_char = None
""", """
check_char = check_of(ex.prefix)
check_char
"""),
    code('ex.check("check_char", check_char)'),
    answer("""
# 答案 ANSWER: start from a copy: suppliers = ex.new_suppliers.copy(), then correct it
suppliers = None
""", """
suppliers = ex.new_suppliers.copy()
suppliers["uscc"] = [u[:17] + check_of(u[:17]) for u in suppliers["uscc"]]
suppliers["currency"] = "CNY"
suppliers.loc[suppliers["code"].duplicated(), "code"] = "S105"
suppliers
"""),
    check_md(),
    code('ex.check("suppliers", suppliers)'),
]


NOTEBOOKS["05-carry-forward"] = [
    md("""
# 练习 05 结转损益 Exercise 05: carrying profit and loss forward

四月末，福建制造公司中国准则账簿 **FJ-CAS** 要结转损益：把本月每个**损益类科目**的余额转入 **4103 本年利润**，使损益类科目
余额为零，本年利润反映本月的利润。请根据厦门制造工厂四月的凭证，写出这张**结转损益**的转账凭证。对应课程第 4 章（期末处理）。

*At the end of April the **FJ-CAS** book carries profit and loss forward: the balance of every **profit-and-loss
account** for the month goes to **4103 本年利润 (current-year profit)**, leaving the P&L accounts at zero and the month's
result in 4103. From the Xiamen factory's April vouchers, write this **carry-forward** voucher (结转损益). Follows
chapter 4 (period close).*

提示 Hints:
- 只结转损益类科目（`ex.accounts` 的 `category` 为 `profit_and_loss`）；资产、负债科目不动。*Only P&L accounts move.*
- 余额在贷方的科目（如收入）结转时记借方；余额在借方的科目（如成本、费用）记贷方。一个科目本月的余额方向可能与它的通常方向相反
  （例如利息收入多于手续费时的财务费用）。*A credit balance is emptied by a debit, a debit balance by a credit — and a
  month's balance may sit on the side opposite to the account's normal balance.*
- 每个科目写一行即可（finshare 自己的凭证还按部门分行）；4103 一行是差额：利润记贷方，亏损记借方。
  *One line per account is enough (finshare's own voucher also splits by department); 4103 takes the difference.*
"""),
    *setup("05-carry-forward"),
    md("## 1. 数据 The data\n\n四月的凭证（金额为人民币元）和其中用到的科目。*April's vouchers (CNY) and the accounts they use.*"),
    code("ex.journal"),
    code("ex.accounts"),
    md("""
## 2. 答案 Your answer

把结转损益凭证写成一张表 `carry_entry`，每行一条分录：`account`（科目编码，如 `"6602"`）、`debit`（借方金额）、`credit`（贷方金额），
金额以元为单位，最多两位小数。

*Write the voucher as a table `carry_entry`, one row per line: `account` (a code such as `"6602"`), `debit`, `credit`
(yuan, at most two decimals).*
"""),
    answer("""
# 答案 ANSWER: 每行一条分录 one row per line, e.g.
# carry_entry = pd.DataFrame([
#     {"account": "....", "debit": "0.00", "credit": "0.00"},
#     ...
# ])
carry_entry = None
""", """
journal = ex.journal
pl = journal[journal["account"].map(ex.accounts["category"]) == "profit_and_loss"]
balance = (pl["debit"] - pl["credit"]).groupby(pl["account"]).sum()     # 借方为正 debit-positive
balance = balance[balance != 0]
ZERO = Decimal("0.00")
rows = [{"account": a, "debit": -b if b < 0 else ZERO, "credit": b if b > 0 else ZERO} for a, b in balance.items()]
result = balance.sum()                                                   # 负数是利润 negative: a profit
rows.append({"account": "4103", "debit": result if result > 0 else ZERO, "credit": -result if result < 0 else ZERO})
carry_entry = pd.DataFrame(rows)
carry_entry
"""),
    check_md(),
    code('ex.check("carry_entry", carry_entry)'),
]

NOTEBOOKS["06-balance-sheet-lines"] = [
    md("""
# 练习 06 资产负债表项目 Exercise 06: balance-sheet lines

下面是 **FJ-CAS** 六月末的科目余额表，往来科目按客户、供应商列出明细。请按一般企业财务报表格式（财会〔2019〕6号）计算
资产负债表的十个项目的期末余额。对应课程第 4 章（财务报表）。

*Below is the **FJ-CAS** trial balance at the end of June, with receivables and payables per customer and supplier.
Compute ten lines of the balance sheet in the CAS 2019 format (财会〔2019〕6号). Follows chapter 4 (statements).*

提示 Hints:
- 报表项目不等于科目余额。往来科目要按客户、供应商（应交税费按明细科目）分别看余额方向，余额在另一方的要**重分类**到对应的项目。
  *A line is not an account balance: receivables and payables are read per customer or supplier (taxes per
  sub-account), and a balance on the other side is **regrouped** into the matching line.*
- 备抵科目（坏账准备、存货跌价准备、累计折旧）要抵减；存货包括尚在生产中的成本。*Allowances and accumulated
  depreciation are deducted; inventories include costs still in production.*
- 六月的损益还没有结转。*June's profit and loss has not been carried forward yet.*
- 每个项目填正数（按它的余额方向）。*Each line is a positive amount in its own direction.*
"""),
    *setup("06-balance-sheet-lines"),
    md("## 1. 数据 The data\n\n科目余额表（人民币元）、科目的类别和余额方向、要计算的项目。*The trial balance (CNY), the accounts, and the lines to compute.*"),
    code("ex.trial_balance"),
    code("ex.accounts"),
    code("ex.lines_asked"),
    md("""
## 2. 答案 Your answer

把十个项目写成字典 `bs_lines`：键是项目代码（如 `"BS02"`）或项目名称（如 `"货币资金"`），值是金额（元，最多两位小数）。
*Write the ten lines as a dict `bs_lines`: keys are line codes (such as `"BS02"`) or names, values amounts in yuan.*
"""),
    answer("""
# 答案 ANSWER: e.g. bs_lines = {"BS02": "0.00", "BS06": "0.00", ...}
bs_lines = None
""", """
tb = ex.trial_balance
tb = tb.assign(net=tb["debit"] - tb["credit"])                         # 借方为正 debit-positive


def net(*prefixes):
    return tb.loc[tb["account"].str.startswith(prefixes), "net"].sum()


def sided(prefix, side, by="counterparty"):
    part = tb[tb["account"].str.startswith(prefix)]
    keys = part["counterparty"] if by == "counterparty" else part["account"].str[:6]   # 客户/供应商 or 明细税种
    groups = part.groupby(keys)["net"].sum()
    return groups[groups > 0].sum() if side == "debit" else -groups[groups < 0].sum()


bs_lines = {
    "BS02": net("1001", "1002", "1012"),
    "BS06": sided("1122", "debit") + sided("2203", "debit") + net("1231"),
    "BS08": sided("1123", "debit") + sided("2202", "debit"),
    "BS10": net("1403", "1405", "1471", "5001", "5101"),
    "BS14": sided("2221", "debit", by="tax"),
    "BS24": net("1601", "1602"),
    "BS42": sided("2202", "credit") + sided("1123", "credit"),
    "BS43": sided("2203", "credit") + sided("1122", "credit"),
    "BS46": sided("2221", "credit", by="tax"),
    "BS71": -net("4103", "4104", "6"),
}
bs_lines
"""),
    check_md(),
    code('ex.check("bs_lines", bs_lines)'),
]

NOTEBOOKS["07-bank-reconciliation"] = [
    md("""
# 练习 07 未达账项与银行存款余额调节表 Exercise 07: outstanding items and the bank reconciliation

三月末，厦门制造工厂收到工商银行账户 **B001** 的三月对账单。请把对账单和公司的**银行存款日记账**（1002 银行存款，B001）逐笔核对，
找出全部**未达账项**，按四种类型列出，并编制**银行存款余额调节表**。对应课程第 5 章（对账）。

*At the end of March the Xiamen factory receives March's statement of its ICBC account **B001**. Tick the statement
off against the company's **bank journal** (1002 bank deposits, B001), list every **outstanding item** (未达账项) by
its kind, and draw up the **bank reconciliation statement** (银行存款余额调节表). Follows chapter 5 (reconciliation).*

四种未达账项 The four kinds:
- **企收银未** 企业已收、银行未收 *deposit in transit*；**企付银未** 企业已付、银行未付 *outstanding payment*；
- **银收企未** 银行已收、企业未收 *bank credit not yet booked*；**银付企未** 银行已付、企业未付 *bank debit not yet booked*.

调节表 The statement: 企业日记账余额 + 银收企未 − 银付企未 = 银行对账单余额 + 企收银未 − 企付银未（两边都是调节后余额，必须相等）。
*book balance + bank credits not booked − bank debits not booked = bank balance + deposits in transit − outstanding
payments; both sides are the adjusted balance and must agree.* 二月末没有未达账项。*No item was outstanding at the end of February.*
"""),
    *setup("07-bank-reconciliation"),
    md("## 1. 数据 The data\n\n银行对账单（金额为人民币元）和银行存款日记账。*The bank statement (CNY) and the bank journal.*"),
    code("ex.bank_statement"),
    code("ex.journal"),
    code("ex.kinds"),
    md("""
## 2. 答案 Your answers

**未达账项** `items`：一张表，每个未达账项一行：`kind`（四种之一，如 `"企收银未"`）、`statement_row`（对账单行号，银行方的项目填）、
`journal_line`（日记账行，如 `"记-003"`，企业方的项目填）、`amount`（金额，元，正数）。

*`items`: one row per outstanding item: `kind` (one of the four, e.g. `"企收银未"`), `statement_row` (for an item on
the bank's side) or `journal_line` (e.g. `"记-003"`, for an item on the company's side), `amount` (yuan, positive).*
"""),
    answer("""
# 答案 ANSWER: 每个未达账项一行 one row per item, e.g.
# items = pd.DataFrame([
#     {"kind": "企收银未", "statement_row": "", "journal_line": "记-0..", "amount": "0.00"},
#     {"kind": "银付企未", "statement_row": 0, "journal_line": "", "amount": "0.00"},
#     ...
# ])
items = None
""", """
bank = ex.bank_statement.assign(amount=ex.bank_statement["received"] - ex.bank_statement["paid"])
book = ex.journal.assign(amount=ex.journal["debit"] - ex.journal["credit"])
# 每笔金额都不同：另一方有相同金额的就是已达 every amount differs: a line is ticked off when the other side has it
bank_only = bank[~bank["amount"].isin(book["amount"])]
book_only = book[~book["amount"].isin(bank["amount"])]
items = pd.concat([
    pd.DataFrame({"kind": ["企收银未" if a > 0 else "企付银未" for a in book_only["amount"]], "statement_row": "",
                  "journal_line": book_only["journal_line"], "amount": book_only["amount"].map(abs)}),
    pd.DataFrame({"kind": ["银收企未" if a > 0 else "银付企未" for a in bank_only["amount"]],
                  "statement_row": bank_only["row"], "journal_line": "", "amount": bank_only["amount"].map(abs)}),
], ignore_index=True)
items
"""),
    code('ex.check("items", items)'),
    md("""
**余额调节表** `balances`：一个字典，四个数：`book_balance`（三月末企业日记账余额）、`bank_balance`（三月末银行对账单余额）、
`adjusted_book`（调节后的企业余额）、`adjusted_bank`（调节后的银行余额），元。

*`balances`: a dict of four figures in yuan: `book_balance` and `bank_balance` at 31 March, `adjusted_book` and
`adjusted_bank`.*
"""),
    answer("""
# 答案 ANSWER: e.g. balances = {"book_balance": "0.00", "bank_balance": "0.00", "adjusted_book": "0.00", "adjusted_bank": "0.00"}
balances = None
""", """
book_balance, bank_balance = book["balance"].iloc[-1], bank["balance"].iloc[-1]


def total(kind):
    return items.loc[items["kind"] == kind, "amount"].sum()


balances = {"book_balance": book_balance, "bank_balance": bank_balance,
            "adjusted_book": book_balance + total("银收企未") - total("银付企未"),
            "adjusted_bank": bank_balance + total("企收银未") - total("企付银未")}
balances
"""),
    check_md(),
    code('ex.check("balances", balances)'),
]

NOTEBOOKS["08-ar-clearing"] = [
    md("""
# 练习 08 应收账款核销 Exercise 08: clearing a customer's receipts

共享中心的应收会计要把一位客户四月的四笔**银行收款**与它的**未核销发票**逐一核销（应收核销）。收款各有特点：有一笔一次付了两张发票、
有一笔只付了一部分、有一笔因银行手续费少收了一点、有一笔摘要里的发票号打错了一位。对应课程第 5 章（往来核销）。

*The sharing centre's receivables clerk clears one customer's four April **bank receipts** against its **open
invoices** (应收核销). One receipt pays two invoices at once, one pays part of an invoice, one is short by a bank fee,
and one names its invoice with a digit of the number mistyped. Follows chapter 5 (clearing).*

规则 Rules:
- 收款比发票少、差额不超过**手续费容差**（50.00 元，或发票金额的 0.5%，取大者）时，发票**全额核销**，差额记手续费（6603 财务费用）。
  *A receipt short of its invoice by no more than the **bank-fee tolerance** (50.00, or 0.5% of the invoice, whichever is
  larger) clears the invoice **in full**; the shortfall is a fee (6603).*
- 部分付款只核销收到的金额，其余仍未核销。*A part payment clears what was received; the rest stays open.*
- 发票可以用应收单号（`YS…`）或发票号（`FP…`）表示。*An invoice may be named by its document number or its tax invoice number.*
"""),
    *setup("08-ar-clearing"),
    md("## 1. 数据 The data\n\n客户、未核销发票和四月的银行收款（人民币元）。*The customer, its open invoices and April's receipts (CNY).*"),
    code("ex.customer"),
    code("ex.invoices"),
    code("ex.receipts"),
    md("""
## 2. 答案 Your answers

**核销表** `clearings`：每笔收款核销的每张发票一行：`receipt`（收款）、`invoice`（发票）、`amount`（核销金额，元）、`fee`（手续费，没有填 0）。

*`clearings`: one row per receipt and invoice it clears: `receipt`, `invoice`, `amount` (cleared on the invoice, yuan),
`fee` (the bank fee, 0 where none).*
"""),
    answer("""
# 答案 ANSWER: e.g. clearings = pd.DataFrame([{"receipt": "BK0404..", "invoice": "YS2003...", "amount": "0.00", "fee": "0.00"}, ...])
clearings = None
""", """
from itertools import combinations

inv = ex.invoices.set_index("invoice")
by_no = dict(zip(ex.invoices["invoice_no"], ex.invoices["invoice"]))
FEE_LIMIT = Decimal("50.00")


def named(memo):
    \"\"\"The invoice a memo names: by 应收单号 or 发票号, or the 发票号 one digit away (a typo).\"\"\"
    for word in memo.split():
        if word in inv.index or word in by_no:
            return by_no.get(word, word)
        close = [i for no, i in by_no.items() if len(no) == len(word) and sum(a != b for a, b in zip(no, word)) == 1]
        if close:
            return close[0]
    return None


rows = []
for r in ex.receipts.itertuples():
    invoice = named(r.memo)
    if invoice is None:                     # 合并付款 several invoices: the pair that adds up to the receipt
        pair = next(p for p in combinations(inv.index, 2) if inv.loc[list(p), "amount"].sum() == r.amount)
        rows += [{"receipt": r.receipt, "invoice": i, "amount": inv.at[i, "amount"], "fee": Decimal(0)} for i in pair]
        continue
    short = inv.at[invoice, "amount"] - r.amount
    if 0 < short <= max(FEE_LIMIT, inv.at[invoice, "amount"] * Decimal("0.005")):   # 手续费 bank fee
        rows.append({"receipt": r.receipt, "invoice": invoice, "amount": inv.at[invoice, "amount"], "fee": short})
    else:
        rows.append({"receipt": r.receipt, "invoice": invoice, "amount": r.amount, "fee": Decimal(0)})
clearings = pd.DataFrame(rows)
clearings
"""),
    code('ex.check("clearings", clearings)'),
    md("""
**核销后的余额** `residual`：一个字典，键是发票（应收单号或发票号），值是核销后仍未核销的金额（元）；已全额核销的可以写 0 或不写。

*`residual`: a dict from invoice to the amount still open after the clearings (yuan); cleared invoices may be 0 or
left out.*
"""),
    answer("""
# 答案 ANSWER: e.g. residual = {"YS2003001": "0.00", ...}
residual = None
""", """
cleared = clearings.groupby("invoice")["amount"].sum()
residual = {i: a - cleared.get(i, Decimal(0)) for i, a in inv["amount"].items()}
residual
"""),
    check_md(),
    code('ex.check("residual", residual)'),
]


NOTEBOOKS["09-invoice-checks"] = [
    md("""
# 练习 09 发票校验 Exercise 09: checking captured invoices

共享中心用 OCR 采集供应商的增值税发票，只有**每项校验都通过**的发票才能直接入账（accepted），其余送人工复核（review）。
先写其中一项校验：**价税合计（大写）与小写金额一致**；再给一批采集好的发票下结论。对应课程第 4 章（智能采集）。

*The sharing centre captures suppliers' VAT invoices by OCR; only a page on which **every check passes** is accepted,
the rest go to review. First write one of the checks — **the total in capital numerals states the total in figures**
— then judge a batch of captured invoices. Follows chapter 4 (intelligent capture).*

大写金额的规则 Rules for capital numerals (PBOC):
- 数字用 零壹贰叁肆伍陆柒捌玖，位用 拾佰仟万亿，单位 圆（发票）或 元（票据），到角为止或到圆为止写 整（或 正），到分不写整；
  *numerals 零壹贰…玖, places 拾佰仟万亿, unit 圆 (invoices) or 元 (bills); 整 (or 正) after an amount without 分, never after 分;*
- 中间有零要写零（连续几个零只写一个）；万位后仟位不为零、圆后角不为零时，零可写可不写；
  *a zero inside is written 零 (one 零 for a run of zeros); after 万 before a non-zero 仟, and after 圆 before 角, the 零 is optional;*
- 金额前可有 ⊗ 或 人民币。*⊗ or 人民币 may stand before the amount.*
"""),
    *setup("09-invoice-checks"),
    md("""
## 1. 大写与小写一致吗 Do the words state the figures?

写一个函数 `words_equal_figures(words, amount)`：`words` 是大写金额（如 `"⊗壹仟零玖圆伍角整"`），`amount` 是小写金额
（如 `"1009.50"`）；大写写法合规、并且和小写金额相等时返回 `True`，否则返回 `False`。请自己写，不要调用 finshare 的采集模块。

*Write a function `words_equal_figures(words, amount)`: `words` are capital numerals (e.g. `"⊗壹仟零玖圆伍角整"`), `amount`
the figures (e.g. `"1009.50"`); return `True` when the words are well formed and state exactly that amount, else
`False`. Write it yourself: do not call finshare's capture modules.*

检查会用一批按你的学号生成的金额来调用你的函数（教师评分时再加一批），并按**类别**告诉你哪类判断错了。
*The check calls your function on pairs made for your student id (the teacher's grading adds more) and says which
**class** of pairs it gets wrong.*
"""),
    answer("""
# 答案 ANSWER: e.g.
# def words_equal_figures(words, amount):
#     ...
#     return True
words_equal_figures = None
""", """
import re

DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACE = {"拾": 10, "佰": 100, "仟": 1000}
WORDS = re.compile(r"(?:(.+?)圆)?零?(?:([壹贰叁肆伍陆柒捌玖])角)?零?(?:([壹贰叁肆伍陆柒捌玖])分)?([整正]?)")


def below_10000(text):
    \"\"\"壹仟零玖 → 1009: each numeral is followed by a smaller place than the one before; 零 only marks a gap.\"\"\"
    value, digit, last = 0, None, 10_000
    for ch in text:
        if ch == "零":
            digit = None
        elif ch in DIGIT:
            if digit is not None:
                return None                      # two numerals in a row
            digit = DIGIT[ch]
        elif ch in PLACE and digit is not None and PLACE[ch] < last:
            value, digit, last = value + digit * PLACE[ch], None, PLACE[ch]
        else:
            return None
    return value + (digit or 0)


def yuan_of(text):
    \"\"\"The whole yuan the words before 圆 state, with 万 and 亿 (None when not well formed).\"\"\"
    total = 0
    for big, scale in (("亿", 10 ** 8), ("万", 10 ** 4)):
        if big in text:
            head, text = text.split(big, 1)
            value = yuan_of(head)
            if not value:
                return None
            total += value * scale
    rest = 0 if text in ("", "零") else below_10000(text)
    return None if rest is None else total + rest


def words_equal_figures(words, amount):
    \"\"\"True when the capital numerals state exactly the amount in figures ("1234.50").\"\"\"
    text = re.sub(r"^[\\s⊗ⓧ（(]*(人民币)?[\\s:：)）]*", "", words.strip()).replace(" ", "").replace("元", "圆")
    m = WORDS.fullmatch(text)
    if not m or not (m[1] or m[2] or m[3]) or (m[3] and m[4]):
        return False                             # nothing stated, or 整 after 分
    yuan = yuan_of(m[1]) if m[1] else 0
    if yuan is None:
        return False
    fen = yuan * 100 + DIGIT.get(m[2] or "零") * 10 + DIGIT.get(m[3] or "零")
    whole, _, cents = amount.partition(".")
    return fen == int(whole) * 100 + int(cents)
"""),
    check_md(),
    code('ex.check("words_equal_figures", words_equal_figures)'),
    md("""
## 2. 一批采集的发票 A batch of captured invoices

下面是八张采集好的发票（每个字段都按读出的文字给出，置信度都是 0.97），购买方应是本集团主体，销售方应在供应商/客户主数据里。
发票都开于 2019 年 4 月 1 日以后（一般税率 13%、9%、6%，征收率 0、1%、1.5%、3%、5%）；税额与 金额 × 税率 的差不超过每行 1 分。
同一销售方、发票代码、发票号码的发票只能采集一次。

*Eight captured invoices (each field as read, all with confidence 0.97). The buyer must be our entity, the seller in the
master data. All are dated after 2019-04-01 (rates 13 %, 9 %, 6 %; levy rates 0, 1 %, 1.5 %, 3 %, 5 %); the tax may
differ from amount × rate by 1 fen per item line. An invoice (seller, code, number) is captured once only.*
"""),
    code("ex.pages"),
    code("ex.our_entities"),
    code("ex.counterparties"),
    code("ex.check_names"),
    md("""
**结论** `verdicts`：每页一行：`page`（页码）、`status`（`accepted` 通过或 `review` 复核）、`failed`（未通过的校验名称，
见 `ex.check_names`，用逗号分隔；通过的页留空）。

*`verdicts`: one row per page: `page`, `status` (`accepted` or `review`), `failed` (the names of the checks that fail,
from `ex.check_names`, separated by commas; empty for an accepted page).*
"""),
    answer("""
# 答案 ANSWER: e.g. verdicts = pd.DataFrame([{"page": 1, "status": "accepted", "failed": ""}, ...])
verdicts = None
""", """
from finshare.core.uscc import uscc_problem          # GB 32100 校验码, as in exercise 04

p = ex.pages
fen = {c: p[c].map(lambda t: int(Decimal(t) * 100)) for c in ("amount", "tax", "total")}
rate = p["tax_rate"].map(Decimal)
expected_tax = [int((a * r).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for a, r in zip(fen["amount"], rate)]
ours = dict(zip(ex.our_entities["uscc"], ex.our_entities["name_zh"]))
known = dict(zip(ex.counterparties["uscc"], ex.counterparties["name_zh"]))
IN_FORCE = {Decimal(r) for r in ("0.13", "0.09", "0.06", "0", "0.01", "0.015", "0.03", "0.05")}
checks = pd.DataFrame({
    "buyer_tax_id_gb32100": p["buyer_tax_id"].map(uscc_problem).isna(),
    "seller_tax_id_gb32100": p["seller_tax_id"].map(uscc_problem).isna(),
    "tax_rate_in_force": rate.isin(IN_FORCE),
    "total_is_amount_plus_tax": fen["amount"] + fen["tax"] == fen["total"],
    "tax_is_amount_times_rate": (fen["tax"] - expected_tax).abs() <= p["item_lines"].clip(lower=1),
    "words_match_total": [words_equal_figures(w, t) for w, t in zip(p["total_in_words"], p["total"])],
    "buyer_is_ours": p["buyer_tax_id"].map(ours) == p["buyer_name"],
    "seller_is_known": p["seller_tax_id"].map(known) == p["seller_name"],
    "not_duplicate": ~p.duplicated(["seller_tax_id", "invoice_code", "invoice_no"]),
})
failed = checks.apply(lambda row: ", ".join(row.index[~row]), axis=1)
verdicts = pd.DataFrame({"page": p["page"], "status": failed.map(lambda f: "review" if f else "accepted"),
                         "failed": failed})
verdicts
"""),
    check_md(),
    code('ex.check("verdicts", verdicts)'),
]


NOTEBOOKS["10-collection-forecast"] = [
    md("""
# 练习 10 回款预测 Exercise 10: forecasting cash collection

你是司库。今天是**截止日**（as-of date，每人不同），手里有到今天为止的应收账款历史，以及今天还没收回的发票。请预测每张
**未结清发票**什么时候结清（开票后多少天），以及它**逾期**（晚于到期日结清）的概率。对应课程第 8 章。

*You are the treasurer. Today is the **as-of date** (each student has their own); you hold the receivable history as
known today and the invoices still open. Predict for each **open invoice** how many days after its invoice date it
will be settled, and the probability that it is paid **late** (after its due date). Follows chapter 8.*

**怎样评分 How the check scores.** 答案不是你自己算出来的分数：检查程序按你的学号重新生成整份历史，拿到这些发票**真正的**
结清日期（笔记本里没有），再和你的预测比较。截止日之后到历史末尾（2021-01-01）仍未结清的少数发票不计分。
*Your own numbers are never the score: the check regenerates the whole history from your student id, takes the
**real** settlement dates of these invoices (not in this notebook) and compares. The few invoices still open at the
history's end (2021-01-01) are not scored.*

| 检查 check | 分 points | 要求 what passes |
|---|---|---|
| 每张未结清发票预测一次；数字有效 every open invoice once; valid numbers | 2 + 2 | `p_late` 在 0–1 之间 |
| 结清天数的平均绝对误差（MAE）低于基准 MAE below the baseline's | 3 | 基准 = 客户历史中位天数 the customer's median days so far |
| MAE 至少比基准低 10% at least 10 % below | 3 | |
| 逾期排序 AUC ≥ 0.80 且高于基准的排序 AUC ≥ 0.80 and above the baseline's ranking | 4 | 基准排序 = 中位天数 − 账期 |
| 80% 区间（可选）an 80 % interval (optional) | 2 | 覆盖率 70%–90%，区间得分明显好于固定区间 coverage 70–90 %, interval score clearly below fixed intervals' |
| 隐藏检查（教师评分时）a hidden check when the teacher grades | 4 | 回款计划 a cash plan |

**区间得分 The interval score**（越低越好 lower is better）：每张发票的区间宽度，结清落在区间外时再加上差的天数 × 10
（α = 0.2），取平均。要求至多**固定区间**（每张发票同一个 [a, b] 天，早于截止日的一端改为截止日次日，即使知道结果再挑）
得分的 85%，并且至多**到期日区间**（到期日加上历史上到期后付款天数的 10%–90%）得分的 90%：不看发票就能给的区间不得分。
*Each invoice's interval width, plus 10 × the days by which its settlement falls outside (α = 0.2), averaged. It must
be at most 85 % of the best **fixed interval**'s (one [a, b] in days for every invoice, an end before the as-of date
moved to the day after it, even picked knowing the outcome) and at most 90 % of the **due-date interval**'s (the due
date plus the history's 10 %–90 % of days paid after it): an interval one could give without a model earns nothing.*

照抄基准、按到期日付款或者给常数，只能得到格式分。*Copying the baseline, the due dates or a constant earns the format
points only.*
"""),
    *setup("10-collection-forecast"),
    md("## 1. 数据 The data\n\n截止日、当天已知的历史（之后开的发票不在里面，之后的结清是空的）和当天未结清的发票。"
       "*The as-of date, the history as known that day (later invoices dropped, later settlements blank) and the "
       "invoices open that day.*"),
    code("ex.as_of"),
    code("ex.history.tail(3)"),
    code("ex.open_invoices.head()"),
    md("""
已结清发票的结清天数（开票到结清）分布：多数在账期附近，右边的长尾是慢客户和争议发票。
*Days from invoice to settlement of the settled invoices: most near the terms, a long right tail of slow payers and
disputes.*
"""),
    code("""
import matplotlib.pyplot as plt

settled = ex.history.dropna(subset=["settled_date"])
days = (settled["settled_date"] - settled["invoice_date"]).dt.days
ax = days.plot.hist(bins=60, figsize=(7, 3), title="结清天数 days to settle (known history)")
ax.axvline(days.median(), color="black", linestyle="--")
plt.show()
"""),
    md("""
## 2. 要打败的基准 The baseline to beat

**客户历史中位天数**：每张发票预测为该客户最近 10 张已结清发票的中位结清天数（没有历史就按账期）；它的逾期排序分数是
中位天数减账期。检查程序在同一份已知历史上算它：
*The **customer's median days so far** (its last 10 settled invoices; the terms without history); its lateness
score is that median minus the terms. The check computes it on the same known history:*
"""),
    code("ex.baseline.head()"),
    md("""
想一想基准忽略了什么：一张截止日还没结清的发票，不可能在截止日或之前结清；已经过了到期日还没结清的发票，一定逾期。
*Think about what the baseline ignores: an invoice still open at the as-of date cannot be settled on or before it;
one already past its due date and still open will certainly be paid late.*

客户的付款系统常在到期日付款；到期日是周末就到周一才付，按账期算就逾期了。有的客户只在月末统一付款（月结）。
*Many customers' payables systems pay on the due date; a due date on a weekend is paid on the Monday, late by the
letter of the terms. Some customers pay only in a month-end run.*

## 3. 特征 Features

`finshare.forecast.features.features(ex.history)` 给每张发票开票当天已知的特征（训练行），
`features(ex.history, ex.as_of)` 给截止日未结清发票的特征（要预测的行，`days_open` 是已开票天数）；
`finshare.forecast.training.training_rows(ex.history, ex.as_of)` 给出开票满 180 天的训练行和标签（`days`、`late`）。
只能用截止日已知的东西。*`features(ex.history)`: each invoice as known on its invoice date (training rows);
`features(ex.history, ex.as_of)`: the open invoices at the as-of date (`days_open`: days since invoiced);
`training_rows(ex.history, ex.as_of)`: the invoices 180+ days old with labels `days` and `late`. Use only what was
known at the as-of date.*

## 4. 答案 Your answer

`predictions`：每张未结清发票一行：`invoice_id`、`predicted_days`（开票到结清的天数）、`p_late`（逾期概率，0–1），
可选 `lower_days`、`upper_days`（80% 区间）。请用 scikit-learn 的 Pipeline 自己建模。
*`predictions`: one row per open invoice: `invoice_id`, `predicted_days` (days from invoice to settlement), `p_late`
(0–1), optionally `lower_days`, `upper_days` (an 80 % interval). Build your own scikit-learn Pipeline.*
"""),
    answer("""
# 答案 ANSWER: e.g.
# predictions = pd.DataFrame({"invoice_id": ex.open_invoices["invoice_id"], "predicted_days": ..., "p_late": ...})
predictions = None
""", """
import numpy as np
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from finshare.forecast.features import features
from finshare.forecast.training import training_rows

DAYS = ["hist_count", "hist_mean_days", "hist_median_days", "hist_late_share", "hist_mean_late", "hist_trend",
        "last_late", "open_before", "amount_ratio", "log_amount", "terms_days", "days_open", "inv_month",
        "due_day", "disputed", "paperless"]
# the customer's payment habit (recent lateness, month-end runs, paying on the due date) and the due date's calendar
HABIT = ["recent_late_share", "hist_run_share", "hist_on_due_share", "due_weekday", "due_after_run", "due_to_festival"]
LATE = ["hist_late_share", "hist_mean_late", "median_vs_terms", "last_late", "hist_trend", "days_to_due",
        "disputed", "log_amount", "amount_ratio", "terms_days", *HABIT, "due_weekend", "on_due_weekend"]


def extra(X):
    weekend = (X["due_weekday"] >= 5).astype(float)
    return X.assign(days_to_due=X["terms_days"] - X["days_open"],
                    median_vs_terms=X["hist_median_days"] - X["terms_days"], due_weekend=weekend,
                    # pays on the due date, which is a weekend: paid on the Monday, late by the letter of the terms
                    on_due_weekend=X["hist_on_due_share"] * weekend)


# each matured invoice seen as still open after 0, 15, … 120 days: the model learns what being open that long means
rows = training_rows(ex.history, ex.as_of)
train = extra(pd.concat([rows.X[rows.days > a].assign(days_open=float(a), days=rows.days[rows.days > a],
                                                       late=rows.late[rows.days > a])
                         for a in (0, 15, 30, 45, 60, 90, 120)], ignore_index=True))
X = extra(features(ex.history, ex.as_of))


def days_model(loss, **kw):
    return make_pipeline(make_column_transformer(("passthrough", DAYS + HABIT)), HistGradientBoostingRegressor(
        loss=loss, max_iter=150, learning_rate=0.05, min_samples_leaf=40, random_state=0, **kw))


def days(loss, **kw):     # days to settle: the terms plus days after the due date (0 for a customer paying on it)
    model = days_model(loss, **kw).fit(train, train["days"] - train["terms_days"])
    return X["terms_days"] + model.predict(X)


late_model = make_pipeline(make_column_transformer(
    (make_pipeline(SimpleImputer(add_indicator=True), StandardScaler()), LATE)), LogisticRegression(max_iter=1000))
not_due = train[train["days_open"] <= train["terms_days"]]
with threadpool_limits(1):
    mid = days("absolute_error")
    lo, hi = days("quantile", quantile=0.06), days("quantile", quantile=0.94)   # hold about 80 % of later settlements
    p = late_model.fit(not_due, not_due["late"]).predict_proba(X)[:, 1]

tomorrow = X["days_open"] + 1                         # still open today: settled tomorrow at the earliest
predictions = pd.DataFrame({
    "invoice_id": X["invoice_id"], "predicted_days": np.maximum(mid, tomorrow),
    "p_late": np.where(X["days_open"] > X["terms_days"], 1.0, p),    # open after its due date: late for sure
    "lower_days": np.maximum(lo, tomorrow), "upper_days": np.maximum(hi, np.maximum(mid, tomorrow))})
predictions.head()
"""),
    check_md(),
    code('ex.check("predictions", predictions)'),
]


def build(name: str, cells: list, teacher: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                       "name": "python3"},
                        "language_info": {"name": "python"}, "finshare": {"exercise": name}})
    for i, cell in enumerate(cells):
        if cell[0] == "markdown":
            new = nbformat.v4.new_markdown_cell(cell[1])
        elif cell[0] == "id":
            value = '"teacher"' if teacher else '""'
            new = nbformat.v4.new_code_cell(f"STUDENT_ID = {value}   # 你的学号 your student id, e.g. \"2023001\"",
                                            metadata={"tags": ["student-id"]})
        elif cell[0] == "answer":
            new = nbformat.v4.new_code_cell(cell[2] if teacher else cell[1], metadata={"tags": ["answer"]})
        else:
            new = nbformat.v4.new_code_cell(cell[1], metadata={"tags": list(cell[2])} if cell[2] else {})
        new["id"] = f"{name}-{i:02d}"
        nb.cells.append(new)
    return nb


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        folder = EXERCISES / name
        folder.mkdir(exist_ok=True)
        nbformat.write(build(name, cells, teacher=False), folder / f"{name}.ipynb")
        nbformat.write(build(name, cells, teacher=True), HERE / f"{name}.ipynb")
        print("wrote", folder / f"{name}.ipynb", "and", HERE / f"{name}.ipynb")


if __name__ == "__main__":
    main()
