"""Builds cmb_detail.xlsx, the hand-written CMB (招商银行 企业银行) fixture: run once, commit the result.

Meta rows and a blank row before the header (row 7), a date stored as a number, amounts as numbers
and one as text with a thousands separator, totals after the data.
"""
from pathlib import Path

from openpyxl import Workbook

HEADER = ("交易日 交易时间 起息日 交易类型 借方金额 贷方金额 余额 摘要 流水号 流程实例号 业务名称 用途 业务参考号 "
          "业务摘要 其它摘要 收/付方分行名 收/付方名称 收/付方帐号").split()
ROWS = [
    ["招商银行 交易明细"],
    ["公司名称", "福建制造公司深圳制造工厂", None, "银行帐号", "755912345610888"],
    ["查询开始日期", "20200301", None, "查询结束日期", "20200331"],
    ["币种", "人民币"],
    [],
    [],
    HEADER,
    [20200302, "093000", "20200302", "转账", None, 88000, 288000, "货款", "K0001", None, None, "SO-0302", None,
     None, None, "厦门", "厦门美的电器销售有限公司", "592902222210888"],
    ["20200305", "101500", "20200305", "代扣", "12,345.67", None, 275654.33, "电费", "K0002", None, None, None,
     None, None, None, "厦门", "国网福建省电力有限公司厦门供电公司", "35001000000052"],
    ["20200331", "170000", "20200331", "收费", 2.5, None, 275651.83, "手续费", "K0003"],
    ["合计", None, None, None, 12348.17, 88000],
    ["借方笔数：2，贷方笔数：1"],
]

wb = Workbook()
ws = wb.active
for row in ROWS:
    ws.append(row)
wb.save(Path(__file__).with_name("cmb_detail.xlsx"))
