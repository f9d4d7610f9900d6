"""Pairing the two sides' documents one to one: by a shared key where one exists, else by amount and date.

- **Shipments**: the seller's AR invoice against the buyer's purchase receipt. The case's documents
  share no reference between them, so they pair by product, quantity and amount (transaction
  currency) with the receipt dated within ``window`` days of the invoice; what is left pairs by
  product alone within the window (same goods, different amount → reason ``amount``).
- **Settlements**: cash received by the seller against cash paid by the buyer, by the shared key
  the documents carry (receipt → AR invoice → paired purchase receipt ← AP invoice ← payment); what
  is left pairs by amount within the window.

Each pass is an assignment problem on the candidate pairs (cost: days apart, then amount apart),
solved exactly where a document has several candidates: the most pairs, then the least cost
(:func:`networkx.max_weight_matching` on the candidates that compete, usually a handful).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import networkx as nx

PAIR = ["ar_doc", "ap_doc", "kind"]


def pair_all(ar: pd.DataFrame, ap: pd.DataFrame, window: int) -> pd.DataFrame:
    """``ar_doc, ap_doc, kind`` for every item of both sides (``""`` where a side has none).

    ``ar`` and ``ap`` are items (:func:`~finshare.reconcile.intercompany.items.items`); AP invoices are
    not paired themselves: they belong to their receipt's pair.
    """
    ships = _passes(ar[ar["role"] == "shipment"], ap[ap["role"] == "shipment"], window,
                    [["material", "qty", "full"], ["material"]])
    ar_set, ap_set = ar[ar["role"] == "settlement"], ap[ap["role"] == "settlement"]
    receipt_of_invoice = ap[ap["role"] == "invoice"].set_index("doc")["ref"]
    paired_receipt = ships[ships["ar_doc"] != ""].set_index("ar_doc")["ap_doc"]
    linked = _assign(ar_set.assign(link=ar_set["ref"].map(paired_receipt)).dropna(subset=["link"]),
                     ap_set.assign(link=ap_set["ref"].map(receipt_of_invoice)).dropna(subset=["link"]),
                     ["link"], window, np.inf)
    rest = _passes(ar_set[~ar_set["doc"].isin(linked["ar_doc"])], ap_set[~ap_set["doc"].isin(linked["ap_doc"])],
                   window, [["full"]])
    settle = pd.concat([linked, rest], ignore_index=True)
    others = [pd.DataFrame({"ar_doc": ar.loc[ar["role"] == "other", "doc"], "ap_doc": ""}),
              pd.DataFrame({"ar_doc": "", "ap_doc": ap.loc[ap["role"] == "other", "doc"]})]
    return pd.concat([ships.assign(kind="shipment"), settle.assign(kind="settlement"),
                      pd.concat(others, ignore_index=True).assign(kind="other")], ignore_index=True)[PAIR]


def _passes(ar: pd.DataFrame, ap: pd.DataFrame, window: int, keys: list) -> pd.DataFrame:
    """Pair in passes, one key list each; the unpaired are left with ``""`` on the other side."""
    found = []
    for key in keys:  # two passes at most
        got = _assign(ar, ap, key, window, window)
        found.append(got)
        ar, ap = ar[~ar["doc"].isin(got["ar_doc"])], ap[~ap["doc"].isin(got["ap_doc"])]
    found += [pd.DataFrame({"ar_doc": ar["doc"], "ap_doc": ""}), pd.DataFrame({"ar_doc": "", "ap_doc": ap["doc"]})]
    return pd.concat(found, ignore_index=True)[["ar_doc", "ap_doc"]]


def _assign(ar: pd.DataFrame, ap: pd.DataFrame, key: list, window: int, limit: float) -> pd.DataFrame:
    """One-to-one pairs among the candidates equal on ``key`` and at most ``limit`` days apart."""
    on = [f"k_{k}" for k in key]
    left = ar[["doc", "date", "full"]].assign(**{f"k_{k}": ar[k].to_numpy() for k in key})
    right = ap[["doc", "date", "full"]].assign(**{f"k_{k}": ap[k].to_numpy() for k in key})
    cand = left.merge(right, on=on, how="inner", suffixes=("_ar", "_ap"))
    days = (cand["date_ap"] - cand["date_ar"]).dt.days.abs().to_numpy()
    differ = (cand["full_ar"] != cand["full_ap"]).to_numpy()
    cand = cand.assign(cost=days + differ * (window + 1))[days <= limit]
    return one_to_one(cand.rename(columns={"doc_ar": "ar_doc", "doc_ap": "ap_doc"}))


def one_to_one(cand: pd.DataFrame) -> pd.DataFrame:
    """A least-cost one-to-one choice among candidate pairs ``ar_doc, ap_doc, cost``."""
    if not len(cand):
        return pd.DataFrame({"ar_doc": pd.Series(dtype=object), "ap_doc": pd.Series(dtype=object)})
    n_ar = cand.groupby("ar_doc")["ap_doc"].transform("size")
    n_ap = cand.groupby("ap_doc")["ar_doc"].transform("size")
    alone = ((n_ar == 1) & (n_ap == 1)).to_numpy()
    knot = cand[~alone]
    graph = nx.Graph()
    top = float(knot["cost"].max()) + 1 if len(knot) else 1.0
    graph.add_weighted_edges_from(zip("a" + knot["ar_doc"].astype(str), "b" + knot["ap_doc"].astype(str),
                                      top - knot["cost"].to_numpy(float)))
    chosen = [sorted(e) for e in nx.max_weight_matching(graph, maxcardinality=True)]
    picked = pd.DataFrame([(a[1:], b[1:]) for a, b in chosen], columns=["ar_doc", "ap_doc"])
    return pd.concat([cand.loc[alone, ["ar_doc", "ap_doc"]], picked.sort_values("ar_doc")], ignore_index=True)
