"""``finshare generate fujian-year``: a whole calendar year of the Fujian group as a case folder.

The folder holds master data, rates, books (the case's four, with a CAS
chart whose intercompany accounts may carry the partner), the partner
dimension, the group definition for consolidation (group.yaml), document types, templates and documents of every kind: sales
with VAT and receipts from customers who pay on time or late, a few
returns, purchases, AP invoices and payments, expense claims, payroll,
fixed assets, opening balances, and intercompany sales from the Vietnam
factory to Xiamen. One seed gives byte-identical files; ``scale`` multiplies
the volume (1: about 20,000 documents).
"""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.case import bundled_case, builtin_doctypes
from ..core.money import EXPONENTS, format_amounts
from ..core.problems import FinshareError, Problem, Source
from ..core.textio import read_csv
from . import master as M
from .flows import Keys, Part, monthly_sold, purchases, sales
from .overheads import assets, expense_claims, fixed_asset_cards, intercompany, opening, payroll

#: document type → number prefix
PREFIX = {"sales_outbound": "XS", "ar_invoice": "YS", "receipt": "SK", "purchase_receipt": "CG", "ap_invoice": "YF",
          "payment": "FK", "expense_claim": "BX", "fa_acquisition": "ZC", "payroll_accrual": "GZ",
          "opening_balance": "QC"}
#: accounts of the case's CAS chart that may carry the intercompany partner
PARTNER_ACCOUNTS = ["1122", "220201", "220202", "6001", "6401"]
PARTNER = "dimensions:\n  - {code: partner, label_zh: 往来单位, label_en: Intercompany partner, table: organisations}\n"


def generate_year(out: str | Path, seed: int = 2020, scale: float = 1.0) -> dict[str, int]:
    """Write the case folder ``out`` (new or empty); return the number of documents per type."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FinshareError([Problem("folder-not-empty", "输出文件夹不是空的 / the output folder is not empty",
                                     Source(str(out)), "name a new folder, or empty this one")])
    if not 0 < scale <= 200:
        raise FinshareError([Problem("bad-option", f"--scale {scale} 超出范围 / --scale must be in (0, 200]",
                                     hint="1 gives about 20,000 documents, 50 about a million")])
    rng = np.random.default_rng(seed)
    base = bundled_case("fujian")
    tables = {**_master(rng, base), "fixed_assets": fixed_asset_cards(scale)}
    parts = _business(rng, tables, scale)
    docs = _numbered(parts)
    _write_case(out, base, tables, docs, rng)
    counts = {code: len(h) for code, (h, _) in docs.items()}
    (out / "README.md").write_text(_readme(seed, scale, counts), encoding="utf-8")
    return counts


def _master(rng, base: Path) -> dict[str, pd.DataFrame]:
    md = {p.stem: read_csv(p) for p in sorted((base / "masterdata").glob("*.csv"))}
    depts = M.departments(md["departments"])
    customers, behaviour = M.customers(rng, md["customers"], 60)
    return {"organisations": md["organisations"], "departments": depts,
            "employees": M.employees(rng, md["employees"], depts), "customers": customers,
            "suppliers": M.suppliers(rng, md["suppliers"], 24), "materials": M.materials(md["materials"]),
            "bank_accounts": M.bank_accounts(md["bank_accounts"]), "_behaviour": behaviour.to_frame("behaviour")}


def _business(rng, t: dict[str, pd.DataFrame], scale: float) -> list[Part]:
    keys = Keys()
    behaviour = t["_behaviour"]["behaviour"]
    parts: list[Part] = []
    for factory, per_month in (("XM", 170), ("SZ", 150), ("VN", 55)):
        parts += opening(keys, factory, scale)
        trade = sales(rng, keys, t["customers"], behaviour, factory, per_month, scale)
        parts += trade + purchases(rng, keys, t["suppliers"], factory, monthly_sold(trade, factory), 30, scale)
        parts += expense_claims(rng, keys, t["employees"], factory, 18, scale)
        parts += payroll(keys, t["departments"], factory, scale)
        parts += assets(rng, keys, t["suppliers"], factory, 1 if factory != "VN" else 0.5, scale)
    return parts + intercompany(rng, keys, 8, scale)


def _numbered(parts: list[Part]) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Per type: documents ordered by date, unit and drawing order, numbered; references become numbers."""
    by_type: dict[str, list[Part]] = {}
    for p in parts:
        by_type.setdefault(p.doc_type, []).append(p)
    frames, number_of = {}, {}
    for code, ps in by_type.items():
        head = pd.concat([p.header for p in ps], ignore_index=True).sort_values(["date", "org", "_key"],
                                                                               kind="stable", ignore_index=True)
        numbers = PREFIX[code] + pd.Series(np.arange(1, len(head) + 1)).astype(str).str.zfill(7)
        number_of[code] = pd.Series(numbers.to_numpy(object), index=head["_key"].to_numpy())
        frames[code] = (head, pd.concat([p.lines for p in ps], ignore_index=True))
    out = {}
    for code, (head, lines) in frames.items():
        head = head.copy()
        head.insert(0, "doc_no", number_of[code].to_numpy())
        for field, target in (("outbound", "sales_outbound"), ("receipt", "purchase_receipt"),
                              ("invoice", "ar_invoice" if code == "receipt" else "ap_invoice")):
            if field in head:
                head[field] = number_of[target].reindex(head[field].to_numpy()).fillna("").to_numpy(object)
        lines = lines.iloc[_line_order(head, lines)].copy()
        lines.insert(0, "doc_no", number_of[code].reindex(lines["_key"].to_numpy()).to_numpy(object))
        out[code] = (head.drop(columns="_key"), lines.drop(columns="_key").reset_index(drop=True))
    return out


def _line_order(head: pd.DataFrame, lines: pd.DataFrame) -> np.ndarray:
    """Lines in the order of their documents, then by line number."""
    pos = pd.Index(head["_key"]).get_indexer(lines["_key"].to_numpy())
    return np.lexsort((lines["line_no"].to_numpy(), pos))


def _text(frame: pd.DataFrame, doctype, currency: pd.Series) -> pd.DataFrame:
    """Typed columns as the text a CSV holds: amounts in the currency's decimals, dates ISO."""
    out = pd.DataFrame(index=frame.index)
    exp = currency.map(EXPONENTS).to_numpy("int64")
    for f in doctype.fields:
        if f.lookup is not None or f.name not in frame:
            continue
        col = frame[f.name]
        if f.type == "money":
            out[f.name] = format_amounts(col.to_numpy("int64"), exp)
        elif f.type == "date":
            out[f.name] = col.to_numpy("datetime64[D]").astype(str)
        elif f.type == "decimal":
            out[f.name] = [np.format_float_positional(float(x), trim="-") for x in col]
        else:
            out[f.name] = col.astype(str).to_numpy(object)
    return out


def _write_case(out: Path, base: Path, tables: dict[str, pd.DataFrame], docs: dict, rng) -> None:
    (out / "masterdata").mkdir(parents=True)
    for name, frame in tables.items():
        if not name.startswith("_"):
            frame.to_csv(out / "masterdata" / f"{name}.csv", index=False, lineterminator="\n")
    _rates(rng).to_csv(out / "rates.csv", index=False, lineterminator="\n")
    (out / "dimensions.yaml").write_text(PARTNER, encoding="utf-8")
    (out / "group.yaml").write_text(group_yaml(), encoding="utf-8")
    _chart_and_books(out, base)
    _templates(out, base)
    types = builtin_doctypes()
    (out / "documents").mkdir()
    for code, (head, lines) in docs.items():
        dt = types[code]
        head = head.assign(status="approved")
        cur = head.set_index("doc_no")["currency"]
        _text(head, dt.header, head["currency"]).to_csv(out / "documents" / f"{code}.csv", index=False,
                                                        lineterminator="\n")
        line_cur = cur.reindex(lines["doc_no"].to_numpy()).reset_index(drop=True)
        _text(lines.reset_index(drop=True), dt.lines, line_cur).to_csv(
            out / "documents" / f"{code}_lines.csv", index=False, lineterminator="\n")


def _rates(rng) -> pd.DataFrame:
    """Monthly rates from 1 January: CNY→HKD near 1.10, CNY→VND near 3,300, HKD→VND consistent with both."""
    months = (np.datetime64("2020-01") + np.arange(12).astype("timedelta64[M]")).astype("datetime64[D]").astype(str)
    hkd = np.round(1.10 + np.cumsum(rng.normal(0, 0.004, 12)), 4)
    vnd = np.round(3300 + np.cumsum(rng.normal(0, 12, 12)))
    rows = [(d, "CNY", "HKD", f"{h:.4f}") for d, h in zip(months, hkd)]
    rows += [(d, "CNY", "VND", f"{v:.0f}") for d, v in zip(months, vnd)]
    rows += [(d, "HKD", "VND", f"{v / h:.2f}") for d, h, v in zip(months, hkd, vnd)]
    return pd.DataFrame(rows, columns=["date", "from_currency", "to_currency", "rate"])


def partner_chart(out: Path, accounts=PARTNER_ACCOUNTS) -> Path:
    """Write ``out/charts/CAS.csv``: the CAS chart with an optional partner (``partner?``) on ``accounts``.

    Named CAS, so templates written in CAS codes need no account map.
    """
    rows = (resources.files("finshare.data") / "chart_cas.csv").read_text(encoding="utf-8").splitlines()
    for i, row in enumerate(rows):
        if row.split(",", 1)[0] in accounts:
            rows[i] = row + (";partner?" if not row.endswith(",") else "partner?")
    (out / "charts").mkdir(exist_ok=True)
    path = out / "charts" / "CAS.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _chart_and_books(out: Path, base: Path) -> None:
    partner_chart(out)
    books = (base / "books.yaml").read_text(encoding="utf-8").replace(
        "chart: CAS}", 'chart: charts/CAS.csv, rounding_account: "6603", opening_rounding_account: "4104"}')
    # 汇率折算尾差 to 财务费用; those of the opening balances to 利润分配
    (out / "books.yaml").write_text(books, encoding="utf-8")


def _templates(out: Path, base: Path) -> None:
    """The year's templates; the purchase receipt's with the partner on its payable (and its type's look-up)."""
    (out / "templates").mkdir()
    folder = resources.files("finshare.generate").joinpath("fujian", "templates")
    for t in sorted(folder.iterdir(), key=lambda p: p.name):
        if t.name.endswith(".yaml"):
            (out / "templates" / t.name).write_text(t.read_text(encoding="utf-8"), encoding="utf-8")
    pr = (base / "templates" / "purchase_receipt.yaml").read_text(encoding="utf-8")
    (out / "templates" / "purchase_receipt.yaml").write_text(
        pr.replace("dimensions: {supplier: supplier}", "dimensions: {supplier: supplier, partner: partner}"),
        encoding="utf-8")
    dt = (resources.files("finshare.data") / "doctypes" / "purchase_receipt.yaml").read_text(encoding="utf-8")
    look = ("  partner: {lookup: {from: supplier, table: suppliers, column: org}, label_zh: 内部往来组织, "
            "label_en: Intercompany partner}\n")
    (out / "doctypes").mkdir()
    (out / "doctypes" / "purchase_receipt.yaml").write_text(dt.replace("lines:\n", look + "lines:\n", 1),
                                                            encoding="utf-8")
    shutil.copy(base / "schemes.yaml", out / "schemes.yaml")


def group_yaml(entities=("VN-MGT", "CN-MGT")) -> str:
    """The group definition ``group.yaml``: the management books consolidated in CNY (read by
    :mod:`finshare.close.consolidation`)."""
    books = "\n".join(f"  - {{book: {b}, account_map: identity}}" for b in entities)
    return f"""# 合并范围 — the Fujian group consolidated from its management books (finshare.close.consolidation)
name_zh: 福建制造集团（管理口径）
name_en: Fujian group (management books)
presentation_currency: CNY     # 列报货币
chart: charts/CAS.csv          # the group chart: the case's CAS chart
entities:                      # account_map: identity, or a CSV file from_code,to_code into the group chart
{books}
translation:
  reserve: "4003"              # 其他综合收益—外币报表折算差额 (CAS 19 / IAS 21 translation reserve)
intercompany:
  dimension: partner           # 往来单位: the group unit on the other side
  revenue: "6001"              # 主营业务收入
  cost_of_sales: "6401"        # 主营业务成本
  inventory: "1405"            # 库存商品 (the buyer's stock of goods bought in the group)
  in_transit: "1402"           # 在途物资 (shipped by the seller, not yet received by the buyer)
  receivables: ["1122"]
  payables: ["220201", "220202"]
  difference: "6603"           # 财务费用—汇兑损益: what remains between IC receivable and payable
"""


def _readme(seed: int, scale: float, counts: dict[str, int]) -> str:
    rows = "\n".join(f"| `{k}` | {v:,} |" for k, v in sorted(counts.items()))
    return f"""# 福建制造公司 2020 — a generated year of the Fujian group

Written by `finshare generate fujian-year --seed {seed} --scale {scale:g} --out DIR`; the same command
writes the same bytes. {sum(counts.values()):,} documents, all approved:

| document type | documents |
|---|---|
{rows}

Sales at the three factories with 13 % VAT (Vietnam 10 %, in VND), receipts from customers who pay on
time, a little late or very late (some invoices are still open on 31 December), a few sales returned in
full (red outbound and invoice); purchase receipts that replenish what sold plus raw materials and
expenses, AP invoices that reverse the receipts' 暂估 (some arrive only next year), payments; expense
claims, a payroll accrual per factory and month, equipment with different useful lives in the CAS and
HKFRS books, opening balances on 1 January, and the Vietnam factory's sales to Xiamen in CNY (partner
dimension 往来单位 on both sides). Production is not modelled: raw materials accumulate in 1403.
"""
