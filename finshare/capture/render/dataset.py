"""A capture set: rendered invoices and bank receipts with their truth, for benchmarking the pipeline.

:func:`render_set` writes ``invoice_0001.png`` …, ``receipt_0001.png`` …
(or ``.pdf``, one page each) and ``truth.json``, a list of page truths::

    {"file", "kind", "family", "fields": {name: text}, "boxes": {name: [l, t, w, h]},
     "items": [...], "noise": [names]}

Boxes are in the coordinates of the written image: on a noisy page they
are carried through the rotation or perspective (the axis-aligned box of
the moved corners). Everything comes from one seed: the same seed writes
the same truth.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...core.problems import FinshareError, Problem, Source
from .fields import INVOICE_FAMILIES, RECEIPT_FAMILIES, draw_invoice as invoice_truth, draw_receipt as receipt_truth
from .invoice import draw_invoice
from .noise import move_boxes, noisy
from .parties import from_master, invented, our_accounts
from .receipt import draw_receipt

DPI = 150


def render_page(kind: str, family: str, rng: np.random.Generator, others: list, ours: dict,
                make_noisy: bool = False) -> tuple:
    """One page: its truth (without ``file``) and its image.

    Parameters
    ----------
    kind : {"invoice", "receipt"}
    family : str
        An invoice family (``digital_special`` …) or a bank (``icbc`` …).
    rng : numpy.random.Generator
        The page's own generator.
    others : list of Party
        Sellers (invoices) or counterparties (receipts).
    ours : dict
        Our account per bank (:func:`parties.our_accounts`).
    make_noisy : bool
        Apply :func:`noise.noisy` and move the boxes with it.
    """
    if kind == "invoice":
        truth = invoice_truth(rng, family, others)
        truth["family"] = family
        page = draw_invoice(truth, rng)
    else:
        truth = receipt_truth(rng, family, ours[family], others)
        truth["family"] = family
        page = draw_receipt(truth, rng)
    image, boxes, names = page.image, page.boxes, []
    if make_noisy:
        image, matrix, names = noisy(image, rng)
        boxes = move_boxes(boxes, matrix, image.size)
    page_truth = {"kind": kind, "family": family, "fields": truth["fields"],
                  "boxes": {k: boxes[k] for k in truth["fields"] if k in boxes},
                  "items": [{k: v for k, v in item.items()} for item in truth["items"]], "noise": names}
    return page_truth, image


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FinshareError([Problem("bad-value", f"{out} 已存在且不是空文件夹 / {out} exists and is not an empty folder",
                                     Source(file=str(out)), "指定一个新的或空的文件夹 / give a new or empty folder")])


def render_set(out, seed: int, n_invoices: int = 50, n_receipts: int = 50, noisy_share: float = 0.5,
               fmt: str = "png", master=None) -> list[dict]:
    """Render a set of invoices and receipts into ``out`` with ``truth.json``; return the page truths.

    Families take turns (each of the five invoice families and four banks
    appears when there are enough pages); ``noisy_share × n`` pages (half up)
    of each kind, chosen by the seed, get noise.

    Parameters
    ----------
    out : path
        New or empty folder.
    seed : int
    n_invoices, n_receipts : int
    noisy_share : float
        0..1.
    fmt : {"png", "pdf"}
        PDF pages are one-page files at 150 dpi.
    master : path, optional
        Master-data folder for names and credit codes (default: ``datasets/fujian-2020/masterdata``).
    """
    out = Path(out)
    if fmt not in ("png", "pdf") or not 0 <= noisy_share <= 1 or min(n_invoices, n_receipts) < 0:
        raise FinshareError([Problem("bad-value", "format 应为 png 或 pdf，noisy 在 0 到 1 之间，张数不能为负 / format must "
                                     "be png or pdf, noisy between 0 and 1, counts not negative",
                                     Source(field="capture-set"), "改正参数 / correct the option")])
    _check_out(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    others = from_master(master) + invented(rng, 4)      # a few sellers and payers the master does not know
    ours = our_accounts(master)
    truths = []
    for kind, n, families in (("invoice", n_invoices, INVOICE_FAMILIES), ("receipt", n_receipts, RECEIPT_FAMILIES)):
        noisy_pages = set(rng.permutation(n)[:int(noisy_share * n + 0.5)].tolist())
        for i in range(n):
            page_rng = np.random.default_rng([seed, len(kind), i])
            truth, image = render_page(kind, families[i % len(families)], page_rng, others, ours, i in noisy_pages)
            name = f"{kind}_{i + 1:04d}.{fmt}"
            image.save(out / name, **({"resolution": DPI} if fmt == "pdf" else {"dpi": (DPI, DPI)}))
            truths.append({"file": name, **truth})
    (out / "truth.json").write_text(json.dumps(truths, ensure_ascii=False, indent=1), encoding="utf-8")
    return truths
