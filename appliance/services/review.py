"""Reviewing graded rationales: decisions, filters, queue items, outcomes and agreement figures.

Public on purpose, outside ``appliance.services``'s short top level.
"""

from appliance.services._agreement import Agreement
from appliance.services._review import ReviewDecision, ReviewFilter, ReviewItem, ReviewOutcome

__all__ = [
    "Agreement",
    "ReviewDecision",
    "ReviewFilter",
    "ReviewItem",
    "ReviewOutcome",
]
