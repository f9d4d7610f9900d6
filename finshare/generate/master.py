"""Master data of the generated Fujian year: the case's own rows plus departments, people, partners, products.

Everything is drawn from one ``numpy.random.Generator``, so a seed gives the
same tables. Customers carry a payment behaviour (how late they pay) that
the document flows use; it is not written to the master-data files.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.uscc import ALPHABET, check_character

FACTORIES = ["XM", "SZ", "VN"]
#: department suffix → (name_zh, name_en, attribute)
DEPARTMENTS = {"ADM": ("行政部", "Administration", "管理"), "MKT": ("营销部", "Marketing", "销售"),
               "PRD": ("生产部", "Production", "生产"), "RND": ("研发部", "Research and development", "研发"),
               "PUR": ("采购部", "Purchasing", "管理")}
#: payment behaviour → (share of customers, days after due date: low, high)
BEHAVIOUR = {"prompt": (0.35, -10, 3), "normal": (0.35, -3, 20), "late": (0.2, 15, 60), "chronic": (0.1, 45, 120)}
#: product code → (name_zh, name_en, standard cost, list price) in CNY
PRODUCTS = {"P001": ("咖啡机", "Coffee machine", 600, 1000), "P002": ("磨豆机", "Coffee grinder", 180, 320),
            "P003": ("奶泡机", "Milk frother", 90, 160), "P004": ("滤杯套装", "Pour-over set", 35, 68),
            "P005": ("咖啡豆礼盒", "Coffee bean gift box", 70, 128), "P006": ("商用咖啡机", "Commercial coffee machine",
                                                                          4200, 6800)}
#: raw material code → (name_zh, name_en, price) in CNY
RAW = {"M001": ("咖啡", "Coffee", 20), "M004": ("不锈钢板", "Stainless steel sheet", 55),
       "M005": ("电机", "Electric motor", 120), "M006": ("包装材料", "Packaging", 3), "M007": ("电路板", "Circuit board", 85)}
CITIES = ["厦门", "深圳", "福州", "泉州", "广州", "上海", "杭州", "南京", "成都", "武汉", "长沙", "青岛"]
TRADES = ["商贸有限公司", "咖啡连锁有限公司", "餐饮管理有限公司", "百货有限公司", "电器有限公司", "贸易有限公司"]


def uscc_codes(rng: np.random.Generator, n: int, region: str = "350200") -> list[str]:
    """``n`` distinct valid unified social credit codes of companies (91…) in ``region``."""
    out: list[str] = []
    seen = set()
    while len(out) < n:
        body = "".join(rng.choice(list(ALPHABET), 9))
        first17 = "91" + region + body
        if first17 not in seen:
            seen.add(first17)
            out.append(first17 + check_character(first17))
    return out


def departments(base: pd.DataFrame) -> pd.DataFrame:
    """Every factory gets administration, marketing, production and purchasing; Xiamen also R&D."""
    rows = [(f"{f}-{k}", zh, en, f, attr) for f in FACTORIES for k, (zh, en, attr) in DEPARTMENTS.items()
            if k != "RND" or f == "XM"]
    extra = pd.DataFrame(rows, columns=["code", "name_zh", "name_en", "org", "attribute"])
    return pd.concat([base, extra[~extra["code"].isin(base["code"])]], ignore_index=True)


def employees(rng: np.random.Generator, base: pd.DataFrame, depts: pd.DataFrame) -> pd.DataFrame:
    """Two people per department beside the case's own."""
    surnames, given = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"), list("伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平")
    codes = depts["code"].tolist() * 2
    n = len(codes)
    names = [s + g + h for s, g, h in zip(rng.choice(surnames, n), rng.choice(given, n), rng.choice(given, n))]
    start = len(base) + 1
    extra = pd.DataFrame({"code": [f"E{start + i:03d}" for i in range(n)], "name_zh": names,
                          "name_en": [f"Employee {start + i}" for i in range(n)], "department": codes})
    return pd.concat([base, extra], ignore_index=True)


def customers(rng: np.random.Generator, base: pd.DataFrame, n: int) -> tuple[pd.DataFrame, pd.Series]:
    """External customers (Chinese ones with credit codes, Vietnamese ones in VND) and the internal 厦门 one.

    Returns the table and each customer's payment behaviour.
    """
    n_vn = max(2, n // 8)
    n_cn = n - n_vn
    names = [f"{c}{t}" for c, t in zip(rng.choice(CITIES, n_cn), rng.choice(TRADES, n_cn))]
    codes = [f"C{i:03d}" for i in range(2, n + 2)]
    frame = pd.DataFrame({
        "code": codes, "name_zh": [f"{nm}{i:02d}" for i, nm in enumerate(names)] + [f"越南客户{i:02d}" for i in range(n_vn)],
        "name_en": [f"Customer {c}" for c in codes], "uscc": uscc_codes(rng, n_cn) + [""] * n_vn,
        "currency": ["CNY"] * n_cn + ["VND"] * n_vn, "org": ""})
    internal = pd.DataFrame([{"code": "C900", "name_zh": "厦门制造工厂（内部）", "name_en": "Xiamen factory (internal)",
                              "uscc": "", "currency": "CNY", "org": "XM"}])
    table = pd.concat([base.assign(org=""), frame, internal], ignore_index=True)
    kinds = list(BEHAVIOUR)
    share = np.array([BEHAVIOUR[k][0] for k in kinds])
    behaviour = pd.Series(np.array(kinds)[rng.choice(len(kinds), len(table), p=share)], index=table["code"])
    behaviour["C900"] = "prompt"
    return table, behaviour


def suppliers(rng: np.random.Generator, base: pd.DataFrame, n: int) -> pd.DataFrame:
    """Raw-material, equipment and service suppliers, and the Vietnam factory as an internal supplier."""
    codes = [f"S{i:03d}" for i in range(len(base) + 1, len(base) + n + 1)]
    frame = pd.DataFrame({"code": codes, "name_zh": [f"{c}供应商{i:02d}" for i, c in enumerate(rng.choice(CITIES, n))],
                          "name_en": [f"Supplier {c}" for c in codes], "uscc": uscc_codes(rng, n, "350203"),
                          "currency": "CNY", "org": ""})
    internal = pd.DataFrame([{"code": "S900", "name_zh": "越南工厂（内部）", "name_en": "Vietnam factory (internal)",
                              "uscc": "", "currency": "CNY", "org": "VN"}])
    return pd.concat([base.assign(org=""), frame, internal], ignore_index=True)


def materials(base: pd.DataFrame) -> pd.DataFrame:
    """Raw materials (原材料 1403) and products (库存商品 1405) beside the case's expense materials."""
    raw = [(c, zh, en, "千克" if c == "M001" else "件", "原材料", "1403") for c, (zh, en, _) in RAW.items()]
    prod = [(c, zh, en, "台", "产成品", "1405") for c, (zh, en, _, _) in PRODUCTS.items()]
    extra = pd.DataFrame(raw + prod, columns=["code", "name_zh", "name_en", "unit", "category", "account"])
    return pd.concat([base[~base["code"].isin(extra["code"])], extra], ignore_index=True).sort_values(
        "code", ignore_index=True)


def bank_accounts(base: pd.DataFrame) -> pd.DataFrame:
    """A basic account per factory, and the Vietnam factory's CNY account for intercompany settlement."""
    extra = pd.DataFrame([
        ("B002", "深圳工厂基本户", "Shenzhen factory main account", "SZ", "中国建设银行深圳分行", "44250100003500001234", "CNY"),
        ("B101", "越南工厂基本户", "Vietnam factory main account", "VN", "Vietcombank", "0071001234567", "VND"),
        ("B102", "越南工厂人民币户", "Vietnam factory CNY account", "VN", "中国银行胡志明市分行", "100000812345678", "CNY")],
        columns=["code", "name_zh", "name_en", "org", "bank", "account_no", "currency"])
    return pd.concat([base, extra], ignore_index=True)
