"""Scenario node kinds: content, decision, fail-state, recovery and end."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from appliance.engine._ids import Identifier
from appliance.engine._rubric import Rubric

VariableValue = bool | float | str


class ChoiceRating(StrEnum):
    """How an expert rates a choice at a decision."""

    BEST = "best"
    ACCEPTABLE = "acceptable"
    UNSAFE = "unsafe"


class HarmSeverity(StrEnum):
    """Severity of an adverse outcome at a fail-state."""

    MINOR = "minor"
    MODERATE = "moderate"
    SEVERE = "severe"
    CRITICAL = "critical"


class Outcome(StrEnum):
    """How a play-through ended."""

    SUCCESS = "success"
    PARTIAL = "partial"
    FAILURE = "failure"


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str = Field(min_length=1, max_length=200)
    position: tuple[float, float] | None = Field(default=None, description="Editor canvas position (x, y).")


class AIOutput(BaseModel):
    """What an AI tool showed the clinician (an alert, a draft note, a suggestion)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tool: str = Field(min_length=1)
    text: str = Field(min_length=1)


class ContentNode(_Node):
    """Narrative, vitals or an AI tool's output; optionally read as RSVP, one phrase at a time."""

    kind: Literal["content"] = "content"
    body: str = Field(min_length=1)
    vitals: dict[str, str] = Field(default_factory=dict)
    ai_output: AIOutput | None = None
    rsvp: bool = False
    rsvp_wpm: int = Field(default=250, ge=60, le=900)


class Choice(BaseModel):
    """One action a learner can take at a decision."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    label: str = Field(min_length=1, max_length=300)
    rating: ChoiceRating
    feedback: str = ""
    effects: dict[str, VariableValue] = Field(
        default_factory=dict, description="Scenario variables this choice sets."
    )


class DecisionNode(_Node):
    """A clinical decision: choices, each leading on, and normally a written rationale graded by a rubric."""

    kind: Literal["decision"] = "decision"
    prompt: str = Field(min_length=1)
    choices: tuple[Choice, ...] = Field(min_length=1)
    requires_rationale: bool = True
    rationale_prompt: str = "Why did you choose this action?"
    min_words: int = Field(default=15, ge=0, le=500, description="Gentle hint, not a hard limit.")
    rubric: Rubric | None = None

    def choice(self, choice_id: str) -> Choice:
        """Return the choice with this id.

        :raises KeyError: no such choice.
        """
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)


class FailStateNode(_Node):
    """An adverse outcome shown as its clinical consequence."""

    kind: Literal["fail"] = "fail"
    consequence: str = Field(min_length=1)
    severity: HarmSeverity


class RecoveryNode(_Node):
    """A path back from a fail-state."""

    kind: Literal["recovery"] = "recovery"
    body: str = Field(min_length=1)


class EndNode(_Node):
    """The end of a play-through, with its outcome and a debrief."""

    kind: Literal["end"] = "end"
    outcome: Outcome
    debrief: str = Field(min_length=1)


Node = Annotated[
    ContentNode | DecisionNode | FailStateNode | RecoveryNode | EndNode,
    Field(discriminator="kind"),
]
NODE_KINDS = ("content", "decision", "fail", "recovery", "end")


class Edge(BaseModel):
    """A transition; ``choice`` names the decision choice it follows, ``guard`` a condition (see guards)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    target: str
    choice: str | None = None
    guard: str | None = Field(default=None, max_length=500)
    label: str = ""
