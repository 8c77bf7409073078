"""Offline verification of an Open Badges 3.0 credential, check by check.

The checks run in order and stop at the first failure: json, context, schema, signature, dates, status,
endorsement. Status uses a cached copy of the issuer's signed status list (never fetched) and reports how old it
is; endorsement is checked only when the verifier is told which hubs it trusts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from appliance.credentials._contexts import BUNDLED, DEFAULT_LOADER, OB_V3, VC_V2, ContextLoader
from appliance.credentials._endorse import verify_endorsement
from appliance.credentials._errors import (
    ContextInvalid,
    EndorsementInvalid,
    Expired,
    MalformedCredential,
    NotYetValid,
    Revoked,
    SignatureInvalid,
    StatusUnavailable,
    VerificationFailed,
)
from appliance.credentials._proof import verify as verify_proof
from appliance.credentials._schema import validate_schema
from appliance.credentials._statuslist import bit_is_set


class StatusLists(Protocol):
    """Where a verifier finds cached status lists (signed ``BitstringStatusListCredential`` documents)."""

    def get(self, url: str) -> dict[str, Any] | None:
        """The cached list published at ``url``, or None."""
        ...


class DirectoryStatusLists:
    """Status lists kept as JSON files in a folder, found by their ``id``."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def get(self, url: str) -> dict[str, Any] | None:
        """The list in the folder whose ``id`` is ``url``."""
        if not self._folder.is_dir():
            return None
        for path in sorted(self._folder.glob("*.json")):
            try:
                doc = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(doc, dict) and doc.get("id") == url:
                return doc
        return None


class MappingStatusLists:
    """Status lists given in memory (e.g. files named on the command line), then a ``fallback`` source."""

    def __init__(self, lists: Iterable[dict[str, Any]], fallback: StatusLists | None = None) -> None:
        self._lists = {str(d.get("id")): d for d in lists}
        self._fallback = fallback

    def get(self, url: str) -> dict[str, Any] | None:
        """The list whose ``id`` is ``url``."""
        found = self._lists.get(url)
        if found is None and self._fallback is not None:
            found = self._fallback.get(url)
        return found


@dataclass(frozen=True)
class Check:
    """One verification check and what it found."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class Verification:
    """The outcome of verifying one document: every check run, the first failure last."""

    checks: tuple[Check, ...]
    document: dict[str, Any] | None = None
    issuer: str | None = None
    status_list_age_s: float | None = None

    @property
    def valid(self) -> bool:
        """True when every check passed."""
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> Check | None:
        """The failing check, if any."""
        return next((c for c in self.checks if not c.passed), None)


MAX_BYTES = 256_000  # ours are 7-12 kB; bounds what a public /verify will canonicalise
MAX_NODES = 2_000  # JSON objects and arrays: bounds the blank nodes RDF canonicalisation must order


def _count_nodes(value: Any) -> int:
    stack, count = [value], 0
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            continue
        count += 1
        if count > MAX_NODES:
            break
    return count


def parse(data: str | bytes | Mapping[str, Any]) -> dict[str, Any]:
    """A credential document from JSON text, bytes or a mapping, within size limits.

    :raises MalformedCredential: not JSON, not a JSON object, or larger than any credential we issue by far.
    """
    if isinstance(data, Mapping):
        doc: Any = dict(data)
    else:
        if len(data) > MAX_BYTES:
            raise MalformedCredential(f"larger than {MAX_BYTES // 1000} kB; not a credential")
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError, RecursionError) as err:
            raise MalformedCredential(f"not valid JSON: {err}") from err
    if not isinstance(doc, dict):
        raise MalformedCredential("a credential is a JSON object")
    if _count_nodes(doc) > MAX_NODES:
        raise MalformedCredential(f"more than {MAX_NODES} JSON objects and arrays; not a credential")
    return doc


def check_context(document: dict[str, Any], *, open_badge: bool = True) -> None:
    """The VC 2.0 context first, the OB 3.0.3 context next (for badges), nothing unbundled.

    :raises ContextInvalid: otherwise.
    """
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2:
        raise ContextInvalid(f"the first @context must be {VC_V2}")
    if open_badge and OB_V3 not in context:
        raise ContextInvalid(f"an Open Badges 3.0 credential names the context {OB_V3}")
    for entry in context:
        if not isinstance(entry, str) or entry not in BUNDLED:
            raise ContextInvalid(f"context {entry!r} is not one of the bundled contexts")


def _age(seconds: float) -> str:
    """How old a status list is, in words."""
    if seconds < 120:
        return "just now"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} days ago"


def _parse_time(value: Any, name: str) -> datetime:
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as err:
        raise MalformedCredential(f"{name} {value!r} is not a date-time") from err
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def check_dates(document: dict[str, Any], now: datetime) -> str:
    """Check ``validFrom`` <= now < ``validUntil``; return a summary.

    :raises NotYetValid | Expired: outside the window.
    """
    valid_from = _parse_time(document.get("validFrom"), "validFrom")
    if now < valid_from:
        raise NotYetValid(f"not valid until {valid_from.isoformat()}")
    until = document.get("validUntil")
    if until is not None:
        valid_until = _parse_time(until, "validUntil")
        if now >= valid_until:
            raise Expired(f"expired on {valid_until.isoformat()}")
        return f"valid from {valid_from.date()} until {valid_until.date()}"
    return f"valid from {valid_from.date()}, no expiry"


@dataclass
class Verifier:
    """Verifies credentials offline with the bundled contexts and schema."""

    status_lists: StatusLists | None = None
    trusted_hubs: frozenset[str] = frozenset()
    endorsements: Sequence[dict[str, Any]] = ()
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    loader: ContextLoader = DEFAULT_LOADER

    def _status(self, document: dict[str, Any], issuer: str, now: datetime) -> tuple[str, float | None]:
        status = document.get("credentialStatus")
        if status is None:
            return "no credentialStatus", None
        if not isinstance(status, dict) or status.get("type") != "BitstringStatusListEntry":
            raise StatusUnavailable("credentialStatus is not a single BitstringStatusListEntry")
        url = str(status.get("statusListCredential"))
        listed = self.status_lists.get(url) if self.status_lists else None
        if listed is None:
            raise StatusUnavailable(f"no cached copy of the status list {url}")
        try:
            check_context(listed, open_badge=False)
            list_issuer = verify_proof(listed, self.loader)
        except VerificationFailed as err:
            raise StatusUnavailable(f"the status list does not verify: {err}") from err
        if list_issuer != issuer:
            raise StatusUnavailable("the status list is signed by another key than the credential")
        subject = listed.get("credentialSubject", {})
        if subject.get("statusPurpose") != status.get("statusPurpose"):
            raise StatusUnavailable("the status list is for another purpose")
        try:
            index = int(status["statusListIndex"])
        except (KeyError, ValueError) as err:
            raise StatusUnavailable("statusListIndex is not a number") from err
        age = (now - _parse_time(listed.get("validFrom"), "validFrom")).total_seconds()
        if bit_is_set(str(subject.get("encodedList", "")), index):
            raise Revoked(f"revoked (status list signed {_age(age)})")
        return f"not revoked (status list signed {_age(age)})", age

    def _endorsement(self, issuer: str, now: datetime) -> str:
        if not self.trusted_hubs:
            return "not checked (no trusted hub given)"
        problems = []
        for doc in self.endorsements:
            try:
                hub = verify_endorsement(doc, issuer, self.trusted_hubs, now, self.loader)
            except VerificationFailed as err:
                problems.append(str(err))
                continue
            return f"issuer endorsed by {hub}"
        raise EndorsementInvalid(
            "no valid endorsement of the issuer by a trusted hub" + (f" ({problems[0]})" if problems else "")
        )

    def verify(self, data: str | bytes | Mapping[str, Any]) -> Verification:
        """Run every check in order, stopping at the first failure; never raises for a bad credential."""
        checks: list[Check] = []
        document: dict[str, Any] | None = None
        issuer: str | None = None
        age: float | None = None
        now = self.clock()
        step = "json"
        try:
            document = parse(data)
            checks.append(Check("json", True, "a JSON object"))
            step = "context"
            check_context(document)
            checks.append(Check("context", True, "VC 2.0 + Open Badges 3.0.3, bundled"))
            step = "schema"
            validate_schema(document)
            checks.append(Check("schema", True, "valid against the OB 3.0 AchievementCredential schema"))
            step = "signature"
            issuer = verify_proof(document, self.loader)
            claimed = document.get("issuer")
            claimed_id = claimed.get("id") if isinstance(claimed, dict) else claimed
            if claimed_id != issuer:
                raise SignatureInvalid(f"signed by {issuer}, but the issuer is {claimed_id}")
            checks.append(Check("signature", True, f"eddsa-rdfc-2022 by {issuer}"))
            step = "dates"
            checks.append(Check("dates", True, check_dates(document, now)))
            step = "status"
            detail, age = self._status(document, issuer, now)
            checks.append(Check("status", True, detail))
            step = "endorsement"
            checks.append(Check("endorsement", True, self._endorsement(issuer, now)))
        except VerificationFailed as err:
            name = step if err.check in ("json", "verification") else err.check
            checks.append(Check(name, False, str(err)))
        return Verification(tuple(checks), document, issuer, age)
