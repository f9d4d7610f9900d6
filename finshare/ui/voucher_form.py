"""The voucher as accountants know it (记账凭证), one card per book, as HTML for the studio.

Pure functions from the core's answers to HTML: :func:`voucher_card` draws
one book's voucher of one document — voucher word and number, date, 附单据
count, the 摘要 / 科目 / 借方金额 / 贷方金额 columns and the totals row —
and :func:`books_side_by_side` puts the cards of every book next to each
other, including the books the document does not reach, with the reason.
Stable DOM ids (``fs-vouchers``, ``fs-voucher-<book>``) serve the browser test.
"""
from __future__ import annotations

import html

import pandas as pd

from ..core import money
from ..core.preview import Explanation

#: CSS of the voucher cards: a grid that wraps to one column on narrow screens; tables scroll, never cut.
FORM_STYLE = """
.fs-books{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr));gap:12px;width:100%}
.fs-voucher{border:2px solid #9b2c2c;border-radius:4px;padding:6px 8px;background:#fffdf8;min-width:0}
.fs-voucher.fs-missed{border-color:#bbb;background:#f6f6f6;color:#666}
.fs-voucher h4{margin:0;text-align:center;color:#9b2c2c;letter-spacing:.3em;font-size:16px}
.fs-voucher .fs-book{text-align:center;font-size:12px;color:#333}
.fs-vhead{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px;font-size:12px;margin:4px 0}
.fs-scroll{overflow-x:auto;max-width:100%}
.fs-voucher table{border-collapse:collapse;width:100%;font-size:12.5px}
.fs-voucher th,.fs-voucher td{border:1px solid #c9a4a4;padding:3px 6px;vertical-align:top}
.fs-voucher th{background:#fbeeee;white-space:nowrap}
.fs-voucher td.fs-num{text-align:right;font-family:monospace;white-space:nowrap}
.fs-voucher tr.fs-total td{font-weight:bold;border-top:2px solid #9b2c2c}
.fs-voucher tr.fs-rounding td{color:#555;font-style:italic}
.fs-voucher .fs-off{color:#b00020}
"""
LABELS = {
    "zh": {"title": "记 账 凭 证", "summary": "摘要", "account": "会计科目", "debit": "借方金额", "credit": "贷方金额",
           "total": "合计", "word": "凭证字号", "date": "日期", "attached": "附单据", "sheets": "张",
           "currency": "币别", "orig": "原币", "unbalanced": "借贷不平", "none": "没有分录"},
    "en": {"title": "VOUCHER", "summary": "Summary", "account": "Account", "debit": "Debit", "credit": "Credit",
           "total": "Total", "word": "Voucher no.", "date": "Date", "attached": "Attachments", "sheets": "",
           "currency": "Currency", "orig": "orig.", "unbalanced": "does not balance", "none": "no entries"},
}


def voucher_card(book, lines: pd.DataFrame | None, number: str, lang: str = "zh", attached: int = 1) -> str:
    """One book's voucher as a 记账凭证 card.

    Parameters
    ----------
    book : Book
        The book (currency, chart for the account names).
    lines : pandas.DataFrame
        Entry lines in minor units (``Explanation.books[code][2]``).
    number : str
        Voucher word and number, e.g. ``"记-0002"``, or a placeholder when not numbered.
    lang : {"zh", "en"}
        Language of the account names and headings.
    attached : int
        附单据 count: the source documents behind the voucher.
    """
    t = LABELS[lang]
    head = _card_head(book, lang)
    if lines is None or not len(lines):
        return f'<div class="fs-voucher" id="fs-voucher-{book.code}">{head}<p><i>{t["none"]}</i></p></div>'
    exp = book.exponent
    names = book.chart.full_name(lines["account"].astype(str), lang).fillna("")
    rows = "".join(_entry_row(r, name, exp) for r, name in zip(lines.itertuples(), names))
    dr, cr = int(lines["debit"].sum()), int(lines["credit"].sum())
    off = "" if dr == cr else f' <span class="fs-off">≠ {t["unbalanced"]}</span>'
    total = (f'<tr class="fs-total"><td colspan="2">{t["total"]} ({book.currency}){off}</td>'
             f'<td class="fs-num">{money.display(dr, exp)}</td><td class="fs-num">{money.display(cr, exp)}</td></tr>')
    date = pd.Timestamp(lines["date"].iloc[0]).date().isoformat()
    meta = (f'<div class="fs-vhead"><span>{t["word"]}: <b class="fs-number">{html.escape(number)}</b></span>'
            f'<span>{t["date"]}: {date}</span><span>{t["attached"]} {attached} {t["sheets"]}</span></div>')
    table = (f'<div class="fs-scroll"><table><tr><th>{t["summary"]}</th><th>{t["account"]}</th>'
             f'<th>{t["debit"]}</th><th>{t["credit"]}</th></tr>{rows}{total}</table></div>')
    return f'<div class="fs-voucher" id="fs-voucher-{book.code}">{head}{meta}{table}</div>'


def _card_head(book, lang: str) -> str:
    name = book.name_zh if lang == "zh" else book.name_en
    return (f'<h4>{LABELS[lang]["title"]}</h4><div class="fs-book">{html.escape(book.code)} '
            f'{html.escape(name)} · {book.currency} · {html.escape(book.chart.name)}</div>')


def _entry_row(r, name: str, exp: int) -> str:
    debit = money.display(r.debit, exp) if r.debit else ""
    credit = money.display(r.credit, exp) if r.credit else ""
    dims = " ".join(str(getattr(r, d)) for d in ("supplier", "customer", "department", "employee", "material",
                                                  "bank_account") if getattr(r, d, ""))
    orig = ""
    if str(r.currency_orig) != str(r.currency) and r.amount_orig:
        orig = f'<br><small>{money.display(r.amount_orig, money.EXPONENTS[str(r.currency_orig)])} {r.currency_orig}</small>'
    cls = ' class="fs-rounding"' if str(r.template_line) == "rounding" else ""
    return (f'<tr{cls} data-line="{html.escape(str(r.template_line))}"><td>{html.escape(str(r.summary))}</td>'
            f'<td>{html.escape(str(r.account))} {html.escape(name)}'
            f'{"<br><small>" + html.escape(dims) + "</small>" if dims else ""}{orig}</td>'
            f'<td class="fs-num">{debit}</td><td class="fs-num">{credit}</td></tr>')


def missed_card(book, reason: str, lang: str = "zh") -> str:
    """A book the document does not reach, with the reason (in both languages)."""
    return (f'<div class="fs-voucher fs-missed" id="fs-voucher-{book.code}">{_card_head(book, lang)}'
            f'<p class="fs-reason">{html.escape(reason)}</p></div>')


def books_side_by_side(ex: Explanation, books, numbers: dict, lang: str = "zh") -> str:
    """Every book's voucher for one document, next to each other (``#fs-vouchers``).

    Parameters
    ----------
    ex : Explanation
        :func:`finshare.why` for the document over all books.
    books : Books
        The case's books, in their order.
    numbers : dict
        ``book code -> voucher number`` where the document would be numbered.
    """
    cards = []
    for b in books:
        reaches, reason, lines = ex.books[b.code]
        cards.append(voucher_card(b, lines, numbers.get(b.code, "记-····"), lang) if reaches
                     else missed_card(b, reason, lang))
    return f'<div id="fs-vouchers" class="fs-books">{"".join(cards)}</div>'
