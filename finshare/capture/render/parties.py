"""Who appears on the rendered documents: our entity, its bank accounts, and the other side.

Sellers and payers come from the Fujian master data (``suppliers.csv``,
``customers.csv`` in ``datasets/fujian-2020/masterdata``) when that folder
is there, plus invented companies with valid credit codes
(:func:`finshare.core.uscc.check_character`), so a set is never limited to
the case's names.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...core.uscc import ALPHABET, check_character, uscc_problem

#: The master data of the Fujian year, relative to the repository.
MASTER = Path(__file__).resolve().parents[3] / "datasets" / "fujian-2020" / "masterdata"


@dataclass(frozen=True)
class Party:
    """A company as printed: name, 18-character credit code, and (for receipts) a bank account."""

    name: str
    tax_id: str
    bank: str = ""
    account: str = ""


#: Our legal entity FJ (organisations.csv); the buyer on every invoice.
OUR = Party("福建制造公司", "91350100M000100Y43")
#: bank family → (bank name as printed, our branch, our account); master data overrides the account.
BANKS = {"icbc": ("中国工商银行", "中国工商银行厦门分行", "4100021709024500001"),
         "ccb": ("中国建设银行", "中国建设银行深圳分行", "44250100003500001234"),
         "boc": ("中国银行", "中国银行厦门分行", "100000812345678"),
         "cmb": ("招商银行", "招商银行福州分行", "591902345610001")}
#: province code (credit code positions 3–4) → name printed in an old invoice's title
PROVINCES = {"35": "福建", "44": "广东", "31": "上海", "33": "浙江", "32": "江苏", "51": "四川", "42": "湖北",
             "43": "湖南", "37": "山东", "11": "北京"}
_CITY_REGION = {"厦门": "350200", "福州": "350100", "泉州": "350500", "深圳": "440300", "广州": "440100",
                "上海": "310115", "杭州": "330100", "南京": "320100", "成都": "510100", "武汉": "420100",
                "长沙": "430100", "青岛": "370200", "北京": "110108"}
_BRANDS = list("鑫华瑞丰泰源盛达宏利恒信嘉禾聚德永安新元")
_TRADES = ["科技有限公司", "贸易有限公司", "包装材料有限公司", "机电设备有限公司", "物流有限公司", "广告传媒有限公司",
           "信息技术有限公司", "五金制品有限公司", "商务咨询有限公司", "电子有限公司"]
OTHER_BANKS = ["中国农业银行", "交通银行", "兴业银行", "中国民生银行", "浦发银行", "中信银行", "厦门银行"]


def credit_code(rng: np.random.Generator, region: str) -> str:
    """A valid company credit code (91…) registered in ``region`` (6-digit 行政区划码)."""
    first17 = "91" + region + "".join(rng.choice(list(ALPHABET), 9))
    return first17 + check_character(first17)


def invented(rng: np.random.Generator, n: int) -> list[Party]:
    """``n`` invented companies across cities, each with a valid credit code."""
    cities = list(_CITY_REGION)
    out = []
    for _ in range(n):
        city = str(rng.choice(cities))
        name = city + "".join(rng.choice(_BRANDS, 2)) + str(rng.choice(_TRADES))
        out.append(Party(name, credit_code(rng, _CITY_REGION[city])))
    return out


def from_master(folder: Path | None = None) -> list[Party]:
    """Suppliers and customers of the master data with a valid credit code (none when the folder is absent)."""
    folder = MASTER if folder is None else Path(folder)
    frames = [pd.read_csv(folder / f, dtype=str).fillna("") for f in ("suppliers.csv", "customers.csv")
              if (folder / f).exists()]
    if not frames:
        return []
    rows = pd.concat(frames, ignore_index=True)
    return [Party(n, u) for n, u in zip(rows["name_zh"], rows["uscc"]) if u and uscc_problem(u) is None]


def our_accounts(folder: Path | None = None) -> dict[str, Party]:
    """Our account at each bank family: the master data's CNY account at that bank, else the default above."""
    folder = MASTER if folder is None else Path(folder)
    found = {}
    if (folder / "bank_accounts.csv").exists():
        rows = pd.read_csv(folder / "bank_accounts.csv", dtype=str).fillna("")
        for branch, account, currency in zip(rows["bank"], rows["account_no"], rows["currency"]):
            for fam, (name, _, _) in BANKS.items():
                if currency == "CNY" and branch.startswith(name) and fam not in found:
                    found[fam] = (branch, account)
    return {fam: Party(OUR.name, OUR.tax_id, *found.get(fam, (branch, acct)))
            for fam, (_, branch, acct) in BANKS.items()}
