"""The voucher studio without a browser: the 记账凭证 cards of every book, numbers, the edited line in errors."""
import finshare
from finshare.ui import VoucherStudio
from finshare.ui.voucher_form import voucher_card


def test_every_book_side_by_side_with_numbers_and_totals(fujian):
    studio = VoucherStudio(fujian, "CG002")
    html = studio.vouchers_panel.value
    assert [html.count(f'id="fs-voucher-{b}"') for b in ("VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS")] == [1, 1, 1, 1]
    assert 'class="fs-voucher fs-missed" id="fs-voucher-VN-MGT"' in html
    assert studio.numbers() == {"CN-MGT": "记-0002", "FJ-CAS": "记-0002", "FJ-HKFRS": "记-0002"}
    assert ('<tr class="fs-total"><td colspan="2">合计 (HKD)</td><td class="fs-num">11,000.00</td>'
            '<td class="fs-num">11,000.00</td></tr>') in html


def test_voucher_card_in_english(fujian):
    ex = finshare.why(fujian, "CG001", "FJ-CAS")
    html = voucher_card(fujian.books["FJ-CAS"], ex.books["FJ-CAS"][2], "记-0001", "en")
    assert "<th>Summary</th><th>Account</th><th>Debit</th><th>Credit</th>" in html
    assert "1403 Raw materials" in html and "220202 Accounts payable - Accrued payables" in html
    assert "Attachments 1" in html and "Date: 2020-03-05" in html


def test_an_unbalancing_edit_names_the_edited_line(fujian):
    studio = VoucherStudio(fujian, "CG003")
    studio.edit("EXP", "1", '部门属性 in ("管理", "销售")')
    assert [p.code for p in studio.error.problems] == ["unbalanced-voucher"] * 3
    assert "你修改的分录行 line you edited: EXP/1 借 6602 when 部门属性 in (&quot;管理&quot;, &quot;销售&quot;)" \
        in studio.error_panel.value
    assert studio.error.context.startswith("修改分录行 EXP/1 后，预览发现问题，不能过账 / after your edit of line EXP/1")
    assert "≠ 借贷不平" in studio.vouchers_panel.value
    studio.edit("EXP", "2", '部门属性 == "研发"')
    assert studio.error is None and "6602 管理费用" in studio.vouchers_panel.value
    studio.edit("EXP", "1", "1 +")
    assert studio.error.context == "分录行 EXP/1 的条件没有修改 / the condition of line EXP/1 was not changed"
    studio.restore()
    assert studio.error is None and studio.edited is None and "6601 销售费用" in studio.vouchers_panel.value
