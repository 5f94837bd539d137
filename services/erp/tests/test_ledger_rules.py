"""The rules of double entry: every posting rule balances, and nothing unbalanced passes."""

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erp.finance.ledger import domain
from erp.finance.ledger.domain import Posting, UnbalancedEntry
from erp.finance.reports import domain as reports

D = Decimal
AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)

RULES = {
    "invoice_issued": lambda a: domain.invoice_issued(a, (a * D("0.23")).quantize(D("0.01"))),
    "goods_shipped": domain.goods_shipped,
    "goods_received": domain.goods_received,
    "supplier_billed": domain.supplier_billed,
    "customer_paid": domain.customer_paid,
    "supplier_paid": domain.supplier_paid,
}


def _sides(lines: list[Posting]) -> tuple[Decimal, Decimal]:
    return sum((x.debit for x in lines), D(0)), sum((x.credit for x in lines), D(0))


@pytest.mark.parametrize("rule", sorted(RULES))
@given(amount=AMOUNTS)
@settings(max_examples=25)
def test_every_posting_rule_balances(rule: str, amount: Decimal) -> None:
    lines = RULES[rule](amount)
    debits, credits = _sides(lines)
    assert debits == credits > 0
    assert all(x.account in domain.SYSTEM_ACCOUNTS for x in lines)


def test_an_invoice_posts_receivable_revenue_and_tax() -> None:
    assert domain.invoice_issued(D("300.00"), D("69.00")) == [
        Posting(domain.RECEIVABLES, debit=D("369.00")),
        Posting(domain.REVENUE, credit=D("300.00")),
        Posting(domain.TAX_PAYABLE, credit=D("69.00")),
    ]


def test_a_tax_free_invoice_leaves_out_the_tax_line() -> None:
    lines = domain.invoice_issued(D("50.00"), D("0"))
    assert [x.account for x in lines] == [domain.RECEIVABLES, domain.REVENUE]


@pytest.mark.parametrize(
    "lines",
    [
        [Posting("1000", debit=D("10.00")), Posting("4000", credit=D("9.99"))],
        [Posting("1000", debit=D("10.00"))],
        [Posting("1000", debit=D("10.00"), credit=D("10.00")), Posting("4000", credit=D("0"))],
        [Posting("1000", debit=D("-5.00")), Posting("4000", credit=D("-5.00"))],
        [Posting("1000", debit=D("10.001")), Posting("4000", credit=D("10.001"))],
        [],
    ],
    ids=["unequal", "one-line", "both-sides", "negative", "fraction-of-cent", "empty"],
)
def test_unbalanced_or_malformed_entries_are_refused(lines: list[Posting]) -> None:
    with pytest.raises(UnbalancedEntry):
        domain.balanced(lines)


def test_a_reversal_mirrors_every_line() -> None:
    original = domain.customer_paid(D("12.34"))
    assert domain.reversal(original) == [
        Posting(domain.CASH, credit=D("12.34")),
        Posting(domain.RECEIVABLES, debit=D("12.34")),
    ]
    assert _sides(original + domain.reversal(original)) == (D("24.68"), D("24.68"))


EVENTS = st.lists(st.tuples(st.sampled_from(sorted(RULES) + ["reversal"]), AMOUNTS), max_size=30)
KINDS = {code: kind for code, _, kind in domain.DEFAULT_CHART}


@given(events=EVENTS)
@settings(max_examples=60)
def test_the_trial_balance_sums_to_zero_after_any_sequence_of_business_events(
    events: list[tuple[str, Decimal]],
) -> None:
    """Whatever happens, in whatever order, the books balance and so does the balance sheet."""
    posted: list[list[Posting]] = []
    for name, amount in events:
        if name == "reversal":
            if posted:
                posted.append(domain.reversal(domain.balanced(posted[-1])))
            continue
        posted.append(domain.balanced(RULES[name](amount)))
    debit: dict[str, Decimal] = defaultdict(lambda: D(0))
    credit: dict[str, Decimal] = defaultdict(lambda: D(0))
    for entry in posted:
        for line in entry:
            debit[line.account] += line.debit
            credit[line.account] += line.credit
    totals = [
        reports.AccountTotals(code, code, KINDS[code], debit[code], credit[code]) for code in KINDS
    ]
    trial = reports.trial_balance(totals)
    assert trial["total_debit"] == trial["total_credit"]
    assert sum(debit.values(), D(0)) - sum(credit.values(), D(0)) == 0
    sheet = reports.balance_sheet(totals)
    assert sheet["total_assets"] == sheet["total_liabilities_and_equity"]
