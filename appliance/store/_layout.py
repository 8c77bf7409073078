"""Where records live: shard names, record ids that lead to their shard, and months."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from appliance.store._errors import InvalidInput
from appliance.store.engine import CATALOG

USERS = "hot/users"
SETTINGS = "hot/settings"
AGGREGATES = "hot/aggregates"
OUTBOX_STATE = "hot/outbox"
OUTBOX_SEGMENT_EVENTS = 500
"""Events per outbox shard: bounds the size of the file a checkpoint rewrites."""
LEARNER_MONTH = "learner_month"
"""The kind of a shard with one learner's attempts and grades of one month."""
CREDENTIALS = "credentials"
"""The kind of a shard with one learner's credentials."""

_LEARNER = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")
_MODULE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SHARD = re.compile(
    r"^(_catalog|hot/[a-z_]+|(curriculum|drafts)/[a-z0-9][a-z0-9_.-]{0,63}|outbox/\d{8}"
    r"|audit/\d{4}-\d{2}|learners/[a-z0-9][a-z0-9_]{0,39}/(credentials|\d{4}-\d{2}))$"
)


def check_learner_id(learner_id: str) -> str:
    """Return the id if it can name a learner's shards.

    :raises InvalidInput: not 1-40 lower-case letters, digits or ``_``.
    """
    if not isinstance(learner_id, str) or not _LEARNER.match(learner_id):
        raise InvalidInput(f"{learner_id!r} is not a valid user id (lower-case letters, digits, _)")
    return learner_id


def check_module_id(module_id: str) -> str:
    """Return the id if it is a valid module id.

    :raises InvalidInput: not a curriculum identifier.
    """
    if not isinstance(module_id, str) or not _MODULE.match(module_id):
        raise InvalidInput(f"{module_id!r} is not a valid module id")
    return module_id


def is_shard_name(name: str) -> bool:
    """True for names the store itself would give a shard."""
    return bool(_SHARD.match(name))


def month_of(moment: datetime) -> str:
    """``YYYY-MM`` of a moment, in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def learner_month(learner_id: str, month: str) -> str:
    """The shard with a learner's attempts and grades started in one month."""
    return f"learners/{check_learner_id(learner_id)}/{month}"


def learner_credentials(learner_id: str) -> str:
    """The shard with a learner's credentials."""
    return f"learners/{check_learner_id(learner_id)}/credentials"


def module_shard(module_id: str) -> str:
    """The shard with a module's published versions."""
    return f"curriculum/{check_module_id(module_id)}"


def draft_shard(module_id: str) -> str:
    """The shard with a module's draft."""
    return f"drafts/{check_module_id(module_id)}"


def outbox_segment(seq: int) -> str:
    """The shard holding outbox event ``seq``."""
    return f"outbox/{seq // OUTBOX_SEGMENT_EVENTS:08d}"


def audit_month(month: str) -> str:
    """The shard with one month of the audit log."""
    return f"audit/{month}"


def kind_of(name: str) -> str:
    """What a shard holds: catalog, users, settings, aggregates, outbox_state, curriculum, drafts,
    credentials, learner_month, outbox or audit."""
    if name == CATALOG:
        return "catalog"
    head, _, rest = name.partition("/")
    if head == "hot":
        return rest
    if head == "learners":
        return CREDENTIALS if rest.endswith("/credentials") else LEARNER_MONTH
    return head


def learner_of(name: str) -> str | None:
    """The learner a shard belongs to, if any."""
    parts = name.split("/")
    return parts[1] if parts[0] == "learners" and len(parts) == 3 else None


def new_attempt_id(learner_id: str, started: datetime) -> str:
    """An attempt id that names its shard: ``<learner>-<yyyymm>-<random>``."""
    return f"{check_learner_id(learner_id)}-{started.astimezone(UTC):%Y%m}-{secrets.token_hex(5)}"


def attempt_shard(attempt_id: str) -> tuple[str, str]:
    """The learner and shard of an attempt (or of a grade, whose id extends its attempt's).

    :raises InvalidInput: not an id the store issued.
    """
    parts = attempt_id.split("-") if isinstance(attempt_id, str) else []
    if len(parts) not in (3, 4) or not _LEARNER.match(parts[0]) or not re.fullmatch(r"\d{6}", parts[1]):
        raise InvalidInput(f"{attempt_id!r} is not an attempt or grade id issued by this store")
    month = f"{parts[1][:4]}-{parts[1][4:]}"
    if not _MONTH.match(month):
        raise InvalidInput(f"{attempt_id!r} has no valid month")
    return parts[0], learner_month(parts[0], month)


def attempt_of_grade(grade_id: str) -> str:
    """The attempt id inside a grade id.

    :raises InvalidInput: not a grade id issued by this store.
    """
    parts = grade_id.split("-") if isinstance(grade_id, str) else []
    if len(parts) != 4:
        raise InvalidInput(f"{grade_id!r} is not a grade id issued by this store")
    return "-".join(parts[:3])


def new_grade_id(attempt_id: str) -> str:
    """A grade id that extends its attempt's id."""
    return f"{attempt_id}-{secrets.token_hex(4)}"


def new_credential_id(learner_id: str) -> str:
    """A credential record id that names its learner: ``<learner>-c<random>``."""
    return f"{check_learner_id(learner_id)}-c{secrets.token_hex(5)}"


def credential_learner(record_id: str) -> str:
    """The learner of a credential record id.

    :raises InvalidInput: not a credential record id issued by this store.
    """
    learner, sep, rest = record_id.partition("-") if isinstance(record_id, str) else ("", "", "")
    if not sep or not rest.startswith("c"):
        raise InvalidInput(f"{record_id!r} is not a credential record id issued by this store")
    return check_learner_id(learner)


def new_user_id() -> str:
    """A fresh opaque user id."""
    return "u" + secrets.token_hex(6)
