"""The invoice-capture app (发票采集): upload a scan, see its fields boxed, the checks, and the voucher it would post.

An uploaded image or PDF (first page) goes through the capture pipeline
(:func:`finshare.capture.pipeline.capture_file`): the page is shown with the
extracted fields boxed (green ok, red flagged), the fields with their values
and confidence, every check passed or failed, the verdict (accepted or
review) and — for an accepted page — the voucher its document would post in
each book (:func:`finshare.capture.preview.preview_page`, the template
preview on the case). Nothing is stored: each upload is checked on its own
(a fresh duplicate register), the case folder is not written.

    InvoiceCapture.from_environment().widget        # notebooks/apps/invoice_capture.ipynb

Stable DOM ids for browser tests: ``ic-status``, ``ic-problem``, ``ic-verdict``, ``ic-value-<field>``,
``ic-ok-<field>``, ``ic-check-<check>`` (class ``ic-passed`` or ``ic-failed``), ``ic-document``,
``ic-voucher`` (rows ``tr.ic-line`` with cells ``td.ic-book``, ``.ic-side``, ``.ic-account``, ``.ic-debit``,
``.ic-credit``).
"""
from __future__ import annotations

import html
import tempfile
import threading
from pathlib import Path

import ipywidgets as widgets

from ..capture.context import CaptureContext
from ..capture.pipeline import capture_file
from ..capture.preview import entry_lines, preview_page
from ..capture.register import Register
from ..core import money
from ..core.problems import FinshareError
from .capture_figures import boxed_page, png_bytes
from .loading import case_folder, failure_html

#: field → (中文, English) as printed on the form
FIELD_LABELS = {
    "invoice_code": ("发票代码", "invoice code"), "invoice_no": ("发票号码", "invoice number"),
    "date": ("开票日期", "date"), "buyer_name": ("购买方名称", "buyer"), "buyer_tax_id": ("购买方税号", "buyer tax id"),
    "seller_name": ("销售方名称", "seller"), "seller_tax_id": ("销售方税号", "seller tax id"),
    "amount": ("金额", "amount"), "tax_rate": ("税率", "tax rate"), "tax": ("税额", "tax"),
    "total": ("价税合计", "total"), "total_in_words": ("价税合计（大写）", "total in words"),
    "check_code": ("校验码", "check code"), "payer_name": ("付款人", "payer"),
    "payer_account": ("付款账号", "payer account"), "payee_name": ("收款人", "payee"),
    "payee_account": ("收款账号", "payee account"), "amount_in_words": ("金额（大写）", "amount in words"),
    "memo": ("用途", "memo"), "serial_no": ("流水号", "serial number")}
VERDICT = {"accepted": "通过 accepted — 可自动过账 / posts automatically once stored",
           "review": "待复核 review — 人工核对标红的字段 / a clerk checks the fields in red"}
IMAGE_WIDTH = 1000
STYLE = """<style>
.ic-app table.ic-t{border-collapse:collapse;font-size:12.5px;margin:4px 0 10px 0}
.ic-app table.ic-t th,.ic-app table.ic-t td{border:1px solid #c8c8c8;padding:2px 6px;vertical-align:top}
.ic-app table.ic-t th{background:#f1f3f5} .ic-app td.ic-num{text-align:right;font-family:monospace}
.ic-app .ic-passed td.ic-mark,.ic-app .ic-good{color:#1b5e20;font-weight:bold}
.ic-app .ic-failed td.ic-mark,.ic-app .ic-bad{color:#b00020;font-weight:bold}
.ic-app tr.ic-failed,.ic-app tr.ic-flagged{background:#fff5f5}
.ic-app .ic-cols{gap:8px 24px;flex-flow:row wrap} .ic-app .ic-cols>div{min-width:0}
.ic-app img{max-width:100%;height:auto;border:1px solid #ddd}
#ic-status{padding:6px 10px;border-radius:4px;background:#fff8e1;border:1px solid #f0c36d}
#ic-status.fx-ready{background:#eef7ee;border-color:#9bc59d}
#ic-status.fx-failed{background:#fff5f5;border-color:#b00020}
</style>"""


def _status(text: str, state: str = "") -> str:
    return f'<div id="ic-status" class="{state}">{text}</div>'


def fields_html(page: dict) -> str:
    """The page's fields: label, value, confidence and ok (✓/✗), one row each, ids ``ic-value-<field>``."""
    rows = []
    for name, f in page["fields"].items():
        zh, en = FIELD_LABELS.get(name, (name, name))
        ok = bool(f.get("ok"))
        rows.append(f'<tr class="{"ic-ok" if ok else "ic-flagged"}"><td>{zh} {en}</td>'
                    f'<td id="ic-value-{name}">{html.escape(str(f.get("value", "")))}</td>'
                    f'<td class="ic-num">{float(f.get("confidence") or 0):.2f}</td>'
                    f'<td id="ic-ok-{name}" class="{"ic-good" if ok else "ic-bad"}">{"✓" if ok else "✗"}</td></tr>')
    return ('<b>字段 Fields</b><table class="ic-t"><tr><th>字段 Field</th><th>识别值 Value read</th>'
            f'<th>置信度 Confidence</th><th>可用 OK</th></tr>{"".join(rows)}</table>')


def checks_html(page: dict) -> str:
    """Every check of the page, passed ✓ or failed ✗, with its detail; ids ``ic-check-<name>``."""
    rows = "".join(
        f'<tr id="ic-check-{c["name"]}" class="{"ic-passed" if c["passed"] else "ic-failed"}">'
        f'<td>{html.escape(c["name"])}</td><td class="ic-mark">{"✓" if c["passed"] else "✗"}</td>'
        f'<td>{html.escape(c["detail"])}</td></tr>' for c in page["checks"])
    failed = sum(not c["passed"] for c in page["checks"])
    head = f"校验 Checks: {len(page['checks']) - failed}/{len(page['checks'])} 通过 passed"
    return (f'<b>{head}</b><table class="ic-t"><tr><th>校验 Check</th><th></th><th>说明 Detail</th></tr>{rows}'
            "</table>")


def voucher_html(page: dict, preview) -> str:
    """The document and the voucher lines per book for an accepted page; for a page in review, why none posts."""
    if preview.number is None:
        return (f'<div id="ic-document"><b>单据 Document</b>: 无 none — {html.escape(preview.reason)}</div>')
    head = preview.header
    doc = (f'<div id="ic-document"><b>单据 Document</b> {html.escape(preview.doc_type)} '
           f'<span id="ic-number">{html.escape(preview.number)}</span> · {html.escape(str(head.get("org", "")))} · '
           f'{html.escape(str(head.get("supplier", head.get("customer", ""))))}'
           + (f' · 冲回入库单 settles receipt {html.escape(str(head["receipt"]))}' if head.get("receipt") else "")
           + "</div>")
    if page["status"] != "accepted":
        return (doc + '<div id="ic-voucher" class="ic-bad">待复核：若保存则为草稿，复核并审核前不生成凭证 / in review: it '
                "would be stored as a draft and posts no voucher until corrected and approved</div>")
    lines = entry_lines(preview)
    shown = lambda v, cur: money.display(int(v), money.EXPONENTS[cur]) if v else ""      # noqa: E731
    rows = "".join(
        f'<tr class="ic-line"><td class="ic-book">{r.book}</td><td class="ic-side">{r.side}</td>'
        f'<td class="ic-account">{r.account}</td><td>{html.escape(str(r.account_name))}</td>'
        f'<td class="ic-num ic-debit">{shown(r.debit, r.currency)}</td>'
        f'<td class="ic-num ic-credit">{shown(r.credit, r.currency)}</td><td>{r.currency}</td>'
        f'<td>{html.escape(r.supplier or r.customer or r.bank_account)}</td></tr>'
        for r in lines.itertuples())
    return (doc + '<div id="ic-voucher"><b>将生成的凭证 Voucher it would post</b>（预览，不保存 / preview, nothing stored）'
            '<table class="ic-t"><tr><th>账簿 Book</th><th>方向 Side</th><th>科目 Account</th><th>科目名称 Name</th>'
            f'<th>借方 Debit</th><th>贷方 Credit</th><th>币种</th><th>核算项目 Dimension</th></tr>{rows}</table></div>')


class InvoiceCapture:
    """Upload a scanned invoice (or bank receipt); see its fields boxed, its checks and the voucher it would post.

    Parameters
    ----------
    case_dir : str or Path
        A case folder with purchase receipts waiting for invoices (e.g. ``datasets/fujian-2020``); not written.
    """

    def __init__(self, case_dir):
        self.case_dir = Path(case_dir)
        self.case, self.context, self.page = None, None, None
        self._upload_dir = tempfile.TemporaryDirectory(prefix="finshare-capture-")
        self.status = widgets.HTML(_status(f"正在加载案例 {html.escape(self.case_dir.name)}… / loading the case…"))
        self.upload = widgets.FileUpload(accept="image/*,.pdf", multiple=False, disabled=True,
                                         description="上传发票 Upload invoice", layout=widgets.Layout(width="auto"))
        self.problem, self.verdict, self.fields, self.checks, self.voucher = (widgets.HTML() for _ in range(5))
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width=f"{IMAGE_WIDTH}px", width="100%"))
        self.image.layout.display = "none"
        self.out = widgets.Output()
        self.upload.observe(self.out.capture()(lambda c: self.use_upload(c["new"])), "value")
        self.widget = self._layout()

    @classmethod
    def from_environment(cls, start: bool = True) -> "InvoiceCapture":
        """The case in ``FINSHARE_CASE`` (else ``datasets/fujian-2020`` above here), loaded in the background."""
        case_dir = case_folder()
        app = cls(case_dir)
        if start:
            threading.Thread(target=app.load, daemon=True, name="finshare-capture-load").start()
        return app

    def load(self) -> None:
        """Load the case and its capture context; then uploads are accepted."""
        from .. import load_case
        try:
            self.case = load_case(self.case_dir)
            self.context = CaptureContext.from_case(self.case)
        except Exception as exc:                            # noqa: BLE001 — shown, not swallowed
            self.status.value = _status(failure_html(exc), "fx-failed")
            return
        self.upload.disabled = False
        self.status.value = _status(f"案例 case {html.escape(self.case_dir.name)} 已加载；请上传发票图片或 PDF / "
                                    "loaded: upload an invoice image or PDF", "fx-ready")

    def _layout(self) -> widgets.Box:
        head = widgets.HTML("<h3 style='margin:4px 0'>发票采集 Invoice capture</h3><div>上传发票扫描件：识别字段、逐项校验，"
                            "通过的发票预览其将生成的凭证；不保存任何数据 / upload a scan: fields read and checked, and for an "
                            "accepted invoice the voucher it would post; nothing is stored</div>")
        cols = widgets.HBox([self.fields, self.checks])
        cols.add_class("ic-cols")
        box = widgets.VBox([widgets.HTML(STYLE), head, self.status, self.upload, self.problem, self.verdict,
                            self.image, cols, self.voucher, self.out], layout=widgets.Layout(width="100%"))
        box.add_class("ic-app")
        return box

    def use_upload(self, files) -> None:
        """Capture the first page of an uploaded file and show every panel; a bad file shows its problem."""
        if not files:
            return
        f = files[0]
        path = Path(self._upload_dir.name) / Path(f["name"]).name
        path.write_bytes(bytes(f["content"]))
        self.status.value = _status(f"正在识别 {html.escape(path.name)}… / reading the page…")
        self.context.register = Register()                 # a preview is checked on its own, never remembered
        try:
            page = capture_file(path, context=self.context)[0]
            preview = preview_page(page, self.case, self.context)
        except FinshareError as exc:
            self.show_problem(exc)
            return
        self.show(page, preview, path)

    def show(self, page: dict, preview, path: Path) -> None:
        """Draw the boxed page, fields, checks, verdict and voucher of a captured page."""
        self.page = page
        self.problem.value = ""
        self.image.value = png_bytes(boxed_page(path, page["fields"]), IMAGE_WIDTH)
        self.image.layout.display = ""
        state = "ic-good" if page["status"] == "accepted" else "ic-bad"
        self.verdict.value = (f'<div>{html.escape(path.name)} · {page["kind"]}/{page["family"]} · '
                              f'<span id="ic-verdict" class="{state}" data-status="{page["status"]}">'
                              f'{VERDICT.get(page["status"], page["status"])}</span></div>')
        self.fields.value = fields_html(page)
        self.checks.value = checks_html(page)
        self.voucher.value = voucher_html(page, preview)
        self.status.value = _status(f"已识别 read {html.escape(path.name)}；可再上传 / upload another", "fx-ready")

    def show_problem(self, exc: FinshareError) -> None:
        self.page = None
        self.problem.value = f'<div id="ic-problem">{exc._repr_html_()}</div>'
        self.verdict.value = self.fields.value = self.checks.value = self.voucher.value = ""
        self.image.layout.display = "none"
        self.status.value = _status("文件无法识别，见下 / the file could not be read: see below", "fx-ready")


__all__ = ["InvoiceCapture", "checks_html", "fields_html", "voucher_html"]
