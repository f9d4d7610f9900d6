"""The Chinese half of a problem's fix (修正方法), by problem code.

A :class:`~finshare.core.problems.Problem` carries its hint in English,
often with specifics (the accounts, values or files to use). Printed, a
hint written only in English gets the Chinese sentence of its code in front:
``修正：改用其下级科目 / post to one of its sub-accounts: 220201, 220202``.
Hints that already start in Chinese are shown as written.
"""
from __future__ import annotations

import re

#: The fix in Chinese, per problem code (the English hint follows with its specifics).
HINTS_ZH = {
    "unbalanced-voucher": "检查行条件：每张单据生成的借方与贷方金额必须相等",
    "bad-close-rules": "按 finshare/data/close.yaml 的格式写期末处理规则",
    "no-close-rule": "在案例的 close.yaml 中为该科目表补上这条期末处理规则",
    "close-out-of-order": "按月份顺序结账：先结更早的期间",
    "bad-asset-life": "在 books.yaml 的会计政策中写 asset_life: life_cas 或 life_hkfrs，并检查资产卡片的使用年限",
    "balances-unbalanced": "检查科目余额表：借方合计必须等于贷方合计",
    "bad-year": "年份写四位数字，如 2020",
    "unbalanced-template": "检查模板的借贷方分录行：借方与贷方金额必须相等",
    "non-leaf-account": "改记到它的下级（末级）科目",
    "missing-dimension": "在模板分录行中补充核算项目，或补全单据上的对应字段",
    "unknown-account": "改用科目表中存在的科目，或先把科目加进科目表",
    "unmapped-account": "在科目对照表中为该科目（或其上级）增加一行对照",
    "bad-condition": "条件只能使用字段名、字面量、比较、in 和 and/or/not",
    "bad-condition-type": "让比较的两边类型一致",
    "bad-condition-value": "改用该字段允许的取值",
    "condition-too-deep": "简化条件：少用嵌套的 not，或拆成几条分录行或几个业务分类",
    "no-business-class": "修改业务分类条件，使每张单据恰好匹配一个分类",
    "ambiguous-business-class": "修改业务分类条件，使每张单据恰好匹配一个分类",
    "bad-uscc": "对照营业执照核对 18 位统一社会信用代码",
    "duplicate-uscc": "每个统一社会信用代码只能出现一次",
    "bad-value": "改用允许的取值",
    "missing-value": "填写这个必填字段",
    "duplicate-code": "编码必须唯一：修改或删除重复的行",
    "missing-code": "给每一行填写编码",
    "unknown-parent": "先增加上级科目，或清空上级科目列",
    "bad-normal-balance": "余额方向填写 借、贷 或 借/贷",
    "bad-category": "科目类别填写 资产、负债、共同、所有者权益、成本 或 损益",
    "unknown-dimension": "核算项目只能使用已定义的项目",
    "missing-column": "补上缺少的列",
    "unknown-column": "删除或改正这一列的列名",
    "unknown-field": "改用单据类型中已定义的字段",
    "unknown-reference": "先在基础资料中增加这个编码，或改用已有的编码",
    "unknown-document": "核对单据编号",
    "unknown-line": "核对行号",
    "document-approved": "先反审核（退回已提交状态），再修改单据",
    "already-reversed": "一张凭证只能冲销一次",
    "nothing-to-reverse": "查看这张单据的业务凭证",
    "posted-document-changed": "已过账的单据先反审核、红字冲销，再修改并重新审核",
    "period-closed": "先重新打开该期间，或把凭证日期放进未结账的期间",
    "missing-rate": "在汇率表中补充这一天的汇率",
    "rounding-difference": "在 books.yaml 中为账簿设置汇率折算尾差科目 rounding_account",
    "bad-rate": "汇率写成正数，例如 1.10",
    "unknown-book": "改用 books.yaml 中已有的账簿代码",
    "unknown-currency": "改用已知的币别代码（ISO 4217）",
    "missing-documents": "连同单据一起加载案例",
    "ic-currency": "内部交易单据使用列报货币",
    "bad-date": "日期写成 YYYY-MM-DD，例如 2020-03-05",
    "bad-amount": "金额写成数字，例如 20000.00，最多两位小数",
    "missing-file": "检查文件路径",
    "bad-yaml": "检查 YAML 的缩进和冒号",
    "several-templates": "用 template= 指定一个模板",
    "no-template": "为这个单据类型增加一个凭证模板",
    "ledger-busy": "稍后再试：另一个进程正在写账",
}

_CJK = re.compile(r"[\u4e00-\u9fff]")


def bilingual_hint(code: str, hint: str) -> str:
    """``中文 / English`` for a hint that starts in English; a hint that starts in Chinese is kept.

    Examples
    --------
    >>> bilingual_hint("bad-value", "use one of 管理, 销售")
    '改用允许的取值 / use one of 管理, 销售'
    """
    if not hint or _CJK.match(hint.strip()):
        return hint
    zh = HINTS_ZH.get(code)
    return f"{zh} / {hint}" if zh else hint
