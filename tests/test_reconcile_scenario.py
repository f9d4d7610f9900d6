"""Bank matching on generated scenarios with ground truth: accuracy, the 调节表, lines matched once."""
import numpy as np
import pandas as pd
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from finshare.core.problems import FinshareError
from finshare.reconcile.adjusted import statement
from finshare.reconcile.bank import BankOptions, period_days, reconcile_bank
from finshare.reconcile.names import learn_aliases
from finshare.reconcile.rules import load_rules
from finshare.reconcile.samples import bank_scenario

OPENING = 100_000_000          # the scenario's opening balance, both sides (1,000,000.00)


@pytest.fixture(scope="module")
def scenario():
    return bank_scenario(11, 3000, "2020-01", 3)


@pytest.fixture(scope="module")
def feb(scenario):
    bank, journal, _ = scenario
    return reconcile_bank(bank, journal, "1002", "2020-02", BankOptions(book_opening=OPENING))


def _key(rows, ids):
    rows = rows if isinstance(rows, (list, tuple)) else []
    ids = ids if isinstance(ids, (list, tuple)) else []
    return tuple(sorted(int(r) for r in rows)), tuple(sorted(ids))


def true_groups(scenario, period):
    """Truth groups of two lines or more with a line in the period or spanning it."""
    bank, journal, truth = scenario
    start, end = (pd.Timestamp(d) for d in (pd.Period(period, "M").start_time, pd.Period(period, "M").end_time))
    bday = bank.set_index("row")["date"]
    jday = journal.set_index("line_id")["date"]
    out = set()
    for rows, ids in zip(truth.groups["statement_rows"], truth.groups["journal_lines"]):
        days = [bday[r] for r in rows] + [jday[i] for i in ids]
        if len(days) >= 2 and min(days) <= end and max(days) >= start.normalize():
            out.add(_key(rows, ids))
    return out


def test_accuracy_against_the_truth(scenario, feb):
    truth = true_groups(scenario, "2020-02")
    m = feb.matches()
    auto = [_key(r, i) for r, i, s in zip(m["statement_rows"], m["journal_lines"], m["status"]) if s == "auto"]
    prop = [_key(r, i) for r, i, s in zip(m["statement_rows"], m["journal_lines"], m["status"]) if s == "proposed"]
    right = sum(k in truth for k in auto)
    assert len(truth) > 1000
    assert right / len(auto) >= 0.999                       # automatic matches are right
    assert right / len(truth) >= 0.90                       # and cover nine groups in ten
    assert (right + sum(k in truth for k in prop)) / len(truth) >= 0.97


def test_statement_of_the_true_matches_equals_the_truth(scenario, feb):
    bank, journal, truth = scenario
    sizes = truth.groups.set_index("group")
    alone = sizes.index[(sizes["statement_rows"].map(len) + sizes["journal_lines"].map(len)) < 2]
    as_group = lambda g: np.where(np.isin(g, alone), -1, g)   # noqa: E731  a line alone is in no match
    book_group = as_group(pd.Series(feb.book["line_id"]).map(truth.book.set_index("line_id")["group"]).to_numpy())
    bank_group = as_group(pd.Series(feb.bank["row"]).map(truth.bank.set_index("row")["group"]).to_numpy())
    end = period_days("2020-02")[1]
    st_ = statement(feb.book, feb.bank, book_group, bank_group, end, feb.statement.book_balance,
                    feb.statement.bank_balance)
    want = truth.items(bank, journal, "2020-02")
    assert sorted(zip(st_.items["kind"], st_.items["id"].astype(str), st_.items["amount"])) == \
        sorted(zip(want["kind"], want["id"].astype(str), want["amount"]))
    assert st_.agrees and set(want["kind"]) == {"企收银未", "企付银未", "银收企未", "银付企未"}


def test_matched_statement_agrees_and_misses_only_true_pairs(scenario):
    bank, journal, truth = scenario
    rec = reconcile_bank(bank, journal, "1002", "2020-02", BankOptions(book_opening=OPENING, accept_proposed=True))
    assert rec.statement.agrees
    # the bank balance is the statement's own printed balance on 29 February, worked independently
    feb_end = bank[bank["date"] <= "2020-02-29"]
    assert rec.statement.bank_balance == OPENING + feb_end["amount"].sum() == feb_end["balance"].iloc[-1]
    want = truth.items(bank, journal, "2020-02")
    got = set(zip(rec.statement.items["side"], rec.statement.items["id"].astype(str)))
    true = set(zip(want["side"], want["id"].astype(str)))
    assert len(true - got) <= 0.01 * len(true)
    # an extra item is a line of a true bank↔book match the matcher missed, never a true item
    extra_groups = [truth.bank.set_index("row")["group"][int(i)] if s == "bank"
                    else truth.book.set_index("line_id")["group"][i] for s, i in got - true]
    g = truth.groups.set_index("group")
    assert all(len(g.loc[x, "statement_rows"]) and len(g.loc[x, "journal_lines"]) for x in extra_groups)
    assert len(got - true) <= 0.1 * len(true)
    assert (rec.statement.items["day"] <= period_days("2020-02")[1]).all()   # next month's lines are no items


def test_aliases_learned_in_january_help_in_february(scenario, feb):
    bank, journal, _ = scenario
    jan = reconcile_bank(bank, journal, "1002", "2020-01", BankOptions(book_opening=OPENING, accept_proposed=True))
    table = learn_aliases(jan)
    owners = set(bank["counterparty"]) - set(journal["counterparty_name"])
    assert owners & set(table["bank_name"])               # owners' card names were learned
    again = reconcile_bank(bank, journal, "1002", "2020-02", BankOptions(book_opening=OPENING, aliases=table))
    truth = true_groups(scenario, "2020-02")
    right = lambda r: sum(_key(a, b) in truth for a, b, s in   # noqa: E731
                          zip(r.matches()["statement_rows"], r.matches()["journal_lines"], r.matches()["status"])
                          if s == "auto")
    assert right(again) > right(feb)


def test_same_seed_same_scenario():
    a, b = bank_scenario(5, 200, "2020-03", 1), bank_scenario(5, 200, "2020-03", 1)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert not bank_scenario(6, 200, "2020-03", 1)[0].equals(a[0])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(5, 300), months=st.integers(1, 3))
@example(seed=8356, n=5, months=2)            # no bank line in the period: the balance comes from the first line
def test_no_line_is_matched_twice(seed, n, months):
    bank, journal, _ = bank_scenario(seed, n, "2020-01", months)
    rec = reconcile_bank(bank, journal, "1002", "2020-01", BankOptions(book_opening=OPENING, accept_proposed=True))
    rows = np.concatenate([np.asarray(r, dtype="int64") for r in rec.matches()["statement_rows"]
                           if isinstance(r, list)] + [np.zeros(0, "int64")])
    ids = [i for x in rec.matches()["journal_lines"] if isinstance(x, list) for i in x]
    assert len(rows) == len(set(rows)) and len(ids) == len(set(ids))
    links = rec.found.bank_links["pos"], rec.found.book_links["pos"]
    assert not links[0].duplicated().any() and not links[1].duplicated().any()
    # every line on or before the end is matched, proposed or listed unmatched with a reason, never two of these
    jan_rows = set(bank.loc[bank["date"] <= "2020-01-31", "row"])
    unmatched = set(rec.unmatched("bank")["row"])
    assert not unmatched & set(rows)
    in_any = set(rec.bank["row"].to_numpy()[links[0]])
    assert jan_rows <= unmatched | in_any
    assert rec.statement.agrees


def test_user_rules_reorder_and_disable(scenario, tmp_path):
    bank, journal, _ = scenario
    text = Path(load_rules().source).read_text(encoding="utf-8")
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace("  - name: reference\n", "  - name: reference\n    enabled: false\n"),
                    encoding="utf-8")
    rec = reconcile_bank(bank, journal, "1002", "2020-02", BankOptions(book_opening=OPENING, rules=path))
    assert "reference" not in set(rec.matches()["rule"]) and "reference" in set(
        reconcile_bank(bank, journal, "1002", "2020-02", BankOptions(book_opening=OPENING)).matches()["rule"])
    assert [r.name for r in load_rules(path).rules][:2] == ["reversal", "amount_date_counterparty"]


def test_bad_rules_file_names_line_and_field(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("thresholds: {auto: 0.9, propose: 0.5}\nrules:\n  - name: r1\n    kind: one_to_one\n"
                    "    keys: [amount]\n    window_days: 3\n  - name: r2\n    kind: many_to_many\n"
                    "    keys: [amount, colour]\n    window_days: -1\n", encoding="utf-8")
    with pytest.raises(FinshareError) as err:
        load_rules(path)
    got = [(p.code, p.source.line, p.source.field) for p in err.value.problems]
    assert got == [("bad-reconcile-rules", 7, "kind"), ("bad-reconcile-rules", 7, "keys"),
                   ("bad-reconcile-rules", 7, "window_days")]
    assert "many_to_many" in err.value.problems[0].message
