"""Membership: free reads a month, a free trial, members who read everything, the paywall, and the
reading ledger that pays publishers by reads.

``policy`` is pure (it decides); ``service`` reads and writes through the store; ``webhook`` checks
the payment provider's signed events.
"""

from broadsheet.membership.policy import (
    AccessDecision,
    Membership,
    MembershipSettings,
    PlanStatus,
    ReaderState,
    decide_access,
    plan_status,
)

__all__ = [
    "AccessDecision",
    "Membership",
    "MembershipSettings",
    "PlanStatus",
    "ReaderState",
    "decide_access",
    "plan_status",
]
