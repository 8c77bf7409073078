"""What the store reports: progress, cohort and dashboard counts, privacy reports, integrity findings
and health.

Public on purpose, outside ``appliance.store``'s short top level.
"""

from appliance.store._reports import CohortSummary, DeletionReport, LearnerProgress, ModuleStats, PurgeReport
from appliance.store._review_records import DashboardCounts, DecisionCounts, KeyPointMisses, MonthlyCounts
from appliance.store.engine import Finding, IntegrityReport, Severity, StoreHealth

__all__ = [
    "CohortSummary",
    "DashboardCounts",
    "DecisionCounts",
    "DeletionReport",
    "Finding",
    "IntegrityReport",
    "KeyPointMisses",
    "LearnerProgress",
    "ModuleStats",
    "MonthlyCounts",
    "PurgeReport",
    "Severity",
    "StoreHealth",
]
