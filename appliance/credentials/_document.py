"""The Open Badges 3.0 documents: typed records in, JSON-LD out (``OpenBadgeCredential``, VC Data Model 2.0).

A learner is named only by a salted SHA-256 of their staff ID (``identityHash``); results carry the band and
the key points met at each decision, never the learner's rationale text.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from appliance.credentials._contexts import OB_EXTENSIONS, OB_SCHEMA, OB_V3, VC_V2
from appliance.credentials._time import timestamp

ACHIEVEMENT_TYPES = {"badge": "Badge", "micro-credential": "MicroCredential", "nano-degree": "Certificate"}
BANDS = ("strong", "adequate", "insufficient", "unsafe")


@dataclass(frozen=True)
class Alignment:
    """A competency or hospital role an achievement covers."""

    kind: Literal["competency", "role"]
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class DecisionResult:
    """The rubric outcome at one decision: its band and the key points met (ids and their rubric text)."""

    id: str
    title: str
    band: str
    key_points_met: tuple[str, ...]
    key_point_count: int


@dataclass(frozen=True)
class Evidence:
    """What the award rests on: an attempt, or a credential it stacks."""

    id: str
    name: str
    description: str
    genre: str


@dataclass(frozen=True)
class Achievement:
    """What was achieved: the same for every learner who earns it."""

    id: str
    name: str
    description: str
    level: str
    criteria: str
    alignments: tuple[Alignment, ...]
    decisions: tuple[tuple[str, str], ...] = ()  # (result id, decision title) this achievement reports on
    version: str | None = None  # a badge's module version


@dataclass(frozen=True)
class Issuer:
    """The issuing site: its ``did:key`` and name."""

    did: str
    name: str
    url: str | None = None

    def profile(self) -> dict[str, Any]:
        """The issuer's OB3 ``Profile``."""
        profile: dict[str, Any] = {"id": self.did, "type": ["Profile"], "name": self.name}
        if self.url:
            profile["url"] = self.url
        return profile


@dataclass(frozen=True)
class Award:
    """One learner's award of an achievement."""

    credential_id: str
    achievement: Achievement
    staff_id: str
    issued_at: datetime
    valid_until: datetime | None
    results: tuple[DecisionResult, ...]
    evidence: tuple[Evidence, ...]
    status: dict[str, Any]
    average_score: float | None = None
    salt: str = ""


def identity_hash(staff_id: str, salt: str) -> str:
    """OB3 ``identityHash``: ``sha256$`` + hex(sha256(staff id + salt))."""
    return "sha256$" + hashlib.sha256((staff_id + salt).encode("utf-8")).hexdigest()


def new_salt() -> str:
    """A fresh random salt for one credential's recipient hash."""
    return secrets.token_hex(16)


def _alignment(alignment: Alignment, namespace: str) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetName": alignment.title,
        "targetDescription": alignment.description or alignment.title,
        "targetUrl": f"{namespace}:{alignment.kind}:{alignment.id}",
        "targetCode": alignment.id,
        "targetType": "ceasn:Competency" if alignment.kind == "competency" else "ext:HospitalRole",
    }


def _achievement(achievement: Achievement, namespace: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[achievement.level],
        "name": achievement.name,
        "description": achievement.description or achievement.name,
        "criteria": {"narrative": achievement.criteria},
        "alignment": [_alignment(a, namespace) for a in achievement.alignments],
    }
    if achievement.version:
        doc["version"] = achievement.version
    descriptions = []
    for result_id, title in achievement.decisions:
        descriptions.append(
            {
                "id": f"{result_id}:band",
                "type": ["ResultDescription"],
                "name": f"{title}: rationale band",
                "resultType": "ext:RationaleBand",
                "allowedValue": list(BANDS),
            }
        )
        descriptions.append(
            {
                "id": f"{result_id}:key-points",
                "type": ["ResultDescription"],
                "name": f"{title}: rubric key points met",
                "resultType": "ext:KeyPointsMet",
            }
        )
    if achievement.decisions:
        descriptions.append(
            {
                "id": f"{achievement.id}:average",
                "type": ["ResultDescription"],
                "name": "Average rationale score",
                "resultType": "Percent",
                "valueMin": "0",
                "valueMax": "100",
            }
        )
        doc["resultDescription"] = descriptions
    return doc


def _results(award: Award) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for decision in award.results:
        results.append(
            {"type": ["Result"], "resultDescription": f"{decision.id}:band", "value": decision.band}
        )
        met = ", ".join(decision.key_points_met) or "none"
        results.append(
            {
                "type": ["Result"],
                "resultDescription": f"{decision.id}:key-points",
                "value": f"{len(decision.key_points_met)} of {decision.key_point_count}: {met}",
            }
        )
    if award.average_score is not None and award.achievement.decisions:
        results.append(
            {
                "type": ["Result"],
                "resultDescription": f"{award.achievement.id}:average",
                "value": str(round(award.average_score * 100)),
            }
        )
    return results


def open_badge(award: Award, issuer: Issuer, namespace: str) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` for an award (``namespace`` prefixes alignment target IRIs)."""
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(award.staff_id, award.salt),
                "identityType": "identifier",
                "hashed": True,
                "salt": award.salt,
            }
        ],
        "achievement": _achievement(award.achievement, namespace),
    }
    results = _results(award)
    if results:
        subject["result"] = results
    doc: dict[str, Any] = {
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": award.achievement.name,
        "description": award.achievement.description or award.achievement.name,
        "issuer": issuer.profile(),
        "validFrom": timestamp(award.issued_at),
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": award.status,
    }
    if award.valid_until is not None:
        doc["validUntil"] = timestamp(award.valid_until)
    if award.evidence:
        doc["evidence"] = [
            {"id": e.id, "type": ["Evidence"], "name": e.name, "description": e.description, "genre": e.genre}
            for e in award.evidence
        ]
    return doc
