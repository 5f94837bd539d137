"""Unit tests of CRM's plain rules: forecast, SLA, lifecycle, quotes, reminders, segments."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.errors import IllegalTransition, InvalidRequest
from crm.activities.domain import FollowUpWindow, add_months, warranty_reminder_due
from crm.customers.domain import added_tags, name_key
from crm.marketing.domain import AccountFacts, SegmentFilter
from crm.pipeline.domain import (
    LeadStatus,
    PipelineItem,
    Stage,
    check_convertible,
    check_lead_transition,
    check_stage_change,
    forecast,
    next_probability,
)
from crm.sales.domain import (
    OrderStatus,
    QuoteStatus,
    advance,
    check_quote_acceptable,
    quote_state,
)
from crm.service.domain import Priority, SlaState, response_due, sla_state

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _item(
    stage: Stage, amount: str, probability: int, close: date, owner: str = "ann"
) -> PipelineItem:
    return PipelineItem(stage, owner, close, Decimal(amount), probability)


def test_forecast_weighs_open_opportunities_by_month() -> None:
    rows = forecast(
        [
            _item(Stage.PROPOSAL, "1000.00", 50, date(2026, 4, 10)),
            _item(Stage.NEGOTIATION, "333.33", 75, date(2026, 4, 20), owner="bob"),
            _item(Stage.PROSPECTING, "100.00", 10, date(2026, 5, 1)),
            _item(Stage.WON, "9999.00", 100, date(2026, 4, 1)),
            _item(Stage.LOST, "9999.00", 0, date(2026, 4, 1)),
        ],
        "month",
    )
    assert [(r.key, r.count, r.amount, r.weighted) for r in rows] == [
        ("2026-04", 2, Decimal("1333.33"), Decimal("750.00")),
        ("2026-05", 1, Decimal("100.00"), Decimal("10.00")),
    ]


def test_forecast_by_stage_follows_the_pipeline_order_and_by_owner_names_the_unassigned() -> None:
    items = [
        _item(Stage.NEGOTIATION, "10", 75, date(2026, 1, 1)),
        _item(Stage.PROSPECTING, "10", 10, date(2026, 1, 1), owner=""),
    ]
    assert [r.key for r in forecast(items, "stage")] == ["prospecting", "negotiation"]
    assert {r.key for r in forecast(items, "owner")} == {"ann", "(unassigned)"}


def test_forecast_refuses_an_unknown_grouping() -> None:
    with pytest.raises(InvalidRequest):
        forecast([], "region")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(Stage)),
            st.decimals(min_value=0, max_value=10**6, places=2),
            st.integers(min_value=0, max_value=100),
            st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
        ),
        max_size=30,
    ),
    st.sampled_from(["month", "owner", "stage"]),
)
def test_weighted_pipeline_never_exceeds_the_pipeline(items: list, group_by: str) -> None:  # type: ignore[type-arg]
    rows = forecast([_item(s, str(a), p, d) for s, a, p, d in items], group_by)
    for row in rows:
        assert Decimal(0) <= row.weighted <= row.amount
        assert row.weighted == row.weighted.quantize(Decimal("0.01"))
    open_count = sum(1 for s, *_ in items if s not in (Stage.WON, Stage.LOST))
    assert sum(r.count for r in rows) == open_count


def test_stage_probability_defaults_and_closed_stages_are_fixed() -> None:
    assert next_probability(Stage.PROPOSAL, None) == 50
    assert next_probability(Stage.PROPOSAL, 60) == 60
    assert next_probability(Stage.WON, None) == 100
    with pytest.raises(InvalidRequest):
        next_probability(Stage.LOST, 30)


def test_a_closed_opportunity_cannot_move() -> None:
    check_stage_change(Stage.PROPOSAL, Stage.PROSPECTING)
    with pytest.raises(IllegalTransition):
        check_stage_change(Stage.WON, Stage.NEGOTIATION)


def test_lead_lifecycle() -> None:
    check_lead_transition(LeadStatus.NEW, LeadStatus.CONTACTED)
    with pytest.raises(IllegalTransition):
        check_lead_transition(LeadStatus.NEW, LeadStatus.CONVERTED)
    with pytest.raises(IllegalTransition):
        check_lead_transition(LeadStatus.CONVERTED, LeadStatus.NEW)
    with pytest.raises(IllegalTransition):
        check_convertible(LeadStatus.DISQUALIFIED)


@pytest.mark.parametrize(
    ("priority", "hours"),
    [(Priority.P1, 4), (Priority.P2, 8), (Priority.P3, 24), (Priority.P4, 24)],
)
def test_response_sla_by_priority(priority: Priority, hours: int) -> None:
    assert response_due(OPENED, priority) == OPENED + timedelta(hours=hours)


def test_sla_states() -> None:
    due = response_due(OPENED, Priority.P1)  # 4 hours: at risk in the last hour

    def state(now_h: float, responded_h: float | None = None) -> SlaState:
        responded = OPENED + timedelta(hours=responded_h) if responded_h is not None else None
        return sla_state(
            opened_at=OPENED,
            due_at=due,
            responded_at=responded,
            now=OPENED + timedelta(hours=now_h),
        )

    assert state(1) is SlaState.ON_TRACK
    assert state(3.5) is SlaState.AT_RISK
    assert state(4.5) is SlaState.BREACHED
    assert state(9, responded_h=3.9) is SlaState.MET
    assert state(9, responded_h=4.1) is SlaState.BREACHED


def test_erp_facts_move_orders_forward_and_late_ones_are_ignored() -> None:
    assert advance(OrderStatus.CONFIRMED, OrderStatus.CREDIT_HOLD) == OrderStatus.CREDIT_HOLD
    assert advance(OrderStatus.CREDIT_HOLD, OrderStatus.RESERVED) == OrderStatus.RESERVED
    # the invoice (billing topic) overtook the shipment (fulfilment topic)
    assert advance(OrderStatus.RESERVED, OrderStatus.INVOICED) == OrderStatus.INVOICED
    assert advance(OrderStatus.INVOICED, OrderStatus.SHIPPED) is None
    assert advance(OrderStatus.SHIPPED, OrderStatus.PAID) == OrderStatus.PAID
    assert advance(OrderStatus.PAID, OrderStatus.INVOICED) is None
    assert advance(OrderStatus.CANCELLED, OrderStatus.SHIPPED) is None


def test_only_an_open_unexpired_quote_is_acceptable() -> None:
    today = date(2026, 3, 10)
    check_quote_acceptable(QuoteStatus.OPEN, today, today)
    with pytest.raises(IllegalTransition, match="expired"):
        check_quote_acceptable(QuoteStatus.OPEN, date(2026, 3, 9), today)
    with pytest.raises(IllegalTransition):
        check_quote_acceptable(QuoteStatus.ACCEPTED, today, today)
    assert quote_state(QuoteStatus.OPEN, date(2026, 3, 9), today) == "expired"
    assert quote_state(QuoteStatus.ACCEPTED, date(2026, 3, 9), today) == "accepted"


def test_warranty_reminder_is_90_days_before_the_warranty_ends() -> None:
    shipped = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    assert add_months(shipped.date(), 1) == date(2026, 2, 28)
    assert warranty_reminder_due(shipped, 24) == datetime(2027, 11, 2, 12, 0, tzinfo=UTC)


def test_follow_up_window() -> None:
    window = FollowUpWindow(now=OPENED, days=7)
    assert window.classify(OPENED - timedelta(minutes=1), completed=False) == "overdue"
    assert window.classify(OPENED + timedelta(days=7), completed=False) == "upcoming"
    assert window.classify(OPENED + timedelta(days=8), completed=False) is None
    assert window.classify(OPENED - timedelta(days=1), completed=True) is None


def test_names_are_compared_without_case_accents_punctuation_or_legal_form() -> None:
    assert name_key("ACME, Inc.") == name_key("acme") == "acme"
    assert name_key("Müller GmbH") == name_key("muller")
    assert name_key("GmbH") == "gmbh"  # a name made only of a legal form keeps it
    assert added_tags(["a", "b"], ["b", "c", "d"]) == ["c", "d"]


def test_segment_filter_over_fields_tags_and_money() -> None:
    rule = SegmentFilter.from_saved(
        {"regions": ["north"], "tags_all": ["vip"], "min_lifetime_value": "10000"}
    )
    facts = AccountFacts(
        region="north",
        industry=None,
        tier="gold",
        owner="ann",
        tags=frozenset({"vip", "x"}),
        lifetime_value=Decimal("10000.00"),
        outstanding=Decimal(0),
    )
    assert rule.matches(facts)
    assert not rule.matches(AccountFacts(**{**facts.__dict__, "region": "south"}))
    assert not rule.matches(AccountFacts(**{**facts.__dict__, "tags": frozenset({"x"})}))
    assert not rule.matches(
        AccountFacts(**{**facts.__dict__, "lifetime_value": Decimal("9999.99")})
    )
    assert SegmentFilter.from_saved({}).matches(facts)


def test_erp_is_told_the_discounted_unit_price() -> None:
    from crm.sales.domain import agreed_unit_price

    assert agreed_unit_price(Decimal("720.00"), 4) == Decimal("180.0000")
    assert agreed_unit_price(Decimal("52.47"), 3) == Decimal("17.4900")
    assert agreed_unit_price(Decimal("10.00"), 3) == Decimal("3.3333")


def test_an_order_is_paid_when_all_of_it_is_invoiced_and_paid() -> None:
    from crm.sales.domain import fully_paid

    total = Decimal("300.00")
    assert not fully_paid(total, Decimal("100.00"), Decimal("100.00"), 1)  # one of 3 shipments
    assert not fully_paid(total, Decimal("300.00"), Decimal("200.00"), 1)
    assert fully_paid(total, Decimal("300.00"), Decimal("300.00"), 1)
    assert fully_paid(total, Decimal("299.99"), Decimal("299.99"), 1)  # a cent of unit rounding
    assert not fully_paid(total, Decimal("299.98"), Decimal("299.98"), 1)


_facts = st.builds(
    AccountFacts,
    region=st.sampled_from([None, "north", "south"]),
    industry=st.sampled_from([None, "energy"]),
    tier=st.sampled_from([None, "gold", "silver"]),
    owner=st.sampled_from([None, "ann", "bob"]),
    tags=st.frozensets(st.sampled_from(["vip", "fair", "new"])),
    lifetime_value=st.decimals(min_value=0, max_value=10**6, places=2),
    outstanding=st.decimals(min_value=0, max_value=10**5, places=2),
)


@given(_facts, st.sampled_from(["north", "south"]), st.sampled_from(["vip", "fair"]))
def test_a_narrower_segment_never_holds_more_accounts(
    facts: AccountFacts, region: str, tag: str
) -> None:
    broad = SegmentFilter.from_saved({"regions": [region]})
    narrow = SegmentFilter.from_saved({"regions": [region], "tags_all": [tag]})
    assert SegmentFilter.from_saved({}).matches(facts)
    assert not narrow.matches(facts) or broad.matches(facts)
