"""The site issuer: turns an earned credential into a signed Open Badges 3.0 credential.

It implements the services' ``CredentialIssuer`` seam. A badge reports the rubric outcome of every decision in
the learner's latest finished play-through of each scenario, and cites those attempts as evidence; a stacked
credential cites the credentials it stacks (by their ``id``) as evidence.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from appliance.credentials._document import (
    Achievement,
    Alignment,
    Award,
    DecisionResult,
    Evidence,
    Issuer,
    new_salt,
    open_badge,
)
from appliance.credentials._keys import SigningKey
from appliance.credentials._proof import sign
from appliance.credentials._status import StatusRegistry
from appliance.engine import DecisionNode, Module
from appliance.engine.curriculum import CredentialLevel, CredentialSpec, Curriculum
from appliance.store import Attempt, AttemptStatus, Store


class SiteIssuer:
    """Signs this site's credentials with its ``did:key``."""

    def __init__(
        self,
        store: Store,
        curriculum: Curriculum,
        key: SigningKey,
        status: StatusRegistry,
        site_name: Callable[[], str],
    ) -> None:
        self._store = store
        self._curriculum = curriculum
        self._key = key
        self.status = status
        self._site_name = site_name
        self.namespace = f"urn:x-ward:{curriculum.id}"

    def issuer(self) -> Issuer:
        """This site as an OB3 issuer."""
        return Issuer(did=self._key.did, name=self._site_name())

    @property
    def did(self) -> str:
        """The site's DID."""
        return self._key.did

    def _spec(self, credential_id: str) -> CredentialSpec | None:
        return next((c for c in self._curriculum.taxonomy.credentials if c.id == credential_id), None)

    def _modules_of(self, spec: CredentialSpec) -> tuple[Module, ...]:
        if spec.module is not None:
            return (self._curriculum.module(spec.module),)
        specs = [self._spec(r) for r in spec.requires]
        return tuple(m for s in specs if s is not None for m in self._modules_of(s))

    def achievement(self, spec: CredentialSpec) -> Achievement:
        """The OB3 achievement a credential spec describes."""
        taxonomy = self._curriculum.taxonomy
        competencies = {c.id: c for c in taxonomy.competencies}
        alignments = [
            Alignment("competency", c, competencies[c].title, competencies[c].description)
            for c in spec.competencies
            if c in competencies
        ]
        modules = self._modules_of(spec)
        module_ids = {m.id for m in modules}
        for role in taxonomy.roles:
            if module_ids & {m.id for m in self._curriculum.modules_for_role(role.id)}:
                alignments.append(Alignment("role", role.id, role.title))
        decisions: list[tuple[str, str]] = []
        if spec.level is CredentialLevel.BADGE:
            module = modules[0]
            rule = module.pass_rule
            criteria = (
                f"Finish every scenario of the module '{module.title}' (version {module.version}) in a safe "
                f"outcome, with at most {rule.max_unsafe_choices} unsafe choice(s) and an average rationale "
                f"score of at least {rule.min_average_score:.0%}; rationales are graded against the module's "
                "rubrics on the ward's own device."
            )
            for scenario in module.scenarios:
                for node in scenario.nodes:
                    if isinstance(node, DecisionNode) and node.rubric is not None:
                        decisions.append((self._decision_id(module, scenario.id, node.id), node.title))
        else:
            titles = [s.title for s in (self._spec(r) for r in spec.requires) if s is not None]
            criteria = "Hold every one of these credentials, each still valid: " + "; ".join(titles) + "."
        return Achievement(
            id=f"{self.namespace}:achievement:{spec.id}",
            name=spec.title,
            description=spec.description,
            level=spec.level.value,
            criteria=criteria,
            alignments=tuple(alignments),
            decisions=tuple(decisions),
            version=modules[0].version if spec.level is CredentialLevel.BADGE else None,
        )

    def _decision_id(self, module: Module, scenario_id: str, node_id: str) -> str:
        return f"{self.namespace}:module:{module.id}:{module.version}:{scenario_id}:{node_id}"

    def _latest_attempts(self, learner_id: str, module: Module) -> list[Attempt]:
        latest: dict[str, Attempt] = {}
        summaries = sorted(self._store.attempts.for_learner(learner_id), key=lambda s: s.updated_at)
        for summary in summaries:
            if summary.module_id == module.id and summary.status in (
                AttemptStatus.ENDED,
                AttemptStatus.STOPPED,
            ):
                attempt = self._store.attempts.get(summary.attempt_id)
                if attempt is not None:
                    latest[summary.scenario_id] = attempt
        return [latest[s.id] for s in module.scenarios if s.id in latest]

    def _badge_record(
        self, learner_id: str, module: Module
    ) -> tuple[tuple[DecisionResult, ...], tuple[Evidence, ...]]:
        # by decision: a decision met again after a recovery keeps its last outcome
        results: dict[str, DecisionResult] = {}
        evidence: list[Evidence] = []
        for attempt in self._latest_attempts(learner_id, module):
            scenario = module.scenario(attempt.scenario_id)
            nodes = {n.id: n for n in scenario.nodes}
            for step in attempt.state.steps:
                node = nodes.get(step.node_id)
                if step.grade is None or not isinstance(node, DecisionNode) or node.rubric is None:
                    continue
                met = [kp.key_point_id for kp in step.grade.key_points if kp.met]
                result_id = self._decision_id(module, scenario.id, node.id)
                results[result_id] = DecisionResult(
                    id=result_id,
                    title=node.title,
                    band=step.grade.band.value,
                    key_points_met=tuple(met),
                    key_point_count=len(node.rubric.key_points),
                )
            outcome = attempt.state.outcome.value if attempt.state.outcome else "none"
            evidence.append(
                Evidence(
                    id=f"{self.namespace}:attempt:{attempt.attempt_id}",
                    name=f"Play-through: {scenario.title}",
                    description=(
                        f"Finished {attempt.updated_at.date().isoformat()} with outcome '{outcome}', "
                        f"module version {module.version}."
                    ),
                    genre="Assessment",
                )
            )
        return tuple(results.values()), tuple(evidence)

    def _stacked(self, learner_id: str, spec: CredentialSpec, now: datetime) -> tuple[Evidence, ...]:
        held = {
            c.credential_id: c for c in self._store.credentials.for_learner(learner_id) if c.valid_at(now)
        }
        evidence = []
        for required in spec.requires:
            record = held.get(required)
            if record is None:
                continue
            part = self._spec(required)
            evidence.append(
                Evidence(
                    id=str(record.payload.get("id", f"{self.namespace}:credential:{record.record_id}")),
                    name=part.title if part else required,
                    description=f"Stacked credential, issued {record.issued_at.date().isoformat()}.",
                    genre="Credential",
                )
            )
        return tuple(evidence)

    def issue(
        self, learner_id: str, spec: CredentialSpec, evidence: dict[str, Any], issued_at: datetime
    ) -> dict[str, Any]:
        """Return the signed ``OpenBadgeCredential`` for an award (the ``CredentialIssuer`` seam)."""
        user = self._store.users.get(learner_id)
        staff_id = user.staff_id if user else learner_id
        if spec.level is CredentialLevel.BADGE:
            results, cited = self._badge_record(learner_id, self._modules_of(spec)[0])
        else:
            results, cited = (), self._stacked(learner_id, spec, issued_at)
        award = Award(
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            achievement=self.achievement(spec),
            staff_id=staff_id,
            issued_at=issued_at,
            valid_until=issued_at + timedelta(days=spec.valid_days) if spec.valid_days else None,
            results=results,
            evidence=cited,
            status=self.status.allocate(),
            average_score=evidence.get("average_score"),
            salt=new_salt(),
        )
        return sign(open_badge(award, self.issuer(), self.namespace), self._key, issued_at)
