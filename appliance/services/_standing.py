"""One rule for "module passed", used by the catalogue and the debrief alike.

A module is passed once its badge is held: a later, weaker replay never takes the pass away, and the debrief of
that replay says so instead of "not passed yet" (issue 8).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from appliance.engine.curriculum import CredentialLevel, Taxonomy
from appliance.store.records import Credential


def module_passed_on(held: Mapping[str, Credential], taxonomy: Taxonomy, module_id: str) -> date | None:
    """The day the learner earned the module's badge, or None while it is not passed."""
    for spec in taxonomy.credentials:
        if spec.level is CredentialLevel.BADGE and spec.module == module_id and spec.id in held:
            return held[spec.id].issued_at.date()
    return None
