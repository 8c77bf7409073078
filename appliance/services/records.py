"""Learning records (xAPI) for an LRS: filters, the client and the home page of statements.

Public on purpose, outside ``appliance.services``'s short top level.
"""

from appliance.services._records import RecordFilter, home_page, lrs_client

__all__ = [
    "RecordFilter",
    "home_page",
    "lrs_client",
]
