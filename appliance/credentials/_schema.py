"""Validation against the bundled Open Badges 3.0 ``AchievementCredential`` JSON Schema (draft 2019-09)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator

from appliance.credentials._errors import SchemaInvalid


@cache
def _validator() -> Draft201909Validator:
    text = (
        resources.files("appliance.credentials")
        .joinpath("data")
        .joinpath("schemas")
        .joinpath("ob_v3p0_achievementcredential_schema.json")
        .read_text("utf-8")
    )
    return Draft201909Validator(json.loads(text))


def validate_schema(document: dict[str, Any]) -> None:
    """Check an ``OpenBadgeCredential`` against the OB3 JSON Schema.

    :raises SchemaInvalid: naming the first failing path and why.
    """
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(root)"
        raise SchemaInvalid(f"{where}: {first.message[:300]}")
