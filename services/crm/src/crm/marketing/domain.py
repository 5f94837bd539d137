"""Segment rules: which accounts a saved filter selects.  Plain Python, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from contracts.errors import IllegalTransition


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"


CAMPAIGN_TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.ACTIVE, CampaignStatus.COMPLETED}),
    CampaignStatus.ACTIVE: frozenset({CampaignStatus.PAUSED, CampaignStatus.COMPLETED}),
    CampaignStatus.PAUSED: frozenset({CampaignStatus.ACTIVE, CampaignStatus.COMPLETED}),
    CampaignStatus.COMPLETED: frozenset(),
}


def check_campaign_transition(current: CampaignStatus, target: CampaignStatus) -> None:
    if target not in CAMPAIGN_TRANSITIONS[current]:
        raise IllegalTransition(f"a campaign that is {current} cannot become {target}")


class Trigger(StrEnum):
    TAG_ADDED = "tag_added"
    ENTERED_SEGMENT = "entered_segment"


@dataclass(frozen=True)
class AccountFacts:
    """What a segment may look at: the account's fields and its financial summary."""

    region: str | None
    industry: str | None
    tier: str | None
    owner: str | None
    tags: frozenset[str]
    lifetime_value: Decimal
    outstanding: Decimal


@dataclass(frozen=True)
class SegmentFilter:
    """All given conditions must hold; a list of values means "any of these"."""

    regions: frozenset[str] = field(default_factory=frozenset)
    industries: frozenset[str] = field(default_factory=frozenset)
    tiers: frozenset[str] = field(default_factory=frozenset)
    owners: frozenset[str] = field(default_factory=frozenset)
    tags_all: frozenset[str] = field(default_factory=frozenset)
    min_lifetime_value: Decimal | None = None
    max_lifetime_value: Decimal | None = None
    min_outstanding: Decimal | None = None

    @classmethod
    def from_saved(cls, saved: dict[str, Any]) -> SegmentFilter:
        def values(name: str) -> frozenset[str]:
            return frozenset(saved.get(name) or ())

        def amount(name: str) -> Decimal | None:
            raw = saved.get(name)
            return None if raw is None else Decimal(str(raw))

        return cls(
            regions=values("regions"),
            industries=values("industries"),
            tiers=values("tiers"),
            owners=values("owners"),
            tags_all=values("tags_all"),
            min_lifetime_value=amount("min_lifetime_value"),
            max_lifetime_value=amount("max_lifetime_value"),
            min_outstanding=amount("min_outstanding"),
        )

    def matches(self, facts: AccountFacts) -> bool:
        checks = (
            _one_of(self.regions, facts.region),
            _one_of(self.industries, facts.industry),
            _one_of(self.tiers, facts.tier),
            _one_of(self.owners, facts.owner),
            self.tags_all <= facts.tags,
            self.min_lifetime_value is None or facts.lifetime_value >= self.min_lifetime_value,
            self.max_lifetime_value is None or facts.lifetime_value <= self.max_lifetime_value,
            self.min_outstanding is None or facts.outstanding >= self.min_outstanding,
        )
        return all(checks)


def _one_of(allowed: frozenset[str], value: str | None) -> bool:
    return not allowed or value in allowed
