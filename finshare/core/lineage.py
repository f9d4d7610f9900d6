"""Lineage (凭证追溯): document → business voucher → GL voucher, as a networkx graph.

Nodes are strings with a kind attribute:

* ``doc:<type>:<number>`` — a business document (kind ``document``);
* ``bv:<book>/<period>/<voucher_no>`` and ``gl:…`` — vouchers;
* journal ``line_id`` values — voucher lines (kind ``business_line`` / ``gl_line``).

Edges point downstream: document → business voucher → business line →
GL line ← GL voucher. Build it for the part of the journal you are tracing:
it holds one node per line.
"""
from __future__ import annotations

import networkx as nx
import pandas as pd


def build_lineage(journal: pd.DataFrame, links: pd.DataFrame) -> nx.DiGraph:
    """The lineage graph of journal lines (both kinds) and their GL links."""
    g = nx.DiGraph()
    text = journal.astype({c: str for c in ("kind", "book", "period", "voucher_no", "source_type", "source_no")})
    bv = text[text["kind"] == "business"]
    gl = text[text["kind"] == "gl"]
    doc = "doc:" + bv["source_type"] + ":" + bv["source_no"]
    bvv = "bv:" + bv["book"] + "/" + bv["period"] + "/" + bv["voucher_no"]
    glv = "gl:" + gl["book"] + "/" + gl["period"] + "/" + gl["voucher_no"]
    g.add_nodes_from(doc.unique(), kind="document")
    g.add_nodes_from(bvv.unique(), kind="business_voucher")
    g.add_nodes_from(glv.unique(), kind="gl_voucher")
    g.add_nodes_from(bv["line_id"], kind="business_line")
    g.add_nodes_from(gl["line_id"], kind="gl_line")
    g.add_edges_from(zip(doc, bvv))
    g.add_edges_from(zip(bvv, bv["line_id"]))
    g.add_edges_from(zip(glv, gl["line_id"]))
    g.add_edges_from(zip(links["business_line_id"], links["gl_line_id"]))
    return g


def documents_of(g: nx.DiGraph, line_id: str) -> set[tuple[str, str]]:
    """Where did this GL (or business) line come from: ``{(doc_type, number)}``."""
    out = set()
    for node in nx.ancestors(g, line_id):
        if g.nodes[node].get("kind") == "document":
            _, typ, no = node.split(":", 2)
            out.add((typ, no))
    return out


def produced_by(g: nx.DiGraph, doc_type: str, number: str) -> dict[str, set[str]]:
    """What did this document produce: business and GL vouchers (``book/period/voucher_no``)."""
    node = f"doc:{doc_type}:{number}"
    out = {"business": set(), "gl": set()}
    if node not in g:
        return out
    lines = set()
    for v in g.successors(node):
        out["business"].add(v[3:])
        lines.update(g.successors(v))
    for line in lines:
        for gl_line in g.successors(line):
            for voucher in g.predecessors(gl_line):
                if g.nodes[voucher].get("kind") == "gl_voucher":
                    out["gl"].add(voucher[3:])
    return out
